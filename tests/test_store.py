"""The store: Delta tables, one commit point per write (the audit row), repair, retries,
time travel and vacuum."""

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import deltalake
import polars as pl
import pytest

from budgetrummet import build, db, store


def test_publish_commits_delta_tables_and_keeps_the_old_version(tmp_path: Path) -> None:
    first = store.publish(
        {"t": pl.DataFrame({"a": [1, 2]})}, seed_sha256="x", action="test", root=tmp_path
    )
    old_files = first.tables["t"].files
    old_bytes = [Path(f).read_bytes() for f in old_files]
    second = store.publish(
        {"t": pl.DataFrame({"a": [3]})}, seed_sha256="y", action="test", root=tmp_path
    )
    assert second.tables["t"].version == first.tables["t"].version + 1
    assert [Path(f).read_bytes() for f in old_files] == old_bytes, "files are never rewritten"
    assert store.read_manifest(tmp_path) == second
    assert deltalake.DeltaTable(str(store.table_path("t", tmp_path))).version() == 1
    assert store.read_table("t", tmp_path)["a"].to_list() == [3]
    assert store.read_table("t", tmp_path, version=0)["a"].to_list() == [1, 2]
    assert not list(tmp_path.rglob("*.tmp")), "no temp files left behind"


def test_every_write_is_audited_in_the_table_and_in_its_commit(tmp_path: Path) -> None:
    store.publish(
        {"t": pl.DataFrame({"a": [1]})}, seed_sha256="s", action="prov", who="anna",
        details={"why": "test"}, root=tmp_path,
    )  # fmt: skip
    (entry,) = store.read_audit(tmp_path)
    assert (entry["who"], entry["action"], entry["why"]) == ("anna", "prov", "test")
    assert entry["when"].endswith("+00:00")
    assert entry["tables"]["t"] == {"rows": 1, "version": 0}
    (commit,) = deltalake.DeltaTable(str(store.table_path("t", tmp_path))).history()
    assert (commit["who"], commit["action"], commit["txn"]) == ("anna", "prov", entry["txn"])
    assert json.loads(commit["details"]) == {"why": "test"}


def test_build_is_idempotent(tmp_path: Path) -> None:
    first = build.build(tmp_path)
    second = build.build(tmp_path)
    assert first == second
    assert first.tables["figures"].rows > 800
    assert len(store.read_audit(tmp_path)) == 2, "built once, user tables created once"


def test_readers_see_a_new_publication_without_restart(tmp_path: Path) -> None:
    store.publish(
        {"organisations": pl.DataFrame({"org_id": ["a"], "org_name": ["A"]})},
        seed_sha256="1",
        action="t",
        root=tmp_path,
    )
    wh = db.Warehouse(tmp_path)
    stamp = store.manifest_stamp(tmp_path)
    assert wh.run_query("organisations")["org_name"].to_list() == ["A"]
    store.publish(
        {"organisations": pl.DataFrame({"org_id": ["a", "b"], "org_name": ["A", "B"]})},
        seed_sha256="2",
        action="t",
        root=tmp_path,
    )
    assert store.manifest_stamp(tmp_path) != stamp, "the cache key is the tables' versions"
    assert wh.run_query("organisations")["org_name"].to_list() == ["A", "B"]


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(db.WarehouseMissingError):
        db.Warehouse(tmp_path).run_query("organisations")


def test_concurrent_queries_from_threads_all_succeed(wh: db.Warehouse) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                assert wh.run_query("reconciliation_for_org", org_id="askersund").height > 0
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_query_names_are_identifiers_not_paths() -> None:
    with pytest.raises(ValueError):
        db.load_sql("../pyproject")


def test_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(store.ENV_DATA_DIR, str(tmp_path))
    assert store.data_dir() == tmp_path.resolve()
    monkeypatch.delenv(store.ENV_DATA_DIR)
    assert store.data_dir() == store.DEFAULT_DATA_DIR


def test_appends_from_many_threads_lose_nothing(tmp_path: Path) -> None:
    def work(i: int) -> None:
        store.append_rows("t", pl.DataFrame({"i": [i]}), action="prov", who=f"u{i}", root=tmp_path)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(store.read_table("t", tmp_path)["i"].to_list()) == list(range(12))
    assert len(store.read_audit(tmp_path)) == 12


