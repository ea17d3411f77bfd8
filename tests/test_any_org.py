"""Any organisation, any year: pages pick documents from the data, never by name.

On a warehouse with a second budget document for Askersund (next year's), an
organisation with only a plan table and no config, and one with no documents at all
(``tests/synthetic.py``): Driftbudget, Scenarier and Översikt move to the newest budget
document and still show the older one unchanged on request; Scenarier computes from a
plan table with the default levers; every page says what is missing instead of failing.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import clock, db, drift, finance, overview, store
from budgetrummet import scenarios as sc
from tests import synthetic as syn

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "views/overview.py",
    "views/drift.py",
    "views/investments.py",
    "views/finance.py",
    "views/goals.py",
    "views/scenarios.py",
    "views/upload.py",
    "views/data_quality.py",
]


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return syn.build_warehouse(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture
def on_synthetic(synthetic_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The pages read the synthetic warehouse; today is fixed inside the newest budget year."""
    monkeypatch.setenv(store.ENV_DATA_DIR, str(synthetic_dir))
    monkeypatch.setenv(clock.ENV_TODAY, "2026-06-30")
    return synthetic_dir


@pytest.fixture(scope="module")
def swh(synthetic_dir: Path) -> db.Warehouse:
    return db.Warehouse(synthetic_dir)


