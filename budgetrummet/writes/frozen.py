"""Frozen scenarios: a scenario stored as it was presented, behind the access check, and
the organisation's frozen scenarios read back (this module owns their table)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from budgetrummet import access, store, tables
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.frozen import TABLE, document_to_json


def freeze(
    org_id: str,
    name: str,
    params_json: str,
    doc: mn.Minutes,
    actor: access.Actor | None,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    root: Path | None = None,
) -> str:
    """Store ``doc`` as presented under ``name``; returns the id. Refuses a bad name
    (``sc.ScenarioInputError``) or a person without the right (``AccessDeniedError``)
    before anything is written."""
    text = sc.clean_name(name)
    who = access.require(actor, "scenario:save", root=root)
    frozen_id = uuid.uuid4().hex
    # The tables' versions the document was computed from: reopened after new data, the
    # scenario can show its data as it was (``frozen.baseline_as_of``).
    snapshot = store.read_snapshot(root)
    row = pl.DataFrame(
        [
            {
                "frozen_id": frozen_id,
                "org_id": org_id,
                "name": text,
                "params_json": params_json,
                "data_version": doc.data.id,
                "document_json": document_to_json(doc, snapshot),
                "frozen_by": who.name.strip(),
                "frozen_at": now(),
            }
        ],
        schema=tables.USER_TABLES[TABLE],
    )
    store.append_rows(
        TABLE,
        row,
        action="frys scenario som presenterat",
        who=who.name.strip(),
        details={"frozen_id": frozen_id, "org_id": org_id, "name": text},
        root=root,
    )
    return frozen_id


def list_frozen(org_id: str, root: Path | None = None) -> pl.DataFrame:
    """The organisation's frozen scenarios, newest first."""
    table = store.read_table(TABLE, root)
    if table is None:
        return tables.empty(TABLE)
    return table.filter(pl.col("org_id") == org_id).sort("frozen_at", descending=True)
