"""Formula cells in an .xlsx sheet that carry no saved value.

A workbook written by a program other than Excel (or saved without recalculating) can
hold a formula whose result was never stored: ``<c r="B3"><f>SUM(B1:B2)</f></c>`` or
``<v></v>``. A reader then sees an empty cell, or 0, where the sheet shows a figure.
Such cells are found here, by reference, so the upload can refuse the file naming them
instead of storing 0 kr. Cells whose formula has a saved result are fine: the saved
value is what the reader uses.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_REL = re.compile(r"<(?:\w+:)?Relationship\b[^>]*>")
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_FORMULA = re.compile(r"<(?:\w+:)?f\b")
_VALUE = re.compile(r"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")
_REF = re.compile(r'\br="([A-Z]+\d+)"')


def _sheet_path(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    rel_id = None
    for tag in _SHEET.findall(workbook):
        attrs = dict(_ATTR.findall(tag))
        if _unescape(attrs.get("name", "")) == sheet_name:
            rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), None)
            break
    if rel_id is None or "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return None
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="replace")
    for tag in _REL.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("Id") == rel_id:
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return posixpath.normpath(path)
    return None


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def without_value(data: bytes, sheet_name: str) -> list[str]:
    """References (``B3``) of the formula cells in ``sheet_name`` with no saved value."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            path = _sheet_path(archive, sheet_name)
            if path is None or path not in archive.namelist():
                return []
            xml = archive.read(path).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return []
    if not _FORMULA.search(xml):
        return []
    missing = []
    for attrs, body in _CELL.findall(xml):
        if body and _FORMULA.search(body) and not _VALUE.search(body):
            ref = _REF.search(attrs)
            if ref:
                missing.append(ref.group(1))
    return missing
