"""Shared fixtures: one warehouse built from the real seed files into a temp directory.

Unit tests never touch the user's data folder: ``BUDGETRUMMET_DATA_DIR`` points at a
session temp directory before anything is built or read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetrummet import build, db, store
from budgetrummet.ui import errors

# Names of the SQL files run during this test session (see tests/test_zz_meta.py).
QUERIES_RUN: set[str] = set()
# A few calls of each query that reads one organisation (``db.scoped``): the warehouse's
# data directory and snapshot, and the parameters; tests/test_zz_meta.py runs them again
# on the organisation's own views and on the whole tables and compares.
SCOPED_CALLS: dict[str, list[tuple[Path, object, dict]]] = {}


@pytest.fixture(scope="session", autouse=True)
def _record_queries():
    """Record every named query any test runs, directly or through a page."""
    original = db.Warehouse.run_query

    def recording(self, name: str, **params: object):
        QUERIES_RUN.add(name)
        calls = SCOPED_CALLS.setdefault(name, [])
        call = (self.root, self.snapshot, params)
        if db.scoped(name) and len(calls) < 4 and call not in calls:
            calls.append(call)
        return original(self, name, **params)

    db.Warehouse.run_query = recording
    yield
    db.Warehouse.run_query = original


@pytest.fixture(scope="session", autouse=True)
def _page_errors_fail_tests():
    """A page error is raised, not turned into the users' message, so its test fails."""
    mp = pytest.MonkeyPatch()
    mp.setenv(errors.RAISE_ENV, "1")
    yield
    mp.undo()


LOCAL_VISIT = (None, {"host": ["localhost"]})


@pytest.fixture(autouse=True)
def local_visitor(monkeypatch: pytest.MonkeyPatch):
    """AppTest has no browser connection (no Host header, a mock peer address), so in
    local mode every page would only read. Tests are the local user on this machine
    unless they set another visit (``monkeypatch.setattr(auth, "visit", …)``); the real
    connection is read in tests/e2e/test_rebinding.py."""
    from budgetrummet.ui import auth

    monkeypatch.setattr(auth, "visit", lambda: LOCAL_VISIT)


@pytest.fixture(scope="session")
def warehouse_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("warehouse")
    mp = pytest.MonkeyPatch()
    mp.setenv(store.ENV_DATA_DIR, str(root))
    build.build(root, who="pytest")
    yield root
    mp.undo()


@pytest.fixture(scope="session")
def wh(warehouse_dir: Path) -> db.Warehouse:
    return db.Warehouse(warehouse_dir)


@pytest.fixture(scope="session")
def figures(warehouse_dir: Path) -> list[dict]:
    return build.load_figures()
