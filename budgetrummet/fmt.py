"""Swedish number and date format, in one place.

``115 021 tkr``, ``1,7 %``, ``−5 117``: a no-break space groups thousands (so a figure
never wraps across lines), a decimal comma, and the real minus sign U+2212. Every page
and chart label goes through these functions; Plotly gets the same convention through
``layout.separators`` in ``budgetrummet.charts``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

NBSP = "\u00a0"
MINUS = "\u2212"
EMPTY = "–"


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def number(value: object, decimals: int = 0, *, signed: bool = False) -> str:
    """``-5117`` -> ``−5 117``; ``1.66`` with 1 decimal -> ``1,7``; None -> ``–``.

    Rounds half away from zero, as Swedish financial reports do. ``signed`` adds a
    plus sign to positive numbers (for deviations).
    """
    if value is None:
        return EMPTY
    d = _to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    negative = d < 0
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups) + ("," + frac if decimals > 0 else "")
    if negative and d != 0:
        return MINUS + text
    if signed and d > 0:
        return "+" + text
    return text


def tkr(value: object, *, signed: bool = False) -> str:
    """``115021`` -> ``115 021 tkr``."""
    return EMPTY if value is None else f"{number(value, 0, signed=signed)}{NBSP}tkr"


def mkr(value: object, decimals: int = 1) -> str:
    """``-256.8`` -> ``−256,8 mkr``."""
    return EMPTY if value is None else f"{number(value, decimals)}{NBSP}mkr"


def percent(value: object, decimals: int = 1, *, signed: bool = False) -> str:
    """``1.7`` -> ``1,7 %`` (the value is already in percent)."""
    return EMPTY if value is None else f"{number(value, decimals, signed=signed)}{NBSP}%"


UNIT_SUFFIX = {"tkr": "tkr", "mkr": "mkr", "kr": "kr", "procent": "%"}


def with_unit(value: object, unit: str, decimals: int = 0) -> str:
    """A figure in its own unit: tkr, mkr, kr, % (index, placering and antal bare)."""
    if value is None:
        return EMPTY
    suffix = UNIT_SUFFIX.get(unit)
    text = number(value, decimals)
    return f"{text}{NBSP}{suffix}" if suffix else text


# Stored timestamps are UTC; people read Swedish time (the tzdata package backs the
# system's time-zone database, so this works on a machine without one).
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def iso_date(value: date | datetime | str | None) -> str:
    """Dates as ``2025-03-31``; timestamps as ``2025-03-31 14:05`` in Swedish time.

    A timestamp with a time zone (everything the store writes is UTC) is shown in
    Europe/Stockholm time, so every page shows the same moment the same way.
    """
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TIME)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def count(n: int, one: str, many: str) -> str:
    """``1 period``, ``3 perioder``: a count with the right Swedish form of its noun."""
    return f"{number(n)}{NBSP}{one if n == 1 else many}"


# Characters Streamlit's Markdown gives a meaning to.
_MARKDOWN = set("\\`*_[]()!<>$~|#")


def plain(text: object) -> str:
    """Text shown as typed, never as Markdown: a name or a typed value cannot add a link,
    an image or formatting to a message."""
    return "".join("\\" + c if c in _MARKDOWN else c for c in str(text))


# The superuser's account is not a person: a write the local administrator made under it
# is shown as theirs.
LOCAL_ADMIN = "lokal administratör"
SYSTEM_ACCOUNTS = frozenset({"root"})


def person(name: str | None) -> str:
    """Who did something, as the pages name them: the name registered with the write,
    the local administrator for the superuser account, ``–`` for nobody."""
    if name is None or not name.strip():
        return EMPTY
    text = name.strip()
    if text in SYSTEM_ACCOUNTS or text.casefold() == LOCAL_ADMIN.casefold():
        return LOCAL_ADMIN
    return text


def file_size(size: int) -> str:
    """Bytes in Swedish: ``512 byte``, ``0,9 kB``, ``1,2 MB``."""
    if size < 1000:
        return f"{number(size)}{NBSP}byte"
    if size < 1_000_000:
        return f"{number(Decimal(size) / 1000, 1)}{NBSP}kB"
    return f"{number(Decimal(size) / 1_000_000, 1)}{NBSP}MB"
