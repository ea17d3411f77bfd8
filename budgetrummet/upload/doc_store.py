"""Storing an imported document: all its rows in one atomic publication, versions, undo.

An accepted ``DocImport`` writes, for its organisation, one ``import_sources`` row and
its figures, texts, goals, indicators, structure rows and reconciliation findings, with
the raw file kept by sha256 (``storing.keep_raw``), in one ``store.publish`` (one
commit per table, visible together when its audit row commits): all or nothing. The
``sources``/``figures``/… views show a document while its status is ``aktiv``
(``budgetrummet.db``).

Versions: a new import of the same organisation, kind, document type and year replaces
the earlier one (status ``ersatt``; its rows stay). Undo marks an import ``ångrad`` and
makes what it replaced ``aktiv`` again; restore reverses an undo. The identical file
(same sha256, so the same ``doc_id``) is refused. Every write calls ``access.require``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from budgetrummet import access, fmt, store, tables, vocab
from budgetrummet.upload import storing
from budgetrummet.upload.documents import DocImport, mapping_json
from budgetrummet.upload.reading import RawTable
from budgetrummet.upload.rules import UploadRefusedError

ACTIVE = vocab.UPLOAD_ACTIVE
REPLACED = vocab.UPLOAD_REPLACED
UNDONE = vocab.UPLOAD_UNDONE
STATUS_LABELS = vocab.UPLOAD_STATUS_LABELS
# The tables an import writes, per organisation, and the DocImport frame for each.
ROW_TABLES = {
    "import_figures": "figures",
    "import_texts": "texts",
    "import_goals": "goals",
    "import_goal_indicators": "indicators",
    "import_structure": "structure",
    "import_reconciliation": "findings",
}


@dataclass(frozen=True)
class Stored:
    doc_id: str
    seq: int
    rows: int
    replaces: tuple[str, ...]
    raw_file: str


def _part(name: str, org_id: str, root: Path) -> pl.DataFrame:
    frame = store.read_table(name, root, part=org_id)
    return storing.conform(name, frame)


def _all_sources(root: Path) -> pl.DataFrame:
    return storing.conform("import_sources", store.read_table("import_sources", root))


def commit(
    raw: RawTable,
    data: bytes,
    result: DocImport,
    actor: access.Actor | None,
    *,
    root: Path | None = None,
    now: datetime | None = None,
) -> Stored:
    """Store a checked document file; ``UploadRefusedError`` (Swedish) when it cannot be."""
    if not result.ok:
        raise UploadRefusedError("Filen har fel och har inte sparats. Rätta felen och läs in igen.")
    if hashlib.sha256(data).hexdigest() != raw.sha256:
        raise UploadRefusedError("Filen har ändrats sedan den kontrollerades; läs in den igen.")
    base = root or store.data_dir()
    settings = result.settings
    org = settings.org_id
    moment = now or datetime.now(UTC)
    with storing.upload_lock(base):
        everything = _all_sources(base)
        doc_id = result.source["doc_id"]
        same = everything.filter(pl.col("doc_id") == doc_id)
        if same.height:
            row = same.row(0, named=True)
            raise UploadRefusedError(
                f"Exakt samma fil är redan inläst: ”{row['file']}” av "
                f"{fmt.person(row['imported_by'])} ({row['title']})."
            )
        actor = access.require(actor, "import:write", root=root)
        who = actor.name.strip()
        rel = storing.keep_raw(data, raw.extension, base)
        sources = _part("import_sources", org, base)
        year = result.source.get("year")
        earlier = sources.filter(
            (pl.col("status") == ACTIVE)
            & (pl.col("kind") == settings.kind)
            & (pl.col("doc_type") == result.source["doc_type"])
            & (pl.col("year") == year if year is not None else pl.col("year").is_null())
        )["doc_id"].to_list()
        seq = int(everything["seq"].max() or 0) + 1
        new_source = pl.DataFrame(
            [
                {k: result.source.get(k) for k in tables.USER_TABLES["import_sources"]}
                | {
                    "seq": seq,
                    "kind": settings.kind,
                    "year": year,
                    "unit": result.source.get("unit"),
                    "sign": settings.sign,
                    "file_format": raw.describe(),
                    "mapping_json": mapping_json(result.mapping),
                    "rows": result.rows,
                    "imported_by": who,
                    "imported_at": moment,
                    "status": ACTIVE,
                    "replaces": ", ".join(earlier) or None,
                    "status_by": None,
                    "status_at": None,
                }
            ],
            schema=tables.USER_TABLES["import_sources"],
        )
        replaced = pl.col("doc_id").is_in(earlier)
        sources = sources.with_columns(
            status=pl.when(replaced).then(pl.lit(REPLACED)).otherwise(pl.col("status")),
            status_by=pl.when(replaced).then(pl.lit(who)).otherwise(pl.col("status_by")),
            status_at=pl.when(replaced)
            .then(pl.lit(moment, dtype=tables.TIMESTAMP))
            .otherwise(pl.col("status_at")),
        )
        parts = {"import_sources": {org: pl.concat([sources, new_source])}}
        counts = {}
        for name, attr in ROW_TABLES.items():
            frame: pl.DataFrame = getattr(result, attr)
            if frame.is_empty():
                continue
            schema = tables.USER_TABLES[name]
            stamped = frame.with_columns(
                imported_by=pl.lit(who), imported_at=pl.lit(moment, dtype=tables.TIMESTAMP)
            ) if "imported_by" in schema else frame  # fmt: skip
            stamped = stamped.select(list(schema)).cast(schema)
            parts[name] = {org: pl.concat([_part(name, org, base), stamped])}
            counts[name] = stamped.height
        store.publish(
            {},
            parts=parts,
            action="inläsning av dokument",
            who=who,
            details={
                "doc_id": doc_id,
                "seq": seq,
                "org_id": org,
                "kind": settings.kind,
                "file": raw.file_name,
                "file_sha256": raw.sha256,
                "rows": counts,
                "replaces": earlier,
            },
            root=base,
        )
    return Stored(doc_id, seq, result.rows, tuple(earlier), rel)


def _set_status(doc_id: str, org_id: str, actor, *, undo: bool, root, now) -> pl.DataFrame:
    base = root or store.data_dir()
    moment = now or datetime.now(UTC)
    with storing.upload_lock(base):
        sources = _part("import_sources", org_id, base)
        match = sources.filter(pl.col("doc_id") == doc_id)
        if match.is_empty():
            raise UploadRefusedError("Inläsningen finns inte för den här organisationen.")
        row = match.row(0, named=True)
        expect = (ACTIVE,) if undo else (UNDONE,)
        if row["status"] not in expect:
            state = STATUS_LABELS.get(row["status"], row["status"]).lower()
            raise UploadRefusedError(f"Inläsning nr {row['seq']} är {state}.")
        actor = access.require(actor, "import:write", root=root)
        who = actor.name.strip()
        changes: dict[str, str] = {doc_id: UNDONE if undo else ACTIVE}
        if undo:
            for other in (row["replaces"] or "").split(", "):
                if other and other in set(sources["doc_id"].to_list()):
                    changes[other] = ACTIVE
        else:
            rivals = sources.filter(
                (pl.col("status") == ACTIVE)
                & (pl.col("kind") == row["kind"])
                & (pl.col("doc_type") == row["doc_type"])
                & (pl.col("year") == row["year"])
                & (pl.col("doc_id") != doc_id)
            )["doc_id"].to_list()
            changes.update({d: REPLACED for d in rivals})
        hit = pl.col("doc_id").is_in(list(changes))
        new = sources.with_columns(
            status=pl.when(hit)
            .then(pl.col("doc_id").replace_strict(changes, default=None))
            .otherwise(pl.col("status")),
            status_by=pl.when(hit).then(pl.lit(who)).otherwise(pl.col("status_by")),
            status_at=pl.when(hit)
            .then(pl.lit(moment, dtype=tables.TIMESTAMP))
            .otherwise(pl.col("status_at")),
        )
        store.publish(
            {},
            parts={"import_sources": {org_id: new}},
            action="ångra inläsning" if undo else "återställ inläsning",
            who=who,
            details={"doc_id": doc_id, "org_id": org_id, "changes": changes},
            root=base,
        )
    return new.filter(pl.col("doc_id") == doc_id)


def undo(doc_id: str, org_id: str, actor, *, root: Path | None = None, now=None) -> pl.DataFrame:
    """Mark an import ``ångrad``; what it replaced becomes active again."""
    return _set_status(doc_id, org_id, actor, undo=True, root=root, now=now)


def restore(doc_id: str, org_id: str, actor, *, root: Path | None = None, now=None):
    """Make an undone import active again (it replaces the active one of its kind/year)."""
    return _set_status(doc_id, org_id, actor, undo=False, root=root, now=now)
