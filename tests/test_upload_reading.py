"""Reading uploaded bytes: type from content, encoding and separator detected and named."""

import codecs
import csv
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from budgetrummet.upload import reading, rules

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "upload"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def xlsx(rows: list[list[object]], *, start_row: int = 0, hidden_first: bool = False) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    if hidden_first:
        book.add_worksheet("Dolt").hide()
        book.worksheets()[0].write(0, 0, "gömt")
    sheet = book.add_worksheet("Utfall")
    if hidden_first:
        sheet.activate()
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("cp1252_semikolon.csv", "Windows-1252", ";"),
        ("cp1252_utf8_minus.csv", "Windows-1252 (minustecken U+2212 i UTF-8)", ";"),
        ("utf8_bom_tabb.txt", "UTF-8 med BOM", "\t"),
        ("utf8_komma_punkt.csv", "UTF-8", ","),
        ("orebro_2016-03_utfall_per_forvaltning_konto.csv", "UTF-8", ";"),
    ],
)
def test_encoding_and_separator_are_detected_and_named(
    name: str, encoding: str, delimiter: str
) -> None:
    raw = reading.read_upload(fixture(name), name)
    assert raw.problems == ()
    assert (raw.file_format, raw.encoding, raw.delimiter) == ("csv", encoding, delimiter)
    assert encoding in raw.describe()


def test_windows_1252_keeps_swedish_letters_and_codes_as_text() -> None:
    raw = reading.read_upload(fixture("cp1252_semikolon.csv"), "x.csv")
    assert raw.headers == ("Verksamhet", "Ansvar", "Konto", "Period", "Utfall")
    first = raw.cells.row(0, named=True)
    assert first["c0"] == "10 Nämnder/Styrelser"
    assert first["c1"] == "0180", "a code keeps its leading zero"
    assert first["c2"] == "4010 Lön månadsavlönade"
    assert raw.cells["c4"][1] == "\u20131 200,00", "the en dash (0x96) arrives as U+2013"
    assert raw.cells["row"].to_list() == [2, 3, 4, 5, 6, 7]


def test_utf8_minus_inside_a_windows_1252_file_is_read_as_a_minus_sign() -> None:
    raw = reading.read_upload(fixture("cp1252_utf8_minus.csv"), "x.csv")
    assert raw.cells["c3"].to_list() == ["\u22127 500", "1 250,75", "\u2212250"]
    assert raw.cells["c0"][0] == "Räddn.tj/samh.skydd"


def test_utf16_with_bom_is_read() -> None:
    text = "Vht\tBelopp\r\n10\t−5 117\r\n"
    raw = reading.read_upload(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "x.txt")
    assert (raw.encoding, raw.delimiter) == ("UTF-16 med BOM", "\t")
    assert raw.cells["c1"].to_list() == ["−5 117"]


def test_undecodable_bytes_are_an_encoding_problem_with_the_line() -> None:
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    raw = reading.read_upload(b"Vht;Belopp\n10;1\n11;\x81\x81\n", "x.csv")
    (problem,) = raw.problems
    assert problem.rule == rules.ENCODING
    assert problem.row == 3
    assert "UTF-8" in problem.message and "Windows-1252" in problem.message


@pytest.mark.parametrize(
    ("data", "rule", "words"),
    [
        (b"", rules.EMPTY, "tom"),
        (b"\r\n \r\n", rules.EMPTY, "tom"),
        (codecs.BOM_UTF8, rules.EMPTY, "tom"),
        (b"Vht;Belopp\r\n", rules.EMPTY, "inga rader"),
        (b"%PDF-1.7\n...", rules.FILE_TYPE, "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, rules.FILE_TYPE, ".xls"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, rules.FILE_TYPE, "bild"),
        (b"abc\x00\x01\x02" * 50, rules.FILE_TYPE, "binära"),
        (bytes(range(1, 32)) * 40, rules.FILE_TYPE, "binära"),
    ],
)
def test_content_not_a_table_is_refused_with_a_reason(data: bytes, rule: str, words: str) -> None:
    raw = reading.read_upload(data, "rapport.csv")
    (problem,) = raw.problems
    assert problem.rule == rule
    assert words in problem.message
    assert raw.cells.height == 0


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "hej")
    raw = reading.read_upload(buf.getvalue(), "utfall.xlsx")
    assert [p.rule for p in raw.problems] == [rules.FILE_TYPE]
    assert "inte en Excel-arbetsbok" in raw.problems[0].message


def test_a_damaged_workbook_is_refused_not_raised() -> None:
    good = xlsx([["Vht", "Belopp"], ["10", 5]])
    raw = reading.read_upload(good[:300], "utfall.xlsx")
    assert [p.rule for p in raw.problems] == [rules.FILE_TYPE]


