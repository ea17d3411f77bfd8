"""A Protokollsbilaga's sections as plain data, shaped by a page's presenter.

Presenters stay pure (no store, hence no ``budgetrummet.minutes``); the UI layer turns
each ``Part`` into a ``minutes.Section`` (``budgetrummet.ui.minutes.sections_of``).
Also here: where a figure or goal of an imported file stands in it, said the same way on
every page.
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


def place_text(row: dict) -> str:
    """Where an imported figure stands: file, sheet (when the file has sheets), row and
    column heading, as ``fil.xlsx · blad Drift · rad 14 · kolumn Budget 2025``."""
    parts = [row["source_file"] or ""]
    if row.get("source_sheet"):
        parts.append(f"blad {row['source_sheet']}")
    if row.get("source_row") is not None:
        parts.append(f"rad {row['source_row']}")
    if row.get("source_column"):
        parts.append(f"kolumn {row['source_column']}")
    return " · ".join(p for p in parts if p)
