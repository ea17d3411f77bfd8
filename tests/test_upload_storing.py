"""Storing uploads: atomic, audited, versioned by period, undoable; crashes lose nothing."""

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import deltalake
import polars as pl
import pytest

from budgetrummet import access, db, store, tables
from budgetrummet.upload import catalogue, kinds, reading, rules, storing
from budgetrummet.upload.validation import Settings, validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "upload"
ANNA = access.Actor("Anna Ek", frozenset({"ekonom"}))
CODES = pl.DataFrame(
    {
        "line_key": [f"vh{c}" for c in (10, 11, 12, 22, 44, 91, 92)],
        "line_label": ["10 Nämnder/Styrelser", "11 Stöd", "12 Revision", "22 Närl", "44 Skolskj",
                       "91 Gemensamma lokaler", "92 Gemensamma verks"],
    }
)  # fmt: skip
CATALOGUE = catalogue.catalogue_for("askersund", CODES)


@pytest.fixture
def root(warehouse_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seed warehouse (the session one is shared by read tests)."""
    target = tmp_path / "wh"
    shutil.copytree(warehouse_dir, target)
    return target


def prepared(
    data: bytes,
    name: str = "utfall.csv",
    year: int = 2025,
    unit: str = "kr",
    org: str = "askersund",
):
    raw = reading.read_upload(data, name)
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    cat = CATALOGUE if org == "askersund" else catalogue.catalogue_for(org, CODES)
    result = validate(raw, Settings.of(org, kinds.UTFALL, year, unit, mapping), cat)
    assert result.ok, result.problems.to_dicts()
    return raw, data, result


def csv_bytes(*rows: str) -> bytes:
    return ("Vht;Konto;Period;Belopp\n" + "\n".join(rows) + "\n").encode()


def month_totals(wh: db.Warehouse, year: int = 2025) -> dict[tuple[str, int], Decimal]:
    out = wh.run_query("upl_outcome_by_month", org_id="askersund", year=year)
    return {(r["line_key"], r["month"]): r["amount_kr"] for r in out.iter_rows(named=True)}


def test_commit_keeps_raw_file_log_and_amounts_in_one_publication(root: Path) -> None:
    data = (FIXTURES / "cp1252_semikolon.csv").read_bytes()
    raw, data, result = prepared(data, "utfall_jan_feb.csv")
    audit_before = len(store.read_audit(root))
    done = storing.commit(raw, data, result, ANNA, root=root)
    assert (done.seq, done.rows, done.periods) == (1, 5, ("2025-01", "2025-02"))
    assert done.total_kr == Decimal("258645.25")
    uploads, outcome = storing.load(root)
    log = uploads.row(0, named=True)
    assert log["file_name"] == "utfall_jan_feb.csv"
    assert log["sha256"] == hashlib.sha256(data).hexdigest()
    assert (log["uploaded_by"], log["status"], log["kind"], log["rows"]) == (
        "Anna Ek",
        "aktiv",
        "utfall",
        5,
    )
    assert (log["encoding"], log["unit"], log["periods"]) == (
        "Windows-1252",
        "kr",
        "2025-01, 2025-02",
    )
    assert log["total_kr"] == Decimal("258645.25")
    assert json.loads(log["mapping_json"])["utfall"] == "belopp"
    assert outcome.height == 5 and outcome["current"].all()
    kept = root / log["raw_file"]
    assert kept.name == f"{log['sha256']}.csv"
    assert kept.read_bytes() == data
    assert not kept.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), "read-only"
    assert storing.raw_bytes(log["raw_file"], root) == data
    (entry,) = store.read_audit(root)[audit_before:]
    assert (entry["who"], entry["action"], entry["file"], entry["rows"]) == (
        "Anna Ek",
        "uppladdning",
        "utfall_jan_feb.csv",
        5,
    )
    assert set(entry["tables"]) == {"uploads", "outcome"}, "both tables in one commit"


def test_an_identical_file_is_refused_naming_the_earlier_upload(root: Path) -> None:
    raw, data, result = prepared(csv_bytes("10;4010;202501;100"), "jan.csv")
    storing.commit(raw, data, result, ANNA, root=root)
    manifest = store.read_manifest(root).to_json()
    raw2, data2, result2 = prepared(data, "jan_igen.csv")
    with pytest.raises(rules.UploadRefusedError) as err:
        storing.commit(raw2, data2, result2, access.Actor("Bo", frozenset({"ekonom"})), root=root)
    assert "uppladdning nr 1" in str(err.value)
    assert "”jan.csv”" in str(err.value) and "av Anna Ek" in str(err.value)
    assert store.read_manifest(root).to_json() == manifest, "nothing changed"
    problem = storing.identical_upload(raw.sha256, storing.load(root)[0])
    assert problem is not None and problem.rule == rules.ALREADY


def test_a_loaded_period_is_replaced_as_a_new_version_and_undo_restores_it(root: Path) -> None:
    wh = db.Warehouse(root)
    a = prepared(csv_bytes("10;4010;202501;100", "10;4010;202502;200", "11;4010;202502;5"))
    first = storing.commit(*a, ANNA, root=root)
    assert month_totals(wh) == {
        ("vh10", 1): Decimal("100"),
        ("vh10", 2): Decimal("200"),
        ("vh11", 2): Decimal("5"),
    }
    b = prepared(csv_bytes("10;4010;202502;250"), "feb_rattad.csv")
    with pytest.raises(rules.UploadRefusedError, match="2025-02 \\(1 rad\\)"):
        storing.commit(*b, access.Actor("Bo", frozenset({"ekonom"})), root=root)
    second = storing.commit(
        *b, access.Actor("Bo", frozenset({"ekonom"})), root=root, mode=storing.REPLACE
    )
    assert second.replaces == (first.seq,)
    # The same Warehouse object sees each publication: no restart needed.
    assert month_totals(wh) == {("vh10", 1): Decimal("100"), ("vh10", 2): Decimal("250")}
    uploads, outcome = storing.load(root)
    assert outcome.height == 4, "the replaced version is kept"
    assert storing.recompute_current(uploads, outcome).equals(outcome), "commit marks as recompute"
    assert uploads.filter(pl.col("seq") == 2)["replaces"].to_list() == ["1"]

    storing.undo(
        second.upload_id, "askersund", access.Actor("Cilla", frozenset({"ekonom"})), root=root
    )
    assert month_totals(wh) == {
        ("vh10", 1): Decimal("100"),
        ("vh10", 2): Decimal("200"),
        ("vh11", 2): Decimal("5"),
    }
    log = storing.load(root)[0].filter(pl.col("seq") == 2).row(0, named=True)
    assert (log["status"], log["status_by"]) == ("ångrad", "Cilla")
    assert log["status_at"] is not None

    storing.restore(second.upload_id, "askersund", ANNA, root=root)
    assert month_totals(wh) == {("vh10", 1): Decimal("100"), ("vh10", 2): Decimal("250")}

    storing.undo(first.upload_id, "askersund", ANNA, root=root)
    assert month_totals(wh) == {("vh10", 2): Decimal("250")}
    actions = [e["action"] for e in store.read_audit(root)[-4:]]
    assert actions == [
        "uppladdning",
        "ångra uppladdning",
        "återställ uppladdning",
        "ångra uppladdning",
    ]


def test_undo_and_restore_check_state_and_organisation(root: Path) -> None:
    done = storing.commit(*prepared(csv_bytes("10;4010;202501;1")), ANNA, root=root)
    with pytest.raises(rules.UploadRefusedError, match="finns inte"):
        storing.undo(done.upload_id, "lerum", ANNA, root=root)
    with pytest.raises(rules.UploadRefusedError, match="redan aktiv"):
        storing.restore(done.upload_id, "askersund", ANNA, root=root)
    storing.undo(done.upload_id, "askersund", ANNA, root=root)
    with pytest.raises(rules.UploadRefusedError, match="redan ångrad"):
        storing.undo(done.upload_id, "askersund", ANNA, root=root)


def parts_of(root: Path, org: str) -> dict[str, tuple[tuple[str, bytes], ...]]:
    """Per upload table: the organisation's current files and their bytes."""
    manifest = store.read_manifest(root)
    out = {}
    for name in ("uploads", "outcome"):
        files = sorted(f for f in manifest.tables[name].files if f"/org_id={org}/" in f)
        out[name] = tuple((f, Path(f).read_bytes()) for f in files)
    return out


def test_an_upload_rewrites_only_its_own_organisations_files(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storing.commit(*prepared(csv_bytes("10;4010;202501;100")), ANNA, root=root)
    askersund = parts_of(root, "askersund")
    written: list[pl.DataFrame] = []
    real = store._write
    monkeypatch.setattr(
        store,
        "_write",
        lambda name, frame, *a, **k: written.append(frame) or real(name, frame, *a, **k),
    )
    lerum = storing.commit(
        *prepared(csv_bytes("10;4010;202501;7", "11;4010;202502;8"), org="lerum"), ANNA, root=root
    )
    assert lerum.seq == 2, "upload numbers run across organisations"
    assert [(f["org_id"].unique().to_list(), f.height) for f in written] == [
        (["lerum"], 1),
        (["lerum"], 2),
    ], "only the organisation's log and amounts were written"
    assert parts_of(root, "askersund") == askersund, "the other organisation's files untouched"
    (entry,) = store.read_audit(root)[-1:]
    assert {n: set(t["parts"]) for n, t in entry["tables"].items()} == {
        "uploads": {"lerum"},
        "outcome": {"lerum"},
    }
    storing.undo(lerum.upload_id, "lerum", ANNA, root=root)
    assert parts_of(root, "askersund") == askersund
    wh = db.Warehouse(root)
    assert month_totals(wh) == {("vh10", 1): Decimal("100")}
    assert wh.run_query("upl_outcome_by_month", org_id="lerum", year=2025).is_empty()
    uploads, outcome = storing.load(root)
    assert storing.recompute_current(uploads, outcome).equals(outcome)
    assert sorted(uploads["org_id"]) == ["askersund", "lerum"]
    assert outcome.group_by("org_id").len().sort("org_id").rows() == [
        ("askersund", 1),
        ("lerum", 2),
    ]


def test_an_organisations_rows_stay_sorted_for_the_queries(root: Path) -> None:
    storing.commit(*prepared(csv_bytes("10;4010;202503;1", "10;4010;202501;2")), ANNA, root=root)
    storing.commit(
        *prepared(csv_bytes("11;4010;202502;3", "10;4010;202501;4", "10;4020;202501;5"), "b.csv"),
        ANNA,
        root=root,
    )
    uploads, outcome = storing.load_org("askersund", root)
    assert outcome.equals(storing.sort_outcome(outcome))
    assert outcome.select("period", "source_row", "current").rows() == [
        ("2025-01", 3, False),
        ("2025-01", 3, True),
        ("2025-01", 4, True),
        ("2025-02", 2, True),
        ("2025-03", 2, True),
    ]
    assert storing.recompute_current(uploads, outcome).equals(outcome)


def test_an_identical_file_is_refused_for_another_organisation_too(root: Path) -> None:
    raw, data, result = prepared(csv_bytes("10;4010;202501;100"), "jan.csv")
    storing.commit(raw, data, result, ANNA, root=root)
    manifest = store.read_manifest(root).to_json()
    with pytest.raises(rules.UploadRefusedError, match="uppladdning nr 1"):
        storing.commit(*prepared(data, "jan.csv", org="lerum"), ANNA, root=root)
    assert store.read_manifest(root).to_json() == manifest


@pytest.mark.parametrize(
    "actor",
    [None, access.Actor("", frozenset({"ekonom"})), access.Actor("   ", frozenset({"ekonom"}))],
)
def test_every_write_requires_a_name_and_a_refusal_changes_nothing(root: Path, actor) -> None:
    manifest = store.read_manifest(root).to_json()
    raw, data, result = prepared(csv_bytes("10;4010;202501;1"))
    with pytest.raises(access.AccessDeniedError):
        storing.commit(raw, data, result, actor, root=root)
    assert store.read_manifest(root).to_json() == manifest
    assert not (root / storing.RAW_DIR).exists()
    done = storing.commit(raw, data, result, ANNA, root=root)
    with pytest.raises(access.AccessDeniedError):
        storing.undo(done.upload_id, "askersund", actor, root=root)
    assert storing.load(root)[0]["status"].to_list() == ["aktiv"]


def test_a_file_with_problems_or_changed_bytes_is_refused(root: Path) -> None:
    raw = reading.read_upload(csv_bytes("99;4010;202501;1"), "x.csv")
    bad = validate(raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr",
                   kinds.suggest_mapping(raw.headers, kinds.UTFALL)), CATALOGUE)  # fmt: skip
    with pytest.raises(rules.UploadRefusedError, match="har fel"):
        storing.commit(raw, csv_bytes("99;4010;202501;1"), bad, ANNA, root=root)
    raw, data, result = prepared(csv_bytes("10;4010;202501;1"))
    with pytest.raises(rules.UploadRefusedError, match="ändrats"):
        storing.commit(raw, data + b"\n", result, ANNA, root=root)
    assert storing.load(root)[0].is_empty()


def test_uploads_from_many_threads_are_all_stored_once(root: Path) -> None:
    errors: list[BaseException] = []

    def work(month: int) -> None:
        try:
            storing.commit(
                *prepared(csv_bytes(f"10;4010;2025{month:02d};{month}")), ANNA, root=root
            )
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(m,)) for m in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    uploads, outcome = storing.load(root)
    assert sorted(uploads["seq"].to_list()) == list(range(1, 9))
    assert sorted(outcome["amount_kr"].to_list()) == [Decimal(m) for m in range(1, 9)]


