"""Check a read file against its kind, mapping and organisation: every problem, or rows.

``validate`` runs every rule over every row (column at a time, so 100 000 rows take
well under a second) and returns all problems found, each with row, column, value,
rule and a Swedish sentence, plus the rows to store when there is none. Nothing here
writes: storing is ``budgetrummet.upload.storing``, and it refuses a ``Validation``
with problems.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl

from budgetrummet import fmt
from budgetrummet.tables import USER_TABLES
from budgetrummet.upload import kinds, parsing, units
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.reading import XLSX, RawTable
from budgetrummet.upload.rules import (
    AMOUNT,
    BAD_PERIOD,
    DUPLICATE,
    EMPTY,
    FIELD_COUNT,
    MISSING_COLUMN,
    MISSING_VALUE,
    OUTSIDE_YEAR,
    PROBLEM_SCHEMA,
    TOTAL_ROW,
    UNKNOWN_VERKSAMHET,
    Problem,
    problems_frame,
    quote,
    quote_expr,
    rule_counts,
    shorten_message_expr,
    sort_problems,
)

UNITS = units.UNITS
# ``stated_month`` for a file that holds a whole year (helår): stored as period ``YYYY``.
WHOLE_YEAR = 0
# Why a row of the file is not stored (``Validation.skipped``).
SKIP_TOTAL = "summarad"
SKIP_HEADING = "rubrik"
SKIP_NO_AMOUNT = "belopp saknas"
SKIP_LEFT_OUT = "utelämnad"
SKIP_LABELS = {
    SKIP_TOTAL: "Summarad (stäms av mot raderna, sparas inte)",
    SKIP_HEADING: "Rubrikrad utan belopp",
    SKIP_NO_AMOUNT: "Tomt belopp (inte 0)",
    SKIP_LEFT_OUT: "Lämnas utanför på ditt val",
}
SKIPPED_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64,
    "reason": pl.String,
    "text": pl.String,
    "amount": pl.String,
    "kr": parsing.KR_DECIMAL,
}
Progress = Callable[[float, str], None]

# The rows an accepted file contributes (the ``outcome`` table without upload_id/current).
ROW_SCHEMA: dict[str, pl.DataType] = {
    name: dtype
    for name, dtype in USER_TABLES["outcome"].items()
    if name not in ("upload_id", "current")
}


@dataclass(frozen=True)
class Settings:
    """What the user states about a file: organisation, kind, year, unit and mapping.

    ``mapping`` is field -> column index (a tuple of pairs, so settings stay hashable).
    ``stated_month`` / ``stated_date`` apply to every row of a file without a period
    (or forecast date) column; ``stated_month`` ``WHOLE_YEAR`` (0) means the whole year.
    ``left_out`` holds verksamhet cells (as in the file) whose rows the user chose to
    leave out; they are listed with their amounts, never stored.
    """

    org_id: str
    kind: str
    year: int
    unit: str = "kr"
    mapping: tuple[tuple[str, int], ...] = ()
    stated_month: int | None = None
    stated_date: date | None = None
    left_out: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in kinds.KINDS:
            raise ValueError(f"okänd uppladdningstyp {self.kind!r}")
        if self.unit not in UNITS:
            raise ValueError(f"okänd enhet {self.unit!r}")
        if self.stated_month is not None and not 0 <= self.stated_month <= 12:
            raise ValueError(f"ogiltig månad {self.stated_month!r}")

    @classmethod
    def of(cls, org_id: str, kind: str, year: int, unit: str, mapping: Mapping[str, int], **kw):
        return cls(org_id, kind, int(year), unit, tuple(sorted(mapping.items())), **kw)

    @property
    def columns(self) -> dict[str, int]:
        return dict(self.mapping)


@dataclass(frozen=True)
class Validation:
    """The outcome of checking a file: all problems, and the rows when there are none."""

    settings: Settings
    problems: pl.DataFrame
    rows: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ROW_SCHEMA))
    decimal_mark: str = ""
    totals_checked: int = 0
    notes: tuple[str, ...] = ()
    # Rows read but not stored, with why (SKIP_*) and their amount as printed.
    skipped: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SKIPPED_SCHEMA))
    # Each printed total: row, label, printed and computed (file unit), class.
    totals: tuple[dict, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problems.is_empty() and self.rows.height > 0

    @property
    def counts(self) -> pl.DataFrame:
        return rule_counts(self.problems)


def _f(field_name: str) -> str:
    """The working column holding a mapped field's text (kept apart from parsed columns)."""
    return f"f_{field_name}"


