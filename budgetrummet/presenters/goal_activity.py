"""Mål's activity goals as text (pure, no Streamlit): the follow-up calendar in one line,
each goal's follow-up dates, its card (head, fold, history) by målområde, and what a
stored assessment is said back as. ``budgetrummet.ui.goals`` and
``budgetrummet.ui.goal_form`` render them.

What a person typed (the comment of an assessment, who made it) is never put into this
Markdown: ``ActivityCard.comment`` carries it apart for the page to show as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from budgetrummet import fmt, goals
from budgetrummet.presenters.goal_cards import (
    LIGHT_MD,
    TEXT_HEADINGS,
    area_lights,
    areas,
    kf_text,
    small,
)
from budgetrummet.presenters.goals import area_heading, history_table


def calendar_summary(calendar: pl.DataFrame, by_area: pl.DataFrame, today: date) -> str:
    """The calendar in one line: how many follow-ups are late, the next date, and those
    not counted as late because their document has been replaced. ``by_area`` is
    ``goals.calendar_by_area(calendar)`` (the page summary from the per-område one, no
    filters over the calendar again)."""
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
    return f"Per {fmt.iso_date(today)}: {late}, {coming}.{replaced}"


def date_state_text(part: pl.DataFrame) -> str:
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


@dataclass(frozen=True)
class ActivityCard:
    """One activity goal: the Markdown of its head (heading, light, dates), the comment of
    its latest assessment as plain text (None before any), the label and Markdown of its
    fold (texts, calculation) and its status history as shown (None when it has none)."""

    head: str
    comment: str | None
    fold_label: str
    fold: str
    history: pl.DataFrame | None


@dataclass(frozen=True)
class ActivityArea:
    """A målområde of activity goals: its fold's label (lights, late follow-ups), the
    council's goals above it and its cards."""

    area: str
    label: str
    kf: str | None
    cards: list[ActivityCard]


def activity_card(
    goal: dict, text: dict, n_history: int, own: pl.DataFrame | None, own_dates: pl.DataFrame
) -> ActivityCard:
    """One activity goal; ``own`` its status history as shown (``history_table``, newest
    first; None when it has none, ``n_history`` rows otherwise), ``own_dates`` its
    follow-up dates. As few blocks as the content allows (Streamlit's cost is per
    element, and the page has about 25 cards)."""
    if goal["status_date"] is None:
        status = f"{goals.LIGHT_LABELS[goal['light']]} · ingen bedömning registrerad"
    else:
        status = (
            f"{goals.LIGHT_LABELS[goal['light']]} · bedömd för {fmt.iso_date(goal['status_date'])}"
        )
    _, precision = TEXT_HEADINGS[goals.ACTIVITY]
    parts = [
        text["goal_text"],
        small(
            f"{precision}: {text['malprecisering']}  \n"
            f"Tidplan/uppföljning: {text['followup_printed']}"
        ),
        f"**Beräkning:** {goal['calculation']}",
    ]
    if own is None:
        parts.append(small("Ingen har bedömt målet ännu."))
    return ActivityCard(
        head=f"{LIGHT_MD[goal['light']]} **{goal['label']}**\n\n"
        f"{status}  \nUppföljning: {date_state_text(own_dates)}",
        comment=None
        if goal["status_date"] is None
        else f"{goal['set_by']}: {goal['status_comment']}",
        fold_label="Målet, beräkning och historik "
        f"({fmt.count(n_history, 'bedömning', 'bedömningar')})",
        fold="\n\n".join(parts),
        history=own,
    )


def by_goal(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """``frame`` split by ``goal_key``, row order kept within each goal."""
    return {
        key[0]: part
        for key, part in frame.partition_by("goal_key", as_dict=True, maintain_order=True).items()
    }


def activity_areas(
    board_doc: pl.DataFrame,
    goal_rows: pl.DataFrame,
    history: pl.DataFrame,
    calendar: pl.DataFrame,
    kf: pl.DataFrame,
) -> list[ActivityArea]:
    """The activity goals by målområde, in document order, as cards."""
    texts = {r["goal_key"]: r for r in goal_rows.iter_rows(named=True)}
    # Each goal's history (as shown) and follow-up dates, the goals and KF goals of each
    # målområde: split once, not one filter or one table build per card.
    ordered = history.sort("set_at", descending=True)
    counts = dict(ordered["goal_key"].value_counts().iter_rows())
    shown = by_goal(history_table(ordered).with_columns(goal_key=ordered["goal_key"]))
    calendars = by_goal(calendar)
    area_goals: dict[str, list[dict]] = {}
    for goal in board_doc.sort("source_line").iter_rows(named=True):
        area_goals.setdefault(goal["malomrade_no"], []).append(goal)
    kf_texts: dict[str, list[str]] = {}
    for area, text in kf.select("malomrade_no", "text").iter_rows():
        kf_texts.setdefault(area, []).append(text)
    out = []
    for area, title in areas(board_doc, kf):
        members = area_goals.get(area, [])
        overdue = sum(
            calendars[g["goal_key"]]["state"].to_list().count(goals.OVERDUE)
            for g in members
            if g["goal_key"] in calendars
        )
        late = f" · :red[:material/schedule: {overdue} försenade]" if overdue else ""
        part = pl.DataFrame(members, schema=board_doc.schema) if members else board_doc.clear()
        cards = []
        for goal in members:
            key = goal["goal_key"]
            own = shown.get(key)
            cards.append(
                activity_card(
                    goal,
                    texts[key],
                    counts.get(key, 0),
                    None if own is None else own.drop("goal_key"),
                    calendars.get(key, calendar.clear()),
                )
            )
        label = f"{area_heading(area, title)} {area_lights(part)}{late}"
        out.append(ActivityArea(area, label, kf_text(kf_texts.get(area, [])), cards))
    return out


def saved_message(saved: dict) -> str:
    """What a stored assessment is said back as: its light and follow-up date."""
    return (
        f"Sparat: {LIGHT_MD[saved['status']]} för uppföljningen "
        f"{fmt.iso_date(saved['followup_date'])}."
    )


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)
