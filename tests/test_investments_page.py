"""The Investeringar page as a user meets it (AppTest), and its two chart builders."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import investments as inv
from budgetrummet.charts import COLORS
from budgetrummet.charts.investments import deviation_chart, hover_text, portfolio_chart

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "views" / "investments.py")
D = Decimal


def open_page(org: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["org"] = org
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def askersund(warehouse_dir: Path) -> AppTest:
    return open_page("askersund")


def table(at: AppTest, first_column: str, containing: str | None = None):
    for frame in at.dataframe:
        value = frame.value
        if value.columns[0] == first_column and (containing is None or containing in value):
            return value
    raise AssertionError(f"no table starting with {first_column!r}")


def test_headline_figures_as_printed_with_marks(askersund: AppTest) -> None:
    assert askersund.title[0].value == "Investeringar – Askersund"
    metrics = {m.label: m.value for m in askersund.metric}
    assert metrics["Budget 2024, justerad (tkr)"] == "−83\u00a0805"
    assert metrics["Prognos 2024 (tkr)"] == "−81\u00a0621 ≈"
    assert metrics["Avvikelse 2024 (tkr)"] == "+2\u00a0184 ≈"
    assert metrics["Utfall hittills (tkr)"] == "−63\u00a0684 ⚠"
    assert metrics["Projekt över total budget"] == "7 av 7"


def test_the_delay_is_called_out_as_not_a_saving(askersund: AppTest) -> None:
    warnings = [w.value for w in askersund.warning]
    assert len(warnings) == 1
    assert warnings[0].startswith("**Askersund förskola:** +8\u00a0297\u00a0tkr mot budget 2024")
    assert "ingen besparing" in warnings[0] and "−3\u00a0000\u00a0tkr" in warnings[0]


def test_overruns_ranked_by_tkr_then_by_percent(warehouse_dir: Path) -> None:
    at = open_page("askersund")
    ranked = table(at, "Rang")
    assert list(ranked["Projekt"][:2]) == [
        "Närlundaskolan, etapp 2",
        "Hammars skola, förskola, om/tillbyggnad",
    ]
    assert "större asbestsanering" in ranked["Orsak enligt analysen"][1]
    at.radio(key="inv_rank").set_value("procent").run()
    assert not at.exception
    ranked = table(at, "Rang")
    assert ranked["Projekt"][0] == "Hammars skola, förskola, om/tillbyggnad"
    assert ranked["I % av total budget"][0] == "−20,0\u00a0%"


def test_year_table_portfolio_and_plan(askersund: AppTest) -> None:
    year = table(askersund, "Projekt", "Utfall hittills")
    assert "Summa (tryckt)" in list(year["Projekt"])
    asbro = year[year["Projekt"] == "Åsbro förskola"].iloc[0]
    assert asbro["Utfall hittills"] == "−17\u00a0833\u00a0tkr ⚠"
    assert "−17\u00a0824\u00a0tkr" in asbro["Datakvalitet"]
    portfolio = table(askersund, "Rad")
    utv = portfolio[portfolio["Rad"] == "Summa Utvecklingsprojekt"].iloc[0]
    assert utv["Budget 2024"] == "−2\u00a0550\u00a0tkr ⚠"
    captions = " ".join(c.value for c in askersund.caption)
    assert "raderna summerar till −3\u00a0100\u00a0tkr" in captions
    assert "kommunfullmäktiges budget, −57\u00a0615\u00a0tkr" in captions
    markdown = " ".join(m.value for m in askersund.markdown)
    assert "cirka **9\u00a0mkr**" in markdown
    assert "datakvalitet?org=askersund" in markdown


def test_an_organisation_without_investments_says_so(warehouse_dir: Path) -> None:
    at = open_page("lerum")
    assert at.title[0].value == "Investeringar – Lerum"
    assert len(at.info) == 1
    assert "ingen investeringsredovisning och ingen investeringsbudget" in at.info[0].value
    assert not at.dataframe and not at.metric


# --- charts -----------------------------------------------------------------------------


def _ranked() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "project": ["Hammars <b>skola</b>", "Askersund förskola"],
            "life_deviation": [D("-7500"), D("-3000")],
            "avvikelse": [D("-6800"), D("8297")],
            "overrun_pct": [D("-20"), None],
            "cause": ["Asbest & <script>", None],
        }
    )


def test_deviation_chart_two_bars_per_project() -> None:
    fig = deviation_chart(
        _ranked(),
        label="project",
        life="life_deviation",
        year="avvikelse",
        pct="overrun_pct",
        cause="cause",
        year_label="Avvikelse 2024",
    )
    life, year = fig.data
    assert isinstance(life, go.Bar) and isinstance(year, go.Bar)
    assert list(life.x) == [-7500.0, -3000.0]
    assert list(year.x) == [-6800.0, 8297.0]
    assert list(life.marker.color) == [COLORS["negativ"], COLORS["negativ"]]
    # A lower outcome this year is not coloured as good news.
    assert year.marker.color == COLORS["gra"]
    assert list(year.text) == ["−6\u00a0800\u00a0tkr", "+8\u00a0297\u00a0tkr"]
    assert life.customdata[0][0] == "−20,0\u00a0%" and life.customdata[1][0] == "–"
    assert life.customdata[0][1] == "Asbest &amp; &lt;script&gt;"
    assert life.customdata[1][1] == "Ingen skriftlig analys"
    assert fig.layout.yaxis.autorange == "reversed"


def test_portfolio_chart_stacks_categories_and_marks_the_printed_total() -> None:
    lines = pl.DataFrame(
        {
            "column_label": ["Budget 2024", "Plan 2028", "Budget 2024"],
            "line_label": ["Strategiska", "Strategiska", "Reinvestering"],
            "value": [D("-51800"), D("-7500"), D("-3215")],
        }
    )
    totals = pl.DataFrame({"column_label": ["Budget 2024"], "value": [D("-57615")]})
    fig = portfolio_chart(
        lines,
        totals,
        period="column_label",
        group="line_label",
        value="value",
        order=["Budget 2024", "Plan 2028"],
    )
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert [b.name for b in bars] == ["Strategiska", "Reinvestering"]
    assert list(bars[1].y) == [-3215.0, None]
    total = fig.data[-1]
    assert isinstance(total, go.Scatter) and total.name == "Summa (tryckt)"
    # The printed total, not the stack's own sum (−55 015).
    assert list(total.text) == ["−57\u00a0615\u00a0tkr", "–"]
    assert fig.layout.barmode == "relative"


def test_charts_handle_empty_input() -> None:
    empty = _ranked().head(0)
    fig = deviation_chart(
        empty,
        label="project",
        life="life_deviation",
        year="avvikelse",
        pct="overrun_pct",
        cause="cause",
        year_label="x",
    )
    assert not fig.data and "Inga projekt" in fig.layout.annotations[0].text
    fig = portfolio_chart(
        pl.DataFrame(schema={"p": pl.String, "g": pl.String, "v": inv.AMOUNT}),
        pl.DataFrame(),
        period="p",
        group="g",
        value="v",
        order=[],
    )
    assert not fig.data


def test_hover_text_wraps_and_escapes() -> None:
    text = hover_text("a" * 30 + " " + "<b>" * 20, width=40)
    assert "<br>" in text and "<b>" not in text
    assert hover_text(None) == ""


def test_the_page_renders_charts(askersund: AppTest) -> None:
    charts = askersund.get("plotly_chart")
    assert len(charts) == 2
    spec = json.loads(charts[0].proto.spec)
    assert spec["layout"]["barmode"] == "group"
    assert [t["type"] for t in spec["data"]] == ["bar", "bar"]


def test_meeting_mode_enlarges_the_charts_for_the_projector(warehouse_dir: Path) -> None:
    import json

    from budgetrummet.ui import meeting

    at = open_page("askersund")
    normal = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    at.toggle(key=meeting.KEY).set_value(True).run()
    assert not at.exception, at.exception
    big = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert big["font"]["size"] == meeting.FONT_SIZE > normal.get("font", {}).get("size", 15)
    assert any("stSidebar" in h.proto.body for h in at.get("html"))


def test_long_texts_wrap_in_tall_rows_and_keep_their_width(askersund: AppTest) -> None:
    from budgetrummet.presenters import investments as pr

    overrun = next(d for d in askersund.dataframe if d.value.columns[0] == "Rang")
    config = json.loads(overrun.proto.columns)
    width = config["Orsak enligt analysen"]["width"]
    assert pr.header_px("Orsak enligt analysen") <= width <= pr.TEXT_PX["Orsak enligt analysen"]
    assert config["Projekt"]["width"] >= pr.MIN_WRAP_PX
    # rows tall enough for the written cause (more than the one-line 35 px row)
    assert overrun.proto.row_height > 35 * 3
