"""Validation: every format variant accepted with exact amounts, every rule reported."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import db
from budgetrummet.presenters import upload as report
from budgetrummet.upload import catalogue, kinds, reading, rules, validation
from budgetrummet.upload.validation import Settings, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "upload"


@pytest.fixture(scope="module")
def catalogues(wh: db.Warehouse) -> dict[str, catalogue.Catalogue]:
    return {
        org: catalogue.catalogue_for(org, wh.run_query("upl_verksamheter", org_id=org))
        for org in ("askersund", "lerum")
    }


def read(name: str) -> reading.RawTable:
    return reading.read_upload((FIXTURES / name).read_bytes(), name)


def check(
    name: str,
    cats: dict,
    *,
    org: str = "askersund",
    kind: str = kinds.UTFALL,
    year: int = 2025,
    unit: str = "kr",
    mapping: dict | None = None,
    **kw,
) -> validation.Validation:
    raw = read(name)
    chosen = kinds.suggest_mapping(raw.headers, kind) if mapping is None else mapping
    return validate(raw, Settings.of(org, kind, year, unit, chosen, **kw), cats[org])


def total(v: validation.Validation) -> Decimal:
    return v.rows["amount_kr"].sum()


@pytest.mark.parametrize(
    ("name", "kind", "year", "unit", "rows", "expected_total", "periods"),
    [
        ("cp1252_semikolon.csv", kinds.UTFALL, 2025, "kr", 5, "258645.25", ["2025-01", "2025-02"]),
        ("cp1252_utf8_minus.csv", kinds.UTFALL, 2025, "kr", 3, "-6499.25", ["2025-03"]),
        ("utf8_bom_tabb.txt", kinds.UTFALL, 2025, "kr", 3, "1229549.50", ["2025-03", "2025-04"]),
        ("utf8_komma_punkt.csv", kinds.UTFALL, 2025, "kr", 3, "1235701.55",
         ["2025-01", "2025-02", "2025-03"]),
        ("ar_manad.csv", kinds.UTFALL, 2025, "kr", 4, "550",
         ["2025-01", "2025-02", "2025-03", "2025-04"]),
        ("prognos_tkr.csv", kinds.PROGNOS, 2024, "tkr", 3, "-31349500", ["2024-08-31"]),
        ("investering.csv", kinds.INVESTERING, 2024, "kr", 3, "2725000", ["2024-03", "2024-04"]),
        ("summarad_ok.csv", kinds.UTFALL, 2025, "kr", 4, "1299.50", ["2025-01"]),
    ],
)  # fmt: skip
def test_each_format_variant_is_accepted_with_exact_amounts(
    catalogues: dict,
    name: str,
    kind: str,
    year: int,
    unit: str,
    rows: int,
    expected_total: str,
    periods: list[str],
) -> None:
    v = check(name, catalogues, kind=kind, year=year, unit=unit)
    assert v.problems.is_empty(), report.problem_table(v.problems).to_dicts()
    assert v.ok
    assert v.rows.height == rows
    assert total(v) == Decimal(expected_total)
    assert sorted(v.rows["period"].unique().to_list()) == periods


def test_windows_1252_rows_keep_names_codes_and_signs(catalogues: dict) -> None:
    v = check("cp1252_semikolon.csv", catalogues)
    first, second = v.rows.head(2).iter_rows(named=True)
    assert (first["line_key"], first["verksamhet_code"], first["verksamhet_name"]) == (
        "vh10",
        "10",
        "Nämnder/Styrelser",
    )
    assert (first["ansvar_code"], first["account"], first["account_name"]) == (
        "0180",
        "4010",
        "Lön månadsavlönade",
    )
    assert first["amount_kr"] == Decimal("12345.50")
    assert second["amount_kr"] == Decimal("-1200.00")
    assert v.totals_checked == 1, "the printed Summa row is checked and not stored"
    assert v.decimal_mark == ","


def test_verksamhet_by_name_only_is_resolved(catalogues: dict) -> None:
    v = check("cp1252_utf8_minus.csv", catalogues)
    assert v.rows["line_key"].to_list() == ["vh27", "vh45", "vh60"]
    assert v.rows["amount_kr"].to_list() == [Decimal("-7500"), Decimal("1250.75"), Decimal("-250")]


def test_tkr_forecast_is_stored_in_kronor_at_its_date(catalogues: dict) -> None:
    v = check("prognos_tkr.csv", catalogues, kind=kinds.PROGNOS, year=2024, unit="tkr")
    assert v.rows.select("as_of", "line_key", "amount_kr").rows() == [
        (date(2024, 8, 31), "vh10", Decimal("-1500000")),
        (date(2024, 8, 31), "vh45", Decimal("-32100000")),
        (date(2024, 8, 31), "vh92", Decimal("2250500")),
    ]
    note = report.conversion_note(v)
    assert note == (
        "Beloppen i filen är i tkr och lagras i kronor (× 1 000), t.ex. rad 2: "
        "\u22121\u00a0500\u00a0tkr → \u22121\u00a0500\u00a0000\u00a0kr."
    )


def test_forecast_date_can_be_stated_for_the_whole_file(catalogues: dict) -> None:
    v = check(
        "prognos_tkr.csv",
        catalogues,
        kind=kinds.PROGNOS,
        year=2024,
        unit="tkr",
        mapping={kinds.VERKSAMHET: 0, kinds.BELOPP: 2},
        stated_date=date(2024, 4, 30),
    )
    assert v.ok
    assert set(v.rows["period"]) == {"2024-04-30"}


def test_investment_projects_keep_code_and_name(catalogues: dict) -> None:
    v = check("investering.csv", catalogues, kind=kinds.INVESTERING, year=2024)
    assert v.rows.select("project_code", "project_name").row(1) == ("9102", "Förskola Åmmeberg")


def test_lerum_validates_against_produktionsomraden_and_scb_codes(catalogues: dict) -> None:
    v = check("lerum_produktionsomraden.csv", catalogues, org="lerum", year=2023)
    assert v.ok
    assert v.rows["line_key"].to_list() == ["po:ekonomi", "po:raddningstjanst", "scb:270", "po:hr"]
    wrong = check("cp1252_semikolon.csv", catalogues, org="lerum")
    assert set(wrong.problems["rule"]) == {rules.UNKNOWN_VERKSAMHET}
    assert wrong.problems["message"][0] == (
        "Verksamheten ”10 Nämnder/Styrelser” finns inte bland organisationens verksamheter."
    )
    assert catalogues["lerum"].scheme.startswith("produktionsområdena")


def test_a_scb_summary_code_is_not_a_verksamhet(catalogues: dict) -> None:
    cat = catalogues["lerum"]
    assert cat.resolve("407").line_key == "scb:407"
    assert cat.resolve("190") is None
    assert cat.resolve("790 SUMMA EGENTLIG VERKSAMHET") is None


def test_askersund_accepts_its_own_codes_only(catalogues: dict) -> None:
    cat = catalogues["askersund"]
    assert len(set(cat.frame()["line_key"])) == 23
    assert cat.resolve("10").line_key == "vh10"
    assert cat.resolve("Parker").line_key == "vh25"
    assert cat.resolve("99 Parker") is None, "an unknown code is unknown even with a known name"
    assert cat.resolve("010") is None, "codes are text: 010 is not 10"
    assert cat.resolve("407") is None


def problems_of(v: validation.Validation) -> list[tuple]:
    return v.problems.select("row", "column", "value", "rule").rows()


def test_every_row_rule_is_reported_with_row_column_and_value(catalogues: dict) -> None:
    v = check("alla_fel.csv", catalogues)
    assert not v.ok
    assert v.rows.is_empty(), "nothing is offered for storing while anything is wrong"
    assert problems_of(v) == [
        (3, "Verksamhet", "99", rules.UNKNOWN_VERKSAMHET),
        (4, "Belopp", "12a", rules.AMOUNT),
        (5, "Period", "202413", rules.BAD_PERIOD),
        (7, None, "2025-01 | vh10 | 4010", rules.DUPLICATE),
        (8, "Verksamhet", "", rules.MISSING_VALUE),
        (9, None, "extra", rules.FIELD_COUNT),
    ]
    messages = v.problems["message"].to_list()
    assert messages[3] == "Samma period, verksamhet, konto som rad 2."
    # A row of another year is not an error: the file is split into its periods.
    assert any("omfattar 2 år (2024, 2025)" in n for n in v.notes)
    counts = dict(report.counts_table(v.problems).rows())
    assert counts == {rules.RULES[r]: 1 for r in v.problems["rule"]}


def test_a_total_row_that_does_not_match_is_reported(catalogues: dict) -> None:
    v = check("summarad_fel.csv", catalogues)
    assert problems_of(v) == [(7, "Belopp", "1 300", rules.TOTAL_ROW)]
    assert v.problems["message"][0] == (
        "Summaraden anger 1\u00a0300\u00a0kr, men raderna sedan föregående summarad ger "
        "999\u00a0kr och alla rader ovanför ger 1\u00a0299,50\u00a0kr. Båda siffrorna "
        "visas; ingen av dem rättas."
    )


def test_a_single_total_reports_the_difference(catalogues: dict) -> None:
    raw = reading.read_upload(b"Vht;Period;Belopp\n10;202501;1,5\n11;202501;2\nSumma;;4\n", "x")
    mapping = {kinds.VERKSAMHET: 0, kinds.PERIOD: 1, kinds.BELOPP: 2}
    v = validate(
        raw, Settings.of("askersund", kinds.UTFALL, 2025, "tkr", mapping), catalogues["askersund"]
    )
    assert v.problems["message"].to_list() == [
        "Summaraden anger 4\u00a0tkr, men raderna ovanför summerar till 3,5\u00a0tkr "
        "(differens 0,5\u00a0tkr, mer än avrundning på 0,1\u00a0tkr). Båda siffrorna visas; "
        "ingen av dem rättas."
    ]


def test_missing_required_columns_are_named(catalogues: dict) -> None:
    v = check("investering.csv", catalogues, year=2024, mapping={kinds.PERIOD: 1})
    assert problems_of(v) == [
        (None, "Belopp", None, rules.MISSING_COLUMN),
        (None, "Verksamhet (kod och/eller namn)", None, rules.MISSING_COLUMN),
    ]
    assert "”Projekt”, ”Period”, ”Belopp”" in v.problems["message"][1]


def test_a_file_without_periods_must_state_its_month(catalogues: dict) -> None:
    mapping = {kinds.VERKSAMHET: 0, kinds.BELOPP: 3}
    v = check("ar_manad.csv", catalogues, mapping=mapping)
    assert [r[3] for r in problems_of(v)] == [rules.MISSING_COLUMN]
    assert "vilken månad" in v.problems["message"][0]
    stated = check("ar_manad.csv", catalogues, mapping=mapping, stated_month=5)
    assert problems_of(stated) == [
        (3, None, "2025-05 | vh31", rules.DUPLICATE),
        (5, None, "2025-05 | vh34", rules.DUPLICATE),
    ]


def test_one_column_for_two_fields_is_refused(catalogues: dict) -> None:
    v = check("ar_manad.csv", catalogues, mapping={kinds.VERKSAMHET: 0, kinds.PERIOD: 1,
              kinds.MANAD: 2, kinds.BELOPP: 0})  # fmt: skip
    assert "är vald för både" in " ".join(v.problems["message"])


def test_file_level_problems_pass_through(catalogues: dict) -> None:
    raw = reading.read_upload(b"%PDF-1.4", "x.pdf")
    v = validate(
        raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", {}), catalogues["askersund"]
    )
    assert problems_of(v) == [(None, None, None, rules.FILE_TYPE)]


def test_only_total_rows_is_an_empty_file(catalogues: dict) -> None:
    raw = reading.read_upload(b"Vht;Period;Belopp\nSumma;202501;0\n", "x.csv")
    mapping = {kinds.VERKSAMHET: 0, kinds.PERIOD: 1, kinds.BELOPP: 2}
    v = validate(
        raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping), catalogues["askersund"]
    )
    assert [r[3] for r in problems_of(v)] == [rules.EMPTY]


def test_duplicate_keys_use_all_mapped_key_fields(catalogues: dict) -> None:
    text = (
        "Vht;Konto;Period;Belopp\n10;4010;202501;1\n10;4020;202501;2\n"
        "10 Nämnder/Styrelser;4010;2025-01;3\n"
    )
    raw = reading.read_upload(text.encode(), "x.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    v = validate(
        raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping), catalogues["askersund"]
    )
    assert problems_of(v) == [(4, None, "2025-01 | vh10 | 4010", rules.DUPLICATE)]


def test_xlsx_upload_is_validated_like_csv(catalogues: dict) -> None:
    import io

    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Utfall")
    sheet.write_row(0, 0, ["Vht", "Ansvar", "Period", "Belopp"])
    sheet.write_row(1, 0, ["10", "0180", 202501, -1234.5])
    sheet.write_row(2, 0, [11, "0180", "2025-02", "1 000,25"])
    book.close()
    raw = reading.read_upload(buf.getvalue(), "utfall.xlsx")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    v = validate(
        raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping), catalogues["askersund"]
    )
    assert v.ok, v.problems.to_dicts()
    assert v.rows.select("line_key", "ansvar_code", "period", "amount_kr").rows() == [
        ("vh10", "0180", "2025-01", Decimal("-1234.50")),
        ("vh11", "0180", "2025-02", Decimal("1000.25")),
    ]


def test_the_year_is_guessed_from_the_periods() -> None:
    raw = read("cp1252_semikolon.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    assert validation.guess_year(raw, mapping, kinds.UTFALL, 1999) == 2025
    assert validation.guess_year(raw, {}, kinds.UTFALL, 1999) == 1999


# The real export (Örebro kommun, March 2016: outcome per förvaltning and konto).
OREBRO = "orebro_2016-03_utfall_per_forvaltning_konto.csv"


def test_the_real_export_is_read_and_its_columns_recognised() -> None:
    raw = read(OREBRO)
    assert raw.describe() == "CSV, teckenkodning UTF-8, fältavgränsare semikolon"
    assert raw.data_rows == 1403
    assert kinds.suggest_mapping(raw.headers, kinds.UTFALL) == {
        kinds.ANSVAR: 0,
        kinds.KONTO: 1,
        kinds.BELOPP: 2,
    }


def test_the_real_export_says_what_is_missing_for_an_organisation(catalogues: dict) -> None:
    v = check(OREBRO, catalogues, year=2016)
    assert [r[3] for r in problems_of(v)] == [rules.MISSING_COLUMN, rules.MISSING_COLUMN]
    mapped = check(
        OREBRO,
        catalogues,
        year=2016,
        mapping={kinds.VERKSAMHET: 0, kinds.KONTO: 1, kinds.BELOPP: 2},
        stated_month=3,
    )
    counts = dict(mapped.counts.select("rule", "count").rows())
    assert counts == {rules.UNKNOWN_VERKSAMHET: 1403}, "Örebro's förvaltningar are not Askersund's"
    assert mapped.problems.row(0, named=True)["value"] == "BFÖ Förskolenämnd"


def test_the_real_export_is_accepted_for_an_organisation_with_those_units() -> None:
    """With a catalogue of Örebro's förvaltningar the whole file stores, to the öre."""
    raw = read(OREBRO)
    units = raw.cells["c0"].unique().to_list()
    known = pl.DataFrame({"line_key": [f"vh{u.split()[0]}" for u in units], "line_label": units})
    orebro = catalogue.catalogue_for("orebro", known)
    settings = Settings.of(
        "orebro",
        kinds.UTFALL,
        2016,
        "kr",
        {kinds.VERKSAMHET: 0, kinds.KONTO: 1, kinds.BELOPP: 2},
        stated_month=3,
    )
    v = validate(raw, settings, orebro)
    assert v.ok, v.problems.head(3).to_dicts()
    assert v.rows.height == 1403
    assert v.decimal_mark == "."
    assert total(v) == Decimal("450187283.39"), "the total stated by the data's README"
    first = v.rows.row(0, named=True)
    assert (first["verksamhet_code"], first["account"], first["account_name"]) == (
        "BFÖ",
        "40230",
        "Inköp, inventarier",
    )
    assert first["amount_kr"] == Decimal("43556.90")
    assert set(v.rows["period"]) == {"2016-03"}


def test_the_real_ledger_excerpt_splits_account_code_and_name_and_finds_duplicates(
    catalogues: dict,
) -> None:
    raw = read("orebro_leverantorsreskontra_2016-03_excerpt.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    assert mapping == {kinds.ANSVAR: 0, kinds.KONTO: 4, kinds.BELOPP: 5}
    assert raw.cells["c4"][0] == "46362 Köp medicinskt färdigbeh"
    v = validate(
        raw,
        Settings.of("askersund", kinds.UTFALL, 2016, "kr", {**mapping, kinds.VERKSAMHET: 1},
                    stated_month=3),
        catalogues["askersund"],
    )  # fmt: skip
    rules_found = set(v.problems["rule"])
    assert rules.DUPLICATE in rules_found, "invoice lines repeat the same key"
    assert rules.AMOUNT not in rules_found, "every UTFALL value parses"
    # The excerpt keeps the XLSX number text: 8 values carry binary floating-point noise.
    assert v.notes == (
        "8 belopp var utskrivna med flyttalsbrus från ett kalkylark (t.ex. rad 21: "
        "”78512.850000000006”) och avrundades till öre (78\u00a0512,85); skillnaden är under "
        "0,005\u00a0kr per belopp.",
    )
