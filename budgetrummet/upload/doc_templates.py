"""Templates for the document kinds (budget, investeringsplan, mal, struktur): a CSV and
an Excel workbook with instructions, like ``templates`` gives for the monthly uploads.

The CSV is UTF-8 with BOM and semicolons (Excel opens it with å/ä/ö intact) and holds the
headings and one example row; the workbook has the headings on ``Mall`` with code
columns formatted as text, an ``Instruktioner`` sheet and, for budget and struktur, the
verksamheter the organisation may name.
"""

from __future__ import annotations

import io

import xlsxwriter

from budgetrummet import clock
from budgetrummet.upload import documents
from budgetrummet.upload.catalogue import Catalogue

# Example years follow the calendar (see documents.py).
_Y = clock.today().year

TEXT_HEADINGS = {"Verksamhet", "Projektnummer", "Kod", "SCB-kod", "Hör till", "År"}

GENERAL_HELP = (
    "Belopp skrivs som i dokumentet: mellanslag som tusentalsavgränsare, decimalkomma, "
    "minustecken (− eller -). Ange enheten (kr, tkr eller mkr) och om kostnader står som "
    "negativa eller positiva tal när filen läses in.",
    f"En kolumnrubrik som ”Budget {_Y + 1}”, ”Plan {_Y + 2}”, ”Bokslut {_Y}”, ”Utfall {_Y}”, "
    f"”Prognos {_Y}” eller ”Återstår” säger kolumnens version och år. Andra rubriker anges "
    f"vid inläsningen (på kommandoraden: --column ”RUBRIK=plan:{_Y + 2}”).",
    "En summarad (”Summa …”, ”Totalt”) sparas som den står och stäms av mot raderna; "
    "en avvikelse visas under Datakvalitet, filen vägras inte för den.",
)


def name(kind: str, extension: str) -> str:
    return f"mall_{kind}.{extension}"


def template_csv(kind: str) -> bytes:
    spec = documents.DOC_KINDS[kind]
    lines = [";".join(spec.template), *(";".join(row) for row in spec.example)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def template_xlsx(kind: str, catalogue: Catalogue | None = None) -> bytes:
    spec = documents.DOC_KINDS[kind]
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Mall")
    for i, heading in enumerate(spec.template):
        sheet.write_string(0, i, heading, bold)
        sheet.set_column(i, i, 18, text if heading in TEXT_HEADINGS else None)
    for r, row in enumerate(spec.example, start=1):
        for i, cell in enumerate(row):
            sheet.write_string(r, i, cell)
    help_sheet = book.add_worksheet("Instruktioner")
    help_sheet.set_column(0, 0, 28)
    help_sheet.set_column(1, 1, 100)
    help_sheet.write_string(0, 0, spec.label, bold)
    help_sheet.write_string(1, 0, spec.description)
    r = 3
    for field, (label, _) in spec.fields.items():
        required = "obligatorisk" if field in spec.required else "valfri"
        help_sheet.write_string(r, 0, f"{label} ({required})", bold)
        r += 1
    for line in GENERAL_HELP if spec.wide else GENERAL_HELP[2:]:
        help_sheet.write_string(r + 1, 0, line)
        r += 1
    if catalogue is not None and kind == documents.BUDGET:
        listing = book.add_worksheet("Verksamheter")
        listing.write_string(0, 0, "Kod", bold)
        listing.write_string(0, 1, "Namn", bold)
        listing.set_column(0, 0, 10, text)
        listing.set_column(1, 1, 50)
        known = catalogue.frame().sort(["code", "name"], nulls_last=True)
        for i, row in enumerate(known.iter_rows(named=True), start=1):
            listing.write_string(i, 0, row["code"] or "")
            listing.write_string(i, 1, row["name"])
    book.close()
    return buf.getvalue()
