"""Goal queries on the real seed warehouse, and activity-goal statuses stored durably
with history through the store (each test writes to its own private warehouse)."""

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import access, build, db, goals, store, vocab
from budgetrummet.writes import goal_status
from budgetrummet.writes.goal_status import GoalStatusError, StatusInput

GOAL_QUERIES = (
    "goal_list",
    "goal_indicator_list",
    "goal_kf_list",
    "goal_status_history",
    "goal_indicator_series",
    "goal_findings",
    "goal_places",
)


def run(wh: db.Warehouse, name: str, **params: object) -> pl.DataFrame:
    return wh.run_query(name, **params)


# --- queries ----------------------------------------------------------------------------


def test_goal_list(wh: db.Warehouse) -> None:
    out = run(wh, "goal_list", org_id="askersund")
    assert out.height == 25 + 4
    first = out.row(0, named=True)  # newest document first, in document order
    assert (first["goal_key"], first["year"], first["followup_dates"]) == (
        "askersund_budget_2025:1:1",
        2025,
        "2025-03-31|2025-12-31",
    )
    interim = out.filter(pl.col("doc_id") == "askersund_delar_2024")
    assert interim.select("goal_key", "indicators").rows() == [
        ("askersund_delar_2024:1:1", 2),
        ("askersund_delar_2024:1:2", 1),
        ("askersund_delar_2024:2:3", 1),
        ("askersund_delar_2024:4:4", 2),
    ]
    lerum = run(wh, "goal_list", org_id="lerum")
    assert lerum.height == 12
    assert set(lerum["malomrade_no"]) == {""}
    assert lerum["goal_key"][0] == "lerum_vp_2023::1"


def test_goal_indicator_list(wh: db.Warehouse) -> None:
    out = run(wh, "goal_indicator_list", org_id="askersund")
    assert out.select("goal_key", "target_operator", "target_value", "outcome_printed").rows() == [
        ("askersund_delar_2024:1:1", "<", "5,00", "1,86"),
        ("askersund_delar_2024:1:1", "<", "7,00", "6,59"),
        ("askersund_delar_2024:1:2", ">=", "80", "-"),
        ("askersund_delar_2024:2:3", ">", "20", "15"),
        ("askersund_delar_2024:4:4", ">=", "100", "58"),
        ("askersund_delar_2024:4:4", "<=", "25", "33"),
    ]
    assert run(wh, "goal_indicator_list", org_id="lerum").is_empty()


def test_goal_kf_list(wh: db.Warehouse) -> None:
    out = run(wh, "goal_kf_list", org_id="askersund")
    assert out.height == 12 + 4
    budget = out.filter(pl.col("doc_id") == "askersund_budget_2025")
    assert budget.group_by("malomrade_no").len().sort("malomrade_no").rows() == [
        ("1", 3),
        ("2", 2),
        ("3", 2),
        ("4", 2),
        ("5", 3),
    ]
    assert run(wh, "goal_kf_list", org_id="lerum").is_empty()


def test_goal_indicator_series(wh: db.Warehouse) -> None:
    out = run(wh, "goal_indicator_series", org_id="lerum")
    assert out.height == 13
    svn = out.filter(pl.col("line_key") == "ind:svn_ranking")
    assert svn.select("year", "value_printed", "unit", "forecast_text").rows() == [
        (2020, "123", "placering", "Minskande"),
        (2021, "109", "placering", "Minskande"),
        (2022, "130", "placering", "Minskande"),
    ]
    assert run(wh, "goal_indicator_series", org_id="askersund").is_empty()


def test_goal_findings(wh: db.Warehouse) -> None:
    out = run(wh, "goal_findings", org_id="askersund")
    assert out.select("doc_id", "line_label", "source_line", "klass").rows() == [
        ("askersund_budget_2025", "Mål 7", 349, "motsägelse")
    ]
    assert run(wh, "goal_findings", org_id="lerum").is_empty()


def test_goal_queries_bind_their_parameters(wh: db.Warehouse) -> None:
    hostile = "askersund' or '1'='1"
    for name in GOAL_QUERIES:
        assert run(wh, name, org_id=hostile).is_empty(), name


# --- writes -------------------------------------------------------------------------------


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> db.Warehouse:
    build.build(tmp_path, who="pytest")
    monkeypatch.setenv(store.ENV_DATA_DIR, str(tmp_path))
    return db.Warehouse(tmp_path)


ANNA = access.Actor("Anna Andersson", frozenset({"ekonom"}))
KEY = "askersund_budget_2025:1:1"


def entry(**overrides) -> StatusInput:
    base = {
        "org_id": "askersund",
        "goal_key": KEY,
        "followup_date": date(2025, 3, 31),
        "status": vocab.GREEN,
        "comment": "Inriktningen är antagen.",
    }
    return StatusInput(**(base | overrides))


