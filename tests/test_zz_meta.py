"""Meta-tests, run last: every query is exercised, every page registered and documented."""

import ast
import re
from pathlib import Path

import pytest

from budgetrummet import db
from tests.conftest import QUERIES_RUN

ROOT = Path(__file__).resolve().parent.parent


def test_every_query_file_is_exercised_by_some_test() -> None:
    if not QUERIES_RUN:
        pytest.skip("only meaningful after the whole suite has run")
    missing = set(db.query_names()) - QUERIES_RUN
    assert not missing, f"query files no test runs: {sorted(missing)}"


def test_every_page_is_registered_in_the_router() -> None:
    router = (ROOT / "app.py").read_text(encoding="utf-8")
    registered = set(re.findall(r'"(views/[a-z_]+\.py)"', router))
    pages = {f"views/{p.name}" for p in (ROOT / "views").glob("*.py")}
    assert pages == registered


def test_every_module_says_what_it_is_for() -> None:
    for path in [*ROOT.glob("budgetrummet/**/*.py"), *ROOT.glob("views/*.py"), ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no module docstring"
