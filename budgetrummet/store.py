"""Where the warehouse's bytes live, and the only code that writes them.

Published tables are immutable Parquet files named by their content hash, listed in a
small ``manifest.json`` that is swapped atomically (write temp, fsync, ``os.replace``).
Readers open the manifest, then the files it names; a file is never rewritten, so a
reader in another process or thread never sees a half-written table (STACK.md measured
overwrite-in-place and even temp-plus-rename onto one name failing readers; this
pattern gave zero errors). Every publication is appended to ``audit.jsonl`` with who,
when, what and the checksums.

Nothing outside this module knows the directory layout. Moving the store to an existing
engine (a DuckLake catalog, object storage) means replacing this module and
``budgetrummet.db``, not the pages.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from budgetrummet.seed import REPO_ROOT

ENV_DATA_DIR = "BUDGETRUMMET_DATA_DIR"
DEFAULT_DATA_DIR = REPO_ROOT / "data" / "warehouse"
MANIFEST = "manifest.json"
AUDIT_LOG = "audit.jsonl"
LOCK_FILE = ".write.lock"
MANIFEST_FORMAT = 1


def data_dir() -> Path:
    """The warehouse directory: ``$BUDGETRUMMET_DATA_DIR`` or ``data/warehouse``."""
    configured = os.environ.get(ENV_DATA_DIR)
    return Path(configured).expanduser().resolve() if configured else DEFAULT_DATA_DIR


@dataclass(frozen=True)
class TableEntry:
    """One published table: its file (relative to the data dir), rows and checksum."""

    name: str
    file: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """The set of tables readers should see, as one atomic unit."""

    tables: dict[str, TableEntry]
    seed_sha256: str

    def path_of(self, name: str, root: Path) -> Path:
        return root / self.tables[name].file

    def to_json(self) -> str:
        body = {
            "format": MANIFEST_FORMAT,
            "seed_sha256": self.seed_sha256,
            "tables": {
                name: {"file": e.file, "rows": e.rows, "sha256": e.sha256}
                for name, e in sorted(self.tables.items())
            },
        }
        return json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        body = json.loads(text)
        if body.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"okänt manifestformat {body.get('format')!r}")
        tables = {
            name: TableEntry(name, t["file"], int(t["rows"]), t["sha256"])
            for name, t in body["tables"].items()
        }
        return cls(tables=tables, seed_sha256=body["seed_sha256"])


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
) -> Manifest:
    """Publish ``frames`` as the new version of those tables, atomically, and audit it.

    Tables not in ``frames`` keep their current file. Each table file is immutable and
    named by its content hash, so publishing the same data twice writes nothing new
    and yields the same manifest. ``seed_sha256`` is only given by the seed build;
    other writers keep the current one.
    """
    root = root or data_dir()
    with write_lock(root):
        return _publish_locked(frames, action, seed_sha256, who, details or {}, root)


def _publish_locked(
    frames: dict[str, pl.DataFrame],
    action: str,
    seed_sha256: str | None,
    who: str | None,
    details: dict,
    root: Path,
) -> Manifest:
    current = read_manifest(root)
    tables = dict(current.tables) if current else {}
    for name, frame in frames.items():
        data = _parquet_bytes(frame)
        digest = hashlib.sha256(data).hexdigest()
        rel = f"tables/{name}/{name}-{digest[:16]}.parquet"
        target = root / rel
        if not target.exists():
            fsync_write(target, data)
        tables[name] = TableEntry(name, rel, frame.height, digest)
    if seed_sha256 is None:
        seed_sha256 = current.seed_sha256 if current else ""
    manifest = Manifest(tables=tables, seed_sha256=seed_sha256)
    text = manifest.to_json()
    changed = current is None or current.to_json() != text
    if changed:
        fsync_write(root / MANIFEST, text.encode("utf-8"))
    record_audit(
        action=action,
        who=who,
        details={
            **details,
            "result": "ok",
            "changed": changed,
            "seed_sha256": seed_sha256,
            "tables": {n: {"rows": tables[n].rows, "sha256": tables[n].sha256} for n in frames},
        },
        root=root,
    )
    return manifest


def read_table(name: str, root: Path | None = None) -> pl.DataFrame | None:
    """A published table as a frame (None if it was never published). For writers."""
    root = root or data_dir()
    manifest = read_manifest(root)
    if manifest is None or name not in manifest.tables:
        return None
    return pl.read_parquet(manifest.path_of(name, root))


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
