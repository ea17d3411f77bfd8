"""Översikt's loader (every query of the six tiles, through the one query cache), the
tiles drawn from the presenter's view model, its Protokollsbilaga and big-screen style."""

from __future__ import annotations

import streamlit as st

from budgetrummet import clock, drift, finance, goals
from budgetrummet.presenters import overview as pr
from budgetrummet.presenters.goal_cards import LIGHT_MD
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.data import derived, prepared, query

# Where each tile's link leads (the presenter names the tile, the UI its page).
LINKS = {
    "drift": ("views/drift.py", "Driftbudget"),
    "goals": ("views/goals.py", "Mål"),
    "investments": ("views/investments.py", "Investeringar"),
    "finance": ("views/finance.py", "Finansförvaltning"),
    "quality": ("views/data_quality.py", "Datakvalitet"),
}
ARROW = ":material/arrow_forward:"


def load(org: str) -> pr.Frames:
    return pr.Frames(
        figs=query("figures_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES)),
        life=query("inv_project_life", org_id=org),
        documents=query("org_documents", org_id=org),
        recon=query("reconciliation_for_org", org_id=org),
        uploads=query("upl_uploads_for_org", org_id=org),
        loaded=query("upl_loaded_periods", org_id=org),
        goal_sets=goals.grid_summary(goals.load_board(query, org), worst_n=2),
        fin=prepared(
            "figures_by_tables", finance.prepare, org_id=org, table_ids=list(finance.ALL_TABLES)
        ),
    )


def view_model(org: str, org_name: str) -> pr.Overview:
    """The six tiles, built once per organisation, day and publication of the data and
    kept in the one query cache (the view model is never changed after it is built)."""
    today = clock.today()
    return derived(
        "overview_view",
        lambda: pr.build(load(org), org_name, today.year),
        org=org,
        org_name=org_name,
        today=today,
    )


def _line(line: pr.Line) -> str:
    if line.counts:
        counts = " ".join(f"{LIGHT_MD[light]}\u00a0**{n}**" for light, n in line.counts)
        return f"{line.text}  \n{counts}"
    if line.light is not None:
        return f"{LIGHT_MD[line.light]} {line.text}"
    return line.text


def tile(t: pr.Tile, number: int) -> None:
    """One tile in a bordered box that stretches to its row's height."""
    with st.container(border=True, height="stretch", key=f"ov_tile_{number}"):
        st.markdown(f"**{t.title}**")
        if t.empty:
            st.info(t.empty)
        if t.metric is not None:
            st.metric(t.metric.label, t.metric.value)
        for line in t.lines:
            st.markdown(_line(line), help=line.help)
        for note in t.notes:
            st.caption(note)
        if t.warning:
            st.warning(t.warning)
        if t.link in LINKS:
            page, label = LINKS[t.link]
            st.page_link(page, label=label, icon=ARROW)


def minutes_button(view: pr.Overview, org: str, org_name: str) -> None:
    minutes_ui.download(
        minutes_ui.lazy_page_document("Översikt", org_name, lambda: pr.document_sections(view)),
        key="ov_pdf",
        name_hint=("oversikt", org),
        help="Översiktens sex rutor som A4-dokument: nyckeltalen, målens ljus i ord och "
        "vad siffrorna bygger på, med organisation och dataversion.",
    )


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