def _noop(fraction: float, text: str) -> None:
    return None


def _file_problems(settings: Settings, problems: list[Problem]) -> Validation:
    return Validation(settings=settings, problems=sort_problems(problems_frame(problems)))


def mapping_problems(raw: RawTable, settings: Settings) -> list[Problem]:
    """Required columns that are not mapped, and mappings that make no sense."""
    kind = kinds.KINDS[settings.kind]
    cols = settings.columns
    out: list[Problem] = []
    listing = ", ".join(f"”{quote(h)}”" for h in raw.headers)
    for f, idx in cols.items():
        if f not in kind.fields:
            out.append(
                Problem(
                    MISSING_COLUMN,
                    f"Fältet {kinds.FIELD_LABELS.get(f, f)} hör inte till {kind.label.lower()}.",
                )
            )
        elif not 0 <= idx < len(raw.headers):
            out.append(
                Problem(MISSING_COLUMN, f"Kolumnen för {kinds.FIELD_LABELS[f]} finns inte i filen.")
            )
    by_column: dict[int, list[str]] = {}
    for f, idx in cols.items():
        by_column.setdefault(idx, []).append(f)
    for idx, fields in sorted(by_column.items()):
        if len(fields) > 1 and 0 <= idx < len(raw.headers):
            names = " och ".join(kinds.FIELD_LABELS.get(f, f) for f in fields)
            out.append(
                Problem(
                    MISSING_COLUMN,
                    f"Kolumnen ”{quote(raw.headers[idx])}” är vald för både {names}.",
                    column=raw.headers[idx],
                )
            )
    for f in kind.required:
        if f not in cols:
            out.append(
                Problem(
                    MISSING_COLUMN,
                    f"Kolumnen {kinds.FIELD_LABELS[f]} saknas. Filen har kolumnerna {listing}; "
                    "välj vilken av dem som är "
                    f"{kinds.FIELD_LABELS[f].split(' (')[0].lower()}.",
                    column=kinds.FIELD_LABELS[f],
                )
            )
    if kind.period == "month":
        if kinds.PERIOD not in cols and kinds.MANAD not in cols and settings.stated_month is None:
            out.append(
                Problem(
                    MISSING_COLUMN,
                    "Period saknas: välj en periodkolumn (eller kolumner för år och månad), "
                    "eller ange vilken månad hela filen avser.",
                    column=kinds.FIELD_LABELS[kinds.PERIOD],
                )
            )
    elif kinds.PROGNOSDATUM not in cols and settings.stated_date is None:
        out.append(
            Problem(
                MISSING_COLUMN,
                "Prognosdatum saknas: välj en datumkolumn eller ange prognosens datum.",
                column=kinds.FIELD_LABELS[kinds.PROGNOSDATUM],
            )
        )
    return out


_TOTAL_PATTERN = r"(?i)^\s*(summa|delsumma|summering|totalt?|sum|s:a)(\b|$)"


