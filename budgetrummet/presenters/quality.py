"""Datakvalitet's presenter: the page's frames in, what it shows out (pure, no Streamlit).

The reconciliation itself is computed at build time (``budgetrummet.reconcile``); this
module names the columns in Swedish, formats figures in Swedish style, says where each
checked figure stands in its source (a line of a transcribed document's text version,
or file, sheet, row and column of an imported file) and shapes the Protokollsbilaga.
Internal ids (documents, tables, lines) never reach the text it returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from budgetrummet import fmt, quality, vocab
from budgetrummet.numbers import decimals_of
from budgetrummet.presenters.document import DocSection, DocTable, place_text
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
# The classes the page lists unless the user chooses otherwise.
DEFAULT_CLASSES = (CONTRADICTION, ERRATUM, ROUNDING)
# Percentages are shown with one decimal, like mkr.
UNIT_DECIMALS = {"mkr": vocab.decimals("mkr"), "procent": 1}
FIELD_NAMES = {"value": "Värde", "year": "Årtal"}
PLACE = "Var i källan"
# Where the figure is printed comes right after the figures: a reader checks it first.
COLUMNS = (
    "Klass",
    "Var",
    "Tryckt",
    "Beräknat",
    "Differens",
    "Dokument",
    PLACE,
    "Kontroll",
    "Jämfört med",
    "Underlag",
)
PLACE_NOTE = (
    "Var i källan: för ett transkriberat dokument radnumret i dokumentets textversion, "
    "för en importerad fil filnamn, blad, rad och kolumnrubrik."
)


@dataclass(frozen=True)
class SourceDoc:
    """One source document as the Källor list shows it: ``heading`` plain text,
    ``facts`` Markdown (what a user typed or named is escaped)."""

    heading: str
    facts: tuple[str, ...]
    tables: pl.DataFrame


@dataclass(frozen=True)
class View:
    """Everything the Datakvalitet page and its Protokollsbilaga show."""

    counts: dict[str, int]
    n_checks: int
    n_errata: int
    recon: pl.DataFrame
    names: dict[str, str]
    places: dict[str, str]
    errata: tuple[dict[str, str], ...]
    sources: tuple[SourceDoc, ...]


def places_by_check(places: pl.DataFrame) -> dict[str, str]:
    """``reconciliation_places`` as check id -> where the checked figure stands."""
    return {r["check_id"]: place_text(r) for r in places.iter_rows(named=True)}


def named_other(other: str | None, names: dict[str, str]) -> str | None:
    """The "compared with" text with a leading document id replaced by its name (the
    reconciliation stores ``<doc id>: <where>`` for a figure printed in two places)."""
    if not other:
        return other
    head, sep, rest = other.partition(": ")
    if sep and head in names:
        return f"{names[head]}: {rest}"
    return other


def _decimals(r: dict) -> int:
    if r["unit"] not in UNIT_DECIMALS:
        return 0
    return max(UNIT_DECIMALS[r["unit"]], decimals_of(r["reported_printed"]))


def reconciliation_table(
    recon: pl.DataFrame,
    classes: list[str] | None = None,
    names: dict[str, str] | None = None,
    places: dict[str, str] | None = None,
) -> pl.DataFrame:
    """The reconciliation list as the page shows it, filtered to ``classes``. A check of
    an imported figure (``places``) cites file, sheet, row and column; a check of a
    transcribed document cites the line of its text version."""
    names, places = names or {}, places or {}
    if classes is not None:
        recon = recon.filter(pl.col("klass").is_in(classes))
    rows = []
    for r in recon.iter_rows(named=True):
        d = _decimals(r)
        rows.append(
            {
                "Klass": CLASS_LABELS[r["klass"]],
                "Var": f"{r['table_title']} · {r['line_label']} · {r['column_label']}",
                "Tryckt": fmt.with_unit(r["reported"], r["unit"], d),
                "Beräknat": fmt.with_unit(r["computed"], r["unit"], d),
                "Differens": fmt.with_unit(r["difference"], r["unit"], d),
                "Kontroll": KIND_NAMES.get(r["kind"], r["kind"]),
                "Jämfört med": named_other(r["other"], names) or r["description"],
                "Dokument": quality.doc_name(r["doc_id"], names),
                PLACE: places.get(r["check_id"]) or f"rad {r['source_line']}",
                "Underlag": r["terms"],
            }
        )
    return pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS, pl.String))


def shown_change(change: str) -> str:
    """An erratum's change as shown: the value used is a number, so a leading hyphen
    becomes the minus sign (the printed value stays as printed)."""
    return re.sub(r"(används `)-(?=\d)", "\\1\u2212", change)


def errata_items(errata: pl.DataFrame, names: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Each erratum as short texts: where it is, what changed (Markdown, the printed and
    the used value in code spans), the same change as plain text, and why."""
    items = []
    for e in errata.iter_rows(named=True):
        field = FIELD_NAMES.get(e["field"], e["field"]).lower()
        used = shown_change(f"används `{e['corrected']}`")
        change = f"{e['kind'].capitalize()}: {field} tryckt `{e['printed']}`, {used}"
        items.append(
            {
                "where": (
                    f"{quality.doc_name(e['doc_id'], names)} · {e['table_title']} · "
                    f"{e['line_label']} · {e['column_label']} (rad {e['source_line']})"
                ),
                "change": change,
                "plain": change.replace("`", ""),
                "reason": e["reason"],
            }
        )
    return items


