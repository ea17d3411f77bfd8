"""Hostile text through every way a user can put text into the app.

SQL meta-characters, HTML and formula text are tried against: every named query and
each of its text parameters; every write that stores typed text (scenario name, goal
status comment, the text columns and file name of an upload, the signed-in name); and
the values a link carries into the pages (organisation, scenario share link). Each is
either stored and read back exactly as typed, or refused with a Swedish message and
nothing written; no query matches more than its value, and no file of the warehouse
changes except through the intended write.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import access, build, db, store, vocab
from budgetrummet import scenarios as sc
from budgetrummet.upload import catalogue, kinds, reading, storing
from budgetrummet.upload.validation import Settings, validate
from budgetrummet.writes import goal_status
from budgetrummet.writes import scenarios as sc_writes
from budgetrummet.writes.goal_status import GoalStatusError, StatusInput
from tests.test_scenarios import baseline_from

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = [
    "askersund' OR '1'='1",
    "askersund'; DROP TABLE figures; --",
    'askersund"; DELETE FROM outcome; --',
    "x') UNION ALL SELECT * FROM read_csv('/etc/passwd') --",
    "'; COPY (SELECT 1) TO '/tmp/budgetrummet_pwned.csv'; --",
    "'; ATTACH '/tmp/budgetrummet_pwned.db' AS x; --",
    "$org_id",
    "?",
    "%",
    "_",
    "\\'",
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '=HYPERLINK("http://example.invalid","klicka")',
    "@SUM(A1:A9)",
]

# A value that matches a real row for each parameter, so the sweep varies one at a time.
GOOD: dict[str, object] = {
    "org_id": "askersund",
    "doc_id": "askersund_budget_2025",
    "doc_ids": ["askersund_budget_2025"],
    "table_id": "ram",
    "table_ids": ["ram"],
    "year": 2025,
    "sha256": "0" * 64,
    "topic": "scenarier",
    "kind": "utfall",
}
TEXT_PARAMS = ("org_id", "doc_id", "doc_ids", "table_id", "table_ids", "sha256", "topic", "kind")
LIST_PARAMS = ("doc_ids", "table_ids")
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def query_params(name: str) -> set[str]:
    sql = "\n".join(
        line for line in db.load_sql(name).splitlines() if not line.lstrip().startswith("--")
    )
    return set(PARAM.findall(sql))


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under the data directory with its sha256."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_every_query_parameter_is_known_to_the_sweep() -> None:
    unknown = {n: query_params(n) - set(GOOD) for n in db.query_names()}
    assert {n: u for n, u in unknown.items() if u} == {}


@pytest.mark.parametrize("name", db.query_names())
def test_hostile_text_in_any_query_parameter_matches_nothing_and_changes_nothing(
    name: str, warehouse_dir: Path
) -> None:
    wh = db.Warehouse(warehouse_dir)
    params = query_params(name)
    base = {p: GOOD[p] for p in params}
    before = fingerprint(warehouse_dir)
    tried = 0
    for param in sorted(params & set(TEXT_PARAMS)):
        for value in HOSTILE:
            hostile = [value] if param in LIST_PARAMS else value
            out = wh.run_query(name, **(base | {param: hostile}))
            assert isinstance(out, pl.DataFrame)
            # The value is compared as a value: it equals no organisation, document,
            # table or checksum, so a query filtered by it has nothing to return.
            assert out.is_empty(), (name, param, value, out.head(3))
            tried += 1
    assert tried or not params & set(TEXT_PARAMS)
    assert fingerprint(warehouse_dir) == before
    for leftover in ("/tmp/budgetrummet_pwned.csv", "/tmp/budgetrummet_pwned.db"):
        assert not Path(leftover).exists()


def test_a_year_parameter_given_text_is_refused_or_matches_nothing(warehouse_dir: Path) -> None:
    wh = db.Warehouse(warehouse_dir)
    names = [n for n in db.query_names() if "year" in query_params(n)]
    assert names
    before = fingerprint(warehouse_dir)
    for name in names:
        base = {p: GOOD[p] for p in query_params(name)}
        try:
            out = wh.run_query(name, **(base | {"year": "2025; DROP TABLE figures"}))
        except duckdb.ConversionException:
            continue
        assert out.is_empty(), name
    assert fingerprint(warehouse_dir) == before


# --- writes that store typed text -------------------------------------------------------


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build.build(tmp_path, who="pytest")
    monkeypatch.setenv(store.ENV_DATA_DIR, str(tmp_path))
    return tmp_path


EKONOM = access.Actor("Anna Ek", frozenset({access.ECONOMIST, access.PREPARER}))


def untouched_except(root: Path, before: dict[str, str], table: str) -> None:
    """Only ``table`` (and the audit table that records it) changed: files are only added
    (Delta never rewrites one), under those two tables or the kept raw uploads."""
    assert store.read_manifest(root) is not None
    after = fingerprint(root)
    mine = (f"{store.DELTA_DIR}/{table}/", f"{store.DELTA_DIR}/{store.AUDIT_TABLE}/")
    changed = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    assert all(k.startswith(mine) and k.endswith("_last_checkpoint") for k in changed), changed
    new = set(after) - set(before)
    assert all(k.startswith((*mine, "raw/")) for k in new), new


@pytest.mark.parametrize("text", HOSTILE)
def test_a_scenario_name_is_stored_as_typed_or_refused_in_swedish(text: str, private: Path) -> None:
    wh = db.Warehouse(private)
    b = baseline_from(wh, "askersund", "askersund_budget_2025")
    before = fingerprint(private)
    try:
        sc_writes.save_scenario(b, sc.document_params(b), text, EKONOM, root=private)
    except sc.ScenarioInputError as refused:
        assert refused.problems == ["Namnet innehåller otillåtna tecken."]
        assert "<" in text or ">" in text
        assert fingerprint(private) == before
        return
    saved = wh.run_query("scen_saved", org_id="askersund")
    assert saved["name"].to_list() == [text]
    untouched_except(private, before, "scenarios")
    assert store.read_audit(private)[-1]["name"] == text


@pytest.mark.parametrize("text", HOSTILE)
def test_a_goal_status_comment_is_stored_exactly_as_typed(text: str, private: Path) -> None:
    wh = db.Warehouse(private)
    goal_list = wh.run_query("goal_list", org_id="askersund")
    entry = StatusInput(
        "askersund", "askersund_budget_2025:1:1", date(2025, 3, 31), vocab.GREEN, text
    )
    before = fingerprint(private)
    goal_status.set_status(EKONOM, entry, goal_list, root=private)
    history = wh.run_query("goal_status_history", org_id="askersund")
    assert history["comment"].to_list() == [text]
    untouched_except(private, before, "goal_status")


def test_a_hostile_goal_key_is_refused_and_nothing_is_written(private: Path) -> None:
    wh = db.Warehouse(private)
    goal_list = wh.run_query("goal_list", org_id="askersund")
    before = fingerprint(private)
    entry = StatusInput("askersund", HOSTILE[0], date(2025, 3, 31), vocab.GREEN, "Bra")
    with pytest.raises(GoalStatusError) as refused:
        goal_status.set_status(EKONOM, entry, goal_list, root=private)
    assert "Målet finns inte för den valda organisationen." in refused.value.args[0]
    assert fingerprint(private) == before


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_hostile_text_in_an_uploaded_file_and_its_name_is_stored_as_text(private: Path) -> None:
    wh = db.Warehouse(private)
    texts = [t for t in HOSTILE if t.strip()]
    lines = ["Verksamhet;Ansvar;Konto;Period;Belopp"]
    for n, text in enumerate(texts):
        lines.append(
            f"{_csv_cell('10 ' + text)};{_csv_cell('0180 ' + text)};"
            f"{_csv_cell('4010 ' + text)};2025{n % 12 + 1:02d};{n + 1}"
        )
    data = ("\n".join(lines) + "\n").encode("utf-8")
    name = "../../etc/passwd'; DROP TABLE uploads; --<b>.csv"
    raw = reading.read_upload(data, name)
    codes = wh.run_query("upl_verksamheter", org_id="askersund")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    result = validate(
        raw,
        Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping),
        catalogue.catalogue_for("askersund", codes),
    )
    assert result.ok, result.problems.to_dicts()
    before = fingerprint(private)
    done = storing.commit(raw, data, result, EKONOM, root=private)

    log = wh.run_query("upl_uploads_for_org", org_id="askersund")
    assert log["file_name"].to_list() == [name]
    # The raw file is kept under its checksum, never under the name the user gave.
    kept = [k for k in fingerprint(private).keys() - before.keys() if k.startswith("raw/")]
    sha = hashlib.sha256(data).hexdigest()
    assert [Path(k).name for k in kept] == [Path(done.raw_file).name]
    assert Path(done.raw_file).name.startswith(sha)
    _, outcome = storing.load(private)
    assert outcome.height == len(texts)
    assert sorted(outcome["account_name"].to_list()) == sorted(texts)
    assert sorted(outcome["ansvar_name"].to_list()) == sorted(texts)
    # The figures table is untouched and still answers as before.
    assert wh.run_query("figures_by_tables", **_figures_params(wh)).height > 0


def _figures_params(wh: db.Warehouse) -> dict[str, object]:
    return {p: GOOD[p] for p in query_params("figures_by_tables")}


def test_a_hostile_signed_in_name_is_recorded_as_text_in_the_audit_log(private: Path) -> None:
    wh = db.Warehouse(private)
    b = baseline_from(wh, "askersund", "askersund_budget_2025")
    who = access.Actor('Eve"}, {"action": "admin', frozenset({access.PREPARER}))
    sc_writes.save_scenario(b, sc.document_params(b), "Plan A", who, root=private)
    last = store.read_audit(private)[-1]
    assert (last["who"], last["action"]) == ('Eve"}, {"action": "admin', "spara scenario")
    reader = access.Actor("x'); DROP TABLE scenarios; --", frozenset({access.READER}))
    with pytest.raises(access.AccessDeniedError):
        sc_writes.save_scenario(b, sc.document_params(b), "Plan B", reader, root=private)
    denied = store.read_audit(private)[-1]
    assert denied["who"] == "x'); DROP TABLE scenarios; --"
    assert denied["action"] == "nekad: scenario:save"
    assert wh.run_query("scen_saved", org_id="askersund")["name"].to_list() == ["Plan A"]


# --- values a link carries into the pages -----------------------------------------------

PAGES = [
    ("views/overview.py", None),
    ("views/drift.py", "Driftbudget"),
    ("views/investments.py", "Investeringar"),
    ("views/finance.py", "Finansförvaltning"),
    ("views/goals.py", "Mål"),
    ("views/scenarios.py", "Scenarier"),
    ("views/upload.py", "Uppladdning"),
    ("views/imports.py", "Inläsning"),
    ("views/data_quality.py", "Datakvalitet"),
]


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_a_hostile_organisation_in_the_link_falls_back_on_every_page(
    path: str, title: str | None, warehouse_dir: Path
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["org"] = HOSTILE[1]
    at.run()
    if path != "views/overview.py":
        at.switch_page(path).run()
    assert not at.exception, at.exception
    heading = (at.header if path == "views/overview.py" else at.title)[0].value
    assert heading.endswith("– Askersund"), heading
    assert title is None or heading.startswith(title)
    shown = " ".join(
        str(e.value) for kind in ("markdown", "caption", "error", "info") for e in at.get(kind)
    )
    assert "DROP TABLE" not in shown


def test_hostile_values_in_a_scenario_share_link_are_not_applied(warehouse_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["org"] = "askersund"
    at.run()
    at.switch_page("views/scenarios.py").run()
    plain = [m.value for m in at.metric]
    hostile = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    hostile.query_params["org"] = "askersund"
    hostile.run()
    keys = ("krav_2026", "index_2027", sc.EXEMPT_PARAM, "ovriga_2026", "mote")
    for key in keys:
        hostile.query_params[key] = HOSTILE[1]
    hostile.switch_page("views/scenarios.py").run()
    assert not hostile.exception, hostile.exception
    # Nothing from the link is applied: the page shows the document's own levers, and
    # says which parameters it ignored.
    assert [m.value for m in hostile.metric] == plain
    said = " ".join(e.value for e in [*hostile.warning, *hostile.error])
    assert said.count("DROP TAB") == len(keys), said
