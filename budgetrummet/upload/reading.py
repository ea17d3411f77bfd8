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
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace

import polars as pl

from budgetrummet.upload import formulas, kinds
from budgetrummet.upload.rules import (
    EMPTY,
    ENCODING,
    FILE_TYPE,
    FORMULA,
    MAX_BYTES,
    MAX_ROWS,
    MAX_XLSX_INFLATED,
    SIZE,
    Problem,
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
    """Read an uploaded file; never raises for bad input (problems are returned)."""
    digest = hashlib.sha256(data).hexdigest()
    base = RawTable(file_name=file_name, sha256=digest, size=len(data))
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
    delimiter = detect_delimiter(text)
    if text.count("\n") > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
        return _fail(
            base,
            SIZE,
            f"Filen har fler än {MAX_ROWS:,} rader; dela upp den, t.ex. per tertial.".replace(
                ",", "\u00a0"
            ),
        )
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
        return _fail(
            base,
            FILE_TYPE,
            f"Rad {len(records) + 1} går inte att läsa som CSV ({exc}). Kontrollera "
            "citattecknen i filen.",
        )
    return _table_from_records(meta, records)


def _read_xlsx(base: RawTable, data: bytes) -> RawTable:
    xbase = RawTable(file_name=base.file_name, sha256=base.sha256, size=base.size)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            inflated = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return _fail(xbase, FILE_TYPE, "Filen ser ut som en zip-fil men går inte att öppna.")
    if "xl/workbook.xml" not in names:
        return _fail(
            xbase,
            FILE_TYPE,
            "Filen är en zip-fil men inte en Excel-arbetsbok (.xlsx). Ladda upp en CSV-fil "
            "eller en .xlsx-fil.",
        )
    if inflated > MAX_XLSX_INFLATED or len(infos) > 10_000:
        return _fail(xbase, SIZE, "Excel-filen är för stor när den packas upp.")
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
        return _fail(
            xbase,
            SIZE,
            f"Bladet har fler än {MAX_ROWS:,} rader; dela upp filen, t.ex. per tertial.".replace(
                ",", "\u00a0"
            ),
        )
    unsaved = formulas.without_value(data, sheet_name)
    if unsaved:
        return _unsaved_formulas(xbase, unsaved)
    records = [["" if v is None else str(v) for v in row] for row in frame.rows()]
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
    # Column-wise in one transposition (a list per column cell by cell took ~0.2 s per
    # 100 000 rows).
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
            f"Filen har {fields.height:,} rader; högst {MAX_ROWS:,} tas emot. Dela upp den, "
            "t.ex. per tertial.".replace(",", "\u00a0"),
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