def validate(
    raw: RawTable,
    settings: Settings,
    catalogue: Catalogue,
    progress: Progress | None = None,
) -> Validation:
    """Every problem in ``raw`` under ``settings``; the rows to store when there is none."""
    report = progress or _noop
    if raw.problems:
        return _file_problems(settings, list(raw.problems))
    kind = kinds.KINDS[settings.kind]
    file_level = mapping_problems(raw, settings)
    cols = {
        f: i for f, i in settings.columns.items() if f in kind.fields and 0 <= i < len(raw.headers)
    }
    header = {f: raw.headers[i] for f, i in cols.items()}
    report(0.05, "Läser kolumnerna")
    cells = raw.cells
    df = pl.DataFrame({"row": cells["row"], "extra": cells["extra"]})
    df = df.with_columns(
        [cells[f"c{i}"].fill_null("").str.strip_chars().alias(_f(f)) for f, i in cols.items()]
        + [cells["c0"].fill_null("").alias("_first")]
    )
    identity = [
        f
        for f in (kinds.VERKSAMHET, kinds.VERKSAMHET_NAMN, kinds.ANSVAR, kinds.KONTO, kinds.PROJEKT)
        if f in cols
    ]
    total_expr = pl.col("_first").str.contains(_TOTAL_PATTERN)
    for f in identity:
        total_expr = total_expr | pl.col(_f(f)).str.contains(_TOTAL_PATTERN)
    df = df.with_columns(is_total=total_expr)
    found: list[pl.DataFrame] = []
    notes: list[str] = []

    def add(frame: pl.DataFrame, column: str | None, value: pl.Expr, rule: str, msg: pl.Expr):
        if frame.height:
            found.append(
                frame.select(
                    pl.col("row").cast(pl.Int64),
                    pl.lit(column, dtype=pl.String).alias("column"),
                    quote_expr(value.cast(pl.String)).alias("value"),
                    pl.lit(rule).alias("rule"),
                    shorten_message_expr(msg.cast(pl.String)).alias("message"),
                )
            )

    # Fields beyond the last heading: usually a separator problem.
    sep_hint = (
        "Raden har värden till höger om sista kolumnrubriken."
        if raw.file_format == XLSX
        else "Raden har fler fält än det finns kolumnrubriker; kontrollera fältavgränsaren "
        "(ett decimalkomma i en kommaseparerad fil måste stå inom citattecken)."
    )
    add(
        df.filter(pl.col("extra").is_not_null()),
        None,
        pl.col("extra"),
        FIELD_COUNT,
        pl.lit(sep_hint),
    )

    report(0.2, "Kontrollerar belopp")
    mark = ""
    if kinds.BELOPP in cols:
        mark = parsing.detect_decimal_mark(
            df[_f(kinds.BELOPP)], parsing.MIXED if raw.file_format == XLSX else "csv"
        )
        amounts = parsing.parse_amounts(df[_f(kinds.BELOPP)], mark, settings.unit)
        df = df.with_columns(
            value=amounts["value"], kr=amounts["kr"], amount_error=amounts["error"]
        )
        noisy = df.filter(amounts["float_noise"])
        if noisy.height:
            example = noisy.row(0, named=True)
            notes.append(
                f"{fmt.number(noisy.height)} belopp var utskrivna med flyttalsbrus från ett "
                f"kalkylark (t.ex. rad {example['row']}: ”{quote(example[_f(kinds.BELOPP)])}”) och "
                f"avrundades till öre ({fmt.number(example['value'], 2)}); skillnaden är "
                "under 0,005\u00a0kr per belopp."
            )
        df = _skips(df, raw, cols, settings)
        add(
            df.filter(pl.col("amount_error").is_not_null() & pl.col("skip").is_null()),
            header[kinds.BELOPP],
            pl.col(_f(kinds.BELOPP)),
            AMOUNT,
            pl.col("amount_error"),
        )
    else:
        df = df.with_columns(
            value=pl.lit(None, dtype=parsing.WORK_DECIMAL),
            kr=pl.lit(None, dtype=parsing.KR_DECIMAL),
            amount_error=pl.lit("Beloppskolumn saknas."),
            skip=pl.when(pl.col("is_total")).then(pl.lit(SKIP_TOTAL)),
        )
    lines = pl.col("skip").is_null()

    report(0.35, "Kontrollerar verksamheter")
    df = _resolve_verksamhet(df, cols, catalogue)
    if kinds.VERKSAMHET in cols:
        blank = pl.col(_f(kinds.VERKSAMHET)) == ""
        if kinds.VERKSAMHET in kind.required:
            add(
                df.filter(lines & blank),
                header[kinds.VERKSAMHET],
                pl.col(_f(kinds.VERKSAMHET)),
                MISSING_VALUE,
                pl.lit("Verksamhet saknas."),
            )
        unknown = df.filter(lines & ~blank & pl.col("line_key").is_null())
        hints = {v: _suggestion_text(catalogue, v) for v in unknown[_f(kinds.VERKSAMHET)].unique()}
        add(
            unknown,
            header[kinds.VERKSAMHET],
            pl.col(_f(kinds.VERKSAMHET)),
            UNKNOWN_VERKSAMHET,
            pl.lit("Verksamheten ”")
            + pl.col(_f(kinds.VERKSAMHET))
            + pl.lit("” finns inte bland organisationens verksamheter.")
            + pl.col(_f(kinds.VERKSAMHET)).replace_strict(
                hints, default="", return_dtype=pl.String
            ),
        )
    if kinds.PROJEKT in kind.required and kinds.PROJEKT in cols:
        add(
            df.filter(lines & (pl.col(_f(kinds.PROJEKT)) == "")),
            header[kinds.PROJEKT],
            pl.col(_f(kinds.PROJEKT)),
            MISSING_VALUE,
            pl.lit("Projekt saknas."),
        )

    report(0.5, "Kontrollerar perioder")
    df, period_column, period_value = _periods(df, cols, header, settings, kind)
    add(
        df.filter(lines & pl.col("period_error").is_not_null()),
        period_column,
        period_value,
        BAD_PERIOD,
        pl.col("period_error"),
    )
    if kind.period == "date":
        add(
            df.filter(lines & pl.col("year").is_not_null() & (pl.col("year") != settings.year)),
            period_column,
            period_value,
            OUTSIDE_YEAR,
            pl.lit("Prognosdatumet ")
            + pl.col("period")
            + pl.lit(f" ligger utanför året {settings.year} som filen laddas upp för."),
        )
    else:
        # A file spanning several years is split into its periods (each row keeps its
        # own year); the report says so.
        years = sorted(df.filter(lines)["year"].drop_nulls().unique().to_list())
        if len(years) > 1:
            notes.append(
                f"Filen omfattar {len(years)} år ({', '.join(str(y) for y in years)}) och "
                "delas upp i sina perioder; varje period lagras som en egen version."
            )

    report(0.65, "Letar dubbletter")
    # Keys are only comparable when the period and every required field are known.
    has_period = all(f in cols for f in kind.required) and (
        kinds.PERIOD in cols
        or kinds.MANAD in cols
        or settings.stated_month is not None
        or kinds.PROGNOSDATUM in cols
        or settings.stated_date is not None
    )
    key_fields = [f for f in kind.key if f in cols]
    key_exprs = [pl.coalesce(pl.col("period"), period_value.cast(pl.String)).alias("_k_period")]
    for f in key_fields:
        if f == kinds.VERKSAMHET:
            key_exprs.append(pl.coalesce(pl.col("line_key"), pl.col(_f(f))).alias(f"_k_{f}"))
        else:
            key_exprs.append(pl.col(_f(f)).alias(f"_k_{f}"))
    key_cols = ["_k_period"] + [f"_k_{f}" for f in key_fields]
    keyed = (
        df.filter(lines)
        .with_columns(key_exprs)
        .with_columns(_first=pl.col("row").min().over(key_cols))
    )
    key_names = ", ".join(
        ["period" if kind.period == "month" else "prognosdatum"]
        + [kinds.FIELD_LABELS[f].split(" (")[0].lower() for f in key_fields]
    )
    add(
        keyed.filter((pl.col("row") != pl.col("_first")) & pl.lit(has_period)),
        None,
        pl.concat_str([pl.col(c).fill_null("") for c in key_cols], separator=" | "),
        DUPLICATE,
        pl.lit(f"Samma {key_names} som rad ") + pl.col("_first").cast(pl.String) + pl.lit("."),
    )

    report(0.8, "Stämmer av summarader")
    totals_checked = 0
    totals: list[dict] = []
    if kinds.BELOPP in cols and df.filter(pl.col("is_total")).height:
        total_problems, totals = _check_totals(
            df, settings.unit, header[kinds.BELOPP], [_f(f) for f in identity]
        )
        totals_checked = len(totals)
        if total_problems:
            found.append(problems_frame(total_problems))
        rounded = [t for t in totals if t["class"] == ROUNDING]
        for t in rounded:
            notes.append(
                f"Summaraden på rad {t['row']} (”{t['label']}”) anger "
                f"{format_amount(t['printed'], settings.unit)} och raderna ger "
                f"{format_amount(t['computed'], settings.unit)}: skillnaden "
                f"{format_amount(t['printed'] - t['computed'], settings.unit)} ryms i "
                f"avrundningen (högst en halv enhet per rad, "
                f"{format_amount(t['tolerance'], settings.unit)}). Summan sparas som tryckt "
                "i revisionsloggen."
            )

    line_count = df.filter(lines).height
    if line_count == 0:
        file_level.append(
            Problem(
                EMPTY, "Filen har bara summa-, rubrik- eller tomma rader och inga rader att spara."
            )
        )
    problems = pl.concat(
        [problems_frame(file_level), *[f.cast(PROBLEM_SCHEMA) for f in found]], how="vertical"
    )
    problems = sort_problems(problems)
    report(0.95, "Sammanställer")
    rows = pl.DataFrame(schema=ROW_SCHEMA)
    if problems.is_empty():
        rows = _rows(df.filter(lines), settings, cols)
    skipped = _skipped(df, cols)
    if raw.cells.height:
        # The reader drops blank rows; the row numbers it keeps show how many.
        blank_rows = int(raw.cells["row"].max()) - raw.header_row - raw.cells.height
        if blank_rows:
            notes.append(
                f"{fmt.number(blank_rows)} {'tom rad' if blank_rows == 1 else 'tomma rader'} "
                "i tabellen hoppades över."
            )
    blank_amounts = skipped.filter(pl.col("reason") == SKIP_NO_AMOUNT).height
    if blank_amounts:
        notes.append(
            f"{fmt.number(blank_amounts)} {'rad har' if blank_amounts == 1 else 'rader har'} "
            "tomt belopp och sparas inte (ett tomt belopp läses aldrig som 0)."
        )
    report(1.0, "Klart")
    return Validation(
        settings=settings,
        problems=problems,
        rows=rows,
        decimal_mark=mark,
        totals_checked=totals_checked,
        notes=tuple(notes),
        skipped=skipped,
        totals=tuple(totals),
    )


