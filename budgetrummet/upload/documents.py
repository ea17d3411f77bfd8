"""Files that are documents: budget, investeringsplan, mal (goals) and struktur.

Beside the monthly outcome and forecast uploads (``validation``/``storing``), these kinds
bring in what a council document prints: a budget with plan years, an outcome report,
an investment plan, goals, or the organisation's own verksamheter. An accepted file
becomes a *document*: one ``sources`` row (``doc_id`` ``imp_`` + the first 12 hex digits
of the file's sha256) and rows in the seed's tables (``figures``, ``goals``,
``goal_indicators``), so every page reads it like a seed document.

Wide files are the norm: a column heading such as ``Utfall 2025``, ``Budget 2027`` or
``Plan 2028`` says the version and year of its column; ``--column "Heading=plan:2028"``
(or the page's mapping) says it where the heading does not. Every figure keeps the text
as printed, the file, sheet, row and column it stands in, and the sign convention the
user stated (``costs-negative`` as the documents print, or ``costs-positive`` as SCB and
many exports do; the app shows costs negative). A printed total (``Summa …``) is stored as
printed and reconciled like a document's total (``budgetrummet.reconcile``); it never
refuses the file, whatever the difference.

``parse`` is pure: a ``RawTable`` (from ``reading.read_upload``, the page's reader) and
``DocSettings`` in, a ``DocImport`` out with every problem by row and column in Swedish,
or the rows to store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl

from budgetrummet import clock, keys, reconcile, tables
from budgetrummet.numbers import FigureParseError, decimals_of, parse_figure
from budgetrummet.upload.catalogue import Catalogue, Verksamhet, scb_codes
from budgetrummet.upload.kinds import normalise
from budgetrummet.upload.parsing import split_code
from budgetrummet.upload.reading import XLSX, RawTable
from budgetrummet.upload.rules import (
    AMOUNT,
    EMPTY,
    MISSING_COLUMN,
    MISSING_VALUE,
    UNKNOWN_VERKSAMHET,
    Problem,
    problems_frame,
    sort_problems,
)

BUDGET = "budget"
INVESTERINGSPLAN = "investeringsplan"
MAL = "mal"
STRUKTUR = "struktur"
UNITS = ("kr", "tkr", "mkr")
COSTS_NEGATIVE = "costs-negative"
COSTS_POSITIVE = "costs-positive"
SIGNS = {
    COSTS_NEGATIVE: "kostnader negativa (som i budgetdokumenten)",
    COSTS_POSITIVE: "kostnader positiva (som SCB och många exporter)",
}
IGNORE = "ignorera"


@dataclass(frozen=True)
class DocKind:
    kind: str
    label: str
    description: str
    # field -> (Swedish label, normalised headings that name it)
    fields: Mapping[str, tuple[str, tuple[str, ...]]]
    required: tuple[str, ...]
    wide: bool  # value columns named by version and year
    # The downloadable template: each column's heading with the example row's cell.
    template: tuple[tuple[str, str], ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(heading for heading, _ in self.template)

    @property
    def example(self) -> tuple[str, ...]:
        return tuple(cell for _, cell in self.template)


# Years in example headings and help texts follow the calendar (this year's outcome,
# next year's budget), so the examples never name a fixed year.
_Y = clock.today().year

DOC_KINDS: dict[str, DocKind] = {
    BUDGET: DocKind(
        kind=BUDGET,
        label="Budget och plan (eller driftredovisning)",
        description=(
            f"Belopp per verksamhet med en kolumn per version och år: ”Bokslut {_Y - 1}”, "
            f"”Budget {_Y + 1}”, ”Plan {_Y + 2}” … eller ”Utfall {_Y}; Budget {_Y}; Återstår”. "
            "Netto, eller intäkt och kostnad i kolumnen Mått. En tryckt summarad sparas "
            "som den står och stäms av mot raderna."
        ),
        fields={
            "verksamhet": (
                "Verksamhet",
                ("verksamhet", "verksamheter", "vht", "verksamhetsomrade", "namnd", "ansvar"),
            ),
            "matt": ("Mått (netto, intäkt, kostnad)", ("matt", "measure", "typ")),
        },
        required=("verksamhet",),
        wide=True,
        template=(
            ("Verksamhet", "10 Nämnder/Styrelser"),
            ("Mått", "netto"),
            (f"Bokslut {_Y}", "−3 009"),
            (f"Budget {_Y + 1}", "−3 195"),
            (f"Plan {_Y + 2}", "−3 195"),
            (f"Plan {_Y + 3}", "−3 195"),
        ),
    ),
    INVESTERINGSPLAN: DocKind(
        kind=INVESTERINGSPLAN,
        label="Investeringsplan",
        description=(
            "Per projekt: nummer, namn, kategori, status, budgetår och planår (en kolumn "
            "per år), total utgift, prognos, utfall hittills och kommentar. Text i en "
            "beloppskolumn (”årligen, löpande”) sparas som anteckning, inte som tal."
        ),
        fields={
            "projektnr": ("Projektnummer", ("projnr", "projektnr", "projektnummer", "nr")),
            "projekt": (
                "Projekt",
                ("projekt", "projektnamn", "investeringar", "investering", "investeringsprojekt"),
            ),
            "kategori": ("Kategori", ("kategori", "investeringskategori", "omrade")),
            "status": ("Status", ("status",)),
            "prio": ("Prioritet", ("prio", "prioritet")),
            "total": ("Total utgift", ("totalutgift", "total", "totalbudget", "projektbudget")),
            "prognos": ("Prognos (hela projektet)", ("prognos", "slutprognos")),
            "utfall_hittills": (
                "Utfall hittills",
                ("utfallhittills", "upparbetat", "ackumuleratutfall", "nedlagt"),
            ),
            "kommentar": ("Kommentar", ("kommentar", "orsak", "anmarkning")),
        },
        required=("projekt",),
        wide=True,
        template=(
            ("Projektnummer", "6289"),
            ("Projekt", "Utrustning"),
            ("Kategori", "Fritid"),
            ("Status", "P"),
            (f"Budget {_Y + 1}", "1 000"),
            (f"Plan {_Y + 2}", "500"),
            (f"Plan {_Y + 3}", "0"),
            ("Total utgift", "1 500"),
            ("Prognos", ""),
            ("Utfall hittills", ""),
            ("Kommentar", ""),
        ),
    ),
    MAL: DocKind(
        kind=MAL,
        label="Mål",
        description=(
            "En rad per mål och år: målområde, mål, indikator, enhet, riktning (högre eller "
            "lägre är bättre), målvärde och utfall, kommentar och uppföljningsdatum. Ett "
            "aktivitetsmål har ingen indikator."
        ),
        fields={
            "malomrade": ("Målområde", ("malomrade", "omrade", "perspektiv")),
            "mal": ("Mål", ("mal", "namndmal", "verksamhetsmal", "malformulering")),
            "indikator": ("Indikator", ("indikator", "matetal", "nyckeltal")),
            "enhet": ("Enhet", ("enhet",)),
            "riktning": ("Riktning (högre/lägre)", ("riktning", "battre")),
            "ar": ("År", ("ar", "year")),
            "malvarde": ("Målvärde", ("malvarde", "mal varde", "target")),
            "utfall": ("Utfall", ("utfall", "resultat", "varde")),
            "kommentar": ("Kommentar", ("kommentar", "analys")),
            "uppfoljning": ("Uppföljning (datum)", ("uppfoljning", "uppfoljningsdatum", "datum")),
        },
        required=("malomrade", "mal"),
        wide=False,
        template=(
            ("Målområde", "Hälsa"),
            ("Mål", "Fler unga är aktiva"),
            ("Indikator", "Besök"),
            ("Enhet", "antal"),
            ("Riktning", "högre"),
            ("År", str(_Y)),
            ("Målvärde", "500"),
            ("Utfall", ""),
            ("Kommentar", ""),
            ("Uppföljning", f"{_Y}-12-31"),
        ),
    ),
    STRUKTUR: DocKind(
        kind=STRUKTUR,
        label="Struktur (verksamheter och kopplingar)",
        description=(
            "Organisationens egna verksamheter (kod och namn, gärna med SCB:s kod), och "
            "valfritt nämnder, ansvar eller kostnadsslag med den verksamhet de hör till. "
            "Utan egen struktur gäller SCB:s verksamhetskoder."
        ),
        fields={
            "niva": ("Nivå (verksamhet, nämnd, ansvar, kostnadsslag)", ("niva", "typ", "level")),
            "kod": ("Kod", ("kod", "code", "nr")),
            "namn": ("Namn", ("namn", "benamning", "verksamhet", "verksamheter")),
            "hor_till": ("Hör till verksamhet", ("hortill", "hortillverksamhet", "tillhor")),
            "scb": ("SCB-kod", ("scb", "scbkod", "scbverksamhet", "verksomrkom")),
        },
        required=("namn",),
        wide=False,
        template=(
            ("Nivå", "verksamhet"),
            ("Kod", ""),
            ("Namn", "Bibliotek"),
            ("Hör till", ""),
            ("SCB-kod", "320"),
        ),
    ),
}
LEVELS = ("verksamhet", "nämnd", "ansvar", "kostnadsslag")

# A wide column heading: version word, optional year, optional unit in brackets.
_WIDE = re.compile(
    r"^\s*(?P<word>bokslut|utfall|justerad budget|budget justerad|reviderad budget|budget|"
    r"plan|prognos|återstår|avvikelse|differens)\s*(?P<year>(19|20)\d{2})?\s*(\(.*\))?\s*$",
    re.IGNORECASE,
)
VERSION_WORDS = {
    "bokslut": "bokslut",
    "utfall": "utfall",
    "justerad budget": "budget_justerad",
    "budget justerad": "budget_justerad",
    "reviderad budget": "budget_justerad",
    "budget": "budget",
    "plan": "plan",
    "prognos": "prognos",
    "återstår": "avvikelse",
    "avvikelse": "avvikelse",
    "differens": "avvikelse",
}
# Versions a --column value may name (``budget`` is the council's budget, budget_kf).
VERSIONS = (
    "bokslut",
    "utfall",
    "budget",
    "budget_kf",
    "budget_justerad",
    "plan",
    "prognos",
    "avvikelse",
)
_UNIT_IN_HEADER = re.compile(r"\((kr|tkr|mkr)\)", re.IGNORECASE)
_TOTAL = re.compile(r"(?i)^\s*(summa|summering|totalt?|s:a)(\b|$)")
COST_MEASURES = ("netto", "kostnad", "utgift")
MEASURES = {
    "netto": "netto",
    "nettokostnad": "netto",
    "intakt": "intakt",
    "intakter": "intakt",
    "kostnad": "kostnad",
    "kostnader": "kostnad",
}
DIRECTIONS = {
    "hogre": "higher",
    "hogreärbattre": "higher",
    "lagre": "lower",
    "higher": "higher",
    "lower": "lower",
    "okande": "higher",
    "minskande": "lower",
}


@dataclass(frozen=True)
class DocSettings:
    """What the user states about a document file."""

    org_id: str
    org_name: str
    kind: str
    unit: str | None = None
    sign: str | None = None
    year: int | None = None
    as_of: date | None = None
    doc_date: date | None = None
    # heading -> field, or ``version:year`` for a wide value column, or ``ignorera``
    columns: tuple[tuple[str, str], ...] = ()

    @property
    def overrides(self) -> dict[str, str]:
        return dict(self.columns)


@dataclass(frozen=True)
class ValueColumn:
    index: int
    header: str
    version: str
    year: int | None


@dataclass(frozen=True)
class DocImport:
    """A checked document file: every problem, or the rows to store."""

    settings: DocSettings
    problems: pl.DataFrame
    source: dict = field(default_factory=dict)
    figures: pl.DataFrame = field(
        default_factory=lambda: tables.empty("import_figures").drop(["imported_by", "imported_at"])
    )
    goals: pl.DataFrame = field(default_factory=lambda: pl.DataFrame())
    indicators: pl.DataFrame = field(default_factory=lambda: pl.DataFrame())
    texts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame())
    structure: pl.DataFrame = field(default_factory=lambda: pl.DataFrame())
    findings: pl.DataFrame = field(default_factory=lambda: tables.empty("import_reconciliation"))
    notes: tuple[str, ...] = ()
    mapping: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.problems.is_empty() and bool(self.source)

    @property
    def rows(self) -> int:
        return max(self.figures.height, self.goals.height, self.structure.height)


def doc_id_for(sha256: str) -> str:
    return f"imp_{sha256[:12]}"


def slug(text: str) -> str:
    table = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU")
    return re.sub(r"[^a-z0-9]+", "_", text.translate(table).casefold()).strip("_")[:60]


def parse_column_option(text: str) -> tuple[str, str]:
    """``"Budget 2027=budget:2027"`` -> (heading, field); ValueError (Swedish) otherwise."""
    header, sep, value = text.rpartition("=")
    if not sep or not header.strip() or not value.strip():
        raise ValueError(f"--column ska vara ”RUBRIK=FÄLT”, inte ”{text}”.")
    return header.strip(), value.strip()


def _value_field(value: str) -> tuple[str, int | None] | None:
    """``plan:2028`` -> ("plan", 2028); ``avvikelse`` -> ("avvikelse", None); else None."""
    version, _, year = value.partition(":")
    if version not in VERSIONS:
        return None
    if year and not re.fullmatch(r"(19|20)\d{2}", year):
        return None
    return version, int(year) if year else None


def classify_columns(
    headers: tuple[str, ...], spec: DocKind, overrides: Mapping[str, str]
) -> tuple[dict[str, int], list[ValueColumn], list[str], list[Problem]]:
    """field -> column, the wide value columns, ignored headings, and mapping problems."""
    fields: dict[str, int] = {}
    values: list[ValueColumn] = []
    ignored: list[str] = []
    problems: list[Problem] = []
    by_norm = {normalise(k): v for k, v in overrides.items()}
    known_headers = {normalise(h) for h in headers}
    for heading in overrides:
        if normalise(heading) not in known_headers:
            problems.append(
                Problem(
                    MISSING_COLUMN,
                    f"Kolumnen ”{heading}” i --column finns inte i filen; filen har "
                    + ", ".join(f"”{h}”" for h in headers)
                    + ".",
                    column=heading,
                )
            )
    for i, header in enumerate(headers):
        norm = normalise(header)
        given = by_norm.get(norm)
        if given == IGNORE:
            ignored.append(header)
            continue
        if given is not None:
            if given in spec.fields:
                if given in fields:
                    problems.append(
                        Problem(
                            MISSING_COLUMN,
                            f"Fältet {given} är valt för två kolumner.",
                            None,
                            header,
                        )
                    )
                fields[given] = i
                continue
            parsed = _value_field(given) if spec.wide else None
            if parsed is None:
                allowed = ", ".join(spec.fields) + (
                    f", eller version:år (t.ex. plan:{_Y + 2})" if spec.wide else ""
                )
                problems.append(
                    Problem(
                        MISSING_COLUMN,
                        f"”{given}” är inget fält för {spec.label.lower()}; giltiga är {allowed}.",
                        column=header,
                    )
                )
                continue
            values.append(ValueColumn(i, header, parsed[0], parsed[1]))
            continue
        wide = _WIDE.match(header) if spec.wide else None
        if wide:
            word = VERSION_WORDS[wide.group("word").casefold()]
            year = int(wide.group("year")) if wide.group("year") else None
            # An investment plan's "Prognos" without a year is the project's forecast.
            if not (spec.kind == INVESTERINGSPLAN and word == "prognos" and year is None):
                values.append(ValueColumn(i, header, word, year))
                continue
        found = next(
            (
                f
                for f, (_, names) in spec.fields.items()
                if f not in fields
                and (norm in names or any(norm.startswith(n) for n in names if len(n) > 5))
            ),
            None,
        )
        if found is not None:
            fields[found] = i
        else:
            ignored.append(header)
    for f in spec.required:
        if f not in fields:
            problems.append(
                Problem(
                    MISSING_COLUMN,
                    f"Kolumnen {spec.fields[f][0]} saknas. Filen har "
                    + ", ".join(f"”{h}”" for h in headers)
                    + f"; ange vilken som är {spec.fields[f][0].lower()} (--column "
                    f"”RUBRIK={f}”).",
                    column=spec.fields[f][0],
                )
            )
    if spec.wide and not values and spec.kind == BUDGET:
        problems.append(
            Problem(
                MISSING_COLUMN,
                "Filen har ingen beloppskolumn med version och år (t.ex. "
                f"”Budget {_Y + 1}”, ”Plan {_Y + 2}”, ”Utfall {_Y}”); ange dem med "
                f"--column ”RUBRIK=plan:{_Y + 2}”.",
            )
        )
    return fields, values, ignored, problems


def unit_of(headers: tuple[str, ...], stated: str | None) -> str | None:
    """The stated unit, else the one a heading names (``Verksamheter (tkr)``)."""
    if stated:
        return stated
    found = {m.group(1).lower() for h in headers for m in [_UNIT_IN_HEADER.search(h)] if m}
    return found.pop() if len(found) == 1 else None


def _cell(raw: RawTable, index: int) -> pl.Series:
    return raw.cells[f"c{index}"].fill_null("")


def _figure_base(raw: RawTable, settings: DocSettings, doc_id: str) -> dict:
    return {
        "doc_id": doc_id,
        "org_id": settings.org_id,
        "source_file": raw.file_name,
        "source_sha256": raw.sha256,
        "source_sheet": raw.sheet or None,
        "source_sign": settings.sign,
        "has_erratum": False,
        "as_of": None,
        "category": None,
        "total_of": None,
        "rollup_group": None,
    }


def _signed(value: Decimal, measure: str, version: str, sign: str | None) -> Decimal:
    """The value in the app's convention (costs negative)."""
    if sign == COSTS_POSITIVE and measure in COST_MEASURES and version != "avvikelse":
        return -value
    return value


