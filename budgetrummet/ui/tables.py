"""Swedish-formatted tables: sign colours where they carry meaning, marked total rows,
and an Excel download of the unformatted figures.

Figures are formatted by ``budgetrummet.fmt`` (not by the browser's locale), so a table
reads ``−5 117`` on every machine. A plain frame is what ``st.dataframe`` draws fastest;
a pandas Styler costs far more per table on every run, because Streamlit recomputes the
styles and re-renders every cell's display value (bench/README.md has the timings). So:

- a plain table goes to ``st.dataframe`` as an Arrow table (``arrow``), which it
  serialises directly; a Polars frame would first be converted to pandas;
- a total row is marked in the text: its first cell starts with ``Σ`` (``TOTAL_MARK``);
- only a table with sign colours (a change or a deviation, where red/green is the
  message) goes through a Styler, with one style function for the whole frame (the
  cheapest Styler path), and its total rows are bold as well.

No HTML is built from data. The dataframe toolbar's own CSV export is switched off in
``.streamlit/config.toml`` (it does not neutralise formula-like cells); a table given
its ``raw`` figures gets a lazy "Ladda ner (Excel)" button instead, built only when
clicked, through ``budgetrummet.export``.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import pyarrow as pa
import streamlit as st

from budgetrummet.charts import COLORS
from budgetrummet.export import XLSX_MIME, safe_file_name, xlsx_bytes

TOTAL_MARK = "Σ "


def sign_colors(values: Sequence[object], *, invert: bool = False) -> list[str | None]:
    """Green for positive, red for negative (inverted when lower is better)."""
    out: list[str | None] = []
    for v in values:
        if v is None or v == 0:
            out.append(None)
        elif (v > 0) != invert:
            out.append(COLORS["positiv"])
        else:
            out.append(COLORS["negativ"])
    return out


def arrow(frame: pl.DataFrame) -> pa.Table:
    """``frame`` as the Arrow table ``st.dataframe`` sends as it is (no pandas detour)."""
    return frame.to_arrow()


def mark_totals(display: pl.DataFrame, rows: Sequence[int]) -> pl.DataFrame:
    """``display`` with ``TOTAL_MARK`` before the first cell of each row in ``rows``."""
    if not rows or display.is_empty():
        return display
    first = display.columns[0]
    marked = set(rows)
    labels = [
        TOTAL_MARK + (v or "") if i in marked else v for i, v in enumerate(display[first].to_list())
    ]
    return display.with_columns(pl.Series(first, labels, dtype=pl.String))


def _styled(display: pl.DataFrame, colors: dict[str, list[str | None]], bold_rows: set[int]):
    """A Styler with one style function for the whole frame: sign colours, bold totals."""
    import pandas as pd

    frame = display.to_pandas()
    # The styles as plain lists, one per column, framed once (setting rows of a pandas
    # frame one by one is slow).
    styles = {}
    for col in display.columns:
        col_colors = colors.get(col) or [None] * display.height
        styles[col] = [
            ";".join(
                s
                for s in (
                    f"color: {c}; font-weight: 600" if c else "",
                    "font-weight: 700" if i in bold_rows else "",
                )
                if s
            )
            for i, c in enumerate(col_colors)
        ]
    css = pd.DataFrame(styles, index=frame.index, columns=frame.columns)
    return frame.style.apply(lambda _: css, axis=None)


def excel_button(raw: pl.DataFrame, file_name: str, *, key: str | None = None) -> None:
    """A download button for ``raw`` as .xlsx; the file is written only when clicked."""
    st.download_button(
        "Ladda ner (Excel)",
        data=lambda: xlsx_bytes(raw),
        file_name=f"{safe_file_name(file_name, 'tabell')}.xlsx",
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help="Beloppen som tal (oformaterade), så att de går att räkna med i Excel.",
    )


def show_table(
    display: pl.DataFrame,
    *,
    colors: dict[str, list[str | None]] | None = None,
    bold_rows: Sequence[int] = (),
    right_align: Sequence[str] = (),
    wide: Sequence[str] = (),
    height: int | str | None = "auto",
    width: int | str = "stretch",
    key: str | None = None,
    raw: pl.DataFrame | None = None,
    file_name: str | None = None,
) -> None:
    """Render ``display`` (already formatted text) with optional colours per cell.

    ``bold_rows`` are the total rows (marked with ``Σ``, bold where the table is
    coloured). With ``raw`` (the same table unformatted, amounts as numbers) an Excel
    download of it follows the table, named ``file_name`` (or ``key``). ``right_align``
    and ``wide`` name figure columns and long-text columns (those present are styled);
    ``height`` None leaves the height to Streamlit.
    """
    shown = mark_totals(display, bold_rows)
    colors = {c: v for c, v in (colors or {}).items() if any(v)}
    if height == "auto":
        # Show every row: a budget table is read whole, not scrolled inside a box.
        height = 35 * (shown.height + 1) + 3
    config = {c: st.column_config.TextColumn(alignment="right") for c in right_align}
    config |= {c: st.column_config.TextColumn(width="large") for c in wide if c in shown.columns}
    sized = {} if height is None else {"height": height}
    st.dataframe(
        _styled(shown, colors, set(bold_rows)) if colors else arrow(shown),
        hide_index=True,
        width=width,
        key=key,
        column_config=config,
        **sized,
    )
    if raw is not None:
        excel_button(raw, file_name or key or "tabell", key=f"{key}_xlsx" if key else None)
