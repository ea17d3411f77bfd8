"""Reconciliation: does every printed figure agree with the other figures it implies?

Pure logic over figure records (dicts with the warehouse's ``figures`` columns and two
exact ``Decimal`` values: ``value_printed_num`` as printed and ``value`` after errata).
Nothing here corrects a figure; it only compares and classifies.

Checks, all derived from the seed data's structure except the few explicit rules:

- ``summa``: a printed total against the sum of its lines (``total_of``/``rollup_group``).
- ``netto``: income + cost = net, for the same line, version and year in one document.
- ``avvikelse``: deviation = forecast − budget (and, over a project's life, total
  forecast − total budget), preferring the figures of the same table.
- ``samma_uppgift``: one figure printed in two places (two tables, or a table and the
  text) must be equal; units are converted (mkr → tkr) first.
- ``regel``: explicit rules for relations the tables do not encode (a percentage
  printed next to its amounts, a change between two years), given as data.

Classes: ``stämmer`` (exact), ``avrundning`` (within half a unit of the printed
precision per figure involved), ``erratum`` (contradicts as printed, agrees once a
documented erratum is applied), ``motsägelse`` (anything else).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from budgetrummet.vocab import (
    BUDGET_VERSIONS,
    CONTRADICTION,
    ERRATUM,
    OK,
    ROUNDING,
    UNIT_TO_TKR,
)

# The build reads the class order from here; it is spelled in budgetrummet.vocab.
from budgetrummet.vocab import CLASS_ORDER as CLASS_ORDER

# The same quantity printed under different line keys in different tables of one
# document: (doc_id, table_id, line_key) -> shared identity used by ``samma_uppgift``.
# Generic keys such as ``total`` are only compared through such an alias. The aliases
# are data (``data/seed/config/aliases``), read by :func:`aliases_from_rows`.
Aliases = dict[tuple[str, str, str], str]


def aliases_from_rows(rows: Iterable[dict]) -> Aliases:
    """The alias map from ``config/aliases`` rows."""
    return {(r["doc_id"], r["table_id"], r["line_key"]): r["alias"] for r in rows}


@dataclass(frozen=True)
class Ref:
    """A figure addressed by document, table, line key and printed column label."""

    doc_id: str
    table_id: str
    line_key: str
    column_label: str


@dataclass(frozen=True)
class Rule:
    """An explicit relation: round(scale * sum(coef * term), decimals) == target."""

    rule_id: str
    description: str
    target: Ref
    terms: tuple[tuple[Decimal, Ref], ...]
    scale: Decimal = Decimal(1)
    divide_by: Ref | None = None


@dataclass
class Finding:
    """One check's outcome, ready for the Datakvalitet page."""

    check_id: str
    kind: str
    org_id: str
    doc_id: str
    table_id: str
    table_title: str
    line_label: str
    column_label: str
    source_line: int
    description: str
    unit: str
    reported: Decimal
    computed: Decimal
    difference: Decimal
    tolerance: Decimal
    klass: str
    reported_printed: str
    other: str = ""
    terms: list[str] = field(default_factory=list)


