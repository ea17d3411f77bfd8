"""Scenario chart builders: trace types, printed signs, colours from the theme, empty input."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from budgetrummet.charts import COLORS
from budgetrummet.charts import scenarios as charts

D = Decimal
NB = "\u00a0"


@pytest.fixture
def years() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "year": [2024, 2025, 2026],
            "column_label": ["Budget 2024", "Budget 2025", "Plan 2026"],
            "plan_net": [D(-114522), D(-116013), D(-119573)],
            "scenario_net": [None, D(-122013), D(-116697)],
            "savings": [D(0), D(0), D(2876)],
            "index_effect": [D(0), D(0), D(-1757)],
            "risk_effect": [D(0), D(-6000), D(0)],
            "change": [D(0), D(-6000), D(1119)],
        },
        schema_overrides={c: pl.Decimal(18, 3) for c in ["plan_net", "scenario_net"]},
    )


def test_net_cost_chart_keeps_printed_signs_on_a_reversed_axis(years: pl.DataFrame) -> None:
    fig = charts.net_cost_chart(years)
    plan, scen = fig.data
    assert (plan.type, scen.type) == ("scatter", "scatter")
    assert list(plan.y) == [-114522.0, -116013.0, -119573.0]
    assert list(scen.x) == ["Budget 2025", "Plan 2026"]  # no scenario before the levers
    assert list(scen.text) == [f"−122{NB}013{NB}tkr", f"−116{NB}697{NB}tkr"]
    # Labels sit away from the document's line: a costlier point gets its label above.
    assert list(scen.textposition) == ["top center", "bottom center"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert scen.line.color == COLORS["accent"] and plan.line.color == COLORS["gra"]


def test_net_cost_chart_in_mkr(years: pl.DataFrame) -> None:
    fig = charts.net_cost_chart(
        years.with_columns(pl.col("scenario_net") / 1000), unit="mkr", font_size=22
    )
    assert fig.data[1].text[0] == f"−122,0{NB}mkr"
    assert fig.layout.font.size == 22
    assert fig.layout.title.text.startswith("Nettokostnad, mkr")


def test_change_chart_stacks_the_levers(years: pl.DataFrame) -> None:
    fig = charts.change_chart(years)
    assert [t.type for t in fig.data] == ["bar", "bar", "bar", "scatter"]
    assert fig.layout.barmode == "relative"
    assert [t.marker.color for t in fig.data[:3]] == [
        COLORS["positiv"],
        charts.SERIES[3],
        COLORS["negativ"],
    ]
    assert list(fig.data[3].text) == [f"0{NB}tkr", f"−6{NB}000{NB}tkr", f"1{NB}119{NB}tkr"]


def test_result_chart_lights_bars_against_the_goal() -> None:
    frame = pl.DataFrame(
        {
            "column_label": ["2025", "2026", "2027"],
            "scenario_result_percent": [D("0.197"), D("1.026"), D("-0.2")],
            "plan_result_percent": [D("0.9")] * 3,
            "goal_percent": [D("0.9")] * 3,
        }
    )
    fig = charts.result_chart(frame)
    bars = fig.data[0]
    assert list(bars.marker.color) == [COLORS["gul"], COLORS["gron"], COLORS["rod"]]
    assert list(bars.text) == [f"0,20{NB}%", f"1,03{NB}%", f"−0,20{NB}%"]
    assert [t.name.strip() for t in fig.data] == [
        "Scenario",
        "Planen (med antagandet)",
        "Resultatmål",
    ]


def test_compare_chart_draws_one_line_per_scenario() -> None:
    frame = pl.DataFrame(
        {
            "scenario": ["A", "A", "<b>B</b>", "<b>B</b>"],
            "column_label": ["Budget 2025", "Plan 2026"] * 2,
            "scenario_net": [D(-1), D(-2), D(-3), D(-4)],
        }
    )
    fig = charts.compare_chart(frame)
    assert [t.name.strip() for t in fig.data] == ["A", "<b>B</b>"]
    # A user's name is never part of a hover template (it is looked up as data).
    assert all("<b>" not in t.hovertemplate for t in fig.data)


@pytest.mark.parametrize(
    "builder",
    [charts.net_cost_chart, charts.change_chart, charts.result_chart, charts.compare_chart],
)
def test_empty_input_gives_a_figure_that_says_so(builder) -> None:
    fig = builder(pl.DataFrame())
    assert not fig.data
    assert fig.layout.annotations[0].text == charts.EMPTY_TEXT


def _moved(years: pl.DataFrame) -> pl.DataFrame:
    """The same years after a move of the levers: every number and every sign differs."""
    return years.with_columns(
        pl.col("scenario_net") + D(9000),
        pl.col("savings") + D(9000),
        pl.col("index_effect") - D(500),
        pl.col("risk_effect") * 2,
        pl.col("change") + D(9000),
    )


RESULTS = pl.DataFrame(
    {
        "column_label": ["2025", "2026"],
        "scenario_result_percent": [D("0.197"), D("1.026")],
        "plan_result_percent": [D("0.9"), D("0.9")],
        "goal_percent": [D("0.9"), D("0.9")],
    }
)


@pytest.mark.parametrize(
    ("builder", "first", "then"),
    [
        (charts.net_cost_chart, "years", "moved"),
        (charts.change_chart, "years", "moved"),
        (charts.result_chart, "results", "results_moved"),
    ],
)
def test_a_figure_reusing_the_validated_structure_equals_a_fresh_build(
    builder, first, then, years: pl.DataFrame
) -> None:
    frames = {
        "years": years,
        "moved": _moved(years),
        "results": RESULTS,
        "results_moved": RESULTS.with_columns(pl.col("scenario_result_percent") - D(1)),
    }
    charts._VALIDATED.clear()
    builder(frames[first])  # builds and validates the structure
    reused = builder(frames[then]).to_dict()
    charts._VALIDATED.clear()
    fresh = builder(frames[then]).to_dict()
    assert reused == fresh
    assert reused != builder(frames[first]).to_dict()  # the data did change


def test_a_flat_change_chart_gets_one_tick_per_tkr(years: pl.DataFrame) -> None:
    flat = years.with_columns(pl.col(c) * 0 for c in ["savings", "index_effect", "risk_effect"])
    flat = flat.with_columns(pl.col("change") * 0)
    assert charts.change_chart(flat).layout.yaxis.dtick == 1  # not "1, 1, 0, −1, −1"
    assert charts.change_chart(years).layout.yaxis.dtick is None
    assert charts.change_chart(flat, unit="mkr").layout.yaxis.dtick is None


def test_a_one_year_net_cost_chart_has_no_repeated_tick(years: pl.DataFrame) -> None:
    one = years.filter(pl.col("year") == 2025).with_columns(
        pl.col("plan_net").alias("scenario_net")
    )
    fig = charts.net_cost_chart(one, plan_name="Dokumentets budget")
    # Plotly would put five ticks on about one tkr, rounding to "−116 014, −116 014, …".
    assert fig.layout.yaxis.dtick == 1
    assert fig.data[0].name.strip() == "Dokumentets budget"
    assert charts.net_cost_chart(one, unit="mkr").layout.yaxis.dtick == 0.1
    assert charts.net_cost_chart(years).layout.yaxis.dtick is None
