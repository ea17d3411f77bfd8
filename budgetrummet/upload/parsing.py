"""Cells as exports print them -> typed values, column at a time (Polars expressions).

Amounts: thousands separated by space, no-break space (U+00A0), narrow no-break space
(U+202F) or thin space; minus as ``-``, U+2212 or an en dash; a decimal comma or a
decimal point, decided once per file (``detect_decimal_mark``) so that ``1.234`` is never
read one way on one row and another way on the next. Everything is exact Decimal.

Periods: ``YYYYMM``, ``YYYY-MM``, ``YYYY-M``, ``YYYY_M``, ``YYYYMmm`` (``2025M01``),
``jan 2025`` / ``januari 2025``, ``YYYYMMDD``, ``YYYY-MM-DD`` (also with a time, as Excel
dates arrive, or as Excel's day number), or year and month in separate columns (month as
``3``, ``03``, ``mar`` or ``mars``).

Codes and names: ``46362 Köp medicinskt färdigbeh`` is code ``46362`` and name
``Köp medicinskt färdigbeh``; ``0180`` stays ``0180``.

Each parser returns the value and, per cell, a Swedish error message or null, so the
caller can report every failing cell with its row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl

COMMA = ","
POINT = "."
# .xlsx: numeric cells arrive as machine numbers (``-1234.5``); text cells follow the
# Swedish rules (``−1 234,50``).
MIXED = "xlsx"
DECIMAL_MARK_NAMES = {COMMA: "decimalkomma", POINT: "decimalpunkt", MIXED: "Excel-tal"}

# Largest number of decimals accepted per unit: öre in kronor, the same in tkr.
MAX_DECIMALS = {"kr": 2, "tkr": 5, "mkr": 8}
UNIT_FACTOR = {"kr": 1, "tkr": 1000, "mkr": 1_000_000}
WORK_DECIMAL = pl.Decimal(38, 5)
KR_DECIMAL = pl.Decimal(18, 2)

_PLAIN = {COMMA: r"^[+-]?\d+(,\d+)?$", POINT: r"^[+-]?\d+(\.\d+)?$"}
_GROUPED = {COMMA: r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$", POINT: r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"}


def clean_number(col: pl.Expr) -> pl.Expr:
    """Strip every kind of space and map the minus signs to ``-``."""
    return (
        col.str.strip_chars()
        .str.replace_all(r"[\s\u00a0\u202f\u2009\u2007]", "")
        .str.replace_all("[\u2212\u2013]", "-")
    )


def detect_decimal_mark(texts: pl.Series, file_format: str) -> str:
    """``,`` or ``.`` for a CSV file's amount column (``xlsx`` for Excel files).

    A value grouped both ways (``1.234,50`` / ``1,234.50``) decides at once; otherwise
    the mark seen in more values wins, and a file of whole numbers counts as comma.
    """
    if file_format == MIXED:
        return MIXED
    s = pl.DataFrame({"t": texts}).select(clean_number(pl.col("t")).alias("t"))["t"]
    if s.str.contains(r"\d\.\d{3},\d").any():
        return COMMA
    if s.str.contains(r"\d,\d{3}\.\d").any():
        return POINT
    commas = int(s.str.contains(r"^[+-]?\d+,\d+$").sum() or 0)
    points = int(s.str.contains(r"^[+-]?\d+\.\d+$").sum() or 0)
    return POINT if points > commas else COMMA


def _normalised(col: pl.Expr, mark: str) -> pl.Expr:
    """The number as ``-1234.50`` when it matches the file's pattern, else null."""
    if mark == MIXED:
        return pl.when(col.str.contains(_PLAIN[POINT])).then(col).otherwise(_normalised(col, COMMA))
    other = POINT if mark == COMMA else COMMA
    plain = col.str.replace_all(mark, ".", literal=True)
    grouped = col.str.replace_all(other, "", literal=True).str.replace_all(mark, ".", literal=True)
    return (
        pl.when(col.str.contains(_PLAIN[mark]))
        .then(plain)
        .when(col.str.contains(_GROUPED[mark]))
        .then(grouped)
        .otherwise(None)
    )


