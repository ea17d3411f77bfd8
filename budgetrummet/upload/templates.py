"""Downloadable templates, one per kind: a CSV and an Excel workbook with instructions.

The CSV is UTF-8 with BOM and semicolons, which Excel opens with å/ä/ö intact. The
workbook formats the code columns as text, so ``0180`` keeps its zero when typed, and
lists the verksamheter the organisation may upload for.
"""

from __future__ import annotations

import io

import xlsxwriter

from budgetrummet.upload import kinds
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.parsing import PERIOD_FORMATS

TEXT_FIELDS = {kinds.VERKSAMHET, kinds.ANSVAR, kinds.KONTO, kinds.PROJEKT, kinds.PERIOD}

FIELD_HELP = {
    kinds.VERKSAMHET: "Verksamhetens kod, kod och namn i samma cell (”10 Nämnder/Styrelser”) "
    "eller namn.",
    kinds.ANSVAR: "Ansvarskod (valfri). Koder behålls som text, t.ex. 0180.",
    kinds.KONTO: "Konto (valfritt), kod eller kod och namn (”46362 Köp medicinskt färdigbeh”).",
    kinds.PROJEKT: "Projektkod och/eller projektnamn.",
    kinds.PERIOD: f"Månad som {PERIOD_FORMATS}; eller kolumner för år och månad.",
    kinds.PROGNOSDATUM: "Prognosens datum, ÅÅÅÅ-MM-DD (t.ex. 2024-08-31).",
    kinds.BELOPP: "Belopp i kr eller tkr (anges vid uppladdningen). Decimalkomma, mellanslag "
    "som tusentalsavgränsare och minustecken (− eller -) går bra.",
}


def template_name(kind: str, extension: str) -> str:
    return f"mall_{kind}.{extension}"


def template_csv(kind: str) -> bytes:
    """The kind's column headings as a semicolon CSV in UTF-8 with BOM."""
    headers = [kinds.TEMPLATE_HEADERS[f] for f in kinds.KINDS[kind].template_fields]
    return ("\ufeff" + ";".join(headers) + "\r\n").encode("utf-8")


def template_xlsx(kind: str, catalogue: Catalogue) -> bytes:
    """A workbook: sheet ``Mall`` with the headings, ``Instruktioner`` and ``Verksamheter``."""
    spec = kinds.KINDS[kind]
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Mall")
    for i, field in enumerate(spec.template_fields):
        sheet.write_string(0, i, kinds.TEMPLATE_HEADERS[field], bold)
        sheet.set_column(i, i, 18, text if field in TEXT_FIELDS else None)
    help_sheet = book.add_worksheet("Instruktioner")
    help_sheet.set_column(0, 0, 22)
    help_sheet.set_column(1, 1, 90)
    help_sheet.write_string(0, 0, spec.label, bold)
    help_sheet.write_string(1, 0, spec.description)
    for r, field in enumerate(spec.template_fields, start=3):
        required = "obligatorisk" if field in spec.required else "valfri"
        help_sheet.write_string(r, 0, f"{kinds.TEMPLATE_HEADERS[field]} ({required})", bold)
        help_sheet.write_string(r, 1, FIELD_HELP.get(field, ""))
    list_sheet = book.add_worksheet("Verksamheter")
    list_sheet.write_string(0, 0, "Kod", bold)
    list_sheet.write_string(0, 1, "Namn", bold)
    list_sheet.set_column(0, 0, 10, text)
    list_sheet.set_column(1, 1, 50)
    known = catalogue.frame().sort(["code", "name"], nulls_last=True)
    for r, row in enumerate(known.iter_rows(named=True), start=1):
        list_sheet.write_string(r, 0, row["code"] or "")
        list_sheet.write_string(r, 1, row["name"])
    book.close()
    return buf.getvalue()