def _finalise_groups(records: list[dict], total_rows: list[int], line_rows: list[int]) -> None:
    """Roll-up groups: each printed total covers the lines since the previous total, or
    (whichever its figures fit better) everything above it, a subtotal counted once."""
    by_row: dict[int, list[dict]] = {}
    for r in records:
        by_row.setdefault(r["source_row"], []).append(r)
    group_no = 1
    block: list[int] = []
    previous_total: int | None = None
    for row in sorted(set(total_rows) | set(line_rows)):
        if row in line_rows:
            block.append(row)
            continue
        group = f"g{group_no}"
        running = [r for r in line_rows if r < row]
        members = block
        if previous_total is not None and block != running:
            # The subtotal counts as a line of this total when that fits its figures better.
            with_subtotal = _misfit(by_row, row, [previous_total, *block])
            if with_subtotal <= _misfit(by_row, row, block):
                members = [previous_total, *block]
        # One group per measure: a total of net amounts sums the net amounts only.
        for r2 in members:
            for f in by_row.get(r2, []):
                f["rollup_group"] = f"{group}:{f['measure']}"
        for t in by_row[row]:
            t["total_of"] = f"{group}:{t['measure']}"
        block = []
        previous_total = row
        group_no += 1


def _misfit(by_row: dict[int, list[dict]], total_row: int, rows: list[int]) -> Decimal:
    """How far a printed total's figures are from the sums of ``rows``, over its columns."""
    out = Decimal(0)
    for t in by_row[total_row]:
        s = sum(
            (
                f["value"]
                for r in rows
                for f in by_row.get(r, [])
                if f["column_label"] == t["column_label"] and f["measure"] == t["measure"]
            ),
            Decimal(0),
        )
        out += abs(t["value"] - s)
    return out