def parse_amounts(texts: pl.Series, mark: str, unit: str) -> pl.DataFrame:
    """Columns ``value`` (as in the file, Decimal), ``kr`` (Decimal(18,2)) and ``error``."""
    factor = UNIT_FACTOR[unit]
    max_dec = MAX_DECIMALS[unit]
    hints = {
        COMMA: (".", " Filen har decimalkomma; punkt används bara för att gruppera tusental."),
        POINT: (",", " Filen har decimalpunkt; komma används bara för att gruppera tusental."),
    }
    frame = pl.DataFrame({"raw": texts}).with_columns(clean=clean_number(pl.col("raw")))
    frame = frame.with_columns(norm=_normalised(pl.col("clean"), mark))
    frame = frame.with_columns(
        decimals=pl.col("norm").str.extract(r"\.(\d+)$", 1).str.len_chars().fill_null(0),
        value=pl.col("norm").cast(WORK_DECIMAL, strict=False),
    )
    frame = _float_noise(frame, max_dec)
    frame = frame.with_columns(
        kr=(pl.col("value") * factor).cast(KR_DECIMAL, strict=False)
        if factor != 1
        else pl.col("value").cast(KR_DECIMAL, strict=False)
    )
    failed = (
        pl.col("clean").is_null()
        | (pl.col("clean") == "")
        | pl.col("norm").is_null()
        | (pl.col("decimals") > max_dec)
        | pl.col("value").is_null()
        | pl.col("kr").is_null()
    )
    if not frame.select(failed.any()).item():
        # The usual case: every amount is fine, and no message is built for any row.
        return frame.select(
            "value",
            "kr",
            pl.lit(None, dtype=pl.String).alias("error"),
            pl.col("noise").alias("float_noise"),
        )
    quoted = pl.lit("”") + pl.col("raw").str.strip_chars() + pl.lit("”")
    error = (
        pl.when(pl.col("clean").is_null() | (pl.col("clean") == ""))
        .then(pl.lit("Belopp saknas."))
        .when(pl.col("norm").is_null())
        .then(quoted + pl.lit(" är inte ett tal.") + _hint(pl.col("clean"), hints.get(mark)))
        .when(pl.col("decimals") > max_dec)
        .then(
            quoted
            + pl.lit(
                f" har fler än {max_dec} decimaler; "
                + ("beloppet ska vara i hela kronor och ören." if unit == "kr" else "för många.")
            )
        )
        .when(pl.col("value").is_null() | pl.col("kr").is_null())
        .then(quoted + pl.lit(" är för stort för att vara ett belopp."))
        .otherwise(None)
    )
    return frame.select(
        pl.when(error.is_null()).then(pl.col("value")).alias("value"),
        pl.when(error.is_null()).then(pl.col("kr")).alias("kr"),
        error.alias("error"),
        (error.is_null() & pl.col("noise")).alias("float_noise"),
    )


