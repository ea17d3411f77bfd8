"""A warehouse with more than the seed: data the other import paths will bring, made here.

Built from the seed's figures in the test, so the pages can be tried on:

- a second budget document for an organisation that has one (``NEXT_DOC``: the seed's
  budget document shifted one year, budget 2026 with plan 2027–2029, dated a year later);
- an organisation with only a plan table of a few verksamheter and no config at all
  (``PLAN_ONLY``): no frame, no requirement, no risks, no finance, no notes;
- an organisation with no documents at all (``EMPTY``): only its organisation row.

Nothing here is real data; it only exercises how the pages pick documents by type,
date, table, version and year.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import polars as pl

from budgetrummet import build, store

SEED_ORG = "askersund"
SEED_BUDGET = "askersund_budget_2025"
NEXT_DOC = "syntet_budget_nasta_ar"
PLAN_ONLY = "syntet_namnd"
PLAN_ONLY_NAME = "Syntetiska nämnden"
PLAN_ONLY_DOC = "syntet_plan"
EMPTY = "syntet_tom"
EMPTY_NAME = "Tomma förbundet"


def _shift_label(label: str) -> str:
    return re.sub(r"(?<!\d)(20\d\d)(?!\d)", lambda m: str(int(m.group(1)) + 1), label)


def next_year_rows(rows: list[dict]) -> list[dict]:
    """The seed budget document's figures as next year's document (every year + 1)."""
    out = []
    for r in rows:
        if r["doc_id"] != SEED_BUDGET:
            continue
        out.append(
            {
                **r,
                "doc_id": NEXT_DOC,
                "year": r["year"] + 1,
                "year_printed": r["year_printed"] + 1,
                "column_label": _shift_label(r["column_label"]),
                "table_title": _shift_label(r["table_title"]),
            }
        )
    return out


PLAN_LINES = [("vh10", "10 Styrelse", "-1 000"), ("vh20", "20 Fritid", "-4 000")]
PLAN_YEARS = [("budget_kf", 2025, "Budget 2025"), ("plan", 2026, "Plan 2026")]


def plan_only_rows() -> list[dict]:
    """A plan table of two verksamheter with its printed total, net and gross costs."""
    rows = []
    order = 0

    def add(row_no, label, key, kind, measure, version, year, column, printed) -> None:
        nonlocal order
        value = Decimal(printed.replace(" ", "").replace("\u2212", "-"))
        rows.append(
            {
                "doc_id": PLAN_ONLY_DOC,
                "table_id": "drift_verksamhet",
                "table_title": "Driftbudget per verksamhet",
                "source_line": 10 + row_no,
                "row_no": row_no,
                "line_label": label,
                "line_key": key,
                "row_kind": kind,
                "rollup_group": "" if kind == "total" else "drift_verksamhet",
                "total_of": "drift_verksamhet" if kind == "total" else "",
                "column_label": column,
                "measure": measure,
                "version": version,
                "year": year,
                "as_of": "",
                "unit": "tkr",
                "value_printed": printed,
                "category": "",
                "org_id": PLAN_ONLY,
                "year_printed": year,
                "value_printed_num": value,
                "value": value,
                "decimals": 0,
                "has_erratum": False,
                "_order": order,
            }
        )
        order += 1

    for version, year, column in PLAN_YEARS:
        step = 0 if version == "budget_kf" else 100
        for i, (key, label, printed) in enumerate(PLAN_LINES, start=1):
            amount = int(printed.replace(" ", "")) - step
            add(i, label, key, "line", "netto", version, year, column, f"{amount}")
        total = sum(int(p.replace(" ", "")) - step for _, _, p in PLAN_LINES)
        add(9, "Summa", "total", "total", "netto", version, year, column, f"{total}")
        add(9, "Summa", "total", "total", "kostnad", version, year, column, f"{total - 500}")
    return rows


def _source(doc_id: str, org_id: str, org_name: str, title: str, doc_date: str) -> dict:
    return {
        "doc_id": doc_id,
        "org_id": org_id,
        "org_name": org_name,
        "body": "Nämnden",
        "title": title,
        "doc_type": "budget",
        "doc_date": doc_date,
        "file": f"{doc_id}.txt",
        "original_file": f"{doc_id}.txt",
        "sha256": "0" * 64,
        "short_title": "",
    }


def build_warehouse(root: Path) -> Path:
    """Publish the seed plus the synthetic documents and organisations into ``root``."""
    frames = build.build_frames()
    seed_rows = build.load_figures()
    rows = seed_rows + next_year_rows(seed_rows) + plan_only_rows()
    sources = frames["sources"].to_dicts() + [
        _source(NEXT_DOC, SEED_ORG, "Askersund", "Budget 2026 med plan 2027–2029", "2026-01-07"),
        _source(PLAN_ONLY_DOC, PLAN_ONLY, PLAN_ONLY_NAME, "Budget och plan", "2025-01-15"),
    ]
    orgs = frames["organisations"].to_dicts() + [
        {"org_id": PLAN_ONLY, "org_name": PLAN_ONLY_NAME},
        {"org_id": EMPTY, "org_name": EMPTY_NAME},
    ]
    frames |= {
        "figures": build._figures_frame(rows),
        "sources": pl.DataFrame(sources, schema=frames["sources"].schema),
        "organisations": pl.DataFrame(orgs, schema=frames["organisations"].schema),
    }
    # Built from the seed first, then the extra documents published on top, as an import
    # publishes: the manifest still names the seed it was built from, so no page rebuilds.
    build.build(root, who="pytest")
    store.publish(frames, action="test: syntetiska dokument", who="pytest", root=root)
    return root
