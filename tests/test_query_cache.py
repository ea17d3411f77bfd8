"""The process-wide query cache: one run per publication, never a frame of an old one."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import db, store
from budgetrummet.ui import data
from budgetrummet.ui.data import QueryCache


def test_a_hit_hands_out_the_same_frame_and_the_oldest_entry_goes_first() -> None:
    cache = QueryCache(max_entries=2)
    calls: list[str] = []

    def compute(tag: str):
        def run() -> pl.DataFrame:
            calls.append(tag)
            return pl.DataFrame({"x": [tag]})

        return run

    a = cache.get(("a",), compute("a"))
    assert cache.get(("a",), compute("a")) is a
    cache.get(("b",), compute("b"))
    cache.get(("a",), compute("a"))  # a is now the most recent
    cache.get(("c",), compute("c"))  # b is dropped, not a
    assert calls == ["a", "b", "c"]
    cache.get(("a",), compute("a"))
    cache.get(("b",), compute("b"))
    assert calls == ["a", "b", "c", "b"] and len(cache) == 2
    cache.clear()
    assert len(cache) == 0


@pytest.fixture
def private(warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    return root


def test_queries_run_once_per_publication(private: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[tuple[str, dict]] = []
    real = db.run_query

    def counting(name: str, **params: object) -> pl.DataFrame:
        runs.append((name, params))
        return real(name, **params)

    monkeypatch.setattr(db, "run_query", counting)
    first = data.query("scen_doc_figures", org_id="askersund", doc_ids=["askersund_budget_2025"],
                       table_ids=["ram"])  # fmt: skip
    again = data.query("scen_doc_figures", table_ids=["ram"], doc_ids=["askersund_budget_2025"],
                       org_id="askersund")  # fmt: skip
    assert again is first and len(runs) == 1
    # A list parameter is part of the key too.
    data.query("figures_by_tables", org_id="askersund", table_ids=["ram"])
    data.query("figures_by_tables", org_id="askersund", table_ids=["ram"])
    assert len(runs) == 2
    # A new publication (here: organisation names changed) is a new stamp, so the next
    # question runs the query on the new files.
    renamed = store.read_table("organisations", private).with_columns(
        pl.col("org_name").str.to_uppercase()
    )
    store.publish({"organisations": renamed}, action="test", who="pytest", root=private)
    after = data.query("scen_doc_figures", org_id="askersund", doc_ids=["askersund_budget_2025"],
                       table_ids=["ram"])  # fmt: skip
    assert len(runs) == 3 and after is not first
    assert after.equals(first)
    assert data.query("organisations")["org_name"].to_list() == ["ASKERSUND", "LERUM"]


def test_a_kept_none_is_a_hit() -> None:
    cache = QueryCache()
    calls: list[int] = []
    for _ in range(2):
        assert cache.get(("none",), lambda: calls.append(1)) is None
    assert calls == [1]


def test_prepared_and_derived_values_are_built_once_per_publication(private: Path) -> None:
    built: list[str] = []

    def heights(frame: pl.DataFrame) -> int:
        built.append("prepared")
        return frame.height

    def names() -> list[str]:
        built.append("derived")
        return data.query("organisations")["org_name"].to_list()

    first = data.prepared("organisations", heights)
    assert data.prepared("organisations", heights) == first == 2
    assert data.derived("names", names, org_id="x") is data.derived("names", names, org_id="x")
    assert built == ["prepared", "derived"]
    # Other parameters are another value.
    data.derived("names", names, org_id="y")
    assert built == ["prepared", "derived", "derived"]
    # A new publication builds them again, from the new tables.
    renamed = store.read_table("organisations", private).with_columns(
        pl.col("org_name").str.to_uppercase()
    )
    store.publish({"organisations": renamed}, action="test", who="pytest", root=private)
    assert data.derived("names", names, org_id="x") == ["ASKERSUND", "LERUM"]
    assert data.prepared("organisations", heights) == 2
    assert built == ["prepared", "derived", "derived", "derived", "prepared"]
