"""``python -m budgetrummet audit --as-of T``: the uploads, and one upload's stored rows, as
they were at time T (from the tables' history), after later undo and new uploads."""

from __future__ import annotations

import io
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import access, cli, store
from budgetrummet.upload import storing

FILE = (
    "Vht;Konto;Period;Belopp (tkr)\n"
    "10 Nämnder/Styrelser;4010;202501;-250\n"
    "45 Gymnasieskola;4010;202501;-6 000\n"
)
ADMIN = access.Actor("Anna Andersson", frozenset({access.ADMIN}))


@pytest.fixture
def root(warehouse_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "wh"
    shutil.copytree(warehouse_dir, target)
    return target


def audit(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(["audit", *args], out=out, root=root), out.getvalue()


def test_an_upload_as_it_was_before_it_was_undone(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "jan.csv"
    path.write_text(FILE, encoding="utf-8")
    assert cli.main(["import", "askersund", "utfall", str(path)], out=io.StringIO(), root=root) == 0
    upload = store.read_table("uploads", root)
    assert upload is not None and upload.height == 1
    upload_id = upload["upload_id"][0]
    time.sleep(0.05)
    between = datetime.now(UTC).isoformat()
    time.sleep(0.05)
    storing.undo(upload_id, "askersund", ADMIN, root=root)

    code, text = audit(root, "--as-of", between)
    assert code == cli.OK, text
    assert "data som den var" in text and "aktiv" in text and upload_id in text
    code, now = audit(root, "--as-of", datetime.now(UTC).isoformat())
    assert code == cli.OK and "ångrad" in now

    target = tmp_path / "rader.csv"
    code, text = audit(root, "--as-of", between, "--upload", upload_id, "--out", str(target))
    assert code == cli.OK, text
    assert "status aktiv, 2 lagrade rader" in text
    rows = pl.read_csv(target)
    assert rows.height == 2 and set(rows["upload_id"]) == {upload_id}
    assert sorted(float(v) for v in rows["amount_kr"]) == [-6_000_000.0, -250_000.0]


def test_before_any_upload_and_bad_input(root: Path) -> None:
    code, text = audit(root, "--as-of", "2000-01-01")
    assert code == cli.REFUSED and "ingen data från" in text
    code, text = audit(root, "--as-of", datetime.now(UTC).isoformat(), "--upload", "finns-inte")
    assert code == cli.REFUSED and "fanns inte" in text
    assert audit(root, "--as-of", "igår")[0] == cli.USAGE