def test_set_status_appends_and_keeps_history(private: db.Warehouse) -> None:
    goal_list = run(private, "goal_list", org_id="askersund")
    first = datetime(2025, 4, 2, 8, 0, tzinfo=UTC)
    goal_status.set_status(ANNA, entry(), goal_list, now=first, root=private.root)
    goal_status.set_status(
        access.Actor("Bo Berg", frozenset({"ekonom"})),
        entry(status=vocab.YELLOW, comment="  Planen är försenad.  "),
        goal_list,
        now=datetime(2025, 4, 3, 8, 0, tzinfo=UTC),
        root=private.root,
    )
    hist = run(private, "goal_status_history", org_id="askersund")
    assert hist.select("goal_key", "followup_date", "status", "comment", "set_by").rows() == [
        (KEY, date(2025, 3, 31), vocab.GREEN, "Inriktningen är antagen.", "Anna Andersson"),
        (KEY, date(2025, 3, 31), vocab.YELLOW, "Planen är försenad.", "Bo Berg"),
    ]
    assert run(private, "goal_status_history", org_id="lerum").is_empty()
    board = goals.load_board(private.run_query, "askersund")
    row = board.filter(pl.col("goal_key") == KEY).row(0, named=True)
    assert (row["light"], row["set_by"], row["status_date"]) == (
        vocab.YELLOW,
        "Bo Berg",
        date(2025, 3, 31),
    )
    audit = [e for e in store.read_audit(private.root) if e["action"] == "sätt målstatus"]
    assert [(e["who"], e["status"], e["goal_key"]) for e in audit] == [
        ("Anna Andersson", vocab.GREEN, KEY),
        ("Bo Berg", vocab.YELLOW, KEY),
    ]
    assert audit[-1]["tables"]["goal_status"]["rows"] == 2


def test_the_write_checks_the_permission_at_the_point_of_writing(
    private: db.Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []
    real = access.require

    def spy(actor, permission, **kwargs):
        asked.append((actor.name, permission))
        return real(actor, permission, **kwargs)

    monkeypatch.setattr(goal_status.access, "require", spy)
    goal_status.set_status(
        ANNA, entry(), run(private, "goal_list", org_id="askersund"), root=private.root
    )
    assert asked == [("Anna Andersson", "goal_status:set")]


@pytest.mark.parametrize(
    "actor",
    [
        None,
        access.Actor("", frozenset({"ekonom"})),
        access.Actor("   ", frozenset({"ekonom"})),
        access.Actor("x" * 101),
    ],
)
def test_an_anonymous_or_invalid_actor_writes_nothing(private: db.Warehouse, actor) -> None:
    goal_list = run(private, "goal_list", org_id="askersund")
    stamp = store.manifest_stamp(private.root)
    with pytest.raises(access.AccessDeniedError):
        goal_status.set_status(actor, entry(), goal_list, root=private.root)
    assert store.manifest_stamp(private.root) == stamp
    assert run(private, "goal_status_history", org_id="askersund").is_empty()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"goal_key": "askersund_budget_2025:9:9"}, "Målet finns inte"),
        ({"org_id": "lerum"}, "Målet finns inte"),
        ({"goal_key": "askersund_delar_2024:2:3"}, "status beräknas"),
        ({"followup_date": date(2025, 6, 30)}, "inte ett uppföljningsdatum"),
        ({"followup_date": None}, "Välj ett uppföljningsdatum"),
        ({"status": None}, "Välj en status"),
        ({"status": "lila"}, "Välj en status"),
        ({"comment": "   "}, "Skriv en kommentar"),
        ({"comment": "x" * 2001}, "högst 2000 tecken"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_changes_nothing(
    private: db.Warehouse, overrides: dict, message: str
) -> None:
    goal_list = run(private, "goal_list", org_id="askersund")
    stamp = store.manifest_stamp(private.root)
    audit_before = len(store.read_audit(private.root))
    with pytest.raises(GoalStatusError) as err:
        goal_status.set_status(ANNA, entry(**overrides), goal_list, root=private.root)
    assert any(message in p for p in err.value.problems), err.value.problems
    assert store.manifest_stamp(private.root) == stamp
    assert len(store.read_audit(private.root)) == audit_before


def test_all_problems_are_reported_at_once() -> None:
    goal_list = pl.DataFrame(
        [
            {
                "goal_key": KEY,
                "org_id": "askersund",
                "doc_id": "askersund_budget_2025",
                "followup_dates": "2025-03-31",
                "indicators": 0,
            }
        ]
    )
    problems = goal_status.validate(entry(status=None, comment="", followup_date=None), goal_list)
    assert len(problems) == 3


def test_the_goal_queries_are_all_listed_here() -> None:
    assert {n for n in db.query_names() if n.startswith("goal_")} == set(GOAL_QUERIES)
