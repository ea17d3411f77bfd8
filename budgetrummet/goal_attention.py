"""What a manager must see first on Mål: red goals, then yellow goals, then follow-ups
that are overdue. Pure: the board (``goals.board`` with ``label``) and the follow-up
calendar (``goals.followup_calendar``) in, plain rows out.

Documents a newer document of the same organisation and type has replaced are left out
of the overdue follow-ups (``goals.superseded_documents``); their red and yellow goals
still count, marked with the period their document covers, because a measured outcome
stays true even when a newer plan exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from budgetrummet import goals, vocab


@dataclass(frozen=True)
class AttentionGoal:
    goal_key: str
    doc_id: str
    label: str
    light: str
    calculation: str


@dataclass(frozen=True)
class OverdueFollowup:
    doc_id: str
    goal_key: str
    label: str
    followup_date: object  # datetime.date
    days_late: int


@dataclass(frozen=True)
class Attention:
    red: tuple[AttentionGoal, ...]
    yellow: tuple[AttentionGoal, ...]
    overdue: tuple[OverdueFollowup, ...]

    @property
    def empty(self) -> bool:
        return not (self.red or self.yellow or self.overdue)


def document_periods(board: pl.DataFrame) -> dict[str, str]:
    """The period each document's goals cover, from the goals' own years: ``2025`` or
    ``2024–2025``."""
    out = {}
    for doc_id, first, last in (
        board.group_by("doc_id")
        .agg(pl.col("year").min().alias("first"), pl.col("year").max().alias("last"))
        .iter_rows()
    ):
        if first is None:
            continue
        out[doc_id] = str(first) if first == last else f"{first}\u2013{last}"
    return out


def attention(board: pl.DataFrame, calendar: pl.DataFrame) -> Attention:
    """Red goals, then yellow goals (each in document order, newest document first as
    the board comes), then overdue follow-ups, longest overdue first."""
    lit = board.filter(pl.col("light").is_in([vocab.RED, vocab.YELLOW]))

    def pick(light: str) -> tuple[AttentionGoal, ...]:
        return tuple(
            AttentionGoal(r["goal_key"], r["doc_id"], r["label"], r["light"], r["calculation"])
            for r in lit.filter(pl.col("light") == light).iter_rows(named=True)
        )

    labels = dict(zip(board["goal_key"], board["label"], strict=True))
    late = calendar.filter(pl.col("state") == goals.OVERDUE).sort("followup_date", "goal_no")
    overdue = tuple(
        OverdueFollowup(
            r["doc_id"],
            r["goal_key"],
            labels.get(r["goal_key"], r["goal_title"]),
            r["followup_date"],
            -r["days"],
        )
        for r in late.iter_rows(named=True)
    )
    return Attention(pick(vocab.RED), pick(vocab.YELLOW), overdue)