def _amount(text: str, mark_point: bool) -> Decimal:
    cleaned = text.strip()
    if mark_point and "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", "")
    return parse_figure(cleaned)


def parse(raw: RawTable, settings: DocSettings, catalogue: Catalogue | None = None) -> DocImport:
    """Check a document file; the rows to store when nothing is wrong."""
    if raw.problems:
        return DocImport(settings, sort_problems(problems_frame(list(raw.problems))))
    spec = DOC_KINDS[settings.kind]
    fields, values, ignored, problems = classify_columns(raw.headers, spec, settings.overrides)
    notes = [f"Kolumnen ”{h}” läses inte." for h in ignored]
    doc_id = doc_id_for(raw.sha256)
    mapping = tuple(
        [(raw.headers[i], f) for f, i in sorted(fields.items(), key=lambda x: x[1])]
        + [(v.header, f"{v.version}:{v.year}" if v.year else v.version) for v in values]
    )
    if settings.kind in (BUDGET, INVESTERINGSPLAN):
        unit = unit_of(raw.headers, settings.unit)
        if unit is None:
            problems.append(Problem(MISSING_COLUMN, "Ange enheten: kr, tkr eller mkr (--unit)."))
        if settings.sign not in SIGNS:
            problems.append(
                Problem(
                    MISSING_COLUMN,
                    "Ange hur filen skriver kostnader: negativa (costs-negative) eller positiva "
                    "(costs-positive) (--sign).",
                )
            )
        if problems:
            return DocImport(settings, sort_problems(problems_frame(problems)), mapping=mapping)
        builder = _budget if settings.kind == BUDGET else _investments
        return builder(raw, settings, catalogue, fields, values, unit, doc_id, notes, mapping)
    if problems:
        return DocImport(settings, sort_problems(problems_frame(problems)), mapping=mapping)
    if settings.kind == MAL:
        return _goals(raw, settings, fields, doc_id, notes, mapping)
    return _structure(raw, settings, fields, doc_id, notes, mapping)


