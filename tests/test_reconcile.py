"""Reconciliation: pure checks on tiny inputs, then the full list for the real documents."""

from decimal import Decimal

import pytest

from budgetrummet import reconcile, seed
from budgetrummet.vocab import CONTRADICTION, ERRATUM, OK, ROUNDING


def fig(line_key, value, *, printed=None, column="Budget 2025", table="t", doc="d", **kw):
    """A figure record as the builder produces it; ``printed`` defaults to ``value``."""
    text = str(value)
    shown = Decimal(printed) if printed is not None else Decimal(text)
    base = {
        "org_id": "o",
        "doc_id": doc,
        "table_id": table,
        "table_title": "Tabell",
        "line_label": line_key,
        "line_key": line_key,
        "row_kind": "line",
        "rollup_group": "",
        "total_of": "",
        "column_label": column,
        "measure": "netto",
        "version": "budget_kf",
        "year": 2025,
        "as_of": "",
        "unit": "tkr",
        "value_printed": text if printed is None else str(printed),
        "value_printed_num": shown,
        "value": Decimal(text),
        "decimals": len(text.split(".")[1]) if "." in text else 0,
        "source_line": 1,
        "row_no": 1,
        "_order": 0,
    }
    return base | kw


def total(value, group="g", **kw):
    return fig("total", value, row_kind="total", total_of=group, **kw)


def line(key, value, group="g", **kw):
    return fig(key, value, rollup_group=group, **kw)


@pytest.mark.parametrize(
    ("lines", "printed_total", "klass"),
    [
        ([100, -30], 70, OK),
        ([100, -30, 5], 76, ROUNDING),  # 1 off over 3 lines: within 3 × 0,5
        ([100, -30], 75, CONTRADICTION),
        ([], 70, None),  # a total without lines in that column is not checked
    ],
)
def test_totals(lines, printed_total, klass) -> None:
    rows = [line(f"l{i}", v) for i, v in enumerate(lines)] + [total(printed_total)]
    found = reconcile.check_totals(rows)
    assert [f.klass for f in found] == ([klass] if klass else [])


def test_total_that_only_fails_as_printed_is_explained_by_the_erratum() -> None:
    rows = [line("a", -26632, printed="-2662"), line("b", -1000), total(-27632)]
    (finding,) = reconcile.check_totals(rows)
    assert finding.klass == ERRATUM
    assert finding.difference == 0


def test_totals_in_mkr_use_half_a_tenth_per_line() -> None:
    rows = [line("a", "0.1", unit="mkr"), line("b", "0.1", unit="mkr"), total("0.3", unit="mkr")]
    (finding,) = reconcile.check_totals(rows)
    assert finding.klass == ROUNDING
    assert finding.tolerance == Decimal("0.10")


def test_net_equals_income_plus_cost_across_tables_of_one_document() -> None:
    rows = [
        fig("vh92", 973, measure="intakt", table="analys", version="prognos"),
        fig("vh92", -41226, measure="kostnad", table="analys", version="prognos"),
        fig("vh92", -39882, table="redovisning", version="prognos"),
    ]
    (finding,) = reconcile.check_net(rows)
    assert (finding.klass, finding.computed, finding.difference) == (
        CONTRADICTION,
        Decimal(-40253),
        Decimal(371),
    )


def test_deviation_is_forecast_minus_budget_with_sign() -> None:
    rows = [
        fig("vh10", -3031, version="prognos", column="Prognos"),
        fig("vh10", -3195, version="budget_justerad", column="Budget"),
        fig("vh10", 164, version="avvikelse", column="Avvikelse"),
    ]
    (finding,) = reconcile.check_deviation(rows)
    assert finding.klass == OK


def test_project_life_deviation() -> None:
    rows = [
        fig("p", -45000, version="projekt_prognos", column="Total prognos"),
        fig("p", -42000, version="projekt_budget", column="Total budget"),
        fig("p", -3000, version="projekt_avvikelse", column="Ack avvikelse"),
    ]
    assert [f.klass for f in reconcile.check_deviation(rows)] == [OK]


def test_same_figure_in_mkr_and_tkr_is_rounding_within_half_a_tenth() -> None:
    rows = [
        fig("proj:x", -12150, version="projekt_avvikelse", table="a", _order=0),
        fig("proj:x", "-12.1", version="projekt_avvikelse", table="b", unit="mkr", _order=1),
    ]
    (finding,) = reconcile.check_same_figure(rows)
    assert finding.klass == ROUNDING
    assert finding.reported == Decimal("-12100")


def test_prose_amount_is_compared_without_sign() -> None:
    rows = [
        fig("proj:r", -3215, version="prognos", table="a", _order=0),
        fig("proj:r", 3215, version="prognos", table="text", column="löptext", _order=1),
    ]
    assert [f.klass for f in reconcile.check_same_figure(rows)] == [OK]


