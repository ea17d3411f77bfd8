"""What goes into a page's Protokollsbilaga, as plain data (pure).

A presenter describes the document from its page's view model with these classes: the
headings, the lines of text, the tables (frames of text cells, as the page shows them)
and the charts (Plotly figures). The UI layer turns them into ``budgetrummet.minutes``
sections and renders the PDF only when the button is clicked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from budgetrummet import vocab

# A goal light in words, for a document printed without colour.
LIGHT_WORDS = {light: word.lower() for light, word in vocab.LIGHT_SHORT.items()}


@dataclass(frozen=True)
class DocTable:
    frame: pl.DataFrame
    title: str = ""


@dataclass(frozen=True)
class DocChart:
    """A Plotly figure drawn at ``width`` × ``height`` px."""

    figure: object
    width: int = 1000
    height: int = 440


@dataclass(frozen=True)
class DocSection:
    heading: str
    lines: Sequence[str] = ()
    tables: Sequence[DocTable] = ()
    charts: Sequence[DocChart] = ()


def unmarked(markdown: str) -> str:
    """A line of the page's Markdown as plain text: bold marks and escapes removed."""
    out = markdown.replace("**", "")
    for c in "\\`*_[]()!<>$~|#":
        out = out.replace("\\" + c, c)
    return out


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
