"""Adding an organisation: admin only, checked by ``budgetrummet.orgs.check``, audited."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from budgetrummet import access, store, tables
from budgetrummet.orgs import TABLE, NewOrganisation, OrganisationRefusedError, check


def add(
    new: NewOrganisation,
    actor: access.Actor | None,
    existing: pl.DataFrame,
    *,
    root: Path | None = None,
    now: datetime | None = None,
) -> NewOrganisation:
    """Add the organisation (admin only), audited; ``OrganisationRefusedError`` otherwise."""
    actor = access.require(actor, "org:add", root=root)
    parent_kommunkod = None
    if new.parent_org_id is not None and "kommunkod" in existing.columns:
        match = existing.filter(pl.col("org_id") == new.parent_org_id)
        parent_kommunkod = match["kommunkod"][0] if match.height else None
    cleaned = NewOrganisation(
        org_id=new.org_id,
        name=" ".join((new.name or "").split()),
        kind=new.kind,
        kommunkod=new.kommunkod or parent_kommunkod,
        parent_org_id=new.parent_org_id,
    )
    problems = check(cleaned, existing)
    if problems:
        raise OrganisationRefusedError(" ".join(problems))
    row = pl.DataFrame(
        {
            "org_id": [cleaned.org_id],
            "org_name": [cleaned.name],
            "kind": [cleaned.kind],
            "kommunkod": [cleaned.kommunkod],
            "parent_org_id": [cleaned.parent_org_id],
            "created_by": [actor.name.strip()],
            "created_at": [now or datetime.now(UTC)],
        },
        schema=tables.USER_TABLES[TABLE],
    )
    store.append_rows(
        TABLE,
        row,
        action="lägg till organisation",
        who=actor.name.strip(),
        details={
            "org_id": cleaned.org_id,
            "kind": cleaned.kind,
            "kommunkod": cleaned.kommunkod,
            "parent_org_id": cleaned.parent_org_id,
        },
        root=root,
    )
    return cleaned
