"""Streamlit components for goals: the traffic-light grid the overview shows, the goal
cards of the Mål page, the follow-up calendar and the form that records an assessment.

The rules live in ``budgetrummet.goals`` (pure); this module only reads through
``ui.data.query``, calls the rules and renders. Text a user typed (names, comments) never
reaches Markdown: it is shown with ``st.text`` or in table cells; nothing here uses
``unsafe_allow_html``.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from budgetrummet import access, fmt, goals, vocab
from budgetrummet.charts import CHART_CONFIG
from budgetrummet.charts import goals as goal_charts
from budgetrummet.presenters import goals as pr
from budgetrummet.presenters.goals import (
    DOC_KIND_LABELS,
    area_heading,
    calendar_table,
    doc_short_name,
    history_table,
    open_items_table,
)
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.auth import current_actor, who_caption
from budgetrummet.ui.components import quality_link as dq_link
from budgetrummet.ui.data import derived, query
from budgetrummet.ui.tables import arrow
from budgetrummet.writes import goal_status

# Widget keys owned by this module.
KEY_DOC = "goals_doc"
KEY_ASOF = "goals_asof"
KEY_GOAL = "goals_goal"
KEY_DATE = "goals_date"
KEY_STATUS = "goals_status"
KEY_COMMENT = "goals_comment"
KEY_SAVE = "goals_save"
KEY_MESSAGE = "goals_message"
KEY_FORM = "goals_form"
KEY_PDF = "goals_pdf"

# The seed's goal columns carry different printed headings in different kinds of
# documents: an interim report's "Mått/metod" and "Adressering", a budget's
# "Målprecisering" and "Tidplan/uppföljning", a plan's "Plan för genomförande".
TEXT_HEADINGS = {
    goals.MEASURED: ("Mått/metod", "Adressering"),
    goals.ACTIVITY: ("", "Målprecisering"),
    goals.PRIORITY: ("Plan för genomförande", ""),
}


# Lights as Markdown badges: coloured and in words, so they read on a projector, in
# grey-scale print and for colour-blind readers alike. Yellow text is unreadable on
# white, so the yellow badge is orange.
LIGHT_MD = {
    vocab.RED: ":red-badge[:material/cancel: Röd]",
    vocab.YELLOW: ":orange-badge[:material/error: Gul]",
    vocab.GREEN: ":green-badge[:material/check_circle: Grön]",
    vocab.GREY: ":gray-badge[:material/radio_button_unchecked: Grå]",
}
ARROW_MD = {
    goals.BETTER: ":green[:material/arrow_upward:]",
    goals.SAME: ":gray[:material/arrow_forward:]",
    goals.WORSE: ":red[:material/arrow_downward:]",
}


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
        render_status_form(org_id, d.board, d.goal_rows, d.calendar)
        render_activity(d.board, d.goal_rows, p.history, d.calendar, d.kf, d.findings)
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
        counts = " · ".join(
            f"{LIGHT_MD[light]} **{fmt.number(s.counts[light])}**" for light in vocab.LIGHTS
        )
        st.markdown(
            f"**{doc_short_name(s.doc_id, s.doc_title)}** – {DOC_KIND_LABELS[s.kind]}  \n{counts}"
        )
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
        st.markdown(
            "\n".join(
                f"- {LIGHT_MD[g.light]} **{g.label}** :small[:gray[{doc_labels[g.doc_id]}]]"
                for g in group
            )
        )
    if att.red or att.yellow:
        with st.expander("Visa beräkningen bakom de röda och gula målen"):
            st.markdown(
                "\n\n".join(f"**{g.label}**  \n{g.calculation}" for g in att.red + att.yellow)
            )
    if att.overdue:
        by_doc: dict[str, int] = {}
        for item in att.overdue:
            by_doc[item.doc_id] = by_doc.get(item.doc_id, 0) + 1
        lines = [
            f":red[:material/schedule:] **{fmt.count(n, 'uppföljning', 'uppföljningar')} "
            f"försenade** i {doc_labels[doc]}, den äldsta från "
            f"{fmt.iso_date(min(i.followup_date for i in att.overdue if i.doc_id == doc))}"
            for doc, n in by_doc.items()
        ]
        st.markdown("  \n".join(lines))
        with st.expander("Visa de försenade uppföljningarna"):
            st.dataframe(arrow(pr.overdue_table(att, doc_labels)), hide_index=True, width="stretch")
    if p.superseded_open:
        st.caption(
            f"{fmt.count(p.superseded_open, 'obedömd uppföljning', 'obedömda uppföljningar')} "
            "i dokument som ersatts av ett nyare dokument av samma slag räknas inte som "
            "försenade."
        )


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


def _findings_by_area(findings: pl.DataFrame, goal_rows: pl.DataFrame) -> dict[str, list[dict]]:
    """Findings attached to the målområde whose goals stand on the finding's line."""
    out: dict[str, list[dict]] = {}
    lines = dict(zip(goal_rows["source_line"], goal_rows["malomrade_no"], strict=True))
    for f in findings.iter_rows(named=True):
        out.setdefault(lines.get(f["source_line"], ""), []).append(f)
    return out


