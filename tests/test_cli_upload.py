"""The command line's monthly uploads: unit from the headings, and a partial file never
drops stored rows unless --replace-period or --correct-rows says how."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from budgetrummet import cli, db

FULL = (
    "Vht;Konto;Period;Belopp (tkr)\n"
    "10 Nämnder/Styrelser;4010;202501;-250\n"
    "45 Gymnasieskola;4010;202501;-6 000\n"
    "92 Gemensamma verksamheter;4010;202501;-1 000\n"
)
CORRECTION = "Vht;Konto;Period;Belopp (tkr)\n10 Nämnder/Styrelser;4010;202501;-300\n"


@pytest.fixture
def root(warehouse_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "wh"
    shutil.copytree(warehouse_dir, target)
    return target


def run(root: Path, tmp_path: Path, body: str, name: str, *flags: str) -> tuple[int, str]:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    out = io.StringIO()
    code = cli.main(["import", "askersund", "utfall", str(path), *flags], out=out, root=root)
    return code, out.getvalue()


def january(root: Path) -> dict[str, float]:
    rows = db.Warehouse(root).run_query("upl_outcome_by_month", org_id="askersund", year=2025)
    return {r["line_key"]: float(r["amount_kr"]) for r in rows.iter_rows(named=True)}


def test_unit_from_heading_and_a_partial_file_needs_a_choice(root: Path, tmp_path: Path) -> None:
    code, text = run(root, tmp_path, FULL, "jan.csv")
    assert code == cli.OK, text
    assert "Enhet: tusental kronor (tkr)" in text
    before = january(root)
    assert len(before) == 3

    code, text = run(root, tmp_path, CORRECTION, "rattelse.csv")
    assert code == cli.REFUSED
    assert "--replace-period" in text and "--correct-rows" in text
    assert january(root) == before, "nothing stored without a choice"

    code, text = run(root, tmp_path, CORRECTION, "rattelse.csv", "--correct-rows")
    assert code == cli.OK, text
    after = january(root)
    assert len(after) == 3, "the other verksamheter keep their January outcome"
    changed = {k for k in after if after[k] != before[k]}
    assert len(changed) == 1 and after[next(iter(changed))] == -300_000


def test_replace_period_drops_the_rows_the_file_lacks(root: Path, tmp_path: Path) -> None:
    assert run(root, tmp_path, FULL, "jan.csv")[0] == cli.OK
    code, text = run(root, tmp_path, CORRECTION, "ny.csv", "--replace-period")
    assert code == cli.OK, text
    assert "Rader som inte längre gäller" in text
    assert len(january(root)) == 1


STRUCTURE = (
    "Nivå;Kod;Namn;Hör till\n"
    "verksamhet;KF1;Kultur;\n"
    "verksamhet;KF2;Fritid;\n"
    "ansvar;7100;Biblioteket;KF1\n"
    "ansvar;7200;Simhallen;KF2\n"
)


def test_outcome_per_ansvar_maps_through_the_organisations_structure(
    root: Path, tmp_path: Path
) -> None:
    out = io.StringIO()
    assert cli.main(["org", "add", "kfn", "--name", "Kulturnämnden"], out=out, root=root) == 0
    path = tmp_path / "struktur.csv"
    path.write_text(STRUCTURE, encoding="utf-8")
    code = cli.main(["import", "kfn", "struktur", str(path)], out=out, root=root)
    assert code == cli.OK, out.getvalue()
    path = tmp_path / "ansvar.csv"
    path.write_text(
        "Ansvar;Period;Belopp (tkr)\n7100;202501;-400\nSimhallen;202501;-250\n7200;202502;-260\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    argv = ["import", "kfn", "utfall", str(path), "--column", "Ansvar=verksamhet"]
    assert cli.main(argv, out=out, root=root) == cli.OK, out.getvalue()
    rows = db.Warehouse(root).run_query("upl_outcome_by_month", org_id="kfn", year=2025)
    got = {(r["line_key"], r["month"]): float(r["amount_kr"]) for r in rows.iter_rows(named=True)}
    keys = {k for k, _ in got}
    assert len(keys) == 2, "two verksamheter: Kultur (7100) and Fritid (Simhallen, 7200)"
    assert sorted(got.values()) == [-400_000, -260_000, -250_000]