def test_an_older_empty_table_schema_is_replaced_but_data_never(root: Path) -> None:
    store.publish({"uploads": pl.DataFrame(schema={"upload_id": pl.String})}, action="t", root=root)
    assert storing.load(root)[0].columns == list(tables.USER_TABLES["uploads"])
    with pytest.raises(ValueError, match="org_id"):
        store.publish({"uploads": pl.DataFrame({"upload_id": ["x"]})}, action="t", root=root)
    # A table with rows in another schema can only come from an older version.
    frame = pl.DataFrame({"upload_id": ["x"], "org_id": ["askersund"]})
    store.publish({"uploads": frame}, action="t", root=root)
    with pytest.raises(RuntimeError, match="annat schema"):
        storing.load(root)
    with pytest.raises(RuntimeError, match="annat schema"):
        storing.load_org("askersund", root)
    with pytest.raises(RuntimeError, match="annat schema"):
        storing.commit(*prepared(csv_bytes("10;4010;202501;1")), ANNA, root=root)


@pytest.mark.parametrize("path", ["../manifest.json", "raw/uploads/abc.csv", "/etc/passwd", ""])
def test_raw_file_paths_are_checked(root: Path, path: str) -> None:
    with pytest.raises(ValueError):
        storing.raw_bytes(path, root)


