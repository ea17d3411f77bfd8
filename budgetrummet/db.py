"""DuckDB over the published Parquet: one connection per process, SQL from ``queries/``.

``run_query(name, **params)`` runs ``queries/<name>.sql`` with named, bound parameters
(``$org_id``) and returns a Polars frame. Views are (re)bound to the files the current
manifest names whenever the manifest changes, so a publication by another process is
picked up on the next query without restarting the app. A table stored per organisation
is one view over the list of its files (``read_parquet([...])``), so queries never know.

DuckDB connections are not thread-safe and Streamlit runs each session in a thread,
so every query takes its own cursor (STACK.md: a shared connection failed 105 of 240
queries under 8 threads; a cursor per query failed none).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from budgetrummet import store
from budgetrummet.seed import REPO_ROOT

QUERIES_DIR = REPO_ROOT / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class WarehouseMissingError(RuntimeError):
    """No manifest has been published in the data directory yet."""


@cache
def load_sql(name: str) -> str:
    """The text of ``queries/<name>.sql``; names are plain identifiers, never paths."""
    if not _NAME.match(name):
        raise ValueError(f"ogiltigt frågenamn {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def view_ddl(entry: store.TableEntry, root: Path) -> str:
    """``create or replace view <table>`` over the files the manifest names for it.

    View DDL cannot take bound parameters; the names and paths come from our own
    manifest (never from a user), names are checked as identifiers and paths quoted as
    SQL string literals. A partitioned table is the union of its parts; in the Hive
    layout (``org_id=<key>/``) DuckDB reads the key from the folder name, so a query
    filtering on it opens only that organisation's file (1 of 290 nationally).
    """
    if not _NAME.match(entry.name):
        raise ValueError(f"ogiltigt tabellnamn i manifestet: {entry.name!r}")
    paths = [_sql_string(str(root / f)) for f in entry.files]
    source = paths[0] if len(paths) == 1 else "[" + ", ".join(paths) + "]"
    if entry.hive:
        if not _NAME.match(entry.partition_by):
            raise ValueError(f"ogiltig nyckelkolumn i manifestet: {entry.name!r}")
        source += f", hive_partitioning = true, hive_types = {{'{entry.partition_by}': 'VARCHAR'}}"
    return f"create or replace view {entry.name} as select * from read_parquet({source})"  # noqa: S608


# Tables read as the union of the seed's rows and the rows written at run time: imported
# documents (active ones only) and organisations an admin added. The seed table is bound
# as ``seed_<name>`` and ``<name>`` becomes the union, so every query reads both unchanged.
_ACTIVE_DOC = "doc_id in (select doc_id from import_sources where status = 'aktiv')"
UNIONS: dict[str, tuple[str, str]] = {
    "organisations": ("organisations_added", "true"),
    "sources": ("import_sources", "status = 'aktiv'"),
    "figures": ("import_figures", _ACTIVE_DOC),
    "goals": ("import_goals", _ACTIVE_DOC),
    "goal_indicators": ("import_goal_indicators", _ACTIVE_DOC),
    "reconciliation": ("import_reconciliation", _ACTIVE_DOC),
    "texts": ("import_texts", _ACTIVE_DOC),
}


def view_statements(manifest: store.Manifest, root: Path) -> list[str]:
    """Every view of the warehouse: one per published table, then the unions above."""
    statements = []
    for entry in manifest.tables.values():
        ddl = view_ddl(entry, root)
        if entry.name in UNIONS:
            ddl = ddl.replace(f"view {entry.name} as", f"view seed_{entry.name} as", 1)
        statements.append(ddl)
    for name, (added, condition) in UNIONS.items():
        if name not in manifest.tables:
            continue
        entry = manifest.tables.get(added)
        # Without imported rows the view is the seed table itself: the union and its
        # active-document filter cost 2–3 ms per query (measured on figures_by_tables).
        # ``organisations`` always has the register's columns (kind, kommunkod …).
        wanted = entry is not None and (entry.rows > 0 or name == "organisations")
        readable = condition != _ACTIVE_DOC or "import_sources" in manifest.tables
        union = (
            f" union all by name select * from {added} where {condition}"  # noqa: S608
            if wanted and readable
            else ""
        )
        # Names and conditions are the constants above, never user input.
        union_ddl = f"create or replace view {name} as select * from seed_{name}{union}"  # noqa: S608
        statements.append(union_ddl)
    return statements


class Warehouse:
    """The read side of the store: an in-memory DuckDB whose views name published files."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or store.data_dir()).resolve()
        self._con = duckdb.connect(":memory:")
        # Queries may read the published files and nothing else: no other file, no
        # network, no ATTACH or COPY elsewhere, and the settings cannot be changed back.
        self._con.execute(f"set allowed_directories = [{_sql_string(str(self.root) + '/')}]")
        self._con.execute("set enable_external_access = false")
        self._con.execute("set lock_configuration = true")
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self.manifest: store.Manifest | None = None

    def _refresh(self) -> None:
        stamp = store.manifest_stamp(self.root)
        if stamp is None:
            raise WarehouseMissingError(f"inget publicerat lager i {self.root}")
        if stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            manifest = store.read_manifest(self.root)
            if manifest is None:
                raise WarehouseMissingError(f"inget publicerat lager i {self.root}")
            for statement in view_statements(manifest, self.root):
                self._con.execute(statement)
            self.manifest = manifest
            self._stamp = stamp

    def run_query(self, name: str, **params: object) -> pl.DataFrame:
        """Run ``queries/<name>.sql`` with bound parameters; a Polars frame comes back."""
        self._refresh()
        sql = load_sql(name)
        cur = self._con.cursor()
        try:
            return cur.sql(sql, params=params or None).pl()
        finally:
            cur.close()


@cache
def _warehouse_for(root: Path) -> Warehouse:
    return Warehouse(root)


def warehouse() -> Warehouse:
    """The process-wide warehouse for the configured data directory."""
    return _warehouse_for(store.data_dir())


def run_query(name: str, **params: object) -> pl.DataFrame:
    """Run a named query against the process-wide warehouse."""
    return warehouse().run_query(name, **params)
