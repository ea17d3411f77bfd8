"""The unit of a file's amounts, read from its headings: kr, tkr or mkr.

Finance reports state their unit in a column heading (``Verksamheter (tkr)``,
``Belopp, kr``) or in a title line above the table (``Miljoner kronor``). The unit
found is a suggestion shown with where it was found; the user can always override it.
Patterns are matched on the casefolded text, longest unit first, so ``mnkr`` is never
read as ``kr``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

KR = "kr"
TKR = "tkr"
MKR = "mkr"
UNITS = (KR, TKR, MKR)
FACTOR = {KR: Decimal(1), TKR: Decimal(1000), MKR: Decimal(1_000_000)}
LABELS = {KR: "kronor (kr)", TKR: "tusental kronor (tkr)", MKR: "miljoner kronor (mkr)"}

# Word-bounded (letters, not digits, count as word characters: ``2025tkr`` is a unit).
_B = r"(?<![a-zåäö])"
_E = r"(?![a-zåäö])"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (MKR, re.compile(rf"{_B}(mnkr|mkr|msek|mn\s?kr|miljoner\s+(kronor|kr)){_E}")),
    (TKR, re.compile(rf"{_B}(tkr|tsek|t\s?kr|(tusen|tusental|tusentals)\s+(kronor|kr)){_E}")),
    (KR, re.compile(rf"{_B}(kr|kronor|sek){_E}")),
)  # fmt: skip


@dataclass(frozen=True)
class FoundUnit:
    """A unit and the text it was read from (a heading or a title line)."""

    unit: str
    text: str
    where: str

    def describe(self) -> str:
        return f"{LABELS[self.unit]}, enligt {self.where} ”{self.text}”"


def unit_in(text: str) -> str | None:
    """The unit a text names (``Investeringar (mnkr)`` -> ``mkr``), else None."""
    folded = " ".join(text.casefold().split())
    for unit, pattern in _PATTERNS:
        if pattern.search(folded):
            return unit
    return None


def detect(
    headers: Sequence[str], amount_column: int | None, preamble: Sequence[str] = ()
) -> FoundUnit | None:
    """The unit stated for the amounts: the amount heading first, then the other
    headings, then the title lines above the table (None when nothing states one)."""
    order: list[tuple[str, str]] = []
    if amount_column is not None and 0 <= amount_column < len(headers):
        order.append((headers[amount_column], "kolumnrubriken"))
    order.extend((h, "kolumnrubriken") for i, h in enumerate(headers) if i != amount_column)
    order.extend((line, "raden") for line in preamble)
    for text, where in order:
        unit = unit_in(text)
        if unit is not None:
            return FoundUnit(unit=unit, text=" ".join(text.split()), where=where)
    return None


def strip_unit(header: str) -> str:
    """A heading without its unit and year: ``Verksamheter (tkr)`` -> ``Verksamheter``,
    ``Utfall 2025`` -> ``Utfall`` (for recognising which field a column is)."""
    text = re.sub(r"\((?:[^()]*)\)", " ", header)
    text = re.sub(r"(?<!\d)(19|20)\d{2}(?!\d)", " ", text)
    folded = text.casefold()
    for _, pattern in _PATTERNS:
        folded = pattern.sub(" ", folded)
    return " ".join(folded.strip(" ,;:-–").split())


def year_in(header: str) -> int | None:
    """The year a heading names (``Utfall 2025`` -> 2025), when it names exactly one."""
    years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", header))
    return int(years.pop()) if len(years) == 1 else None