def source_tables(row_counts: pl.DataFrame, doc_id: str) -> pl.DataFrame:
    """The tables transcribed from one source document, with their row and figure counts
    and the rows of the source they stand on."""
    return row_counts.filter(doc_id=doc_id).select(
        Tabell="table_title",
        Rader="printed_lines",
        Siffror="figures",
        Summarader="totals",
        **{"Från rad": "first_line", "Till rad": "last_line"},
    )


def source_docs(
    sources: pl.DataFrame, row_counts: pl.DataFrame, imported: pl.DataFrame
) -> tuple[SourceDoc, ...]:
    """The Källor list: a transcribed document names its text version under
    ``data/sources/`` and the file it came from; an imported file names the file the user
    gave, who imported it and when (``imp_documents_for_org``)."""
    by_import = {r["doc_id"]: r for r in imported.iter_rows(named=True)}
    out = []
    for doc in sources.iter_rows(named=True):
        counted = (
            f"{fmt.number(doc['figures'])} siffror i {fmt.number(doc['tables'])} tabeller "
            "och textavsnitt"
        )
        imp = by_import.get(doc["doc_id"])
        facts: tuple[str, ...]
        if imp is None:
            facts = (
                f"**Organ:** {doc['body']}",
                f"**Fil:** `data/sources/{doc['file']}` (ursprungligen `{doc['original_file']}`)",
                f"**Kontrollsumma (sha256):** `{doc['sha256']}`",
                f"**Transkriberat:** {counted}",
            )
        else:
            facts = (
                f"**Organ:** {fmt.plain(doc['body'])}",
                f"**Importerad fil:** {fmt.plain(doc['original_file'] or doc['file'])}",
                f"**Kontrollsumma (sha256):** `{doc['sha256']}`",
                f"**Importerad:** {fmt.iso_date(imp['imported_at'])} av "
                f"{fmt.plain(imp['imported_by'])}",
                f"**Inläst:** {counted}",
            )
        out.append(
            SourceDoc(
                heading=f"{doc['title']} ({doc['doc_date']})",
                facts=facts,
                tables=source_tables(row_counts, doc["doc_id"]),
            )
        )
    return tuple(out)


