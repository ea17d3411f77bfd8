"""Every queries/upl_*.sql runs against a warehouse holding real uploads (exact results)."""

import shutil
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import access, db
from budgetrummet.upload import catalogue, kinds, reading, storing
from budgetrummet.upload.validation import Settings, validate

EXERCISED: set[str] = set()
QUERIES = Path(__file__).resolve().parent.parent / "queries"


# Exercised with real rows in tests/test_upload_storing.py (a write is needed first).
EXERCISED.add("upl_name_mappings")


def run(wh: db.Warehouse, name: str, **params: object) -> pl.DataFrame:
    EXERCISED.add(name)
    return wh.run_query(name, **params)


@pytest.fixture(scope="module")
def loaded(warehouse_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> db.Warehouse:
    root = tmp_path_factory.mktemp("upl") / "wh"
    shutil.copytree(warehouse_dir, root)
    wh = db.Warehouse(root)
    cat = catalogue.catalogue_for("askersund", wh.run_query("upl_verksamheter", org_id="askersund"))

    def put(text: str, kind: str, year: int, unit: str, who: str) -> storing.Committed:
        data = text.encode()
        raw = reading.read_upload(data, f"{kind}_{len(text)}.csv")
        mapping = kinds.suggest_mapping(raw.headers, kind)
        result = validate(raw, Settings.of("askersund", kind, year, unit, mapping), cat)
        assert result.ok, result.problems.to_dicts()
        return storing.commit(
            raw, data, result, access.Actor(who, frozenset({"ekonom"})), root=root
        )

    put(
        "Vht;Konto;Period;Belopp\n10;4010;202501;100\n10;4020;202501;-40\n10;4010;202502;200\n"
        "45;4010;202501;1 000,50\n",
        kinds.UTFALL, 2025, "kr", "Anna",
    )  # fmt: skip
    put("Vht;Konto;Period;Belopp\n10;4010;202502;250\n", kinds.UTFALL, 2025, "kr", "Bo")
    put(
        "Vht;Prognosdatum;Prognos\n10;2025-04-30;−1 500\n45;2025-04-30;3,5\n",
        kinds.PROGNOS, 2025, "tkr", "Anna",
    )  # fmt: skip
    put(
        "Projekt;Period;Belopp\n9101 Gc-väg;202503;150\n9101 Gc-väg;202504;50\n",
        kinds.INVESTERING, 2025, "kr", "Anna",
    )  # fmt: skip
    return wh


def test_outcome_by_month_uses_the_current_version_and_accumulates(loaded: db.Warehouse) -> None:
    out = run(loaded, "upl_outcome_by_month", org_id="askersund", year=2025)
    assert out.select(
        "line_key", "verksamhet_code", "month", "amount_kr", "accumulated_kr"
    ).rows() == [
        ("vh10", "10", 1, Decimal("60.00"), Decimal("60.00")),
        ("vh10", "10", 2, Decimal("250.00"), Decimal("310.00")),
        ("vh45", "45", 1, Decimal("1000.50"), Decimal("1000.50")),
    ]
    assert out.schema["amount_kr"] == pl.Decimal(18, 2)
    assert run(loaded, "upl_outcome_by_month", org_id="askersund", year=2024).is_empty()
    assert run(loaded, "upl_outcome_by_month", org_id="lerum", year=2025).is_empty()


def test_uploads_for_org_is_the_log_newest_first(loaded: db.Warehouse) -> None:
    out = run(loaded, "upl_uploads_for_org", org_id="askersund")
    assert out.select("seq", "kind", "uploaded_by", "rows", "current_rows", "replaces").rows() == [
        (4, "investering", "Anna", 2, 2, None),
        (3, "prognos", "Anna", 2, 2, None),
        (2, "utfall", "Bo", 1, 1, "1"),
        (1, "utfall", "Anna", 4, 3, None),
    ]
    assert run(loaded, "upl_uploads_for_org", org_id="lerum").is_empty()


def test_loaded_periods_name_the_current_upload(loaded: db.Warehouse) -> None:
    out = run(loaded, "upl_loaded_periods", org_id="askersund")
    assert out.select(
        "kind", "period", "seq", "uploaded_by", "rows", "amount_kr", "versions"
    ).rows() == [
        ("investering", "2025-03", 4, "Anna", 1, Decimal("150.00"), 1),
        ("investering", "2025-04", 4, "Anna", 1, Decimal("50.00"), 1),
        ("prognos", "2025-04-30", 3, "Anna", 2, Decimal("-1496500.00"), 1),
        ("utfall", "2025-01", 1, "Anna", 3, Decimal("1060.50"), 1),
        ("utfall", "2025-02", 2, "Bo", 1, Decimal("250.00"), 2),
    ]


def test_upload_by_sha(loaded: db.Warehouse) -> None:
    sha = run(loaded, "upl_uploads_for_org", org_id="askersund")["sha256"][0]
    assert run(loaded, "upl_upload_by_sha", sha256=sha)["seq"].to_list() == [4]
    assert run(loaded, "upl_upload_by_sha", sha256="0" * 64).is_empty()
    assert run(loaded, "upl_upload_by_sha", sha256="' or '1'='1").is_empty()


def test_current_rows_are_what_a_new_upload_is_compared_with(loaded: db.Warehouse) -> None:
    out = run(loaded, "upl_current_rows", org_id="askersund", kind=kinds.UTFALL)
    assert out.select("period", "line_key", "account", "amount_kr").rows() == [
        ("2025-01", "vh10", "4010", Decimal("100.00")),
        ("2025-01", "vh10", "4020", Decimal("-40.00")),
        ("2025-01", "vh45", "4010", Decimal("1000.50")),
        ("2025-02", "vh10", "4010", Decimal("250.00")),
    ]
    assert run(loaded, "upl_current_rows", org_id="lerum", kind=kinds.UTFALL).is_empty()


def test_verksamheter_from_the_documents(wh: db.Warehouse) -> None:
    askersund = run(wh, "upl_verksamheter", org_id="askersund")
    assert askersund["line_key"].n_unique() == 23
    assert ("vh10", "10 Nämnder/Styrelser") in askersund.rows()
    lerum = run(wh, "upl_verksamheter", org_id="lerum")
    assert lerum["line_key"].n_unique() == 14
    assert all(k.startswith("po:") for k in lerum["line_key"])


def test_every_upload_query_is_exercised_and_documented() -> None:
    names = {p.stem for p in QUERIES.glob("upl_*.sql")}
    assert names == EXERCISED
    for name in names:
        head = db.load_sql(name).lstrip()
        assert head.startswith("-- grain:") and "-- parameters:" in head
