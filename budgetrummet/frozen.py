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

import plotly.io as pio

from budgetrummet import minutes as mn

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
