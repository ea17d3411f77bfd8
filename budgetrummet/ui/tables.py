"""Swedish-formatted tables with sign colours and a bold total row.

Figures are formatted by ``budgetrummet.fmt`` (not by the browser's locale), so a table
reads ``−5 117`` on every machine; colours and weights are applied with a pandas
Styler, which ``st.dataframe`` renders. No HTML is built from data.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import streamlit as st

from budgetrummet.charts import COLORS


def sign_colors(values: Sequence[object], *, invert: bool = False) -> list[str | None]:
    """Green for positive, red for negative (inverted when lower is better)."""
    out: list[str | None] = []
    for v in values:
        if v is None or v == 0:
            out.append(None)
        elif (v > 0) != invert:  # type: ignore[operator]
            out.append(COLORS["positiv"])
        else:
            out.append(COLORS["negativ"])
    return out


def show_table(
    display: pl.DataFrame,
    *,
    colors: dict[str, list[str | None]] | None = None,
    bold_rows: Sequence[int] = (),
    right_align: Sequence[str] = (),
    height: int | str = "auto",
    key: str | None = None,
) -> None:
    """Render ``display`` (already formatted text) with optional colours per cell."""
    frame = display.to_pandas()
    styler = frame.style
    for col, col_colors in (colors or {}).items():
        css = [f"color: {c}; font-weight: 600" if c else "" for c in col_colors]
        styler = styler.apply(lambda s, css=css: css, subset=[col], axis=0)
    if bold_rows:
        bold = set(bold_rows)
        styler = styler.apply(
            lambda row: ["font-weight: 700" if row.name in bold else "" for _ in row], axis=1
        )
    if height == "auto":
        # Show every row: a budget table is read whole, not scrolled inside a box.
        height = 35 * (len(frame) + 1) + 3
    config = {c: st.column_config.TextColumn(alignment="right") for c in right_align}
    st.dataframe(
        styler, hide_index=True, width="stretch", height=height, key=key, column_config=config
    )