def render_findings(items: list[dict]) -> None:
    for f in items:
        st.warning(
            f"**Datakvalitet:** {f['table_title']} · {f['line_label']}: {f['description']}.",
            icon=":material/warning:",
        )
    if items:
        dq_link()


def render_kf(kf: pl.DataFrame, area: str) -> None:
    _render_kf_texts(kf.filter(pl.col("malomrade_no") == area)["text"].to_list())


def _render_kf_texts(texts: list[str]) -> None:
    if not texts:
        return
    lines = "\n".join(f"- {text}" for text in texts)
    st.markdown(f"**Kommunfullmäktiges mål** – nämndmålen nedan tjänar dem:\n{lines}")


def _areas(board_doc: pl.DataFrame, kf: pl.DataFrame) -> list[tuple[str, str]]:
    """Målområden in document order, including those with a KF goal but no nämndmål."""
    seen: dict[str, str] = {}
    for row in board_doc.sort("source_line").iter_rows(named=True):
        seen.setdefault(row["malomrade_no"], row["malomrade_title"])
    for row in kf.iter_rows(named=True):
        seen.setdefault(row["malomrade_no"], row["malomrade_title"])
    return sorted(seen.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)


# --- measurable goals (an interim report) -------------------------------------------


def indicator_line(r: dict) -> str:
    """One indicator as a few short lines that read on a phone as well as a projector."""
    year = f" {r['outcome_year']}" if r["outcome_year"] else ""
    measured = r["outcome_printed"] not in goals.NOT_MEASURED
    parts = [
        f"Mål: {r['target_printed']}",
        f"Utfall{year}: **{r['outcome_printed']}**" if measured else f"Utfall{year}: ej mätt",
    ]
    if r["previous_printed"]:
        parts.append(f"Föregående {r['previous_year']}: {r['previous_printed']}".replace("  ", " "))
    better = "lägre är bättre" if r["better"] == "lower" else "högre är bättre"
    trend = _arrow_text(r["arrow"])
    printed = f" (rapportens pil: {r['trend_printed']})" if r["trend_printed"] else ""
    parts.append(f"Trend: {trend}{printed}")
    return (
        f"{LIGHT_MD[r['light']]} **{r['indicator_label']}**  \n"
        + " · ".join(parts)
        + f" · {better}"
    )


