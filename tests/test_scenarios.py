"""The scenario maths on the real seed documents: every rule the Scenarier page states."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from budgetrummet import db
from budgetrummet import scenarios as sc

D = Decimal


def baseline_from(wh: db.Warehouse, org_id: str, doc_id: str) -> sc.Baseline:
    layout, _ = sc.load_layout(wh.run_query, org_id, doc_id)
    assert layout is not None and layout.doc_id == doc_id
    figures, texts = sc.load_inputs(wh.run_query, org_id, layout)
    return sc.build_baseline(org_id, layout, figures, texts)


@pytest.fixture(scope="module")
def ask(wh: db.Warehouse) -> sc.Baseline:
    return baseline_from(wh, "askersund", "askersund_budget_2025")


@pytest.fixture(scope="module")
def lerum(wh: db.Warehouse) -> sc.Baseline:
    return baseline_from(wh, "lerum", "lerum_vp_2023")


def years(result: sc.ScenarioResult, column: str) -> dict[int, Decimal]:
    return dict(result.years.select("year", column).iter_rows())


def params(b: sc.Baseline, **changes) -> sc.ScenarioParams:
    """The document's levers with some changed (requirement/index as {year: percent})."""
    doc = sc.document_params(b)
    req = dict(doc.requirement) | {y: D(v) for y, v in changes.pop("requirement", {}).items()}
    idx = {y: D(v) for y, v in changes.pop("index", {}).items()}
    return sc.ScenarioParams(requirement=req, index=idx, **changes)


# ------------------------------------------------------------------------------ baseline


def test_the_baseline_is_the_document_as_printed(ask: sc.Baseline) -> None:
    assert ask.unit == "tkr" and ask.quantum == 1
    assert ask.years == (2025, 2026, 2027, 2028)
    totals = dict(ask.totals.select("year", "net").iter_rows())
    assert totals == {
        2023: D(-131346),
        2024: D(-114522),
        2025: D(-116013),
        2026: D(-119573),
        2027: D(-122518),
        2028: D(-125549),
    }
    # The printed 2025 total stays as printed although its lines add up to −116 011,
    # and carries the reconciliation's flag.
    assert ask.lines.filter(year=2025)["net"].sum() == D(-116011)
    assert ask.totals.filter(year=2025)["flag"][0] == "avrundning"
    assert ask.base == dict.fromkeys(ask.years, D(115021))
    assert ask.documented[2025] == sc.Documented(D(1907), D("1.7"), 206)
    assert ask.goal_percent == D("0.9")
    assert ask.lines.select("line_key").n_unique() == 22


def test_joint_bodies_and_risks_come_from_the_documents(ask: sc.Baseline) -> None:
    assert ask.joint_notes == {
        "vh45": "hela raden är Sydnärkes utbildningsförbund 72 090 tkr 2025",
        "vh27": "varav Nerikes brandkår 7 107 tkr 2025",
    }
    suf = ask.risk("suf")
    assert suf.suggestion == D(6000)
    assert "avvikelse på −6\u00a0000\u00a0tkr (rad 351)" in suf.suggestion_note
    assert "extra medlemsbidrag 2025" in suf.text
    assert ask.risk("skolskjutsar").source_line == 369
    assert "Lunnagården" in ask.risk("rivning").text
    assert [r.key for r in ask.risks] == ["skolskjutsar", "suf", "rivning"]
    assert len(ask.measures) == 4


def test_lerum_has_its_2023_budget_in_mkr(lerum: sc.Baseline) -> None:
    assert (lerum.unit, lerum.quantum, lerum.years) == ("mkr", D("0.1"), (2023,))
    assert lerum.base == {2023: D("256.8")}
    assert lerum.finance is None and lerum.goal_percent is None and lerum.risks == ()
    assert lerum.carrying_keys()[0] == "po:kommundirektor"
    # The 2022-only line has no 2023 figure and cannot carry a 2023 requirement.
    assert "po:ledning_internservice_sb_2022" not in lerum.carrying_keys()
    assert any("planår" in n.lower() for n in lerum.notes)


# ---------------------------------------------------------------------------- the plan


@pytest.mark.parametrize("fixture", ["ask", "lerum"])
def test_the_documents_own_levers_reproduce_the_plan_exactly(fixture, request) -> None:
    b = request.getfixturevalue(fixture)
    r = sc.compute(b, sc.document_params(b))
    assert years(r, "scenario_net") == years(r, "plan_net")
    assert set(years(r, "change").values()) == {0}
    assert (r.lines["scenario_net"] == r.lines["plan_net"]).all()
    assert r.risks.is_empty()