def _skips(df: pl.DataFrame, raw: RawTable, cols: dict[str, int], settings: Settings):
    """Adds ``skip``: why a row is not stored (null for a row to store).

    Printed totals are checked against the lines and not stored; a row the user chose
    to leave out is listed with its amount; a row with an empty amount is a heading
    when nothing in it is a number, else an empty amount. Neither is read as 0.
    """
    amount_blank = pl.col(_f(kinds.BELOPP)) == ""
    numbers = [
        raw.cells[f"c{i}"].fill_null("").str.contains(r"\d")
        for i in range(len(raw.headers))
        if i != cols.get(kinds.BELOPP)
    ]
    any_number = (
        pl.DataFrame(numbers).select(pl.any_horizontal(pl.all())).to_series()
        if numbers
        else pl.Series([False] * df.height)
    )
    left_out = (
        pl.col(_f(kinds.VERKSAMHET)).is_in(list(settings.left_out))
        if kinds.VERKSAMHET in cols and settings.left_out
        else pl.lit(False)
    )
    return (
        df.with_columns(_numbers=any_number)
        .with_columns(
            skip=pl.when(pl.col("is_total"))
            .then(pl.lit(SKIP_TOTAL))
            .when(left_out)
            .then(pl.lit(SKIP_LEFT_OUT))
            .when(amount_blank & ~pl.col("_numbers"))
            .then(pl.lit(SKIP_HEADING))
            .when(amount_blank)
            .then(pl.lit(SKIP_NO_AMOUNT))
        )
        .drop("_numbers")
    )


