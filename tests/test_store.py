"""The store: immutable files behind an atomic manifest, idempotent build, audited writes."""

import json
import threading
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import build, db, store


def test_publish_writes_immutable_files_and_swaps_the_manifest(tmp_path: Path) -> None:
    first = store.publish(
        {"t": pl.DataFrame({"a": [1, 2]})}, seed_sha256="x", action="test", root=tmp_path
    )
    old_file = tmp_path / first.tables["t"].file
    old_bytes = old_file.read_bytes()
    second = store.publish(
        {"t": pl.DataFrame({"a": [3]})}, seed_sha256="y", action="test", root=tmp_path
    )
    assert second.tables["t"].file != first.tables["t"].file
    assert old_file.read_bytes() == old_bytes, "a published file must never be rewritten"
    assert store.read_manifest(tmp_path) == second
    assert not list(tmp_path.rglob("*.tmp")), "no temp files left behind"


def test_publishing_the_same_data_twice_changes_nothing(tmp_path: Path) -> None:
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    a = store.publish({"t": frame}, seed_sha256="s", action="test", root=tmp_path)
    stamp = store.manifest_stamp(tmp_path)
    b = store.publish({"t": frame}, seed_sha256="s", action="test", root=tmp_path)
    assert a == b
    assert store.manifest_stamp(tmp_path) == stamp
    assert len(list((tmp_path / "tables" / "t").iterdir())) == 1


def test_every_write_is_audited_with_who_when_what_and_checksum(tmp_path: Path) -> None:
    store.publish(
        {"t": pl.DataFrame({"a": [1]})}, seed_sha256="s", action="prov", who="anna", root=tmp_path
    )
    (entry,) = store.read_audit(tmp_path)
    assert entry["who"] == "anna"
    assert entry["action"] == "prov"
    assert entry["when"].endswith("+00:00")
    assert len(entry["tables"]["t"]["sha256"]) == 64


def test_build_is_idempotent(tmp_path: Path) -> None:
    first = build.build(tmp_path)
    text = (tmp_path / store.MANIFEST).read_text()
    second = build.build(tmp_path, force=True)
    assert first == second
    assert (tmp_path / store.MANIFEST).read_text() == text
    assert json.loads(text)["tables"]["figures"]["rows"] > 800


def test_readers_see_a_new_publication_without_restart(tmp_path: Path) -> None:
    store.publish(
        {"organisations": pl.DataFrame({"org_id": ["a"], "org_name": ["A"]})},
        seed_sha256="1",
        action="t",
        root=tmp_path,
    )
    wh = db.Warehouse(tmp_path)
    assert wh.run_query("organisations")["org_name"].to_list() == ["A"]
    store.publish(
        {"organisations": pl.DataFrame({"org_id": ["a", "b"], "org_name": ["A", "B"]})},
        seed_sha256="2",
        action="t",
        root=tmp_path,
    )
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


def test_replace_table_keeps_the_old_file(tmp_path: Path) -> None:
    store.append_rows("t", pl.DataFrame({"i": [1, 2]}), action="prov", who="a", root=tmp_path)
    before = store.read_manifest(tmp_path).tables["t"].file
    store.replace_table(
        "t", lambda f: f.filter(pl.col("i") != 2), action="ta bort", who="a", root=tmp_path
    )
    assert store.read_table("t", tmp_path)["i"].to_list() == [1]
    assert (tmp_path / before).exists()


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


# --- Tables stored one file per organisation (tables.PARTITIONED). ---