def test_replace_table_keeps_the_old_version(tmp_path: Path) -> None:
    store.append_rows("t", pl.DataFrame({"i": [1, 2]}), action="prov", who="a", root=tmp_path)
    before = store.read_manifest(tmp_path).tables["t"]
    store.replace_table(
        "t", lambda f: f.filter(pl.col("i") != 2), action="ta bort", who="a", root=tmp_path
    )
    assert store.read_table("t", tmp_path)["i"].to_list() == [1]
    assert all(Path(f).exists() for f in before.files)
    assert store.read_table("t", tmp_path, version=before.version)["i"].to_list() == [1, 2]


# --- The commit point: tables written first, then the audit row that names them. ---


def test_a_write_across_tables_is_invisible_until_its_audit_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.publish({"a": pl.DataFrame({"x": [1]}), "b": pl.DataFrame({"y": [1]})},
                  action="prov", root=tmp_path)  # fmt: skip
    wh = db.Warehouse(tmp_path)
    wh._refresh()

    def crash(root: Path, **kw: object) -> int:
        raise KeyboardInterrupt("killed before the audit row")

    monkeypatch.setattr(store, "_append_audit", crash)
    with pytest.raises(KeyboardInterrupt):
        store.publish({"a": pl.DataFrame({"x": [2]})}, action="prov", root=tmp_path)
    # Table ``a`` has a commit with x = 2 (complete: the only table of its transaction),
    # table ``b`` none; readers still see the committed snapshot.
    assert deltalake.DeltaTable(str(store.table_path("a", tmp_path))).version() == 1
    assert store.read_table("a", tmp_path)["x"].to_list() == [1]
    assert wh._con.cursor().sql("select x from a").fetchall() == [(1,)]
    monkeypatch.undo()
    # The transaction was complete: its audit row is completed from the commit metadata.
    store.repair(tmp_path)
    assert store.read_table("a", tmp_path)["x"].to_list() == [2]
    last = store.read_audit(tmp_path)[-1]
    assert (last["action"], last["completed_from_history"]) == ("prov", True)


def test_a_half_done_write_across_tables_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.publish({"a": pl.DataFrame({"x": [1]}), "b": pl.DataFrame({"y": [1]})},
                  action="prov", root=tmp_path)  # fmt: skip
    real = store._write

    def second_fails(name: str, *args: object, **kwargs: object) -> int:
        if name == "b":
            raise KeyboardInterrupt("killed between the two tables")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(store, "_write", second_fails)
    with pytest.raises(KeyboardInterrupt):
        store.publish(
            {"a": pl.DataFrame({"x": [2]}), "b": pl.DataFrame({"y": [2]})}, action="prov",
            root=tmp_path,
        )  # fmt: skip
    monkeypatch.undo()
    assert store.read_table("a", tmp_path)["x"].to_list() == [1], "invisible before repair"
    snapshot = store.repair(tmp_path)
    assert store.read_table("a", tmp_path)["x"].to_list() == [1]
    assert snapshot.versions["a"] == 2, "restored as a new version, in the audit"
    assert store.read_audit(tmp_path)[-1]["action"] == "återställ avbruten skrivning"
    store.publish({"b": pl.DataFrame({"y": [3]})}, action="prov", root=tmp_path)
    assert store.read_table("b", tmp_path)["y"].to_list() == [3]
    assert store.read_table("a", tmp_path)["x"].to_list() == [1]


# --- Concurrent commits from elsewhere: a bounded retry, then a clear refusal. ---


def test_a_concurrent_commit_is_retried_and_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append_rows("t", pl.DataFrame({"i": [1]}), action="prov", who="a", root=tmp_path)
    calls = []

    def add(current: pl.DataFrame) -> pl.DataFrame:
        calls.append(current.height)
        if len(calls) == 1:
            # Another writer (another host, another engine) commits in between.
            deltalake.write_deltalake(
                str(store.table_path("t", tmp_path)), pl.DataFrame({"i": [7]}).to_arrow(),
                mode="append",
            )  # fmt: skip
        return pl.concat([current, pl.DataFrame({"i": [2]})])

    store.replace_table("t", add, action="lägg till", who="a", root=tmp_path)
    assert calls == [1, 2], "the second try read the other writer's row"
    assert sorted(store.read_table("t", tmp_path)["i"].to_list()) == [1, 2, 7]


