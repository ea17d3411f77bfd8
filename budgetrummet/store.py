"""Where the warehouse's bytes live, and the only code that writes them.

Published tables are immutable Parquet files named by their content hash, listed in a
small ``manifest.json`` that is swapped atomically (write temp, fsync, ``os.replace``).
Readers open the manifest, then the files it names; a file is never rewritten, so a
reader in another process or thread never sees a half-written table (STACK.md measured
overwrite-in-place and even temp-plus-rename onto one name failing readers; this
pattern gave zero errors). Every publication is appended to ``audit.jsonl`` with who,
when, what and the checksums.

A table declared in ``budgetrummet.tables.PARTITIONED`` (the upload tables) is stored as
one file per organisation (a *part*): a publication names the parts it replaces and
every other part keeps its file, so an upload writes its own organisation's rows, not
the whole national table, and still becomes visible in the one manifest swap. A table
is the union of its parts; a partitioned table without rows is one empty part (key
``""``) so readers always have its columns. Manifests of format 1 (every table one
file) are still read; the first publication of parts into such a table splits it in
the same swap, and ``budgetrummet.build`` does that split when the app starts.

Nothing outside this module knows the directory layout. Moving the store to an existing
engine (a DuckLake catalog, object storage) means replacing this module and
``budgetrummet.db``, not the pages.
"""

from __future__ import annotations

import fcntl
import functools
import getpass
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from budgetrummet import tables as user_tables
from budgetrummet.seed import REPO_ROOT

ENV_DATA_DIR = "BUDGETRUMMET_DATA_DIR"
DEFAULT_DATA_DIR = REPO_ROOT / "data" / "warehouse"
MANIFEST = "manifest.json"
AUDIT_LOG = "audit.jsonl"
LOCK_FILE = ".write.lock"
MANIFEST_FORMAT = 2
# Format 1 had no partitioned tables; it is read as is (see the module docstring).
READABLE_FORMATS = (1, 2)
# A part key becomes a directory name: plain identifiers only, never a path.
_PART_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
EMPTY_PART = ""


def data_dir() -> Path:
    """The warehouse directory: ``$BUDGETRUMMET_DATA_DIR`` or ``data/warehouse``."""
    configured = os.environ.get(ENV_DATA_DIR)
    return _resolved(configured) if configured else DEFAULT_DATA_DIR


@functools.lru_cache(maxsize=64)
def _resolved(configured: str) -> Path:
    # Resolving walks the path with a system call per part; every page run asks for
    # the data directory a few dozen times, always with the same setting.
    return Path(configured).expanduser().resolve()


