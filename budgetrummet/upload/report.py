"""What the page shows about an upload, as Swedish display tables (frame in, frame out).

The validation report (every problem and the count per rule), the preview of what will
be stored (rows, periods, totals per verksamhet and per period, the unit conversion,
the periods that a commit replaces) and the upload history. Figures are formatted by
``budgetrummet.fmt``; nothing here reads or writes the store.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from budgetrummet import fmt
from budgetrummet.upload import kinds, units
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.parsing import DECIMAL_MARK_NAMES
from budgetrummet.upload.reading import RawTable
from budgetrummet.upload.rules import RULES, rule_counts
from budgetrummet.upload.storing import STATUS_LABELS
from budgetrummet.upload.validation import SKIP_LABELS, Validation

WHOLE_FILE = "hela filen"
LOCAL: ZoneInfo | None
try:
    LOCAL = ZoneInfo("Europe/Stockholm")
except ZoneInfoNotFoundError:  # a machine without a time-zone database shows UTC
    LOCAL = None


def when(value: datetime | None) -> str:
    """A stored UTC timestamp as Swedish local time, ``2025-03-04 14:05``."""
    if value is None:
        return fmt.EMPTY
    if value.tzinfo is not None:
        if LOCAL is None:
            return f"{fmt.iso_date(value)} UTC"
        value = value.astimezone(LOCAL)
    return fmt.iso_date(value)


def kr(value: object) -> str:
    """Kronor with öre only when there are any: ``1 234 kr``, ``−1 234,50 kr``."""
    if value is None:
        return fmt.EMPTY
    d = Decimal(value)
    decimals = 0 if d == d.to_integral_value() else 2
    return f"{fmt.number(d, decimals)}\u00a0kr"


def in_unit(value: object, unit: str) -> str:
    """An amount in kronor shown in the file's unit (tkr: divided by 1 000, mkr by
    1 000 000, exactly)."""
    if value is None:
        return fmt.EMPTY
    if unit == "kr":
        return kr(value)
    d = Decimal(value) / units.FACTOR[unit]
    exponent = d.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{fmt.number(d, min(decimals, 8))}\u00a0{unit}"


def file_size(size: int) -> str:
    """Bytes in Swedish: ``0,9 kB``, ``1,2 MB``, ``512 byte``."""
    if size < 1000:
        return f"{fmt.number(size)}\u00a0byte"
    if size < 1_000_000:
        return f"{fmt.number(Decimal(size) / 1000, 1)}\u00a0kB"
    return f"{fmt.number(Decimal(size) / 1_000_000, 1)}\u00a0MB"


def skipped_table(validation: Validation) -> pl.DataFrame:
    """Rows read but not stored: Rad, Varför, Text, Belopp (as printed)."""
    sk = validation.skipped
    return pl.DataFrame(
        {
            "Rad": [str(r) for r in sk["row"]],
            "Varför": [SKIP_LABELS.get(r, r) for r in sk["reason"]],
            "Text": sk["text"].fill_null("").to_list(),
            "Belopp": [a or "(tomt)" for a in sk["amount"].fill_null("").to_list()],
        },
        schema={c: pl.String for c in ("Rad", "Varför", "Text", "Belopp")},
    )


def left_out_note(validation: Validation) -> str:
    """What the rows left out on the user's choice amount to, in the file's unit."""
    out = validation.skipped.filter(pl.col("reason") == "utelämnad")
    if out.is_empty():
        return ""
    total = out["kr"].cast(pl.Decimal(38, 2)).sum()
    n = out.height
    return (
        f"{fmt.number(n)} {'rad' if n == 1 else 'rader'} lämnas utanför på ditt val, "
        f"sammanlagt {in_unit(total, validation.settings.unit)}; de sparas inte."
    )


CHANGE_LABELS = {
    "tillkommer": "Tillkommer",
    "ändras": "Ändras",
    "tas bort": "Tas bort",
    "oförändrad": "Oförändrad",
}


def changes_table(changes: pl.DataFrame, catalogue: Catalogue, unit: str) -> pl.DataFrame:
    """The change list (``storing.period_changes``) for display: Period, Verksamhet,
    Ändring, Före, Efter, Skillnad (in the file's unit); unchanged rows left out."""
    labels = _label_of(catalogue)
    shown = changes.filter(pl.col("change") != "oförändrad")

    def diff(before: object, after: object) -> str:
        return in_unit(Decimal(after or 0) - Decimal(before or 0), unit)

    return pl.DataFrame(
        {
            "Period": shown["period"].to_list(),
            "Verksamhet": [
                labels.get(k) or v or k
                for k, v in zip(shown["key"], shown["verksamhet"], strict=True)
            ],
            "Ändring": [CHANGE_LABELS[c] for c in shown["change"]],
            "Före": [in_unit(v, unit) for v in shown["before_kr"]],
            "Efter": [in_unit(v, unit) for v in shown["after_kr"]],
            "Skillnad": [
                diff(b, a) for b, a in zip(shown["before_kr"], shown["after_kr"], strict=True)
            ],
        },
        schema={c: pl.String for c in ("Period", "Verksamhet", "Ändring", "Före", "Efter",
                                       "Skillnad")},
    )  # fmt: skip


def problem_table(problems: pl.DataFrame) -> pl.DataFrame:
    """Every problem: Rad, Kolumn, Värde, Beskrivning, Regel (all text)."""
    return problems.select(
        pl.col("row").cast(pl.String).fill_null(WHOLE_FILE).alias("Rad"),
        pl.col("column").fill_null("").alias("Kolumn"),
        pl.col("value").fill_null("").alias("Värde"),
        pl.col("message").alias("Beskrivning"),
        pl.col("rule").replace_strict(RULES, default=pl.col("rule")).alias("Regel"),
    )


def counts_table(problems: pl.DataFrame) -> pl.DataFrame:
    """Antal fel per regel, in rule order."""
    return rule_counts(problems).select(Regel="label", Antal="count")


def report_csv(problems: pl.DataFrame) -> bytes:
    """The report as a semicolon CSV in UTF-8 with BOM (opens correctly in Excel)."""
    buf = io.BytesIO()
    problem_table(problems).write_csv(buf, separator=";")
    return "\ufeff".encode() + buf.getvalue()


def detected(raw: RawTable) -> list[str]:
    """What was detected about the file, one Swedish line each."""
    lines = [f"Filformat: {raw.describe()}"]
    if raw.header_row:
        lines.append(
            f"Kolumnrubriker på rad {raw.header_row}; {fmt.number(raw.data_rows)} "
            f"{'rad' if raw.data_rows == 1 else 'rader'} med värden"
        )
    lines.extend(raw.notes)
    return lines


def check_notes(validation: Validation) -> list[str]:
    """The decimal mark the amounts were read with, and any value read in a special way."""
    lines = []
    if validation.decimal_mark:
        lines.append(f"Decimaltecken: {DECIMAL_MARK_NAMES[validation.decimal_mark]}")
    lines.extend(validation.notes)
    return lines


@dataclass(frozen=True)
class Preview:
    rows: int
    periods: tuple[str, ...]
    total_kr: Decimal
    by_verksamhet: pl.DataFrame
    by_period: pl.DataFrame
    conversion: str


def _label_of(catalogue: Catalogue) -> dict[str, str]:
    return {v.line_key: v.label for v in (*catalogue.by_code.values(), *catalogue.by_name.values())}


def preview(validation: Validation, catalogue: Catalogue) -> Preview:
    """What a commit would store: rows, periods, totals per verksamhet and per period."""
    rows = validation.rows
    unit = validation.settings.unit
    kind = kinds.KINDS[validation.settings.kind]
    labels = _label_of(catalogue)
    total = rows["amount_kr"].cast(pl.Decimal(38, 2)).sum()
    total = Decimal(0) if total is None else Decimal(total)
    group = "line_key" if kind.kind != kinds.INVESTERING else "project"
    grouped = rows.with_columns(
        project=pl.coalesce(
            pl.concat_str(["project_code", "project_name"], separator=" ", ignore_nulls=True)
        )
    )
    by = (
        grouped.group_by(group)
        .agg(
            pl.len().alias("n"),
            pl.col("amount_kr").cast(pl.Decimal(38, 2)).sum().alias("sum"),
            pl.col("verksamhet_code").first(),
            pl.col("verksamhet_name").first(),
        )
        .sort(group, nulls_last=True)
    )
    first_col = "Projekt" if group == "project" else "Verksamhet"
    by_verksamhet = pl.DataFrame(
        {
            first_col: [
                (labels.get(r[group]) or r[group] or "")
                if group == "line_key"
                else (r[group] or "")
                for r in by.iter_rows(named=True)
            ],
            "Rader": [fmt.number(n) for n in by["n"]],
            **_sums(by["sum"], unit),
        },
    ).sort(first_col)
    per = (
        rows.group_by("period")
        .agg(pl.len().alias("n"), pl.col("amount_kr").cast(pl.Decimal(38, 2)).sum().alias("sum"))
        .sort("period")
    )
    by_period = pl.DataFrame(
        {
            "Period": per["period"].to_list(),
            "Rader": [fmt.number(n) for n in per["n"]],
            **_sums(per["sum"], unit),
        }
    )
    return Preview(
        rows=rows.height,
        periods=tuple(per["period"].to_list()),
        total_kr=total,
        by_verksamhet=by_verksamhet,
        by_period=by_period,
        conversion=conversion_note(validation),
    )


def _sums(values: pl.Series, unit: str) -> dict[str, list[str]]:
    """Sums as in the file, plus the stored kronor when the file is in tkr."""
    out = {f"Summa ({unit})": [in_unit(v, unit) for v in values]}
    if unit != "kr":
        out["Lagras (kr)"] = [kr(v) for v in values]
    return out


def conversion_note(validation: Validation) -> str:
    """How amounts in the file become the stored kronor, with the first row as example."""
    rows = validation.rows
    if rows.is_empty():
        return ""
    first = rows.row(0, named=True)
    if validation.settings.unit == "tkr":
        return (
            "Beloppen i filen är i tkr och lagras i kronor (× 1 000), t.ex. rad "
            f"{first['source_row']}: {in_unit(first['amount_kr'], 'tkr')} → "
            f"{kr(first['amount_kr'])}."
        )
    if validation.settings.unit == "mkr":
        return (
            "Beloppen i filen är i mkr och lagras i kronor (× 1 000 000), t.ex. rad "
            f"{first['source_row']}: {in_unit(first['amount_kr'], 'mkr')} = "
            f"{in_unit(first['amount_kr'], 'tkr')} → {kr(first['amount_kr'])}."
        )
    return (
        "Beloppen i filen är i kronor och lagras oförändrade (t.ex. rad "
        f"{first['source_row']}: {kr(first['amount_kr'])})."
    )


def replaced_periods(rows: pl.DataFrame, kind: str, loaded: pl.DataFrame) -> pl.DataFrame:
    """The already loaded periods this file would replace (from ``upl_loaded_periods``)."""
    periods = rows["period"].unique().to_list()
    hit = loaded.filter((pl.col("kind") == kind) & pl.col("period").is_in(periods)).sort("period")
    return hit.select(
        Period="period",
        Uppladdning=pl.col("seq")
        .cast(pl.String)
        .map_elements(lambda s: f"nr {s}", return_dtype=pl.String),
        Fil="file_name",
        Av="uploaded_by",
        När=pl.col("uploaded_at").map_elements(when, return_dtype=pl.String),
        Rader=pl.col("rows").map_elements(fmt.number, return_dtype=pl.String),
        Summa=pl.col("amount_kr").map_elements(kr, return_dtype=pl.String),
    )


def history_table(history: pl.DataFrame) -> pl.DataFrame:
    """The upload log (``upl_uploads_for_org``) for display."""
    return pl.DataFrame(
        {
            "Nr": [str(s) for s in history["seq"]],
            "Typ": [kinds.KINDS[k].label for k in history["kind"]],
            "Fil": history["file_name"].to_list(),
            "Perioder": [
                _span(a, b, n)
                for a, b, n in zip(
                    history["period_from"], history["period_to"], history["periods"], strict=True
                )
            ],  # fmt: skip
            "Rader": [fmt.number(n) for n in history["rows"]],
            "Summa": [kr(v) for v in history["total_kr"]],
            "Uppladdad av": history["uploaded_by"].to_list(),
            "När": [when(t) for t in history["uploaded_at"]],
            "Status": [
                _status(s, by, at, cur, n)
                for s, by, at, cur, n in zip(
                    history["status"],
                    history["status_by"],
                    history["status_at"],
                    history["current_rows"],
                    history["rows"],
                    strict=True,
                )
            ],
            "Ersätter": [f"nr {r}" if r else "" for r in history["replaces"]],
        },
        schema={
            c: pl.String
            for c in (
                "Nr",
                "Typ",
                "Fil",
                "Perioder",
                "Rader",
                "Summa",
                "Uppladdad av",
                "När",
                "Status",
                "Ersätter",
            )
        },  # fmt: skip
    )


def _span(first: str, last: str, periods: str) -> str:
    count = len([p for p in (periods or "").split(", ") if p])
    if first == last:
        return first
    return f"{first} – {last} ({count} st)"


def _status(status: str, by: str | None, at: object, current: int, rows: int) -> str:
    label = STATUS_LABELS.get(status, status)
    if status != "aktiv":
        return f"{label} av {by} {when(at)}" if by else label
    if current == 0:
        return "Ersatt av senare uppladdning"
    if current < rows:
        return f"Delvis ersatt ({fmt.number(current)} av {fmt.number(rows)} rader gäller)"
    return "Gäller"


def loaded_table(loaded: pl.DataFrame) -> pl.DataFrame:
    """Which periods are loaded, from which upload and by whom."""
    return pl.DataFrame(
        {
            "Typ": [kinds.KINDS[k].label for k in loaded["kind"]],
            "Period": loaded["period"].to_list(),
            "Uppladdning": [f"nr {s}" for s in loaded["seq"]],
            "Fil": loaded["file_name"].to_list(),
            "Av": loaded["uploaded_by"].to_list(),
            "När": [when(t) for t in loaded["uploaded_at"]],
            "Rader": [fmt.number(n) for n in loaded["rows"]],
            "Summa": [kr(v) for v in loaded["amount_kr"]],
            "Versioner": [fmt.number(n) for n in loaded["versions"]],
        },
        schema={
            c: pl.String
            for c in (
                "Typ",
                "Period",
                "Uppladdning",
                "Fil",
                "Av",
                "När",
                "Rader",
                "Summa",
                "Versioner",
            )
        },  # fmt: skip
    )


def remembered_mapping(history: pl.DataFrame, kind: str) -> dict[str, str]:
    """The mapping of the organisation's latest upload of this kind (header -> field)."""
    same = history.filter(pl.col("kind") == kind).sort("seq", descending=True)
    if same.is_empty():
        return {}
    return kinds.recall(same["mapping_json"][0])
