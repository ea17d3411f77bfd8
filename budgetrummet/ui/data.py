"""Thin cached wrappers around ``budgetrummet.db``: the only way pages read data.

``st.cache_data`` keys on the query name, its parameters and the manifest stamp, so
a new publication (a rebuild or, later, an upload) is visible on the next rerun and
never mixes with frames cached from the previous one.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from budgetrummet import build, db, store


@st.cache_resource(show_spinner=False)
def _ensure_warehouse(root: str) -> str:
    """Build the warehouse once per process if it is missing (make run does it first)."""
    build.ensure_built()
    return root


def ensure_warehouse() -> None:
    with st.spinner("Bygger datalagret från källdokumenten …"):
        _ensure_warehouse(str(store.data_dir()))


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(
    name: str,
    root: str,
    stamp: tuple[int, int] | None,
    params: tuple[tuple[str, object], ...],
) -> pl.DataFrame:
    # ``root`` and ``stamp`` are only cache keys: another data directory or a new
    # publication never reuses a cached frame.
    return db.run_query(name, **dict(params))


def query(name: str, **params: object) -> pl.DataFrame:
    """A named query's result for the current publication of the warehouse."""
    return _cached(
        name, str(store.data_dir()), store.manifest_stamp(), tuple(sorted(params.items()))
    )


def audit_entries() -> list[dict]:
    return store.read_audit()
