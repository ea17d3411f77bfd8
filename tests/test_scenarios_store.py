"""Saved scenarios: durable, audited, refused cleanly; and the scen_* queries behind them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import access, build, db, store
from budgetrummet import scenarios as sc
from budgetrummet.writes import scenarios as sc_writes
from tests.test_scenarios import baseline_from

ASK = "askersund_budget_2025"


@pytest.fixture(scope="module")
def ask(wh: db.Warehouse) -> sc.Baseline:
    return baseline_from(wh, "askersund", "askersund_budget_2025")


@pytest.fixture
def private(tmp_path: Path) -> Path:
    """A warehouse of our own, so writes never touch the shared test warehouse."""
    build.build(tmp_path, who="pytest")
    return tmp_path


def saved(root: Path) -> pl.DataFrame:
    return store.read_table("scenarios", root)


def test_scenario_queries_run_on_the_seed_warehouse(wh: db.Warehouse) -> None:
    layout, _ = sc.load_layout(wh.run_query, "askersund", ASK)
    figures, texts = sc.load_inputs(wh.run_query, "askersund", layout)
    ram = figures[(ASK, "ram")]
    assert dict(ram.select("line_key", "value_printed").iter_rows()) == {
        "resultatmal": "0,9",
        "ram": "115 021",
        "effektiviseringskrav": "1 907",
        "effektiviseringskrav_andel": "1,7",
    }
    total = figures[(ASK, "drift_verksamhet")].filter(line_key="total")
    assert dict(total.select("year", "finding").iter_rows()) == {
        2023: None,
        2024: None,
        2025: "avrundning",
        2026: None,
        2027: None,
        2028: None,
    }
    assert texts[(ASK, "kostnadsrisker")]["ref"].to_list() == [
        "risk_intro",
        "risk_skolskjutsar",
        "risk_sydnarkes_utbildningsforbund",
        "ej_budgeterat_rivning",
    ]
    assert wh.run_query("scen_saved", org_id="askersund").is_empty()
    # Bound parameters, not interpolated: a hostile value finds nothing.
    hostile = "askersund' or '1'='1"
    assert wh.run_query("scen_saved", org_id=hostile).is_empty()
    assert wh.run_query(
        "scen_doc_texts", org_id=hostile, doc_ids=[ASK], table_ids=["kostnadsrisker"]
    ).is_empty()


@pytest.mark.parametrize("doc_id", [ASK, "lerum_vp_2023"])
def test_per_document_reads_split_into_every_table_without_losing_a_row(
    wh: db.Warehouse, doc_id: str
) -> None:
    """``load_inputs`` reads one figure and one text query per document and splits the
    rows by table: every table the layout needs has figures, and the split frames hold
    exactly the query's rows, in its order."""
    org_id = doc_id.split("_")[0]
    layout, _ = sc.load_layout(wh.run_query, org_id, doc_id)
    figures, texts = sc.load_inputs(wh.run_query, org_id, layout)
    assert list(figures) == sc.figure_tables(layout)
    assert list(texts) == sc.text_tables(layout)
    assert all(not frame.is_empty() for frame in figures.values())
    for name, split in (("scen_doc_figures", figures), ("scen_doc_texts", texts)):
        for doc, table in split:
            # The same rows as the query for this one document and table, in its order.
            own = wh.run_query(name, org_id=org_id, doc_ids=[doc], table_ids=[table])
            assert split[(doc, table)].equals(own.drop("doc_id", "table_id")), (name, table)
    hostile = f"{org_id}' or '1'='1"
    assert wh.run_query(
        "scen_doc_figures", org_id=hostile, doc_ids=[layout.doc_id], table_ids=["ram"]
    ).is_empty()
    assert wh.run_query(
        "scen_doc_texts", org_id=org_id, doc_ids=[layout.doc_id], table_ids=["x' or '1'='1"]
    ).is_empty()
    assert wh.run_query(
        "scen_doc_figures", org_id=org_id, doc_ids=["x' or '1'='1"], table_ids=["ram"]
    ).is_empty()


