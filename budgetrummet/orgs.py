"""The organisation register: Sweden's 290 municipalities as reference, and the
organisations an admin adds (a municipality, one of its boards, or a förbund).

Nothing in code names an organisation. The seed documents bring their own
organisations (``data/sources/sources.csv``); an admin adds others here, from the page
or the command line, and the ``organisations`` view is the union of both. An
organisation id is a plain slug (it becomes part of a file path and of the URL), a name
is stored and shown as text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from budgetrummet import seed
from budgetrummet.seed import REPO_ROOT

KOMMUNER_FILE = REPO_ROOT / "data" / "reference" / "kommuner.csv"
KOMMUN = "kommun"
NAMND = "namnd"
FORBUND = "forbund"
KINDS: dict[str, str] = {
    KOMMUN: "Kommun",
    NAMND: "Nämnd eller styrelse",
    FORBUND: "Kommunalförbund",
}
ORG_ID = seed.ORG_ID
NAME_MAX = 120
# A name is shown in every page's title: characters that Markdown or HTML would read as
# formatting, a link or a tag are refused, so the name is always shown as the text it is.
NAME_FORBIDDEN = set("\\`*_[]<>$~|#!{}")
TABLE = "organisations_added"


class OrganisationRefusedError(ValueError):
    """An organisation that cannot be added; the message is Swedish."""


@cache
def kommuner(path: Path = KOMMUNER_FILE) -> dict[str, str]:
    """kommunkod -> name, in SCB's order (all 290 municipalities)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["kommunkod"]: r["namn"] for r in csv.DictReader(fh)}


def slug(text: str) -> str:
    """A plain id from a name: ``Kultur- och fritidsnämnden`` -> ``kultur_och_fritidsnamnden``."""
    table = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU")
    cleaned = re.sub(r"[^a-z0-9]+", "_", text.translate(table).casefold()).strip("_")
    return cleaned[:40].rstrip("_")


@dataclass(frozen=True)
class NewOrganisation:
    org_id: str
    name: str
    kind: str
    kommunkod: str | None = None
    parent_org_id: str | None = None


def check(new: NewOrganisation, existing: pl.DataFrame) -> list[str]:
    """Every reason (Swedish) the organisation cannot be added; empty when it can.

    ``existing`` has ``org_id``, ``org_name`` and ``kommunkod`` (query ``org_registry``).
    """
    problems = []
    known = set(existing["org_id"].to_list())
    if not ORG_ID.match(new.org_id or ""):
        problems.append(
            f"Organisations-id ”{new.org_id}” är inte giltigt: 2–40 tecken, små bokstäver a–z, "
            "siffror, _ och -, och det ska börja med en bokstav eller siffra."
        )
    elif new.org_id in known:
        problems.append(f"Organisations-id ”{new.org_id}” finns redan.")
    name = (new.name or "").strip()
    if not name:
        problems.append("Namnet saknas.")
    elif len(name) > NAME_MAX or any(ord(c) < 32 for c in name):
        problems.append(f"Namnet får vara högst {NAME_MAX} tecken, utan radbrytningar.")
    elif NAME_FORBIDDEN & set(name):
        shown = " ".join(sorted(NAME_FORBIDDEN & set(name)))
        problems.append(f"Namnet får inte innehålla tecknen {shown}.")
    if new.kind not in KINDS:
        problems.append(f"Okänd typ ”{new.kind}”; giltiga är {', '.join(KINDS)}.")
    if new.kommunkod is not None and new.kommunkod not in kommuner():
        problems.append(f"Kommunkoden ”{new.kommunkod}” finns inte bland SCB:s 290 kommuner.")
    if new.kind == KOMMUN and new.kommunkod is None:
        problems.append("En kommun behöver sin kommunkod (SCB:s fyrsiffriga regionkod).")
    taken = set(existing["kommunkod"].drop_nulls().to_list()) if "kommunkod" in existing else set()
    if new.kind == KOMMUN and new.kommunkod in taken:
        problems.append(f"Kommunen med kommunkod {new.kommunkod} finns redan.")
    if new.parent_org_id is not None and new.parent_org_id not in known:
        problems.append(f"Överordnad organisation ”{new.parent_org_id}” finns inte.")
    if new.kind == NAMND and new.parent_org_id is None:
        problems.append("En nämnd eller styrelse behöver sin kommun som överordnad organisation.")
    return problems
