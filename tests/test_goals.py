"""The goal rule engine: every operator, direction, missing value and partial fulfilment
on tiny inputs, then the interim report 2024 exactly as the report reads."""

from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl
import pytest

from budgetrummet import db, goals
from budgetrummet.charts import COLORS
from budgetrummet.charts import goals as goal_charts
from budgetrummet.goals import BETTER, SAME, WORSE
from budgetrummet.numbers import FigureParseError
from budgetrummet.vocab import GREEN, GREY, RED, YELLOW

D = Decimal


def light(operator, outcome, target, *, better="lower", rules=goals.DEFAULT_RULES):
    return goals.evaluate_indicator(
        operator=operator,
        target=None if target is None else D(target),
        outcome=None if outcome is None else D(outcome),
        better=better,
        rules=rules,
    ).light


@pytest.mark.parametrize(
    ("operator", "outcome", "target", "expected"),
    [
        ("<", "4.99", "5", GREEN),
        ("<", "5", "5", YELLOW),  # strictly lower is required; on the line is within tolerance
        ("<", "5.25", "5", YELLOW),  # 5 % of 5 = 0,25: the edge of the tolerance
        ("<", "5.26", "5", RED),
        ("<=", "5", "5", GREEN),
        ("<=", "5.2", "5", YELLOW),
        ("<=", "6", "5", RED),
        (">", "21", "20", GREEN),
        (">", "20", "20", YELLOW),
        (">", "15", "20", RED),
        (">=", "80", "80", GREEN),
        (">=", "76", "80", YELLOW),
        (">=", "75.9", "80", RED),
        ("=", "10", "10", GREEN),
        ("=", "10.5", "10", YELLOW),
        ("=", "9.4", "10", RED),
        ("<", "-3", "-2", GREEN),  # negative targets: the tolerance is of |target|
        ("<", "-1.9", "-2", YELLOW),
    ],
)
def test_every_operator_against_its_target(operator, outcome, target, expected) -> None:
    assert light(operator, outcome, target) == expected


def test_the_tolerance_is_a_parameter() -> None:
    strict = goals.Rules(tolerance_pct=D(0))
    assert light("<", "5", "5", rules=strict) == RED
    generous = goals.Rules(tolerance_pct=D(50))
    assert light(">", "15", "20", rules=generous) == YELLOW
    assert "5,25" in goals.rules_text()[0], "the documented example follows the rule"


@pytest.mark.parametrize(
    ("operator", "outcome", "target"),
    [("<", None, "5"), ("<", "3", None), ("", "3", "5"), ("≈", "3", "5")],
)
def test_missing_outcome_target_or_operator_is_grey(operator, outcome, target) -> None:
    assert light(operator, outcome, target) == GREY


@pytest.mark.parametrize(
    ("outcome", "previous", "better", "arrow"),
    [
        ("1.5", "2", "lower", BETTER),  # sick leave down: better
        ("2.5", "2", "lower", WORSE),
        ("25", "20", "higher", BETTER),  # more people moving on to work: better
        ("15", "20", "higher", WORSE),
        ("80", "80", "higher", SAME),
        ("80", "80", "lower", SAME),
        ("80", None, "higher", None),  # no previous value: no arrow
        (None, "80", "higher", None),  # not measured: no arrow
        ("81", "80", "", None),  # no direction: no arrow
    ],
)
def test_trend_arrow_is_direction_aware(outcome, previous, better, arrow) -> None:
    result = goals.evaluate_indicator(
        operator=">=",
        target=D(0),
        outcome=None if outcome is None else D(outcome),
        previous=None if previous is None else D(previous),
        better=better,
    )
    assert result.arrow == arrow
    assert result.trend_calculation


@pytest.mark.parametrize(
    ("lights", "expected"),
    [
        ([], GREY),
        ([GREEN], GREEN),
        ([GREEN, GREEN], GREEN),
        ([GREEN, RED], YELLOW),  # some met: partly met
        ([YELLOW, RED], YELLOW),  # within tolerance: partly met
        ([YELLOW], YELLOW),
        ([RED, RED], RED),
        ([GREEN, GREY], YELLOW),  # one not measured yet: at best yellow
        ([RED, GREY], RED),
        ([GREY, GREY], GREY),
    ],
)
def test_goal_light_from_its_indicators(lights, expected) -> None:
    got, reason = goals.combine(lights)
    assert got == expected
    assert reason