def test_generic_keys_are_never_matched_across_tables() -> None:
    rows = [
        fig("intakter", 49417, table="drift_summa", _order=0),
        fig("intakter", 798818, table="finans_summa", _order=1),
    ]
    assert reconcile.check_same_figure(rows) == []


def test_different_versions_are_never_compared() -> None:
    rows = [
        fig("vh91", -4249, table="a", version="budget_kf"),
        fig("vh91", -53932, table="b", version="budget_justerad"),
    ]
    assert reconcile.check_same_figure(rows) == []


def test_rule_with_ratio_rounds_as_printed() -> None:
    ref = reconcile.Ref
    rows = [
        fig("ram", 115021, table="ram", column="löptext"),
        fig("krav", 1907, table="ram", column="löptext"),
        fig("andel", "1.7", table="ram", column="löptext", unit="procent"),
    ]
    rule = reconcile.Rule(
        "r",
        "andel",
        target=ref("d", "ram", "andel", "löptext"),
        terms=((Decimal(1), ref("d", "ram", "krav", "löptext")),),
        scale=Decimal(100),
        divide_by=ref("d", "ram", "ram", "löptext"),
    )
    findings, missing = reconcile.check_rules(rows, [rule])
    assert missing == []
    assert findings[0].computed == Decimal("1.7")
    assert findings[0].klass == OK


def test_references_must_point_at_the_analysis_with_that_number() -> None:
    texts = [
        {
            "org_id": "o",
            "doc_id": "d",
            "table_id": "t",
            "source_line": 1,
            "line_key": "p",
            "ref": "Analys 10",
            "kind": "analysreferens",
            "text": "10",
        },
        {
            "org_id": "o",
            "doc_id": "d",
            "table_id": "a",
            "source_line": 9,
            "line_key": "p",
            "ref": "Analys 9",
            "kind": "analys",
            "text": "...",
        },
    ]
    (finding,) = reconcile.check_references(texts)
    assert (finding.reported, finding.computed) == (Decimal(10), Decimal(9))


def test_goal_numbering_gap_is_found_per_malomrade_when_numbers_restart() -> None:
    def goal(area, no):
        return {
            "org_id": "o",
            "doc_id": "d",
            "source_line": 10 * area + no,
            "malomrade_no": str(area),
            "malomrade_title": "M",
            "goal_no": str(no),
        }

    goals = [goal(1, 1), goal(1, 2), goal(2, 1), goal(2, 2), goal(2, 4)]
    (finding,) = reconcile.check_goal_numbering(goals)
    assert finding.line_label == "Mål 3"


# --- the real documents ------------------------------------------------------------

EXPECTED_NOT_OK = {
    # (doc, table, line_key, column, kind): class
    ("askersund_budget_2025", "drift_verksamhet", "total", "Budget 2025", "summa"): ROUNDING,
    ("askersund_budget_2025", "finans_post", "total", "Bokslut 2023", "summa"): CONTRADICTION,
    (
        "askersund_budget_2025",
        "finans_post",
        "total",
        "Bokslut 2023",
        "samma_uppgift",
    ): CONTRADICTION,
    (
        "askersund_budget_2025",
        "inv_projekt",
        "summa:utvecklingsprojekt",
        "Budget 2024",
        "summa",
    ): CONTRADICTION,
    ("askersund_budget_2025", "goals", "Mål 7", "Nummer", "numrering"): CONTRADICTION,
    ("askersund_delar_2024", "driftredovisning", "total", "Utfall 2408", "summa"): ERRATUM,
    ("askersund_delar_2024", "driftredovisning", "vh92", "Prognos 2024", "netto"): CONTRADICTION,
    ("askersund_delar_2024", "driftredovisning", "vh92", "Budget 2024", "netto"): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_ar",
        "proj:reinvesteringsplan",
        "Utfall 240831",
        "summa",
    ): CONTRADICTION,
    ("askersund_delar_2024", "inv_ar", "total", "Utfall 240831", "summa"): CONTRADICTION,
    ("askersund_delar_2024", "inv_ar", "total", "Prognos 2024", "summa"): ROUNDING,
    ("askersund_delar_2024", "inv_ar", "total", "Avvikelse 2024", "summa"): ROUNDING,
    (
        "askersund_delar_2024",
        "inv_ar",
        "proj:radsalen_ny_teknik",
        "Analys",
        "referens",
    ): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_ar",
        "proj:evenemangstavlor",
        "Analys",
        "referens",
    ): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_projekt_livs",
        "proj:asbro_forskola",
        "Utfall 2024-08",
        "samma_uppgift",
    ): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_projekt_livs",
        "proj:askersund_forskola",
        "Utfall 2024-08",
        "samma_uppgift",
    ): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_projekt_livs",
        "proj:hammars_skola",
        "Utfall 2024-08",
        "samma_uppgift",
    ): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_projekt_livs",
        "proj:hammars_skola",
        "Prognos 2024",
        "samma_uppgift",
    ): ERRATUM,
    (
        "askersund_delar_2024",
        "inv_projekt_livs",
        "proj:hammars_skola",
        "Avvik 2024",
        "avvikelse",
    ): ERRATUM,
    (
        "askersund_delar_2024",
        "inv_projekt_livs",
        "proj:gustavslund_exploatering",
        "Prognos 2024",
        "samma_uppgift",
    ): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_projekt_livs",
        "proj:gustavslund_exploatering",
        "Avvik 2024",
        "avvikelse",
    ): CONTRADICTION,
    (
        "askersund_delar_2024",
        "inv_analys",
        "proj:narlundaskolan_etapp_2",
        "Total projektavvikelse",
        "samma_uppgift",
    ): ROUNDING,
    (
        "lerum_vp_2023",
        "produktionsomraden",
        "po:stod_utveckling",
        "Budgeterat resultat 2023",
        "netto",
    ): ROUNDING,
    ("lerum_vp_2023", "produktionsomraden", "total", "Brutto intäkt 2023", "summa"): ROUNDING,
    ("lerum_vp_2023", "produktionsomraden", "total", "Brutto kostnad 2022", "summa"): ROUNDING,
    ("lerum_vp_2023", "produktionsomraden", "total", "Budgeterat resultat 2022", "summa"): ROUNDING,
}


