"""Amounts, periods, dates and code/name cells as exports print them."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from budgetrummet.upload import kinds, parsing


def amounts(texts: list[str | None], mark: str, unit: str = "kr") -> list[tuple]:
    out = parsing.parse_amounts(pl.Series(texts, dtype=pl.String), mark, unit)
    return [(r["kr"], r["error"]) for r in out.iter_rows(named=True)]


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1 234,50", ",", Decimal("1234.50")),
        ("1\u00a0234\u00a0567", ",", Decimal("1234567")),
        ("1\u202f234,5", ",", Decimal("1234.50")),
        ("\u22125 117", ",", Decimal("-5117")),
        ("\u20131 200,00", ",", Decimal("-1200")),
        ("-0,5", ",", Decimal("-0.50")),
        ("+12", ",", Decimal("12")),
        ("1.234.567,89", ",", Decimal("1234567.89")),
        (" 42 ", ",", Decimal("42")),
        ("1234.50", ".", Decimal("1234.50")),
        ("1,234,567.00", ".", Decimal("1234567")),
        ("-99.95", ".", Decimal("-99.95")),
        ("-1234.5", "xlsx", Decimal("-1234.50")),
        ("1 234,5", "xlsx", Decimal("1234.50")),
        ("100000000000000000", "xlsx", None),
    ],
)
def test_amounts_in_kronor(text: str, mark: str, expected: Decimal | None) -> None:
    ((value, error),) = amounts([text], mark)
    if expected is None:
        assert value is None and "för stort" in error
    else:
        assert (value, error) == (expected, None)


@pytest.mark.parametrize(
    ("text", "mark", "message"),
    [
        ("", ",", "Belopp saknas."),
        (None, ",", "Belopp saknas."),
        ("12a", ",", "”12a” är inte ett tal."),
        ("1.5", ",", "”1.5” är inte ett tal. Filen har decimalkomma"),
        ("1,2", ".", "”1,2” är inte ett tal. Filen har decimalpunkt"),
        ("1 234,567", ",", "har fler än 2 decimaler"),
        ("(500)", ",", "inte ett tal"),
        ("5 kr", ",", "inte ett tal"),
        ("1e5", "xlsx", "inte ett tal"),
    ],
)
def test_bad_amounts_get_a_swedish_message(text: str | None, mark: str, message: str) -> None:
    ((value, error),) = amounts([text], mark)
    assert value is None
    assert error.startswith(message) or message in error


def test_tkr_is_converted_exactly_to_kronor() -> None:
    got = amounts(["1 234,5", "\u22120,001", "12,34567", "0,000001"], ",", "tkr")
    assert got[0] == (Decimal("1234500"), None)
    assert got[1] == (Decimal("-1"), None)
    assert got[2] == (Decimal("12345.67"), None)
    assert got[3][0] is None and "fler än 5 decimaler" in got[3][1]


@pytest.mark.parametrize(
    ("values", "file_format", "expected"),
    [
        (["1 234,50", "7"], "csv", ","),
        (["1234.50", "7"], "csv", "."),
        (["1.234,50"], "csv", ","),
        (["1,234.50"], "csv", "."),
        (["1,5", "2,5", "3.5"], "csv", ","),
        (["7", "8"], "csv", ","),
        (["1234.5"], "xlsx", "xlsx"),
    ],
)
def test_decimal_mark_is_decided_once_per_file(
    values: list[str], file_format: str, expected: str
) -> None:
    assert parsing.detect_decimal_mark(pl.Series(values), file_format) == expected


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [
        ("202501", 2025, 1),
        ("2025-03", 2025, 3),
        ("2025-3", 2025, 3),
        ("20250131", 2025, 1),
        ("2024-02-29", 2024, 2),
        ("2025-12-31 00:00:00", 2025, 12),
        (" 202511 ", 2025, 11),
        ("2016_1", 2016, 1),
        ("2016-1", 2016, 1),
        ("jan 2025", 2025, 1),
        ("januari 2025", 2025, 1),
        ("Mars 2025", 2025, 3),
        ("okt. 2024", 2024, 10),
        ("2025 sep", 2025, 9),
        ("2025M01", 2025, 1),
        ("2025m12", 2025, 12),
        ("45658", 2025, 1),  # Excel's day number for 2025-01-01
        ("45688.0", 2025, 1),  # 2025-01-31
    ],
)
def test_periods(text: str, year: int, month: int) -> None:
    out = parsing.parse_periods(pl.Series([text]))
    assert out.row(0) == (year, month, None, "month")


@pytest.mark.parametrize(
    ("text", "year", "month", "span"),
    [
        ("2025", 2025, None, "year"),
        ("helår 2025", 2025, None, "year"),
        ("2025 helår", 2025, None, "year"),
        ("t.o.m. april 2025", 2025, 4, "ytd"),
        ("tom apr 2025", 2025, 4, "ytd"),
        ("ack. mars 2024", 2024, 3, "ytd"),
        ("jan–apr 2025", 2025, 4, "ytd"),
        ("januari-juni 2025", 2025, 6, "ytd"),
    ],
)
def test_whole_year_and_year_to_date(text: str, year: int, month: int | None, span: str) -> None:
    assert parsing.parse_periods(pl.Series([text])).row(0) == (year, month, None, span)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("202513", "ingen giltig period"),
        ("20230229", "ingen giltig period"),
        ("2025-02-30", "ingen giltig period"),
        ("jan 2025x", "ingen giltig period"),
        ("foo 2025", "ingen giltig period"),
        ("2025M13", "ingen giltig period"),
        ("25-01", "ingen giltig period"),
        ("feb–apr 2025", "ingen giltig period"),
        ("t.o.m. foo 2025", "ingen giltig period"),
        ("", "Period saknas."),
    ],
)
def test_bad_periods(text: str, message: str) -> None:
    year, month, error, _ = parsing.parse_periods(pl.Series([text])).row(0)
    assert (year, month) == (None, None)
    assert message in error


def test_year_and_month_columns() -> None:
    out = parsing.parse_year_month(
        pl.Series(["2025", "2025", "2025", "2025", "x", "2025", "2025"]),
        pl.Series(["jan", "Februari", "3", "04", "5", "13", "202406"]),
        2030,
    )
    assert out["year"].to_list() == [2025, 2025, 2025, 2025, None, None, 2024]
    assert out["month"].to_list() == [1, 2, 3, 4, None, None, 6]
    errors = out["error"].to_list()
    assert errors[4] == "Året ”x” är inte ett år (ÅÅÅÅ)."
    assert "”13” är ingen giltig månad" in errors[5]


def test_month_column_without_a_year_column_uses_the_upload_year() -> None:
    out = parsing.parse_year_month(None, pl.Series(["mar", "dec."]), 2025)
    assert out.select("year", "month").rows() == [(2025, 3), (2025, 12)]


def test_forecast_dates() -> None:
    out = parsing.parse_dates(pl.Series(["2024-08-31", "20240430", "202402", "2024-13-01", ""]))
    assert out["date"].to_list() == [date(2024, 8, 31), date(2024, 4, 30), date(2024, 2, 29)] + [
        None,
        None,
    ]
    assert "inget giltigt datum" in out["error"][3]
    assert out["error"][4] == "Datum saknas."


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("46362 Köp medicinskt färdigbeh", "46362", "Köp medicinskt färdigbeh"),
        ("0180", "0180", None),
        ("10 Nämnder/Styrelser", "10", "Nämnder/Styrelser"),
        ("BFÖ Förskolenämnd", "BFÖ", "Förskolenämnd"),
        ("4010 - Lön", "4010", "Lön"),
        ("Ekonomi", None, "Ekonomi"),
        ("HR", None, "HR"),
        ("KS-reserv", None, "KS-reserv"),
        ("Ledning och internservice SB 2022", None, "Ledning och internservice SB 2022"),
        ("  ", None, None),
        (None, None, None),
    ],
)
def test_code_and_name_in_one_cell(text: str | None, code: str | None, name: str | None) -> None:
    assert parsing.split_code(text) == (code, name)


@pytest.mark.parametrize(
    ("text", "is_total"),
    [
        ("Summa", True),
        ("SUMMA verksamhet 10", True),
        ("Totalt", True),
        ("Total", True),
        ("S:a", True),
        ("Summering", True),
        ("Samhällsplanering", False),
        ("Sumpmark", False),
        ("10 Nämnder", False),
        ("", False),
    ],
)
def test_total_labels(text: str, is_total: bool) -> None:
    assert parsing.is_total_label(text) is is_total


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Verksamhet", kinds.VERKSAMHET),
        ("VHT", kinds.VERKSAMHET),
        ("Verksamhetskod ", kinds.VERKSAMHET),
        ("Produktionsområde", kinds.VERKSAMHET),
        ("Månad", kinds.MANAD),
        ("MANAD", kinds.MANAD),
        ("År", kinds.AR),
        ("Konto", kinds.KONTO),
        ("KONTO_NR", kinds.KONTO),
        ("Ansvar", kinds.ANSVAR),
        ("RN1/FÖRVALTNING", kinds.ANSVAR),
        ("Period", kinds.PERIOD),
        ("Utfall", kinds.BELOPP),
        ("UTFALL_SUMMA_KR", kinds.BELOPP),
        ("Belopp (tkr)", kinds.BELOPP),
        ("Projekt", kinds.PROJEKT),
        ("ANTAL_RADER", None),
        ("LEVERANTÖR", None),
    ],
)
def test_headers_are_recognised_regardless_of_case_and_diacritics(
    header: str, field: str | None
) -> None:
    assert kinds.recognise(header, kinds.KINDS[kinds.UTFALL].fields) == field


def test_prognos_recognises_forecast_columns() -> None:
    mapping = kinds.suggest_mapping(["Vht", "Datum", "Helårsprognos"], kinds.PROGNOS)
    assert mapping == {kinds.VERKSAMHET: 0, kinds.PROGNOSDATUM: 1, kinds.BELOPP: 2}


def test_a_remembered_mapping_wins_and_each_column_serves_one_field() -> None:
    headers = ["Kst", "Org", "Mån", "Summa", "Summa"]
    remembered = {"org": kinds.VERKSAMHET, "kst": kinds.ANSVAR}
    mapping = kinds.suggest_mapping(headers, kinds.UTFALL, remembered)
    assert mapping == {
        kinds.VERKSAMHET: 1,
        kinds.ANSVAR: 0,
        kinds.MANAD: 2,
        kinds.BELOPP: 3,
    }
    assert kinds.recall(kinds.remember(headers, mapping)) == {
        "org": kinds.VERKSAMHET,
        "kst": kinds.ANSVAR,
        "man": kinds.MANAD,
        "summa": kinds.BELOPP,
    }


@pytest.mark.parametrize("text", ["", "x", "[]", '{"a": 1}', '{"a": "inget_falt"}', "null"])
def test_a_malformed_remembered_mapping_is_ignored(text: str) -> None:
    assert kinds.recall(text) == {}


# --- Parsed once per distinct value: the same result as parsing every row. ---

REPEATED = ["202501", "202501", None, "", "2025-13", "202502", "202501", " 2025-02 ", "x", None]


@pytest.mark.parametrize(
    ("parse", "row_wise"),
    [
        (parsing.parse_periods, parsing._parse_periods),
        (parsing.parse_dates, parsing._parse_dates),
    ],
)
def test_parsing_once_per_distinct_value_equals_parsing_every_row(parse, row_wise) -> None:
    texts = pl.Series(REPEATED, dtype=pl.String)
    assert_frame_equal(parse(texts), row_wise(pl.DataFrame({"raw": texts})))


def test_year_and_month_once_per_distinct_pair_equals_every_row() -> None:
    years = pl.Series(["2025", "2025", "2024", None, "20x5", "2025"], dtype=pl.String)
    months = pl.Series(["1", "mars", "1", "1", "1", "1"], dtype=pl.String)
    expected = parsing._parse_year_month(
        pl.DataFrame({"y_raw": years, "m_raw": months}), True, 2025
    )
    assert_frame_equal(parsing.parse_year_month(years, months, 2025), expected)
    assert parsing.parse_year_month(years, months, 2025)["month"].to_list() == [
        1,
        3,
        1,
        None,
        None,
        1,
    ]


def test_codes_split_once_per_distinct_value_equal_every_row() -> None:
    texts = ["4010 Lön", None, "4010 Lön", "HR", "", "0180", "HR"]
    by_series = parsing.split_codes(pl.Series(texts, dtype=pl.String))
    assert by_series.rows() == [parsing.split_code(t) for t in texts]