def test_calculation_shows_target_outcome_and_rule() -> None:
    result = goals.evaluate_indicator(
        operator=">",
        target=D(20),
        outcome=D(15),
        better="higher",
        unit="procent",
        target_printed="20",
        outcome_printed="15",
    )
    assert result.calculation == (
        "Mål: högre än 20\u00a0%. Utfall: 15\u00a0%. Målet nås inte och avståndet "
        "5\u00a0procentenheter är större än toleransen 5\u00a0% av målvärdet "
        "(1,00\u00a0procentenheter): ej uppfyllt, rött."
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,86", D("1.86")), ("-", None), ("", None), (None, None), ("5,00", D("5.00"))],
)
def test_parse_printed(text, value) -> None:
    assert goals.parse_printed(text) == value


def indicator_rows(**overrides) -> pl.DataFrame:
    row = {
        "goal_key": "d:1:1",
        "indicator_label": "Mått",
        "target_operator": "<",
        "target_value": "5,00",
        "unit": "procent",
        "better": "lower",
        "outcome_printed": "1,86",
        "previous_printed": "",
        "trend_printed": "",
        "source_line": 10,
    }
    return pl.DataFrame([row | overrides])


def test_an_unparseable_printed_value_is_an_error_not_grey() -> None:
    with pytest.raises(FigureParseError, match="rad 10"):
        goals.evaluate_indicators(indicator_rows(outcome_printed="ca 2"))


def test_the_reports_own_arrow_is_shown_beside_the_computed_one() -> None:
    out = goals.evaluate_indicators(indicator_rows(trend_printed="↑"))
    assert out["arrow"][0] is None
    assert out["trend_calculation"][0].endswith("Rapporten visar pilen ↑.")


# --- the interim report 2024, from the real seed warehouse ---------------------------


@pytest.fixture(scope="module")
def askersund(wh: db.Warehouse) -> pl.DataFrame:
    return goals.with_display_numbers(goals.load_board(wh.run_query, "askersund"))


def test_interim_report_2024_comes_out_as_the_report_reads(askersund: pl.DataFrame) -> None:
    interim = askersund.filter(pl.col("doc_id") == "askersund_delar_2024").sort("source_line")
    assert interim.select("goal_no", "light", "light_source").rows() == [
        ("1", GREEN, goals.SOURCE_COMPUTED),
        ("2", GREY, goals.SOURCE_COMPUTED),
        ("3", RED, goals.SOURCE_COMPUTED),
        ("4", RED, goals.SOURCE_COMPUTED),
    ]
    assert interim["indicators_met"].to_list() == [2, 0, 0, 0]


def test_interim_indicators_calculations(wh: db.Warehouse) -> None:
    ev = goals.evaluate_indicators(wh.run_query("goal_indicator_list", org_id="askersund"))
    got = {r["indicator_label"]: r for r in ev.iter_rows(named=True)}
    sick = got["Sjukfrånvaro exkl. AME, procent"]
    assert sick["light"] == GREEN
    assert "1,86\u00a0% < 5,00\u00a0%" in sick["calculation"]
    ame = got["Sjukfrånvaro AME, procent"]
    assert (ame["light"], ame["arrow"]) == (GREEN, None)
    assert "Rapporten visar pilen ↑" in ame["trend_calculation"]
    hme = got["HME-resultat, index"]
    assert hme["light"] == GREY
    assert "föregående 80" in hme["trend_calculation"]
    assert got["Andel deltagare som går vidare till arbete eller studier, procent"]["light"] == RED
    sfi = got["Elever som klarar minst två kurser, procent"]
    assert (sfi["light"], sfi["arrow"]) == (RED, WORSE)  # 78 (2021) -> 58, higher is better
    rank = next(r for label, r in got.items() if label.startswith("Den öppna arbetslösheten"))
    assert (rank["light"], rank["arrow"], rank["better"]) == (RED, None, "lower")
    assert "Utfall: 33\u00a0%" in rank["calculation"]


def test_budget_2025_goals_are_activity_goals_and_lerum_has_priorities(
    askersund: pl.DataFrame, wh: db.Warehouse
) -> None:
    budget = askersund.filter(pl.col("doc_id") == "askersund_budget_2025")
    assert set(budget["kind"]) == {goals.ACTIVITY}
    assert budget.height == 25
    assert set(budget["light"]) == {GREY}, "nobody has assessed them in the seed"
    assert budget.filter(pl.col("goal_key") == "askersund_budget_2025:5:8")["label"][0] == (
        "Mål 5.8: Utvecklad styrmodell"
    )
    lerum = goals.load_board(wh.run_query, "lerum")
    assert lerum.height == 12
    assert set(lerum["kind"]) == {goals.PRIORITY}
    assert lerum["light"].null_count() == 12


# --- activity goals: statuses, history, calendar, grid -------------------------------