def test_all_levers_at_zero_reproduce_the_plan_where_the_document_has_no_requirement(
    lerum: sc.Baseline,
) -> None:
    r = sc.compute(lerum, sc.zero_params(lerum))
    assert sc.zero_params(lerum) == sc.document_params(lerum)
    assert years(r, "scenario_net") == {2023: D("-256.8")}


def test_all_levers_at_zero_release_the_documented_requirement(ask: sc.Baseline) -> None:
    """Askersund's budget already holds the 1 907 tkr cut: at 0 % it is given back."""
    r = sc.compute(ask, sc.zero_params(ask))
    assert set(years(r, "change").values()) == {D(-1907)}
    assert years(r, "scenario_net")[2025] == D(-116013 - 1907)
    # Plan years (no documented requirement) at 0 % change nothing of their own.
    assert years(r, "requirement") == dict.fromkeys(ask.years, D(0))


# ------------------------------------------------------------------ requirement amounts


def test_the_2025_default_is_the_documents_1907_tkr(ask: sc.Baseline) -> None:
    doc = sc.document_params(ask)
    assert doc.requirement_for(2025) == D("1.7")
    assert sc.requirement_amount(ask, 2025, D("1.7")) == D(1907)
    # 1,7 % is the printed rounding of 1 907 / 115 021 = 1,658 %; 1,7 % × 115 021 would be
    # 1 955,357: the documented amount wins at the documented percentage.
    assert round(D(1907) / D(115021) * 100, 3) == D("1.658")
    r = sc.compute(ask, doc)
    assert years(r, "requirement")[2025] == D(1907)


@pytest.mark.parametrize(
    ("year", "percent", "amount"),
    [
        (2025, "1.8", 2070),  # 2 070,378
        (2025, "1.6", 1840),  # 1 840,336
        (2025, "0", 0),
        (2026, "1.7", 1955),  # no documented requirement in 2026: 1 955,357
        (2026, "2.5", 2876),  # 2 875,525 rounds up
        (2028, "5", 5751),  # 5 751,05
    ],
)
def test_other_percentages_round_half_away_from_zero(
    ask: sc.Baseline, year: int, percent: str, amount: int
) -> None:
    assert sc.requirement_amount(ask, year, D(percent)) == D(amount)


@pytest.mark.parametrize(
    ("value", "quantum", "expected"),
    [("2.5", "1", "3"), ("-2.5", "1", "-3"), ("0.25", "0.1", "0.3"), ("2.4999", "1", "2")],
)
def test_round_to(value: str, quantum: str, expected: str) -> None:
    assert sc.round_to(D(value), D(quantum)) == D(expected)


def test_lerum_requirement_is_in_tenths_of_mkr(lerum: sc.Baseline) -> None:
    r = sc.compute(lerum, params(lerum, requirement={2023: "1"}))
    assert years(r, "requirement") == {2023: D("2.6")}  # 2,568 mkr
    shares = r.lines["requirement_share"]
    assert shares.sum() == D("2.6")
    assert all(s == sc.round_to(s, D("0.1")) for s in shares)


# ------------------------------------------------------------------ spread and exemption


def test_the_requirement_falls_on_lines_in_proportion_to_net_cost(ask: sc.Baseline) -> None:
    r = sc.compute(ask, sc.document_params(ask))
    y2025 = r.lines.filter(year=2025)
    share = dict(y2025.select("line_key", "requirement_share").iter_rows())
    assert sum(share.values()) == D(1907)
    # Net income lines carry nothing; the largest net cost carries the most.
    assert share["vh80"] == share["vh81"] == share["vh87"] == 0
    assert max(share, key=share.get) == "vh45"
    cost = -y2025.filter(pl.col("plan_net") < 0)["plan_net"].sum()
    for key, net in y2025.select("line_key", "plan_net").iter_rows():
        if net < 0:
            assert abs(share[key] - D(1907) * -net / cost) < 1


