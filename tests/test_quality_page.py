"""Datakvalitet's presenter and Protokollsbilaga: where each checked figure is printed,
counts that agree with the cards, both figures of every contradiction, and no internal
ids in what the user reads."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import polars as pl
import pytest
from pypdf import PdfReader

from budgetrummet import db
from budgetrummet import minutes as mn
from budgetrummet.presenters import quality as pr
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.vocab import CONTRADICTION, ERRATUM, OK

NBSP = "\u00a0"


def check(**changes) -> dict:
    base = {
        "check_id": "c1",
        "kind": "summa",
        "doc_id": "doc_a",
        "table_id": "drift",
        "table_title": "Driftbudget (tkr)",
        "line_label": "Summa",
        "column_label": "Budget 2025",
        "source_line": 14,
        "description": "Summa mot raderna",
        "unit": "tkr",
        "reported": Decimal("-62049"),
        "reported_printed": "-62 049",
        "computed": Decimal("-62051"),
        "difference": Decimal("2"),
        "tolerance": Decimal("3"),
        "klass": "avrundning",
        "klass_order": 2,
        "other": None,
        "terms": "a | b",
    }
    return base | changes


def frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, infer_schema_length=None)


NAMES = {"doc_a": "Driftredovisning 2025", "doc_b": "Budget 2025"}


def test_an_imported_figure_cites_file_sheet_row_and_column() -> None:
    places = pl.DataFrame(
        {
            "check_id": ["c1"],
            "doc_id": ["doc_a"],
            "source_file": ["drift.xlsx"],
            "source_sheet": ["Drift"],
            "source_row": [14],
            "source_column": ["Budget 2025"],
        }
    )
    recon = frame([check(), check(check_id="c2", doc_id="doc_b", source_line=472)])
    table = pr.reconciliation_table(recon, None, NAMES, pr.places_by_check(places))
    assert table[pr.PLACE].to_list() == [
        "drift.xlsx · blad Drift · rad 14 · kolumn Budget 2025",
        "rad 472",
    ]
    assert table["Dokument"].to_list() == ["Driftredovisning 2025", "Budget 2025"]
    # a file without sheets (CSV) names no sheet
    assert pr.place_text({"source_file": "d.csv", "source_row": 3, "source_column": "Utfall"}) == (
        "d.csv · rad 3 · kolumn Utfall"
    )


def test_the_other_place_is_named_by_its_document_not_its_id() -> None:
    other = "doc_b: Driftbudget · Nettokostnad · Bokslut 2023 (rad 460)"
    recon = frame([check(kind="samma_uppgift", klass=CONTRADICTION, other=other)])
    table = pr.reconciliation_table(recon, [CONTRADICTION], NAMES)
    assert (
        table["Jämfört med"][0]
        == "Budget 2025: Driftbudget · Nettokostnad · Bokslut 2023 (rad 460)"
    )
    assert pr.named_other("Investeringsanalys 2024 tkr, rad 526", NAMES) == (
        "Investeringsanalys 2024 tkr, rad 526"
    )
    assert pr.reconciliation_table(recon, [OK], NAMES).is_empty()


def test_errata_change_uses_the_minus_sign_for_the_value_used() -> None:
    errata = frame(
        [
            {
                "doc_id": "doc_b",
                "table_title": "Investeringar",
                "line_label": "Hammars skola",
                "column_label": "Prognos 2024",
                "source_line": 479,
                "field": "value",
                "printed": "14 500",
                "corrected": "-14 500",
                "kind": "tappat minustecken",
                "reason": "Alla utgifter är negativa.",
            }
        ]
    )
    (item,) = pr.errata_items(errata, NAMES)
    assert item["where"].startswith("Budget 2025 · Investeringar · Hammars skola")
    assert item["change"] == "Tappat minustecken: värde tryckt `14 500`, används `\u221214 500`"
    assert item["plain"] == "Tappat minustecken: värde tryckt 14 500, används \u221214 500"


def pdf_text(view: pr.View, org: str) -> str:
    doc = mn.Minutes(
        title="Protokollsbilaga: Datakvalitet",
        organisation=org,
        data=mn.DataVersion("abc123def456", datetime(2025, 3, 1, 8, 30, tzinfo=UTC)),
        made_by="Anna Andersson",
        made_at=datetime(2025, 3, 4, 13, 5, tzinfo=UTC),
        sections=minutes_ui.sections_of(pr.minutes_parts(view)),
    )
    reader = PdfReader(io.BytesIO(mn.render(doc)))
    return "\n".join(page.extract_text() for page in reader.pages)


def load(wh: db.Warehouse, org: str) -> pr.View:
    return pr.view(
        recon=wh.run_query("reconciliation_for_org", org_id=org),
        sources=wh.run_query("sources_for_org", org_id=org),
        errata=wh.run_query("errata_for_org", org_id=org),
        row_counts=wh.run_query("table_row_counts", org_id=org),
        places=wh.run_query("reconciliation_places", org_id=org),
        imported=wh.run_query("imp_documents_for_org", org_id=org),
    )


def test_askersund_minutes_hold_counts_contradictions_and_errata(wh: db.Warehouse) -> None:
    view = load(wh, "askersund")
    assert (view.counts[CONTRADICTION], view.counts[ERRATUM], view.n_errata) == (15, 3, 3)
    text = pdf_text(view, "Askersund")
    flat = " ".join(text.split())
    assert "Protokollsbilaga: Datakvalitet – Askersund" in flat
    assert "Dataversion: abc123def456" in flat
    assert "Motsägelse: 15 · Förklaras av erratum: 3 · Avrundning: 4 · Stämmer: 285" in flat
    assert "Errata: 3" in flat
    # a contradiction with both figures and where it is printed
    assert f"−114{NBSP}168{NBSP}tkr".replace(NBSP, " ") in flat.replace(NBSP, " ")
    assert "Driftbudget Finansförvaltningen · Summa · Bokslut 2023" in flat
    # the errata with printed and used value and the reason
    assert "tryckt -26 62, används −26 632" in flat.replace(NBSP, " ")
    # no internal ids: documents are named by their titles
    for doc_id in wh.run_query("sources_for_org", org_id="askersund")["doc_id"]:
        assert doc_id not in text
    assert "Delårsbokslut 2024-08-31" in flat


def test_lerum_counts_agree_with_its_one_erratum(wh: db.Warehouse) -> None:
    view = load(wh, "lerum")
    assert (view.n_errata, view.counts[ERRATUM], view.counts[CONTRADICTION]) == (1, 0, 0)
    assert "0\u00a0kontroller av summor" in pr.errata_metric_help(view)
    metrics = pr.metrics(view)
    assert [m[0] for m in metrics] == ["Motsägelser", "Errata", "Avrundningar", "Stämmer"]
    assert [m[1] for m in metrics[:2]] == ["0", "1"]
    assert metrics[1][2] == pr.errata_metric_help(view)
    text = " ".join(pdf_text(view, "Lerum").split())
    assert "Errata: 1" in text
    assert "Ingen kontroll är en motsägelse eller förklaras av ett erratum." in text
    assert "Fel årtal: årtal tryckt 2024, används 2025" in text
    assert "lerum_vp_2023" not in text


@pytest.mark.parametrize("org", ["askersund", "lerum"])
def test_the_source_tables_show_no_table_ids(wh: db.Warehouse, org: str) -> None:
    view = load(wh, org)
    ids = set(wh.run_query("table_row_counts", org_id=org)["table_id"])
    for doc in view.sources:
        assert doc.tables.columns == [
            "Tabell",
            "Rader",
            "Siffror",
            "Summarader",
            "Från rad",
            "Till rad",
        ]
        shown = {str(v) for row in doc.tables.iter_rows() for v in row}
        assert not (shown & ids)
        assert any(f.startswith("**Fil:** `data/sources/") for f in doc.facts)
