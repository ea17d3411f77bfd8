"""Meta-tests, run last: every query is exercised, every page registered and documented."""

import ast
import re
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from budgetrummet import db
from tests.conftest import QUERIES_RUN, SCOPED_CALLS

ROOT = Path(__file__).resolve().parent.parent


def test_every_query_file_is_exercised_by_some_test() -> None:
    if not QUERIES_RUN:
        pytest.skip("only meaningful after the whole suite has run")
    missing = set(db.query_names()) - QUERIES_RUN
    assert not missing, f"query files no test runs: {sorted(missing)}"


def test_a_query_scoped_to_one_organisation_reads_what_the_whole_tables_give(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``-- scope: $org_id`` runs a query on its organisation's files only; that must give
    exactly what the same query gives on every organisation's files."""
    if not QUERIES_RUN:
        pytest.skip("only meaningful after the whole suite has run")
    scoped = {n for n in db.query_names() if db.scoped(n)}
    calls = [
        (name, root, snapshot, params)
        for name in sorted(scoped)
        for root, snapshot, params in SCOPED_CALLS.get(name, [])
        if root.exists()
    ]
    warehouses: dict[tuple, db.Warehouse] = {}

    def run_all() -> list:
        warehouses.clear()
        frames = []
        for name, root, snapshot, params in calls:
            key = (root, snapshot and snapshot.audit_version)
            if key not in warehouses:
                warehouses[key] = db.Warehouse(root, snapshot=snapshot)
            frames.append(warehouses[key].run_query(name, **params))
        return frames

    own = run_all()
    with monkeypatch.context() as m:
        m.setattr(db, "scoped", lambda _name: False)
        whole = run_all()
    for (name, _root, _snapshot, params), a, b in zip(calls, own, whole, strict=True):
        try:
            assert_frame_equal(a, b)
        except AssertionError as exc:
            raise AssertionError(f"{name} {params}: {exc}") from None
    compared = {name for name, *_ in calls}
    assert scoped - compared == set(), "scoped queries never compared"


def test_every_page_is_registered_in_the_router() -> None:
    router = (ROOT / "app.py").read_text(encoding="utf-8")
    registered = set(re.findall(r'"(views/[a-z_]+\.py)"', router))
    pages = {f"views/{p.name}" for p in (ROOT / "views").glob("*.py")}
    assert pages == registered


def test_every_module_says_what_it_is_for() -> None:
    for path in [*ROOT.glob("budgetrummet/**/*.py"), *ROOT.glob("views/*.py"), ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no module docstring"
