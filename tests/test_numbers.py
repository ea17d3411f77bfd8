from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from budgetrummet import fmt
from budgetrummet.numbers import FigureParseError, decimals_of, parse_figure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-131 346", Decimal("-131346")),
        ("115 021", Decimal("115021")),
        ("0", Decimal("0")),
        ("28,9", Decimal("28.9")),
        ("-256,8", Decimal("-256.8")),
        ("\u2212" + "5 117", Decimal("-5117")),
        ("1\u00a0907", Decimal("1907")),
        ("1\u202f907", Decimal("1907")),
        ("47,1%", Decimal("47.1")),
        ("44%", Decimal("44")),
        (" 95 300 ", Decimal("95300")),
        ("-26 62", Decimal("-2662")),
    ],
)
def test_parse_figure_as_printed(text: str, expected: Decimal) -> None:
    assert parse_figure(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "-", "1,2,3", "abc", "12 tkr", "1.234,5"])
def test_parse_figure_rejects_with_swedish_message(text: str) -> None:
    with pytest.raises(FigureParseError) as err:
        parse_figure(text)
    assert "tal" in str(err.value) or "tomt" in str(err.value)


@pytest.mark.parametrize(("text", "n"), [("-131 346", 0), ("28,9", 1), ("5,00", 2), ("47,1%", 1)])
def test_decimals_of(text: str, n: int) -> None:
    assert decimals_of(text) == n


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (115021, 0, "115\u00a0021"),
        (-5117, 0, "\u22125\u00a0117"),
        (Decimal("1.658"), 1, "1,7"),
        (Decimal("-0.04"), 1, "0,0"),
        (Decimal("0.05"), 1, "0,1"),
        (Decimal("-12.15"), 1, "\u221212,2"),
        (1234567, 0, "1\u00a0234\u00a0567"),
        (0, 0, "0"),
        (None, 0, "–"),
    ],
)
def test_number_format(value, decimals, expected) -> None:
    assert fmt.number(value, decimals) == expected


def test_units_and_signs() -> None:
    assert fmt.tkr(115021) == "115\u00a0021\u00a0tkr"
    assert fmt.percent(Decimal("1.7")) == "1,7\u00a0%"
    assert fmt.tkr(2184, signed=True) == "+2\u00a0184\u00a0tkr"
    assert fmt.mkr(Decimal("-256.8")) == "\u2212256,8\u00a0mkr"
    assert fmt.with_unit(Decimal("95300"), "kr") == "95\u00a0300\u00a0kr"
    assert fmt.with_unit(Decimal("130"), "placering") == "130"
    assert fmt.iso_date("2025-03-31T14:05:00") == "2025-03-31 14:05"


def test_stored_utc_times_are_shown_in_swedish_time() -> None:
    # Winter (CET, +1) and summer (CEST, +2); a date and a naive time are left alone.
    assert fmt.iso_date("2025-01-15T13:05:00+00:00") == "2025-01-15 14:05"
    assert fmt.iso_date(datetime(2025, 6, 30, 22, 30, tzinfo=UTC)) == "2025-07-01 00:30"
    assert fmt.iso_date(date(2025, 6, 30)) == "2025-06-30"
