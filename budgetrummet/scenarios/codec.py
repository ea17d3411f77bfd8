"""Scenarios as links and as saved JSON: parsing and writing the parameters."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from budgetrummet import vocab
from budgetrummet.scenarios.baseline import Baseline
from budgetrummet.scenarios.common import (
    AMOUNT_LIMIT,
    INDEX_MAX,
    INDEX_MIN,
    NAME_MAX,
    REQUIREMENT_MAX,
    REQUIREMENT_MIN,
    ZERO,
    ScenarioInputError,
)
from budgetrummet.scenarios.levers import ScenarioParams, check_params, document_params
from budgetrummet.scenarios.maths import round_to

#
# A scenario travels as plain strings: in the URL (``?krav_2026=2.5&undantag=vh45``) and,
# inside a small JSON object, in the ``scenarios`` table. Both are parsed by the same
# strict validator; nothing is evaluated or unpickled. Only levers that differ from the
# document's own are written, so a plain link means "the document".

_NUMBER = re.compile(r"^[+\-\u2212]?\d{1,9}([.,]\d{1,3})?$")
_KEY = re.compile(r"^[a-z0-9_:]{1,60}$")
_YEAR = re.compile(r"^\d{4}$")
LEVER_PREFIXES = ("krav_", "index_", "risk_", "ovriga_")
EXEMPT_PARAM = "undantag"
MAX_PARAMS = 60
MAX_VALUE_LENGTH = 400


def _number(text: str, what: str, decimals: int, problems: list[str]) -> Decimal | None:
    cleaned = text.strip()
    for sep in (" ", "\u00a0", "\u202f", "\u2009"):  # thousands separators as Swedes type them
        cleaned = cleaned.replace(sep, "")
    if not _NUMBER.match(cleaned):
        problems.append(f"{what}: ”{text[:40]}” är inte ett tal.")
        return None
    value = Decimal(cleaned.replace("\u2212", "-").replace(",", "."))
    if value != round_to(value, Decimal(1).scaleb(-decimals)):
        problems.append(
            f"{what}: ange ett helt tal."
            if decimals == 0
            else f"{what}: högst {decimals} decimal{'er' if decimals > 1 else ''}."
        )
        return None
    return value


def _years(text: str, what: str, problems: list[str]) -> tuple[int, ...] | None:
    parts = [t.strip() for t in text.split(",") if t.strip()]
    if not parts or not all(_YEAR.match(t) for t in parts):
        problems.append(f"{what}: ”{text[:40]}” är inte en lista med årtal.")
        return None
    return tuple(int(t) for t in parts)


def _fmt_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def is_lever_param(name: str) -> bool:
    return name == EXEMPT_PARAM or name.startswith(LEVER_PREFIXES)


def params_from_mapping(b: Baseline, mapping: Mapping[str, str]) -> ScenarioParams:
    """Levers from plain strings (a link's query parameters or a saved scenario).

    Starts from the document's levers; parameters that are not levers (``org`` …) are
    ignored. Raises ``ScenarioInputError`` listing every problem; nothing is applied then.
    """
    problems: list[str] = []
    levers = {k: v for k, v in mapping.items() if is_lever_param(k)}
    if len(levers) > MAX_PARAMS:
        raise ScenarioInputError([f"För många parametrar i länken ({len(levers)})."])
    doc = document_params(b)
    requirement = dict(doc.requirement)
    index = dict(doc.index)
    exempt: set[str] = set()
    risks: dict[str, list] = {}
    others: dict[int, Decimal] = {}
    decimals = vocab.decimals(b.unit)
    for name, raw in sorted(levers.items()):
        if not isinstance(raw, str) or len(raw) > MAX_VALUE_LENGTH:
            problems.append(f"{name}: ogiltigt värde.")
            continue
        if name == EXEMPT_PARAM:
            keys = [k.strip() for k in raw.split(",") if k.strip()]
            bad = [k for k in keys if not _KEY.match(k)]
            if bad:
                problems.append(f"undantag: ”{bad[0][:40]}” är ingen verksamhetskod.")
            exempt.update(k for k in keys if _KEY.match(k))
            continue
        prefix, _, rest = name.partition("_")
        if prefix in ("krav", "index", "ovriga"):
            if not _YEAR.match(rest):
                problems.append(f"{name}: okänd parameter.")
                continue
            year = int(rest)
            what = {
                "krav": "Effektiviseringskravet",
                "index": "Indexjusteringen",
                "ovriga": "Övriga nämnders nettokostnad",
            }[prefix]
            places = decimals if prefix == "ovriga" else 1
            value = _number(raw, f"{what} {year}", places, problems)
            if value is None:
                continue
            if prefix == "krav" and not REQUIREMENT_MIN <= value <= REQUIREMENT_MAX:
                problems.append(f"Effektiviseringskravet {year} måste vara mellan 0 och 5 %.")
                continue
            if prefix == "index" and not INDEX_MIN <= value <= INDEX_MAX:
                problems.append(f"Indexjusteringen {year} måste vara mellan −5 och +5 %.")
                continue
            {"krav": requirement, "index": index, "ovriga": others}[prefix][year] = value
        elif prefix == "risk":
            key, is_years = (rest[: -len("_ar")], True) if rest.endswith("_ar") else (rest, False)
            if b.risk(key) is None:
                problems.append(f"{name}: okänd kostnadsrisk.")
                continue
            entry = risks.setdefault(key, [None, None])
            label = f"”{b.risk(key).label}”"
            if is_years:
                entry[1] = _years(raw, f"Åren för {label}", problems)
            else:
                entry[0] = _number(raw, f"Beloppet för {label}", decimals, problems)
        else:
            problems.append(f"{name}: okänd parameter.")
    risk_list = []
    for key, (amount, years) in sorted(risks.items()):
        if amount is None:
            if years is not None:
                problems.append(f"risk_{key}_ar utan belopp (risk_{key}).")
            continue
        if not ZERO <= amount <= AMOUNT_LIMIT:
            problems.append(
                f"Beloppet för ”{b.risk(key).label}” måste vara mellan 0 och 1 000 000."
            )
            continue
        chosen = years if years is not None else b.risk(key).default_years
        if amount > 0 and chosen:
            risk_list.append((key, amount, chosen))
    if problems:
        raise ScenarioInputError(problems)
    params = ScenarioParams(
        requirement=requirement,
        index=index,
        exempt=frozenset(exempt),
        risks=risk_list,
        other_boards=others,
    )
    check_params(b, params)
    return params


def params_to_mapping(b: Baseline, p: ScenarioParams) -> dict[str, str]:
    """The levers that differ from the document's, as plain strings (for a link or JSON)."""
    doc = document_params(b)
    out: dict[str, str] = {}
    doc_req, doc_idx = dict(doc.requirement), dict(doc.index)
    for year, pct in p.requirement:
        if pct != doc_req.get(year, ZERO):
            out[f"krav_{year}"] = _fmt_decimal(pct)
    for year, pct in p.index:
        if pct != doc_idx.get(year, ZERO):
            out[f"index_{year}"] = _fmt_decimal(pct)
    if p.exempt:
        order = {k: i for i, k in enumerate(b.carrying_keys())}
        out[EXEMPT_PARAM] = ",".join(sorted(p.exempt, key=lambda k: (order.get(k, 999), k)))
    for key, amount, years in p.risks:
        if amount <= 0 or not years:
            continue
        out[f"risk_{key}"] = _fmt_decimal(amount)
        risk = b.risk(key)
        if risk is None or tuple(years) != risk.default_years:
            out[f"risk_{key}_ar"] = ",".join(str(y) for y in years)
    for year, amount in p.other_boards:
        out[f"ovriga_{year}"] = _fmt_decimal(amount)
    return out


SAVED_FORMAT = 1


def params_to_json(b: Baseline, p: ScenarioParams) -> str:
    body = {"format": SAVED_FORMAT, "doc_id": b.doc_id, "levers": params_to_mapping(b, p)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def params_from_json(b: Baseline, text: str) -> ScenarioParams:
    """A saved scenario's levers, validated exactly like a link's."""
    try:
        body = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ScenarioInputError(["Det sparade scenariot går inte att läsa."]) from exc
    if not isinstance(body, dict) or body.get("format") != SAVED_FORMAT:
        raise ScenarioInputError(["Det sparade scenariot har ett okänt format."])
    if body.get("doc_id") != b.doc_id:
        raise ScenarioInputError(["Det sparade scenariot gäller ett annat dokument."])
    levers = body.get("levers")
    if not isinstance(levers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in levers.items()
    ):
        raise ScenarioInputError(["Det sparade scenariot har ogiltiga reglage."])
    return params_from_mapping(b, levers)


def clean_name(name: str) -> str:
    """A scenario name as stored: trimmed, single spaces; refused if empty or odd."""
    text = " ".join((name or "").split())
    if not text:
        raise ScenarioInputError(["Ge scenariot ett namn."])
    if len(text) > NAME_MAX:
        raise ScenarioInputError([f"Namnet får vara högst {NAME_MAX} tecken."])
    if any(unicodedata.category(c).startswith("C") or c in "<>" for c in text):
        raise ScenarioInputError(["Namnet innehåller otillåtna tecken."])
    return text
