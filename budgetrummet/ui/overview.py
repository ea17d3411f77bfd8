"""Översikt's loader (every query of the six tiles, through the one query cache) and its
big-screen style."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from budgetrummet import drift, finance, goals
from budgetrummet.ui.data import prepared, query


@dataclass(frozen=True)
class PageData:
    figs: pl.DataFrame
    life: pl.DataFrame
    documents: pl.DataFrame
    recon: pl.DataFrame
    uploads: pl.DataFrame
    goal_sets: list[goals.GoalSetSummary]
    fin: finance.FinanceFigures


def load(org: str) -> PageData:
    return PageData(
        figs=query("figures_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES)),
        life=query("inv_project_life", org_id=org),
        documents=query("org_documents", org_id=org),
        recon=query("reconciliation_for_org", org_id=org),
        uploads=query("upl_uploads_for_org", org_id=org),
        goal_sets=goals.grid_summary(goals.load_board(query, org), worst_n=2),
        fin=prepared(
            "figures_by_tables", finance.prepare, org_id=org, table_ids=list(finance.ALL_TABLES)
        ),
    )


def loaded_periods(org: str) -> pl.DataFrame:
    return query("upl_loaded_periods", org_id=org)


def big_screen_style() -> None:
    """On a large screen (a projector, 1920×1080) the six tiles fill the screen, in larger
    type; a laptop and a phone keep the compact layout. Static CSS, no data in it."""
    st.html(
        "<style>@media (min-width: 1600px) and (min-height: 900px) {"
        "[class*='st-key-ov_tile_'] { min-height: 40vh; }"
        "[class*='st-key-ov_tile_'] [data-testid='stMarkdownContainer'] :is(p, li) {"
        " font-size: 1.3rem; }"
        "[class*='st-key-ov_tile_'] [data-testid='stCaptionContainer'] p { font-size: 1.05rem; }"
        "[class*='st-key-ov_tile_'] [data-testid='stMetricValue'] :is(div, p) {"
        " font-size: 3.2rem !important; }"
        "}</style>"
    )
