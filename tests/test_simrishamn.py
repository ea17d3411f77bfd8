"""A new organisation as a user brings it in: Simrishamn's Kultur- och fritidsnämnden.

Added under the municipality (1291) and its structure, Driftredovisning 2025, investment
plan 2027–2031 and goals imported once through the Inläsning page and once through the
command line: both give the same rows, every page shows the board, and Datakvalitet
lists the 2 tkr rounding and the 50 tkr print fault.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import access, cli, db, orgs, store
from budgetrummet.ui import auth
from budgetrummet.upload.reading import read_upload
from budgetrummet.writes import orgs as org_writes
from tests.conftest import LOCAL_VISIT

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "documents"
ORG = "simrishamn_kfn"
FILES = (
    ("struktur", "simrishamn_kfn_struktur.csv", None),
    ("budget", "simrishamn_kfn_driftredovisning_2025.csv", "costs-negative"),
    ("investeringsplan", "simrishamn_kfn_investeringsaskande_2027-2031.csv", "costs-positive"),
    ("mal", "simrishamn_kfn_mal_2025.csv", None),
)
PAGES = (
    "views/overview.py",
    "views/drift.py",
    "views/investments.py",
    "views/finance.py",
    "views/goals.py",
    "views/scenarios.py",
    "views/upload.py",
    "views/imports.py",
    "views/data_quality.py",
)
# Rows compared between the two paths: everything but when they were written.
STAMPS = ("imported_at", "status_at", "created_at")


def fresh(warehouse_dir: Path, tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(warehouse_dir, root)
    return root


def run_cli(root: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out=out, root=root)
    return code, out.getvalue()


def through_cli(root: Path) -> list[str]:
    outputs = []
    code, text = run_cli(root, "org", "add", "simrishamn", "--name", "Simrishamn",
                         "--kommunkod", "1291")  # fmt: skip
    assert code == 0, text
    code, text = run_cli(root, "org", "add", ORG, "--name", "Kultur- och fritidsnämnden",
                         "--parent", "simrishamn", "--typ", "namnd")  # fmt: skip
    assert code == 0, text
    for kind, name, sign in FILES:
        args = ["import", ORG, kind, str(FIXTURES / name)]
        args += ["--sign", sign] if sign else []
        code, text = run_cli(root, *args)
        assert code == 0, text
        outputs.append(text)
    return outputs


def page(org: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "imports.py"), default_timeout=30)
    if org:
        at.session_state["org"] = org
    at.run()
    assert not at.exception, at.exception
    return at


def through_page() -> None:
    at = page()
    at.radio(key="imp_org_kind").set_value("kommun").run()
    at.selectbox(key="imp_org_kommun").set_value("1291").run()
    at.button(key="imp_org_add").click().run()
    assert not at.exception, at.exception
    assert "Organisationen Simrishamn är tillagd." in at.success[0].value
    at.radio(key="imp_org_kind").set_value("namnd").run()
    at.selectbox(key="imp_org_parent").set_value("simrishamn").run()
    at.text_input(key="imp_org_name_namnd_None").set_value("Kultur- och fritidsnämnden").run()
    at.text_input(key="imp_org_id_namnd_None_kultur_och_fritidsnamnden").set_value(ORG).run()
    at.button(key="imp_org_add").click().run()
    assert not at.exception, at.exception
    for kind, name, sign in FILES:
        at = page(ORG)
        at.radio(key="imp_kind").set_value(kind).run()
        at.file_uploader[0].set_value((name, (FIXTURES / name).read_bytes(), "text/csv")).run()
        if sign:
            at.radio(key="imp_sign").set_value(sign).run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        at.button(key="imp_confirm").click().run()
        assert not at.exception, at.exception
        assert "Sparat som dokument" in at.success[0].value


def rows(root: Path, table: str) -> pl.DataFrame:
    frame = store.read_table(table, root)
    frame = frame.drop([c for c in STAMPS if c in frame.columns])
    return frame.sort(frame.columns, nulls_last=True)


@pytest.fixture(scope="module")
def both(warehouse_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """Two warehouses: one loaded through the command line, one through the page."""
    tmp = tmp_path_factory.mktemp("simrishamn")
    by_cli = fresh(warehouse_dir, tmp, "cli")
    by_page = fresh(warehouse_dir, tmp, "page")
    outputs = through_cli(by_cli)
    mp = pytest.MonkeyPatch()
    mp.setenv(store.ENV_DATA_DIR, str(by_page))
    # Module scope runs before the per-test local_visitor fixture: be the local user here.
    mp.setattr(auth, "visit", lambda: LOCAL_VISIT)
    try:
        through_page()
    finally:
        mp.undo()
    return by_cli, by_page, outputs


def test_page_and_command_line_store_the_same_rows(both) -> None:
    by_cli, by_page, _ = both
    for table in (
        "organisations_added",
        "import_sources",
        "import_figures",
        "import_texts",
        "import_goals",
        "import_reconciliation",
        "import_structure",
    ):
        a, b = rows(by_cli, table), rows(by_page, table)
        assert a.height, table
        assert a.equals(b), table


def test_the_board_is_a_board_under_its_municipality(both) -> None:
    by_cli, _, _ = both
    registry = db.Warehouse(by_cli).run_query("org_registry")
    board = registry.filter(org_id=ORG).row(0, named=True)
    assert (board["kind"], board["parent_org_id"], board["kommunkod"]) == (
        "namnd",
        "simrishamn",
        "1291",
    )
    assert registry.filter(org_id="askersund").height == 1  # the seed's are still there


def test_the_command_line_prints_the_reconciliation(both) -> None:
    _, _, outputs = both
    drift, invest = outputs[1], outputs[2]
    assert (
        "Summa totalt tryckt -62 049\u00a0tkr, skillnad mot raderna 2\u00a0tkr – avrundning"
        in drift
    )
    assert "Plan 2028: Summa nya enskilda investeringsprojekt tryckt 15 975\u00a0tkr" in invest
    assert "50\u00a0tkr – motsägelse" in invest


@pytest.mark.parametrize("view", PAGES)
def test_every_page_shows_the_board(both, view: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, by_page, _ = both
    monkeypatch.setenv(store.ENV_DATA_DIR, str(by_page))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = ORG
    at.run()
    at.switch_page(view).run()
    assert not at.exception, at.exception
    shown = " ".join(str(t.value) for t in (*at.title, *at.header))
    assert "Kultur- och fritidsnämnden" in shown


def test_datakvalitet_lists_the_rounding_and_the_contradiction(
    both, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, by_page, _ = both
    monkeypatch.setenv(store.ENV_DATA_DIR, str(by_page))
    checks = db.Warehouse(by_page).run_query("reconciliation_for_org", org_id=ORG)
    rounding = checks.filter(klass="avrundning")
    assert rounding.select("column_label", "difference").rows() == [("Utfall 2025", 2)]
    wrong = checks.filter(klass="motsägelse", column_label="Plan 2028")
    assert wrong.height == 2 and set(wrong["difference"].abs().to_list()) == {50}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = ORG
    at.run()
    at.switch_page("views/data_quality.py").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Avrundningar"] == "1"
    assert metrics["Motsägelser"] == "2"
    # an imported figure is cited by file, row and column heading, not by a text line
    table = at.dataframe[0].value
    places = dict(zip(table["Var"], table["Var i källan"], strict=True))
    assert places["Driftredovisning (tkr) · Summa totalt · Utfall 2025"] == (
        "simrishamn_kfn_driftredovisning_2025.csv · rad 14 · kolumn Utfall 2025"
    )
    assert "Rad i källan" not in table.columns
    # the documents are named, never by their internal ids
    ids = checks["doc_id"].unique().to_list()
    shown = " ".join(
        [*(str(v) for v in table.to_numpy().ravel()), *(m.value for m in at.markdown)]
        + [e.label for e in at.expander]
    )
    assert ids and not [i for i in ids if i in shown]
    assert "**Importerad fil:** simrishamn\\_kfn\\_driftredovisning\\_2025.csv" in shown


def test_a_command_line_usage_error_exits_2(warehouse_dir: Path, tmp_path: Path) -> None:
    root = fresh(warehouse_dir, tmp_path, "usage")
    assert run_cli(root, "import", "askersund", "budget", "/nonexistent.csv")[0] == 2
    assert run_cli(root, "import", "okand_org", "mal", str(FIXTURES / FILES[3][1]))[0] == 2
    assert run_cli(root, "import", "askersund", "mal", str(FIXTURES / FILES[3][1]),
                   "--column", "utan-likhetstecken")[0] == 2  # fmt: skip
    assert run_cli(root, "nothing")[0] == 2
    assert run_cli(root, "import", "askersund", "budget", str(FIXTURES / FILES[1][1]),
                   "--month", "2025-13")[0] == 2  # fmt: skip
    assert cli._month_end("2024-08").isoformat() == "2024-08-31"
    assert cli._month_end("2024-12").isoformat() == "2024-12-31"
    assert store.read_table("import_sources", root).is_empty()


def test_dry_run_and_refusal(warehouse_dir: Path, tmp_path: Path) -> None:
    root = fresh(warehouse_dir, tmp_path, "dry")
    budget = str(FIXTURES / "askersund_budget_2026_testfil.csv")
    code, text = run_cli(root, "import", "askersund", "budget", budget, "--unit", "tkr",
                         "--sign", "costs-negative", "--dry-run")  # fmt: skip
    assert code == 0 and "ingenting sparades" in text
    assert store.read_table("import_sources", root).is_empty()
    code, text = run_cli(root, "import", "askersund", "budget", budget)
    assert code == 1 and "har inte sparats" in text
    code, text = run_cli(root, "import", "askersund", "budget", budget, "--unit", "tkr",
                         "--sign", "costs-negative")  # fmt: skip
    assert code == 0, text
    assert store.read_table("import_sources", root)["title"].to_list() == [
        "Budget 2026 med plan 2027–2029 (import: askersund_budget_2026_testfil.csv)"
    ]


def test_the_command_line_also_loads_monthly_outcome(warehouse_dir: Path, tmp_path: Path) -> None:
    root = fresh(warehouse_dir, tmp_path, "utfall")
    utfall = ROOT / "tests" / "fixtures" / "upload" / "summarad_ok.csv"
    code, text = run_cli(root, "import", "askersund", "utfall", str(utfall), "--unit", "kr",
                         "--month", "2025-13")  # fmt: skip
    assert code == 2
    assert store.read_table("uploads", root).is_empty()
    code, text = run_cli(root, "import", "askersund", "utfall", str(utfall), "--unit", "kr")
    assert code == 0, text
    assert store.read_table("uploads", root).height == 1


def test_with_sign_in_the_role_file_names_the_system_users(
    warehouse_dir: Path, tmp_path: Path
) -> None:
    root = fresh(warehouse_dir, tmp_path, "roles")
    me = cli.system_user()
    assert access.ADMIN in cli.cli_actor(root, signed_in=False).roles
    assert cli.cli_actor(root, signed_in=True).roles == frozenset()
    (root / access.ROLE_FILE).write_text(f'[system_users]\n"{me}" = ["ekonom"]\n', encoding="utf-8")
    assert cli.cli_actor(root, signed_in=True).roles == frozenset({"ekonom"})


def test_organisation_ids_and_kommunkoder_are_checked(warehouse_dir: Path) -> None:
    existing = db.Warehouse(warehouse_dir).run_query("org_registry")
    assert len(orgs.kommuner()) == 290
    assert orgs.kommuner()["1291"] == "Simrishamn"
    bad = [
        orgs.NewOrganisation("../x", "X", orgs.FORBUND),
        orgs.NewOrganisation("askersund", "Askersund igen", orgs.FORBUND),
        orgs.NewOrganisation("ny", "Ny", orgs.KOMMUN, "9999"),
        orgs.NewOrganisation("ny", "Ny", orgs.NAMND),
        orgs.NewOrganisation("ny", "Ny\nrad", orgs.FORBUND),
        orgs.NewOrganisation("ny", "[Klicka](https://example.com)", orgs.FORBUND),
        orgs.NewOrganisation("ny", "<img src=x>", orgs.FORBUND),
    ]
    for new in bad:
        assert orgs.check(new, existing), new
    assert not orgs.check(orgs.NewOrganisation("vaxjo", "Växjö", orgs.KOMMUN, "0780"), existing)


def test_only_an_admin_adds_organisations(warehouse_dir: Path, tmp_path: Path) -> None:
    root = fresh(warehouse_dir, tmp_path, "admin")
    existing = db.Warehouse(root).run_query("org_registry")
    economist = access.Actor("Ekonom", frozenset({access.ECONOMIST}))
    with pytest.raises(access.AccessDeniedError):
        org_writes.add(
            orgs.NewOrganisation("nytt", "Nytt", orgs.FORBUND), economist, existing, root=root
        )
    assert store.read_table("organisations_added", root).is_empty()


def test_the_reader_is_the_upload_pages(both) -> None:
    # The page and the command line read a file with the upload page's reader.
    raw = read_upload((FIXTURES / FILES[1][1]).read_bytes(), FILES[1][1])
    assert raw.encoding == "Windows-1252"


def test_monthly_outcome_is_checked_against_the_imported_structure(both, tmp_path: Path) -> None:
    by_cli, _, _ = both
    root = tmp_path / "wh"
    shutil.copytree(by_cli, root)
    utfall = tmp_path / "utfall_2026-01.csv"
    utfall.write_text(
        "Verksamhet;Period;Belopp\nBibliotek;2026-01;-1 100\nMuseum/konsthall;2026-01;-700\n"
        "Simhall;2026-01;-50\n",
        encoding="utf-8",
    )
    code, text = run_cli(root, "import", ORG, "utfall", str(utfall), "--unit", "tkr")
    assert code == 1
    assert "rad 4, kolumn Verksamhet: Verksamheten ”Simhall” finns inte" in text
    utfall.write_text(utfall.read_text(encoding="utf-8").rsplit("Simhall", 1)[0], encoding="utf-8")
    code, text = run_cli(root, "import", ORG, "utfall", str(utfall), "--unit", "tkr")
    assert code == 0, text
    rows = store.read_table("outcome", root).filter(org_id=ORG)
    assert rows["line_key"].to_list() == ["po:bibliotek", "po:museum_konsthall"]


def test_an_import_is_undone_and_restored_on_the_page(
    warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fresh(warehouse_dir, tmp_path, "undo")
    budget = str(FIXTURES / "askersund_budget_2026_testfil.csv")
    code, text = run_cli(root, "import", "askersund", "budget", budget, "--unit", "tkr",
                         "--sign", "costs-negative")  # fmt: skip
    assert code == 0, text
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    at = page("askersund")
    doc_id = store.read_table("import_sources", root)["doc_id"][0]
    at.selectbox(key="imp_undo_choice").set_value(doc_id).run()
    at.button(key="imp_undo").click().run()
    assert not at.exception, at.exception
    assert store.read_table("import_sources", root)["status"].to_list() == ["ångrad"]
    docs = db.Warehouse(root).run_query("sources_for_org", org_id="askersund")
    assert doc_id not in docs["doc_id"].to_list()
    at.selectbox(key="imp_restore_choice").set_value(doc_id).run()
    at.button(key="imp_restore").click().run()
    assert store.read_table("import_sources", root)["status"].to_list() == ["aktiv"]


# --- what the pages show for a board with a year-end report and an investment plan ----


def _figs(root: Path) -> pl.DataFrame:
    from budgetrummet import drift

    return db.Warehouse(root).run_query(
        "figures_by_tables", org_id=ORG, table_ids=list(drift.ALL_TABLES)
    )


def test_the_year_end_report_is_the_boards_budget(both) -> None:
    from decimal import Decimal

    from budgetrummet import drift, overview

    _, by_page, _ = both
    raw = _figs(by_page)
    assert raw.filter(pl.col("table_id").is_in(drift.PLAN_TABLES)).is_empty()
    figs = drift.report_as_plan(raw)
    docs = drift.budget_documents(
        figs, db.Warehouse(by_page).run_query("org_documents", org_id=ORG)
    )
    assert [(d.budget_year, d.last_year) for d in docs] == [(2025, 2025)]
    periods = drift.plan_periods(figs)
    assert [p.label for p in periods] == ["Utfall 2025", "Budget 2025"]
    assert drift.adjusted_budget_years(figs) == []  # a report does not adjust its own budget
    table = drift.plan_table(figs, periods)
    total = table.filter(pl.col("is_total")).row(0, named=True)
    assert (total[periods[0].key], total[periods[1].key]) == (Decimal(-62049), Decimal(-63119))
    assert table.height == 13
    # The printed sum is kept; the lines add up to 2 tkr less, shown as its own bar.
    bridge = drift.plan_bridge(table, periods[0], periods[1])
    assert bridge is not None and bridge.residual == Decimal(-2)

    forecast = drift.forecast_table(figs)
    t = forecast.filter(pl.col("is_total")).row(0, named=True)
    assert (t["prognos"], t["budget"], t["avvikelse"]) == (
        Decimal(-62049),
        Decimal(-63119),
        Decimal(1070),
    )
    labels = drift.forecast_labels(figs)
    assert (labels["outcome"], labels["budget"], labels["deviation"]) == (
        "Utfall 2025",
        "Budget 2025",
        "Återstår",
    )
    shown, _, _ = drift.forecast_display(forecast, refs={}, labels=labels)
    assert "Prognos helår" not in shown.columns and "Utfall 2025" in shown.columns

    tile = overview.budget_tile(raw, db.Warehouse(by_page).run_query("org_documents", org_id=ORG))
    assert tile is not None
    assert (tile.year, tile.forecast, tile.budget, tile.outcome_label, tile.budget_label) == (
        2025,
        Decimal(-62049),
        Decimal(-63119),
        "Utfall 2025",
        "Budget 2025",
    )


def _page(root: Path, view: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = ORG
    at.run()
    at.switch_page(view).run()
    assert not at.exception, at.exception
    return at


def test_driftbudget_shows_the_report_with_its_rounding_flag(
    both, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, by_page, _ = both
    monkeypatch.setenv(store.ENV_DATA_DIR, str(by_page))
    at = _page(by_page, "views/drift.py")
    captions = " ".join(c.value for c in at.caption)
    assert "Kolumner: Utfall 2025, Budget 2025. Källa: Driftredovisning 2025" in captions
    assert "Senaste budget gäller 2025; det finns ingen budget för" in captions
    assert "⚠ markerar rader" in captions  # the 2 tkr rounding of the printed total
    assert not [i.value for i in at.info if "Ingen budget" in i.value]
    warnings = [w.value.replace("\u00a0", " ") for w in at.warning]
    assert any("\u22121 068 tkr" in w and "\u22121 070 tkr" in w for w in warnings), warnings


def test_overview_leads_with_the_outcome_against_budget(
    both, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, by_page, _ = both
    monkeypatch.setenv(store.ENV_DATA_DIR, str(by_page))
    at = _page(by_page, "views/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Utfall 2025"] == "\u221262\u00a0049\u00a0tkr"
    text = " ".join(m.value for m in at.markdown)
    assert "Nettokostnad 2025: utfall mot budget" in text
    assert "Budget 2025 \u221263\u00a0119\u00a0tkr" in text
    assert not [i.value for i in at.info if "Ingen budget" in i.value]


def test_investeringar_lists_the_planned_projects(both, monkeypatch: pytest.MonkeyPatch) -> None:
    from decimal import Decimal

    from budgetrummet import investments as inv

    _, by_page, _ = both
    monkeypatch.setenv(store.ENV_DATA_DIR, str(by_page))
    w = db.Warehouse(by_page)
    plan = w.run_query("inv_budget_plan", org_id=ORG)
    assert inv.plan_periods(plan) == [
        "Budget 2027", "Plan 2028", "Plan 2029", "Plan 2030", "Plan 2031",
    ]  # fmt: skip
    table = inv.portfolio_table(plan, inv.cell_marks(w.run_query("inv_findings", org_id=ORG)))
    summa = table.filter(pl.col("Rad") == "Summa investeringsbudget").row(0, named=True)
    assert summa["Budget 2027"] == "\u221237\u00a0525\u00a0tkr"
    assert summa["Plan 2028"] == "\u221217\u00a0125\u00a0tkr ⚠"
    new = table.filter(pl.col("Rad") == "Summa nya enskilda investeringsprojekt").row(0, named=True)
    assert new["Plan 2028"] == "\u221215\u00a0975\u00a0tkr ⚠"  # the lines add up to 15 925
    assert table.height == 23
    lines, totals = inv.plan_series(plan)  # the Portfölj chart: printed parts and total
    assert lines.filter(year=2028)["value"].to_list() == [Decimal(-15975), Decimal(-1200)]
    assert totals.filter(year=2028)["value"].to_list() == [Decimal(-17125)]
    at = _page(by_page, "views/investments.py")
    captions = " ".join(c.value for c in at.caption)
    assert "Källor – Budget 2027 – Plan 2031: Investeringsplan 2027–2031" in captions
    assert any("ingen prognos och inget utfall att jämföra med" in i.value for i in at.info)
    assert "Inga projekt med överskridande" not in str(at.get("plotly_chart"))


def test_scenarier_rest_on_the_reports_budget(both, monkeypatch: pytest.MonkeyPatch) -> None:
    from decimal import Decimal

    from budgetrummet import scenarios as sc

    _, by_page, _ = both
    monkeypatch.setenv(store.ENV_DATA_DIR, str(by_page))
    w = db.Warehouse(by_page)
    layout, docs = sc.load_layout(w.run_query, ORG)
    assert layout is not None
    assert [(d.lines_table, d.years, d.history) for d in docs] == [
        ("driftredovisning", (2025,), ())
    ]
    assert layout.notes[0].startswith("Underlaget har ingen budget med planår.")
    assert "budget 2025 per verksamhet i Driftredovisning 2025" in layout.notes[0]
    figures, texts = sc.load_inputs(w.run_query, ORG, layout)
    b = sc.build_baseline(ORG, layout, figures, texts)
    assert b.base == {2025: Decimal(63119)}  # the printed Budget 2025, not the outcome
    assert b.year_labels == {2025: "Budget 2025"}
    assert b.lines.height == 11  # Alkoholtillstånd has no budget printed
    one = sc.compute(b, sc.ScenarioParams(requirement=((2025, Decimal(1)),)))
    row = one.year_rows[0]
    assert (row["requirement"], row["scenario_net"]) == (Decimal(631), Decimal(-62488))
    at = _page(by_page, "views/scenarios.py")
    assert not [i.value for i in at.info if "Ingen budget" in i.value]
    assert {m.label: m.value for m in at.metric}["Nettokostnad Budget 2025"] == (
        "\u221263\u00a0119\u00a0tkr"
    )
    # No plan years: the page measures against the budget and says what is missing.
    assert [m.proto.delta_description for m in at.metric] == ["mot budgeten"]
    shown = " ".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "Förändring mot budgeten" in shown and "planen" not in shown
    assert any("inga bruttokostnader" in c.value for c in at.caption)
    assert "inga planår" in " ".join(c.value for c in at.caption)


def test_mal_cites_imported_goals_by_file_row_and_column(
    both, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, by_page, _ = both
    monkeypatch.setenv(store.ENV_DATA_DIR, str(by_page))
    places = db.Warehouse(by_page).run_query("goal_places", org_id=ORG)
    assert places.height == 8
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = ORG
    at.run()
    at.switch_page("views/goals.py").run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown) + " ".join(e.label for e in at.expander)
    table = next(d.value for d in at.dataframe if "Var i källan" in d.value.columns)
    assert "simrishamn_kfn_mal_2025.csv · rad 2 · kolumn Mål" in set(table["Var i källan"])
    assert not [i for i in places["goal_key"].str.split(":").list.first() if i in shown]