def _skipped(df: pl.DataFrame, cols: dict[str, int]) -> pl.DataFrame:
    """The rows not stored, for the report: row, reason, label and amount as printed."""
    label_fields = [
        f for f in (kinds.VERKSAMHET, kinds.PROJEKT, kinds.VERKSAMHET_NAMN) if f in cols
    ]
    label = pl.concat_str(
        [pl.col(_f(f)) for f in label_fields] or [pl.col("_first")],
        separator=" ",
        ignore_nulls=True,
    ).str.strip_chars()
    label = pl.when(label == "").then(pl.col("_first")).otherwise(label)
    amount = pl.col(_f(kinds.BELOPP)) if kinds.BELOPP in cols else pl.lit("")
    return (
        df.filter(pl.col("skip").is_not_null())
        .select(
            pl.col("row").cast(pl.Int64),
            pl.col("skip").alias("reason"),
            label.alias("text"),
            amount.alias("amount"),
            pl.col("kr"),
        )
        .cast(SKIPPED_SCHEMA)
    )


def _suggestion_text(catalogue: Catalogue, text: str) -> str:
    """`` Menar du 340 Idrotts- och fritidsanläggningar?`` or nothing."""
    near = catalogue.suggest(text)
    if not near:
        return ""
    names = " eller ".join(v.label for v in near)
    return f" Menar du {names}? Välj rätt verksamhet under Namn som saknas i katalogen."


