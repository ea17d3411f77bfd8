"""Shared by the scenario modules: lever ranges, limits and the input error."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Lever ranges in percent (the sliders step by 0,1 %; links may carry one decimal).
REQUIREMENT_MIN, REQUIREMENT_MAX = Decimal("0"), Decimal("5")
INDEX_MIN, INDEX_MAX = Decimal("-5"), Decimal("5")
# A cost risk or another board's net cost is at most this many of the document's unit
# (one billion kronor in tkr): beyond it a typed amount is surely a typo.
AMOUNT_LIMIT = Decimal("1000000")
NAME_MAX = 80


class ScenarioInputError(ValueError):
    """Levers, a link or a saved scenario that cannot be used; Swedish messages for the user."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))
