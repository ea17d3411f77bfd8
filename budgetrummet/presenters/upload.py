"""Uppladdning's presenter: what the page (and the command line) shows about an upload,
as Swedish display tables and texts (frames in, view model out; pure, no Streamlit).

The validation report (every problem and the count per rule), the preview of what will
be stored (rows, periods, totals per verksamhet and per period, the unit conversion,
the periods that a commit replaces), the upload history and the messages after a write.
Figures are formatted by ``budgetrummet.fmt``; nothing here reads or writes the store.
People are named by ``fmt.person``, never by a system account.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.upload import kinds, units
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.parsing import DECIMAL_MARK_NAMES
from budgetrummet.upload.reading import RawTable, column_letter
from budgetrummet.upload.rules import (
    RULES,
    UNKNOWN_VERKSAMHET,
    problems_frame,
    rule_counts,
    sort_problems,
)
from budgetrummet.upload.validation import SKIP_LABELS, WHOLE_YEAR, Validation

WHOLE_FILE = "hela filen"
STATUS_LABELS = vocab.UPLOAD_STATUS_LABELS
person = fmt.person
file_size = fmt.file_size


def when(value: datetime | None) -> str:
    """A stored UTC timestamp as Swedish local time, ``2025-03-04 14:05``."""
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
    return (
        f"{fmt.count(out.height, 'rad', 'rader')} lämnas utanför på ditt val, "
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
            f"Kolumnrubriker på rad {raw.header_row}; "
            f"{fmt.count(raw.data_rows, 'rad', 'rader')} med värden"
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
        Av=pl.col("uploaded_by").map_elements(person, return_dtype=pl.String),
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
            "Uppladdad av": [person(p) for p in history["uploaded_by"]],
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
    return f"{first} – {last} ({fmt.count(count, 'period', 'perioder')})"


def _status(status: str, by: str | None, at: object, current: int, rows: int) -> str:
    label = STATUS_LABELS.get(status, status)
    if status != "aktiv":
        return f"{label} av {person(by)} {when(at)}" if by else label
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
            "Av": [person(p) for p in loaded["uploaded_by"]],
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


# ------------------------------------------------------------------ the page's texts


def chosen_file(name: str, size: int) -> str:
    """``Vald fil: budget.csv (0,9 kB)``; Markdown in the name is shown as typed."""
    return f"Vald fil: {fmt.plain(name)} ({file_size(size)})"


def refused_headline(problems: pl.DataFrame) -> str:
    """The error over the report: how many problems, nothing stored, and up to three
    messages about the whole file (which may quote the file: shown as text)."""
    whole_file = problems.filter(pl.col("row").is_null())["message"].to_list()
    return (
        f"Filen har {fmt.number(problems.height)} fel och har inte sparats. "
        "Ingenting sparas förrän hela filen är felfri: rätta filen och ladda upp den igen."
        + "".join(f"\n\n{fmt.plain(m)}" for m in whole_file[:3])
    )


def unknown_names(problems: pl.DataFrame) -> list[str]:
    """The distinct verksamhet cells the catalogue does not know, in file order."""
    hits = problems.filter(pl.col("rule") == UNKNOWN_VERKSAMHET)
    return list(dict.fromkeys(v for v in hits["value"].to_list() if v))


def catalogue_labels(catalogue: Catalogue) -> dict[str, str]:
    """Every verksamhet the organisation may name, ``10 Nämnder/Styrelser`` by line key,
    in key order (the choices of the name-mapping form)."""
    every = catalogue.frame().sort("line_key")
    return {
        r["line_key"]: (f"{r['code']} {r['name']}" if r["code"] else r["name"])
        for r in every.iter_rows(named=True)
    }


def names_applied(mapped: int, left_out: int) -> str:
    text = f"{fmt.count(mapped, 'namn', 'namn')} kopplade och sparade för organisationen"
    if left_out:
        text += f"; {fmt.count(left_out, 'namn', 'namn')} lämnas utanför filen"
    return text + "."


def valid_headline(totals_checked: int) -> str:
    checked = (
        f" {fmt.count(totals_checked, 'summarad', 'summarader')} stämmer med raderna och "
        "sparas inte."
        if totals_checked
        else ""
    )
    return f"Filen är felfri.{checked} Kontrollera förhandsvisningen och spara."


def replaced_warning(n: int) -> str:
    return (
        f"{fmt.number(n)} av perioderna finns redan; den här filen blir en ny version av "
        f"{'den' if n == 1 else 'dem'}. Den tidigare versionen finns kvar och gäller igen om "
        "du ångrar den här uppladdningen."
    )


def lost_rows_warning(lost: pl.DataFrame) -> str:
    """When a file would drop rows that hold now: which periods, how many rows."""
    periods = sorted(set(lost["period"].to_list()))
    return (
        f"{'Perioden' if len(periods) == 1 else 'Perioderna'} {', '.join(periods)} har "
        f"{fmt.count(lost.height, 'rad', 'rader')} som gäller nu men som filen inte har. "
        "Välj om filen ska ersätta hela perioden eller bara rätta raderna i filen; "
        "ingenting tas bort utan det valet."
    )


def saved_message(
    seq: int, rows: int, periods: tuple[str, ...], total_kr: Decimal, replaces, correct: bool
) -> str:
    """After a commit: what was stored and which earlier uploads it replaces or corrects."""
    text = (
        f"Uppladdning nr {seq} är sparad: {fmt.count(rows, 'rad', 'rader')}, "
        f"{fmt.count(len(periods), 'period', 'perioder')} ({', '.join(periods)}), "
        f"summa {kr(total_kr)}."
    )
    if not replaces:
        return text
    numbers = ", ".join(str(s) for s in replaces)
    if correct:
        return text + f" Rättar raderna i filen i nr {numbers}; övriga rader står kvar."
    return text + f" Ersätter tidigare version i nr {numbers}."


def choice_labels(history: pl.DataFrame) -> dict[str, str]:
    """``nr 2: utfall.csv (2025-01, Anna Ek 2025-02-03 10:15)`` per upload id, for the
    undo, restore and download lists (a select box shows them as plain text)."""
    return {
        r["upload_id"]: f"nr {r['seq']}: {r['file_name']} ({r['periods']}, "
        f"{person(r['uploaded_by'])} {when(r['uploaded_at'])})"
        for r in history.iter_rows(named=True)
    }


def skipped_heading(n: int) -> str:
    return f"Rader som inte sparas ({fmt.number(n)})"


def file_sample(raw: RawTable, rows: int = 5) -> pl.DataFrame:
    """The first rows as read, under ``A: heading`` column names, with their row number."""
    sample = raw.cells.head(rows)
    return pl.DataFrame(
        {"Rad": [str(r) for r in sample["row"]]}
        | {
            f"{column_letter(i)}: {h}": sample[f"c{i}"].fill_null("").to_list()
            for i, h in enumerate(raw.headers)
        }
    )


def file_problems(raw: RawTable) -> pl.DataFrame:
    """The file-level problems of a file that could not be read at all."""
    return sort_problems(problems_frame(list(raw.problems)))


MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december",
)  # fmt: skip


def month_option(month: int | None) -> str:
    """A choice of the period a file without a period column stands for."""
    if month is None:
        return "– välj period –"
    return "hela året (helår)" if month == WHOLE_YEAR else MONTHS[month - 1]
