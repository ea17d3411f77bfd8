"""The store's tables on object storage (Azure Blob/ADLS, S3): copy, verify, time travel.

The tables are Delta Lake, so the same tables live in a bucket or container as under the
data directory: delta-rs takes a URI (``az://container/prefix``, ``abfss://…``,
``s3://bucket/prefix``) and the credentials as ``storage_options``. This module

- copies the committed version of every table (the audit table too) to ``<uri>/<table>``
  with the same partitioning (``copy_to``),
- reads each copy back and compares rows and a content checksum with the source
  (``verify_copy``),
- runs two writer processes on one partitioned table, on different organisations and on
  the same one, through the store's bounded retry loop (``concurrent_writers``), and
- reads a table as it was at an earlier version and time (``time_travel``).

``scripts/verify_object_storage.sh`` runs all of it against Azurite, Microsoft's Azure
Storage emulator; ``python -m budgetrummet store copy-to URI`` is the command. The app
server itself still reads the data directory (see README, "Flera repliker och delad
lagring").
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, QueryBuilder, write_deltalake
from deltalake.exceptions import CommitFailedError

from budgetrummet import store

# Azurite's documented development account (public, the same in every installation):
# https://learn.microsoft.com/azure/storage/common/storage-use-azurite
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
AZURITE_ENDPOINT = "http://127.0.0.1:10000"
WRITERS_TABLE = "_samtidiga_skrivare"
# The writers' check table is partitioned by organisation and year, as outcome is.
YEAR = datetime.now(UTC).year


class ObjectStoreError(RuntimeError):
    """A copy or check on object storage that did not hold; the message says which."""


def azurite_options(endpoint: str = AZURITE_ENDPOINT) -> dict[str, str]:
    """``storage_options`` for Azurite's development account at ``endpoint``.

    ``azure_storage_use_emulator`` matters: with it the object store lists a folder from
    an offset on the client side, which Azurite needs (with a plain endpoint every commit
    after the table's second fails with "Invalid table version")."""
    return {
        "azure_storage_use_emulator": "true",
        "azure_storage_account_name": AZURITE_ACCOUNT,
        "azure_storage_account_key": AZURITE_KEY,
        "azure_endpoint": f"{endpoint.rstrip('/')}/{AZURITE_ACCOUNT}",
        "azure_allow_http": "true",
    }


def create_azurite_container(container: str, endpoint: str = AZURITE_ENDPOINT) -> None:
    """Create ``container`` in Azurite (a real account's container is made by its owner)."""
    from pyarrow import fs

    host = endpoint.split("://", 1)[-1].rstrip("/")
    azure = fs.AzureFileSystem(
        account_name=AZURITE_ACCOUNT,
        account_key=AZURITE_KEY,
        blob_storage_authority=host,
        blob_storage_scheme="http",
    )
    azure.create_dir(container)


def _table_uri(uri: str, name: str) -> str:
    return f"{uri.rstrip('/')}/{name}"


@dataclass(frozen=True)
class Copied:
    """One table copied: the source version, its rows and checksum, the copy's version."""

    name: str
    source_version: int
    rows: int
    checksum: int
    partition_by: tuple[str, ...]
    target_version: int


def _local_tables(root: Path) -> dict[str, tuple[int, pl.DataFrame, tuple[str, ...]]]:
    """Every committed table at the version readers see, and the audit table as it is."""
    manifest = store.read_manifest(root)
    if manifest is None:
        raise ObjectStoreError(f"Lagret i {root} har inga tabeller att kopiera.")
    out = {}
    for name, entry in manifest.tables.items():
        frame = store.read_table(name, root, version=entry.version)
        assert frame is not None
        out[name] = (entry.version, frame, entry.partition_by)
    audit = DeltaTable(str(store.table_path(store.AUDIT_TABLE, root)))
    log = pl.from_arrow(audit.to_pyarrow_table())
    assert isinstance(log, pl.DataFrame)
    out[store.AUDIT_TABLE] = (audit.version(), log, ())
    return out


def copy_to(
    uri: str, options: dict[str, str], root: Path | None = None, *, who: str | None = None
) -> list[Copied]:
    """Copy the current version of every table to ``<uri>/<table>``, partitioned as here.

    Each copy is one Delta commit (``mode="overwrite"``, so running it again makes a new
    version of the copy) whose commit metadata names the source table and version.
    """
    root = root or store.data_dir()
    copied = []
    for name, (version, frame, partition_by) in _local_tables(root).items():
        target = _table_uri(uri, name)
        meta = {
            "action": "kopiera till objektlagring",
            "who": who or "system",
            "source": f"{name}@v{version}",
        }
        write_deltalake(
            target,
            store._arrow(frame),
            mode="overwrite",
            schema_mode="overwrite",
            partition_by=list(partition_by) or None,
            storage_options=options,
            commit_properties=CommitProperties(custom_metadata=meta),
            writer_properties=store.WRITER,
        )
        rows, checksum = store._checksum(frame)
        copied.append(
            Copied(
                name,
                version,
                rows,
                checksum,
                partition_by,
                DeltaTable(target, storage_options=options).version(),
            )
        )
    return copied


def read_remote(uri: str, options: dict[str, str], *, version: int | datetime | None = None):
    """A table on object storage as a Polars frame (at ``version`` or a time, if given)."""
    table = DeltaTable(uri, storage_options=options)
    if version is not None:
        table.load_as_version(version)
    # Read by delta-rs itself: ``to_pyarrow_table`` goes through pyarrow's dataset over a
    # Python file system, whose threads aborted the interpreter at exit now and then.
    batches = QueryBuilder().register("t", table).execute("select * from t")
    frame = pl.from_arrow(pa.RecordBatchReader.from_stream(batches).read_all())
    assert isinstance(frame, pl.DataFrame)
    return frame


def verify_copy(uri: str, options: dict[str, str], copied: list[Copied], root: Path) -> None:
    """Read every copy back: same rows, same checksum, same partition columns."""
    for c in copied:
        target = _table_uri(uri, c.name)
        table = DeltaTable(target, storage_options=options)
        if tuple(table.metadata().partition_columns) != c.partition_by:
            raise ObjectStoreError(
                f"{c.name}: uppdelningen är {table.metadata().partition_columns}"
            )
        source = store.read_table(c.name, root, version=c.source_version)
        if source is None:  # the audit table: read it as it was when copied
            source = read_remote(str(store.table_path(store.AUDIT_TABLE, root)), {})
        remote = read_remote(target, options).select(source.columns).cast(dict(source.schema))
        got = store._checksum(remote)
        if got != (c.rows, c.checksum):
            raise ObjectStoreError(
                f"{c.name}: kopian har {got[0]} rader/kontrollsumma {got[1]}, "
                f"källan {c.rows}/{c.checksum}"
            )


# --------------------------------------------------------------- concurrent writers


def _writer(
    uri: str,
    options: dict[str, str],
    org: str,
    base: int,
    barrier,  # noqa: ANN001 - a multiprocessing barrier
    results,  # noqa: ANN001 - a multiprocessing queue
) -> None:
    """One writer process: add 1 to its organisation's counter, starting from ``base``.

    Every attempt reads the counter and commits the new value with a predicate on the
    organisation; a concurrent commit to the same partition makes it fail
    (``CommitFailedError``) and ``store.retrying`` reads again. A lost update would
    leave the counter one short."""
    attempts: list[str] = []

    def attempt() -> int:
        table = DeltaTable(uri, storage_options=options)
        if not attempts:
            table.load_as_version(base)
            barrier.wait(timeout=60)  # both writers hold the same version before either commits
        batches = QueryBuilder().register("t", table).execute("select * from t")
        frame = pl.from_arrow(pa.RecordBatchReader.from_stream(batches).read_all())
        assert isinstance(frame, pl.DataFrame)
        current = frame.filter(pl.col("org_id") == org)["count"].sum()
        attempts.append("försök")
        data = pl.DataFrame(
            {"org_id": [org], "year": [YEAR], "count": [int(current or 0) + 1]},
            schema={"org_id": pl.String, "year": pl.Int32, "count": pl.Int64},
        )
        write_deltalake(
            table,
            store._arrow(data),
            mode="overwrite",
            predicate=f"org_id = '{org}'",
            commit_properties=CommitProperties(
                custom_metadata={"action": "prov: samtidig skrivare", "who": org},
                max_commit_retries=store.RETRIES,
            ),
        )
        return table.version()

    try:
        version = store.retrying(attempt)
        results.put((org, len(attempts), version, ""))
    except (store.StoreBusyError, CommitFailedError, OSError) as exc:
        results.put((org, len(attempts), -1, str(exc)))


@dataclass(frozen=True)
class WriterRun:
    """Two writers at once: per writer (organisation, attempts, version) and the counters."""

    writers: tuple[tuple[str, int, int], ...]
    counts: dict[str, int]


def _run_writers(uri: str, options: dict[str, str], orgs: tuple[str, str]) -> WriterRun:
    base = DeltaTable(uri, storage_options=options).version()
    before = read_remote(uri, options)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(uri, options, org, base, barrier, results))
        for org in orgs
    ]
    for p in procs:
        p.start()
    found: list[tuple[str, int, int, str]] = []
    deadline = time.monotonic() + 180
    while len(found) < len(procs):
        try:
            found.append(results.get(timeout=1))
        except queue.Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead or time.monotonic() > deadline:
                for p in procs:
                    p.kill()
                raise ObjectStoreError(
                    f"En skrivarprocess avslutades utan svar ({dead})."
                ) from None
    for p in procs:
        p.join(timeout=60)
    failed = [f"{org}: {error}" for org, _, _, error in found if error]
    if failed:
        raise ObjectStoreError("En skrivare gav upp: " + "; ".join(failed))
    after = read_remote(uri, options)

    def counts(frame: pl.DataFrame) -> dict[str, int]:
        return {r["org_id"]: r["count"] for r in frame.iter_rows(named=True)}

    want = counts(before)
    for org in orgs:
        want[org] = want.get(org, 0) + 1
    got = counts(after)
    if got != want or after.height != len(want):
        raise ObjectStoreError(
            f"Räknarna blev {got}, väntat {want} (förlorad eller dubbel skrivning)"
        )
    return WriterRun(tuple((o, n, v) for o, n, v, _ in sorted(found)), dict(sorted(got.items())))