def test_a_writer_that_always_meets_a_conflict_gives_up_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append_rows("t", pl.DataFrame({"i": [1]}), action="prov", who="a", root=tmp_path)
    monkeypatch.setattr(store.time, "sleep", lambda s: None)
    tries = []

    def always(current: pl.DataFrame) -> pl.DataFrame:
        tries.append(1)
        deltalake.write_deltalake(
            str(store.table_path("t", tmp_path)), pl.DataFrame({"i": [len(tries) + 10]}).to_arrow(),
            mode="append",
        )  # fmt: skip
        return current.clear()

    with pytest.raises(store.StoreBusyError, match="inget av 10 försök gick igenom"):
        store.replace_table("t", always, action="töm", who="a", root=tmp_path)
    assert len(tries) == store.RETRIES
    rows = store.read_table("t", tmp_path)["i"].to_list()
    assert 1 in rows, "nothing of ours was written over the others'"


def test_two_organisations_commit_side_by_side_without_conflict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budgetrummet import tables

    monkeypatch.setitem(tables.PARTITIONED, "t", "org_id")
    store.publish({"t": pl.DataFrame({"org_id": ["a", "b"], "x": [1, 2]})}, action="p",
                  root=tmp_path)  # fmt: skip
    path = str(store.table_path("t", tmp_path))
    base = store.read_snapshot(tmp_path).versions["t"]
    deltalake.write_deltalake(
        path, pl.DataFrame({"org_id": ["b"], "x": [5]}).to_arrow(), mode="overwrite",
        predicate="org_id = 'b'",
    )  # fmt: skip
    # Our replace of ``a`` computed from the older version still commits: another partition.
    store.repair(tmp_path)
    store._write("t", pl.DataFrame({"org_id": ["a"], "x": [9]}), tmp_path, {}, mode="overwrite",
                 part="a", base=base)  # fmt: skip
    store.repair(tmp_path)
    assert store.read_table("t", tmp_path).sort("org_id")["x"].to_list() == [9, 5]


# --- Time travel and retention. ---


def test_the_data_as_it_was_at_a_time_or_version(tmp_path: Path) -> None:
    store.publish({"t": pl.DataFrame({"a": [1]})}, action="p", root=tmp_path)
    store.record_audit(action="nekad: prov", who="x", details={"result": "nekad"}, root=tmp_path)
    between = datetime.now(UTC)
    store.publish({"t": pl.DataFrame({"a": [2]})}, action="p", root=tmp_path)
    then = store.snapshot_at(between, tmp_path)
    assert then.versions == {"t": 0}
    assert store.table_as_of("t", between, tmp_path)["a"].to_list() == [1]
    assert store.table_as_of("t", datetime.now(UTC), tmp_path)["a"].to_list() == [2]
    assert store.snapshot_at(datetime(2000, 1, 1, tzinfo=UTC), tmp_path) is None


def test_vacuum_removes_old_versions_and_keeps_the_current_data(tmp_path: Path) -> None:
    for i in range(25):
        store.publish({"t": pl.DataFrame({"a": list(range(i * 100))})}, action="p", root=tmp_path)
    report = store.vacuum(keep_days=0, who="drift", root=tmp_path)
    assert report["files_removed"] == 23 and report["bytes_after"] < report["bytes_before"]
    assert store.read_table("t", tmp_path)["a"].to_list() == list(range(2400))
    log = store.table_path("t", tmp_path) / "_delta_log"
    assert len(list(log.glob("*.json"))) < 10, "old log entries trimmed after a checkpoint"
    entry = store.read_audit(tmp_path)[-1]
    assert (entry["action"], entry["who"], entry["keep_days"]) == (
        "rensa gamla versioner",
        "drift",
        0,
    )
    store.publish({"t": pl.DataFrame({"a": [1]})}, action="p", root=tmp_path)
    assert store.read_table("t", tmp_path)["a"].to_list() == [1]


