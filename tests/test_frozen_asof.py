"""A frozen scenario records the tables' versions it was computed from; reopened after new
data it can show its baseline from the data as it was."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import access, build, db, frozen, store
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.writes import frozen as frozen_writes
from tests.test_minutes import document

ADMIN = access.Actor("Anna Andersson", frozenset({access.ADMIN}))
ORG, DOC = "askersund", "askersund_budget_2025"


@pytest.fixture
def private(tmp_path: Path) -> Path:
    build.build(tmp_path, who="pytest")
    return tmp_path


def baseline_now(root: Path) -> sc.Baseline:
    wh = db.Warehouse(root)
    layout, _ = sc.load_layout(wh.run_query, ORG, DOC)
    assert layout is not None
    figures, texts = sc.load_inputs(wh.run_query, ORG, layout)
    return sc.build_baseline(ORG, layout, figures, texts)


def test_reopened_after_new_data_the_baseline_is_the_data_as_it_was(private: Path) -> None:
    presented = baseline_now(private)
    before = store.read_snapshot(private)
    params = json.dumps({"doc_id": DOC, "levers": {}})
    frozen_id = frozen_writes.freeze(
        ORG, "Presenterat i KS", params, document(data=mn.data_version(private)), ADMIN,
        root=private,
    )  # fmt: skip
    row = frozen_writes.list_frozen(ORG, private).row(0, named=True)
    assert row["frozen_id"] == frozen_id
    recorded = frozen.snapshot_from_json(row["document_json"])
    assert recorded is not None and before is not None
    assert recorded.versions == before.versions
    # freezing is no new data
    assert not frozen.data_changed(recorded, private)

    # new data: every figure of the organisation doubled (a corrected document)
    store.replace_table(
        "figures",
        lambda f: f.with_columns(
            pl.when(pl.col("org_id") == ORG)
            .then(pl.col("value") * 2)
            .otherwise(pl.col("value"))
            .alias("value")
        ),
        action="rätta siffror",
        who="pytest",
        root=private,
    )
    assert frozen.data_changed(recorded, private)
    now = baseline_now(private)
    assert now.totals["net"].to_list() != presented.totals["net"].to_list()

    then = frozen.baseline_as_of(ORG, row["params_json"], recorded, private)
    assert then is not None
    assert then.totals.equals(presented.totals)
    assert then.lines.equals(presented.lines)
    table = frozen.totals_table(then)
    assert table.columns == ["År", f"Nettokostnad ({then.unit})"]
    first = presented.totals["net"][0]
    assert isinstance(first, Decimal)
    assert table.row(0)[1].replace("\u00a0", " ").replace("\u2212", "-").replace(" ", "") == str(
        int(first)
    )


def test_a_vacuumed_version_says_none_rather_than_failing(private: Path) -> None:
    before = store.read_snapshot(private)
    assert before is not None
    store.replace_table(
        "figures", lambda f: f.head(f.height - 1), action="ta bort en rad", who="pytest",
        root=private,
    )  # fmt: skip
    store.vacuum(keep_days=0, who="pytest", root=private)
    params = json.dumps({"doc_id": DOC})
    assert frozen.baseline_as_of(ORG, params, before, private) is None


def test_a_document_frozen_before_versions_were_recorded_has_none() -> None:
    assert frozen.snapshot_from_json(frozen.document_to_json(document())) is None


def test_the_page_offers_the_data_as_it_was(private: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from budgetrummet.seed import REPO_ROOT

    monkeypatch.setenv(store.ENV_DATA_DIR, str(private))
    params = json.dumps({"doc_id": DOC, "levers": {}})
    frozen_writes.freeze(
        ORG, "Presenterat i KS", params, document(data=mn.data_version(private)), ADMIN,
        root=private,
    )  # fmt: skip
    at = AppTest.from_file(str(REPO_ROOT / "views" / "scenarios.py"), default_timeout=60)
    at.session_state["org"] = ORG
    at.run()
    assert not at.exception, at.exception
    assert not [t for t in at.toggle if t.label.startswith("Visa grunddata")], "no new data yet"

    store.replace_table(
        "figures", lambda f: f.with_columns((pl.col("value") * 2).alias("value")),
        action="rätta siffror", who="pytest", root=private,
    )  # fmt: skip
    at.run()
    toggle = next(t for t in at.toggle if t.label.startswith("Visa grunddata som den var"))
    assert any("har ändrats sedan scenariot frystes" in c.value for c in at.caption)
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    assert any(m.value.startswith("**Grunddata, data som den var") for m in at.markdown)
    shown = at.dataframe[-1].value
    assert list(shown.columns)[0] == "År" and len(shown) >= 3
