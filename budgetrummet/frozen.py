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
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import plotly.io as pio
import polars as pl

from budgetrummet import access, store, tables
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc

TABLE = "frozen_scenarios"
FORMAT = 1


def document_to_json(doc: mn.Minutes) -> str:
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
    return json.dumps(body, ensure_ascii=False)


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
    row = pl.DataFrame(
        [
            {
                "frozen_id": frozen_id,
                "org_id": org_id,
                "name": text,
                "params_json": params_json,
                "data_version": doc.data.id,
                "document_json": document_to_json(doc),
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
