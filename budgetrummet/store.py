"""Where the warehouse's bytes live, and the only code that writes them.

Every table is a Delta Lake table (delta-rs) under ``<data dir>/delta/<name>``: an open
format that Spark, Databricks, Microsoft Fabric and Power BI read, with atomic commits,
optimistic concurrency, history, restore and vacuum. A table declared in
``budgetrummet.tables.PARTITIONED`` is partitioned by organisation, so an upload
rewrites its own organisation's files, never the national table. (Not also by year: a
query binds its table's whole file list, about 20 µs per file in DuckDB 2.0, and the
national outcome by organisation and year was 1 740 files against 290; an existing table
keeps the partitioning it was created with.)

Delta has no transaction across tables. The commit point of every write is its row in
the audit table (``delta/_audit``, append-only): a write commits its data tables first,
each commit carrying who, what, why and a transaction id in its commit metadata, then
appends the audit row, whose own commit metadata names the version of every table
readers should see (the *snapshot*). Readers (``read_manifest``, ``budgetrummet.db``)
read each table at the version the latest snapshot names, so a write that spans tables
(an upload's log row and its amounts, an import's document and its figures) becomes
visible all at once or not at all. A process killed between the data commits and the
audit row leaves commits no snapshot names; ``repair`` (run under the write lock before
every write, at build and by vacuum) completes the audit row from the table history
when the transaction's every table was committed, and otherwise restores the tables to
the snapshot's versions, audited either way: the audit always matches the data.

Writers are serialised by a file lock on the data directory (``write_lock``); a commit
that still meets a concurrent one (another host, another engine) is retried in a
bounded loop (``retrying``) and then refused with a clear message.

Nothing outside this module knows the directory layout. ``budgetrummet.db`` reads the
file list of each table (``TableEntry.files``), never the Delta log itself.
"""

from __future__ import annotations

import fcntl
import functools
import getpass
import json
import os
import random
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl
import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, WriterProperties, write_deltalake
from deltalake.exceptions import CommitFailedError

from budgetrummet import tables as user_tables
from budgetrummet.seed import REPO_ROOT

ENV_DATA_DIR = "BUDGETRUMMET_DATA_DIR"
DEFAULT_DATA_DIR = REPO_ROOT / "data" / "warehouse"
DELTA_DIR = "delta"
AUDIT_TABLE = "_audit"
LOCK_FILE = ".write.lock"
# The store before Delta Lake: a manifest naming immutable Parquet files and a JSON
# lines audit log. ``migrate`` moves such a directory into Delta tables once.
MANIFEST = "manifest.json"
LEGACY_AUDIT = "audit.jsonl"
LEGACY_TABLES = "tables"
# A partition value becomes a directory name and a predicate: plain identifiers only.
_PART_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
RETRIES = 10
# New tables checkpoint every 10 commits: opening a table replays the log since the last.
TABLE_CONFIG = {"delta.checkpointInterval": "10"}
PENDING = ".pending"
# Parquet files compressed with zstd rather than delta-rs' default snappy: on a synthetic
# national outcome (1,2 million rows, 290 organisations x 3 years = 870 files) 12,6
# against 15,5 MiB, reading one organisation no slower (see README, "Lagret").
WRITER = WriterProperties(compression="ZSTD")
# Vacuum checkpoints a table and trims its log once it has this many versions.
CHECKPOINT_EVERY = 20
T = TypeVar("T")
AUDIT_SCHEMA: dict[str, pl.DataType] = {
    "when": pl.Datetime("us", "UTC"),
    "who": pl.String,
    "action": pl.String,
    "result": pl.String,
    "txn": pl.String,
    "details_json": pl.String,
}


class StoreBusyError(RuntimeError):
    """A write met concurrent commits every time it tried; nothing was stored."""


def data_dir() -> Path:
    """The warehouse directory: ``$BUDGETRUMMET_DATA_DIR`` or ``data/warehouse``."""
    configured = os.environ.get(ENV_DATA_DIR)
    return _resolved(configured) if configured else DEFAULT_DATA_DIR


@functools.lru_cache(maxsize=64)
def _resolved(configured: str) -> Path:
    # Resolving walks the path with a system call per part; every page run asks for
    # the data directory a few dozen times, always with the same setting.
    return Path(configured).expanduser().resolve()


def table_path(name: str, root: Path) -> Path:
    if name != AUDIT_TABLE and not _NAME.match(name):
        raise ValueError(f"ogiltigt tabellnamn {name!r}")
    return root / DELTA_DIR / name


def partition_columns(name: str) -> tuple[str, ...]:
    """The columns a table is partitioned by (empty for a table kept whole)."""
    column = user_tables.PARTITIONED.get(name)
    return (column,) if column else ()