# --- A writer killed midway (separate process) leaves the previous state intact. ---

CHILD = r"""
import os, sys, time
from pathlib import Path
import polars as pl
from budgetrummet import access, store
from budgetrummet.upload import catalogue, kinds, reading, storing
from budgetrummet.upload.validation import Settings, validate

root, path, pause = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
codes = pl.DataFrame({"line_key": ["vh10", "vh11"], "line_label": ["10 N", "11 S"]})
data = path.read_bytes()
raw = reading.read_upload(data, path.name)
mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
result = validate(raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping),
                  catalogue.catalogue_for("askersund", codes))
assert result.ok

def hold(label):
    print(label, flush=True)
    time.sleep(120)

real_replace = os.replace
def replace(src, dst):
    real_replace(src, dst)
    if pause == "raw" and "/raw/uploads/" in str(dst):
        hold("PAUSED")
os.replace = replace
real_write = store._write
def write(name, *a, **k):
    version = real_write(name, *a, **k)
    if pause == "table":
        hold("PAUSED")
    return version
store._write = write
real_audit = store._append_audit
def audit(root, **k):
    if pause == "audit" and k.get("snapshot") is not None:
        hold("PAUSED")
    return real_audit(root, **k)
store._append_audit = audit
print("START", flush=True)
storing.commit(raw, data, result, access.Actor("Kill Test", frozenset({"ekonom"})), root=root)
print("DONE", flush=True)
"""