def page(path: str, org: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = org
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def figs(wh: db.Warehouse, org: str) -> pl.DataFrame:
    return wh.run_query("figures_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES))


# --- a second budget document ---------------------------------------------------------


def test_the_newest_budget_document_comes_first(swh) -> None:
    docs = drift.budget_documents(
        figs(swh, "askersund"), swh.run_query("org_documents", org_id="askersund")
    )
    assert [(d.doc_id, d.budget_year, d.last_year) for d in docs] == [
        (syn.NEXT_DOC, 2026, 2029),
        (syn.SEED_BUDGET, 2025, 2028),
    ]
    tile = overview.budget_tile(
        figs(swh, "askersund"), swh.run_query("org_documents", org_id="askersund")
    )
    assert (tile.year, tile.budget_label, tile.budget) == (2026, "Budget 2026", Decimal("-116013"))


def test_budget_age_note_follows_today() -> None:
    assert drift.budget_age_note(2026, 2026) is None
    assert drift.budget_age_note(2025, 2026) == (
        "Senaste budget gäller 2025; det finns ingen budget för 2026."
    )
    assert drift.budget_age_note(None, 2026) == "Ingen budget är inläst för organisationen."


def test_driftbudget_moves_to_the_newest_and_keeps_the_older_unchanged(on_synthetic) -> None:
    at = page("views/drift.py", "askersund")
    assert at.selectbox(key="drift_budget_doc").value == syn.NEXT_DOC
    plan = at.dataframe[0].value
    assert [c for c in plan.columns if c != "Verksamhet"][:6] == [
        "Bokslut 2024",
        "Budget 2025",
        "Budget 2026",
        "Plan 2027",
        "Plan 2028",
        "Plan 2029",
    ]
    assert plan.iloc[-1]["Budget 2026"] == "−116\u00a0013"
    # Today (2026) is inside the newest budget year: no note that the data is old.
    assert not any("Senaste budget gäller" in c.value for c in at.caption)

    at.selectbox(key="drift_budget_doc").set_value(syn.SEED_BUDGET).run()
    assert not at.exception, at.exception
    older = at.dataframe[0].value
    assert "Plan 2029" not in older.columns
    assert older.iloc[-1]["Budget 2025"] == "−116\u00a0013"
    assert older.iloc[-1]["Plan 2028"] == "−125\u00a0549"


def test_overview_and_scenarier_move_to_the_newest(on_synthetic) -> None:
    at = page("views/overview.py", "askersund")
    assert at.metric[0].label == "Budget 2026"
    assert "Senaste prognos gäller 2024" in " ".join(c.value for c in at.caption)

    at = page("views/scenarios.py", "askersund")
    assert at.selectbox(key="scen_dokument_askersund").value == syn.NEXT_DOC
    assert "scen_askersund_krav_2029" in at.session_state
    at.selectbox(key="scen_dokument_askersund").set_value(syn.SEED_BUDGET).run()
    assert not at.exception, at.exception
    assert "scen_askersund_krav_2025" in at.session_state
    assert "scen_askersund_krav_2029" not in at.session_state


def test_an_old_budget_is_said_to_be_old(on_synthetic, monkeypatch) -> None:
    monkeypatch.setenv(clock.ENV_TODAY, "2027-12-01")
    at = page("views/overview.py", "askersund")
    assert any(
        w.value == "Senaste budget gäller 2026; det finns ingen budget för 2027."
        for w in at.warning
    )
    # Driftbudget and Scenarier say it under the title, for the newest budget only.
    for path in ("views/drift.py", "views/scenarios.py"):
        at = page(path, "askersund")
        captions = [c.value for c in at.caption]
        assert "Senaste budget gäller 2026; det finns ingen budget för 2027." in captions, path


# --- an organisation with only a plan table and no config ------------------------------


def test_scenarier_works_from_a_plan_table_without_config(swh) -> None:
    layout, docs = sc.load_layout(swh.run_query, syn.PLAN_ONLY)
    assert [d.doc_id for d in docs] == [syn.PLAN_ONLY_DOC]
    assert (layout.years, layout.history, layout.frame, layout.requirement) == (
        (2025, 2026),
        (),
        None,
        None,
    )
    assert layout.gross_table == "drift_verksamhet"
    assert any("inget effektiviseringskrav" in n for n in layout.notes)
    figures, texts = sc.load_inputs(swh.run_query, syn.PLAN_ONLY, layout)
    b = sc.build_baseline(syn.PLAN_ONLY, layout, figures, texts)
    assert b.base == {2025: Decimal("5000"), 2026: Decimal("5200")}
    # A 1 % requirement on the net budget in 2025 is 50 tkr, and it lasts into 2026.
    years = sc.compute(b, sc.ScenarioParams(requirement=((2025, Decimal("1")),))).years
    assert years["requirement"].to_list() == [Decimal("50"), Decimal("0")]
    assert years["change"].to_list() == [Decimal("50"), Decimal("50")]
    assert years["scenario_net"].to_list() == [Decimal("-4950"), Decimal("-5150")]
    # Index on the printed gross costs: 1 % of 5 500 in 2025.
    indexed = sc.compute(b, sc.ScenarioParams(index=((2025, Decimal("1")),))).years
    assert indexed["index_effect"][0] == Decimal("-55")


def test_scenarier_page_renders_for_a_plan_only_organisation(on_synthetic) -> None:
    at = page("views/scenarios.py", syn.PLAN_ONLY)
    assert at.title[0].value == f"Scenarier – {syn.PLAN_ONLY_NAME}"
    assert at.metric, "the key numbers are shown"


# --- every page for organisations with some or no data ----------------------------------


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("org", [syn.PLAN_ONLY, syn.EMPTY])
def test_every_page_says_what_is_missing(on_synthetic, path: str, org: str) -> None:
    at = page(path, org)
    said = " ".join(e.value for e in [*at.info, *at.caption, *at.markdown, *at.warning])
    assert said.strip(), "the page says something"
    if org == syn.EMPTY and path in ("views/drift.py", "views/scenarios.py"):
        assert f"Ingen budget är inläst för {syn.EMPTY_NAME}" in said
    if path == "views/investments.py":
        assert "Ingen investeringsplan är inläst" in said


def test_a_document_without_roles_takes_its_lines_roles_from_the_organisation(swh) -> None:
    # Next year's document has no config: its tax and grant lines are found by the roles
    # the same line keys have in the organisation's other budget document.
    fin = swh.run_query("figures_by_tables", org_id="askersund", table_ids=list(finance.ALL_TABLES))
    goal = overview.result_goal(fin)
    assert (goal.year, goal.percent, goal.goal_tkr) == (2026, Decimal("0.9"), Decimal("7681.266"))
    roles = fin.filter(pl.col("doc_id") == syn.NEXT_DOC, pl.col("line_role").is_not_null())
    assert set(roles["line_role"].unique()) >= {"skatteintakter", "statsbidrag", "avskrivningar"}


def test_next_years_document_inherits_the_line_roles_but_not_the_texts(swh) -> None:
    layout, _ = sc.load_layout(swh.run_query, "askersund")
    assert layout.doc_id == syn.NEXT_DOC
    assert layout.years == (2026, 2027, 2028, 2029)
    assert layout.frame == ("ram", "ram") and layout.requirement is not None
    assert layout.risks == () and layout.risks_table is None  # texts belong to their document
    figures, texts = sc.load_inputs(swh.run_query, "askersund", layout)
    b = sc.build_baseline("askersund", layout, figures, texts)
    assert b.documented[2026].amount == Decimal("1907")
    assert b.base[2029] == Decimal("115021")
    assert b.finance is not None and b.goal_percent == Decimal("0.9")
    roles = swh.run_query("line_roles_for_org", org_id="askersund")
    assert not roles.filter(pl.col("doc_id") == syn.SEED_BUDGET)["inherited"].any()
