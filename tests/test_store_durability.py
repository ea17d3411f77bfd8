"""The Delta store under kill -9, many uploads and vacuum (subprocess writers).

The kill test runs ``BUDGETRUMMET_KILLS`` kills (default 40; the full run of 200 is
``BUDGETRUMMET_KILLS=200 pytest -m slow tests/test_store_durability.py``).
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import deltalake
import polars as pl
import pytest

from budgetrummet import db, store
from budgetrummet.upload import storing
from tests.test_upload_storing import ANNA, ROOT, csv_bytes, prepared

WRITER = r"""
import sys
from pathlib import Path
import polars as pl
from budgetrummet import access
from budgetrummet.upload import catalogue, kinds, reading, storing
from budgetrummet.upload.validation import Settings, validate

root, start = Path(sys.argv[1]), int(sys.argv[2])
codes = pl.DataFrame({"line_key": ["vh10", "vh11"], "line_label": ["10 N", "11 S"]})
cat = {org: catalogue.catalogue_for(org, codes) for org in ("askersund", "lerum")}
actor = access.Actor("Skrivare", frozenset({"ekonom"}))
# Files read and checked first, so the kill lands in the commits (load, compute, write
# the log, write the amounts, the audit row), not in the reading.
prepared = []
for i in range(start, start + 12):
    org = ("askersund", "lerum")[i % 2]
    rows = "\n".join(f"{10 + r % 2};{4000 + r};2025{1 + i % 12:02d};{i * 1000 + r}"
                     for r in range(1 + (i * 37) % 3000))
    data = ("Vht;Konto;Period;Belopp\n" + rows + "\n").encode()
    raw = reading.read_upload(data, f"f{i}.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    settings = Settings.of(org, kinds.UTFALL, 2025, "kr", mapping)
    prepared.append((raw, data, validate(raw, settings, cat[org])))
print("START", flush=True)
for raw, data, result in prepared:
    done = storing.commit(raw, data, result, actor, root=root, mode="ersatt")
    print("DONE", done.upload_id, flush=True)
"""


@pytest.fixture
def root(warehouse_dir: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "wh"
    shutil.copytree(warehouse_dir, target)
    return target


def visible_uploads(root: Path) -> set[str]:
    return set(storing.load(root)[0]["upload_id"])


def check(root: Path) -> None:
    """Readable, consistent, and the audit names every table's latest commit."""
    uploads, outcome = storing.load(root)
    counts = dict(outcome.group_by("upload_id").len().rows())
    assert counts == dict(zip(uploads["upload_id"], uploads["rows"], strict=True))
    assert storing.recompute_current(uploads, outcome).equals(outcome)
    snapshot = store.read_snapshot(root)
    for name, version in snapshot.versions.items():
        assert deltalake.DeltaTable(str(store.table_path(name, root))).version() == version
    audited = {e.get("upload_id") for e in store.read_audit(root) if e["action"] == "uppladdning"}
    assert set(uploads["upload_id"]) <= audited
    db.Warehouse(root).run_query("upl_outcome_by_month", org_id="askersund", year=2025)


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_the_old_or_the_new_state(root: Path) -> None:
    kills = int(os.environ.get("BUDGETRUMMET_KILLS", "40"))
    rng = random.Random(16)
    env = {**os.environ, "PYTHONPATH": str(ROOT), store.ENV_DATA_DIR: str(root)}
    outcomes = {"rolled back": 0, "completed from history": 0, "between commits": 0}
    start = 0
    for _ in range(kills):
        before = visible_uploads(root)
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(start)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True,
        )  # fmt: skip
        done: list[str] = []
        try:
            assert proc.stdout.readline().strip() == "START", proc.stderr.read()
            # Commits follow each other from here (about 0.15–0.3 s each): the kill lands
            # anywhere in one of them.
            time.sleep(rng.uniform(0.0, 1.2))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=60)
            out = proc.stdout.read()
            proc.stdout.close()
            proc.stderr.close()
        done = [line.split()[1] for line in out.splitlines() if line.startswith("DONE")]
        start += 12
        seen = visible_uploads(root)
        # Every finished commit is visible; at most the one in flight is too.
        assert set(done) <= seen and len(seen - before - set(done)) <= 1
        audited = len(store.read_audit(root))
        store.repair(root)
        after = visible_uploads(root)
        assert set(done) <= after and len(after - before - set(done)) <= 1
        repaired = store.read_audit(root)[audited:]
        if not repaired:
            outcomes["between commits"] += 1
        elif repaired[-1].get("completed_from_history"):
            assert len(after - seen) == 1, "the completed upload is visible after the repair"
            outcomes["completed from history"] += 1
        else:
            assert repaired[-1]["action"] == "återställ avbruten skrivning"
            assert after == seen, "a rolled back upload never shows"
            outcomes["rolled back"] += 1
        check(root)
    # Still writable after all the kills.
    data = csv_bytes("10;4010;202512;1")
    assert storing.commit(*prepared(data, "sist.csv"), ANNA, root=root, mode="ersatt").rows == 1
    check(root)
    print(f"{kills} kills: {outcomes}")


@pytest.mark.slow
def test_vacuum_after_500_uploads_keeps_the_data_dir_bounded_and_undo_working(
    root: Path,
) -> None:
    seen_max = 0
    ids = []
    for i in range(500):
        rows = [f"{10 + r % 2};{4000 + r};2025{1 + i % 12:02d};{i * 1000 + r}" for r in range(20)]
        org = ("askersund", "lerum")[i % 2]
        done = storing.commit(*prepared(csv_bytes(*rows), f"f{i}.csv", org=org), ANNA,
                              root=root, mode="ersatt")  # fmt: skip
        ids.append((done.upload_id, org))
        if i % 100 == 99:
            seen_max = max(seen_max, store.directory_bytes(root))
    before = store.directory_bytes(root)
    report = store.vacuum(keep_days=0, root=root)
    after = store.directory_bytes(root)
    manifest = store.read_manifest(root)
    current = sum(Path(f).stat().st_size for e in manifest.tables.values() for f in e.files)
    raw = store.directory_bytes(root / storing.RAW_DIR)
    logs = sum(
        p.stat().st_size for p in (root / store.DELTA_DIR).rglob("*") if "_delta_log" in p.parts
    )
    audit = store.directory_bytes(root / store.DELTA_DIR / store.AUDIT_TABLE)
    print(
        f"500 uploads: {before} bytes before vacuum, {after} after (current files {current}, "
        f"raw {raw}, logs {logs}, audit {audit}); {report['files_removed']} files removed"
    )
    # The bound (README): current data files + raw uploads + the audit + each table's
    # log since its last checkpoint (under 64 KiB a table here) + the lock files.
    tables = len(manifest.tables)
    assert after <= current + raw + audit + tables * 64 * 1024 + 4096
    assert after < before
    # Undo and restore work for every upload kept (all of them: rows are never vacuumed).
    wh = db.Warehouse(root)
    for upload_id, org in (ids[0], ids[1], ids[-2], ids[-1]):
        storing.undo(upload_id, org, ANNA, root=root)
        storing.restore(upload_id, org, ANNA, root=root)
    last_id, last_org = ids[-1]
    storing.undo(last_id, last_org, ANNA, root=root)
    uploads = storing.load(root)[0]
    assert uploads.filter(pl.col("upload_id") == last_id)["status"].item() == storing.UNDONE
    assert wh.run_query("upl_uploads_for_org", org_id=last_org).height == 250
    check(root)
