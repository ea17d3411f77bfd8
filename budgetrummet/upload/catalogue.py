"""Which verksamheter an upload may name, per organisation.

An upload row is accepted only for a verksamhet the organisation has. What that means
is read from the organisation's own documents (the ``figures`` table), never hard-wired:

* verksamhet codes (``line_key`` ``vhNN``, as in Askersund's budget: ``10``, ``11`` … ``92``)
  are matched by code, or by their printed name (``Parker``);
* produktionsområden (``po:<slug>``, as in Lerum's verksamhetsplan) are matched by their
  printed name, ignoring case and diacritics (``Räddningstjänst`` = ``raddningstjanst``);
* an organisation whose documents code no verksamheter (Lerum) may also use SCB's
  national verksamhet codes of Räkenskapssammandraget (``data/reference``), e.g. ``407``
  Förskola; summary rows (``190``, ``290`` … ``900``) are not verksamheter and are refused.

Each accepted row gets the ``line_key`` the rest of the app joins on: ``vh10``,
``po:ekonomi`` or ``scb:407``.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import polars as pl

from budgetrummet.seed import REPO_ROOT
from budgetrummet.upload.kinds import normalise
from budgetrummet.upload.parsing import split_code

SCB_CODES_FILE = REPO_ROOT / "data" / "reference" / "scb_tab4199_verksomrkom_codes.csv"


@dataclass(frozen=True)
class Verksamhet:
    line_key: str
    code: str | None
    name: str

    @property
    def label(self) -> str:
        """``10 Nämnder/Styrelser``, ``Ekonomi``, ``270 Räddningstjänst (SCB)``."""
        text = f"{self.code} {self.name}" if self.code else self.name
        return f"{text} (SCB)" if self.line_key.startswith("scb:") else text


@dataclass(frozen=True)
class Catalogue:
    """The verksamheter of one organisation, by code and by normalised name."""

    org_id: str
    scheme: str
    by_code: Mapping[str, Verksamhet] = field(default_factory=dict)
    by_name: Mapping[str, Verksamhet] = field(default_factory=dict)

    def resolve(self, text: str | None) -> Verksamhet | None:
        """The verksamhet a cell names (code, ``code name`` or name), else None.

        A code that is not the organisation's is unknown even if a name follows it.
        """
        code, name = split_code(text)
        if code is not None:
            if code in self.by_code:
                return self.by_code[code]
            whole = self.by_name.get(normalise(text or ""))
            return whole
        if name is not None:
            return self.by_name.get(normalise(name))
        return None

    def suggest(self, text: str | None, n: int = 2) -> list[Verksamhet]:
        """Near matches for a name the catalogue does not know, best first.

        ``Idrotts- och fritidsanläggning`` -> ``340 Idrotts- och fritidsanläggningar``;
        ``Alkoholtillstånd`` -> ``267 Alkoholtillstånd m.m.`` (a name that begins the
        catalogue's name, or the other way round, counts as near).
        """
        code, name = split_code(text)
        wanted = normalise(name or text or "")
        if len(wanted) < 4:
            return []
        names = list(self.by_name)
        close = difflib.get_close_matches(wanted, names, n=n, cutoff=0.8)
        if not close:
            close = [k for k in names if len(wanted) >= 6 and k.startswith(wanted)][:n]
        out: list[Verksamhet] = []
        for key in close:
            v = self.by_name[key]
            if v not in out:
                out.append(v)
        return out

    def with_names(self, names: Mapping[str, str]) -> Catalogue:
        """The catalogue with names the organisation has mapped (normalised name ->
        line_key); a mapping to a verksamhet the catalogue lacks is ignored."""
        by_key = {v.line_key: v for v in (*self.by_code.values(), *self.by_name.values())}
        extra = {n: by_key[k] for n, k in names.items() if k in by_key}
        if not extra:
            return self
        return replace(self, by_name={**self.by_name, **extra})

    def examples(self, n: int = 3) -> str:
        """A few accepted names per scheme: ``10 Nämnder/Styrelser, …`` (for messages)."""
        unique = {v.line_key: v for v in (*self.by_code.values(), *self.by_name.values())}
        shown: list[str] = []
        for prefix in ("po:", "vh", "scb:"):
            labels = [v.label for k, v in unique.items() if k.startswith(prefix)]
            shown.extend(labels[:n])
            if len(labels) > n:
                shown.append("…")
        return ", ".join(shown).replace(", …", " …")

    def frame(self) -> pl.DataFrame:
        """All accepted verksamheter (for the template and the page)."""
        unique = {v.line_key: v for v in (*self.by_code.values(), *self.by_name.values())}
        return pl.DataFrame(
            {
                "line_key": [v.line_key for v in unique.values()],
                "code": [v.code for v in unique.values()],
                "name": [v.name for v in unique.values()],
            },
            schema={"line_key": pl.String, "code": pl.String, "name": pl.String},
        )


@cache
def scb_codes(path: Path = SCB_CODES_FILE) -> tuple[Verksamhet, ...]:
    """SCB's verksamhet codes (leaf rows only) from the reference file."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return tuple(
        Verksamhet(line_key=f"scb:{r['kod'].strip()}", code=r["kod"].strip(), name=_tidy(r))
        for r in rows
        if r["summeringsrad"].strip() == "0"
    )


def _tidy(row: dict[str, str]) -> str:
    return " ".join(row["benamning_scb"].split())


def catalogue_for(org_id: str, known: pl.DataFrame) -> Catalogue:
    """The catalogue for ``org_id`` from its documents' verksamheter.

    ``known`` has ``line_key`` and ``line_label`` (query ``upl_verksamheter``).
    """
    by_code: dict[str, Verksamhet] = {}
    by_name: dict[str, Verksamhet] = {}
    coded: set[str] = set()
    areas: set[str] = set()
    pairs = known.select("line_key", "line_label").unique()
    # The fullest printed name of each verksamhet is the one shown ("22 Näringslivsfrämjande
    # åtgärder", not "22 Näringslivsfrämj. åtg"); every printed name is accepted.
    pairs = pairs.sort(["line_key", pl.col("line_label").str.len_chars(), "line_label"])
    for key, label in pairs.iter_rows():
        if key.startswith("vh"):
            code = key[2:]
            _, name = split_code(label)
            v = Verksamhet(line_key=key, code=code, name=name or label)
            by_code[code] = v
            by_name.setdefault(normalise(v.name), v)
            by_name.setdefault(normalise(label), v)
            coded.add(key)
        elif key.startswith("po:"):
            v = Verksamhet(line_key=key, code=None, name=label.strip())
            by_name.setdefault(normalise(v.name), v)
            areas.add(key)
    parts = []
    if coded:
        parts.append(f"verksamhetskoderna i organisationens budgetdokument ({len(coded)} st)")
    if areas:
        parts.append(f"produktionsområdena i organisationens dokument ({len(areas)} st, med namn)")
    if not coded:
        for v in scb_codes():
            by_code.setdefault(v.code, v)
            by_name.setdefault(normalise(v.name), v)
        parts.append("SCB:s verksamhetskoder i Räkenskapssammandraget (t.ex. 407 Förskola)")
    scheme = " och ".join(parts)
    return Catalogue(org_id=org_id, scheme=scheme, by_code=by_code, by_name=by_name)
