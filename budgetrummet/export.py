"""Safe exports: what goes into a CSV or Excel file the user downloads.

A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is taken
as a formula by Excel and LibreOffice (CSV/formula injection). Every exported frame
goes through ``neutralise_frame``: such text gets a leading apostrophe, which the
spreadsheet shows as the text itself. Only text columns change; amounts (integer,
float, decimal columns) stay numbers, so sums in the spreadsheet still work.

``xlsx_bytes`` writes such a frame as an Excel file, and tells the writer not to turn
any text into a formula or a link either (belt and braces: the apostrophe is what a
spreadsheet that opens a CSV copy of the same cells relies on).
"""

from __future__ import annotations

import io
import re
import unicodedata

import polars as pl
import xlsxwriter

# A cell a spreadsheet would read as a formula starts with one of these.
_PATTERN = r"^[=+\-@\t\r]"


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell neutralised; non-text columns are untouched."""
    text_columns = [
        name
        for name, dtype in frame.schema.items()
        if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)
    ]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(_PATTERN))
        .then(pl.lit("'") + pl.col(c).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in text_columns
    )


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(frame: pl.DataFrame, sheet: str = "Tabell") -> bytes:
    """``frame`` as an .xlsx file: text neutralised, amounts as numbers, one sheet."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Text stays text: never a formula, a link or a number parsed from a string.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    neutralise_frame(frame).write_excel(workbook=workbook, worksheet=sheet[:31], autofit=True)
    workbook.close()
    return buffer.getvalue()


_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")


def safe_file_name(name: str | None, fallback: str = "fil") -> str:
    """A download file name without directories, control characters or leading dots."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    return base[:120] or fallback