def render_measured(
    board_doc: pl.DataFrame,
    goal_rows: pl.DataFrame,
    indicators: pl.DataFrame,
    kf: pl.DataFrame,
    findings: pl.DataFrame,
) -> None:
    by_area = _findings_by_area(findings, goal_rows)
    render_findings(by_area.get("", []))
    texts = {r["goal_key"]: r for r in goal_rows.iter_rows(named=True)}
    for area, title in _areas(board_doc, kf):
        part = board_doc.filter(pl.col("malomrade_no") == area)
        # Folded: what needs attention is listed at the top of the page; each
        # målområde's label carries its lights so the fold hides no colour.
        with st.expander(f"{area_heading(area, title)} {area_lights(part)}"):
            render_kf(kf, area)
            render_findings(by_area.get(area, []) if area else [])
            if part.is_empty():
                st.info("Inget nämndmål är angivet för målområdet i dokumentet.")
            for goal in part.sort("source_line").iter_rows(named=True):
                _measured_card(goal, texts[goal["goal_key"]], indicators)


# Coloured text (not badges) for expander labels, which take a restricted Markdown.
LIGHT_LABEL_MD = {
    vocab.RED: (":red[:material/cancel: {n} röd]", ":red[:material/cancel: {n} röda]"),
    vocab.YELLOW: (":orange[:material/error: {n} gul]", ":orange[:material/error: {n} gula]"),
    vocab.GREEN: (
        ":green[:material/check_circle: {n} grön]",
        ":green[:material/check_circle: {n} gröna]",
    ),
    vocab.GREY: (
        ":gray[:material/radio_button_unchecked: {n} grå]",
        ":gray[:material/radio_button_unchecked: {n} grå]",
    ),
}


def area_lights(part: pl.DataFrame) -> str:
    """The lights of a målområde's goals as coloured words: "· 1 röd · 2 gröna"."""
    counts = dict(part.filter(pl.col("light").is_not_null())["light"].value_counts().iter_rows())
    words = [
        LIGHT_LABEL_MD[light][counts[light] != 1].format(n=counts[light])
        for light in vocab.LIGHTS
        if counts.get(light)
    ]
    return "".join(f" · {w}" for w in words)


def _small(text: str) -> str:
    """Small text inside a Markdown block (what ``st.caption`` shows as an
    element of its own); brackets in document text are escaped so they cannot end the
    directive early."""
    return ":small[" + text.replace("[", "\\[").replace("]", "\\]") + "]"


def _measured_card(goal: dict, text: dict, indicators: pl.DataFrame) -> None:
    """One measured goal in two elements' worth of Markdown (Streamlit's cost is per
    element): heading, light and texts; then its indicators; the calculation behind."""
    ind = indicators.filter(pl.col("goal_key") == goal["goal_key"]).sort("source_line")
    rows = list(ind.iter_rows(named=True))
    method, owner = TEXT_HEADINGS[goals.MEASURED]
    lines = []
    for r in rows:
        line = indicator_line(r)
        if r["comment"]:
            line += f"  \n:material/chat: *Kommentar i rapporten:* {r['comment']}"
        lines.append(line)
    with st.container(border=True):
        st.markdown(
            f"{LIGHT_MD[goal['light']]} **{goal['label']}**\n\n"
            f"**{goals.LIGHT_LABELS[goal['light']]}** · beräknad från {goal['indicators']} mått "
            "i rapporten\n\n"
            + _small(f"{method}: {text['goal_text']}  \n{owner}: {text['malprecisering']}")
            + "".join(f"\n\n{line}" for line in lines)
        )
        with st.expander("Visa beräkning"):
            calculations = [
                f"**{r['indicator_label']}**  \n"
                f"{LIGHT_MD[r['light']]} {r['calculation']}  \n"
                f"Trend: {r['trend_calculation']}"
                for r in rows
            ]
            st.markdown(
                "\n\n".join(
                    [
                        *calculations,
                        f"**Målet:** {goal['calculation']}",
                        _small(
                            f"Källa: {doc_short_name(goal['doc_id'], goal['doc_title'])}, "
                            f"{goal.get('place') or pr.TEXT_LINE.format(goal['source_line'])}."
                        ),
                    ]
                )
            )


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
    # The page summary from the per-område one (no filters over the calendar again).
    n_overdue = sum(by_area["overdue"].to_list())
    late = (
        f"**{fmt.count(n_overdue, 'uppföljning är försenad', 'uppföljningar är försenade')}**"
        if n_overdue
        else "inga uppföljningar är försenade"
    )
    next_dates = [d for d in by_area["next_date"].to_list() if d is not None]
    if next_dates:
        first = min(next_dates)
        n = sum(
            c
            for d, c in zip(by_area["next_date"], by_area["next_count"], strict=True)
            if d == first
        )
        coming = f"nästa är {fmt.iso_date(first)} ({n} mål)"
    else:
        coming = "inga fler uppföljningar återstår"
    n_superseded = calendar["state"].to_list().count(goals.SUPERSEDED)
    replaced = (
        f" {fmt.count(n_superseded, 'obedömd uppföljning', 'obedömda uppföljningar')} räknas "
        "inte som försenade: dokumentet är ersatt av ett nyare av samma slag."
        if n_superseded
        else ""
    )
    st.markdown(f"Per {fmt.iso_date(today)}: {late}, {coming}.{replaced}")
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


