"""Protokollsbilaga (PDF) buttons: what a page shows, as an A4 document for the minutes.

The document is described here from what the page shows (the same tables, in the same
Swedish format) and made by ``budgetrummet.minutes`` only when the button is clicked
(``st.download_button`` with a callable), so drawing the page costs nothing extra.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import polars as pl
import streamlit as st

from budgetrummet import fmt, vocab
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.fmt import person
from budgetrummet.presenters import scenarios as pr
from budgetrummet.presenters.document import DocSection
from budgetrummet.ui.auth import current_actor

LABEL = "Protokollsbilaga (PDF)"


def table_of(frame: pl.DataFrame, title: str = "") -> mn.Table:
    """A frame of text cells (as a page shows it) as a table of the document."""
    return mn.Table(
        columns=list(frame.columns),
        rows=[["" if v is None else str(v) for v in row] for row in frame.iter_rows()],
        title=title,
    )


def made_by() -> str:
    actor = current_actor()
    return person(actor.name) if actor is not None else "okänd användare"


def file_name(title: str, organisation: str, when: datetime) -> str:
    stem = f"protokollsbilaga-{title}-{organisation}-{when:%Y-%m-%d-%H%M}".lower()
    stem = stem.translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9-]+", "-", stem).strip("-") + ".pdf"


def download(
    build: Callable[[], mn.Minutes], *, key: str, name_hint: tuple[str, str], help: str
) -> None:
    """The button; ``build`` describes the document at click time, then it is made."""
    now = datetime.now(UTC)

    def make() -> bytes:
        return mn.render(build())

    st.download_button(
        LABEL,
        data=make,
        file_name=file_name(*name_hint, fmt_local(now)),
        mime=mn.MIME,
        key=key,
        icon=":material/picture_as_pdf:",
        help=help,
        on_click="ignore",
    )


def fmt_local(when: datetime) -> datetime:
    return when.astimezone(fmt.LOCAL_TIME)


def page_document(
    page: str, organisation: str, sections: Sequence[mn.Section]
) -> Callable[[], mn.Minutes]:
    """A page's main view as a document (who and when are read now, in the page's run;
    the data version when the button is clicked)."""
    return _document(page, organisation, lambda: sections)


def _document(
    page: str, organisation: str, sections: Callable[[], Sequence[mn.Section]]
) -> Callable[[], mn.Minutes]:
    author = made_by()

    def build() -> mn.Minutes:
        return mn.Minutes(
            title=f"Protokollsbilaga: {page}",
            organisation=organisation,
            data=mn.data_version(),
            made_by=author,
            sections=list(sections()),
        )

    return build


# --- Scenarier -------------------------------------------------------------------------


def key_numbers_table(b: sc.Baseline, r: sc.ScenarioResult, own_others: bool) -> mn.Table:
    """Per year: net cost, change against the plan, the requirement, the result."""
    years = list(r.year_rows)
    results = {row["year"]: row for row in r.result_rows or ()}
    places = vocab.decimals(b.unit)
    rows = [
        ["Nettokostnad"] + [fmt.with_unit(y["scenario_net"], b.unit, places) for y in years],
        [f"Förändring mot {pr.reference(b)}"]
        + [f"{fmt.number(y['change'], places, signed=True)}{fmt.NBSP}{b.unit}" for y in years],
        ["Effektiviseringskrav"]
        + [
            f"{fmt.with_unit(y['requirement'], b.unit, places)} "
            f"({fmt.percent(y['requirement_percent'])})"
            for y in years
        ],
    ]
    if results:
        label = "Kommunens resultat (" + ("ert antagande" if own_others else "antagande") + ")"
        rows.append(
            [label]
            + [
                fmt.percent(results[y["year"]]["scenario_result_percent"], 2)
                if y["year"] in results
                else "–"
                for y in years
            ]
        )
    return mn.Table(["Nyckeltal"] + [y["column_label"] for y in years], rows)


def scenario_document(
    b: sc.Baseline,
    params: sc.ScenarioParams,
    result: sc.ScenarioResult,
    *,
    organisation: str,
    made_by: str,
    year_table: pl.DataFrame,
    charts: Sequence[mn.Chart],
    title: str = "Scenario",
    note: str = "",
    data: mn.DataVersion | None = None,
    made_at: datetime | None = None,
) -> mn.Minutes:
    own_others = bool(params.other_boards)
    lines = [f"Reglage: {sc.sentence(sc.describe(b, params))}."]
    if result.result_rows:
        lines.append(
            "Kommunens resultat är räknat med "
            + (
                "egna antaganden om övriga nämnders nettokostnad."
                if own_others
                else "antagandet att övriga nämnder exakt håller sina ramar (deras "
                "nettokostnad står inte i dokumenten)."
            )
        )
    sections = [
        mn.Section("Reglage", lines=lines),
        mn.Section("Nyckeltal", tables=[key_numbers_table(b, result, own_others)]),
        mn.Section("Per år", tables=[table_of(year_table)], charts=list(charts)),
        mn.Section("Antaganden", lines=[f"– {n}" for n in b.notes]),
    ]
    return mn.Minutes(
        title=f"Protokollsbilaga: {title}",
        organisation=organisation,
        data=data or mn.data_version(),
        made_by=made_by,
        sections=sections,
        made_at=made_at or datetime.now(UTC),
        note=note,
    )


def comparison_document(
    b: sc.Baseline,
    named: Sequence[tuple[str, sc.ScenarioParams]],
    *,
    organisation: str,
    made_by: str,
    table: pl.DataFrame,
    chart: mn.Chart,
) -> mn.Minutes:
    levers = [f"{name}: {sc.sentence(sc.describe(b, p))}." for name, p in named]
    return mn.Minutes(
        title="Protokollsbilaga: jämförelse av scenarier",
        organisation=organisation,
        data=mn.data_version(),
        made_by=made_by,
        sections=[
            mn.Section("Scenarierna och deras reglage", lines=levers),
            mn.Section(
                "Sida vid sida",
                lines=[
                    "Kommunens resultat vilar på antagandet att övriga nämnder exakt håller "
                    "sina ramar, om inte scenariot anger egna antaganden."
                ],
                tables=[table_of(table)],
                charts=[chart],
            ),
        ],
    )


# --- sections described by a page's presenter -----------------------------------------


def sections_of(described: Sequence[DocSection]) -> list[mn.Section]:
    """A presenter's description of the document (plain data) as the document's sections."""
    return [
        mn.Section(
            s.heading,
            lines=list(s.lines),
            tables=[table_of(t.frame, t.title) for t in s.tables],
            charts=[mn.Chart(c.figure, c.width, c.height) for c in s.charts],
        )
        for s in described
    ]


def lazy_page_document(
    page: str, organisation: str, describe: Callable[[], Sequence[DocSection]]
) -> Callable[[], mn.Minutes]:
    """As ``page_document``, with the sections described only when the button is clicked
    (a page whose document draws charts of its own costs nothing extra to show)."""
    return _document(page, organisation, lambda: sections_of(describe()))
