"""Streamlit components for the finance administration page: status lights, goal cards,
the link to Datakvalitet and the assumption inputs.

Widget keys are owned here (``fin_*``); assumptions live only in this session's widget
state and are never written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl
import streamlit as st

from budgetrummet import finance, fmt, vocab
from budgetrummet.charts import CHART_CONFIG
from budgetrummet.charts import finance as fin_charts
from budgetrummet.presenters import finance as pr
from budgetrummet.ui import components
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.data import derived, prepared, query
from budgetrummet.ui.tables import arrow, excel_button

BADGE_COLORS = {
    vocab.GREEN: "green",
    vocab.YELLOW: "orange",
    vocab.RED: "red",
    vocab.GREY: "gray",
}
BADGE_ICONS = {
    vocab.GREEN: ":material/check_circle:",
    vocab.YELLOW: ":material/error:",
    vocab.RED: ":material/cancel:",
    vocab.GREY: ":material/help:",
}
# Upper bound for typed-in amounts: far above any municipality's budget in tkr, so a
# slip of the keyboard (an extra few zeros) is refused rather than computed with.
MAX_TKR = 100_000_000


def status_badge(status: str) -> None:
    """The goal's light as a coloured badge with its Swedish name."""
    st.badge(
        finance.STATUS_LABELS[status],
        icon=BADGE_ICONS[status],
        color=BADGE_COLORS[status],
    )


def quality_link(text: str = "Se Datakvalitet för förklaringen") -> None:
    """A link to the Datakvalitet page, by default for the explanation of a finding."""
    components.quality_link(text)


def period_selector(periods: list[finance.Period], default: finance.Period) -> finance.Period:
    """The year the flow picture and the goal light are for, as printed column headings."""
    by_year = {p.year: p for p in periods}
    years = list(by_year)
    year = st.radio(
        "År",
        options=years,
        index=years.index(default.year),
        format_func=lambda y: by_year[y].label,
        horizontal=True,
        key="fin_ar",
        bind="query-params",
        help="Bokslut är utfall; budget och plan är beslutade belopp.",
    )
    return by_year[year]


def _amount_input(label: str, key: str, help_text: str) -> Decimal | None:
    value = st.number_input(
        label,
        min_value=0,
        max_value=MAX_TKR,
        value=None,
        step=1_000,
        key=key,
        placeholder="Inget antagande",
        help=help_text,
    )
    # Out of [0, MAX_TKR]: the browser refuses it with a message, and Streamlit resets
    # a value that reaches the server anyway to the default (no assumption).
    return None if value is None else Decimal(int(value))


def assumption_inputs(period: finance.Period, *, with_investments: bool) -> finance.Assumptions:
    """The amounts the sources do not give, typed in per year, shown as assumptions."""
    with st.container(border=True):
        st.markdown(f"**Antaganden för {period.label}** – fylls i av dig, står inte i källorna")
        cols = st.columns(2)
        with cols[0]:
            other_cost = _amount_input(
                "Övriga nämnders nettokostnad, tkr",
                f"fin_ovriga_netto_{period.year}",
                "Summan av alla andra nämnders nettokostnad samma år. Med den räknas "
                "kommunens resultat fram; utan den visas bara det som är känt.",
            )
        other_inv = None
        if with_investments:
            with cols[1]:
                other_inv = _amount_input(
                    "Övriga nämnders investeringar, tkr",
                    f"fin_ovriga_inv_{period.year}",
                    "Skattefinansierade nettoinvesteringar utöver nämndens egna, för "
                    "självfinansieringsgraden.",
                )
    return finance.Assumptions(other_boards_net_cost=other_cost, other_boards_investments=other_inv)


@dataclass(frozen=True)
class GoalCard:
    """A financial goal with its chart (a numeric target only) and its table."""

    goal: finance.GoalAssessment
    chart: object | None
    table: pl.DataFrame | None