def _date_state_text(part: pl.DataFrame) -> str:
    """One goal's follow-up dates (its rows of the calendar) as one line of text."""
    items = []
    for r in part.iter_rows(named=True):
        label = goals.FOLLOWUP_LABELS[r["state"]].lower()
        if r["state"] == goals.DONE:
            label = f"{LIGHT_MD[r['status']]} {label}"
        elif r["state"] == goals.OVERDUE:
            label = f":red[:material/schedule: {label}]"
        items.append(f"{fmt.iso_date(r['followup_date'])} {label}")
    return " · ".join(items)


def render_activity(
    board_doc: pl.DataFrame,
    goal_rows: pl.DataFrame,
    history: pl.DataFrame,
    calendar: pl.DataFrame,
    kf: pl.DataFrame,
    findings: pl.DataFrame,
) -> None:
    by_area = _findings_by_area(findings, goal_rows)
    render_findings(by_area.get("", []))
    texts = {r["goal_key"]: r for r in goal_rows.iter_rows(named=True)}
    # Each goal's history (as shown) and follow-up dates, the goals and KF goals of each
    # målområde: split once, not one filter or one table build per card.
    ordered = history.sort("set_at", descending=True)
    counts = dict(ordered["goal_key"].value_counts().iter_rows())
    shown = _by_goal(history_table(ordered).with_columns(goal_key=ordered["goal_key"]))
    calendars = _by_goal(calendar)
    area_goals: dict[str, list[dict]] = {}
    for goal in board_doc.sort("source_line").iter_rows(named=True):
        area_goals.setdefault(goal["malomrade_no"], []).append(goal)
    kf_texts: dict[str, list[str]] = {}
    for area, text in kf.select("malomrade_no", "text").iter_rows():
        kf_texts.setdefault(area, []).append(text)
    for area, title in _areas(board_doc, kf):
        members = area_goals.get(area, [])
        overdue = sum(
            calendars[g["goal_key"]]["state"].to_list().count(goals.OVERDUE)
            for g in members
            if g["goal_key"] in calendars
        )
        late = f" · :red[:material/schedule: {overdue} försenade]" if overdue else ""
        part = pl.DataFrame(members, schema=board_doc.schema) if members else board_doc.clear()
        with st.expander(f"{area_heading(area, title)} {area_lights(part)}{late}"):
            _render_kf_texts(kf_texts.get(area, []))
            render_findings(by_area.get(area, []) if area else [])
            st.markdown("**Nämndmål:**")
            for goal in members:
                key = goal["goal_key"]
                own = shown.get(key)
                _activity_card(
                    goal,
                    texts[key],
                    counts.get(key, 0),
                    None if own is None else own.drop("goal_key"),
                    calendars.get(key, calendar.clear()),
                )