def test_exemptions_redistribute_exactly(ask: sc.Baseline) -> None:
    exempt = frozenset({"vh45", "vh27"})
    base = sc.compute(ask, sc.document_params(ask)).lines.filter(year=2025)
    r = sc.compute(ask, params(ask, exempt=exempt)).lines.filter(year=2025)
    before = dict(base.select("line_key", "requirement_share").iter_rows())
    after = dict(r.select("line_key", "requirement_share").iter_rows())
    assert sum(after.values()) == sum(before.values()) == D(1907)
    assert after["vh45"] == after["vh27"] == 0
    moved = before["vh45"] + before["vh27"]
    assert sum(after[k] - before[k] for k in after if k not in exempt) == moved
    carrying = r.filter(~pl.col("exempt") & (pl.col("plan_net") < 0))
    cost = -carrying["plan_net"].sum()
    for key, net in carrying.select("line_key", "plan_net").iter_rows():
        assert after[key] >= before[key]
        assert abs(after[key] - D(1907) * -net / cost) < 1
    # The exemption moves the requirement, not the documented budget: no net change.
    assert (r["change"] == 0).all()


def test_exempting_every_line_that_can_carry_the_requirement_is_refused(
    ask: sc.Baseline, lerum: sc.Baseline
) -> None:
    everything = frozenset(ask.carrying_keys())
    with pytest.raises(sc.ScenarioInputError, match="minst en måste bära"):
        sc.compute(ask, params(ask, exempt=everything))
    # Without any requirement there is nothing to carry: allowed.
    all_lerum = frozenset(lerum.carrying_keys())
    r = sc.compute(lerum, sc.ScenarioParams(exempt=all_lerum))
    assert years(r, "change") == {2023: 0}
    with pytest.raises(sc.ScenarioInputError, match="minst en måste bära"):
        sc.compute(lerum, params(lerum, requirement={2023: "0.1"}, exempt=all_lerum))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    total=hs.integers(-100_000, 100_000),
    weights=hs.lists(hs.integers(1, 10**7), min_size=1, max_size=25),
    tenths=hs.booleans(),
)
def test_apportion_is_exact(total: int, weights: list[int], tenths: bool) -> None:
    quantum = D("0.1") if tenths else D(1)
    amount = total * quantum
    keyed = [(f"k{i}", D(w)) for i, w in enumerate(weights)]
    shares = sc.apportion(amount, keyed, quantum)
    assert sum(shares.values()) == amount
    weight_sum = sum(weights)
    for key, w in keyed:
        assert shares[key] == sc.round_to(shares[key], quantum)
        assert abs(shares[key] - amount * w / weight_sum) < quantum


def test_apportion_refuses_an_amount_with_nowhere_to_go() -> None:
    with pytest.raises(sc.ScenarioInputError):
        sc.apportion(D(5), [], D(1))
    assert sc.apportion(D(0), [], D(1)) == {}


# ------------------------------------------------------------------ years, index, risks


def test_a_requirement_is_a_lasting_cut(ask: sc.Baseline) -> None:
    r = sc.compute(ask, params(ask, requirement={2026: "2.5"}))
    assert years(r, "requirement") == {2025: D(1907), 2026: D(2876), 2027: 0, 2028: 0}
    assert years(r, "savings") == {2025: 0, 2026: D(2876), 2027: D(2876), 2028: D(2876)}
    assert years(r, "scenario_net")[2026] == D(-119573 + 2876)


def test_raising_2025_lowers_every_year(ask: sc.Baseline) -> None:
    r = sc.compute(ask, params(ask, requirement={2025: "2.5"}))
    assert set(years(r, "savings").values()) == {D(2876 - 1907)}


def test_the_index_compounds_on_gross_costs(ask: sc.Baseline) -> None:
    r = sc.compute(ask, params(ask, index={2025: "1", 2026: "1"}))
    effect = years(r, "index_effect")
    assert effect[2025] == D(-1722)  # −172 183 × 1 %  = −1 721,83
    assert effect[2026] == D(-3532)  # −175 743 × 2,01 % = −3 532,43
    assert effect[2028] == D(-3653)  # −181 719 × 2,01 % = −3 652,55
    lower = sc.compute(ask, params(ask, index={2027: "-0.5"}))
    assert years(lower, "index_effect")[2027] == D(893)  # −178 688 × −0,5 % = 893,44


def test_risks_cost_their_amount_in_their_years(ask: sc.Baseline) -> None:
    p = params(
        ask,
        risks=[("suf", D(6000), (2025,)), ("skolskjutsar", D(1500), (2025, 2026, 2027, 2028))],
    )
    r = sc.compute(ask, p)
    assert years(r, "risk_effect") == {
        2025: D(-7500),
        2026: D(-1500),
        2027: D(-1500),
        2028: D(-1500),
    }
    assert r.risks.filter(year=2025)["risk_key"].to_list() == ["skolskjutsar", "suf"]