def _years_of(values: list[ValueColumn], settings: DocSettings) -> list[ValueColumn]:
    """Fill a value column's missing year with the year of the other columns' outcome
    (``Återstår`` beside ``Utfall 2025``), else the stated year."""
    known = sorted({v.year for v in values if v.year and v.version in ("utfall", "prognos")})
    default = known[-1] if len(known) == 1 else settings.year
    return [ValueColumn(v.index, v.header, v.version, v.year or default) for v in values]


def _source(raw, settings: DocSettings, doc_id: str, doc_type: str, title: str) -> dict:
    return {
        "doc_id": doc_id,
        "org_id": settings.org_id,
        "org_name": settings.org_name,
        "body": settings.org_name,
        "title": f"{title} (import: {raw.file_name})",
        "doc_type": doc_type,
        "doc_date": (settings.doc_date or date.today()).isoformat(),
        "file": raw.file_name,
        "original_file": raw.file_name,
        "sha256": raw.sha256,
    }


def _identity_rows(raw: RawTable, index: int) -> tuple[pl.Series, pl.Series]:
    labels = _cell(raw, index).str.strip_chars()
    return labels, labels.str.contains(_TOTAL.pattern)


def _value_cells(
    raw: RawTable,
    values: list[ValueColumn],
    row_filter: list[bool],
    problems: list[Problem],
    notes_out: list[tuple[int, ValueColumn, str]] | None = None,
) -> dict[tuple[int, int], tuple[str, Decimal]]:
    """(row position, column index) -> (printed text, value) for every filled value cell."""
    point = raw.file_format == XLSX
    out = {}
    for v in values:
        texts = _cell(raw, v.index).to_list()
        for pos, text in enumerate(texts):
            if not row_filter[pos] or not text.strip():
                continue
            try:
                out[(pos, v.index)] = (text.strip(), _amount(text, point))
            except FigureParseError:
                if notes_out is not None:
                    notes_out.append((pos, v, text.strip()))
                    continue
                problems.append(
                    Problem(
                        AMOUNT,
                        f"”{text.strip()}” är inte ett tal.",
                        row=int(raw.cells["row"][pos]),
                        column=v.header,
                        value=text,
                    )
                )
    return out


