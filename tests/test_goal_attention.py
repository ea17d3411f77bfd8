"""What Mål shows first: red, yellow, overdue; superseded documents; document periods."""

from datetime import date

import polars as pl
import pytest

from budgetrummet import goal_attention, goals, vocab
from tests.test_goals import goal_list, history


def documents(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    """(doc_id, org_id, doc_type, doc_date) rows."""
    return pl.DataFrame(rows, schema=["doc_id", "org_id", "doc_type", "doc_date"], orient="row")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a newer budget of the same organisation replaces the older one
        (
            [("b24", "o", "budget", "2024-01-10"), ("b25", "o", "budget", "2025-01-07")],
            {"b24"},
        ),
        # another type does not: an interim report is no budget
        ([("b25", "o", "budget", "2025-01-07"), ("d24", "o", "delar", "2024-08-31")], set()),
        # nor another organisation's newer budget
        ([("b24", "o", "budget", "2024-01-10"), ("x25", "p", "budget", "2025-01-07")], set()),
        # the decision follows the dates, not the ids
        (
            [("zz_old", "o", "budget", "2023-01-01"), ("aa_new", "o", "budget", "2025-01-01")],
            {"zz_old"},
        ),
        ([("only", "o", "budget", "2025-01-07")], set()),
    ],
)
def test_superseded_documents(rows, expected) -> None:
    assert goals.superseded_documents(documents(*rows)) == expected


def test_follow_ups_of_a_superseded_document_are_not_overdue() -> None:
    gl = goal_list(("a", "1", "1", "2025-03-31|2025-12-31"))
    cal = goals.followup_calendar(gl, history(), date(2026, 12, 6), frozenset({"d"}))
    assert cal["state"].to_list() == [goals.SUPERSEDED, goals.SUPERSEDED]
    area = goals.calendar_by_area(cal).row(0, named=True)
    assert (area["overdue"], area["next_date"], area["total"]) == (0, None, 2)
    current = goals.followup_calendar(gl, history(), date(2026, 12, 6))
    assert current["state"].to_list() == [goals.OVERDUE, goals.OVERDUE]


def board_row(key: str, doc: str, light: str | None, year: int, line: int) -> dict:
    return {
        "goal_key": key,
        "doc_id": doc,
        "label": f"Mål {key}",
        "light": light,
        "calculation": f"regel {key}",
        "year": year,
        "source_line": line,
    }


def test_attention_lists_red_then_yellow_then_overdue_longest_first() -> None:
    board = pl.DataFrame(
        [
            board_row("y1", "d", vocab.YELLOW, 2025, 1),
            board_row("r1", "d", vocab.RED, 2025, 2),
            board_row("g1", "d", vocab.GREEN, 2025, 3),
            board_row("r2", "e", vocab.RED, 2024, 4),
            board_row("a", "d", vocab.GREY, 2025, 5),
            board_row("b", "d", vocab.GREY, 2025, 6),
        ]
    )
    cal = goals.followup_calendar(
        goal_list(("a", "1", "1", "2025-05-31"), ("b", "1", "2", "2025-03-31|2026-12-31")),
        history(),
        date(2025, 6, 10),
    )
    att = goal_attention.attention(board, cal)
    assert [g.goal_key for g in att.red] == ["r1", "r2"]
    assert [g.goal_key for g in att.yellow] == ["y1"]
    assert [(o.goal_key, o.days_late, o.label) for o in att.overdue] == [
        ("b", 71, "Mål b"),
        ("a", 10, "Mål a"),
    ]
    assert not att.empty
    quiet = goal_attention.attention(board.filter(pl.col("light") == vocab.GREEN), cal.clear())
    assert quiet.empty


def test_document_periods_from_the_goals_years() -> None:
    board = pl.DataFrame(
        [
            board_row("a", "d", None, 2025, 1),
            board_row("b", "e", None, 2024, 2),
            board_row("c", "e", None, 2025, 3),
        ]
    )
    assert goal_attention.document_periods(board) == {"d": "2025", "e": "2024\u20132025"}
