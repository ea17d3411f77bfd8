"""The layers hold: domain modules reach neither the store, the access check nor
Streamlit (also not through another module), and pages hold no Polars."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "budgetrummet"

# Rules and maths on frames, and the presenters and charts built on them. Not here:
# budgetrummet.minutes and budgetrummet.frozen (a document for the meeting names the
# data version it was made from, which minutes.data_version reads from the store).
DOMAIN = (
    "budgetrummet.drift",
    "budgetrummet.finance",
    "budgetrummet.goals",
    "budgetrummet.goal_attention",
    "budgetrummet.investments",
    "budgetrummet.overview",
    "budgetrummet.quality",
    "budgetrummet.reconcile",
    "budgetrummet.numbers",
    "budgetrummet.fmt",
    "budgetrummet.vocab",
    "budgetrummet.keys",
    "budgetrummet.orgs",
    *sorted(
        f"budgetrummet.{sub}.{p.stem}".removesuffix(".__init__")
        for sub in ("scenarios", "presenters", "charts")
        for p in (PACKAGE / sub).glob("*.py")
    ),
)
FORBIDDEN = ("budgetrummet.store", "budgetrummet.access", "streamlit")


def module_file(name: str) -> Path | None:
    """The file of a budgetrummet module (a package's __init__), or None."""
    rel = Path(*name.split("."))
    for candidate in (ROOT / rel.with_suffix(".py"), ROOT / rel / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def imported(path: Path) -> set[str]:
    """Every module a file imports (``from a import b`` counts a.b where that is a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {
                f"{node.module}.{a.name}"
                for a in node.names
                if module_file(f"{node.module}.{a.name}") is not None
            }
    return names


def reached(start: str) -> dict[str, str]:
    """Every module ``start`` reaches through budgetrummet's own imports, with the
    module that imports it."""
    seen: dict[str, str] = {start: ""}
    todo = [start]
    while todo:
        name = todo.pop()
        path = module_file(name)
        if path is None:
            continue
        for other in imported(path):
            if other not in seen:
                seen[other] = name
                if other.startswith("budgetrummet"):
                    todo.append(other)
    return seen


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_modules_import_neither_store_access_nor_streamlit(module) -> None:
    assert module_file(module) is not None, module
    found = reached(module)
    bad = {
        m: by for m, by in found.items() if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)
    }
    assert bad == {}, f"{module} reaches {bad} (module: imported by)"


def test_the_walk_finds_a_forbidden_import() -> None:
    # The writes import the store: the walk must see it, or the test above proves nothing.
    assert "budgetrummet.store" in reached("budgetrummet.writes.scenarios")
    assert "streamlit" in reached("budgetrummet.ui.drift")


@pytest.mark.parametrize("page", sorted((ROOT / "views").glob("*.py")), ids=lambda p: p.name)
def test_pages_hold_no_polars(page) -> None:
    assert not {m for m in imported(page) if m == "polars" or m.startswith("polars.")}
