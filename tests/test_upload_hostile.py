"""Hostile uploads: each crafted file (tests/hostile_files.py) is refused quickly, in
bounded memory, with a Swedish message and no traceback, and nothing is stored.

The files go through ``reading.read_upload``, the one function every caller (the upload
page, a command line) reads an upload with. Time and peak memory are measured in a
separate process, file by file (the peak is reset through /proc/self/clear_refs), so a
reader that ran away could not take the test run with it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import store
from budgetrummet.upload import reading, rules, storing
from tests import hostile_files

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "views" / "upload.py")
SECONDS = 30
MEMORY_KIB = 1024 * 1024

# What each refusal must say (Swedish, and about the right thing).
EXPECTED = {
    "forged_sizes.xlsx": "fler än 200\u00a0000 rader",
    "deflate_bomb.xlsx": "större än 200\u00a0MB när den packas upp",
    "far_cell.xlsx": "16\u00a0384 kolumner",
    "huge_cell.xlsx": "mer än 10\u00a0000 tecken",
    "long_cell.xlsx": "mer än 10\u00a0000 tecken",
    "wide.xlsx": "600 kolumner",
    "many_members.xlsx": "5\u00a0005 delar",
    "million_fields.csv": "1\u00a0000\u00a0000 fält",
    "million_quoted_fields.csv": "1\u00a0000\u00a0001 fält",
    "huge_cell.csv": "mer än 10\u00a0000 tecken",
    "huge_quoted_cell.csv": "mer än 10\u00a0000 tecken",
    "long_quoted_cell.csv": "mer än 10\u00a0000 tecken",
    "wide.csv": "600 fält",
}

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from budgetrummet.upload import reading

    def peak_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    for path in sorted(Path(sys.argv[1]).iterdir()):
        data = path.read_bytes()
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset the peak resident size to the current one
        start = time.perf_counter()
        raw = reading.read_upload(data, path.name)
        seconds = time.perf_counter() - start
        print(json.dumps({
            "name": path.name,
            "seconds": seconds,
            "peak_kib": peak_kib(),
            "problems": [[p.rule, p.message] for p in raw.problems],
            "rows": raw.data_rows,
        }), flush=True)
    """
)


def test_every_crafted_file_is_listed() -> None:
    assert set(EXPECTED) == set(hostile_files.CRAFTED)


