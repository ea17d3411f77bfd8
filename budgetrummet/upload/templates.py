"""Downloadable templates for every kind of file the app reads: a CSV and an Excel
workbook with instructions, one writer for the monthly uploads (utfall, prognos,
investering) and the documents (budget, investeringsplan, mål, struktur).

Each kind is first described as a ``Template`` (headings, help, example rows, notes);
``template_csv`` and ``template_xlsx`` write any template the same way. The CSV is
UTF-8 with BOM and semicolons, which Excel opens with å/ä/ö intact. The workbook formats
the code columns as text, so ``0180`` keeps its zero when typed, has an
``Instruktioner`` sheet and, where the file names verksamheter, lists the ones the
organisation may name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import xlsxwriter

from budgetrummet import clock
from budgetrummet.upload import documents, kinds
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.parsing import PERIOD_FORMATS

# Example years follow the calendar (see documents.py).
_Y = clock.today().year

TEXT_FIELDS = {kinds.VERKSAMHET, kinds.ANSVAR, kinds.KONTO, kinds.PROJEKT, kinds.PERIOD}
TEXT_HEADINGS = {"Verksamhet", "Projektnummer", "Kod", "SCB-kod", "Hör till", "År"}

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

DOCUMENT_NOTES = (
    "Belopp skrivs som i dokumentet: mellanslag som tusentalsavgränsare, decimalkomma, "
    "minustecken (− eller -). Ange enheten (kr, tkr eller mkr) och om kostnader står som "
    "negativa eller positiva tal när filen läses in.",
    f"En kolumnrubrik som ”Budget {_Y + 1}”, ”Plan {_Y + 2}”, ”Bokslut {_Y}”, ”Utfall {_Y}”, "
    f"”Prognos {_Y}” eller ”Återstår” säger kolumnens version och år. Andra rubriker anges "
    f"vid inläsningen (på kommandoraden: --column ”RUBRIK=plan:{_Y + 2}”).",
    "En summarad (”Summa …”, ”Totalt”) sparas som den står och stäms av mot raderna; "
    "en avvikelse visas under Datakvalitet, filen vägras inte för den.",
)


@dataclass(frozen=True)
class Column:
    heading: str
    required: bool
    text: bool  # formatted as text in Excel (codes keep their leading zeros)
    help: str = ""


@dataclass(frozen=True)
class Template:
    kind: str
    label: str
    description: str
    columns: tuple[Column, ...]
    examples: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    lists_verksamheter: bool

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(c.heading for c in self.columns)


def template_for(kind: str) -> Template:
    """The template of an upload kind (``kinds.KINDS``) or a document kind
    (``documents.DOC_KINDS``); the two sets of kind names do not overlap."""
    if kind in kinds.KINDS:
        spec = kinds.KINDS[kind]
        return Template(
            kind=kind,
            label=spec.label,
            description=spec.description,
            columns=tuple(
                Column(
                    kinds.TEMPLATE_HEADERS[f],
                    f in spec.required,
                    f in TEXT_FIELDS,
                    FIELD_HELP.get(f, ""),
                )
                for f in spec.template_fields
            ),
            # No example row: an unfilled template must store nothing.
            examples=(),
            notes=(),
            lists_verksamheter=True,
        )
    doc = documents.DOC_KINDS[kind]
    required = {doc.fields[f][0] for f in doc.required}
    return Template(
        kind=kind,
        label=doc.label,
        description=doc.description,
        columns=tuple(Column(h, h in required, h in TEXT_HEADINGS) for h in doc.headings),
        examples=(doc.example,),
        notes=DOCUMENT_NOTES if doc.wide else DOCUMENT_NOTES[2:],
        lists_verksamheter=kind == documents.BUDGET,
    )


def template_name(kind: str, extension: str) -> str:
    return f"mall_{kind}.{extension}"


def template_csv(kind: str) -> bytes:
    """The kind's column headings (and example row) as a semicolon CSV, UTF-8 with BOM."""
    spec = template_for(kind)
    lines = [";".join(spec.headings), *(";".join(row) for row in spec.examples)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def template_xlsx(kind: str, catalogue: Catalogue | None = None) -> bytes:
    """A workbook: sheet ``Mall`` with the headings (and example row), ``Instruktioner``
    and, given a catalogue and a kind that names verksamheter, ``Verksamheter``."""
    spec = template_for(kind)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Mall")
    for i, column in enumerate(spec.columns):
        sheet.write_string(0, i, column.heading, bold)
        sheet.set_column(i, i, 18, text if column.text else None)
    for r, row in enumerate(spec.examples, start=1):
        for i, cell in enumerate(row):
            sheet.write_string(r, i, cell)
    help_sheet = book.add_worksheet("Instruktioner")
    help_sheet.set_column(0, 0, 28)
    help_sheet.set_column(1, 1, 100)
    help_sheet.write_string(0, 0, spec.label, bold)
    help_sheet.write_string(1, 0, spec.description)
    for r, column in enumerate(spec.columns, start=3):
        required = "obligatorisk" if column.required else "valfri"
        help_sheet.write_string(r, 0, f"{column.heading} ({required})", bold)
        help_sheet.write_string(r, 1, column.help)
    for r, line in enumerate(spec.notes, start=len(spec.columns) + 4):
        help_sheet.write_string(r, 0, line)
    if catalogue is not None and spec.lists_verksamheter:
        listing = book.add_worksheet("Verksamheter")
        listing.write_string(0, 0, "Kod", bold)
        listing.write_string(0, 1, "Namn", bold)
        listing.set_column(0, 0, 10, text)
        listing.set_column(1, 1, 50)
        known = catalogue.frame().sort(["code", "name"], nulls_last=True)
        for i, entry in enumerate(known.iter_rows(named=True), start=1):
            listing.write_string(i, 0, entry["code"] or "")
            listing.write_string(i, 1, entry["name"])
    book.close()
    return buf.getvalue()