def partition_column(name: str) -> str | None:
    """The organisation column of a partitioned table, or None."""
    return user_tables.PARTITIONED.get(name)


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class TableEntry:
    """One table as readers see it: its Delta version, current files and columns."""

    name: str
    version: int
    files: tuple[str, ...]
    rows: int
    partition_by: tuple[str, ...]
    # (column, DuckDB type) in the table's column order.
    columns: tuple[tuple[str, str], ...]
    schema: dict[str, pl.DataType] = field(compare=False, hash=False, repr=False)

    @property
    def sha256(self) -> str:
        """A stand-in checksum for listings: the table's version (Delta has no file hash)."""
        return f"v{self.version}"

    def files_of(self, key: str) -> tuple[str, ...]:
        """The files holding one organisation's rows: its own folder's files when the table
        is partitioned by organisation, else every file (the rows are mixed)."""
        if not self.partition_by:
            return self.files
        folder = f"/{self.partition_by[0]}={key}/"
        return tuple(f for f in self.files if folder in f)


@dataclass(frozen=True)
class Manifest:
    """The snapshot readers should see: each table at its committed version."""

    tables: dict[str, TableEntry]
    seed_sha256: str
    audit_version: int = -1

    @property
    def versions(self) -> dict[str, int]:
        return {n: e.version for n, e in self.tables.items()}

    def to_json(self) -> str:
        """The snapshot as text: each table's version and the seed checksum."""
        body = {"seed_sha256": self.seed_sha256, "versions": self.versions}
        return json.dumps(body, sort_keys=True, indent=2) + "\n"

    def paths_of(self, name: str, root: Path | None = None) -> list[Path]:
        """Every current file of a table."""
        return [Path(f) for f in self.tables[name].files]


@dataclass(frozen=True)
class Snapshot:
    """What the latest committed audit row names: table versions and the seed checksum."""

    versions: dict[str, int]
    seed_sha256: str
    audit_version: int


def _audit_path(root: Path) -> Path:
    return root / DELTA_DIR / AUDIT_TABLE


def _open(path: Path, version: int | None = None) -> DeltaTable | None:
    try:
        return DeltaTable(str(path), version=version)
    except Exception as exc:  # noqa: BLE001 - TableNotFoundError and friends
        if DeltaTable.is_deltatable(str(path)) and version is None:
            raise
        if type(exc).__name__ == "TableNotFoundError" or not path.exists():
            return None
        raise


def _snapshot_from(history: list[dict], audit_version: int) -> Snapshot | None:
    for commit in history:
        if "snapshot" in commit:
            body = json.loads(commit["snapshot"])
            return Snapshot(
                body["versions"], body.get("seed_sha256", ""), commit.get("version", audit_version)
            )
    return None


_SNAPSHOTS: dict[str, tuple[tuple[int, int], Snapshot]] = {}
_SETTLED_NS = 1_000_000_000


def _log_mtime(root: Path) -> tuple[int, int] | None:
    """The audit log folder's (inode, modification time): a commit adds a file there."""
    try:
        st = (_audit_path(root) / "_delta_log").stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def read_snapshot(root: Path | None = None, *, version: int | None = None) -> Snapshot | None:
    """The latest committed snapshot (or the one at audit ``version``), None before any.

    The latest is read again only when the audit log's folder changed (a commit adds a
    file there), so the many reads of one page run or one write cost a ``stat``.
    """
    root = root or data_dir()
    if version is None:
        mtime = _log_mtime(root)
        known = _SNAPSHOTS.get(str(root))
        if mtime is not None and known is not None and known[0] == mtime:
            return known[1]
        found = _read_snapshot(root, None)
        # Kept only once the folder has been still for a while: two commits within one
        # tick of the file system's clock would leave the same modification time.
        if (
            found is not None
            and mtime is not None
            and mtime == _log_mtime(root)
            and time.time_ns() - mtime[1] > _SETTLED_NS
        ):
            _SNAPSHOTS[str(root)] = (mtime, found)
        return found
    return _read_snapshot(root, version)


def _read_snapshot(root: Path, version: int | None) -> Snapshot | None:
    audit = _open(_audit_path(root), version)
    if audit is None:
        return None
    at = audit.version()
    limit = 8
    while True:
        history = [h for h in audit.history(limit) if h.get("version", 0) <= at]
        found = _snapshot_from(history, at)
        if found is not None or len(history) < limit:
            return found
        limit *= 4


def snapshot_at(when: datetime | int, root: Path | None = None) -> Snapshot | None:
    """The data as it was at time ``when`` (or at audit version ``when``): the snapshot
    readers saw then. None if the store had no data yet or the history was vacuumed."""
    root = root or data_dir()
    audit = _open(_audit_path(root))
    if audit is None:
        return None
    if isinstance(when, int):
        return read_snapshot(root, version=when)
    cutoff = when.timestamp() * 1000
    for commit in audit.history():
        if "snapshot" in commit and commit["timestamp"] <= cutoff:
            body = json.loads(commit["snapshot"])
            return Snapshot(body["versions"], body.get("seed_sha256", ""), commit["version"])
    return None


