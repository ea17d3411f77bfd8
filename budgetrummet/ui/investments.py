"""Investeringar's loader and its tabs: the page's queries (through the one query cache)
and the Streamlit layout of each tab, fed by ``budgetrummet.presenters.investments``."""

from __future__ import annotations

import polars as pl
import streamlit as st

from budgetrummet import investments
from budgetrummet import minutes as mn
from budgetrummet.charts.investments import deviation_chart, portfolio_chart
from budgetrummet.presenters import investments as pr
from budgetrummet.ui import components, meeting
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.data import derived, query
from budgetrummet.ui.tables import arrow, excel_button

# Columns whose text wraps (a project's or a row's name too: a long one would be cut).
WIDE_TEXT = (
    "Orsak enligt analysen",
    "Datakvalitet",
    "Så ska det läsas",
    "Andra namn i källorna",
    "Projekt",
    "Rad",
)

# ---------------------------------------------------------------------------- loader


def read_all(org: str) -> dict[str, pl.DataFrame]:
    """Every investment query for the organisation, by name."""
    return {name: query(name, org_id=org) for name in pr.QUERIES}


def documents(org: str) -> pl.DataFrame:
    return query("sources_for_org", org_id=org)


def model(org: str, frames: dict[str, pl.DataFrame]) -> pr.Page:
    """The page's view model, built once per organisation and publication (the tabs'
    tables, charts and layouts likewise, in the one query cache: a rerun lays them out)."""
    return derived("inv_page", lambda: pr.page(frames, documents(org)), org=org)


def _layout(frame: pl.DataFrame) -> pr.TableLayout:
    return pr.table_layout(frame, WIDE_TEXT)


# ---------------------------------------------------------------------------- pieces


def quality_link(org: str) -> None:
    """A link to the Datakvalitet page, for this organisation's investment findings."""
    components.quality_link("Detaljer på sidan Datakvalitet", org)


HEADER_PX, MAX_ROWS = 38, 30


def text_table(
    frame: pl.DataFrame,
    *,
    key: str,
    raw: pl.DataFrame | None = None,
    file_name: str | None = None,
    layout: pr.TableLayout | None = None,
) -> None:
    """A table of already formatted text, tall enough for every row (up to 30, then it
    scrolls); long-text columns wrap at their own width into taller rows
    (``presenters.investments.table_layout``). With ``raw`` (the same rows, amounts as
    numbers) an Excel download follows the table."""
    layout = layout or _layout(frame)
    config = {
        col: st.column_config.TextColumn(width=width)
        for col, width in layout.widths.items()
        if width is not None
    }
    st.dataframe(
        arrow(frame),
        hide_index=True,
        width="stretch",
        key=key,
        column_config=config,
        height=HEADER_PX + layout.row_px * min(max(frame.height, 1), MAX_ROWS),
        row_height=layout.row_px,
    )
    if raw is not None:
        excel_button(raw, file_name or key, key=f"{key}_xlsx")


def legend() -> None:
    st.caption(
        f"{investments.MARK_CONTRADICTION} = källan säger emot sig själv för siffran, eller "
        f"ett dokumenterat tryckfel har rättats · {investments.MARK_ROUNDING} = skillnad "
        "som bara beror på avrundning · tom ruta = inget tryckt i källan. "
        "Kolumnen Datakvalitet visar båda siffrorna och var de står."
    )


def metrics(p: pr.Page) -> None:
    """The year's headline figures as printed, with their marks."""
    if not p.metrics:
        return
    for column, m in zip(st.columns(len(p.metrics)), p.metrics, strict=True):
        column.metric(m.label, m.value, help=m.help)


# ------------------------------------------------------------------------------ tabs


def _overruns(p: pr.Page, by: str) -> tuple[pr.Overruns, object, pr.TableLayout]:
    view = pr.overruns(p, by)
    fig = deviation_chart(
        view.ranked,
        label="project",
        life="life_deviation",
        year="avvikelse",
        pct="overrun_pct",
        cause="cause",
        year_label=view.year_label,
    )
    return view, fig, _layout(view.table)


def overrun_tab(p: pr.Page, org: str, org_name: str) -> None:
    if p.plan_only:
        st.info(pr.plan_only_note(p))
        return
    by = st.radio(
        "Rangordna efter",
        options=list(investments.RANK_BY),
        format_func=pr.RANK_LABELS.get,
        horizontal=True,
        key="inv_rank",
    )
    view, fig, layout = derived("inv_overruns", lambda: _overruns(p, by), org=org, by=by)
    meeting.plot(fig, "inv_overrun_chart")
    text_table(view.table, key="inv_overrun_table", layout=layout)
    minutes_ui.download(
        minutes_ui.page_document(
            "Investeringar",
            org_name,
            [
                mn.Section(
                    "Överskridanden över projekttiden",
                    lines=view.minutes_lines,
                    tables=[minutes_ui.table_of(view.table)],
                    charts=[mn.Chart(fig, 1000, 560)],
                )
            ],
        ),
        key="inv_pdf",
        name_hint=("investeringar", org_name),
        help="Sidans huvudvy som A4-dokument: rangordningen och diagrammet, med "
        "organisation och dataversion.",
    )
    st.caption(view.how)


def _year(p: pr.Page) -> tuple[pr.YearView, pr.TableLayout, pr.TableLayout | None]:
    view = pr.year_view(p)
    items = view.reinvestment.table if view.reinvestment else None
    return view, _layout(view.table), None if items is None else _layout(items)


def year_tab(p: pr.Page, org: str, org_name: str) -> None:
    view, layout, items_layout = derived("inv_year", lambda: _year(p), org=org)
    text_table(
        view.table,
        key="inv_plan_projects" if p.plan_only else "inv_year_table",
        raw=view.raw,
        file_name=None if view.raw is None else f"investeringar_{org_name}_{p.year}",
        layout=layout,
    )
    st.caption(view.caption)
    for note in view.notes:
        st.caption(note)
    if view.reinvestment:
        with st.expander(view.reinvestment.title):
            st.markdown(view.reinvestment.summary)
            text_table(view.reinvestment.table, key="inv_reinv_items", layout=items_layout)
    if not p.plan_only:
        with st.expander("Delårsrapportens text om investeringar"):
            for text, where in view.comments:
                st.markdown(text)
                st.caption(where)


def _portfolio(p: pr.Page) -> tuple:
    view = pr.portfolio_view(p)
    fig = portfolio_chart(
        view.lines,
        view.totals,
        period="column_label",
        group="line_label",
        value="value",
        order=p.order,
    )
    return view, fig, _layout(view.table), _layout(view.planned)


def portfolio_tab(p: pr.Page, org: str) -> None:
    view, fig, layout, planned_layout = derived("inv_portfolio", lambda: _portfolio(p), org=org)
    st.subheader(view.heading)
    meeting.plot(fig, "inv_portfolio_chart")
    if view.budget_note:
        st.caption(view.budget_note)
    st.subheader("Per projekt, som tryckt")
    text_table(view.table, key="inv_portfolio_table", layout=layout)
    for note in view.notes:
        st.caption(note)
    st.subheader("Planerat i planåren")
    text_table(view.planned, key="inv_planned_table", layout=planned_layout)
    st.subheader("Ombudgetering till nästa år")
    for line in view.carry_lines:
        st.markdown(line)
    if view.carry_empty:
        st.info(view.carry_empty)
    if view.carry_caption:
        st.caption(view.carry_caption)
