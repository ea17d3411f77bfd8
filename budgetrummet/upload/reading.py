"""From uploaded bytes to a table of text cells, saying what was detected.

The file type is decided from the content, never from the name: an ``.xlsx`` file is a
zip archive holding ``xl/workbook.xml``; anything else must decode as text. Text is
tried as UTF-8 with a BOM, UTF-16 with a BOM, plain UTF-8 and Windows-1252, in that
order, and the report names the one that worked. The field separator (``;``, tab,
``,`` or ``|``) is the one that splits the first lines into the same number of fields.

Every cell stays text: codes such as ``0180`` keep their leading zero, and amounts are
parsed later with the file's decimal mark (``budgetrummet.upload.parsing``). Nothing in
this module raises on bad input: whatever is wrong becomes a ``Problem``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import re
import struct
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import polars as pl

from budgetrummet import fmt
from budgetrummet.upload import formulas, kinds
from budgetrummet.upload.rules import (
    EMPTY,
    ENCODING,
    FILE_TYPE,
    FORMULA,
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_INFLATED,
    MAX_ZIP_MEMBERS,
    SIZE,
    Problem,
    quote,
)

DELIMITERS = (";", "\t", ",", "|")
DELIMITER_NAMES = {";": "semikolon", "\t": "tabb", ",": "komma", "|": "lodstreck"}
CSV = "csv"
XLSX = "xlsx"
# Header search: the column headings may follow a few title lines.
HEADER_SEARCH_ROWS = 30
# The UTF-8 bytes of U+2212 (minus sign). Windows-1252 cannot encode it, but a file
# written in Windows-1252 sometimes carries it pasted in as UTF-8 bytes.
_UTF8_MINUS = "\u2212".encode()


@dataclass(frozen=True)
class RawTable:
    """An uploaded file read into text cells, with what was detected about it.

    ``cells`` has one String column per file column (``c0``, ``c1`` …), ``row`` (the
    1-based row in the file, as a spreadsheet numbers it) and ``extra`` (text found
    beyond the last heading, else null). ``problems`` are file-level: when there is
    one, ``cells`` is empty and nothing else needs checking.
    """

    file_name: str
    sha256: str
    size: int
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    header_row: int = 0
    headers: tuple[str, ...] = ()
    cells: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"row": pl.Int64}))
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    # The non-blank lines above the headings (titles such as ``Belopp i tkr``).
    preamble: tuple[str, ...] = ()

    @property
    def data_rows(self) -> int:
        return self.cells.height

    @property
    def extension(self) -> str:
        return XLSX if self.file_format == XLSX else CSV

    def describe(self) -> str:
        """What was detected, in Swedish: ``CSV, UTF-8 med BOM, semikolon``."""
        if self.file_format == XLSX:
            return f"Excel (.xlsx), bladet ”{self.sheet}”"
        if self.file_format == CSV:
            sep = DELIMITER_NAMES.get(self.delimiter, self.delimiter)
            return f"CSV, teckenkodning {self.encoding}, fältavgränsare {sep}"
        return "okänd"


def column_letter(index: int) -> str:
    """0 -> ``A``, 26 -> ``AA`` (as a spreadsheet names its columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def read_upload(data: bytes, file_name: str) -> RawTable:
    """Read an uploaded file; never raises for bad input (problems are returned).

    The one way in for every caller (the upload page, a command line): the size cap and
    the guards against hostile files (``xlsx_refusal``, ``text_refusal``,
    ``records_refusal``) run here, and a reader that gives up – a Polars or Excel-reader
    panic, which is a ``BaseException``, or memory running out – becomes the same kind of
    Swedish refusal as any bad file.
    """
    digest = hashlib.sha256(data).hexdigest()
    base = RawTable(file_name=file_name, sha256=digest, size=len(data))
    try:
        return _read_upload(base, data)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except (MemoryError, pl.exceptions.PolarsError, csv.Error, zlib.error) as exc:
        _LOG.warning("upload %s could not be read: %r", digest[:12], exc)
    except BaseException as exc:
        if isinstance(exc, Exception):
            raise  # a bug here is a bug, not a bad file
        # pyo3's PanicException (Polars, the Excel reader) derives from BaseException.
        _LOG.warning("upload %s made a reader panic: %r", digest[:12], exc)
    return _fail(base, FILE_TYPE, UNREADABLE)


UNREADABLE = (
    "Filen går inte att läsa. Spara den som CSV UTF-8 eller som .xlsx i Excel och försök igen."
)
_LOG = logging.getLogger(__name__)


def _read_upload(base: RawTable, data: bytes) -> RawTable:
    if len(data) > MAX_BYTES:
        return _fail(
            base,
            SIZE,
            f"Filen är {_mb(len(data))}\u00a0MB; största tillåtna storlek är "
            f"{_mb(MAX_BYTES)}\u00a0MB. "
            "Dela upp den, t.ex. per tertial.",
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        return _fail(base, EMPTY, "Filen är tom.")
    kind = _sniff(data)
    if kind is not None:
        return _fail(base, FILE_TYPE, kind)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(base, data)
    decoded = decode(data)
    if isinstance(decoded, Problem):
        return replace(base, problems=(decoded,))
    text, encoding = decoded
    return _read_text(base, text, encoding)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",")


def _fail(base: RawTable, rule: str, message: str) -> RawTable:
    return RawTable(
        file_name=base.file_name,
        sha256=base.sha256,
        size=base.size,
        file_format=base.file_format,
        encoding=base.encoding,
        problems=(Problem(rule=rule, message=message),),
    )


_MAGIC = (
    (
        b"\xd0\xcf\x11\xe0",
        "Filen är i det gamla Excel-formatet (.xls). Spara den som .xlsx "
        "eller CSV och ladda upp igen.",
    ),
    (b"%PDF", "Filen är en PDF. Ladda upp en CSV-fil eller en Excel-fil (.xlsx)."),
    (b"\x89PNG", "Filen är en bild. Ladda upp en CSV-fil eller en Excel-fil (.xlsx)."),
    (b"\xff\xd8\xff", "Filen är en bild. Ladda upp en CSV-fil eller en Excel-fil (.xlsx)."),
    (b"\x1f\x8b", "Filen är komprimerad (gzip). Packa upp den först."),
    (b"{\\rtf", "Filen är ett RTF-dokument. Ladda upp en CSV-fil eller en Excel-fil (.xlsx)."),
)


def _sniff(data: bytes) -> str | None:
    """A Swedish refusal for content that is recognisably not a table, else None."""
    for magic, message in _MAGIC:
        if data.startswith(magic):
            return message
    return None


def decode(data: bytes) -> tuple[str, str] | Problem:
    """The text and the Swedish name of the encoding that decoded it, or a Problem."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _check_text(data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 med BOM")
        except UnicodeDecodeError as exc:
            return _encoding_problem(data, exc, "UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _check_text(data.decode("utf-16"), "UTF-16 med BOM")
        except UnicodeDecodeError as exc:
            return _encoding_problem(data, exc, "UTF-16")
    if b"\x00" in data[:8192]:
        return Problem(
            rule=FILE_TYPE,
            message="Filen innehåller binära data och är varken en textfil (CSV) eller "
            "en Excel-fil (.xlsx).",
        )
    try:
        return _check_text(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        if _UTF8_MINUS in data:
            parts = [p.decode("cp1252") for p in data.split(_UTF8_MINUS)]
            return _check_text("\u2212".join(parts), "Windows-1252 (minustecken U+2212 i UTF-8)")
        return _check_text(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError as exc:
        return _encoding_problem(data, exc, "UTF-8 eller Windows-1252")


def _check_text(text: str, label: str) -> tuple[str, str] | Problem:
    """Refuse decoded text that is mostly control characters (a binary file)."""
    sample = text[:20000]
    control = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\r\n\f\v")
    if sample and control > max(2, len(sample) // 100):
        return Problem(
            rule=FILE_TYPE,
            message="Filen innehåller binära data och är varken en textfil (CSV) eller "
            "en Excel-fil (.xlsx).",
        )
    return text, label


def _encoding_problem(data: bytes, exc: UnicodeDecodeError, tried: str) -> Problem:
    line = data[: exc.start].count(b"\n") + 1
    bad = data[exc.start : exc.start + 4].hex(" ")
    return Problem(
        rule=ENCODING,
        message=(
            f"Filen går inte att läsa som {tried}: byte {exc.start + 1} (rad {line}, "
            f"bytes {bad}) är ogiltig. Spara filen som CSV UTF-8 och försök igen."
        ),
        row=line,
    )


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` non-blank lines (as ``str.splitlines`` finds them), without
    splitting the whole file: a growing head is split, its possibly cut last line dropped."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if size < len(text):
            lines = lines[:-1]
        filled = [ln for ln in lines if ln.strip()]
        if len(filled) >= count or size >= len(text):
            return filled[:count]
        size *= 4


def detect_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most consistent field count."""
    lines = _first_lines(text, 50)
    sample = "\n".join(lines)
    best: tuple[float, int, int] | None = None
    chosen = DELIMITERS[0]
    for preference, delim in enumerate(DELIMITERS):
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (freq / len(counts), mode, -preference)
        if best is None or score > best:
            best, chosen = score, delim
    return chosen


def _read_text(base: RawTable, text: str, encoding: str) -> RawTable:
    if text.count("\n") > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
        return _fail(base, SIZE, f"Filen har fler än {_n(MAX_ROWS)} rader. {_TOO_BIG}")
    delimiter = detect_delimiter(text)
    refusal = text_refusal(text, delimiter)
    if refusal:
        return _fail(base, SIZE, refusal)
    meta = RawTable(
        file_name=base.file_name,
        sha256=base.sha256,
        size=base.size,
        file_format=CSV,
        encoding=encoding,
        delimiter=delimiter,
    )
    if QUOTE not in text:
        return _table_from_lines(meta, text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    try:
        records.extend(reader)  # what was read before an error stays, for its row number
    except csv.Error as exc:
        if "field limit" in str(exc):  # a quoted field longer than the csv module takes
            return _fail(base, SIZE, _long_cell(len(records) + 1))
        return _fail(
            base,
            FILE_TYPE,
            f"Rad {len(records) + 1} går inte att läsa som CSV ({quote(exc)}). Kontrollera "
            "citattecknen i filen.",
        )
    refusal = records_refusal(records)
    if refusal:
        return _fail(base, SIZE, refusal)
    return _table_from_records(meta, records)


def _read_xlsx(base: RawTable, data: bytes) -> RawTable:
    xbase = RawTable(file_name=base.file_name, sha256=base.sha256, size=base.size)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return _fail(xbase, FILE_TYPE, "Filen ser ut som en zip-fil men går inte att öppna.")
    if "xl/workbook.xml" not in names:
        return _fail(
            xbase,
            FILE_TYPE,
            "Filen är en zip-fil men inte en Excel-arbetsbok (.xlsx). Ladda upp en CSV-fil "
            "eller en .xlsx-fil.",
        )
    problem = xlsx_refusal(data)
    if problem:
        return _fail(xbase, problem.rule, problem.message)
    try:
        import fastexcel

        reader = fastexcel.read_excel(data)
        sheet_names = list(reader.sheet_names)
        chosen = None
        for index in range(len(sheet_names)):
            sheet = reader.load_sheet(
                index, header_row=None, dtypes="string", skip_rows=0, n_rows=MAX_ROWS + 200
            )
            if sheet.visible == "visible":
                chosen = sheet
                break
        if chosen is None:
            return _fail(xbase, EMPTY, "Excel-filen har inget synligt blad.")
        total_height = chosen.total_height
        frame = chosen.to_polars()
        sheet_name = chosen.name
    except BaseException as exc:  # noqa: BLE001 - the Excel reader can panic on bad input
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return _fail(
            xbase, FILE_TYPE, "Excel-filen går inte att läsa. Spara om den i Excel och försök igen."
        )
    if total_height > MAX_ROWS + HEADER_SEARCH_ROWS:
        return _fail(xbase, SIZE, f"Bladet har fler än {_n(MAX_ROWS)} rader. {_TOO_BIG}")
    refusal = frame_refusal(frame)
    if refusal:
        return _fail(xbase, SIZE, refusal)
    unsaved = formulas.without_value(data, sheet_name)
    if unsaved:
        return _unsaved_formulas(xbase, unsaved)
    records = [["" if v is None else str(v) for v in row] for row in frame.rows()]
    refusal = records_refusal(records)
    if refusal:
        return _fail(xbase, SIZE, refusal)
    notes: tuple[str, ...] = ()
    visible = len(sheet_names)
    if visible > 1:
        notes = (f"Arbetsboken har {visible} blad; bladet ”{sheet_name}” lästes.",)
    return _table_from_records(
        RawTable(
            file_name=base.file_name,
            sha256=base.sha256,
            size=base.size,
            file_format=XLSX,
            sheet=sheet_name,
            notes=notes,
        ),
        records,
    )


def _unsaved_formulas(base: RawTable, cells: list[str]) -> RawTable:
    """Refuse a sheet with formulas that have no saved value, naming each cell."""
    problems = tuple(
        Problem(
            rule=FORMULA,
            message=f"Cellen {ref} innehåller en formel utan sparat värde. Öppna filen i "
            "Excel, låt den räkna om och spara den, och ladda upp den igen.",
            row=int(re.sub(r"[A-Z]", "", ref)),
            column=re.sub(r"\d", "", ref),
        )
        for ref in cells[:50]
    )
    return replace(base, file_format=XLSX, problems=problems)


def _is_blank(record: list[str]) -> bool:
    return not "".join(record).strip()


def find_header(records: list[list[str]]) -> int | None:
    """Index of the heading row: the first early row naming a known column, else the
    first non-empty row (None when every row is empty)."""
    first = None
    for i, record in enumerate(records[: HEADER_SEARCH_ROWS * 4]):
        if _is_blank(record):
            continue
        if first is None:
            first = i
        filled = [c for c in record if c.strip()]
        if len(filled) >= 2 and any(kinds.normalise(c) in kinds.KNOWN_HEADERS for c in filled):
            return i
        if i - (first or 0) >= HEADER_SEARCH_ROWS:
            break
    return first


# What ``str.strip`` removes, as a regex class: Unicode White_Space (``\s`` in Polars'
# regex engine) plus the four information separators U+001C–U+001F, which Python also
# counts as space. tests/test_upload_reading.py checks this over every code point.
SPACE_CLASS = r"\s\x1c-\x1f"
_BLANK_CELL = f"^[{SPACE_CLASS}]*$"
QUOTE = '"'


def _table_from_lines(base: RawTable, text: str) -> RawTable:
    """A CSV text without a quote character, split column-wise in Polars.

    Without quotes a record is exactly one line (ended by CR LF, LF or CR, as the csv
    module reads them) and a field exactly the text between two separators, so this
    gives the same cells as ``csv.reader`` does (tests compare the two), at a tenth of
    the time for a large export.
    """
    delimiter = base.delimiter
    whole = pl.Series("line", [text], dtype=pl.String)
    if "\r" not in text:
        lines = whole.str.split("\n").explode()
    elif text.count("\r\n") == text.count("\r") == text.count("\n"):  # Windows line ends only
        lines = whole.str.split("\r\n").explode()
    else:
        lines = (
            whole.str.replace_all("\r\n", "\n", literal=True)
            .str.replace_all("\r", "\n", literal=True)
            .str.split("\n")
            .explode()
        )
    if text.endswith(("\n", "\r")):
        lines = lines.head(-1)  # the last line break ends a record, it does not start one
    head = [line.split(delimiter) for line in lines.head(HEADER_SEARCH_ROWS * 4).to_list()]
    header_index = find_header(head)
    if header_index is None:
        return _fail(base, EMPTY, "Filen innehåller inga rader med innehåll.")
    blank_line = f"^[{SPACE_CLASS}{re.escape(delimiter)}]*$"
    body = (
        pl.DataFrame({"line": lines.slice(header_index + 1)})
        .with_row_index("row", offset=header_index + 2)
        .filter(~pl.col("line").str.contains(blank_line))
        .select(pl.col("row").cast(pl.Int64), pl.col("line").str.split(delimiter).alias("fields"))
    )
    longest = int(body["fields"].list.len().max() or 0)
    fields = body.select(
        "row",
        *[
            pl.col("fields").list.get(i, null_on_oob=True).fill_null("").alias(f"f{i}")
            for i in range(longest)
        ],
    )
    return _table_from_fields(base, head, header_index, fields, longest)


def _table_from_records(base: RawTable, records: list[list[str]]) -> RawTable:
    header_index = find_header(records)
    if header_index is None:
        return _fail(base, EMPTY, "Filen innehåller inga rader med innehåll.")
    body = [
        (i + 1, r)
        for i, r in enumerate(records[header_index + 1 :], start=header_index + 1)
        if "".join(r).strip()
    ]
    longest = max((len(r) for _, r in body), default=0)
    rows = [r if len(r) == longest else r + [""] * (longest - len(r)) for _, r in body]
    # Column-wise in one transposition (a list per column, cell by cell, was slow on
    # large files).
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(longest)]
    fields = pl.DataFrame(
        {"row": [n for n, _ in body]}
        | {f"f{i}": pl.Series(values, dtype=pl.String) for i, values in enumerate(columns)},
        schema={"row": pl.Int64} | {f"f{i}": pl.String for i in range(longest)},
    )
    return _table_from_fields(base, records, header_index, fields, longest)


def _table_from_fields(
    base: RawTable,
    records: list[list[str]],
    header_index: int,
    fields: pl.DataFrame,
    longest: int,
) -> RawTable:
    """The table from the non-blank rows after the headings, as fields ``f0`` … (rows
    shorter than ``longest`` padded with empty text)."""
    raw_headers = records[header_index]
    while raw_headers and not raw_headers[-1].strip():
        raw_headers = raw_headers[:-1]
    headers = _unique_headers(raw_headers)
    width = len(headers)
    if fields.height > MAX_ROWS:
        return _fail(
            base,
            SIZE,
            f"Filen har {_n(fields.height)} rader; högst {_n(MAX_ROWS)} tas emot. {_TOO_BIG}",
        )
    if longest > width:
        extra = (
            pl.concat_list([f"f{i}" for i in range(width, longest)])
            .list.eval(pl.element().filter(~pl.element().str.contains(_BLANK_CELL)))
            .list.join("; ")
        )
        extra = pl.when(extra != "").then(extra)
    else:
        extra = pl.lit(None, dtype=pl.String)
    cells = fields.select(
        pl.col("row"),
        *[
            (pl.col(f"f{c}") if c < longest else pl.lit("", dtype=pl.String)).alias(f"c{c}")
            for c in range(width)
        ],
        extra.alias("extra"),
    )
    notes = base.notes
    if header_index > 0:
        notes = (
            *notes,
            f"Rad 1–{header_index} före kolumnrubrikerna (rad {header_index + 1}) lästes inte.",
        )
    table = RawTable(
        file_name=base.file_name,
        sha256=base.sha256,
        size=base.size,
        file_format=base.file_format,
        encoding=base.encoding,
        delimiter=base.delimiter,
        sheet=base.sheet,
        header_row=header_index + 1,
        headers=headers,
        cells=cells,
        notes=notes,
        preamble=tuple(
            " ".join(" ".join(r).split()) for r in records[:header_index] if not _is_blank(r)
        ),
    )
    if cells.height == 0:
        problem = Problem(rule=EMPTY, message="Filen har kolumnrubriker men inga rader med värden.")
        return replace(table, problems=(problem,))
    return table


def _unique_headers(raw: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    seen: Counter[str] = Counter()
    for i, header in enumerate(raw):
        name = " ".join(header.split()) or f"Kolumn {column_letter(i)}"
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return tuple(out)


# ------------------------------------------------------------------ hostile files
#
# Guards run at the entry points above before a parser sees the content: a file under
# the byte cap can still be a decompression bomb (an .xlsx is a zip archive whose headers
# may lie about sizes), a sheet whose one far-away cell makes the Excel reader allocate a
# grid of billions of cells, or a CSV line of a million fields. Each is refused with a
# Swedish message, in time and memory that depend on the file's size, not its claims.
# The limits and their reasons are in ``budgetrummet.upload.rules``.

_INFLATE_CHUNK = 1 << 20
# Bytes of XML one cell's text may take (a character is up to 4 bytes in UTF-8, and
# ``&amp;`` and the like take 5–6 for one).
_CELL_XML_BYTES = MAX_CELL_CHARS * 8
# An unfinished tag is carried to the next chunk; text longer than this holds no tag.
_TAG_CARRY = 64 * 1024
# In worksheet XML: cells and rows (any namespace prefix; a drawing's ``<xdr:row>`` is an
# anchor and only adds to the count), and shared strings.
_XML_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
_XML_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
_XML_SI = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")
# Other elements whose name starts like a cell's or a row's (``<cfRule``, ``<rowBreaks``).
_XML_NOT_CELL = re.compile(rb"<c[\w.:-]")
_XML_NOT_ROW = re.compile(rb"<row[\w.:-]")
# Any ``r="B12"`` (a cell reference) in a sheet's cell data, wherever it stands: a
# superset of the cells' own, so no quoting trick hides one from the bounds. (Each
# pattern starts with a literal, so the regex engine skips ahead fast.)
_XML_REF_LETTERS = re.compile(rb"""r\s*=\s*["']([A-Za-z]+)[0-9]""")
_XML_REF_ROW = re.compile(rb"""r\s*=\s*["'][A-Za-z]+([0-9]+)""")
# Any ``r="12"`` (a row's number), likewise.
_XML_ROW_NUMBER = re.compile(rb"""r\s*=\s*["']([0-9]+)["']""")
_TOO_BIG = "Dela upp filen, t.ex. per tertial."
_TOO_LONG = "Så långa värden tas inte emot."


def _n(value: int) -> str:
    return fmt.number(value)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper()[:4]:
        number = number * 26 + letter - ord("A") + 1
    return number


def _largest_number(digits: list[bytes]) -> int:
    longest = max(map(len, digits))
    return max(int(d[:10]) for d in set(digits) if len(d) == longest)


class _XmlScan:
    """How large a grid the Excel reader would lay out from one archive member, read as
    it inflates, and how many shared strings it holds.

    The reader builds one dense grid from the first to the last cell of a sheet, so two
    cells, in A1 and XFD1048576, would take 17 billion cells of memory. A cell with a
    reference (``r="B12"``, as Excel and every common writer give each cell) is where it
    says; one without goes next to the cell before it, in the row of its ``<row>``
    element (numbered by its own ``r``, else the one after the row before). Where both
    kinds are mixed the bounds are added up, so they never come out too small.
    """

    def __init__(self) -> None:
        self.in_sheet = False  # past the start of the cell data (``sheetData``)
        self.ref_col = 0  # furthest column and row named by a cell reference
        self.ref_row = 0
        self.unreferenced = False  # a cell without a reference seen
        self.rows = 0  # row elements, how many have no number, the largest number
        self.rows_unnumbered = 0
        self.row_number = 0
        self.cells_in_row = 0  # cells in the current / the widest row (counted where
        self.widest_row = 0  # some cell has no reference)
        self.strings = 0
        self.in_strings = False  # in the shared strings (``sst``)
        self.text_run = 0  # bytes since the last "<" (a cell's text, in cell data)
        self.long_text = False
        self._tail = b""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        last_tag = chunk.rfind(b"<")
        self.text_run = self.text_run + len(chunk) if last_tag < 0 else len(chunk) - last_tag - 1
        if self.text_run > _CELL_XML_BYTES and (self.in_sheet or self.in_strings):
            self.long_text = True  # one text node longer than a cell may be
        data = self._tail + chunk
        # Keep an unfinished tag for the next chunk (it is cut at most at its "<").
        cut = len(data) if final else max(data.rfind(b"<"), 0)
        if len(data) - cut > _TAG_CARRY:
            cut = len(data)
        body, self._tail = data[:cut], data[cut:]
        if not body:
            return
        if b"si" in body:
            self.strings += len(_XML_SI.findall(body))
            self.in_strings = self.in_strings or b"sst" in body
        if not self.in_sheet:
            # Only a sheet's cell data is laid out as cells.
            start = body.find(b"sheetData")
            if start < 0:
                return
            self.in_sheet = True
            body = body[start:]
        letters = set(_XML_REF_LETTERS.findall(body))
        if letters:
            self.ref_col = max(self.ref_col, max(map(_column_number, letters)))
            self.ref_row = max(self.ref_row, _largest_number(_XML_REF_ROW.findall(body)))
        rows = body.count(b"<row") - len(_XML_NOT_ROW.findall(body))
        self.rows += rows
        self.rows_unnumbered += rows - body.count(b'<row r="')
        cells = body.count(b"<c") - len(_XML_NOT_CELL.findall(body))
        if cells == body.count(b'<c r="') and b":c" not in body and b":row" not in body:
            self.cells_in_row = 0  # every cell here names its place
            return
        self.unreferenced = True
        numbers = _XML_ROW_NUMBER.findall(body)
        if numbers:
            self.row_number = max(self.row_number, _largest_number(numbers))
        pieces = _XML_ROW.split(body)
        self.rows += len(pieces) - 1 - rows  # prefixed row elements (``<x:row>``)
        self.rows_unnumbered += len(pieces) - 1 - rows
        self.cells_in_row += len(_XML_CELL.findall(pieces[0]))
        for piece in pieces[1:]:
            self.widest_row = max(self.widest_row, self.cells_in_row)
            self.cells_in_row = len(_XML_CELL.findall(piece))
        self.widest_row = max(self.widest_row, self.cells_in_row)

    def bounds(self) -> tuple[int, int]:
        """(rows, columns) the reader's grid may take, never less than it will."""
        if not self.unreferenced:
            return self.ref_row, self.ref_col
        if not self.rows_unnumbered:
            row_bound = max(self.row_number, self.rows)
        elif not self.row_number:
            row_bound = self.rows
        else:
            row_bound = self.row_number + self.rows_unnumbered
        return max(self.ref_row, row_bound), self.ref_col + self.widest_row

    def refusal(self) -> str | None:
        rows, columns = self.bounds()
        if columns > MAX_COLUMNS:
            return (
                f"Ett blad i Excel-filen har celler i {_n(columns)} kolumner; högst "
                f"{_n(MAX_COLUMNS)} tas emot. Ta bort tomma eller överflödiga kolumner och "
                "spara om filen."
            )
        if rows > MAX_ROWS + HEADER_SEARCH_ROWS:
            return f"Bladet har fler än {_n(MAX_ROWS)} rader. {_TOO_BIG}"
        if rows * columns > MAX_CELLS or self.strings > MAX_CELLS:
            return (
                f"Ett blad i Excel-filen har fler än {_n(MAX_CELLS)} celler "
                f"({_n(rows)} rader × {_n(columns)} kolumner). {_TOO_BIG}"
            )
        if self.long_text:
            return f"En cell i Excel-filen har mer än {_n(MAX_CELL_CHARS)} tecken. {_TOO_LONG}"
        return None


def xlsx_refusal(data: bytes) -> Problem | None:
    """Why an .xlsx archive is refused before the Excel reader opens it, or None. Every
    member is inflated here with a running count of the bytes it really gives (the sizes
    in the archive's headers are only compared, never trusted), and its XML is scanned
    for how large a grid of cells the reader would build."""
    damaged = Problem(FILE_TYPE, "Excel-filen är skadad. Spara om den i Excel och försök igen.")
    unsupported = Problem(
        FILE_TYPE,
        "Excel-filen är sparad på ett sätt som inte stöds. Spara om den i Excel och försök igen.",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return Problem(FILE_TYPE, "Filen ser ut som en zip-fil men går inte att öppna.")
    if len(infos) > MAX_ZIP_MEMBERS:
        return Problem(
            SIZE,
            f"Excel-filen består av {_n(len(infos))} delar; högst {_n(MAX_ZIP_MEMBERS)} "
            "tas emot. Spara om den i Excel och försök igen.",
        )
    total = 0
    view = memoryview(data)
    for info in infos:
        start = _member_start(data, info.header_offset)
        if start is None or start + info.compress_size > len(data):
            return damaged
        packed = view[start : start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            chunks: Iterator[bytes] = (
                bytes(packed[i : i + _INFLATE_CHUNK]) for i in range(0, len(packed), _INFLATE_CHUNK)
            )
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            chunks = _inflate(packed)
        else:
            return unsupported
        size = 0
        scan: _XmlScan | None = None
        try:
            for chunk in chunks:
                if not chunk:
                    continue
                if not size:
                    head = chunk[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
                    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                        return unsupported  # UTF-16 XML: Excel never writes it
                    # Only XML is read as cells (a picture is not scanned for tags).
                    scan = _XmlScan() if head.startswith(b"<") else None
                size += len(chunk)
                if total + size > MAX_XLSX_INFLATED:
                    return Problem(
                        SIZE,
                        "Excel-filen blir större än "
                        f"{_n(MAX_XLSX_INFLATED // (1024 * 1024))}\u00a0MB när den packas upp. "
                        f"{_TOO_BIG}",
                    )
                if scan is not None:
                    scan.feed(chunk)
                    refusal = scan.refusal()
                    if refusal:
                        return Problem(SIZE, refusal)
        except zlib.error:
            return damaged
        if scan is not None:
            scan.feed(b"", final=True)
            refusal = scan.refusal()
            if refusal:
                return Problem(SIZE, refusal)
        if size != info.file_size:
            return damaged  # the archive says one size and holds another
        total += size
    return None


def _member_start(data: bytes, header_offset: int) -> int | None:
    """Where a member's packed bytes start, after its local header (None if damaged)."""
    header = data[header_offset : header_offset + 30]
    if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return header_offset + 30 + name_length + extra_length


def _inflate(packed: memoryview) -> Iterator[bytes]:
    """The bytes a raw deflate stream really gives, a bounded chunk at a time."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending: bytes | memoryview = packed
    while not inflater.eof:
        chunk = inflater.decompress(pending, _INFLATE_CHUNK)
        pending = inflater.unconsumed_tail
        if not chunk and not pending:
            break  # the stream ends early: the size check after it says so
        yield chunk


def _lines(text: str) -> list[str]:
    """Records as the CSV readers split them when no field is quoted (CR LF, LF, CR)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def text_refusal(text: str, delimiter: str) -> str | None:
    """A Swedish reason to refuse decoded CSV text before it is split into cells, or
    None: too many fields in a line or in all, or a field too long. Counted on the text
    with ``str.count``, so a line of a million fields is refused in milliseconds."""
    lines = _lines(text)
    fields = text.count(delimiter) + len(lines)
    if fields > MAX_CELLS:
        return f"Filen har fler än {_n(MAX_CELLS)} fält. {_TOO_BIG}"
    widest = max(lines, key=lambda line: line.count(delimiter), default="")
    width = widest.count(delimiter) + 1
    if width > MAX_COLUMNS:
        row = lines.index(widest) + 1
        return (
            f"Rad {_n(row)} har {_n(width)} fält; högst {_n(MAX_COLUMNS)} kolumner tas emot. "
            "Kontrollera fältavgränsaren och ta bort överflödiga kolumner."
        )
    for row, line in enumerate(lines, start=1):
        if len(line) > MAX_CELL_CHARS and max(map(len, line.split(delimiter))) > MAX_CELL_CHARS:
            return _long_cell(row)
    return None


def records_refusal(records: list[list[str]]) -> str | None:
    """The same limits on records already split into fields (quoted CSV, Excel)."""
    for row, record in enumerate(records, start=1):
        if len(record) > MAX_COLUMNS:
            return (
                f"Rad {_n(row)} har {_n(len(record))} fält; högst {_n(MAX_COLUMNS)} kolumner "
                "tas emot. Kontrollera fältavgränsaren och ta bort överflödiga kolumner."
            )
        if record and max(map(len, record)) > MAX_CELL_CHARS:
            return _long_cell(row)
    if sum(map(len, records)) > MAX_CELLS:
        return f"Filen har fler än {_n(MAX_CELLS)} fält. {_TOO_BIG}"
    return None


def frame_refusal(frame: pl.DataFrame) -> str | None:
    """``records_refusal`` on a sheet as the Excel reader gave it (before it becomes
    Python text): too many columns or cells, or a cell too long."""
    if frame.width > MAX_COLUMNS:
        return (
            f"Bladet har {_n(frame.width)} kolumner; högst {_n(MAX_COLUMNS)} tas emot. Ta bort "
            "tomma eller överflödiga kolumner och spara om filen."
        )
    if frame.width * frame.height > MAX_CELLS:
        return f"Bladet har fler än {_n(MAX_CELLS)} celler. {_TOO_BIG}"
    if not frame.width or not frame.height:
        return None
    lengths = frame.select(
        pl.max_horizontal(pl.all().cast(pl.String).str.len_chars().fill_null(0)).alias("n")
    )["n"]
    if int(lengths.max() or 0) > MAX_CELL_CHARS:
        return f"En cell i Excel-filen har mer än {_n(MAX_CELL_CHARS)} tecken. {_TOO_LONG}"
    return None


def _long_cell(row: int) -> str:
    return (
        f"Rad {_n(row)} har en cell med mer än {_n(MAX_CELL_CHARS)} tecken; så långa värden "
        "tas inte emot. Kontrollera fältavgränsaren och citattecknen i filen."
    )