def _by_goal(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """``frame`` split by ``goal_key``, row order kept within each goal."""
    return {
        key[0]: part
        for key, part in frame.partition_by("goal_key", as_dict=True, maintain_order=True).items()
    }


def _activity_card(
    goal: dict, text: dict, n_history: int, own: pl.DataFrame | None, own_dates: pl.DataFrame
) -> None:
    """One activity goal; ``own`` its status history as shown (``history_table``, newest
    first; None when it has none, ``n_history`` rows otherwise), ``own_dates`` its
    follow-up dates. As few elements as the content allows (Streamlit's cost is per
    element, and the page has about 25 cards): one Markdown block for heading, light and
    dates, the comment as plain text, one block for the goal's texts and calculation."""
    with st.container(border=True):
        if goal["status_date"] is None:
            status = f"{goals.LIGHT_LABELS[goal['light']]} · ingen bedömning registrerad"
        else:
            status = (
                f"{goals.LIGHT_LABELS[goal['light']]} · bedömd för "
                f"{fmt.iso_date(goal['status_date'])}"
            )
        st.markdown(
            f"{LIGHT_MD[goal['light']]} **{goal['label']}**\n\n"
            f"{status}  \nUppföljning: {_date_state_text(own_dates)}"
        )
        if goal["status_date"] is not None:
            # What a person typed is shown as plain text, never as Markdown.
            st.text(f"{goal['set_by']}: {goal['status_comment']}")
        with st.expander(
            f"Målet, beräkning och historik ({fmt.count(n_history, 'bedömning', 'bedömningar')})"
        ):
            _, precision = TEXT_HEADINGS[goals.ACTIVITY]
            parts = [
                text["goal_text"],
                _small(
                    f"{precision}: {text['malprecisering']}  \n"
                    f"Tidplan/uppföljning: {text['followup_printed']}"
                ),
                f"**Beräkning:** {goal['calculation']}",
            ]
            if own is None:
                parts.append(_small("Ingen har bedömt målet ännu."))
            st.markdown("\n\n".join(parts))
            if own is not None:
                st.dataframe(arrow(own), hide_index=True, width="stretch")


def _save(org_id: str, goal_rows: pl.DataFrame) -> None:
    """Button callback: record the assessment, or say in Swedish why it was not stored."""
    state = st.session_state
    raw_date = state.get(KEY_DATE)
    entry = goal_status.StatusInput(
        org_id=org_id,
        goal_key=state.get(KEY_GOAL) or "",
        followup_date=date.fromisoformat(raw_date) if raw_date else None,
        status=state.get(KEY_STATUS),
        comment=state.get(KEY_COMMENT) or "",
    )
    actor = current_actor()
    try:
        row = goal_status.set_status(actor, entry, goal_rows)
    except goal_status.GoalStatusError as exc:
        state[KEY_MESSAGE] = ("error", "Bedömningen sparades inte:\n" + _bullets(exc.problems))
        return
    except access.AccessDeniedError as exc:
        state[KEY_MESSAGE] = ("error", f"Bedömningen sparades inte: {exc}")
        return
    saved = row.row(0, named=True)
    state[KEY_MESSAGE] = (
        "success",
        f"Sparat: {LIGHT_MD[saved['status']]} för uppföljningen "
        f"{fmt.iso_date(saved['followup_date'])}.",
    )
    state[KEY_COMMENT] = ""
    state[KEY_STATUS] = None


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def render_status_form(
    org_id: str, board_doc: pl.DataFrame, goal_rows: pl.DataFrame, calendar: pl.DataFrame
) -> None:
    """Record an assessment of an activity goal for one of its follow-up dates."""
    activity = board_doc.filter(pl.col("kind") == goals.ACTIVITY).sort("source_line")
    if activity.is_empty():
        return
    labels = dict(zip(activity["goal_key"], activity["label"], strict=True))
    state = st.session_state
    # A tracked expander (a key and a rerun when opened) stays open across the rerun a
    # save causes; its content is only built while it is open.
    with st.expander(
        "Registrera bedömning av ett nämndmål", key=KEY_FORM, on_change="rerun"
    ) as form:
        if not form.open:
            return
        st.caption(
            "Varje bedömning sparas med namn och tidpunkt; tidigare bedömningar finns kvar "
            "som historik. Den senaste bedömningen per mål och uppföljningsdatum gäller."
        )
        st.caption(who_caption())
        if state.get(KEY_GOAL) not in labels:
            state[KEY_GOAL] = next(iter(labels))
        goal_key = st.selectbox(
            "Mål", options=list(labels), format_func=labels.__getitem__, key=KEY_GOAL
        )
        own = calendar.filter(pl.col("goal_key") == goal_key)
        dates = [d.isoformat() for d in own["followup_date"].to_list()]
        if state.get(KEY_DATE) not in dates:
            pending = own.filter(pl.col("state") != goals.DONE)
            first = pending["followup_date"].min() if pending.height else own["followup_date"].max()
            state[KEY_DATE] = first.isoformat()
        st.selectbox("Uppföljningsdatum", options=dates, key=KEY_DATE)
        st.radio(
            "Status",
            options=list(goal_status.SETTABLE),
            format_func=goals.LIGHT_LABELS.__getitem__,
            index=None,
            horizontal=True,
            key=KEY_STATUS,
        )
        st.text_area(
            "Kommentar",
            key=KEY_COMMENT,
            max_chars=goal_status.MAX_COMMENT,
            placeholder="Vad har gjorts, vad återstår?",
        )
        st.button(
            "Spara bedömning",
            key=KEY_SAVE,
            type="primary",
            on_click=_save,
            args=(org_id, goal_rows),
        )
        message = state.pop(KEY_MESSAGE, None)
        if message:
            kind, text = message
            (st.success if kind == "success" else st.error)(text)


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
    heading, _ = TEXT_HEADINGS[goals.PRIORITY]
    for goal in part.iter_rows(named=True):
        with st.expander(f"{goal['goal_no']}. {goal['goal_title']}"):
            st.markdown(f"**{heading}:** {texts[goal['goal_key']]['goal_text']}")


def _series_point_labels(row: dict) -> list[str]:
    return [
        goals.show_value(v, p, row["unit"])
        for v, p in zip(row["values"], row["printed"], strict=True)
    ]


ARROW_COLOR = {goals.BETTER: "gron", goals.SAME: "gra", goals.WORSE: "rod"}


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


def _arrow_text(arrow: str | None) -> str:
    return f"{ARROW_MD[arrow]} {goals.ARROW_LABELS[arrow]}" if arrow else "–"


def _series_card(row: dict) -> None:
    st.markdown(f"**{row['line_label']}**")
    points = pl.DataFrame(
        {"year": row["years"], "value": row["values"], "label": _series_point_labels(row)}
    )
    fig = goal_charts.indicator_trend(
        points,
        "year",
        "value",
        "label",
        lower_is_better=row["better"] == "lower",
        highlight=ARROW_COLOR.get(row["arrow"]),
    )
    st.plotly_chart(
        fig, config=CHART_CONFIG | {"displayModeBar": False, "staticPlot": True}, theme=None
    )
    forecast = row["forecast_text"] or "–"
    if row["forecast_arrow"]:
        forecast += f" ({_arrow_text(row['forecast_arrow'])})"
    better = "lägre är bättre" if row["better"] == "lower" else "högre är bättre"
    st.markdown(
        f"Trend {row['latest_year']}: {_arrow_text(row['arrow'])} · "
        f"Prognos {row['latest_year'] + 1}: {forecast}  \n{better}"
    )
    if row["flagged"]:
        st.warning("Värdet har en anmärkning i datakvaliteten.", icon=":material/warning:")
        dq_link()
    with st.expander("Visa beräkning"):
        st.markdown(row["trend_calculation"])
        st.caption(f"Källa: rad {row['source_line']} i dokumentets textversion.")
