"""Operating budget: versions, plan table, changes, forecast, bridges, and the page."""

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import drift
from budgetrummet.charts import drift as charts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ask(wh) -> pl.DataFrame:
    return wh.run_query("figures_by_tables", org_id="askersund", table_ids=list(drift.ALL_TABLES))


@pytest.fixture(scope="module")
def ler(wh) -> pl.DataFrame:
    return wh.run_query("figures_by_tables", org_id="lerum", table_ids=list(drift.ALL_TABLES))


def col(table: pl.DataFrame, periods, label: str, key: str) -> Decimal | None:
    period = next(p for p in periods if p.label == label)
    return table.filter(pl.col("line_key") == key)[period.key][0]


def test_periods_are_the_documents_versions(ask, ler) -> None:
    assert [p.label for p in drift.plan_periods(ask)] == [
        "Bokslut 2023",
        "Budget 2024",
        "Budget 2025",
        "Plan 2026",
        "Plan 2027",
        "Plan 2028",
    ]
    assert [p.label for p in drift.plan_periods(ask, drift.BUDGET_ADJUSTED)][1] == (
        "Budget (justerad) 2024"
    )
    assert [p.label for p in drift.plan_periods(ler)] == ["Budget 2022", "Budget 2023"]


def test_plan_table_keeps_printed_totals(ask) -> None:
    periods = drift.plan_periods(ask)
    table = drift.plan_table(ask, periods)
    assert col(table, periods, "Budget 2025", "total") == Decimal("-116013")
    assert col(table, periods, "Plan 2028", "total") == Decimal("-125549")
    assert col(table, periods, "Bokslut 2023", "total") == Decimal("-131346")
    assert table["is_total"].to_list()[-1] is True
    assert table.height == 23


def test_the_two_budgets_2024_are_never_mixed(ask) -> None:
    kf = drift.plan_periods(ask)
    adjusted = drift.plan_periods(ask, drift.BUDGET_ADJUSTED)
    assert col(drift.plan_table(ask, kf), kf, "Budget 2024", "vh91") == Decimal("-4249")
    table = drift.plan_table(ask, adjusted)
    assert col(table, adjusted, "Budget (justerad) 2024", "vh91") == Decimal("-53932")
    assert col(table, adjusted, "Budget (justerad) 2024", "total") == Decimal("-169744")
    # 34 only exists in the adjusted budget; it has no value in the KF columns.
    assert col(table, adjusted, "Budget 2025", "vh34") is None


def test_lines_are_matched_by_code_with_every_printed_name(ask) -> None:
    table = drift.plan_table(ask, drift.plan_periods(ask))
    labels = dict(table.select("line_key", "label").iter_rows())
    assert labels["vh23"] == "23 Turistverksamhet / 23 Besöksnäringsverksamhet"
    assert labels["total"] == "Summa"


@pytest.mark.parametrize(
    ("prev", "cur", "expected"),
    [
        (Decimal(-100), Decimal(-110), Decimal(-10)),
        (Decimal(-100), Decimal(-90), Decimal(10)),
        (Decimal(50), Decimal(75), Decimal(50)),
        (Decimal(0), Decimal(-220), None),
        (None, Decimal(1), None),
        (Decimal(1), None, None),
    ],
)
def test_percent_change_rule(prev, cur, expected) -> None:
    assert drift.percent_change(prev, cur) == expected


def test_changes_year_on_year(ask) -> None:
    periods = drift.plan_periods(ask)
    ch = drift.changes(drift.plan_table(ask, periods), periods)
    gym = ch.filter(pl.col("line_key") == "vh45").row(0, named=True)
    assert gym["Δ Budget 2025 → Plan 2026"] == Decimal("-2884")
    assert gym["Δ% Budget 2025 → Plan 2026"] == pytest.approx(-4.0006, abs=1e-3)
    sfi = ch.filter(pl.col("line_key") == "vh60").row(0, named=True)
    assert sfi["Δ% Bokslut 2023 → Budget 2024"] is None  # from 0: no percentage