def test_the_size_cap_is_enforced_on_the_server() -> None:
    data = b"Vht;Belopp\n" + b"10;1\n" * (rules.MAX_BYTES // 5 + 1)
    raw = reading.read_upload(data, "stor.csv")
    (problem,) = raw.problems
    assert problem.rule == rules.SIZE
    assert "största tillåtna storlek är 10,0\u00a0MB" in problem.message


def test_the_row_cap_is_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    raw = reading.read_upload(b"Vht;Belopp\n" + b"10;1\n" * 6, "x.csv")
    assert [p.rule for p in raw.problems] == [rules.SIZE]
    assert "högst 5" in raw.problems[0].message
    assert reading.read_upload(b"Vht;Belopp\n" + b"10;1\n" * 5, "x.csv").problems == ()


def test_title_rows_above_the_headings_are_skipped_and_said() -> None:
    text = (
        "Utfallsrapport Askersund\r\nUttag 2025-02-03\r\n\r\nVht;Period;Belopp\r\n10;202501;5\r\n"
    )
    raw = reading.read_upload(text.encode(), "x.csv")
    assert raw.header_row == 4
    assert raw.headers == ("Vht", "Period", "Belopp")
    assert raw.cells["row"].to_list() == [5]
    assert any("Rad 1–3" in note for note in raw.notes)


def test_blank_and_duplicate_headings_get_names() -> None:
    raw = reading.read_upload(b"Vht;;Belopp;Belopp\n10;x;1;2\n", "x.csv")
    assert raw.headers == ("Vht", "Kolumn B", "Belopp", "Belopp (2)")


def test_fields_beyond_the_headings_are_kept_for_the_report() -> None:
    raw = reading.read_upload(b"Vht,Belopp\n10,1234,50\n11,7\n12,8,\n", "x.csv")
    assert raw.delimiter == ","
    assert raw.cells["extra"].to_list() == ["50", None, None]


def test_quoted_fields_with_separators_and_newlines() -> None:
    text = 'Verksamhet;Konto;Belopp\n"10 Nämnder; styrelser";"4010\nLön";"1 234,50"\n11;4010;2\n'
    raw = reading.read_upload(text.encode(), "x.csv")
    assert raw.cells["c0"].to_list() == ["10 Nämnder; styrelser", "11"]
    assert raw.cells["c1"][0] == "4010\nLön"
    assert raw.cells["row"].to_list() == [2, 3], "rows count records, as a spreadsheet does"


def test_xlsx_cells_arrive_as_text_on_their_sheet_rows() -> None:
    data = xlsx(
        [["Rapport"], [], ["Vht", "Konto", "Period", "Belopp"], ["10", "0180", 202501, -1234.5]],
        start_row=0,
    )
    raw = reading.read_upload(data, "utfall.xlsx")
    assert raw.problems == ()
    assert raw.file_format == "xlsx" and raw.sheet == "Utfall"
    assert raw.describe() == "Excel (.xlsx), bladet ”Utfall”"
    assert raw.header_row == 3
    assert raw.cells.select("row", "c0", "c1", "c2", "c3").row(0) == (
        4,
        "10",
        "0180",
        "202501",
        "-1234.5",
    )


def test_xlsx_uses_the_first_visible_sheet_and_says_so() -> None:
    raw = reading.read_upload(xlsx([["Vht", "Belopp"], ["10", 1]], hidden_first=True), "u.xlsx")
    assert raw.sheet == "Utfall"
    assert any("2 blad" in note for note in raw.notes)


def test_column_letters() -> None:
    assert [reading.column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a,b,c\n1,2,3\n", ","),
        ("a\tb\n1,5\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("Vht;Belopp\n10;1234,50\n11;7,25\n", ";"),
        ("ensam\nkolumn\n", ";"),
    ],
)
def test_delimiter_detection(text: str, expected: str) -> None:
    assert reading.detect_delimiter(text) == expected


# --- A CSV without quote characters is split in Polars; it must equal the csv module. ---

# Decoded bytes never hold a lone surrogate (category Cs), so the text has none either.
TEXT_CHARS = st.characters(blacklist_characters='"', blacklist_categories=("Cs",))
QUOTELESS = st.lists(
    st.sampled_from(
        ["Vht", "Belopp", "Period", "10", "0180", "1 234,50", "Summa", "Åäö", " ", "\t", ";",
         ",", "|", "\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028",
         "\u3000", "\x00", "'", "a"]
    )
    | st.text(alphabet=TEXT_CHARS, max_size=4),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None, database=None)
@given(QUOTELESS, st.sampled_from(reading.DELIMITERS))
def test_quoteless_text_is_read_exactly_as_the_csv_module_reads_it(
    text: str, delimiter: str
) -> None:
    meta = reading.RawTable(
        file_name="f.csv", sha256="0", size=1, file_format=reading.CSV, delimiter=delimiter
    )
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    expected = reading._table_from_records(meta, records)
    got = reading._table_from_lines(meta, text)
    assert (got.headers, got.header_row, got.problems, got.notes) == (
        expected.headers,
        expected.header_row,
        expected.problems,
        expected.notes,
    )
    assert_frame_equal(got.cells, expected.cells)


def test_a_file_with_quotes_takes_the_csv_module() -> None:
    text = 'Vht;Belopp\n"10;11";5\n10;6\n'
    raw = reading.read_upload(text.encode(), "f.csv")
    assert raw.cells["c0"].to_list() == ["10;11", "10"]


def test_the_space_class_is_what_str_strip_removes() -> None:
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    hits = pl.Series(chars).str.contains(f"^[{reading.SPACE_CLASS}]$").to_list()
    assert [hex(ord(c)) for c, hit in zip(chars, hits, strict=True) if c.isspace() != hit] == []


def test_blank_rows_and_ragged_rows_in_a_large_quoteless_file() -> None:
    lines = ["Vht;Konto;Belopp"] + [
        "" if i % 10 == 3 else f"{i};4010;{i}" + (";x; ;y" if i % 10 == 7 else "")
        for i in range(1000)
    ]
    raw = reading.read_upload("\r\n".join(lines).encode("cp1252"), "f.csv")
    assert raw.cells.height == 900
    assert raw.cells["row"][:4].to_list() == [2, 3, 4, 6]
    extra = raw.cells.filter(pl.col("extra").is_not_null())
    assert extra.height == 100 and set(extra["extra"]) == {"x; y"}
