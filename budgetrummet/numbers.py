"""Parsing of figures exactly as Swedish documents and exports print them.

The seed files keep every figure as printed (``-131 346``, ``28,9``, ``−5 117``); this
module is the one place that turns such text into an exact ``Decimal``. Floats never
touch a printed figure: a total must reconcile to the krona.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Thousands separators seen in Swedish documents and exports: space, no-break space,
# narrow no-break space, thin space.
_SEPARATORS = (" ", "\u00a0", "\u202f", "\u2009")
# Minus signs: hyphen-minus, the real minus sign, en dash (Excel exports use all three).
_MINUS = ("\u2212", "\u2013")
_NUMBER = re.compile(r"^[+-]?(\d+([.]\d+)?|[.]\d+)$")


class FigureParseError(ValueError):
    """A printed figure that is not a number; the message is Swedish and user-facing."""


def parse_figure(text: str) -> Decimal:
    """Parse a printed Swedish figure into an exact Decimal.

    Accepts thousands separators (space, NBSP, narrow NBSP), a decimal comma, the
    minus sign U+2212 and a trailing percent sign. Raises ``FigureParseError`` with a
    Swedish message for anything else, so a caller can report row and column.
    """
    if text is None:
        raise FigureParseError("tomt värde")
    cleaned = text.strip()
    for sep in _SEPARATORS:
        cleaned = cleaned.replace(sep, "")
    for minus in _MINUS:
        cleaned = cleaned.replace(minus, "-")
    cleaned = cleaned.removesuffix("%").replace(",", ".")
    if not cleaned:
        raise FigureParseError("tomt värde")
    if not _NUMBER.match(cleaned):
        raise FigureParseError(f"”{text}” är inte ett tal")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards
        raise FigureParseError(f"”{text}” är inte ett tal") from exc


def decimals_of(text: str) -> int:
    """Number of decimals a figure was printed with (``28,9`` -> 1, ``-131 346`` -> 0)."""
    cleaned = text.strip().removesuffix("%")
    if "," in cleaned:
        return len(cleaned.rsplit(",", 1)[1].strip())
    if "." in cleaned:
        return len(cleaned.rsplit(".", 1)[1].strip())
    return 0


def percent_change(previous: Decimal | None, current: Decimal | None) -> Decimal | None:
    """Change in percent of the previous amount's size: (current − previous) / |previous|.

    None when either amount is missing or the previous is zero (no percentage of
    nothing). For net costs printed negative, a more negative current value gives a
    negative change: the cost grew.
    """
    if previous is None or current is None or previous == 0:
        return None
    return (current - previous) / abs(previous) * 100