def table_as_of(name: str, when: datetime | int, root: Path | None = None) -> pl.DataFrame | None:
    """Table ``name`` as readers saw it at time ``when`` (or audit version ``when``): for
    the audit view and for a scenario frozen as presented. None if it did not exist."""
    root = root or data_dir()
    snapshot = snapshot_at(when, root)
    if snapshot is None or name not in snapshot.versions:
        return None
    return read_table(name, root, version=snapshot.versions[name])


_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.binary(): "BLOB",
}
_DUCK_LOCK = threading.Lock()


def _duck_type(field: pa.Field) -> str:
    """The DuckDB type a Parquet column of this Arrow type reads as (for view columns)."""
    kind = field.type
    if kind in _DUCK_TYPES:
        return _DUCK_TYPES[kind]
    if pa.types.is_decimal(kind):
        return f"DECIMAL({kind.precision},{kind.scale})"
    if pa.types.is_timestamp(kind):
        return "TIMESTAMP WITH TIME ZONE" if kind.tz else "TIMESTAMP"
    # Anything else (lists, structs): ask DuckDB itself (slower: it loads more modules).
    with _DUCK_LOCK:
        return str(duckdb.connect().from_arrow(pa.schema([field]).empty_table()).dtypes[0])


def _duck_types(schema: pa.Schema) -> list[str]:
    return [_duck_type(f) for f in schema]


_POLARS_TYPES: dict[pa.DataType, pl.DataType] = {
    pa.string(): pl.String(),
    pa.large_string(): pl.String(),
    pa.int8(): pl.Int8(),
    pa.int16(): pl.Int16(),
    pa.int32(): pl.Int32(),
    pa.int64(): pl.Int64(),
    pa.float32(): pl.Float32(),
    pa.float64(): pl.Float64(),
    pa.bool_(): pl.Boolean(),
    pa.date32(): pl.Date(),
    pa.binary(): pl.Binary(),
}


def _polars_schema(schema: pa.Schema) -> dict[str, pl.DataType]:
    """The Polars types of a table's columns. Mapped here: building an empty Arrow table
    to ask Polars loads pandas (seconds, in a fresh process)."""
    out: dict[str, pl.DataType] = {}
    for column in schema:
        kind = column.type
        if kind in _POLARS_TYPES:
            out[column.name] = _POLARS_TYPES[kind]
        elif pa.types.is_decimal(kind):
            out[column.name] = pl.Decimal(kind.precision, kind.scale)
        elif pa.types.is_timestamp(kind):
            out[column.name] = pl.Datetime(kind.unit, kind.tz)
        else:
            out[column.name] = pl.from_arrow(pa.schema([column]).empty_table()).schema[column.name]
    return out


def _entry(path: str, name: str, version: int) -> TableEntry:
    """The table at ``version``, cached per commit file: a table removed and written again
    (or a data directory copied onto the same path) has new commit files."""
    try:
        st = os.stat(f"{path}/_delta_log/{version:020d}.json")
        stamp = (st.st_ino, st.st_mtime_ns)
    except OSError:
        stamp = (0, 0)
    return _cached_entry(path, name, version, stamp)


@functools.lru_cache(maxsize=512)
def _cached_entry(path: str, name: str, version: int, stamp: tuple[int, int]) -> TableEntry:
    table = DeltaTable(path, version=version)
    schema = pa.schema(table.schema().to_arrow())
    # ``count()`` sums the row counts of the commit log's file statistics (no file is read).
    rows = table.count()
    files = tuple(table.file_uris())
    return TableEntry(
        name=name,
        version=version,
        files=tuple(f.removeprefix("file://") for f in files),
        rows=int(rows or 0),
        partition_by=tuple(table.metadata().partition_columns),
        columns=tuple(zip(schema.names, _duck_types(schema), strict=True)),
        schema=_polars_schema(schema),
    )


def manifest_of(snapshot: Snapshot, root: Path) -> Manifest:
    tables = {
        name: _entry(str(table_path(name, root)), name, version)
        for name, version in sorted(snapshot.versions.items())
    }
    return Manifest(tables, snapshot.seed_sha256, snapshot.audit_version)


def read_manifest(root: Path | None = None) -> Manifest | None:
    """The committed snapshot with every table's files, or None before the first write."""
    root = root or data_dir()
    snapshot = read_snapshot(root)
    return None if snapshot is None else manifest_of(snapshot, root)


def manifest_stamp(root: Path | None = None) -> tuple | None:
    """The committed tables' versions (and the seed checksum), as a key for caches: it
    changes with every commit and with nothing else (a refusal in the audit leaves it).

    Cheap on a local or shared file system: see ``read_snapshot``.
    """
    snapshot = read_snapshot(root or data_dir())
    if snapshot is None:
        return None
    return (snapshot.seed_sha256, *sorted(snapshot.versions.items()))


