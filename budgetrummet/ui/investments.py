"""Streamlit pieces of the Investeringar page: tables of formatted text, the link to
Datakvalitet, and the cached reads the page needs."""

from __future__ import annotations

import polars as pl
import streamlit as st

from budgetrummet import investments
from budgetrummet.ui import components
from budgetrummet.ui.data import query
from budgetrummet.ui.tables import show_table

WIDE_TEXT = ("Orsak enligt analysen", "Datakvalitet", "Så ska det läsas", "Andra namn i källorna")


def read_all(org: str) -> dict[str, pl.DataFrame]:
    """Every investment query for the organisation, by name."""
    names = (
        "inv_year",
        "inv_project_life",
        "inv_budget_plan",
        "inv_texts",
        "inv_findings",
        "inv_statements",
        "inv_key_matches",
    )
    return {name: query(name, org_id=org) for name in names}


def quality_link(org: str) -> None:
    """A link to the Datakvalitet page, for this organisation's investment findings."""
    components.quality_link("Detaljer på sidan Datakvalitet", org)


ROW_PX, HEADER_PX, MAX_ROWS = 35, 38, 30


def text_table(
    frame: pl.DataFrame,
    *,
    key: str,
    raw: pl.DataFrame | None = None,
    file_name: str | None = None,
) -> None:
    """A table of already formatted text, tall enough for every row (up to 30, then it
    scrolls); long-text columns get more room. With ``raw`` (the same rows, amounts as
    numbers) an Excel download follows the table."""
    show_table(
        frame,
        wide=WIDE_TEXT,
        height=HEADER_PX + ROW_PX * min(max(frame.height, 1), MAX_ROWS),
        key=key,
        raw=raw,
        file_name=file_name,
    )


def legend() -> None:
    st.caption(
        f"{investments.MARK_CONTRADICTION} = källan säger emot sig själv för siffran, eller "
        f"ett dokumenterat tryckfel har rättats · {investments.MARK_ROUNDING} = skillnad "
        "som bara beror på avrundning · tom ruta = inget tryckt i källan. "
        "Kolumnen Datakvalitet visar båda siffrorna och var de står."
    )
