"""Document imports (budget, investeringsplan, mal, struktur): the contract with the pages.

An imported file becomes a document: a ``sources`` row and ``figures`` rows in the seed's
columns (plus provenance), read through the same views every page reads. Checked on the
real Simrishamn files and a made Askersund Budget 2026 file (tests/fixtures/documents).
"""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from budgetrummet import access, db, store, tables
from budgetrummet.upload import doc_store, documents, templates
from budgetrummet.upload.reading import read_upload
from budgetrummet.upload.rules import UploadRefusedError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"
DRIFT = "simrishamn_kfn_driftredovisning_2025.csv"
INVEST = "simrishamn_kfn_investeringsaskande_2027-2031.csv"
STRUCTURE = "simrishamn_kfn_struktur.csv"
GOALS = "simrishamn_kfn_mal_2025.csv"
ASKERSUND_2026 = "askersund_budget_2026_testfil.csv"
ORG = "simrishamn_kfn"
ADMIN = access.Actor("Test Admin", frozenset({access.ADMIN}))
READER = access.Actor("Test Läsare", frozenset({access.READER}))


def parse(name: str, kind: str, catalogue=None, org: str = ORG, **kw) -> documents.DocImport:
    raw = read_upload((FIXTURES / name).read_bytes(), name)
    settings = documents.DocSettings(
        org_id=org, org_name="Kultur- och fritidsnämnden", kind=kind, **kw
    )
    return documents.parse(raw, settings, catalogue)


def simrishamn_catalogue():
    structure = parse(STRUCTURE, "struktur").structure
    return documents.structure_catalogue(ORG, structure, pl.DataFrame())


# ------------------------------------------------------------------ the contract


def test_a_budget_file_becomes_a_document_with_seed_figure_columns(warehouse_dir: Path) -> None:
    result = parse(DRIFT, "budget", simrishamn_catalogue(), sign="costs-negative")
    assert result.ok, result.problems
    sha = hashlib.sha256((FIXTURES / DRIFT).read_bytes()).hexdigest()
    assert result.source["doc_id"] == f"imp_{sha[:12]}"
    assert result.source["doc_type"] == "bokslut"
    assert result.source["title"] == f"Driftredovisning 2025 (import: {DRIFT})"
    seed_columns = store.read_table("figures", warehouse_dir).columns
    assert set(seed_columns) <= set(result.figures.columns)
    assert set(result.figures.columns) - set(seed_columns) >= {
        "source_file",
        "source_sha256",
        "source_row",
        "source_column",
        "source_sign",
    }
    figs = result.figures
    assert set(figs["table_id"]) == {"driftredovisning"}
    assert set(figs["version"]) == {"utfall", "budget_justerad", "avvikelse"}
    # Printed as printed, with where it was printed; the empty budget cell gives no figure.
    fritid = figs.filter(pl.col("line_label") == "Allmän fritidsverksamhet", version="utfall")
    assert fritid.select("value_printed", "value", "source_row", "source_column").row(0) == (
        "- 6 279",
        Decimal("-6279"),
        6,
        "Utfall 2025",
    )
    assert figs.filter(pl.col("line_label") == "Alkoholtillstånd")["version"].to_list() == [
        "utfall",
        "avvikelse",
    ]
    total = figs.filter(row_kind="total", version="utfall").row(0, named=True)
    assert (total["value_printed"], total["value"], total["line_key"]) == (
        "-62 049",
        Decimal("-62049"),
        "total",
    )
    assert figs["source_file"].unique().to_list() == [DRIFT]
    assert figs["source_sha256"].unique().to_list() == [sha]


def test_the_printed_total_is_reconciled_not_refused() -> None:
    result = parse(DRIFT, "budget", simrishamn_catalogue(), sign="costs-negative")
    outcome = result.findings.filter(column_label="Utfall 2025").row(0, named=True)
    assert outcome["kind"] == "summa"
    assert outcome["klass"] == "avrundning"
    assert (outcome["reported"], outcome["computed"]) == (Decimal("-62049"), Decimal("-62051"))
    assert set(result.findings.filter(pl.col("column_label") != "Utfall 2025")["klass"]) == {
        "stämmer"
    }