def goal_list(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    """(goal_key, malomrade_no, goal_no, followup_dates) -> a goal_list-shaped frame."""
    return pl.DataFrame(
        [
            {
                "goal_key": key,
                "org_id": "o",
                "doc_id": "d",
                "doc_title": "Dok",
                "year": 2025,
                "malomrade_no": area,
                "malomrade_title": f"Område {area}",
                "goal_no": no,
                "goal_title": f"Mål {key}",
                "followup_dates": dates,
                "indicators": 0,
                "source_line": i,
            }
            for i, (key, area, no, dates) in enumerate(rows, start=1)
        ]
    )


def history(*rows: tuple[str, str, str, int]) -> pl.DataFrame:
    """(goal_key, followup_date, status, minute set) -> a goal_status_history frame."""
    return pl.DataFrame(
        [
            {
                "goal_key": key,
                "followup_date": date.fromisoformat(when),
                "status": status,
                "comment": f"c{minute}",
                "set_by": "Anna",
                "set_at": datetime(2025, 4, 1, 9, minute, tzinfo=UTC),
            }
            for key, when, status, minute in rows
        ],
        schema={
            "goal_key": pl.String,
            "followup_date": pl.Date,
            "status": pl.String,
            "comment": pl.String,
            "set_by": pl.String,
            "set_at": pl.Datetime("us", "UTC"),
        },
    )


NO_INDICATORS = pl.DataFrame(schema={"goal_key": pl.String})


def test_latest_assessment_per_goal_and_date_is_current_and_history_is_kept() -> None:
    h = history(
        ("a", "2025-03-31", RED, 1),
        ("a", "2025-03-31", YELLOW, 5),
        ("a", "2025-12-31", GREEN, 3),
        ("b", "2025-03-31", RED, 2),
    )
    current = goals.current_statuses(h)
    assert current.select("goal_key", "followup_date", "status").rows() == [
        ("a", date(2025, 3, 31), YELLOW),
        ("a", date(2025, 12, 31), GREEN),
        ("b", date(2025, 3, 31), RED),
    ]
    b = goals.board(goal_list(("a", "1", "1", "2025-03-31|2025-12-31")), NO_INDICATORS, h)
    # the goal's light is its assessment at the latest follow-up date that has one
    assert b.select("light", "status_date", "status_comment").row(0) == (
        GREEN,
        date(2025, 12, 31),
        "c3",
    )


def test_unassessed_activity_goal_is_grey_and_set_by_a_person() -> None:
    b = goals.board(goal_list(("a", "1", "1", "2025-03-31")), NO_INDICATORS, history())
    assert b.select("kind", "light", "light_source").row(0) == (
        goals.ACTIVITY,
        GREY,
        goals.SOURCE_SET,
    )


def test_followup_calendar_with_an_injected_today() -> None:
    gl = goal_list(
        ("a", "1", "1", "2025-03-31|2025-12-31"),
        ("b", "1", "2", "2025-05-31"),
        ("c", "2", "1", "2025-05-31|2025-12-31"),
    )
    h = history(("a", "2025-03-31", GREEN, 1))
    cal = goals.followup_calendar(gl, h, today=date(2025, 4, 15))
    states = {(r["goal_key"], r["followup_date"].isoformat()): r["state"] for r in cal.to_dicts()}
    assert states == {
        ("a", "2025-03-31"): goals.DONE,
        ("a", "2025-12-31"): goals.DUE,
        ("b", "2025-05-31"): goals.DUE,
        ("c", "2025-05-31"): goals.DUE,
        ("c", "2025-12-31"): goals.DUE,
    }
    later = goals.followup_calendar(gl, h, today=date(2025, 6, 1))
    areas = goals.calendar_by_area(later)
    assert areas.select(
        "malomrade_no", "overdue", "oldest_overdue", "next_date", "next_count", "done", "total"
    ).rows() == [
        ("1", 1, date(2025, 5, 31), date(2025, 12, 31), 1, 1, 3),
        ("2", 1, date(2025, 5, 31), date(2025, 12, 31), 1, 0, 2),
    ]
    # today itself is not overdue
    on_the_day = goals.followup_calendar(gl, h, today=date(2025, 5, 31))
    assert goals.OVERDUE not in on_the_day.filter(pl.col("goal_key") == "b")["state"].to_list()


def test_followup_calendar_defaults_to_today() -> None:
    gl = goal_list(("a", "1", "1", "2000-01-01|2999-12-31"))
    cal = goals.followup_calendar(gl, history())
    assert cal["state"].to_list() == [goals.OVERDUE, goals.DUE]


def test_grid_summary_counts_and_worst_goals(askersund: pl.DataFrame) -> None:
    summaries = goals.grid_summary(askersund, worst_n=3)
    assert [s.doc_id for s in summaries] == ["askersund_budget_2025", "askersund_delar_2024"]
    interim = summaries[1]
    assert interim.counts == {RED: 2, YELLOW: 0, GREEN: 1, GREY: 1}
    assert interim.total == 4
    assert [(w.label[:6], w.light) for w in interim.worst] == [("Mål 3:", RED), ("Mål 4:", RED)]
    assert summaries[0].counts[GREY] == 25 and summaries[0].worst == ()


def test_grid_summary_orders_red_before_yellow_and_caps_the_list() -> None:
    gl = goal_list(
        ("a", "1", "1", "2025-03-31"),
        ("b", "1", "2", "2025-03-31"),
        ("c", "1", "3", "2025-03-31"),
        ("d", "1", "4", "2025-03-31"),
    )
    h = history(
        ("a", "2025-03-31", YELLOW, 1),
        ("b", "2025-03-31", GREEN, 1),
        ("c", "2025-03-31", RED, 1),
        ("d", "2025-03-31", RED, 1),
    )
    (summary,) = goals.grid_summary(goals.board(gl, NO_INDICATORS, h), worst_n=2)
    assert [w.goal_key for w in summary.worst] == ["c", "d"]
    assert summary.counts == {RED: 2, YELLOW: 1, GREEN: 1, GREY: 0}


def test_priorities_give_no_grid() -> None:
    gl = goal_list(("a", "", "1", ""))
    assert goals.grid_summary(goals.board(gl, NO_INDICATORS, history())) == []


# --- Lerum's indicator table -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "better", "meaning"),
    [
        ("Minskande", "lower", BETTER),  # a falling ranking place is an improvement
        ("Minskande", "higher", WORSE),
        ("Ökande", "higher", BETTER),
        ("ökande", "lower", WORSE),
        ("Bibehållen", "higher", SAME),
        ("Oklar", "higher", None),
    ],
)
def test_forecast_meaning(text, better, meaning) -> None:
    assert goals.forecast_meaning(text, better) == meaning


