"""The overview: tile data pinned to the printed figures, and the page for both organisations."""

from decimal import Decimal
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from budgetrummet import drift, finance, overview

ROOT = Path(__file__).resolve().parent.parent


def figs(wh, org: str) -> pl.DataFrame:
    return wh.run_query("figures_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES))


def docs(wh, org: str) -> pl.DataFrame:
    return wh.run_query("org_documents", org_id=org)


def test_latest_forecast_is_against_the_adjusted_budget(wh) -> None:
    tile = overview.latest_forecast(figs(wh, "askersund"))
    assert (tile.year, tile.budget, tile.forecast, tile.deviation, tile.as_of) == (
        2024,
        Decimal("-169744"),
        Decimal("-174861"),
        Decimal("-5117"),
        "2024-08-31",
    )
    assert round(tile.deviation_pct, 2) == Decimal("-3.01")


def test_budget_tile_leads_with_the_newest_budget_year(wh) -> None:
    # The newest budget document is the budget 2025; the 2024 forecast is older.
    tile = overview.budget_tile(figs(wh, "askersund"), docs(wh, "askersund"))
    assert (tile.year, tile.budget, tile.budget_label, tile.forecast) == (
        2025,
        Decimal("-116013"),
        "Budget 2025",
        None,
    )


def test_budget_tile_without_forecast_is_the_latest_budget(wh) -> None:
    tile = overview.budget_tile(figs(wh, "lerum"), docs(wh, "lerum"))
    assert (tile.year, tile.budget, tile.unit, tile.forecast) == (
        2023,
        Decimal("-256.8"),
        "mkr",
        None,
    )


def test_freshness_names_the_newest_document(wh) -> None:
    fresh = overview.freshness(wh.run_query("org_documents", org_id="askersund"))
    assert (fresh.latest_date, fresh.documents, fresh.uploads) == ("2025-01-07", 2, 0)
    assert overview.freshness(wh.run_query("org_documents", org_id="nobody")) is None


def test_shorten_cuts_at_a_word() -> None:
    assert (
        overview.shorten("Mål 3: Deltagarna inom arbetsmarknadsenheten", 20) == "Mål 3: Deltagarna…"
    )
    assert overview.shorten("kort", 20) == "kort"


def run(org: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = org
    at.run()
    assert not at.exception, at.exception
    return at


def text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def test_overview_is_the_start_page_with_every_tile(warehouse_dir) -> None:
    at = run("askersund")
    assert at.header[0].value == "Översikt – Askersund"
    assert at.metric[0].label == "Budget 2025"
    assert at.metric[0].value == "−116\u00a0013\u00a0tkr"
    shown = text(at)
    assert "Senaste prognos gäller 2024: −174\u00a0861\u00a0tkr per 2024-08-31" in shown
    assert "−5\u00a0117\u00a0tkr" in shown
    assert "Närlundaskolan, etapp 2: **−12\u00a0150\u00a0tkr**" in shown
    assert "Delårsbokslut 2024-08-31" in shown
    assert "Motsägelser i källorna: **15**" in shown
    assert "2025-01-07" in shown
    assert "= **7\u00a0681\u00a0tkr**" in shown


def test_result_goal_is_computed_from_the_printed_tax_and_grants(wh) -> None:
    fin = wh.run_query("figures_by_tables", org_id="askersund", table_ids=list(finance.ALL_TABLES))
    goal = overview.result_goal(fin)
    # 0,9 % × (657 082 + 196 392) = 7 681,266 tkr
    assert (goal.year, goal.percent, goal.goal_tkr) == (2025, Decimal("0.9"), Decimal("7681.266"))
    lerum = wh.run_query("figures_by_tables", org_id="lerum", table_ids=list(finance.ALL_TABLES))
    assert overview.result_goal(lerum) is None


def test_overview_for_lerum_says_what_is_missing(warehouse_dir) -> None:
    at = run("lerum")
    assert at.header[0].value == "Översikt – Lerum"
    assert at.metric[0].value == "−256,8\u00a0mkr"
    infos = " ".join(i.value for i in at.info)
    assert "Ingen uppföljning av investeringsprojekt" in infos
    assert "Inga mål med trafikljus" in infos
    assert "Soliditet" in text(at)


def test_uploaded_outcome_and_forecast_for_the_budget_year_are_named() -> None:
    loaded = pl.DataFrame(
        {
            "kind": ["utfall", "utfall", "prognos", "utfall"],
            "year": [2025, 2025, 2025, 2024],
            "period": ["2025-02", "2025-03", "2025-04-30", "2024-12"],
        }
    )
    assert overview.uploaded_for_year(loaded, 2025) == (
        "Uppladdat för 2025: utfall t.o.m. 2025-03 och prognos t.o.m. 2025-04-30 (se Driftbudget)."
    )
    assert overview.uploaded_for_year(loaded, 2026) is None
    assert overview.uploaded_for_year(loaded.head(0), 2025) is None