def test_an_investment_plan_keeps_text_as_a_note_and_finds_the_print_fault() -> None:
    result = parse(INVEST, "investeringsplan", sign="costs-positive")
    assert result.ok, result.problems
    assert result.source["doc_type"] == "investeringsplan"
    assert result.source["title"].startswith("Investeringsplan 2027–2031 (import: ")
    figs = result.figures
    assert set(figs["table_id"]) == {"inv_projekt"}
    korsavad = figs.filter(line_key="proj:6289", column_label="Budget 2027").row(0, named=True)
    # Costs written positive in the file are stored negative; the text stays as printed.
    assert (korsavad["value_printed"], korsavad["value"], korsavad["version"]) == (
        "1 000",
        Decimal("-1000"),
        "budget_kf",
    )
    assert korsavad["source_sign"] == "costs-positive"
    life = figs.filter(line_key="proj:6289", column_label="Total utgift")["version"].to_list()
    assert life == ["projekt_budget"]
    assert "årligen" not in " ".join(figs["value_printed"].to_list())
    notes = result.texts.filter(kind="anteckning")["text"].to_list()
    assert "Total utgift: årligen, löpande" in notes and len(notes) == 3
    plan = result.findings.filter(column_label="Plan 2028", kind="summa")
    first = plan.filter(pl.col("line_label").str.starts_with("Summa nya")).row(0, named=True)
    assert first["klass"] == "motsägelse"
    assert abs(first["difference"]) == Decimal(50)
    assert result.findings.filter(column_label="Total utgift").is_empty()


def test_goals_and_structure_files() -> None:
    goals = parse(GOALS, "mal")
    assert goals.ok, goals.problems
    assert goals.goals.height == 8
    assert goals.indicators.height == 0  # activity goals: no indicator
    assert goals.goals["followup_dates"].unique().to_list() == ["2025-12-31"]
    assert goals.goals.filter(malomrade_title="08 Hållbart samhällsbyggande")[
        "goal_no"
    ].to_list() == ["1", "2"]
    structure = parse(STRUCTURE, "struktur")
    assert structure.structure.height == 12
    assert structure.structure.filter(name="Bibliotek")["scb_code"].to_list() == ["320"]


@pytest.mark.parametrize(
    ("name", "kind", "kw", "rule", "row", "column"),
    [
        (DRIFT, "budget", {}, "kolumn_saknas", None, None),  # no sign stated
        (DRIFT, "budget", {"sign": "costs-negative"}, "verksamhet_okand", 3, "Verksamheter (tkr)"),
        (INVEST, "investeringsplan", {"sign": "costs-positive", "unit": "tkr",
                                      "columns": (("Total utgift", "plan:2032"),)},
         "belopp", 7, "Total utgift"),
    ],
)  # fmt: skip
def test_problems_are_reported_by_row_and_column(name, kind, kw, rule, row, column) -> None:
    # Without the organisation's own structure, SCB's codes apply: "Fysisk och teknisk
    # planering" (row 3) is not SCB's name ("…, bostadsförbättring"); "Bibliotek" is.
    result = parse(name, kind, **kw)
    assert not result.ok
    hit = result.problems.filter(rule=rule)
    assert hit.height
    first = hit.row(0, named=True)
    assert (first["row"], first["column"]) == (row, column)
    assert first["message"]
    if rule == "verksamhet_okand":
        assert 10 not in hit["row"].to_list()
        assert 9 in hit["row"].to_list()


def test_a_column_option_names_version_and_year() -> None:
    result = parse(
        DRIFT,
        "budget",
        simrishamn_catalogue(),
        sign="costs-negative",
        columns=(("Återstår", "ignorera"), ("Budget 2025", "budget_kf:2025")),
    )
    assert result.ok
    assert set(result.figures["version"]) == {"utfall", "budget_kf"}
    assert dict(result.mapping)["Budget 2025"] == "budget_kf:2025"
    bad = parse(DRIFT, "budget", sign="costs-negative", columns=(("Saknas", "plan:2028"),))
    assert "Saknas" in bad.problems["message"][0]