def _budget(raw, settings, catalogue, fields, values, unit, doc_id, notes, mapping) -> DocImport:
    problems: list[Problem] = []
    values = _years_of(values, settings)
    for v in values:
        if v.year is None:
            problems.append(
                Problem(
                    MISSING_COLUMN,
                    f"Kolumnen ”{v.header}” saknar år; ange det med "
                    f"--column ”{v.header}={v.version}:ÅÅÅÅ” eller --year.",
                    column=v.header,
                )
            )
    versions = {v.version for v in values}
    outcome_report = bool(versions & {"prognos", "avvikelse"}) or (
        "utfall" in versions and "plan" not in versions
    )
    table_id = "driftredovisning" if outcome_report else "drift_verksamhet"
    labels, is_total = _identity_rows(raw, fields["verksamhet"])
    measures = _cell(raw, fields["matt"]).str.strip_chars() if "matt" in fields else None
    rows = raw.cells["row"].to_list()
    keep = [bool(lbl) for lbl in labels.to_list()]
    cells = _value_cells(raw, values, keep, problems)
    catalogue = catalogue or default_catalogue()
    records: list[dict] = []
    line_rows: list[int] = []
    total_rows: list[int] = []
    base = _figure_base(raw, settings, doc_id)
    main_year = max((v.year for v in values if v.year), default=settings.year)
    as_of = settings.as_of or (date(main_year, 12, 31) if main_year else None)
    title = "Driftredovisning" if outcome_report else "Driftbudget"
    table_title = f"{title} ({unit})"
    for pos, label in enumerate(labels.to_list()):
        if not label:
            continue
        row = rows[pos]
        total = bool(is_total[pos])
        measure = "netto"
        if measures is not None and measures[pos]:
            measure = MEASURES.get(normalise(measures[pos]), "")
            if not measure:
                problems.append(
                    Problem(
                        MISSING_VALUE,
                        f"Måttet ”{measures[pos]}” är okänt; skriv netto, intäkt eller kostnad.",
                        row,
                        raw.headers[fields["matt"]],
                        measures[pos],
                    )
                )
                continue
        if total:
            key = "total"
            total_rows.append(row)
        else:
            hit = catalogue.resolve(label)
            if hit is None:
                problems.append(
                    Problem(
                        UNKNOWN_VERKSAMHET,
                        f"Verksamheten ”{label}” finns inte i organisationens struktur "
                        f"({catalogue.scheme}).",
                        row=row,
                        column=raw.headers[fields["verksamhet"]],
                        value=label,
                    )
                )
                continue
            key = hit.line_key
            line_rows.append(row)
        for v in values:
            cell = cells.get((pos, v.index))
            if cell is None or v.year is None:
                continue
            printed, number = cell
            version = v.version
            if version == "utfall" and not outcome_report:
                version = "bokslut"
            if version == "budget":
                version = "budget_justerad" if outcome_report else "budget_kf"
            value = _signed(number, measure, version, settings.sign)
            records.append(
                base
                | {
                    "table_id": table_id,
                    "table_title": table_title,
                    "source_line": row,
                    "row_no": pos + 1,
                    "line_label": label,
                    "line_key": key,
                    "row_kind": "total" if total else "line",
                    "column_label": v.header,
                    "measure": measure,
                    "version": version,
                    "year": v.year,
                    "year_printed": v.year,
                    "as_of": as_of.isoformat()
                    if as_of and version in ("utfall", "prognos", "avvikelse")
                    else None,
                    "unit": unit,
                    "value_printed": printed,
                    "value_printed_num": value,
                    "value": value,
                    "decimals": decimals_of(printed),
                    "source_row": row,
                    "source_column": v.header,
                }
            )
    if not line_rows and not problems:
        problems.append(Problem(EMPTY, "Filen har inga verksamhetsrader med belopp."))
    if problems:
        return DocImport(settings, sort_problems(problems_frame(problems)), mapping=mapping)
    _finalise_groups(records, total_rows, line_rows)
    if outcome_report:
        year = max(v.year for v in values if v.version in ("utfall", "prognos", "avvikelse"))
        doc_type, title = "bokslut", f"Driftredovisning {year}"
    else:
        budget_years = [v.year for v in values if v.version in ("budget", "budget_kf")]
        year = max(budget_years or [v.year for v in values])
        doc_type, title = "budget", f"Budget {year}"
    if not outcome_report:
        plan_years = sorted({v.year for v in values if v.version == "plan"})
        if plan_years:
            title += f" med plan {plan_years[0]}–{plan_years[-1]}"
    figures = _figures(records)
    notes.append(_sign_note(settings.sign))
    return DocImport(
        settings,
        problems_frame([]),
        source=_source(raw, settings, doc_id, doc_type, title) | {"year": year, "unit": unit},
        figures=figures,
        findings=findings_frame(records),
        notes=tuple(notes),
        mapping=mapping,
    )


def _sign_note(sign: str | None) -> str:
    if sign == COSTS_POSITIVE:
        return (
            "Filen skriver kostnader som positiva tal; de lagras och visas som negativa "
            "(som i budgetdokumenten). Den tryckta texten sparas oförändrad."
        )
    return (
        "Filen skriver kostnader som negativa tal, som budgetdokumenten; talen lagras som de står."
    )