@pytest.mark.slow
def test_crafted_files_are_refused_fast_in_bounded_memory(
    tmp_path: Path, warehouse_dir: Path
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    for name, make in hostile_files.CRAFTED.items():
        (files / name).write_bytes(make())
    before = _snapshot(warehouse_dir)
    env = {**os.environ, store.ENV_DATA_DIR: str(warehouse_dir), "RUST_BACKTRACE": "0"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(files)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SECONDS * len(EXPECTED),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr, done.stderr[-3000:]
    results = {r["name"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(results) == set(EXPECTED)
    for name, result in results.items():
        assert result["seconds"] < SECONDS, (name, result["seconds"])
        assert result["peak_kib"] < MEMORY_KIB, (name, result["peak_kib"])
        ((rule, message),) = result["problems"]
        assert rule in (rules.SIZE, rules.FILE_TYPE), (name, rule)
        assert EXPECTED[name] in message, (name, message)
        assert len(message) < 300, "a refusal quotes nothing long"
        assert result["rows"] == 0
    assert _snapshot(warehouse_dir) == before, "nothing stored"


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# ------------------------------------------------------------ quick, in this process


def _refusal(data: bytes) -> str | None:
    problem = reading.xlsx_refusal(data)
    return None if problem is None else problem.message


@pytest.mark.parametrize(
    "name",
    [
        "far_cell.xlsx",
        "long_cell.xlsx",
        "wide.xlsx",
        "many_members.xlsx",
        "million_fields.csv",
        "wide.csv",
    ],
)
def test_quick_refusals(name: str) -> None:
    raw = reading.read_upload(hostile_files.CRAFTED[name](), name)
    (problem,) = raw.problems
    assert EXPECTED[name] in problem.message
    assert raw.cells.height == 0


def test_declared_sizes_are_compared_with_what_a_member_really_holds() -> None:
    sheet = hostile_files.sheet_xml(b'<row r="2"><c r="A2"><v>1</v></c></row>')
    name, packed, crc, size = hostile_files._member("xl/worksheets/sheet1.xml", sheet)
    honest = hostile_files.workbook((name, packed, crc, size))
    assert _refusal(honest) is None
    for declared in (size - 1, size + 1, 10):
        forged = hostile_files.workbook((name, packed, crc, declared))
        assert _refusal(forged) == "Excel-filen är skadad. Spara om den i Excel och försök igen."


def _sheet(cell_data: bytes) -> bytes:
    sheet = hostile_files.SHEET_HEAD + cell_data + hostile_files.SHEET_TAIL
    return hostile_files.workbook(hostile_files._member("xl/worksheets/sheet1.xml", sheet))


@pytest.mark.parametrize(
    ("cell", "row"),
    [
        (b"<c><v>1</v></c>", b"<row>"),  # placed one after another
        (b"<c\n><v>1</v></c>", b"<row>"),  # the same, a line break after the name
        (b"<x:c><x:v>1</x:v></x:c>", b"<x:row>"),  # with a namespace prefix
    ],
)
def test_cells_without_references_are_counted_where_the_reader_puts_them(cell, row) -> None:
    assert _refusal(_sheet(row + cell * 500 + row.replace(b"<", b"</"))) is None
    refusal = _refusal(_sheet(row + cell * 501 + row.replace(b"<", b"</")))
    assert refusal is not None and "501 kolumner" in refusal


def test_references_bound_the_grid_and_mixed_placement_never_undercounts() -> None:
    def referenced(columns: int) -> bytes:
        return b"".join(
            b'<c r="%s1"><v>1</v></c>' % reading.column_letter(i).encode() for i in range(columns)
        )

    assert _refusal(_sheet(b"<row>" + referenced(500) + b"</row>")) is None
    assert "501 kolumner" in _refusal(_sheet(b"<row>" + referenced(501) + b"</row>"))
    # A cell in SF (column 500) and then 100 cells after it: the reader reaches column 600.
    mixed = b'<row><c r="SF1"><v>1</v></c>' + b"<c><v>1</v></c>" * 100 + b"</row>"
    refusal = _refusal(_sheet(mixed))
    assert int(re.search(r"i (\d+) kolumner", refusal).group(1)) >= 600, refusal
    # A numbered row far down, then unnumbered rows after it.
    rows = b'<row r="200000"><c><v>1</v></c></row>' + b"<row><c><v>1</v></c></row>" * 40
    assert "fler än 200\u00a0000 rader" in _refusal(_sheet(rows))
    # 10 001 rows × 500 columns is over the cell cap, by references alone.
    corner = b'<row r="10001"><c r="SF10001"><v>1</v></c></row>'
    assert "fler än 5\u00a0000\u00a0000 celler" in _refusal(_sheet(corner))


def test_csv_limits_at_the_edge() -> None:
    def csv(columns: int, cell: int = 1) -> bytes:
        head = ";".join(f"K{i}" for i in range(columns))
        return f"{head}\n{'x' * cell}{';1' * (columns - 1)}\n".encode()

    assert not reading.read_upload(csv(500), "a.csv").problems
    assert "501 fält" in reading.read_upload(csv(501), "a.csv").problems[0].message
    assert not reading.read_upload(csv(2, rules.MAX_CELL_CHARS), "a.csv").problems
    long_cell = reading.read_upload(csv(2, rules.MAX_CELL_CHARS + 1), "a.csv")
    assert "mer än 10\u00a0000 tecken" in long_cell.problems[0].message


class PanicException(BaseException):
    """What pyo3 raises when Rust code (Polars, the Excel reader) panics."""


def test_a_reader_panic_becomes_the_swedish_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    def panic(*args, **kwargs):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(reading, "_table_from_lines", panic)
    raw = reading.read_upload(b"Vht;Belopp\n10;1\n", "a.csv")
    assert [p.message for p in raw.problems] == [reading.UNREADABLE]
    assert raw.cells.height == 0

    def bug(*args, **kwargs):
        raise KeyError("a bug in this code is not a bad file")

    monkeypatch.setattr(reading, "_table_from_lines", bug)
    with pytest.raises(KeyError):
        reading.read_upload(b"Vht;Belopp\n10;1\n", "a.csv")


def test_the_excel_reader_panicking_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import fastexcel

    def panic(*args, **kwargs):
        raise PanicException("capacity overflow")

    monkeypatch.setattr(fastexcel, "read_excel", panic)
    sheet = hostile_files.sheet_xml(b'<row r="2"><c r="A2"><v>1</v></c></row>')
    data = hostile_files.workbook(hostile_files._member("xl/worksheets/sheet1.xml", sheet))
    (problem,) = reading.read_upload(data, "a.xlsx").problems
    assert problem.rule == rules.FILE_TYPE and "Excel-filen går inte att läsa" in problem.message


# ------------------------------------------------------------ messages quote briefly


def test_quotes_in_messages_are_shortened_in_one_place() -> None:
    long = "x" * 5000
    assert rules.quote(long) == "x" * (rules.QUOTE_CHARS - 1) + "…"
    assert rules.quote("kort") == "kort"
    message = f"Verksamheten ”{long}” finns inte; perioden ”2025-13” är fel."
    short = rules.shorten_message(message)
    assert short == f"Verksamheten ”{'x' * 59}…” finns inte; perioden ”2025-13” är fel."
    frame = pl.DataFrame({"m": [message, None], "v": [long, None]})
    got = frame.select(rules.shorten_message_expr(pl.col("m")), rules.quote_expr(pl.col("v")))
    assert got.row(0) == (short, rules.quote(long)) and got.row(1) == (None, None)
    problems = rules.problems_frame([rules.Problem(rules.AMOUNT, message, 2, "Belopp", long)])
    assert problems.row(0, named=True)["message"] == short
    assert problems.row(0, named=True)["value"] == rules.quote(long)


def test_a_validation_message_quotes_a_long_cell_briefly(warehouse_dir: Path) -> None:
    from budgetrummet import db
    from budgetrummet.upload import catalogue, kinds
    from budgetrummet.upload.validation import Settings, validate

    cell = "Ö" * 9_000
    data = f"Vht;Konto;Period;Belopp\n{cell};4010;202501;-250 000\n".encode()
    raw = reading.read_upload(data, "a.csv")
    assert not raw.problems
    codes = db.Warehouse(warehouse_dir).run_query("upl_verksamheter", org_id="askersund")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    settings = Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping)
    result = validate(raw, settings, catalogue.catalogue_for("askersund", codes))
    assert result.problems.height
    for row in result.problems.iter_rows(named=True):
        assert len(row["message"]) < 300, row["message"]
        assert row["value"] is None or len(row["value"]) <= rules.QUOTE_CHARS
    assert any("”" + "Ö" * 59 + "…”" in m for m in result.problems["message"])


def test_the_row_cap_message_keeps_its_comma() -> None:
    data = b"Vht;Belopp\n" + b"10;1\n" * (rules.MAX_ROWS + 40)
    (problem,) = reading.read_upload(data, "a.csv").problems
    assert (
        problem.message
        == "Filen har fler än 200\u00a0000 rader. Dela upp filen, t.ex. per tertial."
    )


# ------------------------------------------------------------ through the page


@pytest.fixture
def private_wh(warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    return root


@pytest.mark.parametrize("name", ["million_fields.csv", "far_cell.xlsx", "huge_cell.csv"])
def test_the_upload_page_refuses_a_crafted_file_and_stores_nothing(
    private_wh: Path, name: str
) -> None:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["org"] = "askersund"
    at.run()
    before = _snapshot(private_wh)  # after opening the page (which creates its lock file)
    at.file_uploader[0].set_value((name, hostile_files.CRAFTED[name](), "text/csv")).run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in [*at.error, *at.warning, *at.markdown, *at.caption])
    shown += " ".join(" ".join(map(str, d.value.to_numpy().ravel())) for d in at.dataframe)
    assert EXPECTED[name] in shown, shown[:2000]
    assert "Traceback" not in shown
    assert not any(b.key == "upl_confirm" for b in at.button)
    assert storing.load(private_wh)[0].is_empty()
    assert _snapshot(private_wh) == before


def test_a_sheet_in_utf16_is_not_read_unscanned() -> None:
    sheet = hostile_files.sheet_xml(b'<row r="1"><c r="XFD1048576"><v>1</v></c></row>')
    wide = sheet.decode().encode("utf-16")
    problem = reading.xlsx_refusal(
        hostile_files.workbook(hostile_files._member("xl/worksheets/sheet1.xml", wide))
    )
    assert problem is not None and problem.rule == rules.FILE_TYPE
    assert problem.message.startswith("Excel-filen är sparad på ett sätt som inte stöds.")