def _card(goal: finance.GoalAssessment) -> GoalCard:
    if goal.rows.is_empty():
        return GoalCard(goal, None, None)
    chart = (
        None
        if goal.target_value is None
        else fin_charts.goal_chart(
            goal.rows,
            "label",
            "value",
            "status",
            "shown",
            target=float(goal.target_value),
            target_text=f"Mål: {goal.target}",
        )
    )
    return GoalCard(goal, chart, goal_rows_table(goal.rows, goal.value_heading))


def goal_card(card: GoalCard) -> None:
    """One financial goal: name, light, target, verdict, values and the calculation.

    A goal with a numeric target gets a small chart of its values against the target.
    """
    goal = card.goal
    with st.container(border=True):
        head = st.columns([3, 1], vertical_alignment="center")
        head[0].markdown(f"#### {goal.name}")
        with head[1]:
            status_badge(goal.status)
        # One element per block of text: every element costs the page run time.
        st.markdown(f"**Mål:** {goal.target}\n\n{goal.verdict}")
        if card.chart is not None:
            st.plotly_chart(
                card.chart,
                theme=None,
                config=CHART_CONFIG | {"displayModeBar": False},
                key=f"fin_goal_chart_{goal.key}",
            )
        if card.table is not None:
            st.dataframe(
                arrow(card.table),
                hide_index=True,
                width="stretch",
                column_config={"Kommentar": st.column_config.TextColumn(width="large")},
            )
        for note in goal.notes:
            st.info(note, icon=":material/event:")
        with st.expander("Visa beräkningen"):
            if goal.calculation:
                st.markdown("\n".join(f"- {line}" for line in goal.calculation))
            st.caption(f"Källa: {goal.source}")


def goal_rows_table(rows: pl.DataFrame, value_heading: str = "Värde") -> pl.DataFrame:
    """A goal's rows as the card's table: year, value, light, comment."""
    return rows.select(
        pl.col("label").alias("År"),
        pl.col("shown").alias(value_heading),
        pl.col("status").replace_strict(finance.STATUS_LABELS, default="").alias("Status"),
        pl.col("note").alias("Kommentar"),
    )


def flow_raw(lines: pl.DataFrame) -> pl.DataFrame:
    """``flow_table`` with the amounts as numbers (tkr as printed), for an Excel download."""
    direction = {finance.IN: "In", finance.OUT: "Ut", finance.NONE: "Noll"}
    return lines.select(
        pl.col("line_label").alias("Post"),
        pl.col("value").alias("Belopp (tryckt)"),
        pl.col("direction").replace_strict(direction, return_dtype=pl.String).alias("Riktning"),
        pl.col("source_line").cast(pl.Int32).alias("Rad i källan"),
    )


def flow_table(lines: pl.DataFrame) -> pl.DataFrame:
    """The printed posts of the flow for the chosen year, with their direction."""
    direction = {finance.IN: "In", finance.OUT: "Ut", finance.NONE: "Noll"}
    return pl.DataFrame(
        [
            {
                "Post": r["line_label"],
                "Belopp (tryckt)": fmt.tkr(r["value"]),
                "Riktning": direction[r["direction"]],
                "Rad i källan": r["source_line"],
            }
            for r in lines.iter_rows(named=True)
        ],
        schema={
            "Post": pl.String,
            "Belopp (tryckt)": pl.String,
            "Riktning": pl.String,
            "Rad i källan": pl.Int32,
        },
    )


# ---------------------------------------------------------------------------- loader


@dataclass(frozen=True)
class PageData:
    figures: finance.FinanceFigures
    findings: pl.DataFrame
    sources: pr.Sources
    worded: list


def load(org: str) -> PageData:
    """The page's queries, through the one query cache; the figures come prepared (their
    flow document, periods and look-up tables derived once per publication)."""
    tables = list(finance.ALL_TABLES)
    return PageData(
        figures=prepared("figures_by_tables", finance.prepare, org_id=org, table_ids=tables),
        findings=query("findings_by_tables", org_id=org, table_ids=tables),
        sources=pr.sources(query("sources_for_org", org_id=org)),
        worded=finance.worded_goals(query("fin_worded_goals", org_id=org)),
    )