def concurrent_writers(uri: str, options: dict[str, str]) -> tuple[dict[str, WriterRun], datetime]:
    """Two writer processes on one table partitioned by organisation and year, each
    starting from the same version: on different organisations both commit at the first
    attempt (delta-rs rebases a commit on another partition); on the same organisation
    one commit conflicts and is retried from a fresh read. Nothing lost or doubled."""
    target = _table_uri(uri, WRITERS_TABLE)
    seed = pl.DataFrame(
        {"org_id": ["a", "b"], "year": [YEAR, YEAR], "count": [0, 0]},
        schema={"org_id": pl.String, "year": pl.Int32, "count": pl.Int64},
    )
    write_deltalake(
        target,
        store._arrow(seed),
        mode="overwrite",
        schema_mode="overwrite",
        partition_by=["org_id", "year"],
        storage_options=options,
    )
    different = _run_writers(target, options, ("a", "b"))
    # A moment between the two runs for time travel, a second clear of either commit:
    # object stores keep a file's modification time in whole seconds.
    time.sleep(1.2)
    between = datetime.now(UTC)
    time.sleep(1.2)
    same = _run_writers(target, options, ("a", "a"))
    if any(n != 1 for _, n, _ in different.writers):
        raise ObjectStoreError(f"Skrivare på olika organisationer krockade: {different.writers}")
    if sorted(n for _, n, _ in same.writers) != [1, 2]:
        raise ObjectStoreError(
            f"Samma organisation: väntat en krock och ett nytt försök, {same.writers}"
        )
    return {"olika organisationer": different, "samma organisation": same}, between


