"""A new budget year through the product: Askersund's Budget 2026 with plan 2027–2029,
imported from a file with the command line, becomes the document Driftbudget, Scenarier
and Översikt lead with, while the 2025 budget document stays selectable and unchanged."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import cli, clock, db, store

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "tests" / "fixtures" / "documents" / "askersund_budget_2026_testfil.csv"


@pytest.fixture(scope="module")
def imported(warehouse_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("budget2026") / "wh"
    shutil.copytree(warehouse_dir, root)
    out = io.StringIO()
    argv = ["import", "askersund", "budget", str(FILE), "--unit", "tkr"]
    code = cli.main([*argv, "--sign", "costs-negative"], out=out, root=root)
    assert code == cli.OK, out.getvalue()
    docs = db.Warehouse(root).run_query("sources_for_org", org_id="askersund")
    new = [d for d in docs["doc_id"].to_list() if d.startswith("imp_")]
    assert len(new) == 1
    return root, new[0]


@pytest.fixture
def on_imported(imported, monkeypatch: pytest.MonkeyPatch) -> str:
    root, doc_id = imported
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    monkeypatch.setenv(clock.ENV_TODAY, "2026-12-06")
    return doc_id


def page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = "askersund"
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def test_driftbudget_leads_with_the_imported_budget(on_imported: str) -> None:
    at = page("views/drift.py")
    assert at.selectbox(key="drift_budget_doc").value == on_imported
    plan = at.dataframe[0].value
    assert "Plan 2029" in plan.columns
    assert plan.iloc[-1]["Budget 2026"] == "−116\u00a0013"
    options = at.selectbox(key="drift_budget_doc").options
    assert len(options) == 2, "the 2025 budget document is still there to choose"


def test_overview_and_scenarier_move_to_2026(on_imported: str) -> None:
    at = page("views/overview.py")
    assert at.metric[0].label == "Budget 2026"
    assert not any("Senaste budget gäller" in w.value for w in at.warning)
    at = page("views/scenarios.py")
    assert at.selectbox(key="scen_dokument_askersund").value == on_imported
    assert "scen_askersund_krav_2029" in at.session_state