# -------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class FlowView:
    """The flow section for one year and set of assumptions, built once per publication."""

    board: str
    balance: finance.FlowBalance
    sankey: object
    caption: str
    side_notes: list[str]
    table: pl.DataFrame
    raw: pl.DataFrame


def _flow(data: PageData, period: finance.Period, assumptions: finance.Assumptions) -> FlowView:
    figures, findings = data.figures, data.findings
    board = pr.board_name(figures, data.sources)
    year_findings = finance.findings_for(findings, period.year, finance.FINANCE_TABLES)
    flagged = not finance.serious(year_findings).is_empty()
    nodes, links = finance.flow_graph(
        figures, period, assumptions, board_name=board, flagged=flagged
    )
    lines = finance.flow_lines(figures, period)
    return FlowView(
        board=board,
        balance=finance.flow_balance(figures, period),
        sankey=fin_charts.flow_sankey(nodes, links),
        caption=pr.flow_caption(period, board, finance.sign_changes(figures), assumptions),
        side_notes=pr.side_notes(findings, period.year),
        table=flow_table(lines),
        raw=flow_raw(lines),
    )


def flow_section(
    org: str, data: PageData, period: finance.Period, assumptions: finance.Assumptions
) -> None:
    """Where the money comes from and where it goes, for one year."""
    view = derived(
        "fin_flow", lambda: _flow(data, period, assumptions), org=org, period=period,
        assumptions=assumptions,
    )  # fmt: skip
    balance = view.balance
    st.plotly_chart(
        view.sankey,
        theme=None,
        config=CHART_CONFIG | {"displayModeBar": False},
        key="fin_sankey",
    )
    st.caption(view.caption)
    cols = st.columns(3)
    cols[0].metric("In till finansförvaltningen", fmt.tkr(balance.inflows))
    cols[1].metric("Ut från finansförvaltningen", fmt.tkr(balance.outflows))
    cols[2].metric(
        "Netto till nämnderna (tryckt summa)",
        fmt.tkr(balance.printed_total),
        help="Tabellens tryckta Summa. In − ut är summan av de tryckta raderna.",
    )
    if balance.printed_figures_agree:
        st.success(
            f"In − ut = {fmt.tkr(balance.line_sum)}, samma som den tryckta summan.",
            icon=":material/check:",
        )
    else:
        st.warning(
            f"**Källan säger emot sig själv för {period.label}.** De tryckta raderna "
            f"summerar till {fmt.tkr(balance.line_sum)} (det är flödet i bilden), men "
            f"tabellens Summa är tryckt {fmt.tkr(balance.printed_total)} och "
            f"sammanställningens Nettokostnad {fmt.tkr(balance.printed_net)}. Alla tre "
            "visas; ingen siffra har rättats.",
            icon=":material/warning:",
        )
        quality_link()
    for line in view.side_notes:
        st.caption(line)
    with st.expander(f"Posterna {period.label} som tryckta"):
        st.dataframe(arrow(view.table), hide_index=True, width="stretch")
        excel_button(view.raw, f"finansforvaltning_{org}_{period.year}", key="fin_flow_xlsx")
        names = data.sources.doc_names
        st.caption(f"Källa: {names.get(period.doc_id, period.doc_id)}.")


@dataclass(frozen=True)
class TrendView:
    chart: object
    table: pl.DataFrame
    raw: pl.DataFrame
    growth: pl.DataFrame


def _trend(data: PageData, mode: str) -> TrendView:
    board = pr.board_name(data.figures, data.sources)
    trend = finance.trend(data.figures, data.findings, board_name=board)
    series = finance.trend_series(trend)
    chart = fin_charts.trend_chart(
        pr.trend_with_text(trend, mode),
        "column_label",
        "value" if mode == "belopp" else "index",
        "series_label",
        text="text",
        y_title="tkr" if mode == "belopp" else "index",
    )
    return TrendView(
        chart=chart,
        table=finance.trend_table(series),
        raw=finance.trend_raw(series),
        growth=finance.growth_table(series),
    )