def _ordered(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select(list(schema)).cast(schema) if set(frame.columns) == set(schema) else frame


def read_table(
    name: str, root: Path | None = None, *, part: str | None = None, version: int | None = None
) -> pl.DataFrame | None:
    """A committed table as a frame (None if it was never published). For writers.

    ``part`` reads one organisation's rows of a partitioned table (an empty frame when
    it has none); ``version`` reads the table as it was at that Delta version.
    """
    root = root or data_dir()
    if version is None:
        snapshot = read_snapshot(root)
        if snapshot is None or name not in snapshot.versions:
            return None
        version = snapshot.versions[name]
    entry = _entry(str(table_path(name, root)), name, version)
    files = sorted(entry.files)
    if part is not None:
        column = partition_column(name)
        if column is None or column not in entry.partition_by:
            raise ValueError(f"tabellen {name!r} kan inte delas per organisation")
        _check_key(name, column, part)
        files = sorted(entry.files_of(part))
    return _read_files(files, entry)


def _read_files(files: list[str], entry: TableEntry) -> pl.DataFrame:
    """The rows of ``files`` in path order (organisation, year, then write order), with
    the partition columns read from the folder names, in the table's column order."""
    if not files:
        return pl.DataFrame(schema=entry.schema)
    hive = {c: entry.schema[c] for c in entry.partition_by}
    frame = pl.read_parquet(
        files, hive_partitioning=bool(hive), hive_schema=hive or None, missing_columns="insert"
    )
    return _ordered(frame, entry.schema)


def scan_table(name: str, root: Path | None = None) -> pl.LazyFrame | None:
    """The committed rows of a table, lazily (None if it was never published)."""
    frame = read_table(name, root)
    return None if frame is None else frame.lazy()


# ----------------------------------------------------------------------------- writing


def fsync_write(path: Path, data: bytes, *, read_only: bool = False) -> None:
    """Write ``data`` to a temp file beside ``path``, fsync it, then rename onto ``path``.

    ``read_only`` marks the file 0444 before it appears (kept raw uploads).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if read_only:
            os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def write_lock(root: Path | None = None) -> Iterator[None]:
    """Serialise writers (threads and processes) on this data directory.

    Readers never take the lock: they read the committed snapshot. On shared storage
    the lock file must support POSIX locks (NFSv4, SMB); see README.
    """
    root = root or data_dir()
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


BUSY_MESSAGE = (
    "Lagret är upptaget: andra skrivningar ändrade samma tabell samtidigt, och inget av "
    "{n} försök gick igenom. Ingenting har sparats – försök igen om en stund."
)


def retrying(attempt: Callable[[], T], *, tries: int = RETRIES) -> T:
    """Run ``attempt`` (a whole read → compute → commit) until it commits without a
    conflict, at most ``tries`` times with a jittered, growing pause; then refuse."""
    for n in range(tries):
        try:
            return attempt()
        except CommitFailedError:
            if n == tries - 1:
                break
            time.sleep(random.uniform(0.01, 0.05) * (2 ** min(n, 5)))  # noqa: S311
    raise StoreBusyError(BUSY_MESSAGE.format(n=tries))


def _check_key(name: str, column: str, key: str) -> str:
    if not _PART_KEY.match(key):
        raise ValueError(f"ogiltigt värde {key!r} i {column} för tabellen {name!r}")
    return key


def split_by(frame: pl.DataFrame, column: str) -> dict[str, pl.DataFrame]:
    """``frame`` as one frame per distinct value of ``column`` (row order kept within each)."""
    if frame.height == 0:
        return {}
    if column not in frame.columns:
        raise ValueError(f"kolumnen {column} saknas; tabellen delas per {column}")
    keys = frame.get_column(column)
    if keys.null_count():
        raise ValueError(f"{column} saknas på {keys.null_count()} rader")
    return {k: frame.filter(pl.col(column) == k) for k in keys.unique(maintain_order=True)}


def _arrow(frame: pl.DataFrame) -> pa.Table:
    table = frame.to_arrow()
    # Delta has no view types; plain strings and binaries for every engine.
    fields = [
        pa.field(f.name, pa.string() if f.type == pa.string_view() else f.type)
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _commit_meta(txn: dict, action: str, who: str, details: dict) -> dict[str, str]:
    return {
        "txn": txn["id"],
        "txn_tables": json.dumps(txn["tables"]),
        "action": action,
        "who": who,
        "details": json.dumps(details, ensure_ascii=False, default=str)[:20000],
    }


def _write(
    name: str,
    frame: pl.DataFrame,
    root: Path,
    meta: dict[str, str],
    *,
    mode: str,
    part: str | None = None,
    base: int | None = None,
) -> int:
    """One Delta commit of ``frame`` into table ``name``; its new version.

    ``base`` is the version the frame was computed from: a replacing commit is checked
    against it, so a concurrent commit to the same rows fails (``CommitFailedError``)
    rather than being overwritten; commits to other organisations' partitions pass.
    """
    path = table_path(name, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(partition_columns(name))
    for column in columns:
        if column not in frame.columns:
            if frame.height:
                raise ValueError(f"kolumnen {column} saknas; tabellen delas per {column}")
            # An empty table of an older schema: the key columns are still its layout.
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    key_column = partition_column(name)
    if key_column is not None and frame.height and key_column in frame.columns:
        keys = frame.get_column(key_column)
        if keys.null_count():
            raise ValueError(f"{key_column} saknas på {keys.null_count()} rader i {name!r}")
        for key in keys.unique().to_list():
            _check_key(name, key_column, key)
    props = CommitProperties(custom_metadata=meta, max_commit_retries=RETRIES)
    data = _arrow(frame)
    existing = _open(path) if base is None else _open(path, base)
    if part is not None:
        assert key_column is not None
        _check_key(name, key_column, part)
        if frame.height and frame.get_column(key_column).unique().to_list() != [part]:
            raise ValueError(f"delen {part!r} av {name!r} har rader för andra värden")
    if existing is None:
        write_deltalake(
            str(path), data, mode="overwrite", partition_by=columns or None,
            commit_properties=props, configuration=TABLE_CONFIG, writer_properties=WRITER,
        )  # fmt: skip
        return DeltaTable(str(path)).version()
    elif mode == "append":
        write_deltalake(
            existing, data, mode="append", commit_properties=props, writer_properties=WRITER
        )
    elif part is not None:
        predicate = f"{key_column} = '{part}'"
        write_deltalake(
            existing, data, mode="overwrite", predicate=predicate, commit_properties=props,
            writer_properties=WRITER,
        )  # fmt: skip
    elif _same_layout(existing, data, columns):
        # ``predicate="true"``: a whole-table replace that still conflicts with a
        # concurrent commit (a plain overwrite would silently drop it).
        write_deltalake(
            existing,
            data,
            mode="overwrite",
            predicate="true",
            commit_properties=props,
            writer_properties=WRITER,
        )
    else:
        write_deltalake(
            existing, data, mode="overwrite", schema_mode="overwrite",
            partition_by=columns or None, commit_properties=props, writer_properties=WRITER,
        )  # fmt: skip
    return existing.version()


def _same_layout(table: DeltaTable, data: pa.Table, columns: list[str]) -> bool:
    """Same partition columns and the same columns of the same Delta types."""

    def plain(schema: pa.Schema) -> list[tuple[str, str]]:
        wide = {pa.large_string(): pa.string(), pa.large_binary(): pa.binary()}
        return [(f.name, str(wide.get(f.type, f.type))) for f in schema]

    schema = pa.schema(table.schema().to_arrow())
    return list(table.metadata().partition_columns) == columns and plain(schema) == plain(
        data.schema
    )


def _count_rows(name: str, root: Path, version: int) -> int:
    return _entry(str(table_path(name, root)), name, version).rows


def _who(who: str | None) -> str:
    return who or _current_user()


def _append_audit(
    root: Path,
    *,
    action: str,
    who: str,
    result: str,
    txn: str,
    details: dict,
    snapshot: Snapshot | None,
    when: datetime | None = None,
) -> int:
    """Append one audit row (the commit point when ``snapshot`` is given)."""
    row = pl.DataFrame(
        {
            "when": [when or datetime.now(UTC)],
            "who": [who],
            "action": [action],
            "result": [result],
            "txn": [txn],
            "details_json": [json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)],
        },
        schema=AUDIT_SCHEMA,
    )
    meta = {"action": action, "who": who, "txn": txn}
    if snapshot is not None:
        meta["snapshot"] = json.dumps(
            {"versions": snapshot.versions, "seed_sha256": snapshot.seed_sha256}
        )
    path = _audit_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    props = CommitProperties(custom_metadata=meta, max_commit_retries=RETRIES)
    table = _open(path)
    if table is None:
        write_deltalake(
            str(path), _arrow(row), mode="append", commit_properties=props,
            writer_properties=WRITER, configuration=TABLE_CONFIG,
        )  # fmt: skip
        return DeltaTable(str(path)).version()
    # A blind append never conflicts logically; delta-rs retries the version race itself.
    write_deltalake(
        table, _arrow(row), mode="append", commit_properties=props, writer_properties=WRITER
    )
    return table.version()


def publish(
    frames: dict[str, pl.DataFrame],
    *,
    action: str,
    seed_sha256: str | None = None,
    who: str | None = None,
    details: dict | None = None,
    root: Path | None = None,
    parts: dict[str, dict[str, pl.DataFrame]] | None = None,
) -> Manifest:
    """Publish ``frames`` as the new version of those tables, atomically, and audit it.

    Tables not in ``frames`` keep their version. ``seed_sha256`` is only given by the
    seed build; other writers keep the current one. ``parts`` (table -> organisation ->
    rows) replaces only those organisations' rows of a partitioned table. Everything
    given becomes visible at once, when the audit row naming the new versions commits.
    """
    root = root or data_dir()
    with write_lock(root):
        return _publish_locked(frames, action, seed_sha256, who, details or {}, root, parts)


def _publish_locked(
    frames: dict[str, pl.DataFrame],
    action: str,
    seed_sha256: str | None,
    who: str | None,
    details: dict,
    root: Path,
    parts: dict[str, dict[str, pl.DataFrame]] | None = None,
    *,
    appends: dict[str, pl.DataFrame] | None = None,
    bases: dict[str, int] | None = None,
) -> Manifest:
    snapshot = repair(root, locked=True, full=False) or Snapshot({}, "", -1)
    bases = bases or {}
    # Marks a write in progress: a writer killed before its audit row leaves it, and the
    # next writer then looks for commits no snapshot names (``repair``).
    fsync_write(root / PENDING, b"")
    who = _who(who)
    for name, given in (parts or {}).items():
        if partition_column(name) is None or not given:
            raise ValueError(f"tabellen {name!r} är inte uppdelad per organisation")
    names = [*frames, *(parts or {}), *(appends or {})]
    txn = {"id": uuid.uuid4().hex, "tables": sorted(set(names))}
    meta = _commit_meta(txn, action, who, details)
    versions = dict(snapshot.versions)
    written: dict[str, dict] = {}
    for name, frame in frames.items():
        versions[name] = _write(
            name, frame, root, meta, mode="overwrite", base=bases.get(name, versions.get(name))
        )
    for name, frame in (appends or {}).items():
        versions[name] = _write(name, frame, root, meta, mode="append")
    for name, given in (parts or {}).items():
        for key, frame in given.items():
            versions[name] = _write(
                name, frame, root, meta, mode="overwrite", part=key,
                base=bases.get(name, versions.get(name)),
            )  # fmt: skip
            written.setdefault(name, {})[key] = {"rows": frame.height}
    new = Snapshot(versions, seed_sha256 if seed_sha256 is not None else snapshot.seed_sha256, -1)
    audit_details = {
        **details,
        "result": "ok",
        "seed_sha256": new.seed_sha256,
        "tables": {
            n: {"rows": _count_rows(n, root, versions[n]), "version": versions[n]}
            | ({"parts": written[n]} if n in written else {})
            for n in dict.fromkeys(names)
        },
    }
    audit_version = _append_audit(
        root, action=action, who=who, result="ok", txn=txn["id"], details=audit_details,
        snapshot=new,
    )  # fmt: skip
    (root / PENDING).unlink(missing_ok=True)
    return manifest_of(Snapshot(new.versions, new.seed_sha256, audit_version), root)


def append_rows(
    name: str,
    rows: pl.DataFrame,
    *,
    action: str,
    who: str,
    details: dict | None = None,
    root: Path | None = None,
) -> Manifest:
    """Append ``rows`` to table ``name`` as one atomic commit (all rows or none)."""
    root = root or data_dir()

    def attempt() -> Manifest:
        with write_lock(root):
            snapshot = read_snapshot(root)
            if snapshot is None or name not in snapshot.versions:
                return _publish_locked({name: rows}, action, None, who, details or {}, root)
            return _publish_locked({}, action, None, who, details or {}, root, appends={name: rows})

    return retrying(attempt)


def replace_table(
    name: str,
    transform: Callable[[pl.DataFrame], pl.DataFrame],
    *,
    action: str,
    who: str,
    details: dict | None = None,
    root: Path | None = None,
) -> Manifest:
    """Publish ``transform(current_frame)`` as the new version of ``name``, atomically.

    For deletes and undo: the old version stays in the table's history until vacuumed.
    A conflicting commit from elsewhere re-runs the read and the transform.
    """
    root = root or data_dir()

    def attempt() -> Manifest:
        with write_lock(root):
            snapshot = repair(root, locked=True, full=False)
            if snapshot is None or name not in snapshot.versions:
                raise KeyError(f"tabellen {name!r} finns inte i lagret")
            base = snapshot.versions[name]
            current = read_table(name, root, version=base)
            assert current is not None
            return _publish_locked(
                {name: transform(current)}, action, None, who, details or {}, root,
                bases={name: base},
            )  # fmt: skip

    return retrying(attempt)


def record_audit(*, action: str, who: str | None, details: dict, root: Path | None = None) -> None:
    """Append one row to the audit table (refusals and other events without data)."""
    root = root or data_dir()
    _append_audit(
        root,
        action=action,
        who=_who(who),
        result=str(details.get("result", "ok")),
        txn="",
        details=details,
        snapshot=None,
    )


def read_audit(root: Path | None = None) -> list[dict]:
    """All audit entries, oldest first: who, when (UTC, ISO), action and the details."""
    root = root or data_dir()
    table = _open(_audit_path(root))
    if table is None:
        return []
    frame = pl.from_arrow(table.to_pyarrow_table()) if table.file_uris() else None
    if frame is None or frame.height == 0:
        return []
    assert isinstance(frame, pl.DataFrame)
    out = []
    for row in frame.sort("when", maintain_order=True).iter_rows(named=True):
        details = json.loads(row["details_json"] or "{}")
        out.append(
            {
                **details,
                "when": row["when"].isoformat(timespec="seconds"),
                "who": row["who"],
                "action": row["action"],
                "result": row["result"] or details.get("result"),
                **({"txn": row["txn"]} if row["txn"] else {}),
            }
        )
    return out


# ------------------------------------------------------------------------------ repair


def _table_names(root: Path) -> list[str]:
    base = root / DELTA_DIR
    if not base.exists():
        return []
    return sorted(
        p.name for p in base.iterdir() if p.name != AUDIT_TABLE and (p / "_delta_log").is_dir()
    )


_NEUTRAL = ("VACUUM", "OPTIMIZE", "RESTORE", "CHECKPOINT", "SET TBLPROPERTIES")


def _neutral(commit: dict) -> bool:
    return str(commit.get("operation", "")).startswith(_NEUTRAL)


def repair(root: Path | None = None, *, locked: bool = False, full: bool = True) -> Snapshot | None:
    """Bring the data back in line with the audit after a killed write; the snapshot.

    Commits no snapshot names are the work of a write that died before its audit row.
    If every table of that transaction committed, its audit row is completed from the
    commit metadata (who, what, why); otherwise each table is restored to the
    snapshot's version. Either way one audit row records what was done.
    """
    root = root or data_dir()
    if not locked:
        with write_lock(root):
            return repair(root, locked=True, full=full)
    snapshot = read_snapshot(root)
    if not full and not (root / PENDING).exists():
        return snapshot  # the last writer finished: nothing to look for
    found = _repair(root, snapshot)
    (root / PENDING).unlink(missing_ok=True)
    return found


def _repair(root: Path, snapshot: Snapshot | None) -> Snapshot | None:
    versions = dict(snapshot.versions) if snapshot else {}
    pending: dict[str, list[dict]] = {}
    latest: dict[str, int] = {}
    for name in _table_names(root):
        table = DeltaTable(str(table_path(name, root)))
        latest[name] = table.version()
        known = versions.get(name, -1)
        if latest[name] > known:
            pending[name] = [h for h in table.history(latest[name] - known) if h["version"] > known]
    if not pending:
        return snapshot
    # Our commits carry a transaction id; vacuum, optimize and restore change no rows;
    # a commit without an id came from another engine and stands on its own.
    ours = {n: [h for h in hs if h.get("txn") and not _neutral(h)] for n, hs in pending.items()}
    txns: dict[str, set[str]] = {}
    wanted: dict[str, set[str]] = {}
    for name, commits in ours.items():
        for h in commits:
            txns.setdefault(h["txn"], set()).add(name)
            wanted[h["txn"]] = set(json.loads(h.get("txn_tables", "[]")))
    complete = all(wanted[t] <= names for t, names in txns.items())
    first = next((h for hs in ours.values() for h in hs), None)
    seed = snapshot.seed_sha256 if snapshot else ""
    if complete:
        versions.update(latest)
        details: dict[str, Any] = {"repaired": True, "versions": latest}
        if first is not None:
            details |= json.loads(first.get("details", "{}"))
            details["result"] = "ok"
            details["completed_from_history"] = True
        action = first["action"] if first is not None else "underhåll"
        who = first.get("who", "system") if first is not None else "system"
        new = Snapshot(versions, seed, -1)
        version = _append_audit(
            root, action=action, who=who, result="ok", txn=(first or {}).get("txn", ""),
            details=details, snapshot=new,
        )  # fmt: skip
        return Snapshot(versions, seed, version)
    undone: dict[str, int] = {}
    # A table removed here may come back with the same version numbers: forget them.
    _cached_entry.cache_clear()
    for name in pending:
        known = versions.get(name, -1)
        path = table_path(name, root)
        if known < 0:
            shutil.rmtree(path)
            continue
        DeltaTable(str(path)).restore(
            known,
            commit_properties=CommitProperties(
                custom_metadata={"action": "återställ avbruten skrivning", "who": "system"}
            ),
        )
        versions[name] = DeltaTable(str(path)).version()
        undone[name] = known
    new = Snapshot(versions, seed, -1)
    version = _append_audit(
        root, action="återställ avbruten skrivning", who="system", result="ok",
        txn=next(iter(txns), ""),
        details={"restored_to": undone, "interrupted": sorted(txns)}, snapshot=new,
    )  # fmt: skip
    return Snapshot(versions, seed, version)


# ----------------------------------------------------------------------------- vacuum


def directory_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def vacuum(
    *, keep_days: float = 7, who: str | None = None, root: Path | None = None
) -> dict[str, int]:
    """Remove table versions older than ``keep_days`` and a killed commit's leftovers.

    Undo and restore need no old versions (every upload's rows stay in the current
    tables); the audit keeps every row, and "the data as it was at time T" stays
    readable for T within the last ``keep_days``. Returns bytes before and after.
    """
    root = root or data_dir()
    before = directory_bytes(root)
    hours = max(0, int(keep_days * 24))
    removed = 0
    with write_lock(root):
        snapshot = repair(root, locked=True)
        for name in [*_table_names(root), AUDIT_TABLE]:
            path = table_path(name, root) if name != AUDIT_TABLE else _audit_path(root)
            table = _open(path)
            if table is None:
                continue
            if name == AUDIT_TABLE and len(table.file_uris()) > 64:
                table.optimize.compact(writer_properties=WRITER)
            removed += len(
                table.vacuum(
                    retention_hours=hours,
                    dry_run=False,
                    enforce_retention_duration=False,
                    full=True,
                )  # fmt: skip
            )
            table = DeltaTable(str(path))
            if table.version() >= CHECKPOINT_EVERY:
                # Old log entries go too, once a checkpoint holds their state.
                wanted = f"interval {hours} hours"
                if table.metadata().configuration.get("delta.logRetentionDuration") != wanted:
                    table.alter.set_table_properties({"delta.logRetentionDuration": wanted})
                    table = DeltaTable(str(path))
                table.create_checkpoint()
                table.cleanup_metadata()
        # Vacuum and checkpoints add commits of their own: name them in a snapshot, in
        # the vacuum's own audit row (after the audit log's trim, so one always remains).
        versions = {n: DeltaTable(str(table_path(n, root))).version() for n in _table_names(root)}
        seed = snapshot.seed_sha256 if snapshot else ""
        after = directory_bytes(root)
        _append_audit(
            root, action="rensa gamla versioner", who=_who(who), result="ok", txn="",
            details={"keep_days": keep_days, "files_removed": removed, "bytes_before": before,
                     "bytes_after": after, "result": "ok"},
            snapshot=Snapshot(versions, seed, -1),
        )  # fmt: skip
    return {"bytes_before": before, "bytes_after": after, "files_removed": removed}


# ---------------------------------------------------------------------------- migrate


def _legacy_files(root: Path, body: dict) -> list[Path]:
    if "parts" in body:
        return [root / p["file"] for _, p in sorted(body["parts"].items())]
    return [root / body["file"]]


def _checksum(frame: pl.DataFrame) -> tuple[int, int]:
    if frame.height == 0:
        return (0, 0)
    hashes = frame.select(sorted(frame.columns)).hash_rows(seed=7)
    return (frame.height, int(hashes.cast(pl.UInt64).sum() or 0) % (2**61))


def _declared(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A user table with the columns added to its declaration since it was written
    (null there), so every file of the Delta table has every column."""
    schema = user_tables.USER_TABLES.get(name)
    if schema is None or not set(frame.columns) < set(schema):
        return frame
    missing = [c for c in schema if c not in frame.columns]
    return frame.with_columns([pl.lit(None, dtype=schema[c]).alias(c) for c in missing])


def migrate(root: Path | None = None, *, who: str | None = None) -> list[str]:
    """Move a data directory of the earlier store (``manifest.json``) into Delta tables,
    once: every table and the audit log, verified (rows and a content checksum per
    table) before the old files are removed. The names migrated."""
    root = root or data_dir()
    manifest_file = root / MANIFEST
    if not manifest_file.exists():
        return []
    with write_lock(root):
        if not manifest_file.exists():
            return []
        body = json.loads(manifest_file.read_text(encoding="utf-8"))
        frames = {
            name: _declared(name, pl.read_parquet(_legacy_files(root, entry)))
            for name, entry in body["tables"].items()
        }
        legacy_audit = root / LEGACY_AUDIT
        if legacy_audit.exists() and _open(_audit_path(root)) is None:
            # The earlier log in one append: either all of it is in the audit table or none.
            rows = []
            for line in legacy_audit.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    entry = json.loads(line)
                    rows.append(
                        {
                            "when": datetime.fromisoformat(entry.pop("when")),
                            "who": entry.pop("who", "okänd"),
                            "action": entry.pop("action", ""),
                            "result": str(entry.get("result", "ok")),
                            "txn": "",
                            "details_json": json.dumps(entry, ensure_ascii=False, sort_keys=True),
                        }
                    )
            if rows:
                path = _audit_path(root)
                path.parent.mkdir(parents=True, exist_ok=True)
                write_deltalake(
                    str(path), _arrow(pl.DataFrame(rows, schema=AUDIT_SCHEMA)), mode="append",
                    commit_properties=CommitProperties(
                        custom_metadata={"action": "migrera granskningsloggen"}
                    ),
                    writer_properties=WRITER,
                )  # fmt: skip
        manifest = _publish_locked(
            frames,
            "migrera till Delta Lake",
            body.get("seed_sha256", ""),
            who,
            {"from": "manifest.json", "format": body.get("format")},
            root,
        )
        for name, frame in frames.items():
            stored = read_table(name, root)
            assert stored is not None
            if _checksum(_ordered(stored, dict(frame.schema))) != _checksum(frame):
                raise RuntimeError(
                    f"migreringen av {name!r} stämmer inte; de gamla filerna står kvar"
                )
        record_audit(
            action="migrering verifierad",
            who=_who(who),
            details={
                "tables": {n: {"rows": manifest.tables[n].rows} for n in frames},
                "result": "ok",
            },
            root=root,
        )
        shutil.rmtree(root / LEGACY_TABLES, ignore_errors=True)
        legacy_audit.unlink(missing_ok=True)
        manifest_file.unlink()
        return sorted(frames)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "okänd"
