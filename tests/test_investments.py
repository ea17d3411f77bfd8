"""Investments: the overrun rule, readings (a delay is not an overrun), project matching,
data-quality marks and the display tables — on tiny frames and on the printed figures."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from budgetrummet import fmt
from budgetrummet import investments as inv
from budgetrummet.db import Warehouse

D = Decimal
INV_QUERIES = (
    "inv_year",
    "inv_project_life",
    "inv_budget_plan",
    "inv_findings",
    "inv_statements",
    "inv_texts",
    "inv_key_matches",
)

# --- the percentage rule -------------------------------------------------------------


@pytest.mark.parametrize(
    ("deviation", "budget", "expected"),
    [
        (D("-12150"), D("-77350"), "−15,7\u00a0%"),  # Närlundaskolan, etapp 2
        (D("-7500"), D("-37500"), "−20,0\u00a0%"),  # Hammars: exactly a fifth
        (D("-3000"), D("-42000"), "−7,1\u00a0%"),  # Askersund förskola
        (D("500"), D("-10000"), "+5,0\u00a0%"),  # cheaper than budget keeps its sign
        (D("-500"), D("10000"), "−5,0\u00a0%"),  # a budget printed without minus
        (D("0"), D("-10000"), "0,0\u00a0%"),
        (D("-3000"), D("0"), "–"),  # zero total budget: no percentage
        (D("-3000"), None, "–"),  # missing total budget
        (None, D("-42000"), "–"),  # missing deviation
    ],
)
def test_overrun_percent_rule(deviation, budget, expected) -> None:
    assert fmt.percent(inv.overrun_percent(deviation, budget), signed=True) == expected


def test_the_vectorised_rule_equals_the_scalar_rule() -> None:
    cases = [
        (D("-12150"), D("-77350")),
        (D("-1"), D("3")),
        (D("-3000"), D("0")),
        (None, D("5")),
        (D("7"), None),
    ]
    frame = pl.DataFrame(
        {
            "projekt_avvikelse": [c[0] for c in cases],
            "projekt_budget": [c[1] for c in cases],
            "projekt_prognos": [None] * len(cases),
        },
        schema={
            "projekt_avvikelse": inv.AMOUNT,
            "projekt_budget": inv.AMOUNT,
            "projekt_prognos": inv.AMOUNT,
        },
    )
    got = inv.life_overruns(frame)["overrun_pct"].to_list()
    for (dev, bud), pct in zip(cases, got, strict=True):
        scalar = inv.overrun_percent(dev, bud)
        if scalar is None:
            assert pct is None
        else:
            assert abs(pct - scalar) < D("1e-9")


# --- readings: a delay is not an overrun --------------------------------------------


@pytest.mark.parametrize(
    ("year_dev", "life_dev", "carry", "expected"),
    [
        (D("8297"), D("-3000"), True, inv.SLIPPED_BUT_OVERRUN),  # Askersund förskola
        (D("8297"), D("-3000"), False, inv.SLIPPED_BUT_OVERRUN),
        (D("-2100"), D("-12150"), False, inv.OVERRUN),
        (D("0"), D("-100"), False, inv.OVERRUN),
        (None, D("-100"), False, inv.OVERRUN),
        (D("500"), D("0"), False, inv.WITHIN_LIFE_BUDGET),
        (D("-500"), D("200"), False, inv.WITHIN_LIFE_BUDGET),
        (D("1500"), None, True, inv.CARRIED_OVER),  # Vård- och omsorgslokaler
        (D("370"), None, False, inv.LOWER_THIS_YEAR),
        (D("-110"), None, False, inv.HIGHER_THIS_YEAR),
        (D("0"), None, False, inv.ON_BUDGET),
        (None, None, False, inv.UNKNOWN),
    ],
)
def test_reading(year_dev, life_dev, carry, expected) -> None:
    assert inv.reading(year_dev, life_dev, carry) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Projektet kommer fortgå under 2025 och saldo begäras ombudgerat.", True),
        ("Saldo kommer begäras ombudgeterat till 2025.", True),
        ("Föränsad projektstart.", False),
        ("", False),
        (None, False),
    ],
)
def test_states_carry_over(text, expected) -> None:
    assert inv.states_carry_over(text) is expected


def test_a_slipped_project_never_reads_as_a_saving() -> None:
    row = {
        "reading": inv.SLIPPED_BUT_OVERRUN,
        "avvikelse": D("8297"),
        "life_deviation": D("-3000"),
        "overrun_pct": inv.overrun_percent(D("-3000"), D("-42000")),
        "carry_over": True,
    }
    text = inv.reading_text(row, 2024)
    assert text.startswith("+8\u00a0297\u00a0tkr mot budget 2024 är ingen besparing")
    assert "−3\u00a0000\u00a0tkr (−7,1\u00a0%) mot total projektbudget" in text
    assert "ombudgeterat" in text
    without_carry = inv.reading_text(row | {"carry_over": False}, 2024)
    assert "ingen besparing: över hela projekttiden" in without_carry
    assert "Försenat" not in inv.READING_LABELS[inv.SLIPPED_BUT_OVERRUN]
    assert "dyrare totalt" in inv.READING_LABELS[inv.SLIPPED_BUT_OVERRUN]


# --- ranking ----------------------------------------------------------------------------


def _life(rows: list[tuple[str, str | None, str | None, str | None]]) -> pl.DataFrame:
    """Tiny inv_project_life frames: (name, total budget, total forecast, printed dev)."""
    n = len(rows)
    return pl.DataFrame(
        {
            "doc_id": ["d"] * n,
            "line_key": [f"proj:{r[0].lower()}" for r in rows],
            "line_label": [r[0] for r in rows],
            "as_of": ["2024-08-31"] * n,
            "projekt_budget": [None if r[1] is None else D(r[1]) for r in rows],
            "projekt_prognos": [None if r[2] is None else D(r[2]) for r in rows],
            "projekt_avvikelse": [None if r[3] is None else D(r[3]) for r in rows],
            "cause": [f"orsak {r[0]}" for r in rows],
        },
        schema_overrides={
            "projekt_budget": inv.AMOUNT,
            "projekt_prognos": inv.AMOUNT,
            "projekt_avvikelse": inv.AMOUNT,
        },
    )


TINY = _life(
    [
        ("A", "-1000", "-1500", "-500"),  # −50 %
        ("B", "-10000", "-11000", "-1000"),  # −10 %
        ("C", "0", "-300", "-300"),  # zero budget: no percent
        ("D", "-2000", "-1800", "200"),  # within budget: not an overrun
        ("E", None, None, None),  # no whole-life figures
        ("F", "-4000", "-5000", "-1000"),  # ties with B in tkr, −25 %
    ]
)


def test_largest_overruns_by_tkr_breaks_ties_by_percent() -> None:
    out = inv.largest_overruns(TINY, n=3)
    assert out["project"].to_list() == ["F", "B", "A"]
    assert out["rank"].to_list() == [1, 2, 3]
    assert out["life_deviation"].to_list() == [D("-1000"), D("-1000"), D("-500")]
    assert out["cause"][0] == "orsak F"


def test_largest_overruns_by_percent_puts_a_missing_percent_last() -> None:
    out = inv.largest_overruns(TINY, n=10, by="procent")
    assert out["project"].to_list() == ["A", "F", "B", "C"]
    assert out["overrun_pct"][-1] is None


def test_largest_overruns_edge_cases() -> None:
    assert inv.largest_overruns(TINY.head(0)).is_empty()
    assert inv.largest_overruns(TINY, n=1)["project"].to_list() == ["F"]
    with pytest.raises(ValueError, match="n måste"):
        inv.largest_overruns(TINY, n=0)
    with pytest.raises(ValueError, match="rangordning"):
        inv.largest_overruns(TINY, by="namn")


def test_life_overruns_checks_the_printed_deviation() -> None:
    frame = _life([("X", "-100", "-130", "-30"), ("Y", "-100", "-130", "-20")])
    out = inv.life_overruns(frame)
    assert out["life_deviation_check"].to_list() == [D("-30"), D("-30")]
    assert out["life_deviation_agrees"].to_list() == [True, False]
    # The printed figure is the one shown and ranked, never the recomputed one.
    assert out["life_deviation"].to_list() == [D("-30"), D("-20")]


def test_only_the_latest_report_is_ranked() -> None:
    older = TINY.with_columns(doc_id=pl.lit("old"), as_of=pl.lit("2023-08-31"))
    newer = _life([("N", "-100", "-300", "-200")])
    assert inv.largest_overruns(pl.concat([older, newer]))["project"].to_list() == ["N"]


def test_budget_key_map_explicit_then_equal() -> None:
    matches = pl.DataFrame(
        {
            "line_key": ["proj:narlunda_idrottshall"],
            "match_line_key": ["proj:narlunda_ny_idrottshall"],
        }
    )
    got = inv.budget_key_map(
        ["proj:narlunda_idrottshall", "proj:asbro_forskola", "proj:okand"],
        ["proj:narlunda_ny_idrottshall", "proj:asbro_forskola"],
        matches,
    )
    assert got == {
        "proj:narlunda_idrottshall": "proj:narlunda_ny_idrottshall",
        "proj:asbro_forskola": "proj:asbro_forskola",
    }


def test_marked_keeps_an_unprinted_cell_empty() -> None:
    assert inv.marked(None, "⚠") == ""
    assert inv.marked(D("-858"), "⚠") == "−858\u00a0tkr ⚠"
    assert inv.marked(D("26"), None, signed=True) == "+26\u00a0tkr"


# --- the printed figures (real seed warehouse) --------------------------------------


@pytest.fixture(scope="module")
def data(wh: Warehouse) -> dict[str, pl.DataFrame]:
    return {name: wh.run_query(name, org_id="askersund") for name in INV_QUERIES}


@pytest.fixture(scope="module")
def projects(data: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return inv.projects(
        data["inv_year"],
        data["inv_project_life"],
        data["inv_budget_plan"],
        data["inv_texts"],
        data["inv_findings"],
        data["inv_key_matches"],
    )


def test_every_investment_query_runs_and_lerum_has_none(wh: Warehouse) -> None:
    for name in INV_QUERIES:
        assert not wh.run_query(name, org_id="askersund").is_empty(), name
        assert wh.run_query(name, org_id="lerum").is_empty(), name
        assert wh.run_query(name, org_id="askersund' or '1'='1").is_empty(), name


def test_query_shapes(data: dict[str, pl.DataFrame]) -> None:
    assert data["inv_year"].height == 30  # 18 projects, 11 sub-items, the Summa
    assert data["inv_project_life"].height == 7
    assert data["inv_budget_plan"].filter(table_id="inv_kategori").height == 30
    assert data["inv_texts"].filter(kind="analys").height == 11
    assert data["inv_findings"]["klass"].value_counts().sort("klass").rows() == [
        ("avrundning", 3),
        ("erratum", 2),
        ("motsägelse", 10),
    ]


# key: total budget, total forecast, printed accumulated deviation, percent as shown
LIFE = {
    "proj:narlundaskolan_etapp_2": ("-77350", "-89500", "-12150", "−15,7\u00a0%"),
    "proj:narlundaskolan_omg_markarbete": ("-19000", "-21800", "-2800", "−14,7\u00a0%"),
    "proj:asbro_forskola": ("-42000", "-43500", "-1500", "−3,6\u00a0%"),
    "proj:askersund_forskola": ("-42000", "-45000", "-3000", "−7,1\u00a0%"),
    "proj:hammars_skola": ("-37500", "-45000", "-7500", "−20,0\u00a0%"),
    "proj:narlunda_idrottshall": ("-43500", "-49500", "-6000", "−13,8\u00a0%"),
    "proj:gustavslund_exploatering": ("-23400", "-24500", "-1100", "−4,7\u00a0%"),
}


def test_whole_life_deviation_equals_the_printed_accumulated_deviation(data) -> None:
    out = inv.life_overruns(data["inv_project_life"])
    assert set(out["line_key"]) == set(LIFE)
    for row in out.iter_rows(named=True):
        budget, forecast, printed, pct = LIFE[row["line_key"]]
        assert row["projekt_budget"] == D(budget)
        assert row["projekt_prognos"] == D(forecast)
        assert row["life_deviation"] == D(printed)
        assert row["life_deviation_check"] == D(printed), row["line_key"]
        assert row["life_deviation_agrees"] is True
        assert fmt.percent(row["overrun_pct"], signed=True) == pct


def test_the_three_largest_overruns_for_the_overview(data) -> None:
    top = inv.largest_overruns(data["inv_project_life"])
    assert top.select("project", "life_deviation").rows() == [
        ("Närlundaskolan, etapp 2", D("-12150")),
        ("Hammars skola/förskola", D("-7500")),
        ("Närlunda, ny idrottshall", D("-6000")),
    ]
    assert top["cause"][1].endswith("större asbestsanering än planerat.")
    by_pct = inv.largest_overruns(data["inv_project_life"], by="procent")
    assert by_pct["project"].to_list() == [
        "Hammars skola/förskola",
        "Närlundaskolan, etapp 2",
        "Närlundaskolan omg markarbeten",
    ]


def test_askersund_forskola_reads_as_delay_and_overrun(projects: pl.DataFrame) -> None:
    row = projects.filter(line_key="proj:askersund_forskola").row(0, named=True)
    assert (row["avvikelse"], row["life_deviation"]) == (D("8297"), D("-3000"))
    assert row["carry_over"] is True
    assert row["reading"] == inv.SLIPPED_BUT_OVERRUN
    assert projects.filter(reading=inv.SLIPPED_BUT_OVERRUN)["line_key"].to_list() == [
        "proj:askersund_forskola"
    ]
    # The not yet started care home slips to 2025 too, but has no whole-life figures.
    care = projects.filter(line_key="proj:vard_omsorg").row(0, named=True)
    assert (care["reading"], care["avvikelse"]) == (inv.CARRIED_OVER, D("1500"))


def test_key_matches_name_real_projects(data) -> None:
    interim = set(data["inv_year"]["line_key"])
    budget = data["inv_budget_plan"].filter(table_id="inv_projekt")
    labels = dict(budget.select("line_key", "line_label").unique().iter_rows())
    year_labels = dict(data["inv_year"].select("line_key", "line_label").iter_rows())
    matches = data["inv_key_matches"]
    assert matches.height == 6
    for match in matches.iter_rows(named=True):
        assert match["line_key"] in interim, match
        assert match["match_line_key"] in labels, match
        # Only needed where the keys differ; the reason names both printed names.
        assert match["line_key"] not in labels, match
        assert labels[match["match_line_key"]].split(",")[0] in match["reason"]
        assert year_labels[match["line_key"]].split(",")[0] in match["reason"]


def test_projects_carry_category_and_both_names(projects: pl.DataFrame) -> None:
    assert projects.height == 18
    categories = dict(projects.select("line_key", "category").iter_rows())
    assert categories["proj:narlunda_idrottshall"] == "Utvecklingsprojekt"
    assert categories["proj:vard_omsorg"] == "Strategiska investeringar"
    assert categories["proj:reinvesteringsplan"] == "Reinvestering lokaler"
    assert categories["proj:skrivare_kopiatorer"] == "Reinvestering nämnder"
    unmatched = projects.filter(pl.col("category").is_null())["line_key"].to_list()
    assert unmatched == [
        "proj:asbro_sagarevallen_staket",
        "proj:radsalen_ny_teknik",
        "proj:kommunens_intranat",
        "proj:evenemangstavlor",
    ]
    hammars = projects.filter(line_key="proj:hammars_skola").row(0, named=True)
    assert hammars["project"] == "Hammars skola, förskola, om/tillbyggnad"
    assert hammars["budget_name"] == "Hammars skola"
    assert {"Hammars skola", "Hammars skola/förskola"} <= set(hammars["other_names"])


def test_data_quality_marks_where_the_source_disagrees(data) -> None:
    marks = inv.cell_marks(data["inv_findings"])
    d24, b25 = "askersund_delar_2024", "askersund_budget_2025"
    expected = {
        (d24, "proj:asbro_forskola", "utfall", 2024): "⚠",
        (d24, "proj:askersund_forskola", "utfall", 2024): "⚠",
        (d24, "proj:hammars_skola", "utfall", 2024): "⚠",
        (d24, "proj:hammars_skola", "prognos", 2024): "⚠",  # erratum 14 500 → −14 500
        (d24, "proj:gustavslund_exploatering", "prognos", 2024): "⚠",  # −2 217 vs −2 178
        (d24, "proj:reinvesteringsplan", "utfall", 2024): "⚠",  # −858 vs −1 057
        (d24, "total", "utfall", 2024): "⚠",  # −63 684 vs −63 485
        (d24, "total", "prognos", 2024): "≈",
        (d24, "proj:narlundaskolan_etapp_2", "projekt_avvikelse", 2024): "≈",
        (b25, "summa:utvecklingsprojekt", "budget_kf", 2024): "⚠",  # −2 550 vs −3 100
    }
    for key, mark in expected.items():
        assert marks.get(key) == mark, key


def test_notes_show_both_figures(projects: pl.DataFrame, data) -> None:
    notes = dict(projects.select("line_key", "notes").iter_rows())
    assert any(
        "−2\u00a0217\u00a0tkr" in n and "−2\u00a0178\u00a0tkr" in n
        for n in notes["proj:gustavslund_exploatering"]
    )
    assert any("tryckt ”14 500”" in n for n in notes["proj:hammars_skola"])
    assert any("−858" in n and "−1\u00a0057" in n for n in notes["proj:reinvesteringsplan"])
    assert any("Analys 10" in n for n in notes["proj:radsalen_ny_teknik"])
    etapp2 = " ".join(notes["proj:narlundaskolan_etapp_2"])
    assert "tryckt ”-12,1” mkr" in etapp2 and "−12\u00a0150\u00a0tkr" in etapp2


def test_printed_totals_are_shown_as_printed(data, projects: pl.DataFrame) -> None:
    marks = inv.cell_marks(data["inv_findings"])
    portfolio = inv.portfolio_table(data["inv_budget_plan"], marks)
    utv = portfolio.filter(Rad="Summa Utvecklingsprojekt").row(0, named=True)
    assert utv["Budget 2024"] == "−2\u00a0550\u00a0tkr ⚠"
    total = portfolio.filter(Rad="Total summa").row(0, named=True)
    assert (total["Bokslut 2023"], total["Plan 2028"]) == (
        "−183\u00a0851\u00a0tkr",
        "−14\u00a0600\u00a0tkr",
    )
    assert portfolio.filter(Rad="Hammars skola").row(0, named=True)["Budget 2025"] == ""
    year = inv.year_table(projects, inv.year_total(data["inv_year"]), marks, 2024)
    summa = year.row(-1, named=True)
    assert summa["Projekt"] == "Summa (tryckt)"
    assert summa["Utfall hittills"] == "−63\u00a0684\u00a0tkr ⚠"
    assert summa["Prognos 2024"] == "−81\u00a0621\u00a0tkr ≈"
    head = inv.headline(data["inv_statements"], data["inv_year"])
    assert (head["utfall"], head["prognos"], head["budget"], head["avvikelse"]) == (
        D("-63684"),
        D("-81621"),
        D("-83805"),
        D("2184"),
    )


def test_overrun_table_ranks_and_explains(data, projects: pl.DataFrame) -> None:
    marks = inv.cell_marks(data["inv_findings"])
    table = inv.overrun_table(projects, marks, 2024)
    assert table["Projekt"].to_list()[:3] == [
        "Närlundaskolan, etapp 2",
        "Hammars skola, förskola, om/tillbyggnad",
        "Närlunda, ny idrottshall",
    ]
    first = table.row(0, named=True)
    assert first["Avvikelse hela projekttiden"] == "−12\u00a0150\u00a0tkr ≈"
    assert first["I % av total budget"] == "−15,7\u00a0%"
    forskola = table.filter(Projekt="Askersund förskola").row(0, named=True)
    assert forskola["Avvikelse 2024"] == "+8\u00a0297\u00a0tkr"
    assert forskola["Så ska det läsas"] == inv.READING_LABELS[inv.SLIPPED_BUT_OVERRUN]


def test_portfolio_series_and_plan_years(data) -> None:
    lines, totals = inv.category_series(data["inv_budget_plan"])
    assert lines["line_label"].unique(maintain_order=True).to_list() == [
        "Strategiska investeringar",
        "Reinvestering lokaler",
        "Utvecklingsprojekt",
        "Reinvestering nämnder",
    ]
    assert totals.select("column_label", "value").rows()[-1] == ("Plan 2028", D("-14600"))
    assert inv.periods(data["inv_budget_plan"]) == [
        "Bokslut 2023",
        "Budget 2024",
        "Budget 2025",
        "Plan 2026",
        "Plan 2027",
        "Plan 2028",
    ]
    planned = inv.planned_table(data["inv_budget_plan"])
    assert planned["Projekt"].to_list() == [
        "Ny Brandstation, renovering mm",
        "Invest enl reinvesteringsplan",
        "Fastighetsförvärv",
        "Rådhuset, inventarier",
        "Nya skrivare/kopiatorer",
    ]
    assert planned.row(0, named=True)["Plan 2028"] == "−7\u00a0500\u00a0tkr"


def test_reinvestment_items_are_not_projects(data) -> None:
    items = inv.reinvestment_items(data["inv_year"])
    assert items.height == 11
    assert items["utfall"].sum() == D("-1057")
    assert inv.year_total(data["inv_year"])["utfall"] == D("-63684")
    # The itemised project is found from the data: the project line that totals its items.
    assert inv.itemised_project(data["inv_year"]) == "proj:reinvesteringsplan"
    no_items = data["inv_year"].filter(~pl.col("line_key").is_in(items["line_key"].to_list()))
    assert inv.reinvestment_items(no_items.with_columns(pl.lit("").alias("total_of"))).is_empty()


def test_no_investment_data_is_recognised(wh: Warehouse) -> None:
    frames = [wh.run_query(n, org_id="lerum") for n in INV_QUERIES[:3]]
    assert inv.has_investments(*frames) is False
    empty = inv.projects(*frames, frames[0].head(0), frames[0].head(0))
    assert empty.is_empty()


def test_headline_falls_back_to_the_year_tables_summa(data) -> None:
    head = inv.headline(data["inv_statements"].head(0), data["inv_year"])
    assert (head["utfall"], head["budget"], head["avvikelse"]) == (
        D("-63684"),
        D("-83805"),
        D("2184"),
    )
    assert inv.headline(data["inv_statements"].head(0), data["inv_year"].head(0)) is None
