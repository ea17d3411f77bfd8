"""Counted nouns in Swedish."""

import pytest

from budgetrummet import fmt


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0\u00a0perioder"),
        (1, "1\u00a0period"),
        (2, "2\u00a0perioder"),
        (1200, "1\u00a0200\u00a0perioder"),
    ],
)
def test_count_picks_the_form(n: int, expected: str) -> None:
    assert fmt.count(n, "period", "perioder") == expected