def _resolve_verksamhet(df: pl.DataFrame, cols: dict[str, int], catalogue: Catalogue):
    if kinds.VERKSAMHET not in cols:
        return df.with_columns(
            line_key=pl.lit(None, dtype=pl.String),
            v_code=pl.lit(None, dtype=pl.String),
            v_name=pl.lit(None, dtype=pl.String),
        )
    values = df[_f(kinds.VERKSAMHET)].unique().to_list()
    lookup_rows = []
    for v in values:
        hit = catalogue.resolve(v) if v else None
        code, name = parsing.split_code(v)
        lookup_rows.append((v, hit.line_key if hit else None, code, name))
    lookup = pl.DataFrame(
        lookup_rows,
        schema={_f(kinds.VERKSAMHET): pl.String, "line_key": pl.String, "v_code": pl.String,
                "v_name": pl.String},
        orient="row",
    )  # fmt: skip
    return df.join(lookup, on=_f(kinds.VERKSAMHET), how="left", maintain_order="left")


def _periods(df, cols, header, settings: Settings, kind: kinds.Kind):
    """Adds ``year``, ``month``, ``period`` (text key), ``as_of`` and ``period_error``."""
    if kind.period == "date":
        if kinds.PROGNOSDATUM in cols:
            parsed = parsing.parse_dates(df[_f(kinds.PROGNOSDATUM)])
            column, value = header[kinds.PROGNOSDATUM], pl.col(_f(kinds.PROGNOSDATUM))
            df = df.with_columns(as_of=parsed["date"], period_error=parsed["error"])
        else:
            column, value = None, pl.lit(None, dtype=pl.String)
            df = df.with_columns(
                as_of=pl.lit(settings.stated_date, dtype=pl.Date),
                period_error=pl.lit(None, dtype=pl.String),
            )
        df = df.with_columns(
            year=pl.col("as_of").dt.year().cast(pl.Int32),
            month=pl.col("as_of").dt.month().cast(pl.Int32),
            period=pl.col("as_of").dt.strftime("%Y-%m-%d"),
        )
        return df, column, value
    if kinds.PERIOD in cols:
        parsed = parsing.parse_periods(df[_f(kinds.PERIOD)])
        column, value = header[kinds.PERIOD], pl.col(_f(kinds.PERIOD))
    elif kinds.MANAD in cols:
        years = df[_f(kinds.AR)] if kinds.AR in cols else None
        parsed = parsing.parse_year_month(years, df[_f(kinds.MANAD)], settings.year)
        column = (
            header[kinds.MANAD] if years is None else f"{header[kinds.AR]}/{header[kinds.MANAD]}"
        )
        value = (
            pl.col(_f(kinds.MANAD))
            if years is None
            else pl.concat_str([pl.col(_f(kinds.AR)), pl.col(_f(kinds.MANAD))], separator="/")
        )
    else:
        stated = settings.stated_month
        parsed = pl.DataFrame(
            {
                "year": [settings.year if stated is not None else None] * df.height,
                "month": [stated or None] * df.height,
                "error": [None] * df.height,
            },
            schema={"year": pl.Int32, "month": pl.Int32, "error": pl.String},
        )
        column, value = None, pl.lit(None, dtype=pl.String)
    whole_year = (
        settings.stated_month == WHOLE_YEAR and kinds.PERIOD not in cols and kinds.MANAD not in cols
    )
    span = (
        parsed["span"]
        if "span" in parsed.columns
        else pl.Series([parsing.WHOLE_YEAR if whole_year else parsing.MONTH] * df.height)
    )
    month_text = pl.col("month").cast(pl.String).str.zfill(2)
    year_text = pl.col("year").cast(pl.String)
    df = df.with_columns(
        year=parsed["year"],
        month=parsed["month"],
        period_error=parsed["error"],
        _span=span.cast(pl.String),
    ).with_columns(
        # A whole year (helår) is the period ``YYYY``; year to date ``YYYY-01–MM``
        # (January through that month). Neither has a month: the month series never
        # takes them for one month's outcome.
        period=pl.when(pl.col("_span") == parsing.WHOLE_YEAR)
        .then(year_text)
        .when(pl.col("_span") == parsing.YEAR_TO_DATE)
        .then(year_text + "-01\u2013" + month_text)
        .otherwise(year_text + "-" + month_text),
        month=pl.when(pl.col("_span") == parsing.MONTH).then(pl.col("month")),
        as_of=pl.lit(None, dtype=pl.Date),
    )
    return df, column, value


