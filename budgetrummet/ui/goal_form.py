"""The form on Mål that records an assessment of an activity goal for one of its
follow-up dates. The write happens in ``budgetrummet.writes.goal_status``, behind the
access check and audited; a refusal is said back in Swedish and nothing is stored.

Widget keys are owned here (``goals_*`` of the form).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from budgetrummet import access, goals
from budgetrummet.presenters import goal_activity as activity
from budgetrummet.ui.auth import current_actor, who_caption
from budgetrummet.writes import goal_status

KEY_GOAL = "goals_goal"
KEY_DATE = "goals_date"
KEY_STATUS = "goals_status"
KEY_COMMENT = "goals_comment"
KEY_SAVE = "goals_save"
KEY_MESSAGE = "goals_message"
KEY_FORM = "goals_form"


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
        state[KEY_MESSAGE] = (
            "error",
            "Bedömningen sparades inte:\n" + activity.bullets(exc.problems),
        )
        return
    except access.AccessDeniedError as exc:
        state[KEY_MESSAGE] = ("error", f"Bedömningen sparades inte: {exc}")
        return
    state[KEY_MESSAGE] = ("success", activity.saved_message(row.row(0, named=True)))
    state[KEY_COMMENT] = ""
    state[KEY_STATUS] = None


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