def _float_noise(frame: pl.DataFrame, max_dec: int) -> pl.DataFrame:
    """Read ``78512.850000000006`` as ``78512.85``: binary floating-point noise, not öre.

    Spreadsheets store amounts as binary doubles; an export that prints all 17
    significant digits shows the double nearest to 78512.85 as 78512.850000000006, and
    a sum of such doubles drifts further (``1022268.0499999981``). A value printed with
    15 or more significant digits, or four decimals more than the unit allows (six in
    kronor), is read as the
    shortest decimal that gives the same double when that fits the unit, else rounded
    to öre (the unit's last allowed decimal): the difference is then below 0,005 kr. A
    value exactly half an öre off is left alone (it is reported). The caller reports
    how many values were read this way, with an example.
    """
    digits = pl.col("norm").str.replace_all(r"[^0-9]", "").str.strip_chars_start("0")
    candidates = (
        frame.with_row_index("_i")
        .filter(pl.col("decimals") > max_dec)
        .filter((digits.str.len_chars() >= 15) | (pl.col("decimals") >= max_dec + 4))
    )
    fixed: dict[int, str] = {}
    step = Decimal(1).scaleb(-max_dec)
    # Only the noisy values are visited (none in an ordinary file).
    for i, norm in candidates.select("_i", "norm").iter_rows():
        short = repr(float(norm))
        if "e" not in short and "inf" not in short and "nan" not in short:
            whole, _, frac = short.partition(".")
            frac = frac.rstrip("0")
            if len(frac) <= max_dec:
                fixed[i] = f"{whole}.{frac}" if frac else whole
                continue
        exact = Decimal(norm)
        rounded = exact.quantize(step, rounding=ROUND_HALF_EVEN)
        if abs(rounded - exact) < step / 2:
            fixed[i] = str(rounded)
    noise = pl.Series("noise", [False] * frame.height, dtype=pl.Boolean)
    if not fixed:
        return frame.with_columns(noise)
    index = pl.Series(list(fixed), dtype=pl.UInt32)
    norm = frame["norm"].scatter(index, list(fixed.values()))
    noise = noise.scatter(index, True)
    return frame.with_columns(
        norm=norm,
        decimals=norm.str.extract(r"\.(\d+)$", 1).str.len_chars().fill_null(0),
        value=norm.cast(WORK_DECIMAL, strict=False),
    ).with_columns(noise)


def _hint(clean: pl.Expr, hint: tuple[str, str] | None) -> pl.Expr:
    """The decimal-mark hint, only for a value that holds the other mark."""
    if hint is None:
        return pl.lit("")
    other, text = hint
    return pl.when(clean.str.contains(other, literal=True)).then(pl.lit(text)).otherwise(pl.lit(""))


def per_distinct(
    columns: dict[str, pl.Series], parse: Callable[[pl.DataFrame], pl.DataFrame]
) -> pl.DataFrame:
    """``parse`` run once per distinct combination of ``columns`` and mapped back to every row.

    A period, date or code column holds a handful of distinct values among 100 000 rows;
    its regexes and messages are computed for those values only. ``parse`` takes the
    distinct rows and returns a frame of the same height.
    """
    frame = pl.DataFrame(columns)
    keys = list(columns)
    distinct = frame.unique(maintain_order=True)
    if distinct.height == frame.height:
        return parse(frame)
    parsed = parse(distinct)
    lookup = pl.concat([distinct, parsed], how="horizontal")
    return frame.join(lookup, on=keys, how="left", nulls_equal=True, maintain_order="left").drop(
        keys
    )


_MONTH_NAMES = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "mars": 3, "apr": 4,
    "april": 4, "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augusti": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

PERIOD_FORMATS = (
    "ÅÅÅÅMM, ÅÅÅÅ-MM, ÅÅÅÅ_M, ÅÅÅÅMMM, jan ÅÅÅÅ, ÅÅÅÅMMDD, ÅÅÅÅ-MM-DD, helår ÅÅÅÅ "
    "eller t.o.m. april ÅÅÅÅ"
)
# Excel's day numbers: day 1 is 1900-01-01 (counted from 1899-12-30 because of the
# 1900 leap-year quirk); 5-digit serials cover 1927–2173, the range accepted.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_FIRST, EXCEL_LAST = 10_000, 99_999


