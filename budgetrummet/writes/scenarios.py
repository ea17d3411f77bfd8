"""Saved scenarios: storing and deleting one, behind the access check.

The levers are validated and written as JSON (``budgetrummet.scenarios``); this module
is the only one that writes the ``scenarios`` table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from budgetrummet import access, store, tables
from budgetrummet.scenarios import (
    Baseline,
    ScenarioInputError,
    ScenarioParams,
    check_params,
    clean_name,
    params_to_json,
)

SCENARIO_TABLE = "scenarios"


def save_scenario(
    b: Baseline,
    p: ScenarioParams,
    name: str,
    actor: access.Actor | None,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    root: Path | None = None,
) -> str:
    """Store the scenario durably under ``name``; returns its id.

    Refuses (``ScenarioInputError`` / ``AccessDeniedError``) before anything is written:
    an empty or over-long name, a name already used for this organisation, no actor.
    The duplicate check runs under the store's write lock, so two people saving the same
    name at once cannot both succeed.
    """
    check_params(b, p)
    text = clean_name(name)
    params_json = params_to_json(b, p)
    who = access.require(actor, "scenario:save", root=root)
    scenario_id = uuid.uuid4().hex
    row = pl.DataFrame(
        [
            {
                "scenario_id": scenario_id,
                "org_id": b.org_id,
                "name": text,
                "params_json": params_json,
                "saved_by": who.name.strip(),
                "saved_at": now(),
            }
        ],
        schema=tables.USER_TABLES[SCENARIO_TABLE],
    )

    def add(current: pl.DataFrame) -> pl.DataFrame:
        taken = current.filter(
            (pl.col("org_id") == b.org_id) & (pl.col("name").str.to_lowercase() == text.lower())
        )
        if taken.height:
            raise ScenarioInputError(
                [f"Det finns redan ett scenario som heter ”{text}”. Välj ett annat namn."]
            )
        return pl.concat([current, row], how="vertical_relaxed")

    store.replace_table(
        SCENARIO_TABLE,
        add,
        action="spara scenario",
        who=who.name.strip(),
        details={"scenario_id": scenario_id, "org_id": b.org_id, "name": text},
        root=root,
    )
    return scenario_id


def delete_scenario(
    org_id: str, scenario_id: str, actor: access.Actor | None, *, root: Path | None = None
) -> None:
    """Remove a saved scenario (the old table file stays on disk and in the audit log)."""
    who = access.require(actor, "scenario:delete", root=root)

    def drop(current: pl.DataFrame) -> pl.DataFrame:
        mask = (pl.col("scenario_id") == scenario_id) & (pl.col("org_id") == org_id)
        if current.filter(mask).height == 0:
            raise ScenarioInputError(["Scenariot finns inte längre – någon kan ha tagit bort det."])
        return current.filter(~mask)

    store.replace_table(
        SCENARIO_TABLE,
        drop,
        action="ta bort scenario",
        who=who.name.strip(),
        details={"scenario_id": scenario_id, "org_id": org_id},
        root=root,
    )