@pytest.fixture
def parted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A store where table ``t`` is partitioned by ``org_id``, holding orgs a and b."""
    from budgetrummet import tables

    monkeypatch.setitem(tables.PARTITIONED, "t", "org_id")
    frame = pl.DataFrame({"org_id": ["b", "a", "b"], "x": [1, 2, 3]})
    store.publish({"t": frame}, action="prov", who="a", root=tmp_path)
    return tmp_path


def test_a_partitioned_table_is_one_file_per_key_and_read_as_their_union(parted: Path) -> None:
    entry = store.read_manifest(parted).tables["t"]
    assert [(p.key, p.rows) for p in entry.parts] == [("a", 1), ("b", 2)]
    assert [p.file.split("/")[2] for p in entry.parts] == ["org_id=a", "org_id=b"]
    assert entry.rows == 3 and entry.hive
    manifest = store.read_manifest(parted)
    assert store.Manifest.from_json(manifest.to_json()) == manifest
    assert json.loads(manifest.to_json())["tables"]["t"]["parts"]["b"]["rows"] == 2
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


def test_publishing_a_part_keeps_every_other_part_and_is_audited(parted: Path) -> None:
    before = store.read_manifest(parted).tables["t"]
    after = store.publish(
        {},
        parts={"t": {"a": pl.DataFrame({"org_id": ["a", "a"], "x": [5, 6]})}},
        action="prov",
        who="anna",
        root=parted,
    ).tables["t"]
    assert after.part("b") == before.part("b")
    assert after.part("a") != before.part("a") and after.rows == 4
    assert (parted / before.part("a").file).exists(), "the old part stays on disk"
    entry = store.read_audit(parted)[-1]
    assert entry["who"] == "anna"
    assert list(entry["tables"]["t"]["parts"]) == ["a"]
    assert entry["tables"]["t"]["sha256"] == after.sha256 != before.sha256
    again = store.publish(
        {},
        parts={"t": {"a": pl.DataFrame({"org_id": ["a", "a"], "x": [5, 6]})}},
        action="prov",
        root=parted,
    )
    assert again.tables["t"] == after and store.read_audit(parted)[-1]["changed"] is False


@pytest.mark.parametrize(
    ("key", "rows", "match"),
    [
        ("a", ["b"], "har rader för"),
        ("../a", ["../a"], "ogiltigt värde"),
        ("a/b", ["a/b"], "ogiltigt värde"),
    ],
)
def test_a_part_must_hold_its_own_key_only(parted: Path, key: str, rows: list, match: str) -> None:
    manifest = (parted / store.MANIFEST).read_bytes()
    with pytest.raises(ValueError, match=match):
        store.publish(
            {},
            parts={"t": {key: pl.DataFrame({"org_id": rows, "x": [1] * len(rows)})}},
            action="prov",
            root=parted,
        )
    assert (parted / store.MANIFEST).read_bytes() == manifest


def test_an_empty_partitioned_table_keeps_its_columns_until_it_has_rows(
    parted: Path,
) -> None:
    store.publish(
        {"t": pl.DataFrame(schema={"org_id": pl.String, "x": pl.Int64})}, action="p", root=parted
    )
    entry = store.read_manifest(parted).tables["t"]
    assert [(p.key, p.rows) for p in entry.parts] == [("", 0)] and not entry.hive
    wh = db.Warehouse(parted)
    wh._refresh()
    assert wh._con.cursor().sql("select count(*) from t").fetchall() == [(0,)]
    store.publish(
        {}, parts={"t": {"b": pl.DataFrame({"org_id": ["b"], "x": [1]})}}, action="p", root=parted
    )
    entry = store.read_manifest(parted).tables["t"]
    assert [(p.key, p.rows) for p in entry.parts] == [("b", 1)] and entry.hive


def test_format_1_manifests_are_read_and_unknown_formats_refused() -> None:
    table = {"file": "f", "rows": 2, "sha256": "h"}
    old = json.dumps({"format": 1, "seed_sha256": "s", "tables": {"t": table}})
    manifest = store.Manifest.from_json(old)
    assert manifest.tables["t"] == store.TableEntry("t", "f", 2, "h")
    assert manifest.tables["t"].files == ("f",)
    assert store.Manifest.from_json(manifest.to_json()) == manifest
    with pytest.raises(ValueError, match="manifestformat"):
        store.Manifest.from_json('{"format": 3, "seed_sha256": "", "tables": {}}')


def test_split_by_keeps_row_order_within_each_key() -> None:
    frame = pl.DataFrame({"k": ["b", "a", "b", "a"], "i": [0, 1, 2, 3]})
    parts = store.split_by(frame, "k")
    assert {k: f["i"].to_list() for k, f in parts.items()} == {"a": [1, 3], "b": [0, 2]}
    assert store.split_by(frame.clear(), "k") == {}
    with pytest.raises(ValueError, match="saknas"):
        store.split_by(pl.DataFrame({"k": ["a", None]}), "k")


@pytest.mark.parametrize(
    "entry",
    [
        store.TableEntry("t; drop table x", "f.parquet", 1, "h"),
        store.TableEntry(
            "t", "", 1, "h", "org_id') --", (store.Part("a", "tables/t/org_id') --=a/f", 1, "h"),)
        ),
    ],
)
def test_view_ddl_takes_only_identifiers_from_the_manifest(entry: store.TableEntry) -> None:
    with pytest.raises(ValueError, match="ogiltig"):
        db.view_ddl(entry, Path("/data"))


def test_view_ddl_quotes_paths_and_reads_parts_as_one_table() -> None:
    parts = (store.Part("a", "tables/t/org_id=a/t-1.parquet", 1, "h"),
             store.Part("b", "tables/t/org_id=b/t-2.parquet", 1, "h"))  # fmt: skip
    ddl = db.view_ddl(store.TableEntry("t", "", 2, "h", "org_id", parts), Path("/d'x"))
    assert ddl == (
        "create or replace view t as select * from read_parquet(["
        "'/d''x/tables/t/org_id=a/t-1.parquet', '/d''x/tables/t/org_id=b/t-2.parquet'], "
        "hive_partitioning = true, hive_types = {'org_id': 'VARCHAR'})"
    )
