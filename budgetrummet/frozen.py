"""Scenarios frozen "as presented": what the committee saw, kept exactly.

A frozen scenario stores the document the page showed (``minutes.Minutes``: levers,
key numbers and tables as formatted text, charts as Plotly figure JSON), the levers and
the data version it was computed from. Reopening shows the stored document, never a
recomputation, so new data (an upload, a corrected figure) cannot change what was
presented; the data version says which data it was.

Writes are checked (``scenario:save``, the same right as saving a scenario) and
audited through ``budgetrummet.store``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import plotly.io as pio
import polars as pl

from budgetrummet import db, fmt, store, vocab
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.scenarios import Baseline

TABLE = "frozen_scenarios"
FORMAT = 1


def document_to_json(doc: mn.Minutes, snapshot: store.Snapshot | None = None) -> str:
    """The document as stored; ``snapshot`` (the tables' versions it was computed from)
    lets a reopened scenario show its data as it was."""
    body = {
        "format": FORMAT,
        "title": doc.title,
        "organisation": doc.organisation,
        "data": {
            "id": doc.data.id,
            "published": doc.data.published.isoformat() if doc.data.published else None,
        },
        "made_by": doc.made_by,
        "made_at": doc.made_at.isoformat(),
        "note": doc.note,
        "sections": [
            {
                "heading": s.heading,
                "lines": list(s.lines),
                "tables": [
                    {
                        "title": t.title,
                        "columns": list(t.columns),
                        "rows": [list(r) for r in t.rows],
                    }
                    for t in s.tables
                ],
                "charts": [
                    {
                        "figure": json.loads(pio.to_json(c.figure, validate=False)),
                        "width": c.width,
                        "height": c.height,
                    }
                    for c in s.charts
                ],
            }
            for s in doc.sections
        ],
    }
    if snapshot is not None:
        body["snapshot"] = {
            "versions": snapshot.versions,
            "seed_sha256": snapshot.seed_sha256,
            "audit_version": snapshot.audit_version,
        }
    return json.dumps(body, ensure_ascii=False)


def snapshot_from_json(text: str) -> store.Snapshot | None:
    """The tables' versions a frozen document was computed from (None if not recorded)."""
    body = json.loads(text).get("snapshot")
    if not body:
        return None
    return store.Snapshot(
        {str(k): int(v) for k, v in body["versions"].items()},
        str(body.get("seed_sha256", "")),
        int(body.get("audit_version", -1)),
    )


def data_changed(snapshot: store.Snapshot, root: Path | None = None) -> bool:
    """Whether a table holding figures has a newer version now than in ``snapshot``."""
    current = store.read_snapshot(root)
    if current is None:
        return False
    return any(
        current.versions.get(name) != version
        for name, version in snapshot.versions.items()
        if name not in mn.NOT_DATA
    )


def baseline_as_of(
    org_id: str, params_json: str, snapshot: store.Snapshot, root: Path | None = None
) -> Baseline | None:
    """The scenario's baseline computed from the data as it was at ``snapshot`` (the
    budget document the levers name), or None when that data is no longer kept
    (vacuumed) or had no budget document."""
    doc_id = json.loads(params_json).get("doc_id") if params_json else None
    wh = db.Warehouse(root, snapshot=snapshot)
    try:
        layout, _ = sc.load_layout(wh.run_query, org_id, doc_id)
        if layout is None:
            return None
        figures, texts = sc.load_inputs(wh.run_query, org_id, layout)
    except (duckdb.IOException, OSError, ValueError):
        return None  # a version vacuumed away: its files are gone
    return sc.build_baseline(org_id, layout, figures, texts)


def document_from_json(text: str) -> mn.Minutes:
    body = json.loads(text)
    if body.get("format") != FORMAT:
        raise ValueError(f"okänt format på fryst scenario: {body.get('format')!r}")
    published = body["data"]["published"]
    return mn.Minutes(
        title=body["title"],
        organisation=body["organisation"],
        data=mn.DataVersion(
            body["data"]["id"], datetime.fromisoformat(published) if published else None
        ),
        made_by=body["made_by"],
        made_at=datetime.fromisoformat(body["made_at"]),
        note=body["note"],
        sections=[
            mn.Section(
                heading=s["heading"],
                lines=tuple(s["lines"]),
                tables=tuple(
                    mn.Table(t["columns"], [tuple(r) for r in t["rows"]], t["title"])
                    for t in s["tables"]
                ),
                charts=tuple(mn.Chart(c["figure"], c["width"], c["height"]) for c in s["charts"]),
            )
            for s in body["sections"]
        ],
    )


def totals_table(baseline: Baseline) -> pl.DataFrame:
    """The baseline's printed totals per year, formatted (for the data as it was)."""
    decimals = vocab.decimals(baseline.unit)
    return pl.DataFrame(
        {
            "År": baseline.totals["column_label"].to_list(),
            f"Nettokostnad ({baseline.unit})": [
                fmt.number(v, decimals) for v in baseline.totals["net"].to_list()
            ],
        },
        schema={"År": pl.String, f"Nettokostnad ({baseline.unit})": pl.String},
    )