def trend_section(org: str, data: PageData) -> None:
    """The printed series over the years, as amounts or as an index."""
    st.header("Utveckling")
    mode = st.radio(
        "Visa",
        options=["belopp", "index"],
        format_func={"belopp": "Belopp, tkr", "index": "Index (första året = 100)"}.get,
        horizontal=True,
        key="fin_trend_mode",
    )
    view = derived("fin_trend", lambda: _trend(data, mode), org=org, mode=mode)
    st.plotly_chart(
        view.chart,
        theme=None,
        config=CHART_CONFIG | {"displayModeBar": False},
        key="fin_trend",
    )
    st.dataframe(arrow(view.table), hide_index=True, width="stretch")
    excel_button(view.raw, f"finansutveckling_{org}", key="fin_trend_xlsx")
    st.markdown("**Förändring i procent**")
    st.dataframe(arrow(view.growth), hide_index=True, width="stretch")
    st.caption(
        "Belopp utan tecken, så att en ökning alltid är en ökning (kostnaderna är tryckta "
        "med minustecken). Skatteintäkter och generella statsbidrag är summan av två tryckta "
        "rader; övriga serier är tryckta summor. Första året är bokslut (utfall), övriga "
        "budget och plan. ⚠ = källan säger emot sig själv det året."
    )


def _cards(
    data: PageData, period: finance.Period | None, assumptions: finance.Assumptions
) -> tuple[list[GoalCard], list[GoalCard]]:
    goals, ratio_goals = pr.page_goals(
        data.figures, period, assumptions, doc_names=data.sources.doc_names, worded=data.worded
    )
    return [_card(g) for g in goals], [_card(g) for g in ratio_goals]


def goals(
    org: str, data: PageData, period: finance.Period | None, assumptions: finance.Assumptions
) -> tuple[list[GoalCard], list[GoalCard]]:
    """The goal cards (balance and ratio goals) for the year and assumptions."""
    return derived(
        "fin_goals", lambda: _cards(data, period, assumptions), org=org, period=period,
        assumptions=assumptions,
    )  # fmt: skip


def unknown_lines(
    org: str, data: PageData, period: finance.Period | None, assumptions: finance.Assumptions
) -> list[str]:
    """What the sources cannot tell, for the year and assumptions."""
    return derived(
        "fin_unknowns",
        lambda: pr.unknown_lines(data.figures, data.sources, data.worded, period, assumptions),
        org=org, period=period, assumptions=assumptions,
    )  # fmt: skip


# ------------------------------------------------------------------- Protokollsbilaga


def minutes_button(
    org: str,
    org_name: str,
    data: PageData,
    period: finance.Period | None,
    assumptions: finance.Assumptions,
) -> None:
    """The page as an A4 document; described (flow picture, trend, goals) only on click."""

    def describe() -> list:
        assessed, ratio = pr.page_goals(
            data.figures,
            period,
            assumptions,
            doc_names=data.sources.doc_names,
            worded=data.worded,
        )
        return pr.document_sections(
            data.figures,
            data.findings,
            data.sources,
            data.worded,
            period,
            assumptions,
            flow_rows=None
            if period is None
            else flow_table(finance.flow_lines(data.figures, period)),
            goals=[(g, goal_rows_table(g.rows, g.value_heading)) for g in [*assessed, *ratio]],
        )

    minutes_ui.download(
        minutes_ui.lazy_page_document("Finansförvaltning", org_name, describe),
        key="fin_pdf",
        name_hint=("finansforvaltning", org),
        help="Sidan som A4-dokument: flödet för valt år med nyckeltal, tabell och bild, "
        "utvecklingen och de finansiella målen med ljusen i ord. Dina antaganden står med.",
    )


def narrow_screen_style() -> None:
    """On a phone the flow picture keeps the width its four columns of labels need
    (720 px) and scrolls sideways, instead of drawing the labels over each other.
    Static CSS, no data in it."""
    st.html(
        "<style>@media (max-width: 720px) {"
        ".st-key-fin_sankey { overflow-x: auto; }"
        ".st-key-fin_sankey > div { min-width: 720px; }"
        "}</style>"
    )
