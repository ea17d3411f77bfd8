"""Real published tables and small made files, uploaded as a new user would.

Real files (``tests/fixtures/upload``, origin in its README): Simrishamn's
driftredovisning 2025 (Windows-1252, ``- 6 279``, an empty budget cell, a total 2 tkr
off its lines) and investeringsäskande 2027–2031 (UTF-8 with BOM, sum rows, Plan 2028
total 50 tkr off, text in Total utgift), and Örebro's outcome per förvaltning and konto.
"""

import io
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from budgetrummet import access, store
from budgetrummet.presenters import upload as report
from budgetrummet.upload import catalogue, kinds, reading, rules, storing, units
from budgetrummet.upload.validation import (
    SKIP_HEADING,
    SKIP_LEFT_OUT,
    SKIP_NO_AMOUNT,
    SKIP_TOTAL,
    WHOLE_YEAR,
    Settings,
    guess_year,
    validate,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "upload"
DRIFT = "simrishamn_kfn_driftredovisning_2025.csv"
INVEST = "simrishamn_kfn_investeringsaskande_2027-2031.csv"
OREBRO = "orebro_2016-03_utfall_per_forvaltning_konto.csv"
ANNA = access.Actor("Anna Ek", frozenset({"ekonom"}))
# An organisation whose documents code no verksamheter: SCB's codes are its catalogue.
SCB_ONLY = catalogue.catalogue_for(
    "simrishamn", pl.DataFrame(schema={"line_key": pl.String, "line_label": pl.String})
)
# The near misses of the driftredovisning, as a user confirms them on the page.
CONFIRMED = {
    "Idrotts- och fritidsanläggning": "scb:340",
    "Fysisk och teknisk planering": "scb:215",
    "Alkoholtillstånd": "scb:267",
    "Allmän kulturverksamhet": "scb:315",
    "Fritidsgårdsverksamhet": "scb:350",
}
LEFT_OUT = ("Museum/konsthall", "Gem adm kultur och fritid")


def read(name: str) -> reading.RawTable:
    return reading.read_upload((FIXTURES / name).read_bytes(), name)


def drift_settings(raw: reading.RawTable, **kw) -> Settings:
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    found = units.detect(raw.headers, mapping.get(kinds.BELOPP), raw.preamble)
    year = guess_year(raw, mapping, kinds.UTFALL, 1999)
    return Settings.of(
        "simrishamn", kinds.UTFALL, year, found.unit, mapping, stated_month=WHOLE_YEAR, **kw
    )


def confirmed_catalogue() -> catalogue.Catalogue:
    return SCB_ONLY.with_names({kinds.normalise(n): k for n, k in CONFIRMED.items()})


def test_simrishamn_driftredovisning_columns_unit_and_year_are_recognised() -> None:
    raw = read(DRIFT)
    assert raw.encoding == "Windows-1252" and raw.delimiter == ";"
    assert raw.headers == ("Verksamheter (tkr)", "Utfall 2025", "Budget 2025", "Återstår")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    assert mapping == {kinds.VERKSAMHET: 0, kinds.BELOPP: 1}
    found = units.detect(raw.headers, 1)
    assert (found.unit, found.text) == ("tkr", "Verksamheter (tkr)")
    assert guess_year(raw, mapping, kinds.UTFALL, 1999) == 2025
    # A forecast is never pre-filled with the outcome or budget column.
    assert kinds.BELOPP not in kinds.suggest_mapping(raw.headers, kinds.PROGNOS)


def test_simrishamn_driftredovisning_unknown_names_get_suggestions_with_code() -> None:
    raw = read(DRIFT)
    v = validate(raw, drift_settings(raw), SCB_ONLY)
    unknown = v.problems.filter(pl.col("rule") == rules.UNKNOWN_VERKSAMHET)
    assert unknown["value"].to_list() == [
        "Fysisk och teknisk planering", "Alkoholtillstånd", "Allmän kulturverksamhet",
        "Museum/konsthall", "Idrotts- och fritidsanläggning", "Fritidsgårdsverksamhet",
        "Gem adm kultur och fritid",
    ]  # fmt: skip
    message = unknown.filter(pl.col("value") == "Idrotts- och fritidsanläggning")["message"][0]
    assert "Menar du 340 Idrotts- och fritidsanläggningar (SCB)?" in message
    assert set(v.problems["rule"]) == {rules.UNKNOWN_VERKSAMHET}, "nothing else is wrong"


def test_simrishamn_driftredovisning_stores_with_confirmed_names_and_rows_left_out() -> None:
    raw = read(DRIFT)
    v = validate(raw, drift_settings(raw, left_out=LEFT_OUT), confirmed_catalogue())
    assert v.ok, v.problems.to_dicts()
    assert v.rows.height == 10
    assert set(v.rows["period"]) == {"2025"} and v.rows["month"].null_count() == 10
    allman = v.rows.filter(pl.col("line_key") == "scb:300").row(0, named=True)
    assert allman["amount_kr"] == Decimal("-6279000"), "”- 6 279” tkr"
    # The left-out rows are listed with their amounts; the total row is a rounding.
    skipped = v.skipped.select("row", "reason", "text", "amount").rows()
    assert skipped == [
        (9, SKIP_LEFT_OUT, "Museum/konsthall", "-8 417"),
        (13, SKIP_LEFT_OUT, "Gem adm kultur och fritid", "-2 612"),
        (14, SKIP_TOTAL, "Summa totalt", "-62 049"),
    ]
    assert report.left_out_note(v) == (
        "2\u00a0rader lämnas utanför på ditt val, sammanlagt \u221211\u00a0029\u00a0tkr; "
        "de sparas inte."
    )
    (total,) = v.totals
    assert (total["printed"], total["computed"], total["class"]) == (
        Decimal("-62049"), Decimal("-62051"), "avrundning",
    )  # fmt: skip
    assert any("ryms i avrundningen" in n and "Summa totalt" in n for n in v.notes)
    # What is stored plus what is left out is what the lines say.
    stored = v.rows["amount_kr"].sum() / 1000
    assert stored + Decimal("-11029") == Decimal("-62051")


def test_simrishamn_budget_column_has_an_empty_cell_that_is_skipped_not_zero() -> None:
    raw = read(DRIFT)
    settings = drift_settings(raw, left_out=LEFT_OUT)
    budget = Settings.of(
        "simrishamn", kinds.UTFALL, 2025, "tkr", {kinds.VERKSAMHET: 0, kinds.BELOPP: 2},
        stated_month=WHOLE_YEAR, left_out=settings.left_out,
    )  # fmt: skip
    v = validate(raw, budget, confirmed_catalogue())
    assert v.ok, v.problems.to_dicts()
    assert v.skipped.filter(pl.col("reason") == SKIP_NO_AMOUNT)["text"].to_list() == [
        "Alkoholtillstånd"
    ]
    assert "scb:267" not in v.rows["line_key"].to_list(), "an empty budget is not 0"
    assert "1 rad har tomt belopp och sparas inte (ett tomt belopp läses aldrig som 0)." in v.notes


def test_simrishamn_driftredovisning_is_committed_with_its_printed_total_in_the_audit(
    warehouse_dir: Path, tmp_path: Path
) -> None:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    raw = read(DRIFT)
    data = (FIXTURES / DRIFT).read_bytes()
    v = validate(raw, drift_settings(raw, left_out=LEFT_OUT), confirmed_catalogue())
    done = storing.commit(raw, data, v, ANNA, root=root)
    assert (done.rows, done.periods, done.total_kr) == (10, ("2025",), Decimal("-51022000"))
    audit = store.read_audit(root)[-1]
    assert audit["totals"] == [
        {"row": 14, "label": "Summa totalt", "printed": "-62 049", "lines": "-62051",
         "class": "avrundning"},
    ]  # fmt: skip
    assert [s["reason"] for s in audit["skipped"]] == [SKIP_LEFT_OUT, SKIP_LEFT_OUT, SKIP_TOTAL]


def invest(amount_header: str, **kw):
    raw = read(INVEST)
    mapping = kinds.suggest_mapping(raw.headers, kinds.INVESTERING)
    mapping[kinds.BELOPP] = raw.headers.index(amount_header)
    found = units.detect(raw.headers, mapping[kinds.BELOPP], raw.preamble)
    year = guess_year(raw, mapping, kinds.INVESTERING, 1999)
    settings = Settings.of(
        "simrishamn", kinds.INVESTERING, year, found.unit, mapping, stated_month=WHOLE_YEAR, **kw
    )
    return raw, mapping, settings, validate(raw, settings, SCB_ONLY)


def test_simrishamn_investments_budget_2027_sums_agree_and_store_in_tkr() -> None:
    raw, mapping, settings, v = invest("Budget 2027")
    assert raw.encoding == "UTF-8 med BOM"
    assert mapping[kinds.PROJEKT] == 3, "”Investeringar (tkr)” names the projects"
    assert (settings.unit, settings.year) == ("tkr", 2027)
    assert v.ok, v.problems.to_dicts()
    assert v.rows.height == 21
    assert [t["class"] for t in v.totals] == ["stämmer", "stämmer"]
    assert v.rows["amount_kr"].sum() == Decimal("37525000"), "Summa investeringsbudget, in kr"
    assert report.conversion_note(v).startswith("Beloppen i filen är i tkr")


def test_simrishamn_investments_plan_2028_total_is_a_contradiction_with_both_figures() -> None:
    _, _, settings, v = invest("Plan 2028")
    assert settings.year == 2028
    assert v.problems.select("row", "rule").rows() == [(22, rules.TOTAL_ROW)]
    message = v.problems["message"][0]
    assert "Summaraden anger 15\u00a0975\u00a0tkr" in message
    assert "15\u00a0925\u00a0tkr" in message and "differens 50\u00a0tkr" in message


def test_simrishamn_investments_text_in_total_utgift_is_reported_not_dropped() -> None:
    _, _, _, v = invest("Total utgift")
    bad = v.problems.filter(pl.col("rule") == rules.AMOUNT)
    assert bad["value"].to_list() == ["årligen,löpande", "årligen,löpande", "årligen, löpande"]


def test_a_file_in_mnkr_is_converted_and_the_conversion_shown() -> None:
    data = "Investeringar (mnkr);Period;Belopp\n9101 Gc-väg;202503;5,401\n".encode()
    raw = reading.read_upload(data, "mnkr.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.INVESTERING)
    found = units.detect(raw.headers, mapping[kinds.BELOPP])
    assert found.describe() == "miljoner kronor (mkr), enligt kolumnrubriken ”Investeringar (mnkr)”"
    v = validate(raw, Settings.of("x", kinds.INVESTERING, 2025, found.unit, mapping), SCB_ONLY)
    assert v.rows["amount_kr"].to_list() == [Decimal("5401000")]
    assert "rad 2: 5,401\u00a0mkr = 5\u00a0401\u00a0tkr → 5\u00a0401\u00a0000\u00a0kr" in (
        report.conversion_note(v)
    )


@pytest.mark.parametrize(
    ("headers", "preamble", "unit"),
    [
        (["Verksamhet", "Belopp"], ["Driftredovisning", "Miljoner kronor"], "mkr"),
        (["Verksamhet", "Utfall, tusen kronor"], [], "tkr"),
        (["Verksamhet", "Belopp (Mkr)"], [], "mkr"),
        (["Verksamhet", "Belopp kr"], [], "kr"),
        (["Verksamhet", "Belopp"], [], None),
    ],
)
def test_units_in_any_heading(headers, preamble, unit) -> None:
    found = units.detect(headers, 1, preamble)
    assert (found.unit if found else None) == unit


def test_title_lines_above_the_table_state_the_unit() -> None:
    data = b"Utfall per verksamhet\nMiljoner kronor\n\nVerksamhet;Period;Belopp\n10;202501;1,5\n"
    raw = reading.read_upload(data, "rubrik.csv")
    assert raw.preamble == ("Utfall per verksamhet", "Miljoner kronor")
    assert units.detect(raw.headers, 2, raw.preamble).unit == "mkr"


def test_headings_blank_rows_and_subtotals_are_skipped_and_listed() -> None:
    data = (
        "Verksamhet;Period;Belopp\n"
        "Politisk verksamhet;;\n"
        "100 Nämnd- och styrelseverksamhet;202501;-700\n"
        "\n"
        "Kultur och fritid;;\n"
        "320 Bibliotek;202501;-1 300\n"
        "340 Idrotts- och fritidsanläggningar;202501;-2 000\n"
        "Delsumma kultur;;-3 300\n"
        "Summa;;-4 000\n"
    ).encode()
    raw = reading.read_upload(data, "rubriker.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    v = validate(raw, Settings.of("x", kinds.UTFALL, 2025, "kr", mapping), SCB_ONLY)
    assert v.ok, v.problems.to_dicts()
    assert v.rows.height == 3
    assert v.skipped.select("row", "reason").rows() == [
        (2, SKIP_HEADING), (5, SKIP_HEADING), (8, SKIP_TOTAL), (9, SKIP_TOTAL),
    ]  # fmt: skip
    assert [t["class"] for t in v.totals] == ["stämmer", "stämmer"]
    assert report.skipped_table(v)["Varför"].to_list()[0] == "Rubrikrad utan belopp"
    assert "1 tom rad i tabellen hoppades över." in v.notes


def test_a_total_within_half_a_unit_per_line_is_rounding_beyond_is_a_contradiction() -> None:
    def totals(total: str) -> tuple:
        data = (
            f"Verksamhet;Period;Belopp\n100;202501;1\n320;202501;2\n340;202501;3\nSumma;;{total}\n"
        )
        raw = reading.read_upload(data.encode(), "t.csv")
        mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
        v = validate(raw, Settings.of("x", kinds.UTFALL, 2025, "tkr", mapping), SCB_ONLY)
        return v.ok, [t["class"] for t in v.totals]

    assert totals("6") == (True, ["stämmer"])
    assert totals("7") == (True, ["avrundning"])  # 1 off, 3 lines × 0,5
    assert totals("4,5") == (True, ["avrundning"])  # 1,5 off, exactly the tolerance
    assert totals("8") == (False, ["motsägelse"])


def test_header_recogniser_prefers_the_exact_konto_column() -> None:
    headers = ["Ansvar", "Kontotext", "Konto", "Verksamheter (tkr)", "Utfall 2025"]
    assert kinds.suggest_mapping(headers, kinds.UTFALL) == {
        kinds.ANSVAR: 0, kinds.KONTO: 2, kinds.VERKSAMHET: 3, kinds.BELOPP: 4,
    }  # fmt: skip


def test_orebro_export_columns_are_recognised() -> None:
    raw = read(OREBRO)
    assert kinds.suggest_mapping(raw.headers, kinds.UTFALL) == {
        kinds.ANSVAR: 0, kinds.KONTO: 1, kinds.BELOPP: 2,
    }  # fmt: skip


def test_orebro_summed_export_float_noise_is_rounded_to_ore_and_counted() -> None:
    """The real export summed per förvaltning and kontoklass with binary floats, as a
    spreadsheet's SUMIF prints it: most sums carry noise beyond the öre."""
    raw = read(OREBRO)
    sums: dict[tuple[str, str], float] = defaultdict(float)
    exact: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for unit, konto, amount in raw.cells.select("c0", "c1", "c2").iter_rows():
        key = (unit.split()[0], konto[:2])
        sums[key] += float(amount)
        exact[key] += Decimal(amount)
    # 17 significant digits, as exports print a double in full.
    printed = {key: f"{v:.17g}" for key, v in sums.items()}
    lines = [f"{u}{k};201603;{printed[(u, k)]}" for (u, k) in sorted(sums)]
    data = ("Verksamhet;Period;Belopp\n" + "\n".join(lines) + "\n").encode()
    summed = reading.read_upload(data, "orebro_summerad.csv")
    noisy = sum(1 for v in printed.values() if len(v.partition(".")[2]) > 2)
    assert noisy > len(sums) // 2, "a real sum of doubles is mostly noisy"
    known = pl.DataFrame({"line_key": [f"vh{u}{k}" for u, k in sums],
                          "line_label": [f"{u}{k} Summa" for u, k in sums]})  # fmt: skip
    cat = catalogue.catalogue_for("orebro", known)
    mapping = kinds.suggest_mapping(summed.headers, kinds.UTFALL)
    v = validate(summed, Settings.of("orebro", kinds.UTFALL, 2016, "kr", mapping), cat)
    assert v.ok, v.problems.head(3).to_dicts()
    assert v.notes[0].startswith(f"{noisy} belopp var utskrivna med flyttalsbrus")
    stored = dict(zip(v.rows["line_key"].to_list(), v.rows["amount_kr"].to_list(), strict=True))
    assert stored == {f"vh{u}{k}": exact[(u, k)] for u, k in sums}, "every sum to the öre"
    assert sum(stored.values()) == Decimal("450187283.39")


@pytest.mark.parametrize(
    ("text", "period"),
    [("2016_1", "2016-01"), ("2016-1", "2016-01"), ("jan 2016", "2016-01"),
     ("januari 2016", "2016-01"), ("2016M01", "2016-01"), ("42370", "2016-01")],
)  # fmt: skip
def test_period_forms_are_read(text: str, period: str) -> None:
    data = f"Verksamhet;Period;Belopp\n100;{text};5\n".encode()
    raw = reading.read_upload(data, "p.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    v = validate(raw, Settings.of("x", kinds.UTFALL, 2016, "kr", mapping), SCB_ONLY)
    assert v.rows["period"].to_list() == [period]


def test_a_file_over_two_years_is_split_into_its_periods(
    warehouse_dir: Path, tmp_path: Path
) -> None:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    data = b"Verksamhet;Period;Belopp\n100;2024-12;5\n100;2025-01;7\n320;2025-01;9\n"
    raw = reading.read_upload(data, "tva_ar.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    v = validate(raw, Settings.of("x", kinds.UTFALL, 2025, "kr", mapping), SCB_ONLY)
    assert v.ok and "Filen omfattar 2 år (2024, 2025)" in v.notes[0]
    done = storing.commit(raw, data, v, ANNA, root=root)
    assert done.periods == ("2024-12", "2025-01")
    _, outcome = storing.load_org("x", root)
    assert sorted(set(zip(outcome["year"], outcome["period"], strict=True))) == [
        (2024, "2024-12"), (2025, "2025-01"),
    ]  # fmt: skip


def xlsx(cells: list[tuple[int, int, object]], formulas=()) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("Utfall")
    for row, col, value in cells:
        sheet.write(row, col, value)
    for row, col, formula, value in formulas:
        sheet.write_formula(row, col, formula, None, value)
    book.close()
    return buf.getvalue()


def test_a_formula_with_a_saved_value_uses_it_and_one_without_is_refused_naming_the_cell() -> None:
    head = [
        (0, 0, "Verksamhet"), (0, 1, "Period"), (0, 2, "Belopp"),
        (1, 0, "100"), (1, 1, "202501"), (1, 2, 100), (2, 0, "320"), (2, 1, "202501"),
    ]  # fmt: skip
    saved = reading.read_upload(xlsx(head, [(2, 2, "=C2*3", 300)]), "sparad.xlsx")
    mapping = kinds.suggest_mapping(saved.headers, kinds.UTFALL)
    v = validate(saved, Settings.of("x", kinds.UTFALL, 2025, "kr", mapping), SCB_ONLY)
    assert v.rows["amount_kr"].to_list() == [Decimal("100"), Decimal("300")]

    unsaved = reading.read_upload(xlsx(head, [(2, 2, "=C2*3", "")]), "osparad.xlsx")
    assert [(p.rule, p.row, p.column) for p in unsaved.problems] == [(rules.FORMULA, 3, "C")]
    assert unsaved.problems[0].message.startswith("Cellen C3 innehåller en formel utan sparat")
    assert unsaved.cells.is_empty(), "nothing of the sheet is offered for storing"


def test_an_excel_date_cell_is_a_period() -> None:
    from datetime import date as d

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Verksamhet", "Period", "Belopp"])
    sheet.write(1, 0, "100")
    sheet.write_datetime(1, 1, d(2025, 3, 31), book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write(1, 2, 12.5)
    book.close()
    raw = reading.read_upload(buf.getvalue(), "datum.xlsx")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    v = validate(raw, Settings.of("x", kinds.UTFALL, 2025, "kr", mapping), SCB_ONLY)
    assert v.ok, v.problems.to_dicts()
    assert v.rows["period"].to_list() == ["2025-03"]


def test_file_sizes_are_swedish() -> None:
    assert report.file_size(912) == "912\u00a0byte"
    assert report.file_size(930) == "930\u00a0byte"
    assert report.file_size(1_200) == "1,2\u00a0kB"
    assert report.file_size(2_500_000) == "2,5\u00a0MB"
