"""DuckDB over the store's Delta tables: one connection per process, SQL from ``queries/``.

``run_query(name, **params)`` runs ``queries/<name>.sql`` with named, bound parameters
(``$org_id``) and returns a Polars frame. Views are (re)bound to each table's current
Parquet files (at the versions the latest committed audit row names, ``store``) whenever
those versions change, so a commit by another process or replica is picked up on the
next query without restarting the app. A table is one view over the list of its files
(``read_parquet([...])``, never ``to_pyarrow_dataset()``), so queries never know.

DuckDB connections are not thread-safe and Streamlit runs each session in a thread,
so every query takes its own cursor (STACK.md: a shared connection failed 105 of 240
queries under 8 threads; a cursor per query failed none).
"""

from __future__ import annotations

import re
import threading
import warnings
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from budgetrummet import store
from budgetrummet.seed import REPO_ROOT

QUERIES_DIR = REPO_ROOT / "queries"
# Results come through the DB-API (``execute`` and Arrow), not the relation API
# (``con.sql(...).pl()``): the relation binds the statement once more in Python, which
# costs a page query more than the extra copy of its rows this warning is about
# (bench/README.md, "Tider bakom valen i koden").
_COPY_WARNING = "Arrow output on a DB-API result makes an extra copy"
warnings.filterwarnings("ignore", message=_COPY_WARNING, category=UserWarning)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class WarehouseMissingError(RuntimeError):
    """Nothing has been committed in the data directory yet."""