# ---------------------------------------------------------------------------- the result


def test_the_result_goal_and_the_assumed_other_boards(ask: sc.Baseline) -> None:
    assert sc.result_goal_amount(D(657082), D(196392), D("0.9")) == D("7681.266")
    assert sc.default_other_boards(ask, 2025) == D(-641956)
    r = sc.compute(ask, sc.document_params(ask)).result
    row = r.filter(year=2025).row(0, named=True)
    assert row["plan_result"] == D(7681)  # 765 650 − 116 013 − 641 956
    assert row["plan_result_percent"] == D("0.900")
    assert row["other_boards_assumed"] is True
    assert (r["plan_result_percent"] == D("0.900")).all()


def test_the_result_effect_adds_up(ask: sc.Baseline) -> None:
    p = params(
        ask,
        requirement={2025: "2.0", 2026: "2.5"},
        index={2025: "0.5", 2027: "-1"},
        exempt=frozenset({"vh45"}),
        risks=[("suf", D(6000), (2025,)), ("rivning", D(1200), (2025,))],
        other_boards={2027: D(-650000)},
    )
    r = sc.compute(ask, p)
    for y in r.years.iter_rows(named=True):
        assert y["change"] == y["savings"] + y["index_effect"] + y["risk_effect"]
        assert y["scenario_net"] == y["plan_net"] + y["change"]
        lines = r.lines.filter(year=y["year"])
        assert lines["change"].sum() == y["savings"]
        assert lines["requirement_share"].sum() == y["requirement"]
        assert (lines["scenario_net"] == lines["plan_net"] + lines["change"]).all()
    for x in r.result.iter_rows(named=True):
        assert x["scenario_result"] - x["plan_result"] == x["change"]
        assert x["gap_to_goal"] == x["scenario_result"] - x["goal_amount"]
        assert x["plan_result"] == x["finance_net"] + x["board_plan_net"] + x["other_boards"]
    own = r.result.filter(year=2027).row(0, named=True)
    assert own["other_boards"] == D(-650000) and own["other_boards_assumed"] is False
    assert own["plan_result"] == D(792602 - 122518 - 650000)
    first = r.result.filter(year=2025).row(0, named=True)
    # 2025: 2,0 % = 2 300 tkr (−1 907 documented = +393), index −861, risks −7 200.
    assert first["change"] == D(393 - 861 - 7200)
    assert first["scenario_result"] == D(7681 - 7668)
    assert first["scenario_result_percent"] == D("0.002")  # 13 / 853 474


# ------------------------------------------------------------------------ links and JSON


def test_a_link_round_trips_and_omits_the_documents_own_levers(ask: sc.Baseline) -> None:
    p = params(
        ask,
        requirement={2026: "2.5"},
        index={2027: "-0.5"},
        exempt=frozenset({"vh45", "vh27"}),
        risks=[("suf", D(6000), (2025,)), ("skolskjutsar", D(800), (2026, 2027))],
        other_boards={2025: D(-640000)},
    )
    mapping = sc.params_to_mapping(ask, p)
    assert mapping == {
        "krav_2026": "2.5",
        "index_2027": "-0.5",
        "undantag": "vh27,vh45",
        "risk_suf": "6000",
        "risk_skolskjutsar": "800",
        "risk_skolskjutsar_ar": "2026,2027",
        "ovriga_2025": "-640000",
    }
    assert sc.params_from_mapping(ask, mapping | {"org": "askersund"}) == p
    assert sc.params_to_mapping(ask, sc.document_params(ask)) == {}
    assert sc.params_from_mapping(ask, {}) == sc.document_params(ask)