def big_file(tmp_path: Path, rows: int, month: int, seed: int) -> Path:
    lines = [f"{10 + (i % 2)};{4000 + i};2025{month:02d};{(i * 37 + seed) % 10007},{i % 100:02d}"
             for i in range(rows)]  # fmt: skip
    path = tmp_path / f"stor_{month}_{seed}.csv"
    path.write_bytes(("Vht;Konto;Period;Belopp\n" + "\n".join(lines) + "\n").encode())
    return path


def spawn(root: Path, path: Path, pause: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), store.ENV_DATA_DIR: str(root)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), str(path), pause],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )


def wait_for(proc: subprocess.Popen, word: str) -> None:
    for line in proc.stdout:
        if line.strip() == word:
            return
    raise AssertionError(f"the writer ended before {word}: {proc.stderr.read()}")


def kill(proc: subprocess.Popen, word: str = "PAUSED") -> None:
    try:
        wait_for(proc, word)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


def state(root: Path) -> tuple[str, pl.DataFrame, pl.DataFrame]:
    uploads, outcome = storing.load(root)
    return store.read_manifest(root).to_json(), uploads, outcome


def assert_consistent(root: Path) -> None:
    """Every file a table names exists; log and amounts agree; after repair every
    table's latest version is the committed one and every upload has its audit row."""
    snapshot = store.repair(root)
    manifest = store.read_manifest(root)
    for entry in manifest.tables.values():
        assert all(Path(f).exists() for f in entry.files)
    assert snapshot.versions == {
        n: deltalake.DeltaTable(str(store.table_path(n, root))).version() for n in snapshot.versions
    }, "the audit names every table's latest commit"
    uploads, outcome = storing.load(root)
    counts = dict(outcome.group_by("upload_id").len().rows())
    assert counts == dict(zip(uploads["upload_id"], uploads["rows"], strict=True))
    for rel in uploads["raw_file"]:
        assert (root / rel).exists()
    audited = {e.get("upload_id") for e in store.read_audit(root) if e["action"] == "uppladdning"}
    assert set(uploads["upload_id"]) <= audited, "every stored upload is in the audit"