def test_save_stores_the_levers_durably_and_audits_who(ask: sc.Baseline, private: Path) -> None:
    p = sc.ScenarioParams(requirement={2025: Decimal("1.7"), 2026: Decimal("2.5")})
    moment = datetime(2025, 3, 31, 14, 5, tzinfo=UTC)
    sid = sc_writes.save_scenario(
        ask,
        p,
        "  Hårdare   2026 ",
        access.Actor("Eva Ek", frozenset({"beredning"})),
        now=lambda: moment,
        root=private,
    )
    frame = saved(private)
    assert frame.select("scenario_id", "org_id", "name", "saved_by").row(0) == (
        sid,
        "askersund",
        "Hårdare 2026",
        "Eva Ek",
    )
    assert frame["saved_at"][0] == moment
    assert sc.params_from_json(ask, frame["params_json"][0]) == p
    last = store.read_audit(private)[-1]
    assert (last["who"], last["action"], last["name"]) == (
        "Eva Ek",
        "spara scenario",
        "Hårdare 2026",
    )
    # A fresh reader (another process would do the same) sees it through the query.
    rows = db.Warehouse(private).run_query("scen_saved", org_id="askersund")
    assert rows["name"].to_list() == ["Hårdare 2026"]
    assert db.Warehouse(private).run_query("scen_saved", org_id="lerum").is_empty()


@pytest.mark.parametrize(
    ("name", "actor", "error", "message"),
    [
        ("", "Eva", sc.ScenarioInputError, "Ge scenariot ett namn"),
        ("x" * 81, "Eva", sc.ScenarioInputError, "högst 80 tecken"),
        ("<b>fet</b>", "Eva", sc.ScenarioInputError, "otillåtna tecken"),
        ("Bra namn", "", access.AccessDeniedError, "Du är inte inloggad"),
        ("Bra namn", "   ", access.AccessDeniedError, "Du är inte inloggad"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    ask: sc.Baseline, private: Path, name: str, actor: str, error: type, message: str
) -> None:
    before = store.read_manifest(private).to_json()
    with pytest.raises(error, match=message):
        sc_writes.save_scenario(
            ask,
            sc.document_params(ask),
            name,
            access.Actor(actor, frozenset({"beredning"})),
            root=private,
        )
    assert store.read_manifest(private).to_json() == before
    assert saved(private).is_empty()


def test_a_name_is_used_once_per_organisation(ask: sc.Baseline, private: Path) -> None:
    actor = access.Actor("Eva", frozenset({"beredning"}))
    sc_writes.save_scenario(ask, sc.document_params(ask), "Plan", actor, root=private)
    with pytest.raises(sc.ScenarioInputError, match="redan ett scenario som heter ”PLAN”"):
        sc_writes.save_scenario(ask, sc.document_params(ask), "PLAN", actor, root=private)
    assert saved(private).height == 1


def test_delete_removes_only_that_scenario_and_needs_a_name(
    ask: sc.Baseline, private: Path
) -> None:
    actor = access.Actor("Eva", frozenset({"beredning"}))
    keep = sc_writes.save_scenario(ask, sc.document_params(ask), "Behåll", actor, root=private)
    drop = sc_writes.save_scenario(ask, sc.document_params(ask), "Ta bort", actor, root=private)
    with pytest.raises(access.AccessDeniedError):
        sc_writes.delete_scenario("askersund", drop, None, root=private)
    with pytest.raises(sc.ScenarioInputError, match="finns inte längre"):
        sc_writes.delete_scenario("lerum", drop, actor, root=private)
    assert saved(private).height == 2
    sc_writes.delete_scenario(
        "askersund", drop, access.Actor("Per", frozenset({"beredning"})), root=private
    )
    assert saved(private)["scenario_id"].to_list() == [keep]
    last = store.read_audit(private)[-1]
    assert (last["who"], last["action"], last["scenario_id"]) == ("Per", "ta bort scenario", drop)
    with pytest.raises(sc.ScenarioInputError, match="finns inte längre"):
        sc_writes.delete_scenario("askersund", drop, actor, root=private)