def test_summary_has_income_cost_net_and_lerum_falls_back_to_its_total(ask, ler) -> None:
    periods = drift.plan_periods(ask)
    summary = drift.summary_table(ask, periods)
    b25 = next(p for p in periods if p.label == "Budget 2025").key
    assert dict(zip(summary["measure"], summary[b25], strict=True)) == {
        "netto": Decimal("-116013"),
        "intakt": Decimal("56170"),
        "kostnad": Decimal("-172183"),
    }
    lp = drift.plan_periods(ler)
    ls = drift.summary_table(ler, lp)
    assert ls.filter(measure="netto")[lp[1].key][0] == Decimal("-256.8")
    assert ls.filter(measure="intakt")[lp[1].key][0] == Decimal("38.9")


def test_forecast_table_and_bridge_from_budget_to_forecast(ask) -> None:
    fc = drift.forecast_table(ask)
    total = fc.filter(pl.col("is_total")).row(0, named=True)
    assert (total["budget"], total["prognos"], total["avvikelse"]) == (
        Decimal("-169744"),
        Decimal("-174861"),
        Decimal("-5117"),
    )
    assert total["as_of"] == "2024-08-31"
    gym = fc.filter(pl.col("line_key") == "vh45").row(0, named=True)
    assert gym["deviation_pct"] == pytest.approx(-8.5356, abs=1e-3)
    bridge = drift.forecast_bridge(fc)
    assert (bridge.start, bridge.end, bridge.residual) == (
        Decimal("-169744"),
        Decimal("-174861"),
        Decimal(0),
    )
    assert len(bridge.steps) == 14
    assert fc.filter(pl.col("line_key") == "vh92")["has_erratum"][0] is True


def test_plan_bridge_shows_the_gap_between_printed_total_and_lines(ask) -> None:
    periods = drift.plan_periods(ask)
    by = {p.label: p for p in periods}
    bridge = drift.plan_bridge(drift.plan_table(ask, periods), by["Budget 2025"], by["Plan 2028"])
    assert bridge.end - bridge.start == Decimal("-9536")
    assert bridge.residual == Decimal("2")  # Budget 2025: lines sum to -116 011, printed -116 013
    assert "Differens" in drift.bridge_note(bridge, "tkr") or "skillnaden" in drift.bridge_note(
        bridge, "tkr"
    )
    fig = charts.bridge_chart(bridge, "tkr")
    assert fig.data[0].type == "waterfall"
    assert "Differens i källan" in list(fig.data[0].y)
    assert list(fig.data[0].measure)[-1] == "total"


def test_line_split_and_findings_for_a_contradicting_line(ask, wh) -> None:
    split = drift.line_split(ask, "vh92")
    row = split.filter(pl.col("Version") == "Prognos 2024").row(0, named=True)
    assert (row["Intäkter"], row["Kostnader"], row["Netto"]) == (
        Decimal("973"),
        Decimal("-41226"),
        Decimal("-39882"),
    )
    findings = wh.run_query(
        "findings_by_tables", org_id="askersund", table_ids=list(drift.ALL_TABLES)
    )
    messages = drift.finding_messages(findings, ["92 Gemensamma verksamheter"])
    assert any("−40\u00a0253" in m for m in messages)


def test_charts_handle_empty_input() -> None:
    assert charts.bridge_chart(None).data == ()
    empty = drift.forecast_table(pl.DataFrame(schema={"table_id": pl.String}))
    assert empty.is_empty()