def month_of_kill(root: Path, tmp_path: Path, pause: str, rows: int = 2000) -> Path:
    path = big_file(tmp_path, rows, 2, seed=1)
    kill(spawn(root, path, pause))
    return path


@pytest.mark.parametrize("pause", ["raw", "table"])
def test_a_writer_killed_before_its_audit_commit_leaves_the_previous_state(
    root: Path, tmp_path: Path, pause: str
) -> None:
    storing.commit(*prepared(csv_bytes("10;4010;202501;100")), ANNA, root=root)
    storing.commit(*prepared(csv_bytes("10;4010;202501;9"), org="lerum"), ANNA, root=root)
    before = state(root)
    files = {org: parts_of(root, org) for org in ("askersund", "lerum")}
    wh = db.Warehouse(root)
    path = month_of_kill(root, tmp_path, pause)
    # Readers see the previous state at once: the upload's log row was committed
    # (``table``) but the audit row naming it was not, so the rows are invisible.
    after = state(root)
    assert after[0] == before[0], "the committed snapshot is the previous one"
    assert after[1].equals(before[1]) and after[2].equals(before[2])
    assert {org: parts_of(root, org) for org in files} == files
    assert month_totals(wh) == {("vh10", 1): Decimal("100")}
    assert_consistent(root)  # repairs: rolls the half-done upload back, audited
    if pause == "table":
        assert store.read_audit(root)[-1]["action"] == "återställ avbruten skrivning"
    assert state(root)[1].equals(before[1])
    # The lock died with the writer, and the file was never logged: it can be uploaded now.
    data = path.read_bytes()
    raw = reading.read_upload(data, path.name)
    result = validate(raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr",
                      kinds.suggest_mapping(raw.headers, kinds.UTFALL)), CATALOGUE)  # fmt: skip
    assert storing.commit(raw, data, result, ANNA, root=root).seq == 3
    assert_consistent(root)
    # The killed commit's files are gone after a vacuum.
    report = store.vacuum(keep_days=0, root=root)
    assert report["files_removed"] > 0
    manifest = store.read_manifest(root)
    current = {f for e in manifest.tables.values() for f in e.files}
    on_disk = {str(p) for p in (root / store.DELTA_DIR).rglob("*.parquet")
               if "_delta_log" not in p.parts and store.AUDIT_TABLE not in p.parts}  # fmt: skip
    assert on_disk == current, "only the current files are left"
    assert_consistent(root)


def test_a_writer_killed_before_its_audit_row_is_completed_from_the_history(
    root: Path, tmp_path: Path
) -> None:
    kill(spawn(root, big_file(tmp_path, 500, 3, seed=2), "audit"))
    assert storing.load(root)[0].is_empty(), "not visible before the audit row"
    snapshot = store.repair(root)
    entry = store.read_audit(root)[-1]
    assert (entry["action"], entry["who"], entry["rows"]) == ("uppladdning", "Kill Test", 500)
    assert entry["completed_from_history"] is True
    assert snapshot.versions == store.read_snapshot(root).versions
    uploads, outcome = storing.load(root)
    assert uploads["rows"].to_list() == [500]
    assert outcome.height == 500 and outcome["current"].all()
    assert_consistent(root)