def _key(finding: dict) -> tuple:
    parts = finding["check_id"].split(":")
    line_key = finding["line_label"] if finding["kind"] == "numrering" else None
    if line_key is None:
        # check ids are kind:doc:table:line_key(:maybe:with:colons):column[:row]
        rest = finding["check_id"][len(f"{parts[0]}:{finding['doc_id']}:{finding['table_id']}:") :]
        line_key = rest.split(f":{finding['column_label']}")[0]
    return (
        finding["doc_id"],
        finding["table_id"],
        line_key,
        finding["column_label"],
        finding["kind"],
    )


def test_every_discrepancy_of_the_three_documents_is_found(wh) -> None:
    found = {}
    for org in ("askersund", "lerum"):
        frame = wh.run_query("reconciliation_for_org", org_id=org)
        for f in frame.filter(frame["klass"] != OK).to_dicts():
            found[_key(f)] = f["klass"]
    assert found == EXPECTED_NOT_OK


def test_every_printed_total_is_checked(wh, figures) -> None:
    checked = set()
    for org in ("askersund", "lerum"):
        for f in wh.run_query("reconciliation_for_org", org_id=org).to_dicts():
            if f["kind"] == "summa":
                checked.add((f["doc_id"], f["table_id"], f["source_line"], f["column_label"]))
    lines = {(r["doc_id"], r["table_id"], r["rollup_group"], r["column_label"]) for r in figures}
    totals = {
        (r["doc_id"], r["table_id"], r["source_line"], r["column_label"])
        for r in figures
        if r["row_kind"] == "total"
        and (r["doc_id"], r["table_id"], r["total_of"], r["column_label"]) in lines
    }
    assert totals and totals <= checked
    uncheckable = {
        (r["doc_id"], r["table_id"], r["line_key"], r["column_label"])
        for r in figures
        if r["row_kind"] == "total"
        and (r["doc_id"], r["table_id"], r["total_of"], r["column_label"]) not in lines
    }
    # Totals whose lines are not printed in that column (the reinvestment plan's
    # sub-items only have outcome figures).
    assert uncheckable == {
        ("askersund_delar_2024", "inv_ar", "proj:reinvesteringsplan", c)
        for c in ("Prognos 2024", "Budget 2024", "Avvikelse 2024")
    }


def test_explicit_rules_all_find_their_figures(figures) -> None:
    findings, missing = reconcile.check_rules(
        figures, reconcile.rules_from_rows(seed.read_config("rules"))
    )
    assert missing == []
    assert {f.check_id: f.klass for f in findings} == {
        "regel:effektiviseringskrav_andel": OK,
        "regel:lerum_netto_forandring": OK,
        "regel:lerum_tillfalliga_projekt": OK,
    }


def test_seed_reconciliation_counts_through_the_config_path(wh) -> None:
    """Aliases and rules come from data/seed/config; the findings are the same as ever."""
    counts = {}
    for org in ("askersund", "lerum"):
        recon = wh.run_query("reconciliation_for_org", org_id=org)
        counts[org] = (recon.height, dict(recon.group_by("klass").len().iter_rows()))
    assert counts["askersund"] == (
        307,
        {OK: 285, CONTRADICTION: 15, ERRATUM: 3, ROUNDING: 4},
    )
    assert counts["lerum"] == (39, {OK: 35, ROUNDING: 4})