@dataclass(frozen=True)
class Part:
    """One organisation's file of a partitioned table (relative to the data dir)."""

    key: str
    file: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class TableEntry:
    """One published table: its file (relative to the data dir), rows and checksum.

    A partitioned table has ``partition_by`` (the column), its ``parts`` sorted by key
    and no single ``file``; its ``sha256`` is a checksum over the parts' checksums.
    """

    name: str
    file: str
    rows: int
    sha256: str
    partition_by: str = ""
    parts: tuple[Part, ...] = ()

    @property
    def hive(self) -> bool:
        """Every part lies in a ``<column>=<key>/`` folder (not so for the empty part)."""
        folder = f"/{self.partition_by}="
        return bool(self.partition_by) and all(
            p.key and f"{folder}{p.key}/" in p.file for p in self.parts
        )

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the table, in key order (the table is their union)."""
        return tuple(p.file for p in self.parts) if self.partition_by else (self.file,)

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    def to_body(self) -> dict:
        if not self.partition_by:
            return {"file": self.file, "rows": self.rows, "sha256": self.sha256}
        return {
            "partition_by": self.partition_by,
            "rows": self.rows,
            "sha256": self.sha256,
            "parts": {
                p.key: {"file": p.file, "rows": p.rows, "sha256": p.sha256} for p in self.parts
            },
        }

    @classmethod
    def from_body(cls, name: str, body: dict) -> TableEntry:
        if "parts" not in body:
            return cls(name, body["file"], int(body["rows"]), body["sha256"])
        parts = tuple(
            Part(key, p["file"], int(p["rows"]), p["sha256"])
            for key, p in sorted(body["parts"].items())
        )
        return cls(name, "", int(body["rows"]), body["sha256"], body["partition_by"], parts)


@dataclass(frozen=True)
class Manifest:
    """The set of tables readers should see, as one atomic unit."""

    tables: dict[str, TableEntry]
    seed_sha256: str

    def path_of(self, name: str, root: Path) -> Path:
        """The one file of an unpartitioned table."""
        entry = self.tables[name]
        if entry.partition_by:
            raise ValueError(f"tabellen {name!r} är uppdelad per {entry.partition_by}")
        return root / entry.file

    def paths_of(self, name: str, root: Path) -> list[Path]:
        """Every file of a table (one unless it is partitioned)."""
        return [root / f for f in self.tables[name].files]

    def to_json(self) -> str:
        """One line per table and per part: readable and diffable, and written by the C
        encoder (``json.dumps(indent=...)`` runs in pure Python: ~100 ms for the 580
        parts of a national manifest, on every upload)."""
        lines = [
            "{",
            f'  "format": {MANIFEST_FORMAT},',
            f'  "seed_sha256": {_compact(self.seed_sha256)},',
            '  "tables": {',
        ]
        names = sorted(self.tables)
        for i, name in enumerate(names):
            body = self.tables[name].to_body()
            parts = body.pop("parts", None)
            comma = "," if i < len(names) - 1 else ""
            if parts is None:
                lines.append(f"    {_compact(name)}: {_compact(body)}{comma}")
                continue
            lines.append(f'    {_compact(name)}: {_compact(body)[:-1]}, "parts": {{')
            keys = sorted(parts)
            lines += [
                f"      {_compact(k)}: {_compact(parts[k])}{',' if j < len(keys) - 1 else ''}"
                for j, k in enumerate(keys)
            ]
            lines.append(f"    }}}}{comma}")
        lines += ["  }", "}"]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        body = json.loads(text)
        if body.get("format") not in READABLE_FORMATS:
            raise ValueError(f"okänt manifestformat {body.get('format')!r}")
        tables = {name: TableEntry.from_body(name, t) for name, t in body["tables"].items()}
        return cls(tables=tables, seed_sha256=body["seed_sha256"])


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def read_manifest(root: Path | None = None) -> Manifest | None:
    """The current manifest, or None when nothing has been published yet."""
    path = (root or data_dir()) / MANIFEST
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def manifest_stamp(root: Path | None = None) -> tuple[int, int] | None:
    """A cheap change detector for readers: (mtime_ns, size) of the manifest."""
    try:
        st = ((root or data_dir()) / MANIFEST).stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


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


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf, compression="zstd", statistics=True)
    return buf.getvalue()


@contextmanager
def write_lock(root: Path | None = None) -> Iterator[None]:
    """Serialise writers (threads and processes) around read-manifest → write → swap.

    Readers never take the lock: they only ever see a complete manifest.
    """
    root = root or data_dir()
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


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

    Tables not in ``frames`` keep their current file. Each table file is immutable and
    named by its content hash, so publishing the same data twice writes nothing new
    and yields the same manifest. ``seed_sha256`` is only given by the seed build;
    other writers keep the current one.

    A partitioned table in ``frames`` is split by its key column and all its parts are
    replaced. ``parts`` (table -> key -> rows) replaces only the named parts of a
    partitioned table; the other parts keep their files. Everything given becomes
    visible in one manifest swap.
    """
    root = root or data_dir()
    with write_lock(root):
        return _publish_locked(frames, action, seed_sha256, who, details or {}, root, parts)


def partition_column(name: str) -> str | None:
    """The column a table is partitioned by, or None for a table kept in one file."""
    return user_tables.PARTITIONED.get(name)


def _write_file(rel_dir: str, name: str, frame: pl.DataFrame, root: Path) -> tuple[str, str]:
    """Write ``frame`` once under its content hash; (relative path, sha256)."""
    data = _parquet_bytes(frame)
    digest = hashlib.sha256(data).hexdigest()
    rel = f"{rel_dir}/{name}-{digest[:16]}.parquet"
    target = root / rel
    if not target.exists():
        fsync_write(target, data)
    return rel, digest


def split_by(frame: pl.DataFrame, column: str) -> dict[str, pl.DataFrame]:
    """``frame`` as one frame per distinct value of ``column`` (row order kept within each).

    Slices of a frame sorted on the column (zero-copy); ``partition_by`` on the
    national outcome table took seconds where this takes milliseconds.
    """
    if frame.height == 0:
        return {}
    if column not in frame.columns:
        raise ValueError(f"kolumnen {column} saknas; tabellen delas per {column}")
    keys = frame.get_column(column)
    if keys.null_count():
        raise ValueError(f"{column} saknas på {keys.null_count()} rader")
    if not keys.is_sorted():
        frame = frame.sort(column, maintain_order=True)
    runs = frame.get_column(column).rle().struct.unnest()
    out: dict[str, pl.DataFrame] = {}
    offset = 0
    for length, key in runs.iter_rows():
        out[key] = frame.slice(offset, length)
        offset += length
    return out