@pytest.mark.slow
def test_writers_killed_at_random_moments_never_leave_a_torn_state(
    root: Path, tmp_path: Path
) -> None:
    import random

    rng = random.Random(8)
    for attempt in range(4):
        proc = spawn(root, big_file(tmp_path, 20_000, 4 + attempt, seed=attempt), "none")
        try:
            wait_for(proc, "START")
            time.sleep(rng.uniform(0.0, 0.6))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=60)
            proc.stdout.close()
            proc.stderr.close()
        assert_consistent(root)


# --- A data directory of the store before Delta Lake (manifest.json + Parquet). ---


def legacy_dir(root: Path, target: Path) -> Path:
    """``root``'s tables written as the earlier store wrote them: one Parquet file per
    table (per organisation for the upload tables), a manifest and a JSON lines audit."""
    manifest = store.read_manifest(root)
    body = {"format": 2, "seed_sha256": manifest.seed_sha256, "tables": {}}
    for name in manifest.tables:
        frame = store.read_table(name, root)
        if name == "uploads":
            frame = frame.drop("mode")  # a log from before the column existed
        column = tables.PARTITIONED.get(name)
        if column and frame.height:
            parts = {}
            for key, part in store.split_by(frame, column).items():
                rel = f"tables/{name}/{column}={key}/{name}-x.parquet"
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                part.write_parquet(target / rel)
                parts[key] = {"file": rel, "rows": part.height, "sha256": "0" * 64}
            body["tables"][name] = {"partition_by": column, "rows": frame.height,
                                    "sha256": "0" * 64, "parts": parts}  # fmt: skip
            continue
        rel = f"tables/{name}/{name}-x.parquet"
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(target / rel)
        body["tables"][name] = {"file": rel, "rows": frame.height, "sha256": "0" * 64}
    (target / store.MANIFEST).write_text(json.dumps(body))
    shutil.copytree(root / "raw", target / "raw")
    lines = [{"when": "2026-01-02T03:04:05+00:00", "who": "Gammal", "action": "prov",
              "result": "ok", "upload_id": "u-old"}, *store.read_audit(root)]  # fmt: skip
    (target / store.LEGACY_AUDIT).write_text("".join(json.dumps(x) + "\n" for x in lines))
    return target


def figures(root: Path) -> dict[str, pl.DataFrame]:
    wh = db.Warehouse(root)
    return {
        f"{org} {name}": wh.run_query(name, org_id=org, **extra)
        for org in ("askersund", "lerum")
        for name, extra in (
            ("upl_outcome_by_month", {"year": 2025}),
            ("upl_loaded_periods", {}),
            ("upl_uploads_for_org", {}),
        )
    }


def test_a_data_directory_of_the_earlier_store_is_migrated_once_and_verified(
    root: Path, tmp_path: Path
) -> None:
    from budgetrummet import build

    storing.commit(*prepared(csv_bytes("10;4010;202501;100", "11;4010;202502;5")), ANNA, root=root)
    storing.commit(*prepared(csv_bytes("10;4010;202501;150"), "ny.csv"), ANNA, root=root)
    storing.commit(*prepared(csv_bytes("10;4010;202502;7"), org="lerum"), ANNA, root=root)
    before = figures(root)
    old = legacy_dir(root, tmp_path / "old")
    build.build(old, who="pytest")
    assert not (old / store.MANIFEST).exists() and not (old / store.LEGACY_AUDIT).exists()
    assert not (old / store.LEGACY_TABLES).exists(), "old files removed after verification"
    after = figures(old)
    for key, frame in before.items():
        assert after[key].equals(frame), key
    audit = store.read_audit(old)
    assert (audit[0]["who"], audit[0]["upload_id"]) == ("Gammal", "u-old"), "old audit kept"
    assert [e["action"] for e in audit[-2:]] == ["migrera till Delta Lake", "migrering verifierad"]
    manifest = store.read_manifest(old)
    assert manifest.tables["outcome"].partition_by == ("org_id",)
    build.build(old, who="pytest")
    assert store.read_manifest(old) == manifest, "migrated once"
    done = storing.commit(*prepared(csv_bytes("10;4010;202503;1"), "mars.csv"), ANNA, root=old)
    assert done.seq == 4
    assert_consistent(old)


