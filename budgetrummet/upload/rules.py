"""The validation rules of an upload, their Swedish names, and the limits.

Every problem found in a file is one ``Problem``: where (row and column as the user
sees them in the file), the value found, which rule it breaks and a plain Swedish
sentence. A file is stored only when it has no problem at all, so the rules are the
whole contract between the finance staff's export and the warehouse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

# Caps enforced on the server, whatever the browser's file filter says. The byte cap is
# below ``server.maxUploadSize`` in .streamlit/config.toml, so a larger file reaches the
# app and gets the app's Swedish refusal instead of Streamlit's English one.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
# An .xlsx file is a zip archive: refuse archives that inflate beyond this (zip bombs).
# Counted on the bytes really inflated, never on the sizes the archive declares (they
# can be forged). A full 200 000-row, 8-column export inflates to about 85 MB.
MAX_XLSX_INFLATED = 200 * 1024 * 1024
# Parts of that archive: a workbook has a dozen or two; thousands only cost time.
MAX_ZIP_MEMBERS = 1_000
# Columns in a table: an export has 5–30. The Excel reader builds a dense grid from the
# first to the last cell, so one cell in column XFD would mean 16 384 columns per row.
MAX_COLUMNS = 500
# Cells in a table (rows × columns, as the readers lay them out): 200 000 rows of 25
# columns. Bounds the memory of reading (a cell costs 50–100 bytes once read).
MAX_CELLS = 5_000_000
# Characters in one cell: codes, names, periods and amounts are short; a comment a few
# hundred characters. Longer is not a finance export (and would flood the messages).
MAX_CELL_CHARS = 10_000

# Characters of a cell value a message quotes: enough to recognise it, never the whole
# of a value that may be millions of characters long.
QUOTE_CHARS = 60

FILE_TYPE = "filtyp"
SIZE = "storlek"
ENCODING = "kodning"
EMPTY = "tom_fil"
FORMULA = "formel_utan_varde"
ALREADY = "redan_uppladdad"
MISSING_COLUMN = "kolumn_saknas"
FIELD_COUNT = "kolumnantal"
MISSING_VALUE = "varde_saknas"
AMOUNT = "belopp"
UNKNOWN_VERKSAMHET = "verksamhet_okand"
BAD_PERIOD = "period_ogiltig"
OUTSIDE_YEAR = "period_utanfor_ar"
DUPLICATE = "dubblett"
TOTAL_ROW = "summarad"

# Display order and the Swedish name of each rule (what the report's count table shows).
RULES: dict[str, str] = {
    FILE_TYPE: "Filtypen stöds inte",
    SIZE: "Filen är för stor",
    ENCODING: "Teckenkodningen går inte att läsa",
    EMPTY: "Filen är tom",
    FORMULA: "Formel utan sparat värde",
    ALREADY: "Filen är redan uppladdad",
    MISSING_COLUMN: "Obligatorisk kolumn saknas",
    FIELD_COUNT: "Fler fält än kolumnrubriker",
    MISSING_VALUE: "Obligatoriskt värde saknas",
    AMOUNT: "Beloppet är inte ett giltigt tal",
    UNKNOWN_VERKSAMHET: "Okänd verksamhet för organisationen",
    BAD_PERIOD: "Perioden går inte att läsa",
    OUTSIDE_YEAR: "Perioden ligger utanför året",
    DUPLICATE: "Samma nyckel på flera rader",
    TOTAL_ROW: "Summaraden stämmer inte med raderna",
}

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "rule": pl.String,
    "message": pl.String,
}


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``row`` is the 1-based row in the file (None for the whole file)."""

    rule: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """A value as a message quotes it: at most ``limit`` characters, then "…"."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A quotation in a message (”…”) longer than QUOTE_CHARS: its start is kept.
_LONG_QUOTE = f"”([^”]{{{QUOTE_CHARS - 1}}})[^”]+”"


def shorten_message(message: str) -> str:
    """Every ”…” quotation in a message cut as ``quote`` cuts a value."""
    return re.sub(_LONG_QUOTE, lambda m: f"”{m.group(1)}…”", message)


def shorten_message_expr(message: pl.Expr) -> pl.Expr:
    """``shorten_message`` on a column of messages."""
    return message.str.replace_all(_LONG_QUOTE, "”${1}…”")


def quote_expr(value: pl.Expr) -> pl.Expr:
    """``quote`` on a column of values (a null stays null)."""
    return (
        pl.when(value.str.len_chars() > QUOTE_CHARS)
        .then(value.str.slice(0, QUOTE_CHARS - 1) + pl.lit("…"))
        .otherwise(value)
    )


class UploadRefusedError(RuntimeError):
    """A write was refused (invalid file, identical file, wrong state); Swedish message."""


def problems_frame(problems: list[Problem] | tuple[Problem, ...]) -> pl.DataFrame:
    """Problems as a frame with the report's columns (empty frame when there are none);
    quoted cell values are shortened (``quote``)."""
    return pl.DataFrame(
        {
            "row": [p.row for p in problems],
            "column": [p.column for p in problems],
            "value": [None if p.value is None else quote(p.value) for p in problems],
            "rule": [p.rule for p in problems],
            "message": [shorten_message(p.message) for p in problems],
        },
        schema=PROBLEM_SCHEMA,
    )


def sort_problems(frame: pl.DataFrame) -> pl.DataFrame:
    """File-level problems first, then by row, then in rule order."""
    order = {rule: i for i, rule in enumerate(RULES)}
    return (
        frame.with_columns(
            _order=pl.col("rule").replace_strict(order, default=len(order), return_dtype=pl.Int32)
        )
        .sort(["row", "_order", "column"], nulls_last=False)
        .drop("_order")
    )


def rule_counts(problems: pl.DataFrame) -> pl.DataFrame:
    """Number of problems per rule, in rule order: columns ``rule``, ``label``, ``count``."""
    counts = problems.group_by("rule").agg(pl.len().cast(pl.Int64).alias("count"))
    present = dict(zip(counts["rule"].to_list(), counts["count"].to_list(), strict=True))
    rows = [
        {"rule": rule, "label": label, "count": present[rule]}
        for rule, label in RULES.items()
        if rule in present
    ]
    return pl.DataFrame(rows, schema={"rule": pl.String, "label": pl.String, "count": pl.Int64})
