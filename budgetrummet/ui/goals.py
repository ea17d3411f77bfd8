"""Streamlit components for goals: the traffic-light grid the overview shows, the goal
cards of the Mål page and the follow-up calendar (the form that records an assessment is
``budgetrummet.ui.goal_form``).

The rules live in ``budgetrummet.goals`` (pure), the page's view model in
``budgetrummet.presenters.goals`` and the cards' text in
``budgetrummet.presenters.goal_cards`` and ``goal_activity``; this module reads through
``ui.data.query``, has them built and renders. Text a user typed (names, comments)
never reaches Markdown: it is shown with ``st.text`` or in table cells; nothing here uses
``unsafe_allow_html``.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from budgetrummet import fmt, goals, vocab
from budgetrummet.charts import CHART_CONFIG
from budgetrummet.charts import goals as goal_charts
from budgetrummet.presenters import goal_activity as activity
from budgetrummet.presenters import goal_cards as cards
from budgetrummet.presenters import goals as pr
from budgetrummet.presenters.goal_cards import LIGHT_MD
from budgetrummet.presenters.goals import area_heading, calendar_table, open_items_table
from budgetrummet.ui import goal_form
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.components import quality_link as dq_link
from budgetrummet.ui.data import derived, query
from budgetrummet.ui.tables import arrow

# Widget keys owned by this module.
KEY_DOC = "goals_doc"
KEY_ASOF = "goals_asof"
KEY_PDF = "goals_pdf"


def load_board(org_id: str) -> pl.DataFrame:
    """Every goal of the organisation with its light (``goals.board``), labelled."""
    return goals.with_display_numbers(goals.load_board(query, org_id))


# ---------------------------------------------------------------------------- loader


def load_page(org_id: str) -> pr.Page:
    """The organisation's goals, texts and status history, and what needs attention, as
    of the day the calendar counts from."""
    # Built once per organisation, day and publication, kept in the one query cache
    # (the view model is never changed after it is built).
    as_of = as_of_value()
    return derived(
        "goals_page",
        lambda: pr.page(
            load_board(org_id),
            query("goal_list", org_id=org_id),
            query("goal_status_history", org_id=org_id),
            as_of,
            query("goal_places", org_id=org_id),
        ),
        org_id=org_id,
        as_of=as_of,
    )


def load_document(org_id: str, p: pr.Page, doc_id: str) -> pr.Document:
    """The goal set ``doc_id`` with its KF goals, findings and evaluated indicators."""
    return derived(
        "goals_document",
        lambda: pr.document(
            p,
            doc_id,
            kf=query("goal_kf_list", org_id=org_id),
            findings=query("goal_findings", org_id=org_id),
            indicators=query("goal_indicator_list", org_id=org_id),
        ),
        org_id=org_id,
        doc_id=doc_id,
        as_of=p.today,
    )


def indicator_series(org_id: str) -> pl.DataFrame:
    return query("goal_indicator_series", org_id=org_id)


# ---------------------------------------------------------------------------- layout


def choose_document(p: pr.Page) -> str:
    """The goal set to show: a choice when the organisation has several documents."""
    if len(p.doc_names) > 1:
        return st.radio(
            "Dokument",
            options=list(p.doc_names),
            format_func=p.doc_names.__getitem__,
            horizontal=True,
            key=KEY_DOC,
        )
    doc_id = next(iter(p.doc_names))
    st.markdown(f"**{p.doc_names[doc_id]}**")
    return doc_id


def render_document(org_id: str, p: pr.Page, d: pr.Document) -> None:
    """Every goal of the set: counts and rules, then the goals by kind."""
    if d.shows_lights:
        render_counts(d.board)
        render_rules()
    if goals.MEASURED in d.kinds:
        render_measured(d.board, d.goal_rows, d.indicators, d.kf, d.findings)
    if goals.ACTIVITY in d.kinds:
        render_calendar(d.calendar, p.today, d.goal_labels, d.label)
        goal_form.render_status_form(org_id, d.board, d.goal_rows, d.calendar)
        render_activity(*activity_view(org_id, p, d))
    if goals.PRIORITY in d.kinds:
        render_indicator_series(goals.of_document(indicator_series(org_id), d.doc_id))
        render_priorities(d.board, d.goal_rows)
    with st.expander("Alla mål och mått i dokumentet som tabell"):
        st.dataframe(arrow(pr.board_table(d.board)), hide_index=True, width="stretch")
        if not d.indicators.is_empty():
            st.dataframe(arrow(pr.indicator_table(d.indicators)), hide_index=True, width="stretch")


def minutes_button(org_id: str, p: pr.Page, org_name: str) -> None:
    """Protokollsbilaga: what needs attention, then the rest summarised."""
    minutes_ui.download(
        minutes_ui.lazy_page_document(
            "Mål", org_name, lambda: pr.minutes_parts(p, indicator_series(org_id))
        ),
        key=KEY_PDF,
        name_hint=("mal", org_id),
        help="De mål som behöver uppmärksamhet (röda, gula och försenade uppföljningar, "
        "färgen i ord) och en sammanfattning av övriga mål, som A4-dokument med "
        "organisation och dataversion.",
    )


def goal_grid(org_id: str, worst_n: int = 3) -> list[goals.GoalSetSummary]:
    """The compact traffic-light grid: per goal set, counts of red/yellow/green/grey
    and the worst goals. Returns the summaries it rendered (for the caller's tests)."""
    summaries = goals.grid_summary(load_board(org_id), worst_n)
    if not summaries:
        st.caption(
            "Inga mål med trafikljus för den här organisationen (dokumenten anger "
            "prioriterade inriktningar, inte mätbara mål)."
        )
        return summaries
    for s in summaries:
        st.markdown(cards.grid_heading(s))
        for w in s.worst:
            st.markdown(f"{LIGHT_MD[w.light]} {w.label}", help=w.calculation)
    return summaries


def render_attention(p: pr.Page) -> None:
    """The top of Mål: red goals, then yellow goals, then overdue follow-ups, each with
    its colour and the document (and period) it belongs to."""
    att, doc_labels = p.attention, p.doc_labels
    st.subheader("Behöver uppmärksamhet")
    if att.empty and not p.has_lights:
        st.info(
            "Dokumenten anger inga mål med trafikljus och inga uppföljningsdatum; "
            "indikatorernas trender står under Alla mål.",
            icon=":material/info:",
        )
    elif att.empty:
        st.success(
            "Inga röda eller gula mål och inga försenade uppföljningar per "
            f"{fmt.iso_date(p.today)}.",
            icon=":material/check_circle:",
        )
    for group in (att.red, att.yellow):
        if not group:
            continue
        st.markdown(cards.attention_list(group, doc_labels))
    if att.red or att.yellow:
        with st.expander("Visa beräkningen bakom de röda och gula målen"):
            st.markdown(cards.attention_calculations(att))
    if att.overdue:
        st.markdown(cards.overdue_lines(att, doc_labels))
        with st.expander("Visa de försenade uppföljningarna"):
            st.dataframe(arrow(pr.overdue_table(att, doc_labels)), hide_index=True, width="stretch")
    if p.superseded_open:
        st.caption(cards.superseded_note(p.superseded_open))


def render_rules() -> None:
    with st.expander("Så bedöms målen – regler för färg och trendpil"):
        for paragraph in goals.rules_text():
            st.markdown(paragraph)


def render_counts(board_doc: pl.DataFrame) -> None:
    """Four metrics: how many goals of the shown set are red, yellow, green and grey."""
    # A horizontal container wraps on a phone instead of stacking four tall metrics.
    counts = dict(board_doc["light"].value_counts().iter_rows())
    with st.container(horizontal=True, gap="medium"):
        for light in vocab.LIGHTS:
            n = counts.get(light, 0)
            st.metric(LIGHT_MD[light], fmt.number(n), help=goals.LIGHT_LABELS[light], width=120)


def render_findings(items: list[dict]) -> None:
    for f in items:
        st.warning(cards.finding_text(f), icon=":material/warning:")
    if items:
        dq_link()


def render_kf(text: str | None) -> None:
    """The council's goals above a målområde's nämndmål (``goal_cards.kf_text``)."""
    if text:
        st.markdown(text)


# --- measurable goals (an interim report) -------------------------------------------


def render_measured(
    board_doc: pl.DataFrame,
    goal_rows: pl.DataFrame,
    indicators: pl.DataFrame,
    kf: pl.DataFrame,
    findings: pl.DataFrame,
) -> None:
    by_area = cards.findings_by_area(findings, goal_rows)
    render_findings(by_area.get("", []))
    texts = {r["goal_key"]: r for r in goal_rows.iter_rows(named=True)}
    for area, title in cards.areas(board_doc, kf):
        part = board_doc.filter(pl.col("malomrade_no") == area)
        # Folded: what needs attention is listed at the top of the page; each
        # målområde's label carries its lights so the fold hides no colour.
        with st.expander(f"{area_heading(area, title)} {cards.area_lights(part)}"):
            render_kf(cards.kf_text(kf.filter(pl.col("malomrade_no") == area)["text"].to_list()))
            render_findings(by_area.get(area, []) if area else [])
            if part.is_empty():
                st.info("Inget nämndmål är angivet för målområdet i dokumentet.")
            for goal in part.sort("source_line").iter_rows(named=True):
                body, calculation = cards.measured_card(goal, texts[goal["goal_key"]], indicators)
                with st.container(border=True):
                    st.markdown(body)
                    with st.expander("Visa beräkning"):
                        st.markdown(calculation)


# --- activity goals (nämndmål set by a person) ---------------------------------------


def as_of_value() -> date:
    """The day the calendar counts from, as chosen in ``as_of_date`` (today before the
    widget has been drawn): the top of the page needs it before the widget is shown."""
    chosen = st.session_state.get(KEY_ASOF)
    return chosen if isinstance(chosen, date) else date.today()


def as_of_date() -> date:
    """The day the follow-up calendar is computed for (today unless chosen)."""
    return st.date_input(
        "Kalendern per datum",
        value="today",
        key=KEY_ASOF,
        format="YYYY-MM-DD",
        help="Vilka uppföljningar som är försenade eller kommande räknas från detta datum.",
        width=220,
    )


def render_calendar(
    calendar: pl.DataFrame, today: date, labels: dict[str, str], doc_name: str = ""
) -> None:
    st.subheader("Uppföljningskalender")
    if doc_name:
        st.caption(doc_name)
    as_of_date()
    if calendar.is_empty():
        st.info("Målen har inga uppföljningsdatum.")
        return
    by_area = goals.calendar_by_area(calendar)
    st.markdown(activity.calendar_summary(calendar, by_area, today))
    with st.expander("Visa kalendern per målområde"):
        st.dataframe(arrow(calendar_table(by_area)), hide_index=True, width="stretch")
    open_items = calendar.filter(pl.col("state") != goals.DONE)
    if not open_items.is_empty():
        with st.expander(
            f"Visa de {fmt.count(open_items.height, 'uppföljning', 'uppföljningar')} "
            "som inte är bedömda"
        ):
            st.dataframe(
                arrow(open_items_table(open_items, labels)), hide_index=True, width="stretch"
            )


def activity_view(
    org_id: str, p: pr.Page, d: pr.Document
) -> tuple[dict, list[activity.ActivityArea]]:
    """The activity goals' findings by målområde and their cards, once per document,
    day and publication (in the one query cache)."""
    return derived(
        "goals_activity",
        lambda: (
            cards.findings_by_area(d.findings, d.goal_rows),
            activity.activity_areas(d.board, d.goal_rows, p.history, d.calendar, d.kf),
        ),
        org_id=org_id,
        doc_id=d.doc_id,
        as_of=p.today,
    )


def render_activity(by_area: dict, areas: list[activity.ActivityArea]) -> None:
    render_findings(by_area.get("", []))
    for area in areas:
        with st.expander(area.label):
            render_kf(area.kf)
            render_findings(by_area.get(area.area, []) if area.area else [])
            st.markdown("**Nämndmål:**")
            for card in area.cards:
                _activity_card(card)


def _activity_card(card: activity.ActivityCard) -> None:
    """One activity goal in as few elements as the content allows (Streamlit's cost is
    per element, and the page has about 25 cards)."""
    with st.container(border=True):
        st.markdown(card.head)
        if card.comment is not None:
            # What a person typed is shown as plain text, never as Markdown.
            st.text(card.comment)
        with st.expander(card.fold_label):
            st.markdown(card.fold)
            if card.history is not None:
                st.dataframe(arrow(card.history), hide_index=True, width="stretch")


# --- priorities and indicator series (a verksamhetsplan) -----------------------------


def render_priorities(board_doc: pl.DataFrame, goal_rows: pl.DataFrame) -> None:
    texts = {r["goal_key"]: r for r in goal_rows.iter_rows(named=True)}
    part = board_doc.filter(pl.col("kind") == goals.PRIORITY).sort("source_line")
    if part.is_empty():
        return
    title = part["malomrade_title"][0]
    st.subheader(f"{title} och plan för genomförande")
    st.caption(
        "Inriktningarna är inte mätbara mål med målvärden och får därför inget trafikljus; "
        "uppföljningen sker i verksamhetsuppföljningen."
    )
    heading, _ = cards.TEXT_HEADINGS[goals.PRIORITY]
    for goal in part.iter_rows(named=True):
        with st.expander(f"{goal['goal_no']}. {goal['goal_title']}"):
            st.markdown(f"**{heading}:** {texts[goal['goal_key']]['goal_text']}")


def render_indicator_series(series: pl.DataFrame) -> None:
    """Small multiples: each indicator's printed values, trend arrow and forecast."""
    if series.is_empty():
        return
    table = goals.indicator_series(series)
    years = sorted({y for ys in table["years"].to_list() for y in ys})
    st.subheader(f"Indikatorer {years[0]}–{years[-1]}")
    st.caption(
        "Värden som de står i verksamhetsplanen, med planens prognos för nästa år. För "
        "placeringar i en rankning är lägre bättre; deras axel är vänd så att uppåt alltid "
        "betyder bättre."
    )
    rows = table.to_dicts()
    # Rows of three columns, so that a phone (where columns stack) keeps document order.
    for start in range(0, len(rows), 3):
        cols = st.columns(3)
        for col, row in zip(cols, rows[start : start + 3], strict=False):
            with col, st.container(border=True):
                _series_card(row)


def _series_card(row: dict) -> None:
    st.markdown(f"**{row['line_label']}**")
    points = pl.DataFrame(
        {"year": row["years"], "value": row["values"], "label": cards.series_point_labels(row)}
    )
    fig = goal_charts.indicator_trend(
        points,
        "year",
        "value",
        "label",
        lower_is_better=row["better"] == "lower",
        highlight=cards.ARROW_COLOR.get(row["arrow"]),
    )
    st.plotly_chart(
        fig, config=CHART_CONFIG | {"displayModeBar": False, "staticPlot": True}, theme=None
    )
    st.markdown(cards.series_trend_text(row))
    if row["flagged"]:
        st.warning("Värdet har en anmärkning i datakvaliteten.", icon=":material/warning:")
        dq_link()
    with st.expander("Visa beräkning"):
        st.markdown(row["trend_calculation"])
        st.caption(f"Källa: rad {row['source_line']} i dokumentets textversion.")