def _write_part(name: str, column: str, key: str, frame: pl.DataFrame, root: Path) -> Part:
    if key != EMPTY_PART and not _PART_KEY.match(key):
        raise ValueError(f"ogiltigt värde {key!r} i {column} för tabellen {name!r}")
    if frame.height:
        found = frame.get_column(column).unique().to_list()
        if found != [key]:
            raise ValueError(f"delen {key!r} av {name!r} har rader för {found}")
    # ``org_id=askersund/``: the Hive layout, so DuckDB opens only the organisation's file
    # for a query that filters on the key (budgetrummet.db).
    rel_dir = f"tables/{name}/{column}={key}" if key else f"tables/{name}"
    rel, digest = _write_file(rel_dir, name, frame, root)
    return Part(key, rel, frame.height, digest)


def _partitioned_entry(
    name: str, column: str, parts: dict[str, Part], empty: Callable[[], pl.DataFrame], root: Path
) -> TableEntry:
    """The entry for ``parts``: empty parts are dropped, an empty table keeps one empty part
    (``empty()`` gives its columns)."""
    kept = {k: p for k, p in parts.items() if p.rows}
    if not kept:
        kept = {EMPTY_PART: _write_part(name, column, EMPTY_PART, empty().clear(), root)}
    ordered = tuple(kept[k] for k in sorted(kept))
    digest = hashlib.sha256(
        "".join(f"{p.key}\t{p.sha256}\n" for p in ordered).encode("utf-8")
    ).hexdigest()
    return TableEntry(
        name, "", sum(p.rows for p in ordered), digest, partition_by=column, parts=ordered
    )


def _current_parts(
    name: str, column: str, entry: TableEntry | None, skip: set[str], root: Path
) -> dict[str, Part]:
    """The parts a table has now, splitting a one-file table (format 1) on the way.

    Keys in ``skip`` are about to be replaced, so a one-file table is not split for them.
    """
    if entry is None:
        return {}
    if entry.partition_by:
        return {p.key: p for p in entry.parts}
    whole = pl.read_parquet(root / entry.file)
    return {
        key: _write_part(name, column, key, frame, root)
        for key, frame in split_by(whole, column).items()
        if key not in skip
    }


def _publish_locked(
    frames: dict[str, pl.DataFrame],
    action: str,
    seed_sha256: str | None,
    who: str | None,
    details: dict,
    root: Path,
    parts: dict[str, dict[str, pl.DataFrame]] | None = None,
) -> Manifest:
    current = read_manifest(root)
    tables = dict(current.tables) if current else {}
    written_parts: dict[str, dict[str, dict]] = {}
    for name, frame in frames.items():
        column = partition_column(name)
        if column is None:
            rel, digest = _write_file(f"tables/{name}", name, frame, root)
            tables[name] = TableEntry(name, rel, frame.height, digest)
            continue
        new = {k: _write_part(name, column, k, f, root) for k, f in split_by(frame, column).items()}
        tables[name] = _partitioned_entry(name, column, new, lambda f=frame: f, root)
    for name, given in (parts or {}).items():
        column = partition_column(name)
        if column is None or not given:
            raise ValueError(f"tabellen {name!r} är inte uppdelad per organisation")
        have = _current_parts(name, column, tables.get(name), set(given), root)
        for key, frame in given.items():
            have[key] = _write_part(name, column, key, frame, root)
            written_parts.setdefault(name, {})[key] = {
                "rows": have[key].rows,
                "sha256": have[key].sha256,
            }
        template = next(iter(given.values()))
        tables[name] = _partitioned_entry(name, column, have, lambda f=template: f, root)
    if seed_sha256 is None:
        seed_sha256 = current.seed_sha256 if current else ""
    manifest = Manifest(tables=tables, seed_sha256=seed_sha256)
    # Compared as objects: serialising the national manifest (580 parts) twice took ~15 ms.
    changed = current != manifest
    if changed:
        fsync_write(root / MANIFEST, manifest.to_json().encode("utf-8"))
    names = [*frames, *(n for n in parts or {} if n not in frames)]
    record_audit(
        action=action,
        who=who,
        details={
            **details,
            "result": "ok",
            "changed": changed,
            "seed_sha256": seed_sha256,
            "tables": {
                n: {"rows": tables[n].rows, "sha256": tables[n].sha256}
                | ({"parts": written_parts[n]} if n in written_parts else {})
                for n in names
            },
        },
        root=root,
    )
    return manifest


