"""Thin cached wrappers around ``budgetrummet.db``: the only way pages read data.

Query results are cached per process (``QueryCache``) under the query name, its
parameters and the committed tables' versions (``store.manifest_stamp``), so a new
commit (a rebuild, an upload, from this process or another replica) is visible on the
next rerun and never mixes with frames cached from the previous one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import polars as pl
import streamlit as st

from budgetrummet import build, db, store

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _ensure_warehouse(root: str) -> str:
    """Build the warehouse once per process if it is missing (make run does it first)."""
    build.ensure_built()
    return root


def ensure_warehouse() -> None:
    with st.spinner("Bygger datalagret från källdokumenten …"):
        _ensure_warehouse(str(store.data_dir()))


class QueryCache:
    """Results of named queries, shared by every session of the server process.

    Keyed by query name, parameters, data directory and the tables' versions, so a new
    commit (a rebuild, an upload) is read on the next rerun and never mixes with
    frames from the previous one. Polars frames are immutable, so one frame can be
    handed to every session. A plain dictionary rather than ``st.cache_data``: that
    hashes the arguments and unpickles a copy of the frame on every hit, which added up
    to a noticeable part of every page run (bench/README.md).
    """

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._frames: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._frames:  # a kept None (no baseline, say) is a hit too
                self._frames.move_to_end(key)
                return self._frames[key]
        # Computed outside the lock: two sessions asking at once both run the query,
        # which is cheaper than making every session wait for one.
        frame = compute()
        with self._lock:
            self._frames[key] = frame
            self._frames.move_to_end(key)
            while len(self._frames) > self.max_entries:
                self._frames.popitem(last=False)
        return frame

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()

    def __len__(self) -> int:
        return len(self._frames)


QUERIES = QueryCache()


def _frozen(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _key(name: str, params: dict[str, object]) -> tuple:
    root = store.data_dir()
    return (
        name,
        str(root),
        store.manifest_stamp(root),
        tuple(sorted((k, _frozen(v)) for k, v in params.items())),
    )


def query(name: str, **params: object) -> pl.DataFrame:
    """A named query's result for the current publication of the warehouse."""
    return QUERIES.get(_key(name, params), lambda: db.run_query(name, **params))


def derived(name: str, compute: Callable[[], T], **params: object) -> T:
    """A value built from several queries, kept in the same cache under ``name``, its
    parameters and the tables' versions. ``compute`` reads only through ``query`` and
    depends on nothing but ``params``; the value is shared by every session, so it must
    never be changed after it is built."""
    return QUERIES.get(_key(f"derived:{name}", params), compute)


def prepared(name: str, prepare: Callable[[pl.DataFrame], T], **params: object) -> T:
    """``prepare`` applied to a named query's result, kept in the same cache under the
    query's key and ``prepare``'s name (so it goes with the tables' versions like the
    frame). For a pure function of the frame that a page would otherwise run on every
    rerun, such as the finance page's look-up tables (``finance.prepare``)."""
    key = (*_key(name, params), f"{prepare.__module__}.{prepare.__qualname__}")
    return QUERIES.get(key, lambda: prepare(query(name, **params)))
