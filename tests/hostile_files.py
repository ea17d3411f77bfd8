"""Crafted hostile uploads, built in the test (nothing of the kind is kept in the tree).

Each is under the 10 MB byte cap and would exhaust memory or time in a reader that
trusted it: an .xlsx whose zip headers understate what a member inflates to, a deflate
bomb, a sheet with one cell far away (the Excel reader lays out a dense grid from A1 to
it), a CSV line of a million fields, one huge cell, too many columns, too many zip parts.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache

MiB = 1024 * 1024

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    b'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b"schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    b'" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
    b'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships"><sheets><sheet name="Utfall" sheetId="1" '
    b'r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b"schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    b'" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
    b'org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Vht</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Belopp</t></is></c></row>'
)


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def _repeated_deflate(head: bytes, block: bytes, times: int, tail: bytes) -> bytes:
    """A raw deflate stream of ``head + block * times + tail`` built without compressing
    it all: a full flush makes the block's compressed form independent of what came
    before, so it can be repeated byte for byte."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    one = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    return start + one * times + end


def zip_archive(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip file from (name, deflated bytes, crc, declared inflated size) members, the
    declared size written as given into both the local and the central header."""
    body = b""
    central = b""
    for name, packed, crc, declared in members:
        encoded = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed), declared, len(encoded), 0
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(packed),
                declared,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                len(body),
            )
            + encoded
        )
        body += header + encoded + packed
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(body), 0
    )
    return body + central + end


def _member(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    return (name, _deflate(data), zlib.crc32(data), len(data))


def workbook(sheet: tuple[str, bytes, int, int]) -> bytes:
    """An .xlsx archive (the parts the Excel reader needs) around a worksheet member."""
    return zip_archive(
        [
            _member("[Content_Types].xml", CONTENT_TYPES),
            _member("_rels/.rels", RELS),
            _member("xl/workbook.xml", WORKBOOK),
            _member("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            sheet,
        ]
    )


def sheet_xml(rows: bytes) -> bytes:
    return SHEET_HEAD + HEADER_ROW + rows + SHEET_TAIL


@cache
def forged_sizes_xlsx() -> bytes:
    """A deflate bomb whose headers declare a small, harmless size: 1 GiB of rows of two
    cells each (no cell references), declared as 2 000 bytes."""
    block = b'<row><c t="inlineStr"><is><t>10</t></is></c><c><v>1</v></c></row>' * 16_384
    times = (1024 * MiB) // len(block)
    packed = _repeated_deflate(SHEET_HEAD + HEADER_ROW, block, times, SHEET_TAIL)
    return workbook(("xl/worksheets/sheet1.xml", packed, 0, 2_000))


@cache
def deflate_bomb_xlsx() -> bytes:
    """A deflate bomb with honest headers: 1 GiB of XML comments inside the sheet data."""
    block = b"<!---->" * 150_000
    times = (1024 * MiB) // len(block)
    packed = _repeated_deflate(SHEET_HEAD + HEADER_ROW, block, times, SHEET_TAIL)
    crc = zlib.crc32(SHEET_HEAD + HEADER_ROW)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    declared = len(SHEET_HEAD + HEADER_ROW) + times * len(block) + len(SHEET_TAIL)
    return workbook(("xl/worksheets/sheet1.xml", packed, crc, declared))


@cache
def huge_cell_xlsx() -> bytes:
    """One inline cell of 190 million characters (the reader alone peaked at 630 MiB)."""
    head = SHEET_HEAD + HEADER_ROW + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row>" + SHEET_TAIL
    times = 190
    packed = _repeated_deflate(head, b"x" * MiB, times, tail)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(b"x" * MiB, crc)
    crc = zlib.crc32(tail, crc)
    declared = len(head) + times * MiB + len(tail)
    return workbook(("xl/worksheets/sheet1.xml", packed, crc, declared))


def long_cell_xlsx(length: int = 50_000) -> bytes:
    """One inline cell of ``length`` characters (shorter than what the scan sees)."""
    text = b"x" * length
    rows = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    return workbook(_member("xl/worksheets/sheet1.xml", sheet_xml(rows)))


def far_cell_xlsx() -> bytes:
    """Two cells, A1 and XFD1048576: the Excel reader would lay out 17 billion cells."""
    rows = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(_member("xl/worksheets/sheet1.xml", sheet_xml(rows)))


def wide_xlsx(columns: int = 600) -> bytes:
    """One row of ``columns`` cells without references (placed next to each other)."""
    rows = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    return workbook(_member("xl/worksheets/sheet1.xml", SHEET_HEAD + rows + SHEET_TAIL))


def many_members_xlsx(count: int = 5_000) -> bytes:
    extra = [_member(f"xl/media/bild{i}.xml", b"<a/>") for i in range(count)]
    sheet = _member("xl/worksheets/sheet1.xml", sheet_xml(b""))
    base = [
        _member("[Content_Types].xml", CONTENT_TYPES),
        _member("_rels/.rels", RELS),
        _member("xl/workbook.xml", WORKBOOK),
        _member("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet,
    ]
    return zip_archive(base + extra)


def million_fields_csv() -> bytes:
    """A heading, then one line of a million fields."""
    return b"Vht;Belopp\n" + b"1;" * 999_999 + b"1\n"


def million_quoted_fields_csv() -> bytes:
    """A million fields in 10 000 records of 100, a line break inside quotes in every
    record (the csv module's path), so the lines are short but the records are not."""
    return b"Vht;Belopp\n" + (b"1;" * 99 + b'"1\n";') * 10_000 + b"1\n"


def huge_cell_csv() -> bytes:
    """One cell of 9,4 million characters (the size quoted whole by a message once)."""
    return b"Vht;Belopp\n10;" + b"9" * 9_400_000 + b"\n"


def huge_quoted_cell_csv() -> bytes:
    """One quoted cell of 2 million characters, a line break every 5 000 (so no line is
    long, and the csv module's own field limit is what it meets first)."""
    return b'Vht;Belopp\n10;"' + (b"x" * 4_999 + b"\n") * 400 + b'"\n'


def long_quoted_cell_csv() -> bytes:
    """One quoted cell of 50 000 characters, a line break every 5 000."""
    return b'Vht;Belopp\n10;"' + (b"x" * 4_999 + b"\n") * 10 + b'"\n'


def wide_csv(columns: int = 600) -> bytes:
    heading = ";".join(f"K{i}" for i in range(columns)).encode()
    return heading + b"\n" + b";".join(b"1" for _ in range(columns)) + b"\n"


CRAFTED = {
    "forged_sizes.xlsx": forged_sizes_xlsx,
    "deflate_bomb.xlsx": deflate_bomb_xlsx,
    "far_cell.xlsx": far_cell_xlsx,
    "huge_cell.xlsx": huge_cell_xlsx,
    "long_cell.xlsx": long_cell_xlsx,
    "wide.xlsx": wide_xlsx,
    "many_members.xlsx": many_members_xlsx,
    "million_fields.csv": million_fields_csv,
    "million_quoted_fields.csv": million_quoted_fields_csv,
    "huge_cell.csv": huge_cell_csv,
    "huge_quoted_cell.csv": huge_quoted_cell_csv,
    "long_quoted_cell.csv": long_quoted_cell_csv,
    "wide.csv": wide_csv,
}