def read_table(
    name: str, root: Path | None = None, *, part: str | None = None
) -> pl.DataFrame | None:
    """A published table as a frame (None if it was never published). For writers.

    ``part`` reads one organisation's rows of a partitioned table (also from a table
    still in one file): an empty frame when it has none.
    """
    root = root or data_dir()
    manifest = read_manifest(root)
    if manifest is None or name not in manifest.tables:
        return None
    entry = manifest.tables[name]
    if part is None:
        return pl.read_parquet(manifest.paths_of(name, root))
    if entry.partition_by:
        found = entry.part(part)
        if found is None:
            return pl.read_parquet(root / entry.files[0], n_rows=0)
        return pl.read_parquet(root / found.file)
    column = partition_column(name)
    scan = pl.scan_parquet(root / entry.file)
    if column is None or column not in scan.collect_schema():
        raise ValueError(f"tabellen {name!r} kan inte delas per organisation")
    return scan.filter(pl.col(column) == part).collect()


def scan_table(name: str, root: Path | None = None) -> pl.LazyFrame | None:
    """A lazy scan over every file of a table (None if it was never published)."""
    root = root or data_dir()
    manifest = read_manifest(root)
    if manifest is None or name not in manifest.tables:
        return None
    return pl.scan_parquet(manifest.paths_of(name, root))


def append_rows(
    name: str,
    rows: pl.DataFrame,
    *,
    action: str,
    who: str,
    details: dict | None = None,
    root: Path | None = None,
) -> Manifest:
    """Append ``rows`` to table ``name`` as one atomic publication (all rows or none).

    The existing rows are read, the new ones appended and a new immutable file is
    published under the write lock, so two writers never lose each other's rows.
    """
    root = root or data_dir()
    with write_lock(root):
        current = read_table(name, root)
        combined = rows if current is None else pl.concat([current, rows], how="vertical_relaxed")
        return _publish_locked({name: combined}, action, None, who, details or {}, root)


def replace_table(
    name: str,
    transform,
    *,
    action: str,
    who: str,
    details: dict | None = None,
    root: Path | None = None,
) -> Manifest:
    """Publish ``transform(current_frame)`` as the new version of ``name``, atomically.

    For deletes and undo: the old file stays on disk (and in the audit log), only the
    manifest moves on.
    """
    root = root or data_dir()
    with write_lock(root):
        current = read_table(name, root)
        if current is None:
            raise KeyError(f"tabellen {name!r} finns inte i lagret")
        return _publish_locked({name: transform(current)}, action, None, who, details or {}, root)


def partition_tables(*, who: str | None = None, root: Path | None = None) -> list[str]:
    """Split every declared partitioned table that is still one file (format 1), in one
    swap; the names split. The rows are unchanged, only their files."""
    root = root or data_dir()
    with write_lock(root):
        manifest = read_manifest(root)
        if manifest is None:
            return []
        # A table without its key column is in a schema the code no longer knows; it is
        # left for the upload code to refuse (``storing.conform``), not split.
        stale = sorted(
            n
            for n, column in user_tables.PARTITIONED.items()
            if n in manifest.tables
            and not manifest.tables[n].partition_by
            and column in pl.read_parquet_schema(manifest.path_of(n, root))
        )
        if stale:
            _publish_locked(
                {n: pl.read_parquet(manifest.path_of(n, root)) for n in stale},
                "dela upp tabeller per organisation",
                None,
                who,
                {},
                root,
            )
        return stale


def record_audit(*, action: str, who: str | None, details: dict, root: Path | None = None) -> None:
    """Append one line to the audit log: who, when (UTC), what, and checksums."""
    root = root or data_dir()
    root.mkdir(parents=True, exist_ok=True)
    entry = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": who or _current_user(),
        "action": action,
        **details,
    }
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    with (root / AUDIT_LOG).open("a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def read_audit(root: Path | None = None) -> list[dict]:
    """All audit entries, oldest first."""
    path = (root or data_dir()) / AUDIT_LOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "okänd"
