"""A Protokollsbilaga's sections as plain data, shaped by a page's presenter.

Presenters stay pure (no store, hence no ``budgetrummet.minutes``); the UI layer turns
each ``Part`` into a ``minutes.Section`` (``budgetrummet.ui.minutes.sections_of``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Part:
    """One section: a heading, lines of plain text, and titled tables of text cells."""

    heading: str
    lines: tuple[str, ...] = ()
    tables: tuple[tuple[str, pl.DataFrame], ...] = ()