def _investments(raw, settings, catalogue, fields, values, unit, doc_id, notes, mapping):
    problems: list[Problem] = []
    values = _years_of(values, settings)
    extra = [
        (f, ValueColumn(fields[f], raw.headers[fields[f]], version, None))
        for f, version in (
            ("total", "projekt_budget"),
            ("prognos", "projekt_prognos"),
            ("utfall_hittills", "projekt_utfall"),
        )
        if f in fields
    ]
    labels, is_total = _identity_rows(raw, fields["projekt"])
    rows = raw.cells["row"].to_list()
    keep = [bool(lbl) for lbl in labels.to_list()]
    text_cells: list[tuple[int, ValueColumn, str]] = []
    cells = _value_cells(raw, values, keep, problems)
    life_cells = _value_cells(raw, [v for _, v in extra], keep, problems, text_cells)
    numbers = _cell(raw, fields["projektnr"]).str.strip_chars() if "projektnr" in fields else None
    category = _cell(raw, fields["kategori"]).str.strip_chars() if "kategori" in fields else None
    years = [v.year for v in values if v.year]
    last_year = max(years) if years else settings.year
    base = _figure_base(raw, settings, doc_id)
    table_title = f"Investeringsplan ({unit})"
    records: list[dict] = []
    texts: list[dict] = []
    line_rows: list[int] = []
    total_rows: list[int] = []
    seen: dict[str, int] = {}
    for pos, label in enumerate(labels.to_list()):
        if not label:
            continue
        row = rows[pos]
        total = bool(is_total[pos])
        if total:
            key = f"summa:{slug(label)}"
            total_rows.append(row)
        else:
            number = numbers[pos] if numbers is not None else ""
            key = keys.project(slug(number)) if number else keys.project(slug(label))
            if key in seen:
                problems.append(
                    Problem(
                        "dubblett",
                        f"Projektet står redan på rad {seen[key]}.",
                        row,
                        raw.headers[fields["projekt"]],
                        label,
                    )
                )
                continue
            seen[key] = row
            line_rows.append(row)
        cat = category[pos] if category is not None and category[pos] else None
        for v in [*values, *(v for _, v in extra)]:
            cell = (cells if v in values else life_cells).get((pos, v.index))
            if cell is None:
                continue
            printed, number_value = cell
            version = "budget_kf" if v.version == "budget" else v.version
            if version == "utfall":
                version = "bokslut"
            year = v.year or last_year
            value = _signed(number_value, "utgift", version, settings.sign)
            records.append(
                base
                | {
                    "table_id": "inv_projekt",
                    "table_title": table_title,
                    "source_line": row,
                    "row_no": pos + 1,
                    "line_label": label,
                    "line_key": key,
                    "row_kind": "total" if total else "line",
                    "column_label": v.header,
                    "measure": "utgift",
                    "version": version,
                    "year": year,
                    "year_printed": year,
                    "unit": unit,
                    "value_printed": printed,
                    "value_printed_num": value,
                    "value": value,
                    "decimals": decimals_of(printed),
                    "category": cat,
                    "source_row": row,
                    "source_column": v.header,
                }
            )
        for f, kind in (("status", "status"), ("prio", "prioritet"), ("kommentar", "kommentar")):
            if f in fields:
                text = _cell(raw, fields[f])[pos].strip()
                if text:
                    texts.append(_text(doc_id, settings, raw, row, key, kind, text, fields[f]))
    for pos, v, text in text_cells:
        key = next((r["line_key"] for r in records if r["source_row"] == rows[pos]), None)
        key = key or keys.project(slug(labels[pos]))
        texts.append(
            _text(
                doc_id, settings, raw, rows[pos], key, "anteckning", f"{v.header}: {text}", v.index
            )
        )
    if not line_rows and not problems:
        problems.append(Problem(EMPTY, "Filen har inga projektrader."))
    if problems:
        return DocImport(settings, sort_problems(problems_frame(problems)), mapping=mapping)
    # A column where some project prints text ("årligen, löpande") has no sum to compare
    # a printed total with: its totals are kept as printed and not reconciled.
    text_columns = {v.header for _, v, _ in text_cells}
    for r in records:
        if r["row_kind"] == "total" and r["column_label"] in text_columns:
            r["_unchecked"] = True
    if text_columns:
        notes.append(
            "Summaraderna i "
            + ", ".join(f"”{h}”" for h in sorted(text_columns))
            + " stäms inte av mot raderna: några rader har text i stället för tal."
        )
    # The last printed total is the table's total (line key ``total``).
    if total_rows:
        for r in records:
            if r["source_row"] == total_rows[-1]:
                r["line_key"] = "total"
    _finalise_groups(records, total_rows, line_rows)
    for r in records:
        if r.pop("_unchecked", False):
            r["total_of"] = None
    first = min((v.year for v in values if v.version == "budget"), default=min(years or [0]))
    title = f"Investeringsplan {first}–{last_year}" if years else "Investeringsplan"
    if texts:
        notes.append(
            f"{len([t for t in texts if t['kind'] == 'anteckning'])} beloppsceller med text "
            "(t.ex. ”årligen, löpande”) sparas som anteckningar, inte som tal."
        )
    notes.append(_sign_note(settings.sign))
    return DocImport(
        settings,
        problems_frame([]),
        source=_source(raw, settings, doc_id, "investeringsplan", title)
        | {"year": first or settings.year, "unit": unit},
        figures=_figures(records),
        texts=pl.DataFrame(texts, schema=tables.USER_TABLES["import_texts"]).drop(
            "imported_by", "imported_at"
        ),
        findings=findings_frame(records),
        notes=tuple(notes),
        mapping=mapping,
    )


def _text(doc_id, settings, raw, row, key, kind, text, column_index) -> dict:
    return {
        "doc_id": doc_id,
        "table_id": "inv_projekt",
        "source_line": row,
        "line_key": key,
        "ref": f"{key}:{kind}",
        "kind": kind,
        "text": text,
        "org_id": settings.org_id,
        "source_file": raw.file_name,
        "source_sha256": raw.sha256,
        "source_sheet": raw.sheet or None,
        "source_row": row,
        "source_column": raw.headers[column_index],
        "source_sign": None,
    }


def _figures(records: list[dict]) -> pl.DataFrame:
    schema = {
        k: v
        for k, v in tables.USER_TABLES["import_figures"].items()
        if k not in ("imported_by", "imported_at")
    }
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in records], schema=schema)


def findings_frame(records: list[dict]) -> pl.DataFrame:
    """The reconciliation of a document's figures (the seed's generic checks)."""
    findings = (
        reconcile.check_totals(records)
        + reconcile.check_net(records)
        + reconcile.check_deviation(records)
    )
    rows = [reconcile.finding_row(f) for f in findings]
    return pl.DataFrame(rows, schema=tables.USER_TABLES["import_reconciliation"])


