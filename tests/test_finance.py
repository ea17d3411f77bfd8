"""Finance administration: queries, the flow against the printed tables, goals, trend, charts."""

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest

from budgetrummet import finance
from budgetrummet.charts import finance as charts

ROOT = Path(__file__).resolve().parent.parent
TABLES = list(finance.ALL_TABLES)
D = Decimal


@pytest.fixture(scope="module")
def ask(wh) -> pl.DataFrame:
    return wh.run_query("figures_by_tables", org_id="askersund", table_ids=TABLES)


@pytest.fixture(scope="module")
def ler(wh) -> pl.DataFrame:
    return wh.run_query("figures_by_tables", org_id="lerum", table_ids=TABLES)


@pytest.fixture(scope="module")
def ask_findings(wh) -> pl.DataFrame:
    return wh.run_query("findings_by_tables", org_id="askersund", table_ids=TABLES)


def period(figs: pl.DataFrame, year: int) -> finance.Period:
    return next(p for p in finance.periods(figs) if p.year == year)


def node_balance(nodes: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Money in and out of every node (``inflow``, ``outflow``): a check that nothing leaks."""
    inflow = links.group_by("target").agg(pl.col("value").sum().alias("inflow"))
    outflow = links.group_by("source").agg(pl.col("value").sum().alias("outflow"))
    return (
        nodes.select("node_id", "role")
        .join(inflow, left_on="node_id", right_on="target", how="left")
        .join(outflow, left_on="node_id", right_on="source", how="left")
        .with_columns(
            pl.col("inflow").fill_null(D(0)).cast(finance.DECIMAL),
            pl.col("outflow").fill_null(D(0)).cast(finance.DECIMAL),
        )
    )


# ------------------------------------------------------------------------------ queries


def test_fin_figures_returns_only_the_named_tables_of_the_organisation(wh, ask, ler) -> None:
    assert set(ask["table_id"].unique()) == {
        "finans_post",
        "finans_summa",
        "drift_summa",
        "drift_verksamhet",
        "inv_kategori",
        "ram",
    }
    assert set(ler["table_id"].unique()) == {"finansiella_mal"}
    only = wh.run_query("figures_by_tables", org_id="askersund", table_ids=["finans_post"])
    assert set(only["table_id"].unique()) == {"finans_post"}
    assert only.height == 60


def test_fin_queries_bind_their_parameters(wh) -> None:
    hostile = "askersund' or '1'='1"
    assert wh.run_query("figures_by_tables", org_id=hostile, table_ids=TABLES).is_empty()
    assert wh.run_query("findings_by_tables", org_id=hostile, table_ids=TABLES).is_empty()
    assert wh.run_query(
        "figures_by_tables", org_id="askersund", table_ids=["x' or '1'='1"]
    ).is_empty()


def test_fin_findings_carry_the_year_of_their_figure(ask_findings, wh) -> None:
    got = ask_findings.select("table_id", "klass", "year", "reported", "computed").to_dicts()
    assert {"table_id": "finans_post", "klass": "motsägelse", "year": 2023} | {
        "reported": D("761876"),
        "computed": D("762602"),
    } in got
    assert {"table_id": "finans_post", "klass": "motsägelse", "year": 2023} | {
        "reported": D("761876"),
        "computed": D("762596"),
    } in got
    assert {"table_id": "drift_verksamhet", "klass": "avrundning", "year": 2025} | {
        "reported": D("-116013"),
        "computed": D("-116011"),
    } in got
    assert "stämmer" not in set(ask_findings["klass"])
    assert wh.run_query("findings_by_tables", org_id="lerum", table_ids=TABLES).is_empty()


# ------------------------------------------------------------------------------ periods


def test_periods_are_the_printed_columns_and_the_budget_year_is_default(ask, ler) -> None:
    choices = finance.periods(ask)
    assert [p.label for p in choices] == [
        "Bokslut 2023",
        "Budget 2024",
        "Budget 2025",
        "Plan 2026",
        "Plan 2027",
        "Plan 2028",
    ]
    assert finance.default_period(choices).label == "Budget 2025"
    assert finance.periods(ler) == []
    assert finance.default_period([]) is None


# --------------------------------------------------------------------------------- flow


def _printed_lines(figures: list[dict]) -> dict[int, list[dict]]:
    """The printed finance posts per year straight from the seed build, not via finance.py."""
    by_year: dict[int, list[dict]] = defaultdict(list)
    for f in figures:
        if f["table_id"] == "finans_post" and f["row_kind"] == "line":
            by_year[f["year"]].append(f)
    return by_year


def _printed(figures: list[dict], table_id: str, line_key: str, year: int) -> Decimal:
    return next(
        f["value"]
        for f in figures
        if f["table_id"] == table_id and f["line_key"] == line_key and f["year"] == year
    )


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026, 2027, 2028])
def test_flow_in_minus_out_is_the_sum_of_the_printed_lines(ask, figures, year) -> None:
    lines = _printed_lines(figures)[year]
    assert len(lines) == 9
    p = period(ask, year)
    nodes, links = finance.flow_graph(ask, p)
    into = sum(
        (r["value"] for r in links.iter_rows(named=True) if r["target"] == "finansforvaltning"),
        D(0),
    )
    out_posts = sum(
        (
            r["value"]
            for r in links.iter_rows(named=True)
            if r["source"] == "finansforvaltning" and r["target"] != finance.NET
        ),
        D(0),
    )
    line_sum = sum((f["value"] for f in lines), D(0))
    assert into == sum((f["value"] for f in lines if f["value"] > 0), D(0))
    assert out_posts == -sum((f["value"] for f in lines if f["value"] < 0), D(0))
    assert into - out_posts == line_sum
    net = links.filter((pl.col("source") == "finansforvaltning") & (pl.col("target") == "netto"))
    assert net["value"].to_list() == [line_sum]
    # Each printed post appears once, on the side its sign says, with its printed size.
    for f in lines:
        hit = links.filter(
            (pl.col("source") == f["line_key"]) | (pl.col("target") == f["line_key"])
        )
        if f["value"] == 0:
            assert hit.is_empty()
        else:
            assert hit.height == 1
            assert hit["value"][0] == abs(f["value"])
            assert (hit["source"][0] == f["line_key"]) == (f["value"] > 0)
    # Nothing leaks: the finance administration and the net pass on what they receive.
    bal = node_balance(nodes, links)
    for node_id in ("finansforvaltning", "netto"):
        r = bal.filter(pl.col("node_id") == node_id).row(0, named=True)
        assert r["inflow"] == r["outflow"]


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026, 2027, 2028])
def test_flow_balance_against_both_printed_nets(ask, figures, year) -> None:
    bal = finance.flow_balance(ask, period(ask, year))
    printed_total = _printed(figures, "finans_post", "total", year)
    printed_net = _printed(figures, "finans_summa", "nettokostnad", year)
    assert bal.printed_total == printed_total
    assert bal.printed_net == printed_net
    assert bal.line_sum == sum((f["value"] for f in _printed_lines(figures)[year]), D(0))
    # Only Bokslut 2023 contradicts itself; every other year agrees to the krona.
    assert bal.printed_figures_agree is (year != 2023)


def test_budget_2025_flow_pins_the_printed_figures(ask) -> None:
    bal = finance.flow_balance(ask, period(ask, 2025))
    assert (bal.inflows, bal.outflows, bal.line_sum) == (D(925374), D(159724), D(765650))
    assert bal.board_net == D(-116013)
    assert bal.remainder == D(649637)
    nodes, links = finance.flow_graph(ask, period(ask, 2025), board_name="Kommunstyrelsen")
    board = links.filter(pl.col("target") == "namnd").row(0, named=True)
    assert (board["source"], board["value"]) == ("netto", D(116013))
    assert nodes.filter(pl.col("node_id") == "namnd")["label"][0] == (
        "Kommunstyrelsens nettokostnad"
    )
    rest = links.filter(pl.col("target") == "ovrigt")
    assert rest["value"].to_list() == [D(649637)]


def test_bokslut_2023_contradiction_is_kept_not_fixed(ask) -> None:
    bal = finance.flow_balance(ask, period(ask, 2023))
    assert bal.line_sum == D(762602)
    assert bal.printed_total == D(761876)
    assert bal.printed_net == D(762596)
    assert not bal.printed_figures_agree
    nodes, _ = finance.flow_graph(ask, period(ask, 2023), flagged=True)
    net = nodes.filter(pl.col("node_id") == "netto").row(0, named=True)
    assert net["flagged"] is True
    assert net["amount"] == D(762602)


def test_frame_adjustments_change_side_when_their_sign_changes(ask) -> None:
    _, l24 = finance.flow_graph(ask, period(ask, 2024))
    _, l25 = finance.flow_graph(ask, period(ask, 2025))
    _, l23 = finance.flow_graph(ask, period(ask, 2023))
    assert l24.filter(pl.col("source") == "fp99913").select("target", "value").row(0) == (
        "finansforvaltning",
        D(3580),
    )
    assert l25.filter(pl.col("target") == "fp99913").select("source", "value").row(0) == (
        "finansforvaltning",
        D(19170),
    )
    # Printed 0 in Bokslut 2023: no flow at all.
    assert l23.filter((pl.col("source") == "fp99913") | (pl.col("target") == "fp99913")).is_empty()


def test_sign_changes_name_the_posts_that_switch_side(ask, ler) -> None:
    assert finance.sign_changes(ask) == ["99913 Ramjusteringar"]
    assert finance.sign_changes(ler) == []


def test_flow_with_the_assumption_shows_a_result_or_a_deficit(ask) -> None:
    p = period(ask, 2025)
    nodes, links = finance.flow_graph(ask, p, finance.Assumptions(D(641000)))
    assert links.filter(pl.col("target") == "ovriga_namnder")["value"].to_list() == [D(641000)]
    assert links.filter(pl.col("target") == "resultat")["value"].to_list() == [D(8637)]
    nodes, links = finance.flow_graph(ask, p, finance.Assumptions(D(700000)))
    deficit = links.filter(pl.col("source") == "underskott").row(0, named=True)
    assert (deficit["target"], deficit["value"]) == ("netto", D(50363))
    bal = node_balance(nodes, links).filter(pl.col("node_id") == "netto").row(0, named=True)
    assert bal["inflow"] == bal["outflow"] == D(765650) + D(50363)


def test_an_organisation_without_finance_tables_has_no_flow(ler) -> None:
    assert finance.flow_document(ler) is None
    assert finance.result_goal_by_year(ler).is_empty()
    assert finance.trend(ler).is_empty()
    nodes, links = finance.flow_graph(
        ler, finance.Period(2025, "Budget 2025", "budget_kf", "lerum_vp_2023")
    )
    assert nodes.is_empty() and links.is_empty()


# --------------------------------------------------------------------------- result goal


def test_result_goal_tkr_is_the_percentage_of_tax_revenue_and_grants() -> None:
    assert finance.result_goal_tkr(D(657082), D(196392), D("0.9")) == D("7681.266")
    assert finance.result_goal_tkr(D(0), D(0), D("0.9")) == 0
    assert finance.result_goal_tkr(D(100), D(0), D(2)) == D(2)


def test_result_goal_by_year_for_askersund(ask) -> None:
    table = finance.result_goal_by_year(ask)
    assert table["mal_procent"].unique().to_list() == [D("0.9")]
    assert table.select("year", "underlag", "mal_tkr").rows() == [
        (2023, D(789238), D("7103.142")),
        (2024, D(809361), D("7284.249")),
        (2025, D(853474), D("7681.266")),
        (2026, D(885186), D("7966.674")),
        (2027, D(914754), D("8232.786")),
        (2028, D(945714), D("8511.426")),
    ]
    r2025 = table.filter(pl.col("year") == 2025).row(0, named=True)
    assert r2025["finans_netto"] == D(765650)
    assert r2025["namnd_netto"] == D(-116013)
    assert r2025["utrymme_ovriga"] == D("641955.734")
    other = finance.result_goal_by_year(ask, D("2.0"))
    assert other.filter(pl.col("year") == 2025)["mal_tkr"][0] == D("17069.480")


@pytest.mark.parametrize(
    ("result", "goal", "status"),
    [
        (D(8637), D("7681.266"), "gron"),
        (D("7681.266"), D("7681.266"), "gron"),
        (D(4637), D("7681.266"), "gul"),
        (D(0), D("7681.266"), "gul"),
        (D(-1), D("7681.266"), "rod"),
    ],
)
def test_result_status(result, goal, status) -> None:
    assert finance.result_status(result, goal) == status


def test_result_goal_is_grey_without_the_assumption_and_computed_with_it(ask) -> None:
    p = period(ask, 2025)
    goal = finance.result_goal_assessment(ask, p)
    assert goal.status == "gra"
    assert "Kan inte bedömas" in goal.verdict
    assert set(goal.rows["status"]) == {"gra"}
    assert goal.rows["shown"].to_list()[2] == "7\u00a0681\u00a0tkr"
    assert any("641\u00a0956\u00a0tkr" in line for line in goal.calculation)
    met = finance.result_goal_assessment(ask, p, finance.Assumptions(D(641000)))
    assert met.status == "gron"
    assert "8\u00a0637\u00a0tkr" in met.verdict and "antagandet" in met.verdict.lower()
    assert met.rows.filter(pl.col("year") == 2025)["status"][0] == "gron"
    assert set(met.rows.filter(pl.col("year") != 2025)["status"]) == {"gra"}
    assert finance.result_goal_assessment(ask, p, finance.Assumptions(D(645000))).status == "gul"
    assert finance.result_goal_assessment(ask, p, finance.Assumptions(D(700000))).status == "rod"
    assert (
        finance.result_goal_assessment(ask, p).notes[0].startswith("Fullmäktiges mål gäller 2025")
    )


@pytest.fixture(scope="module")
def worded(wh) -> tuple[finance.WordedGoal, ...]:
    return finance.worded_goals(wh.run_query("fin_worded_goals", org_id="askersund"))


def test_self_financing(ask, ler, worded) -> None:
    p = period(ask, 2025)
    assert finance.self_financing_assessment(ask, p) is None  # no worded goal, no assessment
    grey = finance.self_financing_assessment(ask, p, worded=worded)
    assert grey.status == "gra" and "Kan inte bedömas" in grey.verdict
    assert any("−55\u00a0500\u00a0tkr" in line for line in grey.calculation)
    assert any("−10\u00a0844\u00a0tkr" in line for line in grey.calculation)
    # Result 8 637, depreciation 55 500, investments 10 844 + 30 000: (8 637 + 55 500) / 40 844.
    high = finance.self_financing_assessment(
        ask, p, finance.Assumptions(D(641000), D(30000)), worded=worded
    )
    assert high.status == "gra"
    assert "157,0\u00a0%" in high.verdict and "låneskulden" in high.verdict
    low = finance.self_financing_assessment(
        ask, p, finance.Assumptions(D(641000), D(100000)), worded=worded
    )
    assert low.status == "rod"
    assert "57,9\u00a0%" in low.verdict
    assert (
        finance.self_financing_assessment(
            ler, finance.Period(2023, "x", "plan", "lerum_vp_2023"), worded=worded
        )
        is None
    )


def test_worded_goals_are_quoted_from_the_line_they_cite(worded) -> None:
    assert [g.key for g in worded] == ["sjalvfinansiering"]
    for goal in worded:
        text = (ROOT / "data" / "sources" / f"{goal.doc_id}.txt").read_text(encoding="utf-8")
        assert goal.quote in text.splitlines()[goal.source_line - 1]


# --------------------------------------------------------------------------- Lerum goals


def test_lerum_ratio_goals_against_their_targets(ler) -> None:
    goals = {g.key: g for g in finance.ratio_goals(ler, {"lerum_vp_2023": "VP 2023"})}
    assert list(goals) == ["soliditet", "skulder_per_invanare", "nettokostnadsandel"]
    sol = goals["soliditet"]
    assert (sol.status, sol.target, sol.target_value) == ("gron", "över 25,6\u00a0%", D("25.6"))
    assert sol.rows.select("label", "shown", "status").rows() == [
        ("År 2023", "28,9\u00a0%", "gron"),
        ("Planåret 2024", "28,3\u00a0%", "gron"),
        ("Planåret 2025", "27,7\u00a0%", "gron"),
    ]
    debt = goals["skulder_per_invanare"]
    assert (debt.status, debt.target) == ("gron", "under 95\u00a0300\u00a0kr")
    assert debt.rows["shown"].to_list() == [
        "66\u00a0942\u00a0kr",
        "70\u00a0401\u00a0kr",
        "75\u00a0082\u00a0kr",
    ]
    share = goals["nettokostnadsandel"]
    assert share.status == "gron"  # judged on the ten-year average 96,5 ≤ 98,0
    assert share.rows.select("label", "year", "shown", "status").rows() == [
        ("År 2023", 2023, "99,0\u00a0%", "gul"),
        ("Planåret 2024", 2024, "98,2\u00a0%", "gul"),
        ("Planåret 2025", 2025, "98,9\u00a0%", "gul"),
        ("Tioårsperioden 2016–2025", 2025, "96,5\u00a0%", "gron"),
    ]
    assert "Tryckt som ”planåret 2024”" in share.rows["note"][2]
    assert len(share.notes) == 1 and "avser 2025" in share.notes[0]
    assert share.source == "VP 2023, Finansiellt perspektiv, rad 272"


def test_a_ratio_below_its_floor_is_red() -> None:
    rows = []
    for version, col, value in (("mal", "mål", "25.6"), ("budget_kf", "År 2023", "24.0")):
        rows.append(
            {
                "doc_id": "d",
                "table_id": "finansiella_mal",
                "table_title": "T",
                "row_no": 1,
                "line_label": "x",
                "line_key": "soliditet",
                "row_kind": "line",
                "column_label": col,
                "measure": "andel",
                "version": version,
                "year": 2023,
                "year_printed": 2023,
                "unit": "procent",
                "value_printed": value,
                "value": D(value),
                "decimals": 1,
                "has_erratum": False,
                "source_line": 1,
            }
        )
    goals = finance.ratio_goals(pl.DataFrame(rows))
    assert goals[0].status == "rod"
    assert goals[0].verdict == "Målet nås inte: År 2023."


def test_worst_status() -> None:
    assert finance.worst(["gron", "gul", "gra"]) == "gul"
    assert finance.worst(["gron", "rod", "gul"]) == "rod"
    assert finance.worst(["gra"]) == "gra"
    assert finance.worst([]) == "gra"


# -------------------------------------------------------------------------------- trend


def test_trend_growth_and_flags(ask, ask_findings) -> None:
    trend = finance.trend(ask, ask_findings, board_name="Kommunstyrelsen")
    tax = trend.filter(pl.col("series") == "skatter_bidrag")
    assert tax["value"].to_list()[:3] == [D(789238), D(809361), D(853474)]
    assert tax["computed"].all()
    assert tax["growth_pct"][0] is None
    assert round(tax["growth_pct"][2], 2) == D("5.45")
    costs = trend.filter(pl.col("series") == "finans_kostnader")
    assert costs["value"].to_list()[2] == D(95824)  # printed −95 824, shown as a size
    net = trend.filter(pl.col("series") == "finans_netto")
    assert net.filter(pl.col("year") == 2023)["flag"][0] == "motsägelse"
    assert set(net.filter(pl.col("year") != 2023)["flag"]) == {""}
    board = trend.filter(pl.col("series") == "namnd_netto")
    assert board["series_label"][0] == "Kommunstyrelsens nettokostnad"
    assert board.filter(pl.col("year") == 2025)["flag"][0] == "avrundning"
    assert round(board["growth_pct"][1], 1) == D("-12.8")  # 131 346 → 114 522
    assert board["index"][0] == 100


def test_trend_tables(ask, ask_findings) -> None:
    trend = finance.trend(ask, ask_findings)
    amounts = finance.trend_table(trend)
    assert amounts.columns[0] == "Serie" and amounts.columns[-1] == "Plan 2028"
    net = amounts.filter(pl.col("Serie") == "Finansförvaltningens netto till nämnderna")
    assert net["Bokslut 2023"][0] == "762\u00a0596\u00a0tkr ⚠"
    assert net["Budget 2025"][0] == "765\u00a0650\u00a0tkr"
    growth = finance.growth_table(trend)
    tax = growth.filter(pl.col("Serie").str.starts_with("Skatteintäkter")).row(0, named=True)
    assert tax["2024→2025"] == "+5,5\u00a0%"
    assert tax["2023→2028 totalt"] == "+19,8\u00a0%"


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [(D(100), D(110), D(10)), (D(-100), D(-110), D(-10)), (D(0), D(5), None), (None, D(1), None)],
)
def test_percent_change(previous, current, expected) -> None:
    assert finance.percent_change(previous, current) == expected


def test_unknowns_say_what_the_sources_cannot_tell(ask, ler, worded) -> None:
    a = " ".join(finance.unknowns(ask, board_name="Kommunstyrelsen", worded=worded))
    assert "inte övriga nämnders" in a and "antagande" in a and "låneskuld" in a
    lerum = " ".join(finance.unknowns(ler))
    assert "ingen driftbudget för finansförvaltningen" in lerum


def test_evident_label() -> None:
    assert finance.evident_label("planåret 2024", 2025, 2024) == "Planåret 2025"
    assert finance.evident_label("År 2023", 2023, 2023) == "År 2023"


# ------------------------------------------------------------------------------- charts


def test_sankey_builder(ask) -> None:
    nodes, links = finance.flow_graph(ask, period(ask, 2025), board_name="Kommunstyrelsen")
    fig = charts.flow_sankey(nodes, links)
    (trace,) = fig.data
    assert isinstance(trace, go.Sankey)
    assert len(trace.link.value) == links.height == 12  # 9 posts, net, board, rest
    assert "Netto till nämnderna<br>765\u00a0650\u00a0tkr" in trace.node.label
    # The link from the finance administration to the net carries 765 650.
    labels = list(trace.node.label)
    i = next(k for k, t in enumerate(labels) if t.startswith("Finansförvaltningen"))
    j = next(k for k, t in enumerate(labels) if t.startswith("Netto"))
    k = next(
        n
        for n in range(len(trace.link.source))
        if (trace.link.source[n], trace.link.target[n]) == (i, j)
    )
    assert trace.link.value[k] == 765650.0
    flagged = charts.flow_sankey(*finance.flow_graph(ask, period(ask, 2023), flagged=True))
    assert any("Netto till nämnderna ⚠" in t for t in flagged.data[0].node.label)


def test_charts_handle_empty_input() -> None:
    empty_nodes = pl.DataFrame(schema=finance.NODE_SCHEMA)
    empty_links = pl.DataFrame(schema=finance.LINK_SCHEMA)
    for fig in (
        charts.flow_sankey(empty_nodes, empty_links),
        charts.trend_chart(
            pl.DataFrame(schema=finance.TREND_SCHEMA), "column_label", "value", "series_label"
        ),
        charts.goal_chart(
            pl.DataFrame(schema=finance.GOAL_ROW_SCHEMA), "label", "value", "status", "shown"
        ),
    ):
        assert not fig.data
        assert fig.layout.annotations[0].text


def test_trend_and_goal_charts(ask, ler) -> None:
    trend = finance.trend(ask)
    fig = charts.trend_chart(trend, "column_label", "value", "series_label")
    assert [t.name for t in fig.data][0] == "Skatteintäkter och generella statsbidrag"
    assert all(isinstance(t, go.Scatter) for t in fig.data) and len(fig.data) == 4
    share = next(g for g in finance.ratio_goals(ler) if g.key == "nettokostnadsandel")
    fig = charts.goal_chart(
        share.rows, "label", "value", "status", "shown", target=98.0, target_text="Mål"
    )
    assert list(fig.data[0].marker.color) == ["#b58100"] * 3 + ["#1a7f37"]
    assert fig.layout.shapes[0].y0 == 98.0
    low, high = fig.layout.yaxis.range
    assert low < 96.5 and high > 99.0
