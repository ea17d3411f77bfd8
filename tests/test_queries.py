"""Every SQL file runs with bound parameters against a warehouse of tiny seeded tables."""

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from budgetrummet import build, db, store


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> db.Warehouse:
    """A warehouse with two organisations and a handful of rows, built with the real builder."""
    root: Path = tmp_path_factory.mktemp("tiny")
    rows = []
    for org, doc, value in (("a", "doc_a", "10"), ("b", "doc_b", "20")):
        for i, (key, kind, v) in enumerate((("x", "line", value), ("total", "total", value))):
            rows.append(
                {
                    "doc_id": doc,
                    "table_id": "t",
                    "table_title": "Tabell T",
                    "source_line": 5 + i,
                    "row_no": 1 + i,
                    "line_label": key,
                    "line_key": key,
                    "row_kind": kind,
                    "rollup_group": "g" if kind == "line" else "",
                    "total_of": "g" if kind == "total" else "",
                    "column_label": "Budget 2025",
                    "measure": "netto",
                    "version": "budget_kf",
                    "as_of": "",
                    "unit": "tkr",
                    "value_printed": v,
                    "category": "",
                    "org_id": org,
                    "year": 2025,
                    "year_printed": 2025,
                    "value_printed_num": Decimal(v),
                    "value": Decimal(v),
                    "decimals": 0,
                    "has_erratum": False,
                    "_order": i,
                }
            )
    frames = {
        "organisations": pl.DataFrame({"org_id": ["a", "b"], "org_name": ["Alfa", "Beta"]}),
        "sources": pl.DataFrame(
            {
                "doc_id": ["doc_a", "doc_b"],
                "org_id": ["a", "b"],
                "org_name": ["Alfa", "Beta"],
                "body": ["KS", "KS"],
                "title": ["A-dok", "B-dok"],
                "doc_type": ["budget"] * 2,
                "doc_date": ["2025-01-01", "2024-01-01"],
                "file": ["a.txt", "b.txt"],
                "original_file": ["a0.txt", "b0.txt"],
                "sha256": ["0" * 64, "1" * 64],
                "short_title": ["A", ""],
            }
        ),
        "figures": build._figures_frame(rows),
        "reconciliation": build.reconciliation_frame(rows, rules=(), aliases={}),
        "line_roles": pl.DataFrame(
            {
                "org_id": ["a"],
                "doc_id": ["doc_a"],
                "table_id": ["t"],
                "line_key": ["x"],
                "role": ["skatteintakter"],
            }
        ),
        "errata": pl.DataFrame(
            {
                "doc_id": ["doc_a"],
                "table_id": ["t"],
                "source_line": [5],
                "row_no": ["1"],
                "line_key": ["x"],
                "column_label": ["Budget 2025"],
                "field": ["value"],
                "printed": ["1O"],
                "corrected": ["10"],
                "kind": ["trunkerat tal"],
                "reason": ["prov"],
                "org_id": ["a"],
            },
            schema_overrides={"source_line": pl.Int32},
        ),
    }
    store.publish(frames, seed_sha256="tiny", action="test", root=root)
    return db.Warehouse(root)


def run(wh: db.Warehouse, name: str, **params: object) -> pl.DataFrame:
    return wh.run_query(name, **params)


def test_organisations(tiny: db.Warehouse) -> None:
    expected = pl.DataFrame({"org_id": ["a", "b"], "org_name": ["Alfa", "Beta"]})
    assert_frame_equal(run(tiny, "organisations"), expected)


def test_sources_for_org_counts_only_that_org(tiny: db.Warehouse) -> None:
    out = run(tiny, "sources_for_org", org_id="b")
    assert out.select("doc_id", "figures", "tables").to_dicts() == [
        {"doc_id": "doc_b", "figures": 2, "tables": 1}
    ]


def test_table_row_counts(tiny: db.Warehouse) -> None:
    out = run(tiny, "table_row_counts", org_id="a")
    assert out.select(
        "table_id", "printed_lines", "figures", "totals", "first_line", "last_line"
    ).row(0) == ("t", 2, 2, 1, 5, 6)


def test_figures_by_tables(tiny: db.Warehouse) -> None:
    out = run(tiny, "figures_by_tables", org_id="a", table_ids=["t"])
    assert out["value"].to_list() == [Decimal("10.000"), Decimal("10.000")]
    assert out["doc_id"].unique().to_list() == ["doc_a"]
    assert out.select("line_key", "line_role").rows() == [("x", "skatteintakter"), ("total", None)]
    assert run(tiny, "figures_by_tables", org_id="a", table_ids=["u"]).is_empty()


def test_reconciliation_for_org(tiny: db.Warehouse) -> None:
    out = run(tiny, "reconciliation_for_org", org_id="a")
    assert out.select("kind", "klass").to_dicts() == [{"kind": "summa", "klass": "stämmer"}]


def test_errata_for_org_joins_the_printed_labels(tiny: db.Warehouse) -> None:
    out = run(tiny, "errata_for_org", org_id="a")
    assert out.select("table_title", "line_label", "printed", "corrected").row(0) == (
        "Tabell T",
        "x",
        "1O",
        "10",
    )
    assert run(tiny, "errata_for_org", org_id="b").is_empty()


def test_parameters_are_bound_not_interpolated(tiny: db.Warehouse) -> None:
    hostile = "a' or '1'='1"
    assert run(tiny, "sources_for_org", org_id=hostile).is_empty()


def test_every_query_file_is_documented() -> None:
    for name in db.query_names():
        head = db.load_sql(name).lstrip()
        assert head.startswith("-- grain:"), f"{name}.sql must open with its grain"
        assert "-- parameters:" in head, f"{name}.sql must state its parameters"
