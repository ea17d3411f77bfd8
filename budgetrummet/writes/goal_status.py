"""Setting the status of an activity goal: validate, check access, append to history.

An activity goal (a nämndmål without indicators) is assessed by an authorised person
per follow-up date, with a comment. Every assessment is a new row of the user table
``goal_status``; nothing is overwritten, so the history stays, and the latest row per
goal and follow-up date is the current one (``goals.current_statuses``).

Bad input raises ``GoalStatusError`` with every problem in Swedish and writes nothing.
The access check (``access.require(actor, "goal_status:set")``) runs at the point of
writing, so a change of the role rules reaches every caller.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from budgetrummet import access, goals, store, tables, vocab

TABLE = "goal_status"
PERMISSION = "goal_status:set"
SETTABLE = (vocab.GREEN, vocab.YELLOW, vocab.RED, vocab.GREY)
MAX_COMMENT = 2000


class GoalStatusError(ValueError):
    """The input cannot be stored; ``problems`` lists each reason in Swedish."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StatusInput:
    """What the user asks to record."""

    org_id: str
    goal_key: str
    followup_date: date | None
    status: str | None
    comment: str


def validate(entry: StatusInput, goal_list: pl.DataFrame) -> list[str]:
    """Every problem with ``entry`` against the organisation's goals (empty: valid)."""
    problems: list[str] = []
    matches = goal_list.filter(
        (pl.col("goal_key") == entry.goal_key) & (pl.col("org_id") == entry.org_id)
    )
    if matches.is_empty():
        problems.append("Målet finns inte för den valda organisationen.")
        goal = None
    else:
        goal = matches.row(0, named=True)
        if goals.goal_kind(goal["indicators"], goal["followup_dates"]) != goals.ACTIVITY:
            problems.append(
                "Målet har mått i rapporten; dess status beräknas och kan inte sättas för hand."
            )
            goal = None
    if entry.followup_date is None:
        problems.append("Välj ett uppföljningsdatum.")
    elif goal is not None and entry.followup_date not in goals.split_dates(goal["followup_dates"]):
        dates = ", ".join(d.isoformat() for d in goals.split_dates(goal["followup_dates"]))
        problems.append(
            f"{entry.followup_date.isoformat()} är inte ett uppföljningsdatum för målet "
            f"(målets datum: {dates})."
        )
    if entry.status not in SETTABLE:
        problems.append("Välj en status: grön, gul, röd eller grå.")
    comment = entry.comment.strip()
    if not comment:
        problems.append("Skriv en kommentar som motiverar bedömningen.")
    elif len(comment) > MAX_COMMENT:
        problems.append(f"Kommentaren får vara högst {MAX_COMMENT} tecken (nu {len(comment)}).")
    return problems


def set_status(
    actor: access.Actor | None,
    entry: StatusInput,
    goal_list: pl.DataFrame,
    *,
    now: datetime | None = None,
    root: Path | None = None,
) -> pl.DataFrame:
    """Validate ``entry``, check that ``actor`` may set goal status, and append one row.

    Returns the row written. Raises ``GoalStatusError`` (bad input) or
    ``access.AccessDeniedError`` (not allowed); in both cases nothing is written.
    """
    problems = validate(entry, goal_list)
    if problems:
        raise GoalStatusError(problems)
    goal = goal_list.filter(pl.col("goal_key") == entry.goal_key).row(0, named=True)
    actor = access.require(actor, PERMISSION, root=root)
    row = pl.DataFrame(
        [
            {
                "status_id": uuid.uuid4().hex,
                "org_id": entry.org_id,
                "doc_id": goal["doc_id"],
                "goal_key": entry.goal_key,
                "followup_date": entry.followup_date,
                "status": entry.status,
                "comment": entry.comment.strip(),
                "set_by": actor.name.strip(),
                "set_at": now or datetime.now(UTC),
            }
        ],
        schema=tables.USER_TABLES[TABLE],
    )
    store.append_rows(
        TABLE,
        row,
        action="sätt målstatus",
        who=actor.name.strip(),
        details={
            "goal_key": entry.goal_key,
            "followup_date": entry.followup_date.isoformat(),
            "status": entry.status,
        },
        root=root,
    )
    return row