def test_lerum_indicator_series(wh: db.Warehouse) -> None:
    table = goals.indicator_series(wh.run_query("goal_indicator_series", org_id="lerum"))
    got = {r["line_key"]: r for r in table.iter_rows(named=True)}
    assert list(got) == [
        "ind:hme",
        "ind:svn_ranking",
        "ind:nki",
        "ind:trygghet_oj",
        "ind:dimios",
        "ind:bostader",
    ]
    svn = got["ind:svn_ranking"]
    assert svn["printed"] == ["123", "109", "130"]
    assert (svn["better"], svn["arrow"], svn["forecast_arrow"]) == ("lower", WORSE, BETTER)
    assert got["ind:hme"]["printed"] == ["79,0", "79,2", "78,8"]
    assert (got["ind:hme"]["arrow"], got["ind:hme"]["forecast_arrow"]) == (WORSE, SAME)
    assert got["ind:dimios"]["arrow"] == BETTER
    assert got["ind:bostader"]["arrow"] is None
    assert not any(r["flagged"] for r in got.values())


def test_series_flags_errata_and_findings() -> None:
    base = {
        "doc_id": "d",
        "row_no": 1,
        "line_key": "ind:x",
        "line_label": "X",
        "unit": "index",
        "decimals": 0,
        "forecast_text": "",
        "source_line": 5,
    }
    frame = pl.DataFrame(
        [
            base
            | {
                "year": 2021,
                "value": D(1),
                "value_printed": "1",
                "has_erratum": False,
                "findings": 0,
            },
            base
            | {
                "year": 2022,
                "value": D(2),
                "value_printed": "2",
                "has_erratum": True,
                "findings": 0,
            },
        ]
    )
    (row,) = goals.indicator_series(frame).to_dicts()
    assert row["flagged"] is True
    assert row["arrow"] == BETTER


# --- chart ---------------------------------------------------------------------------


def test_indicator_trend_chart() -> None:
    points = pl.DataFrame(
        {"year": [2020, 2021, 2022], "v": [D(123), D(109), D(130)], "t": ["123", "109", "130"]}
    )
    fig = goal_charts.indicator_trend(
        points, "year", "v", "t", lower_is_better=True, highlight="rod"
    )
    (trace,) = fig.data
    assert trace.type == "scatter"
    assert list(trace.text) == ["123", "109", "130"]
    assert trace.marker.color[-1] == COLORS["rod"]
    low, high = fig.layout.yaxis.range
    assert low > high, "a ranking's axis runs downwards so that up is better"
    fig = goal_charts.indicator_trend(points, "year", "v", "t")
    low, high = fig.layout.yaxis.range
    assert low < high


def test_indicator_trend_chart_handles_empty_input() -> None:
    empty = pl.DataFrame(schema={"year": pl.Int32, "v": pl.Decimal(18, 3), "t": pl.String})
    fig = goal_charts.indicator_trend(empty, "year", "v", "t")
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == goal_charts.EMPTY_TEXT