def time_travel(
    uri: str, options: dict[str, str], copied: list[Copied], between: datetime
) -> dict[str, int]:
    """A table as it was: the writers' table at version 0 and at time ``between`` (after
    the first run of writers, before the second), and every copy at its first version."""
    target = _table_uri(uri, WRITERS_TABLE)
    latest = DeltaTable(target, storage_options=options).version()
    first = read_remote(target, options, version=0)
    if first["count"].sum() != 0:
        raise ObjectStoreError("Version 0 av skrivartabellen är inte den ursprungliga.")
    then = read_remote(target, options, version=between)
    counts = {r["org_id"]: r["count"] for r in then.iter_rows(named=True)}
    if counts != {"a": 1, "b": 1}:
        raise ObjectStoreError(
            f"Skrivartabellen vid {between:%H:%M:%S} var {counts}, väntat a 1, b 1."
        )
    for c in copied:
        back = read_remote(_table_uri(uri, c.name), options, version=0)
        if back.height != c.rows:
            raise ObjectStoreError(f"{c.name} version 0 har {back.height} rader, väntat {c.rows}")
    return {"versions": latest + 1, "rows_then": then.height}


def verify(uri: str, options: dict[str, str], root: Path | None = None) -> list[str]:
    """Copy, read back, two concurrent writers and time travel against ``uri``; the report
    lines (Swedish). Raises ``ObjectStoreError`` at the first check that fails."""
    root = root or store.data_dir()
    lines = []
    started = time.perf_counter()
    copied = copy_to(uri, options, root, who="verifiering")
    rows = sum(c.rows for c in copied)
    lines.append(
        f"Kopierat {len(copied)} tabeller, {rows} rader, till {uri} "
        f"på {time.perf_counter() - started:.1f} s."
    )
    started = time.perf_counter()
    verify_copy(uri, options, copied, root)
    parted = [c.name for c in copied if c.partition_by]
    lines.append(
        f"Läst tillbaka: samma antal rader och kontrollsumma i alla {len(copied)} tabeller, "
        f"samma uppdelning ({len(parted)} uppdelade: {', '.join(parted)}) "
        f"på {time.perf_counter() - started:.1f} s."
    )
    runs, between = concurrent_writers(uri, options)
    for label, run in runs.items():
        tries = ", ".join(f"{o}: {n} försök" for o, n, _ in run.writers)
        lines.append(f"Två samtidiga skrivare, {label}: {tries}; räknarna {run.counts}.")
    travel = time_travel(uri, options, copied, between)
    lines.append(
        f"Tidsresa: skrivartabellen har {travel['versions']} versioner; version 0 och "
        "läget vid en tidpunkt mellan de två omgångarna lästa (a 1, b 1); varje kopia "
        "läst i version 0."
    )
    return lines