def _goals(raw, settings, fields, doc_id, notes, mapping) -> DocImport:
    problems: list[Problem] = []
    col = {f: _cell(raw, i).str.strip_chars().to_list() for f, i in fields.items()}
    rows = raw.cells["row"].to_list()
    prov = {
        "org_id": settings.org_id,
        "source_file": raw.file_name,
        "source_sha256": raw.sha256,
        "source_sheet": raw.sheet or None,
        "source_sign": None,
    }
    areas: dict[str, int] = {}
    goals: dict[tuple[str, str], dict] = {}
    indicators: dict[tuple[str, str, str], dict] = {}
    by_year: dict[tuple[str, str, str], list[tuple[int, int, str, str]]] = {}
    for pos, row in enumerate(rows):
        area, goal = col["malomrade"][pos], col["mal"][pos]
        if not area and not goal:
            continue
        for f, text in (("malomrade", area), ("mal", goal)):
            if not text:
                problems.append(
                    Problem(
                        MISSING_VALUE,
                        f"{DOC_KINDS[MAL].fields[f][0]} saknas.",
                        row,
                        raw.headers[fields[f]],
                    )
                )
        year_text = col.get("ar", [""] * len(rows))[pos]
        year = settings.year
        if year_text:
            if not re.fullmatch(r"(19|20)\d{2}", year_text):
                problems.append(
                    Problem(
                        MISSING_VALUE,
                        f"Året ”{year_text}” är inte ett år.",
                        row,
                        raw.headers[fields["ar"]],
                        year_text,
                    )
                )
                continue
            year = int(year_text)
        dates = []
        follow = col.get("uppfoljning", [""] * len(rows))[pos]
        for part in re.split(r"[|;,\s]+", follow):
            if not part:
                continue
            try:
                dates.append(date.fromisoformat(part).isoformat())
            except ValueError:
                problems.append(
                    Problem(
                        MISSING_VALUE,
                        f"Uppföljningsdatumet ”{part}” ska skrivas ÅÅÅÅ-MM-DD.",
                        row,
                        raw.headers[fields["uppfoljning"]],
                        follow,
                    )
                )
        if not area or not goal:
            continue
        area_no = areas.setdefault(area, len(areas) + 1)
        goal_key = (area, goal)
        if goal_key not in goals:
            goal_no = sum(1 for a, _ in goals if a == area) + 1
            goals[goal_key] = prov | {
                "doc_id": doc_id,
                "source_line": row,
                "year": str(year) if year else None,
                "malomrade_no": str(area_no),
                "malomrade_title": area,
                "goal_no": str(goal_no),
                "goal_title": goal,
                "goal_text": goal,
                "malprecisering": None,
                "followup_printed": follow or None,
                "followup_dates": "|".join(dates) or None,
                "source_row": row,
                "source_column": raw.headers[fields["mal"]],
            }
        elif dates:
            known = goals[goal_key]["followup_dates"]
            merged = sorted(set((known or "").split("|")) | set(dates) - {""})
            goals[goal_key]["followup_dates"] = "|".join(merged)
        indicator = col.get("indikator", [""] * len(rows))[pos]
        comment = col.get("kommentar", [""] * len(rows))[pos]
        if comment and not indicator and goals[goal_key]["malprecisering"] is None:
            goals[goal_key]["malprecisering"] = comment
        if not indicator:
            continue
        direction_text = normalise(col.get("riktning", [""] * len(rows))[pos])
        better = DIRECTIONS.get(direction_text) if direction_text else None
        if direction_text and better is None:
            problems.append(
                Problem(
                    MISSING_VALUE,
                    "Riktningen ska vara ”högre” eller ”lägre”.",
                    row,
                    raw.headers[fields["riktning"]],
                )
            )
        target = col.get("malvarde", [""] * len(rows))[pos]
        outcome = col.get("utfall", [""] * len(rows))[pos]
        for f, text in (("malvarde", target), ("utfall", outcome)):
            if text and text not in ("-", "–"):
                try:
                    parse_figure(text)
                except FigureParseError:
                    problems.append(
                        Problem(
                            AMOUNT, f"”{text}” är inte ett tal.", row, raw.headers[fields[f]], text
                        )
                    )
        ikey = (area, goal, indicator)
        by_year.setdefault(ikey, []).append((year or 0, row, target, outcome))
        indicators.setdefault(
            ikey,
            prov
            | {
                "doc_id": doc_id,
                "source_line": row,
                "goal_no": goals[goal_key]["goal_no"],
                "goal_title": goal,
                "malomrade_printed": f"Målområde {area_no} - {area}",
                "indicator_no": str(sum(1 for k in indicators if k[:2] == (area, goal)) + 1),
                "indicator_label": indicator,
                "unit": col.get("enhet", [""] * len(rows))[pos] or None,
                "better": better,
                "comment": comment or None,
                "trend_printed": None,
                "target_operator": (">=" if better == "higher" else "<=") if better else None,
                "source_row": row,
                "source_column": raw.headers[fields["indikator"]],
            },
        )
    if not goals and not problems:
        problems.append(Problem(EMPTY, "Filen har inga mål."))
    if problems:
        return DocImport(settings, sort_problems(problems_frame(problems)), mapping=mapping)
    for ikey, entries in by_year.items():
        entries.sort()
        with_outcome = [e for e in entries if e[3] and e[3] not in ("-", "–")]
        latest = with_outcome[-1] if with_outcome else entries[-1]
        earlier = [e for e in with_outcome if e[0] < latest[0]]
        ind = indicators[ikey]
        ind.update(
            {
                "source_line": latest[1],
                "source_row": latest[1],
                "target_printed": latest[2] or None,
                "target_value": latest[2] or None,
                "outcome_printed": latest[3] or None,
                "outcome_year": str(latest[0]) if latest[0] else None,
                "previous_printed": earlier[-1][3] if earlier else None,
                "previous_year": str(earlier[-1][0]) if earlier else None,
            }
        )
    goal_schema = _without_import_stamp("import_goals")
    ind_schema = _without_import_stamp("import_goal_indicators")
    years = sorted({int(g["year"]) for g in goals.values() if g["year"]})
    title = f"Mål {years[-1]}" if years else "Mål"
    return DocImport(
        settings,
        problems_frame([]),
        source=_source(raw, settings, doc_id, "mal", title)
        | {"year": years[-1] if years else settings.year, "unit": None},
        goals=pl.DataFrame(
            [{k: g.get(k) for k in goal_schema} for g in goals.values()], schema=goal_schema
        ),
        indicators=pl.DataFrame(
            [{k: i.get(k) for k in ind_schema} for i in indicators.values()], schema=ind_schema
        ),
        notes=tuple(notes),
        mapping=mapping,
    )


def _without_import_stamp(name: str) -> dict[str, pl.DataType]:
    return {
        k: v for k, v in tables.USER_TABLES[name].items() if k not in ("imported_by", "imported_at")
    }