def app(org: str | None = None) -> AppTest:
    """The app on the Driftbudget page (the organisation, if given, through the link)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if org:
        at.query_params["org"] = org
    at.run()
    at.switch_page("views/drift.py").run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, label: str) -> AppTest:
    """Choose a tab of the page, as a click does (only the open tab's content runs)."""
    at.session_state["drift_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def test_only_the_open_tab_runs(warehouse_dir) -> None:
    at = app()
    assert [t.label for t in at.tabs] == [
        "Budget och plan",
        "Prognos mot budget",
        "Utfall per månad",
    ]
    assert [t.label for t in at.metric] == []  # the forecast tab's figures are not built
    assert at.dataframe[0].value.columns[0] == "Verksamhet"
    open_tab(at, "Prognos mot budget")
    assert at.dataframe[0].value.columns[0] == "Verksamhet"
    assert "Prognos helår" in at.dataframe[0].value.columns
    assert len(at.metric) == 3


def test_drift_page_shows_plan_and_forecast(warehouse_dir) -> None:
    at = app()
    assert at.title[0].value == "Driftbudget – Askersund"
    plan = at.dataframe[0].value
    assert list(plan.columns)[:3] == ["Verksamhet", "Bokslut 2023", "Budget 2024"]
    assert plan.iloc[-1]["Budget 2025"] == "−116\u00a0013"
    forecast_metrics = {m.label: m.value for m in open_tab(at, "Prognos mot budget").metric}
    assert forecast_metrics["Avvikelse mot budget"] == "−5\u00a0117\u00a0tkr"
    assert forecast_metrics["Helårsprognos per 2024-08-31"] == "−174\u00a0861\u00a0tkr"


def test_choosing_the_adjusted_budget_changes_the_column(warehouse_dir) -> None:
    at = app()
    at.radio(key="drift_budget_choice").set_value(drift.BUDGET_ADJUSTED).run()
    plan = at.dataframe[0].value
    assert "Budget (justerad) 2024" in plan.columns
    row = plan[plan["Verksamhet"].str.contains("91 Gemensamma lokaler")].iloc[0]
    assert row["Budget (justerad) 2024"] == "−53\u00a0932"


def test_change_mode_shows_changes_between_periods(warehouse_dir) -> None:
    at = app()
    at.radio(key="drift_mode").set_value("andring").run()
    table = at.dataframe[0].value
    assert "Plan 2028 mot Plan 2027" in table.columns
    gym = table[table["Verksamhet"].str.startswith("45")].iloc[0]
    assert gym["Plan 2026 mot Budget 2025"] == "−2\u00a0884"


def test_lerum_shows_produktionsomraden_and_says_what_is_missing(warehouse_dir) -> None:
    # AppTest drops sidebar widgets after a rerun under st.navigation, so the
    # organisation is chosen through the link, as a shared URL would.
    at = app("lerum")
    assert at.title[0].value == "Driftbudget – Lerum"
    plan = at.dataframe[0].value
    assert plan.columns[0] == "Produktionsområde"
    assert plan.iloc[-1]["Budget 2023"] == "−256,8"
    assert at.radio(key="drift_measure").options == ["Netto", "Intäkter", "Kostnader"]
    assert any("ingen prognos" in i.value for i in open_tab(at, "Prognos mot budget").info)
    assert any("Inget månadsutfall" in i.value for i in open_tab(at, "Utfall per månad").info)


def test_lerum_income_and_cost_per_produktionsomrade(ler) -> None:
    periods = drift.plan_periods(ler)
    income = drift.plan_table(ler, periods, "intakt")
    assert col(income, periods, "Budget 2023", "total") == Decimal("38.9")
    assert col(income, periods, "Budget 2023", "po:vuxenutbildning") == Decimal("23.1")
    cost = drift.plan_table(ler, periods, "kostnad")
    assert col(cost, periods, "Budget 2022", "total") == Decimal("-288.3")


# --- outcome by month, after an upload --------------------------------------------


def _upload_2025(root: Path, data: bytes | None = None) -> None:
    import shutil  # noqa: F401 - kept local: only these tests copy warehouses

    from budgetrummet import access
    from budgetrummet.upload import catalogue, kinds, reading, storing
    from budgetrummet.upload.validation import Settings, validate

    data = (
        data
        or (
            "Vht;Konto;Period;Belopp\n"
            "10 Nämnder/Styrelser;4010;202501;-250 000\n"
            "45 Gymnasieskola;4010;202501;-6 000 000\n"
            "10 Nämnder/Styrelser;4010;202502;-260 000,50\n"
            "45 Gymnasieskola;4010;202502;-6 010 000\n"
        ).encode()
    )
    wh = __import__("budgetrummet.db", fromlist=["Warehouse"]).Warehouse(root)
    codes = wh.run_query("upl_verksamheter", org_id="askersund")
    raw = reading.read_upload(data, "utfall.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    result = validate(
        raw,
        Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping),
        catalogue.catalogue_for("askersund", codes),
    )
    assert result.ok, result.problems.to_dicts()
    storing.commit(raw, data, result, access.Actor("Anna Ek", frozenset({"ekonom"})), root=root)


@pytest.fixture
def uploaded(warehouse_dir, tmp_path, monkeypatch) -> Path:
    import shutil

    from budgetrummet import store

    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    _upload_2025(root)
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    return root


def test_monthly_outcome_against_the_budget_spread_over_the_year(uploaded, ask) -> None:
    from budgetrummet.db import Warehouse

    outcome = Warehouse(uploaded).run_query("upl_outcome_by_month", org_id="askersund", year=2025)
    period = drift.year_budget_period(ask, 2025)
    assert period.label == "Budget 2025"
    monthly = drift.monthly_outcome(outcome, Decimal("-116013"))
    assert monthly["month"].to_list() == [1, 2]
    assert monthly["accumulated_tkr"].to_list() == [Decimal("-6250"), Decimal("-12520.0005")]
    assert monthly["budget_accumulated_tkr"][-1] == Decimal("-19335.5")  # 116 013 × 2/12
    lines = drift.outcome_by_line(outcome, drift.plan_table(ask, [period]), period.key)
    gym = lines.filter(pl.col("line_key") == "vh45").row(0, named=True)
    assert gym["budget_tkr"] == Decimal("-72090")
    assert gym["accumulated_tkr"] == Decimal("-12010")
    assert gym["used_pct"] == pytest.approx(16.66, abs=0.01)
    # the lines come in the document's order, the same on every load
    budget_order = drift.plan_table(ask, [period]).filter(~pl.col("is_total"))["line_key"]
    assert lines["line_key"].to_list()[: budget_order.len()] == budget_order.to_list()
    assert drift.year_budget_period(ask, 2024).label == "Budget (justerad) 2024"


def test_drift_page_shows_uploaded_months(uploaded) -> None:
    at = open_tab(app(), "Utfall per månad")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Ackumulerat utfall t.o.m. månad 2"] == "−12\u00a0520\u00a0tkr"
    assert metrics["Budget fördelad t.o.m. månad 2"] == "−19\u00a0336\u00a0tkr"
    table = at.dataframe[-1].value
    gym = table[table["Verksamhet"].str.startswith("45")].iloc[0]
    assert gym["Förbrukat av budget"] == "16,7\u00a0%"


def test_missing_months_are_named_and_budget_is_counted_only_for_loaded_months(
    warehouse_dir, tmp_path, monkeypatch
) -> None:
    import shutil

    from budgetrummet import store

    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    _upload_2025(root, b"Vht;Period;Belopp\n10;202504;-100 000\n45;202504;-9 402 000\n")
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    from budgetrummet.db import Warehouse

    outcome = Warehouse(root).run_query("upl_outcome_by_month", org_id="askersund", year=2025)
    monthly = drift.monthly_outcome(outcome, Decimal("-116013"))
    assert drift.missing_months(monthly) == [1, 2, 3]
    assert drift.month_names([1, 2, 3]) == "januari, februari och mars"
    # April alone is compared with one twelfth of the budget, not four.
    assert monthly["budget_accumulated_tkr"].to_list() == [Decimal("-116013") / 12]

    at = open_tab(app(), "Utfall per månad")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Utfall för 1 laddad månad t.o.m. månad 4"] == "−9\u00a0502\u00a0tkr"
    assert metrics["Budget för 1 laddad månad"] == "−9\u00a0668\u00a0tkr"
    assert "Budget fördelad t.o.m. månad 4" not in metrics
    warning = " ".join(w.value for w in at.warning)
    assert "Utfall saknas för januari, februari och mars 2025" in warning
    assert "budgeten räknas för 1 av 12 månader" in warning


def test_overview_names_the_latest_upload(uploaded) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    shown = " ".join(m.value for m in at.markdown)
    assert "Senaste uppladdning:" in shown


def test_drift_charts_carry_the_swedish_separators(ask) -> None:
    periods = drift.plan_periods(ask)
    summary = drift.summary_table(ask, periods)
    for fig in (
        charts.totals_chart(summary, periods),
        charts.bridge_chart(drift.forecast_bridge(drift.forecast_table(ask))),
        charts.deviation_chart(drift.forecast_table(ask)),
    ):
        assert fig.layout.separators == ", "


@pytest.mark.parametrize("measure", list(drift.MEASURE_LABELS))
def test_plan_values_in_one_pass_are_the_joined_values(ask, ler, measure) -> None:
    for figs in (ask, ler):
        for budget in (drift.BUDGET_DECIDED, drift.BUDGET_ADJUSTED):
            periods = drift.plan_periods(figs, budget)
            one_pass = drift._wide_values(figs, periods, measure)
            joined = drift._joined_values(figs, periods, measure)
            if one_pass is None:  # no figure of this measure: the join has no rows either
                assert joined is None or joined.is_empty()
            else:
                assert one_pass.sort("line_key").equals(joined.sort("line_key"))


def test_a_line_printed_twice_in_a_period_keeps_the_joined_values(ask) -> None:
    periods = drift.plan_periods(ask)
    twice = pl.concat([ask, ask.filter(pl.col("line_key") == "vh45")])
    assert drift._wide_values(twice, periods, "netto") is None
    table = drift.plan_table(twice, periods)
    assert table.filter(pl.col("line_key") == "vh45").height > 1


def test_detail_opens_on_the_largest_deviation(ask) -> None:
    lines = drift.forecast_table(ask).filter(~pl.col("is_total"))
    assert lines["line_key"][drift.largest_deviation_index(lines)] == "vh45"
    flipped = lines.with_columns(
        pl.when(pl.col("line_key") == "vh92")
        .then(pl.lit(Decimal("-9000")).cast(pl.Decimal(18, 3)))
        .otherwise(pl.col("avvikelse"))
        .alias("avvikelse")
    )
    assert flipped["line_key"][drift.largest_deviation_index(flipped)] == "vh92"
    assert drift.largest_deviation_index(lines.head(0)) == 0


def test_adjusted_budget_years_follow_the_data(ask, ler) -> None:
    assert drift.adjusted_budget_years(ask) == [2024]
    assert drift.adjusted_budget_years(ler) == []
    # A report's adjusted budget for a year no plan table has as decided is no choice.
    only_report = ask.filter(pl.col("table_id") == drift.FORECAST_TABLE)
    assert drift.adjusted_budget_years(only_report) == []


def test_whole_year_and_year_to_date_uploads_are_named_not_taken_for_months(
    warehouse_dir, tmp_path, monkeypatch
) -> None:
    import shutil

    from budgetrummet import store

    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    _upload_2025(root, b"Vht;Period;Belopp\n10;t.o.m. april 2025;-400 000\n")
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    from budgetrummet.db import Warehouse

    wh = Warehouse(root)
    assert wh.run_query("upl_outcome_by_month", org_id="askersund", year=2025).is_empty()
    loaded = wh.run_query("upl_loaded_periods", org_id="askersund")
    assert loaded["period"].to_list() == ["2025-01\u201304"]
    assert drift.span_label("2025-01\u201304") == "januari\u2013april 2025"
    assert drift.span_label("2025") == "helåret 2025"
    assert drift.span_label("2025-04") is None
    at = open_tab(app(), "Utfall per månad")
    assert "Utfall för januari\u2013april 2025 är uppladdat: \u2212400\u00a0tkr" in " ".join(
        i.value for i in at.info
    )
    assert not at.metric, "no month series is made up from a year-to-date figure"


def test_the_main_view_has_a_protokollsbilaga(warehouse_dir) -> None:
    at = app()
    buttons = [b for b in at.get("download_button") if b.proto.label == "Protokollsbilaga (PDF)"]
    assert len(buttons) == 1
    # made on click (deferred), not at every run of the page
    assert buttons[0].proto.deferred_file_id and not buttons[0].proto.url
