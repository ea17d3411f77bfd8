"""Excel downloads of the main tables, the tables' total marks and colours, and the
switched-off dataframe CSV export (issues 9 and 10)."""

import io
import tomllib
from decimal import Decimal
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import drift, export, finance, fmt
from budgetrummet import investments as inv
from budgetrummet.ui import finance as fin_ui
from budgetrummet.ui import tables

ROOT = Path(__file__).resolve().parent.parent


def read_back(data: bytes) -> pl.DataFrame:
    """The first sheet of an .xlsx as a frame, types as Excel stores them."""
    return fastexcel.read_excel(data).load_sheet(0).to_polars()


def test_xlsx_keeps_amounts_as_numbers_and_neutralises_formula_text() -> None:
    frame = pl.DataFrame(
        {
            "Verksamhet": ['=HYPERLINK("http://x")', "+SUM(A1)", "45 Gymnasieskola", None],
            "Budget 2025": [Decimal("-116013"), Decimal("1.5"), Decimal("-72090"), None],
            "Rad": [1, 2, 3, 4],
        },
        schema={"Verksamhet": pl.String, "Budget 2025": pl.Decimal(18, 3), "Rad": pl.Int64},
    )
    back = read_back(export.xlsx_bytes(frame))
    assert back.columns == ["Verksamhet", "Budget 2025", "Rad"]
    assert back.schema["Budget 2025"] == pl.Float64
    assert back["Budget 2025"].to_list() == [-116013.0, 1.5, -72090.0, None]
    assert back["Rad"].to_list() == [1, 2, 3, 4]
    assert back["Verksamhet"].to_list() == [
        '\'=HYPERLINK("http://x")',
        "'+SUM(A1)",
        "45 Gymnasieskola",
        None,
    ]


def test_xlsx_has_no_formula_cells() -> None:
    # Even without the apostrophe the writer must store text, never a formula.
    import zipfile

    data = export.xlsx_bytes(pl.DataFrame({"a": ["=1+1", "@x"]}))
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


@pytest.fixture(scope="module")
def ask(wh) -> pl.DataFrame:
    return wh.run_query("figures_by_tables", org_id="askersund", table_ids=list(drift.ALL_TABLES))


@pytest.mark.parametrize("mode", list(drift.MODES))
def test_plan_raw_is_the_shown_table_in_numbers(ask, mode) -> None:
    periods = drift.plan_periods(ask)
    table = drift.plan_table(ask, periods)
    shown, _, _ = drift.plan_display(table, periods, mode=mode)
    raw = drift.plan_raw(table, periods, mode=mode)
    assert raw.columns == shown.columns
    for column in raw.columns[1:]:
        as_text = [
            fmt.number(v, 0, signed=mode == "andring")
            if mode != "andring_pct"
            else fmt.percent(v, 1, signed=True)
            for v in raw[column]
        ]
        assert as_text == shown[column].to_list(), column
    back = read_back(export.xlsx_bytes(raw))
    assert back.schema[raw.columns[1]] == pl.Float64


def test_forecast_raw_is_the_shown_table_in_numbers(ask) -> None:
    forecast = drift.forecast_table(ask)
    refs = {"vh45": "Analys 3"}
    shown, _, _ = drift.forecast_display(forecast, refs=refs)
    raw = drift.forecast_raw(forecast, refs)
    assert raw.columns == shown.columns
    assert [fmt.number(v, signed=True) for v in raw["Avvikelse"]] == shown["Avvikelse"].to_list()
    assert raw["Analys"].to_list() == shown["Analys"].to_list()
    total = raw.filter(forecast["is_total"])
    assert total["Avvikelse"].to_list() == [Decimal("-5117")]