def _structure(raw, settings, fields, doc_id, notes, mapping) -> DocImport:
    problems: list[Problem] = []
    col = {f: _cell(raw, i).str.strip_chars().to_list() for f, i in fields.items()}
    rows = raw.cells["row"].to_list()
    n = len(rows)
    scb = {v.code for v in scb_codes()}
    out: list[dict] = []
    own: dict[str, str] = {}  # normalised code or name -> line_key of a verksamhet
    pending: list[tuple[int, dict, str]] = []
    for pos, row in enumerate(rows):
        name = col["namn"][pos]
        code = col.get("kod", [""] * n)[pos] or None
        level_text = col.get("niva", [""] * n)[pos] or "verksamhet"
        level = next((lv for lv in LEVELS if normalise(lv) == normalise(level_text)), None)
        if not name and not code:
            continue
        if level is None:
            problems.append(
                Problem(
                    MISSING_VALUE,
                    f"Nivån ”{level_text}” är okänd; giltiga är " + ", ".join(LEVELS) + ".",
                    row,
                    raw.headers[fields["niva"]],
                    level_text,
                )
            )
            continue
        if not name:
            problems.append(
                Problem(MISSING_VALUE, "Namn saknas.", row, raw.headers[fields["namn"]])
            )
            continue
        scb_code = col.get("scb", [""] * n)[pos] or None
        if scb_code is not None and scb_code not in scb:
            problems.append(
                Problem(
                    UNKNOWN_VERKSAMHET,
                    f"SCB-koden ”{scb_code}” finns inte bland SCB:s verksamhetskoder.",
                    row,
                    raw.headers[fields["scb"]],
                    scb_code,
                )
            )
        entry = {
            "org_id": settings.org_id,
            "doc_id": doc_id,
            "level": level,
            "code": code,
            "name": name,
            "scb_code": scb_code,
            "maps_to": None,
            "source_file": raw.file_name,
            "source_sha256": raw.sha256,
            "source_sheet": raw.sheet or None,
            "source_row": row,
            "source_column": raw.headers[fields["namn"]],
            "source_sign": None,
        }
        if level == "verksamhet":
            key = keys.verksamhet(code) if code else keys.own_verksamhet(slug(name))
            if key in {e["line_key"] for e in out}:
                problems.append(
                    Problem(
                        "dubblett",
                        "Samma verksamhet står två gånger.",
                        row,
                        raw.headers[fields["namn"]],
                        name,
                    )
                )
                continue
            entry["line_key"] = key
            own[normalise(name)] = key
            if code:
                own[normalise(code)] = key
        else:
            entry["line_key"] = f"{slug(level)}:{slug(code or name)}"
            pending.append((pos, entry, col.get("hor_till", [""] * n)[pos]))
        out.append(entry)
    for pos, entry, target in pending:
        if not target:
            problems.append(
                Problem(
                    MISSING_VALUE,
                    f"En rad på nivån {entry['level']} ska säga vilken verksamhet den hör till.",
                    rows[pos],
                    DOC_KINDS[STRUKTUR].fields["hor_till"][0],
                )
            )
            continue
        code, name = split_code(target)
        key = (
            own.get(normalise(target))
            or own.get(normalise(code or ""))
            or own.get(normalise(name or ""))
        )
        if key is None:
            problems.append(
                Problem(
                    UNKNOWN_VERKSAMHET,
                    f"Verksamheten ”{target}” finns inte bland filens verksamheter.",
                    rows[pos],
                    raw.headers[fields["hor_till"]],
                    target,
                )
            )
            continue
        entry["maps_to"] = key
    if not own and not problems:
        problems.append(Problem(EMPTY, "Filen har inga verksamheter (nivå verksamhet)."))
    if problems:
        return DocImport(settings, sort_problems(problems_frame(problems)), mapping=mapping)
    schema = _without_import_stamp("import_structure")
    return DocImport(
        settings,
        problems_frame([]),
        source=_source(raw, settings, doc_id, "struktur", "Struktur")
        | {"year": settings.year, "unit": None},
        structure=pl.DataFrame([{k: e.get(k) for k in schema} for e in out], schema=schema),
        notes=tuple(notes),
        mapping=mapping,
    )


def default_catalogue(org_id: str = "") -> Catalogue:
    """SCB's verksamhet codes: the structure of an organisation that has none of its own."""
    by_code = {v.code: v for v in scb_codes()}
    by_name = {normalise(v.name): v for v in scb_codes()}
    return Catalogue(org_id, "SCB:s verksamhetskoder i Räkenskapssammandraget", by_code, by_name)


def structure_catalogue(org_id: str, structure: pl.DataFrame, known: pl.DataFrame) -> Catalogue:
    """The verksamheter an import may name: the organisation's own structure (the latest
    active ``struktur`` import, with its mappings), else the verksamheter of its documents
    and SCB's codes (``catalogue.catalogue_for``)."""
    from budgetrummet.upload.catalogue import catalogue_for

    if structure.is_empty():
        return catalogue_for(org_id, known) if not known.is_empty() else default_catalogue(org_id)
    by_code: dict[str, Verksamhet] = {}
    by_name: dict[str, Verksamhet] = {}
    own = structure.filter(pl.col("level") == "verksamhet")
    for r in own.iter_rows(named=True):
        v = Verksamhet(line_key=r["line_key"], code=r["code"], name=r["name"])
        if r["code"]:
            by_code[r["code"]] = v
        by_name[normalise(r["name"])] = v
        if r["code"]:
            by_name[normalise(f"{r['code']} {r['name']}")] = v
    keyed = {v.line_key: v for v in by_name.values()}
    for r in structure.filter(pl.col("level") != "verksamhet").iter_rows(named=True):
        target = keyed.get(r["maps_to"])
        if target is None:
            continue
        by_name.setdefault(normalise(r["name"]), target)
        if r["code"]:
            by_name.setdefault(normalise(r["code"]), target)
    levels = sorted(set(structure["level"].to_list()) - {"verksamhet"})
    scheme = f"organisationens egna verksamheter ({own.height} st)"
    if levels:
        scheme += " med " + " och ".join(levels) + " kopplade till verksamhet"
    return Catalogue(org_id, scheme, by_code, by_name)


def mapping_json(mapping: tuple[tuple[str, str], ...]) -> str:
    return json.dumps(dict(mapping), ensure_ascii=False, sort_keys=True)


# ------------------------------------------------------------------ the Swedish report


def summary_lines(result: DocImport) -> list[str]:
    """What a valid file will store, in Swedish (the page and the command line)."""
    source = result.source
    lines = [f"Filen är felfri: {source['title']}."]
    counts = [
        (result.figures.height, "belopp"),
        (result.texts.height, "texter"),
        (result.goals.height, "mål"),
        (result.indicators.height, "indikatorer"),
        (result.structure.height, "strukturrader"),
    ]
    shown = [f"{n} {what}" for n, what in counts if n]
    if shown:
        lines.append("Sparas: " + ", ".join(shown) + ".")
    if result.mapping:
        lines.append("Kolumner: " + "; ".join(f"{h} = {f}" for h, f in result.mapping) + ".")
    lines.extend(result.notes)
    return lines


def findings_table(findings: pl.DataFrame) -> pl.DataFrame:
    """The reconciliation of the file's printed totals, as the page and CLI show it."""
    from budgetrummet import fmt

    return pl.DataFrame(
        {
            "Rad": [str(r) for r in findings["source_line"].to_list()],
            "Kolumn": findings["column_label"].to_list(),
            "Summarad": findings["line_label"].to_list(),
            "Tryckt": [
                f"{p}\u00a0{u}"
                for p, u in zip(findings["reported_printed"], findings["unit"], strict=True)
            ],
            "Skillnad mot raderna": [
                f"{fmt.number(abs(d))}\u00a0{u}"
                for d, u in zip(findings["difference"], findings["unit"], strict=True)
            ],
            "Bedömning": findings["klass"].to_list(),
        },
        schema={
            c: pl.String
            for c in ("Rad", "Kolumn", "Summarad", "Tryckt", "Skillnad mot raderna", "Bedömning")
        },
    )