def _date_parts(col: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(year, month, day) as Int32 for every accepted period format; nulls elsewhere.

    Day is null for month-only formats.
    """
    t = col.str.strip_chars().str.replace(r"[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "")
    patterns = (
        (r"^(\d{4})(\d{2})$", False),
        (r"^(\d{4})-(\d{1,2})$", False),
        (r"^(\d{4})_(\d{1,2})$", False),
        (r"^(\d{4})[Mm](\d{1,2})$", False),
        (r"^(\d{4})(\d{2})(\d{2})$", True),
        (r"^(\d{4})-(\d{2})-(\d{2})$", True),
    )
    year = month = day = pl.lit(None, dtype=pl.Int32)
    for pattern, has_day in reversed(patterns):
        hit = t.str.contains(pattern)
        year = pl.when(hit).then(t.str.extract(pattern, 1).cast(pl.Int32)).otherwise(year)
        month = pl.when(hit).then(t.str.extract(pattern, 2).cast(pl.Int32)).otherwise(month)
        day = (
            pl.when(hit)
            .then(t.str.extract(pattern, 3).cast(pl.Int32) if has_day else pl.lit(None, pl.Int32))
            .otherwise(day)
        )
    # Month names with a year: ``jan 2025``, ``januari 2025``, ``2025 jan``.
    low = t.str.to_lowercase()
    for pattern, name_group, year_group in (
        (r"^([a-zåäö]+)\.?[\s\-]*(\d{4})$", 1, 2),
        (r"^(\d{4})[\s\-]+([a-zåäö]+)\.?$", 2, 1),
    ):
        named = low.str.extract(pattern, name_group).replace_strict(
            _MONTH_NAMES, default=None, return_dtype=pl.Int32
        )
        hit = named.is_not_null()
        year = (
            pl.when(hit).then(low.str.extract(pattern, year_group).cast(pl.Int32)).otherwise(year)
        )
        month = pl.when(hit).then(named).otherwise(month)
        day = pl.when(hit).then(pl.lit(None, pl.Int32)).otherwise(day)
    # An Excel date that arrives as its serial number (days since 1899-12-30).
    serial = t.str.extract(r"^(\d{5})(\.0+)?$", 1).cast(pl.Int64)
    as_date = pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)
    excel = serial.is_between(EXCEL_FIRST, EXCEL_LAST)
    year = pl.when(excel).then(as_date.dt.year().cast(pl.Int32)).otherwise(year)
    month = pl.when(excel).then(as_date.dt.month().cast(pl.Int32)).otherwise(month)
    day = pl.when(excel).then(as_date.dt.day().cast(pl.Int32)).otherwise(day)
    return year, month, day


def _valid_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """True when (year, month, day) is a calendar date (day null = month only)."""
    month_ok = month.is_between(1, 12)
    as_text = (
        year.cast(pl.String).str.zfill(4)
        + "-"
        + month.cast(pl.String).str.zfill(2)
        + "-"
        + day.cast(pl.String).str.zfill(2)
    )
    day_ok = day.is_null() | as_text.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    return month_ok & day_ok


MONTH = "month"
WHOLE_YEAR = "year"
YEAR_TO_DATE = "ytd"
_YTD = (
    r"^(?:t\.?\s?o\.?\s?m\.?|tom|ack\.?|ackumulerat|hittills)\s+([a-zåäö]+)\.?\s+(\d{4})$",
    r"^(?:jan|januari)\.?\s*[-–]\s*([a-zåäö]+)\.?\s+(\d{4})$",
)
_WHOLE = (r"^(?:helår\s+)?(\d{4})$", r"^(\d{4})\s+helår$")


def parse_periods(texts: pl.Series) -> pl.DataFrame:
    """A period column -> ``year``, ``month`` (Int32), ``span`` and ``error``.

    ``span`` is ``month``; ``year`` for a whole year (``2025``, ``helår 2025``; month
    null); ``ytd`` for year to date (``t.o.m. april 2025``, ``jan–apr 2025``; month is
    the last month covered).
    """
    return per_distinct({"raw": texts}, _parse_periods)


def _parse_periods(frame: pl.DataFrame) -> pl.DataFrame:
    year, month, day = _date_parts(pl.col("raw"))
    low = pl.col("raw").str.strip_chars().str.to_lowercase()
    ytd_y = ytd_m = whole_y = pl.lit(None, dtype=pl.Int32)
    for pattern in _YTD:
        named = low.str.extract(pattern, 1).replace_strict(
            _MONTH_NAMES, default=None, return_dtype=pl.Int32
        )
        hit = named.is_not_null()
        ytd_m = pl.when(hit).then(named).otherwise(ytd_m)
        ytd_y = pl.when(hit).then(low.str.extract(pattern, 2).cast(pl.Int32)).otherwise(ytd_y)
    for pattern in _WHOLE:
        found = low.str.extract(pattern, 1).cast(pl.Int32)
        whole_y = pl.coalesce(whole_y, found)
    frame = frame.with_columns(y=year, m=month, d=day, ty=ytd_y, tm=ytd_m, wy=whole_y)
    span = (
        pl.when(pl.col("ty").is_not_null())
        .then(pl.lit(YEAR_TO_DATE))
        .when(pl.col("wy").is_not_null())
        .then(pl.lit(WHOLE_YEAR))
        .otherwise(pl.lit(MONTH))
    )
    frame = frame.with_columns(
        span=span,
        y=pl.coalesce("ty", "wy", "y"),
        m=pl.when(pl.col("wy").is_not_null() & pl.col("ty").is_null())
        .then(pl.lit(None, dtype=pl.Int32))
        .otherwise(pl.coalesce("tm", "m")),
    )
    ok = pl.col("y").is_not_null() & (
        (pl.col("span") == WHOLE_YEAR)
        | _valid_date(pl.col("y"), pl.col("m"), pl.col("d").fill_null(pl.lit(None, pl.Int32)))
    )
    ok = ok & pl.col("y").is_between(1900, 2100)
    blank = pl.col("raw").is_null() | (pl.col("raw").str.strip_chars() == "")
    error = (
        pl.when(blank)
        .then(pl.lit("Period saknas."))
        .when(~ok)
        .then(
            pl.lit("”")
            + pl.col("raw").str.strip_chars()
            + pl.lit(f"” är ingen giltig period ({PERIOD_FORMATS}).")
        )
    )
    return frame.select(
        pl.when(ok).then(pl.col("y")).alias("year"),
        pl.when(ok).then(pl.col("m")).alias("month"),
        error.alias("error"),
        pl.when(ok).then(pl.col("span")).alias("span"),
    )


def parse_year_month(years: pl.Series | None, months: pl.Series, default_year: int) -> pl.DataFrame:
    """Separate year and month columns -> ``year``, ``month`` and ``error``.

    The month column may also hold a whole period (``202403``); without a year column
    the year the file is uploaded for is used.
    """
    columns = {
        "y_raw": years if years is not None else pl.Series([None] * len(months), dtype=pl.String),
        "m_raw": months,
    }
    return per_distinct(
        columns, lambda frame: _parse_year_month(frame, years is not None, default_year)
    )


def _parse_year_month(frame: pl.DataFrame, has_years: bool, default_year: int) -> pl.DataFrame:
    m_text = pl.col("m_raw").str.strip_chars().str.to_lowercase().str.strip_chars(".")
    full_y, full_m, full_d = _date_parts(pl.col("m_raw"))
    month_num = (
        pl.when(m_text.str.contains(r"^\d{1,2}$"))
        .then(m_text.cast(pl.Int32, strict=False))
        .otherwise(m_text.replace_strict(_MONTH_NAMES, default=None, return_dtype=pl.Int32))
    )
    y_text = pl.col("y_raw").str.strip_chars()
    year_num = (
        pl.when(y_text.str.contains(r"^\d{4}$")).then(y_text.cast(pl.Int32, strict=False))
        if has_years
        else pl.lit(default_year, dtype=pl.Int32)
    )
    frame = frame.with_columns(
        fy=full_y, fm=full_m, fd=full_d, mn=month_num, yn=year_num
    ).with_columns(
        y=pl.coalesce(pl.col("fy"), pl.col("yn")),
        m=pl.coalesce(pl.col("fm"), pl.col("mn")),
    )
    ok = (
        pl.col("y").is_not_null()
        & pl.col("m").is_not_null()
        & _valid_date(pl.col("y"), pl.col("m"), pl.col("fd"))
    )
    m_blank = pl.col("m_raw").is_null() | (pl.col("m_raw").str.strip_chars() == "")
    y_bad = pl.col("fy").is_null() & pl.col("yn").is_null()
    error = (
        pl.when(m_blank)
        .then(pl.lit("Månad saknas."))
        .when(y_bad)
        .then(
            pl.lit("Året ”")
            + pl.col("y_raw").fill_null("").str.strip_chars()
            + pl.lit("” är inte ett år (ÅÅÅÅ).")
        )
        .when(~ok)
        .then(
            pl.lit("”")
            + pl.col("m_raw").str.strip_chars()
            + pl.lit("” är ingen giltig månad (1–12, jan–dec eller ÅÅÅÅMM).")
        )
    )
    return frame.select(
        pl.when(ok).then(pl.col("y")).alias("year"),
        pl.when(ok).then(pl.col("m")).alias("month"),
        error.alias("error"),
    )


def parse_dates(texts: pl.Series) -> pl.DataFrame:
    """A date column (forecast date) -> ``date`` and ``error``; a month means its last day."""
    return per_distinct({"raw": texts}, _parse_dates)


def _parse_dates(frame: pl.DataFrame) -> pl.DataFrame:
    year, month, day = _date_parts(pl.col("raw"))
    frame = frame.with_columns(y=year, m=month, d=day)
    ok = pl.col("y").is_not_null() & _valid_date(pl.col("y"), pl.col("m"), pl.col("d"))
    first = pl.date(pl.col("y"), pl.col("m"), pl.lit(1))
    date = (
        pl.when(pl.col("d").is_null())
        .then(first.dt.month_end())
        .otherwise(pl.date(pl.col("y"), pl.col("m"), pl.col("d")))
    )
    blank = pl.col("raw").is_null() | (pl.col("raw").str.strip_chars() == "")
    error = (
        pl.when(blank)
        .then(pl.lit("Datum saknas."))
        .when(~ok)
        .then(
            pl.lit("”")
            + pl.col("raw").str.strip_chars()
            + pl.lit("” är inget giltigt datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD).")
        )
    )
    return frame.select(pl.when(ok).then(date).alias("date"), error.alias("error"))


_TOTAL = re.compile(r"^(summa|summering|totalt?|sum|s:a)(\b|$)", re.IGNORECASE)


def is_total_label(text: str | None) -> bool:
    """``Summa``, ``Totalt``, ``S:a verksamhet 10`` … mark a printed total row."""
    return bool(text) and bool(_TOTAL.match(text.strip()))


def _looks_like_code(token: str) -> bool:
    if any(ch.isdigit() for ch in token):
        return True
    letters = [ch for ch in token if ch.isalpha()]
    return bool(letters) and len(token) <= 6 and all(ch.isupper() for ch in letters)


def split_code(text: str | None) -> tuple[str | None, str | None]:
    """``"46362 Köp medicinskt färdigbeh"`` -> ``("46362", "Köp medicinskt färdigbeh")``.

    A lone token with a digit is a code (``0180``); other lone text is a name. A
    leading token is a code when it has a digit, or is short upper case followed by
    a name in ordinary case (``BFÖ Förskolenämnd``).
    """
    if text is None:
        return None, None
    t = " ".join(text.split())
    if not t:
        return None, None
    first, _, rest = t.partition(" ")
    rest = rest.lstrip("-–—:. ").strip()
    if not rest:
        return (t, None) if any(ch.isdigit() for ch in t) else (None, t)
    if _looks_like_code(first) and (
        any(ch.isdigit() for ch in first) or any(ch.islower() for ch in rest)
    ):
        return first, rest
    return None, t


def split_codes(texts: Iterable[str | None] | pl.Series) -> pl.DataFrame:
    """``split_code`` over a column (computed once per distinct value)."""
    if isinstance(texts, pl.Series):
        return per_distinct(
            {"raw": texts.cast(pl.String)}, lambda f: split_codes(f["raw"].to_list())
        )
    values = list(texts)
    cache = {v: split_code(v) for v in set(values)}
    return pl.DataFrame(
        {"code": [cache[v][0] for v in values], "name": [cache[v][1] for v in values]},
        schema={"code": pl.String, "name": pl.String},
    )
