"""Inläsning's presenter: the page's frames in, what it shows out (pure, no Streamlit).

The document history (with the person and the document's title, never an internal
id), the preview of a checked file, the organisation register and the messages after
a write. What a checked file will store (``documents.summary_lines``) and the
reconciliation of its printed totals (``documents.findings_table``) are shared with the
command line and stay in ``budgetrummet.upload.documents``.
"""

from __future__ import annotations

import polars as pl

from budgetrummet import fmt, orgs, vocab
from budgetrummet.upload import documents

STATUS_LABELS = vocab.UPLOAD_STATUS_LABELS
KIND_LABELS = {k: spec.label for k, spec in documents.DOC_KINDS.items()}
# A stored version by its Swedish name (an avvikelse column is the file's own "Återstår").
VERSION_LABELS = vocab.VERSION_LABELS | {"avvikelse": "Avvikelse"}


def history_table(docs: pl.DataFrame) -> pl.DataFrame:
    """The imported documents (``imp_documents_for_org``) for display."""
    return docs.select(
        pl.col("seq").cast(pl.String).alias("Nr"),
        pl.col("title").alias("Dokument"),
        pl.col("kind").replace_strict(KIND_LABELS, default=pl.col("kind")).alias("Typ"),
        pl.col("rows").map_elements(fmt.number, return_dtype=pl.String).alias("Rader"),
        pl.col("imported_by").map_elements(fmt.person, return_dtype=pl.String).alias("Inläst av"),
        pl.col("imported_at").map_elements(fmt.iso_date, return_dtype=pl.String).alias("När"),
        pl.struct("status", "status_by", "status_at")
        .map_elements(
            lambda r: _status(r["status"], r["status_by"], r["status_at"]),
            return_dtype=pl.String,
        )
        .alias("Status"),
        pl.col("sha256").str.slice(0, 12).alias("Kontrollsumma"),
    )


def _status(status: str, by: str | None, at: object) -> str:
    label = STATUS_LABELS.get(status, status)
    if status == vocab.UPLOAD_ACTIVE or not by:
        return label
    return f"{label} av {fmt.person(by)} {fmt.iso_date(at)}"


def choice_labels(docs: pl.DataFrame) -> dict[str, str]:
    """``nr 3: Budget 2026 (import: fil.xlsx)`` per document id, for the undo and restore
    lists."""
    return {r["doc_id"]: f"nr {r['seq']}: {r['title']}" for r in docs.iter_rows(named=True)}


def preview_table(figures: pl.DataFrame) -> pl.DataFrame:
    """The figures a checked file will store, as printed, with row, column, version, year."""
    return figures.select(
        pl.col("source_row").cast(pl.String).alias("Rad"),
        pl.col("line_label").alias("Rad i filen"),
        pl.col("column_label").alias("Kolumn"),
        pl.col("value_printed").alias("Tryckt"),
        pl.col("version")
        .replace_strict(VERSION_LABELS, default=pl.col("version"))
        .alias("Version"),
        pl.col("year").cast(pl.String).fill_null("").alias("År"),
    )


def saved_message(title: str, seq: int, replaces: tuple[str, ...], docs: pl.DataFrame) -> str:
    """After a commit: the new document by its title, and the ones it replaces by theirs
    (``docs`` is the history before the commit). Markdown in a title is shown as text."""
    labels = choice_labels(docs)
    replaced = [labels.get(d, "ett tidigare dokument") for d in replaces]
    tail = f" Ersätter {', '.join(replaced)}." if replaced else ""
    return fmt.plain(f"Sparat som dokument: {title} (inläsning nr {seq}).{tail}")


def status_message(label: str, verb: str) -> str:
    """After an undo or a restore: ``nr 3: Budget 2026 är ångrad.``"""
    return fmt.plain(f"{label} är {verb}.")


def registry_table(registry: pl.DataFrame) -> pl.DataFrame:
    """The organisation register (``org_registry``): names, never internal ids."""
    names = dict(zip(registry["org_id"], registry["org_name"], strict=True))
    return registry.select(
        pl.col("org_name").alias("Organisation"),
        pl.col("kind")
        .replace_strict(orgs.KINDS, default=pl.col("kind"))
        .fill_null("från källdokument")
        .alias("Typ"),
        pl.col("kommunkod").fill_null("").alias("Kommunkod"),
        pl.col("parent_org_id")
        .replace_strict(names, default=pl.col("parent_org_id"))
        .fill_null("")
        .alias("Överordnad"),
    )


def added_message(name: str) -> str:
    return fmt.plain(f"Organisationen {name} är tillagd.")
