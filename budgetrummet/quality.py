"""Pure shaping of the data-quality tables for display (frame in, frame out).

The reconciliation itself is computed at build time (``budgetrummet.reconcile``); this
module only names the columns in Swedish, formats figures in Swedish style and
summarises counts, so the page stays a thin script and the shaping is testable.
"""

from __future__ import annotations

import re

import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.numbers import decimals_of
from budgetrummet.vocab import CLASS_ORDER, CONTRADICTION, ERRATUM, OK, ROUNDING

KIND_NAMES = {
    "summa": "Summa mot rader",
    "netto": "Intäkt + kostnad = netto",
    "avvikelse": "Prognos − budget = avvikelse",
    "samma_uppgift": "Samma uppgift på två ställen",
    "regel": "Särskild kontroll",
    "referens": "Hänvisning till analys",
    "numrering": "Numrering av mål",
}
CLASS_LABELS = {
    CONTRADICTION: "Motsägelse",
    ERRATUM: "Förklaras av erratum",
    ROUNDING: "Avrundning",
    OK: "Stämmer",
}
# Percentages are shown with one decimal, like mkr.
UNIT_DECIMALS = {"mkr": vocab.decimals("mkr"), "procent": 1}


def doc_names(sources: pl.DataFrame) -> dict[str, str]:
    """Document id -> the short name pages show (``short_title``, else the title).

    ``sources`` is ``sources_for_org``; a document without a short title of its own
    (an import may have none) is named by its full title.
    """
    return {
        r["doc_id"]: r["short_title"] or r["title"] or r["doc_id"]
        for r in sources.iter_rows(named=True)
    }


def doc_name(doc_id: str, names: dict[str, str] | None = None) -> str:
    return (names or {}).get(doc_id, doc_id)


def class_counts(recon: pl.DataFrame) -> dict[str, int]:
    """Number of checks per class, every class present (zero when none)."""
    counts = dict.fromkeys(CLASS_ORDER, 0)
    for klass, n in recon.group_by("klass").len().iter_rows():
        counts[klass] = n
    return counts


def _fmt(value: object, unit: str, decimals: int) -> str:
    return fmt.with_unit(value, unit, decimals)


def reconciliation_table(
    recon: pl.DataFrame, classes: list[str] | None = None, names: dict[str, str] | None = None
) -> pl.DataFrame:
    """The reconciliation list as the page shows it, filtered to ``classes``."""
    if classes is not None:
        recon = recon.filter(pl.col("klass").is_in(classes))
    rows = []
    for r in recon.iter_rows(named=True):
        decimals = (
            max(UNIT_DECIMALS[r["unit"]], decimals_of(r["reported_printed"]))
            if r["unit"] in UNIT_DECIMALS
            else 0
        )
        rows.append(
            {
                "Klass": CLASS_LABELS[r["klass"]],
                "Var": f"{r['table_title']} · {r['line_label']} · {r['column_label']}",
                "Tryckt": _fmt(r["reported"], r["unit"], decimals),
                "Beräknat": _fmt(r["computed"], r["unit"], decimals),
                "Differens": _fmt(r["difference"], r["unit"], decimals),
                "Kontroll": KIND_NAMES.get(r["kind"], r["kind"]),
                "Jämfört med": r["other"] or r["description"],
                "Dokument": doc_name(r["doc_id"], names),
                "Rad i källan": r["source_line"],
                "Underlag": r["terms"],
            }
        )
    columns = [
        "Klass",
        "Var",
        "Tryckt",
        "Beräknat",
        "Differens",
        "Kontroll",
        "Jämfört med",
        "Dokument",
        "Rad i källan",
        "Underlag",
    ]
    schema = {c: pl.String for c in columns} | {"Rad i källan": pl.Int32}
    return pl.DataFrame(rows, schema=schema)


FIELD_NAMES = {"value": "Värde", "year": "Årtal"}


def errata_items(errata: pl.DataFrame, names: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Each erratum as three short texts: where it is, what changed, and why."""
    items = []
    for e in errata.iter_rows(named=True):
        field = FIELD_NAMES.get(e["field"], e["field"]).lower()
        items.append(
            {
                "where": (
                    f"{doc_name(e['doc_id'], names)} · {e['table_title']} · {e['line_label']} · "
                    f"{e['column_label']} (rad {e['source_line']})"
                ),
                "change": (
                    f"{e['kind'].capitalize()}: {field} tryckt `{e['printed']}`, "
                    f"används `{e['corrected']}`"
                ),
                "reason": e["reason"],
            }
        )
    return items


def shown_change(change: str) -> str:
    """An erratum's change as shown: the value used is a number, so a leading hyphen
    becomes the minus sign (the printed value stays as printed)."""
    return re.sub(r"(används `)-(?=\d)", "\\1\u2212", change)


def source_tables(row_counts: pl.DataFrame, doc_id: str) -> pl.DataFrame:
    """The tables transcribed from one source document, with their row and figure counts."""
    return row_counts.filter(doc_id=doc_id).select(
        Tabell="table_title",
        Id="table_id",
        Rader="printed_lines",
        Siffror="figures",
        Summarader="totals",
        Från_rad="first_line",
        Till_rad="last_line",
    )