def _unit_step(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _half_unit(rows: Iterable[dict]) -> Decimal:
    """Half a unit of the coarsest printed precision among ``rows`` (in their unit)."""
    return max((_unit_step(r["decimals"]) / 2 for r in rows), default=Decimal(0))


def _classify(diff_fixed: Decimal, diff_printed: Decimal, tolerance: Decimal) -> str:
    if diff_fixed == 0:
        return OK if diff_printed == 0 else ERRATUM
    if abs(diff_fixed) <= tolerance:
        return ROUNDING if abs(diff_printed) <= tolerance else ERRATUM
    return CONTRADICTION


def _where(row: dict) -> str:
    return f"{row['table_title']} · {row['line_label']} · {row['column_label']}"


def _finding(
    check_id: str,
    kind: str,
    target: dict,
    description: str,
    computed_fixed: Decimal,
    computed_printed: Decimal,
    tolerance: Decimal,
    other: str = "",
    terms: Sequence[dict] = (),
) -> Finding:
    diff_fixed = target["value"] - computed_fixed
    diff_printed = target["value_printed_num"] - computed_printed
    return Finding(
        check_id=check_id,
        kind=kind,
        org_id=target["org_id"],
        doc_id=target["doc_id"],
        table_id=target["table_id"],
        table_title=target["table_title"],
        line_label=target["line_label"],
        column_label=target["column_label"],
        source_line=int(target["source_line"]),
        description=description,
        unit=target["unit"],
        reported=target["value"],
        computed=computed_fixed,
        difference=diff_fixed,
        tolerance=tolerance,
        klass=_classify(diff_fixed, diff_printed, tolerance),
        reported_printed=target["value_printed"],
        other=other,
        terms=[f"{t['line_label']} ({t['column_label']}): {t['value_printed']}" for t in terms],
    )


def check_totals(figures: Sequence[dict]) -> list[Finding]:
    """Every printed total against the sum of the lines it claims to total."""
    lines: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures:
        if f["rollup_group"]:
            lines[(f["doc_id"], f["table_id"], f["rollup_group"], f["column_label"])].append(f)
    out = []
    for t in figures:
        if t["row_kind"] != "total":
            continue
        parts = lines.get((t["doc_id"], t["table_id"], t["total_of"], t["column_label"]), [])
        if not parts:
            continue
        fixed = sum((p["value"] for p in parts), Decimal(0))
        printed = sum((p["value_printed_num"] for p in parts), Decimal(0))
        tolerance = _half_unit(parts) * len(parts)
        out.append(
            _finding(
                f"summa:{t['doc_id']}:{t['table_id']}:{t['line_key']}:{t['column_label']}",
                "summa",
                t,
                f"Summan av {len(parts)} rader mot tryckt summa",
                fixed,
                printed,
                tolerance,
                terms=parts,
            )
        )
    return out


def _index(figures: Sequence[dict]) -> dict[tuple, list[dict]]:
    idx: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures:
        idx[(f["doc_id"], f["line_key"], f["measure"], f["version"], f["year"])].append(f)
    return idx


def _pick(candidates: list[dict], table_id: str) -> dict | None:
    """The figure from the same table if there is one, else the only one, else None."""
    same = [c for c in candidates if c["table_id"] == table_id]
    if len(same) == 1:
        return same[0]
    if not same and len({c["table_id"] for c in candidates}) == 1 and len(candidates) == 1:
        return candidates[0]
    return None


def check_net(figures: Sequence[dict]) -> list[Finding]:
    """Income + cost = net for one line, version and year of one document."""
    idx = _index(figures)
    out = []
    for net in figures:
        if net["measure"] != "netto" or net["version"] == "avvikelse" or _is_prose(net):
            continue
        key = (net["doc_id"], net["line_key"])
        inc = _pick(idx.get((*key, "intakt", net["version"], net["year"]), []), net["table_id"])
        cost = _pick(idx.get((*key, "kostnad", net["version"], net["year"]), []), net["table_id"])
        if inc is None or cost is None or inc["unit"] != net["unit"]:
            continue
        out.append(
            _finding(
                f"netto:{net['doc_id']}:{net['table_id']}:{net['line_key']}:{net['column_label']}",
                "netto",
                net,
                "Intäkt + kostnad mot tryckt netto",
                inc["value"] + cost["value"],
                inc["value_printed_num"] + cost["value_printed_num"],
                _half_unit((inc, cost, net)) * 2,
                other="" if inc["table_id"] == net["table_id"] else _where(inc),
                terms=(inc, cost),
            )
        )
    return out


def check_deviation(figures: Sequence[dict]) -> list[Finding]:
    """Deviation = forecast − budget, per line (and per project life)."""
    idx = _index(figures)
    pairs = {
        "avvikelse": ("prognos", BUDGET_VERSIONS),
        "projekt_avvikelse": ("projekt_prognos", ("projekt_budget",)),
    }
    out = []
    for dev in figures:
        if dev["version"] not in pairs or _is_prose(dev):
            continue
        forecast_version, budget_versions = pairs[dev["version"]]
        key = (dev["doc_id"], dev["line_key"], dev["measure"])
        fc = _pick(idx.get((*key, forecast_version, dev["year"]), []), dev["table_id"])
        bud = None
        for bv in budget_versions:
            bud = _pick(idx.get((*key, bv, dev["year"]), []), dev["table_id"])
            if bud is not None:
                break
        if fc is None or bud is None or fc["unit"] != dev["unit"] or bud["unit"] != dev["unit"]:
            continue
        out.append(
            _finding(
                f"avvikelse:{dev['doc_id']}:{dev['table_id']}:{dev['line_key']}:{dev['column_label']}",
                "avvikelse",
                dev,
                "Prognos − budget mot tryckt avvikelse",
                fc["value"] - bud["value"],
                fc["value_printed_num"] - bud["value_printed_num"],
                _half_unit((fc, bud, dev)) * 2,
                other="" if fc["table_id"] == dev["table_id"] else _where(fc),
                terms=(fc, bud),
            )
        )
    return out


# Line keys that name a position in one table ("the total", "income"), not a thing:
# two tables' "total" rows are the same quantity only when an alias says so.
GENERIC_KEYS = {
    "total",
    "intakter",
    "kostnader",
    "nettokostnad",
    "resultat",
    "personalkostnader",
    "kapitalkostnader",
}
# Prose prints amounts without sign and says the sign in words ("ett underskott på
# 5 117 tkr", "reinvesteringar upp till 3 215 tkr"), so prose is compared by magnitude.
PROSE = "löptext"


def _is_prose(f: dict) -> bool:
    return f["column_label"] == PROSE


def _identity(f: dict, aliases: Aliases) -> str | None:
    alias = aliases.get((f["doc_id"], f["table_id"], f["line_key"]))
    if alias:
        return alias
    if f["line_key"] in GENERIC_KEYS or f["line_key"].startswith("summa:"):
        return None
    return f["line_key"]


def check_same_figure(figures: Sequence[dict], aliases: Aliases | None = None) -> list[Finding]:
    """A figure printed in several places of an organisation's documents must agree.

    The first place (document order, then table order) is the reference; every other
    place is compared with it after converting mkr to tkr.
    """
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in figures:
        ident = _identity(f, aliases or {})
        if ident is None or f["unit"] not in UNIT_TO_TKR and f["unit"] != "procent":
            continue
        unit_class = "pengar" if f["unit"] in UNIT_TO_TKR else f["unit"]
        key = (f["org_id"], ident, f["measure"], f["version"], f["year"], f["as_of"], unit_class)
        groups[key].append(f)
    out = []
    for members in groups.values():
        places = {(m["doc_id"], m["table_id"]) for m in members}
        if len(places) < 2:
            continue
        ordered = sorted(members, key=lambda m: (m["doc_id"], m["_order"]))
        ref = ordered[0]
        for other in ordered[1:]:
            if (other["doc_id"], other["table_id"]) == (ref["doc_id"], ref["table_id"]):
                continue
            scale = UNIT_TO_TKR.get(other["unit"], Decimal(1)) / UNIT_TO_TKR.get(
                ref["unit"], Decimal(1)
            )
            tolerance = max(_half_unit((other,)) * scale, _half_unit((ref,)))
            by_magnitude = _is_prose(other) or _is_prose(ref)

            def adjust(v: Decimal, by_magnitude: bool = by_magnitude) -> Decimal:
                return abs(v) if by_magnitude else v

            target = {
                **other,
                "value": adjust(other["value"] * scale),
                "value_printed_num": adjust(other["value_printed_num"] * scale),
                "unit": ref["unit"],
            }
            finding = _finding(
                f"samma:{other['doc_id']}:{other['table_id']}:{other['line_key']}:"
                f"{other['column_label']}:{other['row_no']}",
                "samma_uppgift",
                target,
                "Samma belopp i löptext och tabell (jämförs utan tecken)"
                if by_magnitude
                else "Samma uppgift tryckt på två ställen",
                adjust(ref["value"]),
                adjust(ref["value_printed_num"]),
                tolerance,
                other=f"{ref['doc_id']}: {_where(ref)} (rad {ref['source_line']})",
                terms=(ref,),
            )
            out.append(finding)
    return out


def _lookup(figures: Sequence[dict], ref: Ref) -> dict | None:
    hits = [
        f
        for f in figures
        if (f["doc_id"], f["table_id"], f["line_key"], f["column_label"])
        == (ref.doc_id, ref.table_id, ref.line_key, ref.column_label)
    ]
    return hits[0] if len(hits) == 1 else None


def check_rules(figures: Sequence[dict], rules: Sequence[Rule]) -> tuple[list[Finding], list[str]]:
    """Evaluate explicit rules; returns findings and the ids of rules whose figures are missing."""
    out, missing = [], []
    for rule in rules:
        target = _lookup(figures, rule.target)
        terms = [(c, _lookup(figures, r)) for c, r in rule.terms]
        divisor = _lookup(figures, rule.divide_by) if rule.divide_by else None
        if (
            target is None
            or any(t is None for _, t in terms)
            or (rule.divide_by and divisor is None)
        ):
            missing.append(rule.rule_id)
            continue

        def value(col: str, terms=terms, divisor=divisor, rule=rule, target=target) -> Decimal:
            total = sum((c * t[col] for c, t in terms), Decimal(0)) * rule.scale
            if divisor is not None:
                total = total / divisor[col]
            return total.quantize(_unit_step(target["decimals"]))

        out.append(
            _finding(
                f"regel:{rule.rule_id}",
                "regel",
                target,
                rule.description,
                value("value"),
                value("value_printed_num"),
                _unit_step(target["decimals"]) / 2,
                terms=[t for _, t in terms] + ([divisor] if divisor else []),
            )
        )
    return out, missing


def rules_from_rows(rows: Iterable[dict]) -> tuple[Rule, ...]:
    """Rules from ``config/rules`` rows: one target, terms with coefficients, a divisor.

    Every rule kind the documents print is this one linear form: a share ("1 907 tkr =
    1,7 % of 115 021": term, scale 100, divisor), a difference (two terms, ±1), a sum of
    parts (terms of coefficient 1 or −1 where text prints amounts without sign).
    """
    grouped: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        grouped[r["rule_id"]].append(r)
    out = []
    for rule_id, parts in grouped.items():
        target = next(p for p in parts if p["role"] == "target")
        divisor = next((p for p in parts if p["role"] == "divisor"), None)

        def ref(p: dict) -> Ref:
            return Ref(p["doc_id"], p["table_id"], p["line_key"], p["column_label"])

        out.append(
            Rule(
                rule_id,
                target["description"],
                target=ref(target),
                terms=tuple((Decimal(p["coef"]), ref(p)) for p in parts if p["role"] == "term"),
                scale=Decimal(target["scale"] or 1),
                divide_by=ref(divisor) if divisor else None,
            )
        )
    return tuple(out)


def _number_in(ref: str) -> Decimal | None:
    digits = "".join(ch for ch in ref if ch.isdigit())
    return Decimal(digits) if digits else None


def _text_finding(check_id: str, kind: str, row: dict, **fields: object) -> Finding:
    base = {
        "check_id": check_id,
        "kind": kind,
        "org_id": row["org_id"],
        "doc_id": row["doc_id"],
        "table_id": row.get("table_id", ""),
        "source_line": int(row["source_line"]),
        "unit": "nummer",
        "tolerance": Decimal(0),
        "klass": CONTRADICTION,
    }
    return Finding(**(base | fields))


def check_references(
    texts: Sequence[dict],
    labels: dict[tuple[str, str, str], str] | None = None,
    titles: dict[tuple[str, str], str] | None = None,
) -> list[Finding]:
    """A table's "Analys N" reference must lead to an analysis numbered N for that line.

    ``labels`` maps (doc_id, table_id, line_key) to the printed line label and
    ``titles`` (doc_id, table_id) to the printed table title.
    """
    labels = labels or {}
    titles = titles or {}
    analyses: dict[tuple[str, str], dict] = {}
    for t in texts:
        if t["kind"] == "analys":
            analyses.setdefault((t["doc_id"], t["line_key"]), t)
    out = []
    for ref in texts:
        if ref["kind"] != "analysreferens":
            continue
        target = analyses.get((ref["doc_id"], ref["line_key"]))
        wanted = _number_in(ref["ref"])
        if wanted is None:
            continue
        found = _number_in(target["ref"]) if target else None
        if found == wanted:
            continue
        out.append(
            _text_finding(
                f"referens:{ref['doc_id']}:{ref['table_id']}:{ref['line_key']}",
                "referens",
                ref,
                table_title=titles.get((ref["doc_id"], ref["table_id"]), ref["table_id"]),
                line_label=labels.get(
                    (ref["doc_id"], ref["table_id"], ref["line_key"]), ref["line_key"]
                ),
                column_label="Analys",
                description=(
                    f"Tabellen hänvisar till {ref['ref']}, men analysen för raden är "
                    f"numrerad {target['ref']}"
                    if target
                    else f"Tabellen hänvisar till {ref['ref']}, men någon sådan analys finns inte"
                ),
                reported=wanted,
                computed=found if found is not None else Decimal(0),
                difference=wanted - (found or Decimal(0)),
                reported_printed=ref["ref"],
                other=(
                    f"{titles.get((target['doc_id'], target['table_id']), target['table_id'])}, "
                    f"rad {target['source_line']}"
                    if target
                    else ""
                ),
            )
        )
    return out


def check_goal_numbering(goals: Sequence[dict]) -> list[Finding]:
    """Goals of a målområde are numbered 1..n; a gap means a goal is missing in the source."""
    numbered = [g for g in goals if g["goal_no"].isdigit() and g["malomrade_no"]]
    per_doc: dict[str, list[str]] = defaultdict(list)
    for g in numbered:
        per_doc[g["doc_id"]].append(g["goal_no"])
    # Some documents number goals through the whole document ("Kommunstyrelsens mål 3"
    # under målområde 2), others restart in every målområde; check the scheme used.
    restarts = {doc for doc, nos in per_doc.items() if len(nos) != len(set(nos))}
    by_area: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for g in numbered:
        area = g["malomrade_no"] if g["doc_id"] in restarts else ""
        by_area[(g["doc_id"], area)].append(g)
    out = []
    for (doc_id, area), members in sorted(by_area.items()):
        numbers = sorted(int(g["goal_no"]) for g in members)
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        if not missing:
            continue
        first = min(members, key=lambda g: int(g["source_line"]))
        listed = ", ".join(str(n) for n in missing)
        out.append(
            _text_finding(
                f"numrering:{doc_id}:{area}",
                "numrering",
                first,
                table_id="goals",
                table_title=f"Nämndmål, målområde {area}: {first['malomrade_title']}",
                line_label=f"Mål {listed}",
                column_label="Nummer",
                description=(
                    f"Målen är numrerade upp till {numbers[-1]} men mål {listed} finns inte "
                    "i dokumentet"
                ),
                reported=Decimal(numbers[-1]),
                computed=Decimal(len(numbers)),
                difference=Decimal(numbers[-1] - len(numbers)),
                reported_printed=str(numbers[-1]),
            )
        )
    return out


def finding_row(f: Finding) -> dict:
    """One finding as a row of the reconciliation tables (the seed's and an import's)."""
    return {
        "check_id": f.check_id,
        "kind": f.kind,
        "org_id": f.org_id,
        "doc_id": f.doc_id,
        "table_id": f.table_id,
        "table_title": f.table_title,
        "line_label": f.line_label,
        "column_label": f.column_label,
        "source_line": f.source_line,
        "description": f.description,
        "unit": f.unit,
        "reported": f.reported,
        "reported_printed": f.reported_printed,
        "computed": f.computed,
        "difference": f.difference,
        "tolerance": f.tolerance,
        "klass": f.klass,
        "klass_order": CLASS_ORDER[f.klass],
        "other": f.other,
        "terms": " | ".join(f.terms),
    }