def test_templates_for_every_document_kind() -> None:
    for kind in documents.DOC_KINDS:
        csv = templates.template_csv(kind)
        assert csv.startswith("\ufeff".encode())
        raw = read_upload(csv, f"mall_{kind}.csv")
        assert raw.headers == documents.DOC_KINDS[kind].headings
        assert templates.template_xlsx(kind, documents.default_catalogue())[:2] == b"PK"


# ------------------------------------------------------------------ storing and views


@pytest.fixture
def private_wh(warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    return root


def store_file(root: Path, name: str, kind: str, org: str, catalogue=None, **kw):
    data = (FIXTURES / name).read_bytes()
    raw = read_upload(data, name)
    settings = documents.DocSettings(org_id=org, org_name=org.title(), kind=kind, **kw)
    result = documents.parse(raw, settings, catalogue)
    assert result.ok, result.problems
    return doc_store.commit(raw, data, result, ADMIN, root=root), result


def askersund_catalogue(wh: db.Warehouse):
    return documents.structure_catalogue(
        "askersund",
        wh.run_query("org_structure", org_id="askersund"),
        wh.run_query("upl_verksamheter", org_id="askersund"),
    )


def test_askersund_budget_2026_goes_in_beside_2025_which_is_unchanged(private_wh: Path) -> None:
    wh = db.Warehouse(private_wh)
    before = wh.run_query("figures_by_tables", org_id="askersund", table_ids=["drift_verksamhet"])
    stored, result = store_file(
        private_wh, ASKERSUND_2026, "budget", "askersund", askersund_catalogue(wh),
        sign="costs-negative", unit="tkr",
    )  # fmt: skip
    assert result.source["title"] == (f"Budget 2026 med plan 2027–2029 (import: {ASKERSUND_2026})")
    after = wh.run_query("figures_by_tables", org_id="askersund", table_ids=["drift_verksamhet"])
    docs = wh.run_query("sources_for_org", org_id="askersund")
    assert stored.doc_id in docs["doc_id"].to_list()
    assert docs.filter(doc_id=stored.doc_id)["doc_type"].to_list() == ["budget"]
    seed_doc = before["doc_id"].unique().to_list()
    assert after.filter(pl.col("doc_id").is_in(seed_doc)).equals(before)
    new = after.filter(doc_id=stored.doc_id)
    assert new.height == 23 * 6
    assert set(new.filter(version="budget_kf")["year"]) == {2025, 2026}
    assert sorted(set(new.filter(version="plan")["year"])) == [2027, 2028, 2029]
    assert set(new["line_key"]) - {"total"} == set(before["line_key"]) - {"total"}
    checks = wh.run_query("reconciliation_for_org", org_id="askersund")
    assert checks.filter(doc_id=stored.doc_id, kind="summa").height == 6


def test_versions_undo_restore_and_the_identical_file(private_wh: Path) -> None:
    wh = db.Warehouse(private_wh)
    catalogue = askersund_catalogue(wh)
    first, _ = store_file(
        private_wh,
        ASKERSUND_2026,
        "budget",
        "askersund",
        catalogue,
        sign="costs-negative",
        unit="tkr",
    )
    with pytest.raises(UploadRefusedError, match="redan inläst"):
        store_file(private_wh, ASKERSUND_2026, "budget", "askersund", catalogue,
                   sign="costs-negative", unit="tkr")  # fmt: skip
    # A corrected version of the same budget (one more byte) replaces the first.
    data = (FIXTURES / ASKERSUND_2026).read_bytes() + b"\r\n"
    raw = read_upload(data, "v2.csv")
    result = documents.parse(
        raw,
        documents.DocSettings(
            "askersund", "Askersund", "budget", unit="tkr", sign="costs-negative"
        ),
        catalogue,
    )
    second = doc_store.commit(raw, data, result, ADMIN, root=private_wh)
    assert second.replaces == (first.doc_id,)

    def active() -> set[str]:
        docs = wh.run_query("sources_for_org", org_id="askersund")["doc_id"].to_list()
        return {d for d in docs if d.startswith("imp_")}

    assert active() == {second.doc_id}
    doc_store.undo(second.doc_id, "askersund", ADMIN, root=private_wh)
    assert active() == {first.doc_id}
    doc_store.restore(second.doc_id, "askersund", ADMIN, root=private_wh)
    assert active() == {second.doc_id}
    with pytest.raises(access.AccessDeniedError):
        doc_store.undo(second.doc_id, "askersund", READER, root=private_wh)
    entries = [e for e in store.read_audit(private_wh) if "inläsning" in e["action"]]
    assert [e["action"] for e in entries] == [
        "inläsning av dokument",
        "inläsning av dokument",
        "ångra inläsning",
        "återställ inläsning",
    ]


def test_a_reader_may_not_import(private_wh: Path) -> None:
    data = (FIXTURES / GOALS).read_bytes()
    raw = read_upload(data, GOALS)
    result = documents.parse(raw, documents.DocSettings("lerum", "Lerum", "mal"))
    with pytest.raises(access.AccessDeniedError):
        doc_store.commit(raw, data, result, READER, root=private_wh)
    assert store.read_table("import_sources", private_wh).is_empty()


def test_import_tables_are_declared_per_organisation() -> None:
    for name in doc_store.ROW_TABLES:
        assert tables.PARTITIONED[name] == "org_id"
    assert tables.FIGURE_SCHEMA.items() <= tables.USER_TABLES["import_figures"].items()


# ------------------------------------------------------------------ other shapes of file


def workbook(rows: list[list[object]], sheet: str = "Budget") -> bytes:
    import io

    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            (ws.write_number if isinstance(v, int | float) else ws.write_string)(r, c, v)
    book.close()
    return buf.getvalue()


def test_an_excel_budget_with_income_and_cost_written_as_positive_costs() -> None:
    data = workbook(
        [
            ["Driftbudget 2026"],
            [],
            ["Verksamhet", "Mått", "Budget 2026", "Plan 2027"],
            ["Bibliotek", "intäkt", 1200.5, 1300],
            ["Bibliotek", "kostnad", 15000, 15500],
            ["Bibliotek", "netto", 13799.5, 14200],
            ["Summa", "netto", 13799.5, 14200],
        ]
    )
    raw = read_upload(data, "budget.xlsx")
    settings = documents.DocSettings("x", "X", "budget", unit="mkr", sign="costs-positive")
    result = documents.parse(raw, settings)
    assert result.ok, result.problems
    figs = result.figures.filter(column_label="Budget 2026")
    by_measure = {r["measure"]: r for r in figs.iter_rows(named=True) if r["row_kind"] == "line"}
    assert by_measure["intakt"]["value"] == Decimal("1200.5")
    assert by_measure["kostnad"]["value"] == Decimal("-15000")
    assert by_measure["netto"]["value_printed"] == "13799.5"
    assert by_measure["netto"]["value"] == Decimal("-13799.5")
    assert by_measure["netto"]["line_key"] == "scb:320"
    assert set(figs["unit"]) == {"mkr"} and set(figs["source_sheet"]) == {"Budget"}
    assert set(result.findings["klass"]) == {"stämmer"}
    assert set(result.findings["kind"]) == {"summa", "netto"}


def test_a_structure_with_ansvar_mapped_to_verksamhet_is_what_a_budget_may_name() -> None:
    text = (
        "Nivå;Kod;Namn;Hör till\r\n"
        "verksamhet;KF1;Kultur;\r\n"
        "verksamhet;KF2;Fritid;\r\n"
        "ansvar;7100;Biblioteket;KF1\r\n"
        "ansvar;7200;Simhallen;Fritid\r\n"
        "ansvar;7300;Okänd;KF9\r\n"
    ).encode()
    raw = read_upload(text, "struktur.csv")
    bad = documents.parse(raw, documents.DocSettings("x", "X", "struktur"))
    assert bad.problems.select("row", "rule").rows() == [(6, "verksamhet_okand")]
    good = documents.parse(
        read_upload(text.rsplit(b"ansvar;7300", 1)[0], "s.csv"),
        documents.DocSettings("x", "X", "struktur"),
    )
    assert good.ok, good.problems
    assert good.structure.filter(level="ansvar")["maps_to"].to_list() == ["vhKF1", "vhKF2"]
    catalogue = documents.structure_catalogue("x", good.structure, pl.DataFrame())
    budget = b"Ansvar;Budget 2026\r\n7100;-500\r\nSimhallen;-900\r\nKF2 Fritid;-100\r\n"
    result = documents.parse(
        read_upload(budget, "b.csv"),
        documents.DocSettings("x", "X", "budget", unit="tkr", sign="costs-negative"),
        catalogue,
    )
    assert result.ok, result.problems
    assert result.figures["line_key"].to_list() == ["vhKF1", "vhKF2", "vhKF2"]


def test_goals_with_indicators_over_several_years() -> None:
    text = (
        "Målområde;Mål;Indikator;Enhet;Riktning;År;Målvärde;Utfall;Kommentar;Uppföljning\r\n"
        "Hälsa;Fler unga är aktiva;Besök i fritidsgårdar;antal;högre;2024;500;480;;2024-12-31\r\n"
        "Hälsa;Fler unga är aktiva;Besök i fritidsgårdar;antal;högre;2025;550;575;Ökat;"
        "2025-06-30|2025-12-31\r\n"
        "Hälsa;Färre skador;Skador per år;antal;lägre;2025;10;-;;\r\n"
        "Hälsa;Ordna sommarläger;;;;2025;;;Genomfört;2025-08-31\r\n"
    ).encode()
    result = documents.parse(read_upload(text, "mal.csv"), documents.DocSettings("x", "X", "mal"))
    assert result.ok, result.problems
    assert result.goals["goal_title"].to_list() == [
        "Fler unga är aktiva",
        "Färre skador",
        "Ordna sommarläger",
    ]
    assert result.goals.filter(goal_no="1")["followup_dates"].to_list() == [
        "2024-12-31|2025-06-30|2025-12-31"
    ]
    ind = {r["indicator_label"]: r for r in result.indicators.iter_rows(named=True)}
    visits = ind["Besök i fritidsgårdar"]
    assert (visits["outcome_printed"], visits["outcome_year"], visits["previous_printed"]) == (
        "575",
        "2025",
        "480",
    )
    assert (visits["better"], visits["target_printed"]) == ("higher", "550")
    assert ind["Skador per år"]["better"] == "lower"
    assert result.goals.filter(goal_title="Ordna sommarläger")["malprecisering"].to_list() == [
        "Genomfört"
    ]
    wrong = text.replace(b"h\xc3\xb6gre;2024", b"upp;2024")
    refused = documents.parse(read_upload(wrong, "m.csv"), documents.DocSettings("x", "X", "mal"))
    assert refused.problems.select("row", "column").rows() == [(2, "Riktning")]


def test_the_views_union_imports_only_when_there_are_some(warehouse_dir: Path) -> None:
    manifest = store.read_manifest(warehouse_dir)
    ddl = {
        s.split(" as ", 1)[0].rsplit(" ", 1)[1].removeprefix("main."): s
        for s in db.view_statements(manifest, warehouse_dir)
    }
    assert ddl["figures"].endswith("select * from main.seed_figures")
    assert "union all by name select * from main.organisations_added" in ddl["organisations"]
    entry = manifest.tables["import_figures"]
    with_rows = store.Manifest(
        tables={
            **manifest.tables,
            "import_figures": store.TableEntry(**{**entry.__dict__, "rows": 1}),
        },
        seed_sha256=manifest.seed_sha256,
    )
    ddl = {
        s.split(" as ", 1)[0].rsplit(" ", 1)[1].removeprefix("main."): s
        for s in db.view_statements(with_rows, warehouse_dir)
    }
    assert (
        "select * from main.import_figures where doc_id in (select doc_id from main.import_sources"
        in (ddl["figures"])
    )