def format_amount(value: Decimal, unit: str) -> str:
    """``Decimal("-1234.5")`` in kr -> ``−1 234,50 kr`` (as many decimals as it has)."""
    exponent = value.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    if unit == "kr" and decimals:
        decimals = 2
    return f"{fmt.number(value, min(decimals, 5))}\u00a0{unit}"


ROUNDING = "avrundning"
MATCH = "stämmer"


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _check_totals(
    df: pl.DataFrame, unit: str, column: str, identity: list[str]
) -> tuple[list[Problem], list[dict]]:
    """Each printed total must equal the lines since the previous total, or all lines so
    far, within rounding: half a unit of the file's printed precision per line summed
    (as the reconciliation of documents allows). Returns the contradictions and every
    total checked (row, label, printed, computed, tolerance, class)."""
    # Rows left out on the user's choice are still lines of the printed table.
    counted = pl.col("skip").is_null() | (pl.col("skip") == SKIP_LEFT_OUT)
    lines = df.filter(counted)
    if lines.filter(pl.col("amount_error").is_not_null()).height:
        return [], []  # lines with bad amounts are reported already; sums would mislead
    precision = max((_decimals(v) for v in lines["value"].drop_nulls()), default=0)
    half = Decimal(1).scaleb(-precision) / 2
    problems: list[Problem] = []
    totals: list[dict] = []
    running = block = Decimal(0)
    n_running = n_block = 0
    # The text that makes a row a total (``Summa totalt``), for the report: computed
    # for the total rows only.
    labels = dict(
        df.filter(pl.col("is_total"))
        .select(
            "row",
            pl.concat_list([pl.col("_first"), *[pl.col(c) for c in identity]])
            .list.eval(pl.element().filter(pl.element().str.contains(_TOTAL_PATTERN)))
            .list.first(),
        )
        .iter_rows()
    )
    for row, is_total, skip, value, text in df.select(
        "row", "is_total", "skip", "value", _f(kinds.BELOPP)
    ).iter_rows():
        label = labels.get(row)
        if skip == SKIP_HEADING:
            # A section heading starts a new block: a subtotal after it sums its lines.
            block = Decimal(0)
            n_block = 0
            continue
        if not is_total:
            if skip is None or skip == SKIP_LEFT_OUT:
                running += value
                block += value
                n_running += 1
                n_block += 1
            continue
        if value is None:
            continue  # an empty total (a layout row) or its amount problem is reported
        precision_here = max(precision, _decimals(value))
        half_here = max(half, Decimal(1).scaleb(-precision_here) / 2)
        candidates = [(block, n_block), (running, n_running)]
        computed, count = min(candidates, key=lambda c: abs(value - c[0]))
        tolerance = half_here * count
        within = abs(value - computed) <= tolerance
        klass = MATCH if value == computed else ROUNDING if within else ""
        entry = {
            "row": row,
            "label": " ".join((label or "").split()),
            "printed": value,
            "printed_text": text,
            "computed": computed,
            "tolerance": tolerance,
            "class": klass or "motsägelse",
        }
        totals.append(entry)
        if not klass:
            if block == running:
                found = (
                    f"raderna ovanför summerar till {format_amount(running, unit)} "
                    f"(differens {format_amount(value - running, unit)}, mer än avrundning "
                    f"på {format_amount(tolerance, unit)})"
                )
            else:
                found = (
                    f"raderna sedan föregående summarad ger {format_amount(block, unit)} och "
                    f"alla rader ovanför ger {format_amount(running, unit)}"
                )
            problems.append(
                Problem(
                    TOTAL_ROW,
                    f"Summaraden anger {format_amount(value, unit)}, men {found}. Båda "
                    "siffrorna visas; ingen av dem rättas.",
                    row=row,
                    column=column,
                    value=text,
                )
            )
        block = Decimal(0)
        n_block = 0
    return problems, totals