def view(
    recon: pl.DataFrame,
    sources: pl.DataFrame,
    errata: pl.DataFrame,
    row_counts: pl.DataFrame,
    places: pl.DataFrame,
    imported: pl.DataFrame,
) -> View:
    """The page's view model from its queries' frames."""
    names = quality.doc_names(sources)
    return View(
        counts=quality.class_counts(recon),
        n_checks=recon.height,
        n_errata=errata.height,
        recon=recon,
        names=names,
        places=places_by_check(places),
        errata=tuple(errata_items(errata, names)),
        sources=source_docs(sources, row_counts, imported),
    )


def table(v: View, classes: list[str] | None) -> pl.DataFrame:
    return reconciliation_table(v.recon, classes, v.names, v.places)


def shown_caption(shown: int, total: int) -> str:
    return (
        f"{fmt.number(shown)} av {fmt.number(total)} kontroller visas. "
        f"Differens = tryckt − beräknat. {PLACE_NOTE}"
    )


def errata_metric_help(v: View) -> str:
    explained = v.counts[ERRATUM]
    return (
        "Uppenbara tryckfel som rättats öppet, under Errata nedan. "
        f"{fmt.count(explained, 'kontroll', 'kontroller')} av summor och samband "
        "förklaras av ett erratum (klassen Förklaras av erratum); ett erratum kan också "
        "gälla en siffra som ingen summa rör, till exempel ett årtal."
    )


def metrics(v: View) -> list[tuple[str, str, str]]:
    """The four numbers at the top of the page: label, the count as shown, help text."""
    return [
        ("Motsägelser", fmt.number(v.counts[CONTRADICTION]), "Källan säger emot sig själv."),
        ("Errata", fmt.number(v.n_errata), errata_metric_help(v)),
        (
            "Avrundningar",
            fmt.number(v.counts[ROUNDING]),
            "Högst en halv enhet per ingående siffra.",
        ),
        ("Stämmer", fmt.number(v.counts[OK]), "Kontroller utan någon differens."),
    ]


# --- Protokollsbilaga ------------------------------------------------------------------

# What the document lists in full: the checks a reader must know about.
MINUTES_CLASSES = [CONTRADICTION, ERRATUM]
MINUTES_COLUMNS = ("Klass", "Var", "Tryckt", "Beräknat", "Differens", "Jämfört med", PLACE)


def minutes_parts(v: View) -> list[DocSection]:
    """Counts per class, then every contradiction and check explained by an erratum with
    both figures and where it is printed, then the errata, then the sources."""
    counts = [f"{CLASS_LABELS[k]}: {fmt.number(v.counts[k])}" for k in CLASS_ORDER] + [
        f"Errata: {fmt.number(v.n_errata)}"
    ]
    parts = [
        DocSection(
            "Kontroller per klass",
            lines=(
                " · ".join(counts),
                f"Alla {fmt.number(v.n_checks)} kontroller av summor och samband i "
                "organisationens dokument. Differens = tryckt − beräknat.",
            ),
        )
    ]
    listed = table(v, MINUTES_CLASSES)
    by_doc = []
    for doc in listed["Dokument"].unique(maintain_order=True).to_list():
        rows = listed.filter(pl.col("Dokument") == doc).select(MINUTES_COLUMNS)
        by_doc.append(DocTable(rows, doc))
    parts.append(
        DocSection(
            "Motsägelser och kontroller som förklaras av erratum",
            lines=(PLACE_NOTE,)
            if by_doc
            else ("Ingen kontroll är en motsägelse eller förklaras av ett erratum.",),
            tables=tuple(by_doc),
        )
    )
    parts.append(
        DocSection(
            "Errata",
            lines=tuple(f"{e['where']}: {e['plain']}. {e['reason']}" for e in v.errata)
            or ("Inga errata för organisationens dokument.",),
        )
    )
    parts.append(
        DocSection(
            "Källor",
            lines=tuple(s.heading for s in v.sources) or ("Inga källdokument.",),
        )
    )
    return parts
