"""The layers hold: domain modules reach neither the store, the access check nor
Streamlit (also not through another module); pages hold no Polars and import from the
package only its loaders, components and presenters."""

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


# A page reaches the package one hop at a time: its loaders and components (ui) and its
# presenter; the domain, the store, the clock and the formatting are behind them.
PAGE_LAYERS = ("budgetrummet.ui", "budgetrummet.presenters")


def outside_page_layers(path: Path) -> set[str]:
    """The package modules a page imports other than loaders, components and presenters
    (``from budgetrummet import x`` counts as ``budgetrummet``, the package itself)."""
    own = {m for m in imported(path) if m == "budgetrummet" or m.startswith("budgetrummet.")}
    return {m for m in own if not any(m == a or m.startswith(a + ".") for a in PAGE_LAYERS)}


@pytest.mark.parametrize("page", sorted((ROOT / "views").glob("*.py")), ids=lambda p: p.name)
def test_pages_import_only_loaders_and_presenters(page) -> None:
    assert outside_page_layers(page) == set()


def test_the_page_check_finds_a_domain_import(tmp_path) -> None:
    # The imports the check exists for must be seen, or the test above proves nothing.
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\n"
        "from budgetrummet import finance\n"
        "from budgetrummet.vocab import OK\n"
        "import budgetrummet.clock\n"
        "from budgetrummet.presenters import finance as pr\n"
        "from budgetrummet.ui import finance as fin_ui\n",
        encoding="utf-8",
    )
    assert outside_page_layers(page) == {
        "budgetrummet",
        "budgetrummet.finance",
        "budgetrummet.vocab",
        "budgetrummet.clock",
    }


# ----------------------------------------------------------------- one query cache

# Where a module may keep something between calls, and why. Everything else in the
# package (domain modules, presenters, charts, the loaders in ui/) keeps no state: query
# results are cached once, at the UI edge, in ``ui.data``'s QueryCache.
STATE_ALLOWED = {
    # The store's own metadata (manifests, table versions), which it alone knows.
    "budgetrummet/store.py": None,
    # Plotly's validated figure structure, built once per process; no data in it.
    "budgetrummet/charts/scenarios.py": None,
    # SQL text read from queries/ (and whether a query reads one organisation) and the
    # process's one DuckDB connection: resources, not results.
    "budgetrummet/db.py": {"load_sql", "scoped", "_warehouse_for"},
    # Reference files that ship with the repository (SCB's municipalities and
    # verksamhet codes), not warehouse data.
    "budgetrummet/orgs.py": {"kommuner"},
    "budgetrummet/upload/catalogue.py": {"scb_codes"},
    # The warehouse is built once per process (a resource, not a result).
    "budgetrummet/ui/data.py": {"_ensure_warehouse", "QUERIES"},
    # A file the user has uploaded, parsed and checked once across the form's reruns.
    "budgetrummet/ui/upload.py": {"_validate", "_schema_checked"},
    "budgetrummet/ui/file_forms.py": {"_read"},
}
CACHE_DECORATORS = {"cache", "lru_cache", "cache_data", "cache_resource", "memoize"}
MUTATORS = {
    "append",
    "add",
    "update",
    "setdefault",
    "pop",
    "popitem",
    "clear",
    "extend",
    "insert",
    "move_to_end",
}
MUTABLE_CALLS = {"dict", "list", "set", "OrderedDict", "defaultdict", "deque", "WeakKeyDictionary"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _mutable(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Dict | ast.List | ast.Set) or (
        isinstance(value, ast.Call) and _name(value) in MUTABLE_CALLS
    )


def _mutated(func: ast.AST) -> set[str]:
    """Names ``func`` changes in place: ``x[k] = …``, ``x[:] = …``, ``x.append(…)`` …"""
    out: set[str] = set()
    for node in ast.walk(func):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                out.add(t.value.id)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS
            and isinstance(node.func.value, ast.Name)
        ):
            out.add(node.func.value.id)
    return out


def kept_state(source: str) -> set[str]:
    """What a module keeps between calls: functions with a cache decorator, module-level
    containers a function changes, and closures that change their enclosing function's
    container and are handed out (the memo-decorator pattern)."""
    tree = ast.parse(source)
    found: set[str] = set()
    module_containers: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and _mutable(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            module_containers |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and "cache" in _name(node.value).lower()
        ):
            # A cache object at module level (``QUERIES = QueryCache()``).
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if any(_name(d) in CACHE_DECORATORS for d in node.decorator_list):
            found.add(node.name)
        found |= _mutated(node) & module_containers
        local = {
            t.id
            for n in ast.walk(node)
            if isinstance(n, ast.Assign | ast.AnnAssign) and _mutable(n.value)
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(t, ast.Name)
        }
        returned = {
            n.value.id
            for n in node.body
            if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)
        }
        for inner in node.body:
            if (
                isinstance(inner, ast.FunctionDef)
                and inner.name in returned
                and _mutated(inner) & local
            ):
                found.add(node.name)
    return found


def test_no_module_keeps_query_results_outside_the_one_cache() -> None:
    kept = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        allowed = STATE_ALLOWED.get(rel, set())
        if allowed is None:
            continue
        extra = kept_state(path.read_text(encoding="utf-8")) - allowed
        if extra:
            kept[rel] = sorted(extra)
    assert kept == {}


def test_the_state_check_finds_a_memo() -> None:
    # The patterns the check exists for must be seen, or the test above proves nothing.
    memo = (
        "def _last_of(fn):\n"
        "    last = []\n"
        "    def wrapper(x):\n"
        "        last[:] = [(x, fn(x))]\n"
        "        return last[0][1]\n"
        "    return wrapper\n"
    )
    assert kept_state(memo) == {"_last_of"}
    assert kept_state("import functools\n@functools.lru_cache\ndef f(x):\n    return x\n") == {"f"}
    assert kept_state("import streamlit as st\n@st.cache_data\ndef f(x):\n    return x\n") == {"f"}
    assert kept_state("_SEEN = {}\ndef f(x):\n    _SEEN[x] = 1\n") == {"_SEEN"}
    assert kept_state("def f(x):\n    out = []\n    out.append(x)\n    return out\n") == set()
    assert kept_state("QUERIES = QueryCache()\n") == {"QUERIES"}