JANUARY = csv_bytes(*(f"{c};4010;202501;{n * 100}" for n, c in enumerate((10, 11, 12, 22, 44), 1)))


def test_a_partial_file_is_refused_without_a_choice_and_a_correction_keeps_the_rest(
    root: Path,
) -> None:
    wh = db.Warehouse(root)
    first = storing.commit(*prepared(JANUARY, "jan.csv"), ANNA, root=root)
    full = month_totals(wh)
    assert sum(full.values()) == Decimal("1500")
    fix = prepared(csv_bytes("11;4010;202501;-50", "92;4010;202501;7"), "jan_rattelse.csv")
    uploads, outcome = storing.load(root)
    now = storing.current_rows(outcome, "askersund", kinds.UTFALL, ["2025-01"])
    assert storing.lost_rows(fix[2].rows, now).height == 4
    changes = storing.period_changes(fix[2].rows, now, storing.CORRECT)
    assert changes.select("verksamhet", "change", "before_kr", "after_kr").rows() == [
        ("10", "oförändrad", Decimal("100"), Decimal("100")),
        ("11", "ändras", Decimal("200"), Decimal("-50")),
        ("12", "oförändrad", Decimal("300"), Decimal("300")),
        ("22", "oförändrad", Decimal("400"), Decimal("400")),
        ("44", "oförändrad", Decimal("500"), Decimal("500")),
        ("92", "tillkommer", None, Decimal("7")),
    ]
    replaced = storing.period_changes(fix[2].rows, now, storing.REPLACE)
    assert replaced.filter(pl.col("change") == "tas bort")["verksamhet"].to_list() == [
        "10", "12", "22", "44",
    ]  # fmt: skip

    lost, planned = storing.planned_changes(fix[2], storing.CORRECT, root=root)
    assert lost.height == 4 and planned.equals(changes)
    audit = len(store.read_audit(root))
    with pytest.raises(rules.UploadRefusedError, match="Välj om filen ska ersätta hela perioden"):
        storing.commit(*fix, ANNA, root=root)
    assert len(store.read_audit(root)) == audit and month_totals(wh) == full

    second = storing.commit(*fix, ANNA, root=root, mode=storing.CORRECT)
    assert second.replaces == (first.seq,)
    corrected = month_totals(wh)
    assert corrected == full | {("vh11", 1): Decimal("-50"), ("vh92", 1): Decimal("7")}
    uploads, outcome = storing.load(root)
    assert storing.recompute_current(uploads, outcome).equals(outcome)
    assert uploads.filter(pl.col("seq") == 2)["mode"].to_list() == ["ratta"]

    storing.undo(second.upload_id, "askersund", ANNA, root=root)
    assert month_totals(wh) == full, "undoing the correction restores the state exactly"
    storing.restore(second.upload_id, "askersund", ANNA, root=root)
    assert month_totals(wh) == corrected

    # A later whole-period upload replaces base and correction alike.
    third = prepared(csv_bytes("10;4010;202501;1"), "jan_ny.csv")
    storing.commit(*third, ANNA, root=root, mode=storing.REPLACE)
    assert month_totals(wh) == {("vh10", 1): Decimal("1")}


def test_a_correction_without_account_replaces_every_account_of_its_verksamhet(
    root: Path,
) -> None:
    wh = db.Warehouse(root)
    storing.commit(
        *prepared(csv_bytes("10;4010;202501;100", "10;4020;202501;5", "11;4010;202501;9")),
        ANNA,
        root=root,
    )
    data = b"Vht;Period;Belopp\n10;202501;80\n"
    storing.commit(*prepared(data, "utan_konto.csv"), ANNA, root=root, mode=storing.CORRECT)
    assert month_totals(wh) == {("vh10", 1): Decimal("80"), ("vh11", 1): Decimal("9")}


def test_an_old_log_without_the_mode_column_still_loads_as_replace(root: Path) -> None:
    storing.commit(*prepared(JANUARY, "jan.csv"), ANNA, root=root)
    uploads, _ = storing.load_org("askersund", root)
    old = uploads.drop("mode")
    assert storing.conform("uploads", old)["mode"].to_list() == [None]