def test_a_link_accepts_swedish_number_forms(ask: sc.Baseline) -> None:
    p = sc.params_from_mapping(
        ask, {"krav_2026": "2,5", "index_2026": "\u22121,0", "risk_suf": "6\u00a0000"}
    )
    assert p.requirement_for(2026) == D("2.5")
    assert p.index_for(2026) == D(-1)
    assert p.risks == (("suf", D(6000), (2025,)),)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"krav_2025": "9"}, "mellan 0 och 5 %"),
        ({"krav_2025": "abc"}, "”abc” är inte ett tal"),
        ({"krav_2025": "1.75"}, "högst 1 decimal"),
        ({"krav_2031": "1"}, "året 2031 finns inte"),
        ({"krav_x": "1"}, "krav_x: okänd parameter"),
        ({"index_2026": "-7"}, "mellan −5 och +5 %"),
        ({"undantag": "vh99"}, "Okända verksamheter att undanta: vh99"),
        ({"undantag": "vh45;drop table"}, "är ingen verksamhetskod"),
        ({"risk_hemlig": "1"}, "okänd kostnadsrisk"),
        ({"risk_suf": "1e9"}, "är inte ett tal"),
        ({"risk_suf": "-5"}, "mellan 0 och 1 000 000"),
        ({"risk_suf": "5", "risk_suf_ar": "2030"}, "året 2030 finns inte"),
        ({"risk_suf_ar": "2025"}, "utan belopp"),
        ({"ovriga_2025": "1,5"}, "ange ett helt tal"),
        ({"krav_2025": "__import__('os')"}, "är inte ett tal"),
        ({"krav_2025": "1" * 500}, "ogiltigt värde"),
    ],
)
def test_invalid_links_are_refused_with_a_swedish_message(
    ask: sc.Baseline, mapping: dict, message: str
) -> None:
    with pytest.raises(sc.ScenarioInputError) as exc:
        sc.params_from_mapping(ask, mapping)
    assert message in str(exc.value)


def test_every_problem_of_a_link_is_listed(ask: sc.Baseline) -> None:
    with pytest.raises(sc.ScenarioInputError) as exc:
        sc.params_from_mapping(ask, {"krav_2025": "x", "index_2026": "y", "risk_z": "1"})
    assert len(exc.value.problems) == 3


def test_too_many_parameters_are_refused(ask: sc.Baseline) -> None:
    with pytest.raises(sc.ScenarioInputError, match="För många"):
        sc.params_from_mapping(ask, {f"krav_{2000 + i}": "1" for i in range(61)})


def test_lerum_links_take_tenths_of_mkr(lerum: sc.Baseline) -> None:
    p = sc.params_from_mapping(lerum, {"krav_2023": "1.5", "undantag": "po:raddningstjanst"})
    assert sc.params_to_mapping(lerum, p) == {"krav_2023": "1.5", "undantag": "po:raddningstjanst"}
    with pytest.raises(sc.ScenarioInputError, match="övriga nämnder kan inte anges"):
        sc.params_from_mapping(lerum, {"ovriga_2023": "-100"})


def test_saved_json_round_trips_and_bad_json_is_refused(ask: sc.Baseline) -> None:
    p = params(ask, requirement={2027: "3"})
    text = sc.params_to_json(ask, p)
    assert sc.params_from_json(ask, text) == p
    for bad, message in [
        ("not json", "går inte att läsa"),
        ('{"format": 2}', "okänt format"),
        ('{"format": 1, "doc_id": "lerum_vp_2023", "levers": {}}', "annat dokument"),
        (
            '{"format": 1, "doc_id": "askersund_budget_2025", "levers": {"krav_2025": 1}}',
            "ogiltiga",
        ),
        ('{"format": 1, "doc_id": "askersund_budget_2025", "levers": []}', "ogiltiga"),
    ]:
        with pytest.raises(sc.ScenarioInputError, match=message):
            sc.params_from_json(ask, bad)


def test_describe_names_the_levers_in_swedish(ask: sc.Baseline) -> None:
    assert sc.describe(ask, sc.document_params(ask)) == "dokumentets egna reglage"
    p = params(
        ask,
        requirement={2026: "2.5"},
        exempt=frozenset({"vh45"}),
        risks=[("suf", D(6000), (2025,))],
    )
    assert sc.describe(ask, p) == (
        "krav 2026 2,5\u00a0%; undantag 45 Gymnasieskola; "
        "Extra medlemsbidrag till Sydnärkes utbildningsförbund 6\u00a0000\u00a0tkr 2025"
    )


def test_compare_gives_the_difference_per_year_against_the_first(ask: sc.Baseline) -> None:
    frame = sc.compare(
        ask,
        [
            ("Plan", sc.document_params(ask)),
            ("Hårdare", params(ask, requirement={2026: "2.5"})),
            ("SUF", params(ask, risks=[("suf", D(6000), (2025,))])),
        ],
    )
    diff = {(s, y): d for s, y, d in frame.select("scenario", "year", "difference").iter_rows()}
    assert diff[("Plan", 2026)] == 0
    assert diff[("Hårdare", 2025)] == 0 and diff[("Hårdare", 2026)] == D(2876)
    assert diff[("SUF", 2025)] == D(-6000) and diff[("SUF", 2026)] == 0
    assert frame.filter(scenario="SUF", year=2025)["result_percent"][0] == D("0.197")
