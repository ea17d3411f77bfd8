"""Data quality on frames: the documents' names and the number of checks per class.

The reconciliation itself is computed at build time (``budgetrummet.reconcile``); the
Datakvalitet page's tables and texts are shaped by ``budgetrummet.presenters.quality``.
"""

from __future__ import annotations

import polars as pl

from budgetrummet.vocab import CLASS_ORDER


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
