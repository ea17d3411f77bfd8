"""The key printed figures, pinned: what the documents print is what the warehouse holds."""

from decimal import Decimal

import pytest

from budgetrummet.db import Warehouse


def figure(wh: Warehouse, org: str, doc: str, table: str, key: str, column: str) -> dict:
    rows = (
        wh.run_query("figures_by_tables", org_id=org, table_ids=[table])
        .filter(doc_id=doc, line_key=key, column_label=column)
        .to_dicts()
    )
    assert len(rows) == 1, (table, key, column, rows)
    return rows[0]


B25 = ("askersund", "askersund_budget_2025")
D24 = ("askersund", "askersund_delar_2024")
LER = ("lerum", "lerum_vp_2023")


@pytest.mark.parametrize(
    ("src", "table", "key", "column", "printed", "value"),
    [
        (B25, "ram", "ram", "löptext", "115 021", "115021"),
        (B25, "ram", "effektiviseringskrav", "löptext", "1 907", "1907"),
        (B25, "ram", "effektiviseringskrav_andel", "löptext", "1,7", "1.7"),
        (B25, "ram", "resultatmal", "löptext", "0,9", "0.9"),
        (B25, "drift_summa", "nettokostnad", "Budget 2025", "-116 013", "-116013"),
        (B25, "drift_summa", "nettokostnad", "Plan 2028", "-125 549", "-125549"),
        (B25, "drift_summa", "nettokostnad", "Bokslut 2023", "-131 346", "-131346"),
        (B25, "drift_verksamhet", "vh91", "Budget 2024", "-4 249", "-4249"),
        (B25, "drift_verksamhet", "vh45", "Plan 2028", "-79 539", "-79539"),
        (B25, "finans_summa", "nettokostnad", "Budget 2025", "765 650", "765650"),
        (B25, "finans_post", "fp99913", "Budget 2024", "3 580", "3580"),
        (B25, "finans_post", "total", "Bokslut 2023", "761 876", "761876"),
        (B25, "samverkan", "sv:nerikes_brandkar", "löptext", "7 107", "7107"),
        (B25, "inv_kategori", "total", "Budget 2025", "-10 844", "-10844"),
        (D24, "resultat", "resultat", "Helårs- prognos 2024", "-174 861", "-174861"),
        (D24, "resultat", "resultat", "Budget 2024", "-169 744", "-169744"),
        (D24, "driftredovisning", "total", "Avvikelse", "-5 117", "-5117"),
        (D24, "driftredovisning", "vh91", "Budget 2024", "-53 932", "-53932"),
        (D24, "inv_ar", "proj:askersund_forskola", "Avvikelse 2024", "8 297", "8297"),
        (
            D24,
            "inv_projekt_livs",
            "proj:askersund_forskola",
            "Ack avvikelse projekt",
            "-3 000",
            "-3000",
        ),
        (LER, "produktionsomraden", "total", "Budgeterat resultat 2023", "-256,8", "-256.8"),
        (LER, "finansiella_mal", "soliditet", "mål", "25,6", "25.6"),
        (LER, "finansiella_mal", "skulder_per_invanare", "mål", "95 300", "95300"),
    ],
)
def test_printed_figure(wh: Warehouse, src, table, key, column, printed, value) -> None:
    org, doc = src
    row = figure(wh, org, doc, table, key, column)
    assert row["value_printed"] == printed
    assert row["value"] == Decimal(value)


def test_errata_keep_the_printed_value_beside_the_corrected(wh: Warehouse) -> None:
    row = figure(wh, *D24, "driftredovisning", "vh92", "Utfall 2408")
    assert row["value_printed"] == "-26 62"
    assert row["value"] == Decimal("-26632")
    assert row["has_erratum"] is True
    hammars = figure(wh, *D24, "inv_projekt_livs", "proj:hammars_skola", "Prognos 2024")
    assert (hammars["value_printed"], hammars["value"]) == ("14 500", Decimal("-14500"))


def test_year_erratum_moves_the_second_planar_2024_to_2025(wh: Warehouse) -> None:
    rows = wh.run_query("figures_by_tables", org_id="lerum", table_ids=["finansiella_mal"]).filter(
        doc_id="lerum_vp_2023", line_key="nettokostnadsandel", version="plan"
    )
    assert sorted((r["year"], r["value_printed"], r["has_erratum"]) for r in rows.to_dicts()) == [
        (2024, "98,2", False),
        (2025, "98,9", True),
    ]


def test_versions_are_not_mixed(wh: Warehouse) -> None:
    council = figure(wh, *B25, "drift_verksamhet", "vh91", "Budget 2024")
    adjusted = figure(wh, *D24, "driftredovisning", "vh91", "Budget 2024")
    assert council["version"] == "budget_kf"
    assert adjusted["version"] == "budget_justerad"
    assert council["value"] != adjusted["value"]