PROPERTY_ROOT: dict[str, Path] = {}


def _property_root(warehouse_dir: Path, tmp_path_factory) -> Path:
    if "root" not in PROPERTY_ROOT:
        target = tmp_path_factory.mktemp("prop") / "wh"
        shutil.copytree(warehouse_dir, target)
        PROPERTY_ROOT["root"] = target
    return PROPERTY_ROOT["root"]


def test_no_current_row_disappears_without_the_replace_choice(
    warehouse_dir: Path, tmp_path_factory
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    root = _property_root(warehouse_dir, tmp_path_factory)
    codes = st.sampled_from(["10", "11", "12", "22", "44", "91", "92"])
    line = st.tuples(codes, st.sampled_from(["4010", "4020"]), st.sampled_from(["1", "2"]),
                     st.integers(-999, 999))  # fmt: skip
    lines = st.lists(line, min_size=1, max_size=8, unique_by=lambda t: t[:3])
    counter = iter(range(10_000))

    def body(rows, tag: str) -> bytes:
        # The tag column keeps every file's bytes unique (an identical file is refused).
        return (
            "Vht;Konto;Period;Belopp;Not\n"
            + "".join(f"{c};{k};20250{m};{a};{tag}\n" for c, k, m, a in rows)
        ).encode()

    def state(org: str) -> dict[tuple, Decimal]:
        _, outcome = storing.load_org(org, root)
        now = outcome.filter(pl.col("current"))
        return {
            (r["period"], r["line_key"], r["account"]): r["amount_kr"]
            for r in now.iter_rows(named=True)
        }

    @settings(max_examples=20, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(lines, lines, st.sampled_from([None, storing.CORRECT]))
    def check(first, second, mode) -> None:
        org = f"prop{next(counter)}"
        storing.commit(*prepared(body(first, org + "a"), org=org), ANNA, root=root)
        before = state(org)
        try:
            storing.commit(
                *prepared(body(second, org + "b"), "b.csv", org=org), ANNA, root=root, mode=mode
            )
        except rules.UploadRefusedError:
            assert mode is None
            assert state(org) == before, "a refusal changes nothing"
            return
        after = state(org)
        named = {(f"2025-0{m}", f"vh{c}", k) for c, k, m, _ in second}
        for key, amount in before.items():
            assert key in after, f"{key} disappeared without the replace choice"
            if key not in named:
                assert after[key] == amount
        for c, k, m, a in second:
            assert after[(f"2025-0{m}", f"vh{c}", k)] == Decimal(a)

    check()


def test_a_confirmed_name_mapping_is_remembered_for_the_organisation_and_audited(
    root: Path,
) -> None:
    lerum = catalogue.catalogue_for("lerum", pl.DataFrame({"line_key": ["po:hr"],
                                                           "line_label": ["HR"]}))  # fmt: skip
    name = "Idrotts- och fritidsanläggning"
    assert lerum.resolve(name) is None
    assert [v.label for v in lerum.suggest(name)] == ["340 Idrotts- och fritidsanläggningar (SCB)"]
    with pytest.raises(access.AccessDeniedError):
        storing.remember_names("lerum", {name: "scb:340"}, None, root=root)
    assert storing.remember_names("lerum", {name: "scb:340"}, ANNA, root=root) == 1
    audit = store.read_audit(root)[-1]
    assert (audit["action"], audit["names"]) == (
        "koppla verksamhetsnamn",
        {name: "scb:340"},
    )
    wh = db.Warehouse(root)
    mapped = wh.run_query("upl_name_mappings", org_id="lerum")
    assert mapped.select("name", "line_key", "set_by").rows() == [(name, "scb:340", "Anna Ek")]
    assert wh.run_query("upl_name_mappings", org_id="askersund").is_empty()
    names = storing.name_map(mapped, "lerum")
    hit = lerum.with_names(names).resolve(name)
    assert hit is not None and hit.line_key == "scb:340"
    # The latest confirmation of a name holds.
    storing.remember_names("lerum", {name.upper(): "scb:300"}, ANNA, root=root)
    again = wh.run_query("upl_name_mappings", org_id="lerum")
    assert storing.name_map(again, "lerum") == {kinds.normalise(name): "scb:300"}
