"""What can be uploaded: the kinds of file, their fields, and the column mapping.

A finance-system export names its columns in many ways (``Vht``, ``Verksamhet``,
``VERKSAMHET_KOD``, ``Belopp``, ``Utfall``, ``UTFALL_SUMMA_KR`` …). Headers are compared
after *normalising* them (lower case, diacritics and punctuation removed), so ``Månad``,
``MANAD`` and ``månad`` are the same header. What the recogniser does not know the user
maps on screen; the mapping of an accepted upload is remembered per organisation and
kind (``remember`` / ``suggest_mapping``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from budgetrummet.upload.units import strip_unit

# Fields a column can be mapped to.
VERKSAMHET = "verksamhet"
VERKSAMHET_NAMN = "verksamhet_namn"
ANSVAR = "ansvar"
KONTO = "konto"
PROJEKT = "projekt"
PERIOD = "period"
AR = "ar"
MANAD = "manad"
PROGNOSDATUM = "prognosdatum"
BELOPP = "belopp"

FIELD_LABELS: dict[str, str] = {
    VERKSAMHET: "Verksamhet (kod och/eller namn)",
    VERKSAMHET_NAMN: "Verksamhetsnamn (egen kolumn)",
    ANSVAR: "Ansvar",
    KONTO: "Konto",
    PROJEKT: "Projekt",
    PERIOD: "Period (ÅÅÅÅMM, ÅÅÅÅ-MM, ÅÅÅÅMMDD)",
    AR: "År",
    MANAD: "Månad",
    PROGNOSDATUM: "Prognosdatum",
    BELOPP: "Belopp",
}
# Column headings of the downloadable templates.
TEMPLATE_HEADERS: dict[str, str] = {
    VERKSAMHET: "Verksamhet",
    VERKSAMHET_NAMN: "Verksamhetsnamn",
    ANSVAR: "Ansvar",
    KONTO: "Konto",
    PROJEKT: "Projekt",
    PERIOD: "Period",
    AR: "År",
    MANAD: "Månad",
    PROGNOSDATUM: "Prognosdatum",
    BELOPP: "Belopp",
}

UTFALL = "utfall"
PROGNOS = "prognos"
INVESTERING = "investering"


@dataclass(frozen=True)
class Kind:
    """A kind of upload: which fields it has and which of them are required."""

    kind: str
    label: str
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    # Fields that identify a row: two rows with the same values are duplicates.
    key: tuple[str, ...]
    # How the period is given: "month" (period column, year + month columns or a month
    # stated for the whole file) or "date" (a forecast date column or stated date).
    period: str
    template_fields: tuple[str, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS: dict[str, Kind] = {
    UTFALL: Kind(
        kind=UTFALL,
        label="Utfall per månad",
        description=(
            "Bokfört utfall för en eller flera månader per verksamhet, gärna med ansvar, "
            "konto och projekt. Beloppet är månadens belopp (inte ackumulerat)."
        ),
        required=(VERKSAMHET, BELOPP),
        optional=(VERKSAMHET_NAMN, ANSVAR, KONTO, PROJEKT, PERIOD, AR, MANAD),
        key=(VERKSAMHET, ANSVAR, KONTO, PROJEKT),
        period="month",
        template_fields=(VERKSAMHET, ANSVAR, KONTO, PROJEKT, PERIOD, BELOPP),
    ),
    PROGNOS: Kind(
        kind=PROGNOS,
        label="Prognos (helår)",
        description=(
            "En prognosomgång: helårsprognosen per verksamhet vid ett visst datum, "
            "t.ex. vid delårsbokslutet."
        ),
        required=(VERKSAMHET, BELOPP),
        optional=(VERKSAMHET_NAMN, ANSVAR, KONTO, PROGNOSDATUM),
        key=(VERKSAMHET, ANSVAR, KONTO),
        period="date",
        template_fields=(VERKSAMHET, PROGNOSDATUM, BELOPP),
    ),
    INVESTERING: Kind(
        kind=INVESTERING,
        label="Investeringsutfall per projekt",
        description="Utfall per investeringsprojekt och månad.",
        required=(PROJEKT, BELOPP),
        optional=(VERKSAMHET, VERKSAMHET_NAMN, KONTO, PERIOD, AR, MANAD),
        key=(PROJEKT, VERKSAMHET, KONTO),
        period="month",
        template_fields=(PROJEKT, VERKSAMHET, KONTO, PERIOD, BELOPP),
    ),
}


def normalise(header: str) -> str:
    """``"Månad "`` -> ``"manad"``, ``"RN1/FÖRVALTNING"`` -> ``"rn1forvaltning"``."""
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


# Header names recognised for each field, already normalised. Exact matches first;
# PREFIXES catch the long export names (``utfallsummakr``, ``kontonummer``).
SYNONYMS: dict[str, tuple[str, ...]] = {
    VERKSAMHET: (
        "verksamhet",
        "verksamheter",
        "vht",
        "vhtkod",
        "verks",
        "verkskod",
        "verksamhetskod",
        "verksamhetkod",
        "verksamhetsomrade",
        "verksomrkom",
        "produktionsomrade",
        "verksamhetproduktionsomrade",
    ),
    VERKSAMHET_NAMN: (
        "verksamhetsnamn",
        "verksamhetnamn",
        "vhtnamn",
        "vhttext",
        "verksamhettext",
        "verksamhetsbenamning",
    ),
    ANSVAR: (
        "ansvar",
        "ansv",
        "ansvarskod",
        "ansvarsomrade",
        "ansvarsenhet",
        "kostnadsstalle",
        "kst",
        "enhet",
        "forvaltning",
        "rn1forvaltning",
    ),
    KONTO: ("konto", "kto", "kontokod", "kontonr", "kontonummer", "baskonto", "kontoslag"),
    PROJEKT: (
        "projekt",
        "proj",
        "projektkod",
        "projektnr",
        "projektnummer",
        "investeringsprojekt",
        "investeringar",
    ),
    PERIOD: ("period", "perioder", "bokforingsperiod", "redovisningsperiod", "period"),
    AR: ("ar", "year", "bokforingsar", "rakenskapsar", "aret"),
    MANAD: ("manad", "man", "mon", "month"),
    PROGNOSDATUM: ("prognosdatum", "datum", "prognostillfalle", "prognosomgang", "per"),
    BELOPP: (
        "belopp",
        "utfall",
        "summa",
        "amount",
        "varde",
        "prognos",
        "helarsprognos",
        "arsprognos",
        "prognoshelar",
        "beloppkr",
        "belopptkr",
        "utfallkr",
        "utfalltkr",
    ),
}
PREFIXES: dict[str, tuple[str, ...]] = {
    VERKSAMHET: ("verksamhetskod",),
    KONTO: ("konto",),
    ANSVAR: ("ansvar",),
    PROJEKT: ("projekt",),
    BELOPP: ("utfall", "belopp", "prognos"),
}
# Headings of the document kinds (budgetrummet.upload.documents) that mark a heading row
# too, so a data row naming a verksamhet is not taken for the headings.
DOCUMENT_HEADINGS = frozenset(
    {"niva", "kod", "namn", "malomrade", "mal", "indikator", "projnr", "projektnr", "prio",
     "totalutgift", "hortill", "scbkod"}
)  # fmt: skip
KNOWN_HEADERS = frozenset(h for names in SYNONYMS.values() for h in names) | DOCUMENT_HEADINGS
# Headers that name another figure than the kind's amount: a forecast's amount is never
# the outcome or the budget column beside it.
NOT_AMOUNT: dict[str, tuple[str, ...]] = {PROGNOS: ("utfall", "budget", "bokslut")}


def _names(header: str) -> tuple[str, ...]:
    """The header normalised, and without its unit and year (``Verksamheter (tkr)`` ->
    ``verksamheter``, ``Utfall 2025`` -> ``utfall``)."""
    full = normalise(header)
    bare = normalise(strip_unit(header))
    return tuple(n for n in dict.fromkeys((full, bare)) if n)


def recognise(
    header: str, fields: Sequence[str], *, exact_only: bool = False, kind: str | None = None
) -> str | None:
    """The field a header names, among ``fields`` (None when it is not recognised)."""
    names = _names(header)
    if not names:
        return None
    excluded = NOT_AMOUNT.get(kind or "", ())
    if any(n.startswith(x) for n in names for x in excluded):
        fields = [f for f in fields if f != BELOPP]
    for field in fields:
        if any(n in SYNONYMS.get(field, ()) for n in names):
            return field
    if exact_only:
        return None
    for field in fields:
        if any(n.startswith(p) for n in names for p in PREFIXES.get(field, ())):
            return field
    return None


def suggest_mapping(
    headers: Sequence[str], kind: str, remembered: Mapping[str, str] | None = None
) -> dict[str, int]:
    """field -> column index: the remembered mapping first, then recognised headers.

    Each field takes the first column that names it; each column serves one field.
    """
    fields = KINDS[kind].fields
    remembered = remembered or {}
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for i, header in enumerate(headers):
        field = remembered.get(normalise(header))
        if field in fields and field not in mapping:
            mapping[field] = i
            used.add(i)
    # Exact names before prefixes: ``konto`` is the account even when ``kontotext``
    # comes first.
    for exact_only in (True, False):
        for i, header in enumerate(headers):
            if i in used:
                continue
            field = recognise(header, fields, exact_only=exact_only, kind=kind)
            if field is not None and field not in mapping:
                mapping[field] = i
                used.add(i)
    return mapping


def remember(headers: Sequence[str], mapping: Mapping[str, int]) -> str:
    """The mapping as JSON keyed by normalised header, to store with an accepted upload."""
    body = {
        normalise(headers[i]): field for field, i in sorted(mapping.items()) if i < len(headers)
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def recall(mapping_json: str | None) -> dict[str, str]:
    """A remembered mapping (normalised header -> field); anything malformed is ignored."""
    if not mapping_json:
        return {}
    try:
        body = json.loads(mapping_json)
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    fields = {f for kind in KINDS.values() for f in kind.fields}
    return {str(k): v for k, v in body.items() if isinstance(v, str) and v in fields}