def test_finance_raw_tables_match_the_shown_ones(wh) -> None:
    figures = wh.run_query(
        "figures_by_tables", org_id="askersund", table_ids=list(finance.ALL_TABLES)
    )
    period = finance.default_period(finance.periods(figures))
    lines = finance.flow_lines(figures, period)
    raw = fin_ui.flow_raw(lines)
    assert raw.columns == fin_ui.flow_table(lines).columns
    assert [fmt.tkr(v) for v in raw["Belopp (tryckt)"]] == fin_ui.flow_table(lines)[
        "Belopp (tryckt)"
    ].to_list()
    trend = finance.trend(figures)
    shown, raw = finance.trend_table(trend), finance.trend_raw(trend)
    assert raw.columns == shown.columns
    assert raw["Serie"].to_list() == shown["Serie"].to_list()
    for column in raw.columns[1:]:
        assert [fmt.tkr(v) for v in raw[column]] == [
            t.removesuffix(" ⚠") for t in shown[column].to_list()
        ]


def test_investment_year_raw_matches_the_year_table(wh) -> None:
    data = {
        name: wh.run_query(name, org_id="askersund")
        for name in ("inv_year", "inv_project_life", "inv_budget_plan", "inv_texts", "inv_findings")
    }
    projects = inv.projects(
        data["inv_year"],
        data["inv_project_life"],
        data["inv_budget_plan"],
        data["inv_texts"],
        data["inv_findings"],
    )
    total = inv.year_total(data["inv_year"])
    shown = inv.year_table(projects, total, {}, 2024)
    raw = inv.year_raw(projects, total, 2024)
    assert raw["Projekt"].to_list() == shown["Projekt"].to_list()
    assert [inv.marked(v, None, signed=True) for v in raw["Avvikelse 2024"]] == shown[
        "Avvikelse 2024"
    ].to_list()
    assert read_back(export.xlsx_bytes(raw)).schema["Budget 2024"] == pl.Float64


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], ["Intäkter", "Summa"]),
        ([1], ["Intäkter", "Σ Summa"]),
        ([0, 1], ["Σ Intäkter", "Σ Summa"]),
    ],
)
def test_total_rows_are_marked_in_the_first_column(rows, expected) -> None:
    display = pl.DataFrame({"": ["Intäkter", "Summa"], "2025": ["1", "2"]})
    marked = tables.mark_totals(display, rows)
    assert marked[""].to_list() == expected
    assert marked["2025"].to_list() == ["1", "2"]


def test_coloured_tables_carry_sign_colours_and_bold_totals() -> None:
    display = pl.DataFrame({"Verksamhet": ["a", "Summa"], "Avvikelse": ["+1", "−2"]})
    styler = tables._styled(display, {"Avvikelse": tables.sign_colors([1, -2])}, bold_rows={1})
    assert styler.data["Avvikelse"].tolist() == ["+1", "−2"]  # the text is unchanged
    styles = styler._compute().ctx
    assert ("color", "#1a7f37") in styles[(0, 1)]
    assert ("color", "#c62828") in styles[(1, 1)]
    assert ("font-weight", "700") in styles[(1, 0)]


def test_dataframe_csv_export_is_switched_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_drift_page_offers_excel_downloads_and_marks_the_total(warehouse_dir) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("views/drift.py").run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    # the plan table's Excel and the page's Protokollsbilaga; other tabs run when chosen
    assert labels == ["Ladda ner (Excel)", "Protokollsbilaga (PDF)"]
    plan = at.dataframe[0].value
    assert plan.iloc[-1]["Verksamhet"].startswith(tables.TOTAL_MARK)
    assert plan.iloc[-1]["Verksamhet"].endswith("Summa")
    assert not any(v.startswith(tables.TOTAL_MARK) for v in plan["Verksamhet"][:-1])
    assert plan.iloc[-1]["Budget 2025"] == "−116\u00a0013"
    at.session_state["drift_tab"] = "Prognos mot budget"
    at.run()
    assert not at.exception, at.exception
    assert [b.proto.label for b in at.get("download_button")] == ["Ladda ner (Excel)"]
    forecast = at.dataframe[0].value
    assert forecast.iloc[-1]["Verksamhet"].startswith(tables.TOTAL_MARK)