@cache
def load_sql(name: str) -> str:
    """The text of ``queries/<name>.sql``; names are plain identifiers, never paths."""
    if not _NAME.match(name):
        raise ValueError(f"ogiltigt frågenamn {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


# A query whose header says it reads one organisation (``-- scope: $org_id``) runs on
# views of that organisation's files only: binding a view costs DuckDB time per file it
# names (290 files of a national table against one), so such a query reads its
# organisation's part as if it were the whole table. The header is a promise the query
# keeps: every table it reads that is partitioned by organisation is filtered on
# ``org_id = $org_id`` (tests/test_queries.py runs each such query both ways).
_SCOPE = re.compile(r"^-- scope: \$org_id$", re.MULTILINE)


@cache
def scoped(name: str) -> bool:
    """Whether ``queries/<name>.sql`` reads only the organisation ``$org_id``."""
    return bool(_SCOPE.search(load_sql(name)))


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
        raise ValueError(f"ogiltigt kolumnnamn i lagret: {name!r}")
    return f'"{name}"'


def view_ddl(
    entry: store.TableEntry,
    root: Path,
    *,
    schema: str = "main",
    files: tuple[str, ...] | None = None,
) -> str:
    """``create or replace view <table>`` over the table's current files.

    View DDL cannot take bound parameters; the names and paths come from the store's
    own table list (never from a user), names are checked as identifiers and paths
    quoted as SQL string literals. A partitioned table keeps its key columns in the
    folder names (``org_id=<key>/``), so DuckDB reads them from there and a query
    filtering on them opens only that organisation's files. Every file of a table has
    its columns (a schema change rewrites the whole table), so no ``union_by_name``,
    which would read every file's footer at every bind. Columns are listed in the
    table's order; a table without files is an empty relation of its columns.
    ``schema`` and ``files`` make the view of one organisation's part (see ``Warehouse``).
    """
    if not _NAME.match(entry.name) or not _NAME.match(schema):
        raise ValueError(f"ogiltigt tabellnamn i lagret: {schema}.{entry.name!r}")
    types = dict(entry.columns)
    files = entry.files if files is None else files
    view = f"{schema}.{entry.name}"
    if not files:
        nulls = ", ".join(f"cast(null as {t}) as {_ident(c)}" for c, t in entry.columns)
        return f"create or replace view {view} as select {nulls} where false"  # noqa: S608
    paths = "[" + ", ".join(_sql_string(f) for f in files) + "]"
    source = paths
    if entry.partition_by:
        hive = ", ".join(f"{_sql_string(c)}: {_sql_string(types[c])}" for c in entry.partition_by)
        source += f", hive_partitioning = true, hive_types = {{{hive}}}"
    else:
        source += ", hive_partitioning = false"
    columns = ", ".join(_ident(c) for c, _ in entry.columns)
    return f"create or replace view {view} as select {columns} from read_parquet({source})"  # noqa: S608


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


def view_statements(
    manifest: store.Manifest, root: Path, *, schema: str = "main", org_id: str | None = None
) -> list[str]:
    """Every view of the warehouse: one per published table, then the unions above.

    With ``org_id``, the views of one organisation in ``schema``: a table partitioned by
    organisation is bound to that organisation's files only, every other table as in
    ``main``."""
    statements = []
    for entry in manifest.tables.values():
        files = None if org_id is None else entry.files_of(org_id)
        ddl = view_ddl(entry, root, schema=schema, files=files)
        if entry.name in UNIONS:
            ddl = ddl.replace(
                f"view {schema}.{entry.name} as", f"view {schema}.seed_{entry.name} as", 1
            )
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
        # Names and conditions are the constants above, never user input.
        condition = condition.replace(" from ", f" from {schema}.")
        union = (
            f" union all by name select * from {schema}.{added} where {condition}"  # noqa: S608
            if wanted and readable
            else ""
        )
        union_ddl = (
            f"create or replace view {schema}.{name} as select * from {schema}.seed_{name}{union}"  # noqa: S608
        )
        statements.append(union_ddl)
    return statements


class Warehouse:
    """The read side of the store: an in-memory DuckDB whose views name published files."""

    def __init__(self, root: Path | None = None, *, snapshot: store.Snapshot | None = None) -> None:
        """``snapshot`` pins the views to those table versions (the data as it was at
        some time, ``store.snapshot_at``) instead of following every new commit."""
        self.root = (root or store.data_dir()).resolve()
        self.snapshot = snapshot
        self._con = duckdb.connect(":memory:")
        # Queries may read the published files and nothing else: no other file, no
        # network, no ATTACH or COPY elsewhere, and the settings cannot be changed back.
        self._con.execute(f"set allowed_directories = [{_sql_string(str(self.root) + '/')}]")
        self._con.execute("set enable_external_access = false")
        self._con.execute("set lock_configuration = true")
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self.manifest: store.Manifest | None = None
        # Organisation -> schema of its views; a schema's views are bound for the
        # manifest they were made from (remade after a commit, on first use).
        self._schemas: dict[str, str] = {}
        self._bound: dict[str, store.Manifest] = {}

    def _refresh(self) -> None:
        if self.snapshot is not None:
            with self._lock:
                if self.manifest is None:
                    manifest = store.manifest_of(self.snapshot, self.root)
                    for statement in view_statements(manifest, self.root):
                        self._con.execute(statement)
                    self.manifest = manifest
            return
        # The committed tables' versions: another process's commit shows on the next query.
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

    def _schema_of(self, org_id: str) -> str:
        """The schema of the organisation's views, bound to the current manifest."""
        manifest = self.manifest
        assert manifest is not None
        schema = self._schemas.get(org_id)
        if schema is not None and self._bound.get(schema) is manifest:
            return schema
        with self._lock:
            manifest = self.manifest
            assert manifest is not None
            schema = self._schemas.setdefault(org_id, f"org_{len(self._schemas)}")
            if self._bound.get(schema) is not manifest:
                self._con.execute(f"create schema if not exists {schema}")
                for statement in view_statements(manifest, self.root, schema=schema, org_id=org_id):
                    self._con.execute(statement)
                self._bound[schema] = manifest
            return schema

    def run_query(self, name: str, **params: object) -> pl.DataFrame:
        """Run ``queries/<name>.sql`` with bound parameters; a Polars frame comes back."""
        self._refresh()
        sql = load_sql(name)
        org_id = params.get("org_id")
        schema = self._schema_of(org_id) if scoped(name) and isinstance(org_id, str) else None
        cur = self._con.cursor()
        try:
            if schema is not None:
                # The schema name is made here (org_<n>), never taken from the user.
                cur.execute(f"set search_path = '{schema},main'")
            result = pl.from_arrow(cur.execute(sql, params or None).to_arrow_table())
            assert isinstance(result, pl.DataFrame)
            return result
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