def test_rebuild_never_touches_user_tables(tmp_path: Path) -> None:
    from budgetrummet import tables

    build.build(tmp_path)
    assert set(tables.USER_TABLES) <= set(store.read_manifest(tmp_path).tables)
    row = pl.DataFrame(
        {
            "scenario_id": ["s1"],
            "org_id": ["askersund"],
            "name": ["Prov"],
            "params_json": ["{}"],
            "saved_by": ["a"],
            "saved_at": [None],
        },
        schema=tables.USER_TABLES["scenarios"],
    )
    store.append_rows("scenarios", row, action="spara", who="a", root=tmp_path)
    build.build(tmp_path, force=True)
    assert store.read_table("scenarios", tmp_path)["name"].to_list() == ["Prov"]


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "copy (select 1) to '/tmp/budgetrummet-probe.csv'",
        "attach '/tmp/budgetrummet-probe.db'",
        "set enable_external_access = true",
    ],
)
def test_duckdb_is_confined_to_the_data_directory(wh: db.Warehouse, sql: str) -> None:
    import duckdb

    wh.run_query("organisations")
    with pytest.raises(duckdb.Error):
        wh._con.cursor().sql(sql).fetchall()


@pytest.fixture
def parted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A store where table ``t`` is partitioned by ``org_id``, holding orgs a and b."""
    from budgetrummet import tables

    monkeypatch.setitem(tables.PARTITIONED, "t", "org_id")
    frame = pl.DataFrame({"org_id": ["b", "a", "b"], "x": [1, 2, 3]})
    store.publish({"t": frame}, action="prov", who="a", root=tmp_path)
    return tmp_path


def test_a_partitioned_table_is_one_folder_per_key_and_read_as_their_union(parted: Path) -> None:
    entry = store.read_manifest(parted).tables["t"]
    assert entry.partition_by == ("org_id",) and entry.rows == 3
    assert sorted(Path(f).parent.name for f in entry.files) == ["org_id=a", "org_id=b"]
    assert store.read_table("t", parted).sort("x")["x"].to_list() == [1, 2, 3]
    assert store.read_table("t", parted, part="b")["x"].to_list() == [1, 3], "order kept"
    assert store.read_table("t", parted, part="c").columns == ["org_id", "x"]
    wh = db.Warehouse(parted)
    wh._refresh()
    cur = wh._con.cursor()
    assert cur.sql("select org_id, sum(x) from t group by 1 order by 1").fetchall() == [
        ("a", 2),
        ("b", 4),
    ]
    assert cur.sql("select x from t where org_id = $o", params={"o": "a"}).fetchall() == [(2,)]
    assert cur.sql("select * from t limit 0").columns == ["org_id", "x"], "columns in order"


def test_publishing_a_part_keeps_every_other_part_and_is_audited(parted: Path) -> None:
    before = store.read_manifest(parted).tables["t"]
    after = store.publish(
        {},
        parts={"t": {"a": pl.DataFrame({"org_id": ["a", "a"], "x": [5, 6]})}},
        action="prov",
        who="anna",
        root=parted,
    ).tables["t"]
    kept = [f for f in before.files if "/org_id=b/" in f]
    assert kept == [f for f in after.files if "/org_id=b/" in f]
    assert after.rows == 4 and after.version == before.version + 1
    entry = store.read_audit(parted)[-1]
    assert entry["who"] == "anna"
    assert entry["tables"]["t"] == {
        "rows": 4,
        "version": after.version,
        "parts": {"a": {"rows": 2}},
    }


@pytest.mark.parametrize(
    ("key", "rows", "match"),
    [
        ("a", ["b"], "har rader för"),
        ("../a", ["../a"], "ogiltigt värde"),
        ("a/b", ["a/b"], "ogiltigt värde"),
        ("a' or '1", ["a' or '1"], "ogiltigt värde"),
    ],
)
def test_a_part_must_hold_its_own_key_only(parted: Path, key: str, rows: list, match: str) -> None:
    manifest = store.read_manifest(parted).to_json()
    with pytest.raises(ValueError, match=match):
        store.publish(
            {},
            parts={"t": {key: pl.DataFrame({"org_id": rows, "x": [1] * len(rows)})}},
            action="prov",
            root=parted,
        )
    assert store.read_manifest(parted).to_json() == manifest


def test_an_empty_table_keeps_its_columns(parted: Path) -> None:
    store.publish(
        {"t": pl.DataFrame(schema={"org_id": pl.String, "x": pl.Int64})}, action="p", root=parted
    )
    entry = store.read_manifest(parted).tables["t"]
    assert entry.files == () and entry.rows == 0
    wh = db.Warehouse(parted)
    wh._refresh()
    cur = wh._con.cursor()
    assert cur.sql("select count(*) from t").fetchall() == [(0,)]
    assert cur.sql("select * from t").columns == ["org_id", "x"]
    store.publish(
        {}, parts={"t": {"b": pl.DataFrame({"org_id": ["b"], "x": [1]})}}, action="p", root=parted
    )
    assert store.read_manifest(parted).tables["t"].rows == 1


def test_split_by_keeps_row_order_within_each_key() -> None:
    frame = pl.DataFrame({"k": ["b", "a", "b", "a"], "i": [0, 1, 2, 3]})
    parts = store.split_by(frame, "k")
    assert {k: f["i"].to_list() for k, f in parts.items()} == {"a": [1, 3], "b": [0, 2]}
    assert store.split_by(frame.clear(), "k") == {}
    with pytest.raises(ValueError, match="saknas"):
        store.split_by(pl.DataFrame({"k": ["a", None]}), "k")


def entry(
    name: str, files: tuple[str, ...], partition_by: tuple[str, ...] = ()
) -> store.TableEntry:
    columns = (("org_id", "VARCHAR"), ("x", "BIGINT"))
    return store.TableEntry(name, 0, files, 1, partition_by, columns, {})


@pytest.mark.parametrize(
    "bad",
    [
        entry("t; drop table x", ("/d/f.parquet",)),
        store.TableEntry("t", 0, ("/d/f",), 1, (), (("x') --", "BIGINT"),), {}),
    ],
)
def test_view_ddl_takes_only_identifiers_from_the_store(bad: store.TableEntry) -> None:
    with pytest.raises(ValueError, match="ogiltig"):
        db.view_ddl(bad, Path("/data"))


def test_view_ddl_quotes_paths_and_reads_parts_as_one_table() -> None:
    files = ("/d'x/delta/t/org_id=a/p-1.parquet", "/d'x/delta/t/org_id=b/p-2.parquet")
    ddl = db.view_ddl(entry("t", files, ("org_id",)), Path("/d'x"))
    assert ddl == (
        'create or replace view main.t as select "org_id", "x" from read_parquet(['
        "'/d''x/delta/t/org_id=a/p-1.parquet', '/d''x/delta/t/org_id=b/p-2.parquet'], "
        "hive_partitioning = true, hive_types = {'org_id': 'VARCHAR'})"
    )


def test_one_organisations_views_name_only_its_own_files() -> None:
    files = ("/d/delta/t/org_id=a/p-1.parquet", "/d/delta/t/org_id=ab/p-2.parquet")
    manifest = store.Manifest({"t": entry("t", files, ("org_id",))}, "0")
    (ddl,) = db.view_statements(manifest, Path("/d"), schema="org_0", org_id="a")
    assert ddl.startswith("create or replace view org_0.t as")
    assert "org_id=a/p-1" in ddl and "org_id=ab/" not in ddl
    (none,) = db.view_statements(manifest, Path("/d"), schema="org_1", org_id="c")
    assert none.endswith("where false")


def test_the_vacuum_command_is_audited_and_refuses_a_negative_age(tmp_path: Path) -> None:
    import io

    from budgetrummet import cli

    build.build(tmp_path)
    build.build(tmp_path, force=True)  # a second version of every seed table
    out = io.StringIO()
    assert cli.main(["vacuum", "--keep-days", "0"], out=out, root=tmp_path) == 0
    assert out.getvalue().startswith("Rensat: ") and "MiB" in out.getvalue()
    entry = store.read_audit(tmp_path)[-1]
    assert (entry["action"], entry["keep_days"]) == ("rensa gamla versioner", 0)
    assert entry["files_removed"] > 0
    assert store.read_table("figures", tmp_path).height > 800
    assert cli.main(["vacuum", "--keep-days", "-1"], out=io.StringIO(), root=tmp_path) == 2
