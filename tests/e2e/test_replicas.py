"""Two and four app servers (``streamlit run``) on one data directory: while worker
processes commit uploads through the storing API, every replica shows each commit on its
next rerun, without a restart, and no reader errors. 100 rounds each."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetrummet import build, store
from budgetrummet.upload import storing
from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROUNDS = int(os.environ.get("BUDGETRUMMET_REPLICA_ROUNDS", "100"))

WORKER = r"""
import sys
from pathlib import Path
import polars as pl
from budgetrummet import access
from budgetrummet.upload import catalogue, kinds, reading, storing
from budgetrummet.upload.validation import Settings, validate

root, name = Path(sys.argv[1]), sys.argv[2]
codes = pl.DataFrame({"line_key": ["vh10", "vh11"], "line_label": ["10 N", "11 S"]})
cat = catalogue.catalogue_for("askersund", codes)
actor = access.Actor(f"Skrivare {name}", frozenset({"ekonom"}))
print("READY", flush=True)
for line in sys.stdin:
    i = int(line)
    rows = "\n".join(f"{10 + r % 2};{4000 + r};2025{1 + i % 12:02d};{i * 100 + r}"
                     for r in range(20))
    data = ("Vht;Konto;Period;Belopp\n" + rows + "\n").encode()
    raw = reading.read_upload(data, f"r{i}.csv")
    m = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    result = validate(raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", m), cat)
    done = storing.commit(raw, data, result, actor, root=root, mode="ersatt")
    print("DONE", done.seq, flush=True)
"""
SHOWN = re.compile(r"RUN=(\d+) UPLOADS=(\d+) LAST=(\d+)")


def shown(pages: list) -> list[tuple[int, int]]:
    """Rerun every page (its button) at once and read what each shows after its rerun."""
    before = [SHOWN.search(harness.main_text(p)) for p in pages]
    for page in pages:
        page.get_by_role("button", name="Läs igen").click()
    out: list[tuple[int, int] | None] = [None] * len(pages)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and None in out:
        for i, page in enumerate(pages):
            if out[i] is not None:
                continue
            assert not page.locator('[data-testid="stException"]').count(), harness.main_text(page)
            found = SHOWN.search(harness.main_text(page))
            rerun = found and (before[i] is None or found[1] != before[i][1])
            if rerun and harness.script_state(page) == "notRunning":
                out[i] = (int(found[2]), int(found[3]))
        time.sleep(0.02)
    assert None not in out, [harness.main_text(p) for p in pages]
    return out  # type: ignore[return-value]


@pytest.mark.parametrize("replicas", [2, 4])
def test_replicas_see_each_others_commits_without_restart(
    replicas: int, browser, tmp_path: Path
) -> None:
    # The package's one browser: a second Playwright instance in the same thread is
    # refused once the first one runs ("Sync API inside the asyncio loop").
    root = tmp_path / "wh"
    build.build(root, who="pytest")
    env = {**os.environ, "PYTHONPATH": str(harness.REPO_ROOT), store.ENV_DATA_DIR: str(root)}
    servers = [
        harness.Server(root, tmp_path / f"server{i}.log", script="tests/e2e/replica_probe.py")
        for i in range(replicas)
    ]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), str(i)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=harness.REPO_ROOT,
            text=True,
        )  # fmt: skip
        for i in range(replicas)
    ]
    try:
        for s in servers:
            s.start()
        for w in workers:
            assert w.stdout.readline().strip() == "READY"
        context = browser.new_context()
        try:
            pages = []
            for s in servers:
                page = context.new_page()
                harness.goto(page, f"{s.url}/?org=askersund")
                harness.wait_idle(page)
                pages.append(page)
            reads = 0
            started = time.monotonic()
            for r in range(ROUNDS):
                committed = r
                # Worker r (beside replica r) commits while the other replicas read.
                writer = workers[r % replicas]
                writer.stdin.write(f"{r}\n")
                writer.stdin.flush()
                others = [p for k, p in enumerate(pages) if k != r % replicas]
                for count, _ in shown(others):
                    assert count in (committed, committed + 1), (r, count)
                reads += len(others)
                line = writer.stdout.readline().split()
                assert line[0] == "DONE", line
                # Every replica shows the new commit on its next rerun.
                assert shown(pages) == [(committed + 1, int(line[1]))] * replicas, r
                reads += replicas
        finally:
            context.close()
        uploads = storing.load(root)[0]
        assert sorted(uploads["seq"].to_list()) == list(range(1, ROUNDS + 1)), (
            "none lost or doubled"
        )
        elapsed = time.monotonic() - started
        print(f"{replicas} replicas: {ROUNDS} commits, {reads} reads, 0 errors, {elapsed:.0f} s")
    finally:
        for w in workers:
            w.stdin.close()
            w.wait(timeout=30)
            w.stdout.close()
        for s in servers:
            s.stop()
    for s in servers:
        assert "Traceback" not in s.log_path.read_text(encoding="utf-8", errors="replace")
