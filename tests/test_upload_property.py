"""Property-based: whatever bytes arrive, reading and checking never raise unhandled."""

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetrummet.upload import catalogue, kinds, parsing, reading, rules
from budgetrummet.upload.validation import Settings, validate

CATALOGUE = catalogue.catalogue_for(
    "askersund",
    pl.DataFrame({"line_key": ["vh10", "po:hr"], "line_label": ["10 Nämnder", "HR"]}),
)
# No example database: the suite leaves nothing behind in the working tree.
PROFILE = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
PARSERS = settings(PROFILE, max_examples=150)

# Text that looks like an export: headers, separators, Swedish numbers, odd characters.
CELL = st.one_of(
    st.sampled_from(
        ["Vht", "Belopp", "Period", "Konto", "Summa", "10", "0180", "202501", "2025-13",
         "1 234,50", "−5\u202f117", "\u20131,5", "1.234,5", "12a", "", " ", '"', '""', "Åäö",
         "1e5", "78512.850000000006", "99999999999999999999999", "HR", "Totalt"]
    ),
    st.text(max_size=12),
)  # fmt: skip
ROW = st.lists(CELL, min_size=0, max_size=6)
SEP = st.sampled_from([";", ",", "\t", "|", ""])
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])


def check_everything(data: bytes) -> None:
    raw = reading.read_upload(data, "fil.csv")
    assert all(p.rule in rules.RULES for p in raw.problems)
    for kind in kinds.KINDS:
        mapping = kinds.suggest_mapping(raw.headers, kind)
        for unit in ("kr", "tkr"):
            result = validate(raw, Settings.of("askersund", kind, 2025, unit, mapping), CATALOGUE)
            assert set(result.problems["rule"].to_list()) <= set(rules.RULES)
            assert result.ok == (result.problems.is_empty() and result.rows.height > 0)
            if not result.problems.is_empty():
                assert result.rows.is_empty(), "nothing to store while anything is wrong"


@PROFILE
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_everything(data)


@PROFILE
@given(st.lists(ROW, max_size=12), SEP, NEWLINE, ENCODING)
def test_arbitrary_export_like_text_never_raises(
    rows: list[list[str]], sep: str, newline: str, encoding: str
) -> None:
    text = newline.join(sep.join(r) for r in rows)
    check_everything(text.encode(encoding, errors="replace"))


@PROFILE
@given(st.binary(max_size=400), st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"]))
def test_arbitrary_bytes_behind_a_magic_number_never_raise(tail: bytes, head: bytes) -> None:
    check_everything(head + tail)


@PARSERS
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=20))
def test_cell_parsers_never_raise(values: list[str | None]) -> None:
    series = pl.Series(values, dtype=pl.String)
    for mark in (parsing.COMMA, parsing.POINT, parsing.MIXED):
        for unit in ("kr", "tkr"):
            out = parsing.parse_amounts(series, mark, unit)
            assert out.height == len(values)
            assert (out["kr"].is_null() == out["error"].is_not_null()).all()
    for out in (
        parsing.parse_periods(series),
        parsing.parse_dates(series),
        parsing.parse_year_month(series, series, 2025),
    ):
        assert out.height == len(values)
    parsing.split_codes(values)
    for v in values:
        parsing.is_total_label(v)
        CATALOGUE.resolve(v)