def _rows(df: pl.DataFrame, settings: Settings, cols: dict[str, int]) -> pl.DataFrame:
    def split(f: str) -> tuple[pl.Series, pl.Series]:
        if f not in cols:
            empty = pl.Series([None] * df.height, dtype=pl.String)
            return empty, empty
        parts = parsing.split_codes(df[_f(f)])
        blank = df[_f(f)] == ""
        code = parts["code"].zip_with(~blank, pl.Series([None] * df.height, dtype=pl.String))
        return code, parts["name"]

    a_code, a_name = split(kinds.ANSVAR)
    k_code, k_name = split(kinds.KONTO)
    p_code, p_name = split(kinds.PROJEKT)
    v_name = (
        df[_f(kinds.VERKSAMHET_NAMN)].replace("", None)
        if kinds.VERKSAMHET_NAMN in cols
        else df["v_name"]
    )
    out = pl.DataFrame(
        {
            "org_id": pl.repeat(settings.org_id, df.height, dtype=pl.String, eager=True),
            "kind": pl.repeat(settings.kind, df.height, dtype=pl.String, eager=True),
            "year": df["year"],
            "month": df["month"],
            "period": df["period"],
            "as_of": df["as_of"],
            "verksamhet_code": df["v_code"],
            "verksamhet_name": v_name,
            "line_key": df["line_key"],
            "ansvar_code": a_code,
            "ansvar_name": a_name,
            "account": k_code,
            "account_name": k_name,
            "project_code": p_code,
            "project_name": p_name,
            "amount_kr": df["kr"],
            "source_row": df["row"],
        }
    )
    return out.cast(ROW_SCHEMA)


def guess_year(raw: RawTable, mapping: Mapping[str, int], kind: str, default: int) -> int:
    """The year most periods (or forecast dates) in the file fall in, else ``default``."""
    spec = kinds.KINDS[kind]
    field_name = kinds.PERIOD if spec.period == "month" else kinds.PROGNOSDATUM
    if field_name not in mapping and kinds.AR in mapping and spec.period == "month":
        field_name = kinds.AR
    index = mapping.get(field_name)
    if raw.problems:
        return default
    if index is None or not 0 <= index < len(raw.headers):
        # No period column: the year a heading names (``Utfall 2025``), amount first.
        amount = mapping.get(kinds.BELOPP)
        order = [amount] if amount is not None and 0 <= amount < len(raw.headers) else []
        for i in [*order, *range(len(raw.headers))]:
            year = units.year_in(raw.headers[i])
            if year is not None:
                return year
        return default
    texts = raw.cells[f"c{index}"].fill_null("")
    years = (
        texts.str.strip_chars()
        .str.extract(r"^(\d{4})", 1)
        .cast(pl.Int32, strict=False)
        .drop_nulls()
    )
    years = years.filter(years.is_between(1900, 2100))
    if years.is_empty():
        return default
    return int(years.mode().sort()[0])
