"""Investeringar's presenter: frames in, what the page shows out — titles for documents
(never ids), the headline and tabs, the captions, and table layouts that keep every
column readable."""

from __future__ import annotations

import re
from dataclasses import fields

import polars as pl
import pytest

from budgetrummet import investments as inv
from budgetrummet.db import Warehouse
from budgetrummet.presenters import investments as pr

# --- small frames ----------------------------------------------------------------------


def test_a_document_is_named_by_its_title_never_its_id() -> None:
    docs = pl.DataFrame({"doc_id": ["d1", "d2"], "title": ["Delårsrapport 2024", None]})
    titles = pr.titles_of(docs)
    assert titles == {"d1": "Delårsrapport 2024"}
    assert pr.title(titles, "d1") == "Delårsrapport 2024"
    assert pr.title(titles, "d2") == pr.UNTITLED
    assert pr.title(titles, None) == pr.UNTITLED


def _finding(doc: str, other: str) -> dict:
    return {
        "check_id": "c1",
        "kind": "samma_uppgift",
        "klass": "motsägelse",
        "klass_order": 1,
        "doc_id": doc,
        "table_id": "inv_projekt_livs",
        "table_title": "Projekt",
        "line_label": "Skolan",
        "column_label": "Utfall",
        "source_line": 12,
        "line_key": "proj:skolan",
        "version": "utfall",
        "year": 2024,
        "description": "",
        "unit": "tkr",
        "reported": 100,
        "reported_printed": "100",
        "computed": 90,
        "difference": 10,
        "tolerance": 0,
        "other": other,
        "terms": "",
    }


def test_a_finding_names_the_other_document_by_its_title() -> None:
    findings = pl.DataFrame(
        [
            _finding("rapport_a", "budget_b: Projekttabell · Skolan (rad 7)"),
            _finding("rapport_a", "rapport_a: Årstabell · Skolan (rad 3)"),
        ]
    )
    titles = {"rapport_a": "Delårsrapport", "budget_b": "Budget 2025"}
    notes = inv.finding_notes(pr.named_sources(findings, titles))[("rapport_a", "proj:skolan")]
    assert "i Budget 2025: Projekttabell · Skolan (rad 7)" in notes[0]
    # the finding's own document is dropped from the note, as before
    assert "i Årstabell · Skolan (rad 3)" in notes[1]
    assert not any("budget_b" in n or "rapport_a" in n for n in notes)


def test_the_empty_page_names_the_documents_it_has() -> None:
    note = pr.empty_note("Lerum", {"x": "Budget 2025"})
    assert note.startswith("Ingen investeringsplan är inläst för Lerum: underlaget (Budget 2025)")
    assert "underlaget innehåller" in pr.empty_note("Lerum", {})


def test_short_columns_are_sized_by_the_dataframe() -> None:
    frame = pl.DataFrame({"Projekt": ["Skola"], "Orsak enligt analysen": ["Kort."]})
    layout = pr.table_layout(frame, ("Orsak enligt analysen",))
    assert layout.widths["Projekt"] is None
    # a short text keeps one line and is never narrower than its header
    assert layout.widths["Orsak enligt analysen"] == pr.header_px("Orsak enligt analysen")
    assert layout.lines == 1 and layout.row_px == 35


def test_a_long_text_wraps_into_taller_rows() -> None:
    cause = "Projektet kommer avslutas under 2024. " * 6  # 228 characters
    frame = pl.DataFrame({"Projekt": ["Skola", "Hall"], "Orsak enligt analysen": [cause, None]})
    layout = pr.table_layout(frame, ("Orsak enligt analysen",))
    width = layout.widths["Orsak enligt analysen"]
    assert pr.header_px("Orsak enligt analysen") < width <= pr.TEXT_PX["Orsak enligt analysen"]
    per_line = (width - pr.CELL_PAD_PX) * 10 // pr.TEXT_CHAR_TENTHS_PX
    assert layout.lines * per_line >= len(cause)  # every character has room
    assert 1 < layout.lines <= pr.MAX_LINES
    assert layout.row_px == pr.LINE_PX * layout.lines + pr.ROW_PAD_PX


def test_a_shorter_text_wraps_into_the_tall_rows_in_a_narrower_column() -> None:
    frame = pl.DataFrame(
        {
            "Så ska det läsas": ["Skjuts framåt i år – men dyrare totalt"],
            "Orsak enligt analysen": ["Byggstart november 2023. " * 8],
        }
    )
    alone = pr.table_layout(frame.select("Så ska det läsas"), ("Så ska det läsas",))
    together = pr.table_layout(frame, tuple(frame.columns))
    assert alone.lines == 1 and together.lines > 2
    narrow = together.widths["Så ska det läsas"]
    assert pr.MIN_WRAP_PX <= narrow < alone.widths["Så ska det läsas"]


def test_a_wrapped_column_never_splits_a_word() -> None:
    frame = pl.DataFrame(
        {
            "Projekt": ["Närlundaskolan, omgivande markarbete", "Hall"],
            "Orsak enligt analysen": ["Asbestsanering och ledningsbyten. " * 9, ""],
        }
    )
    layout = pr.table_layout(frame, tuple(frame.columns))
    assert layout.lines > 3
    assert layout.widths["Projekt"] >= pr.MIN_WRAP_PX
    word = len("Närlundaskolan,") * pr.TEXT_CHAR_TENTHS_PX / 10 + pr.CELL_PAD_PX
    assert layout.widths["Projekt"] >= word


def test_a_very_long_text_stops_at_the_line_limit() -> None:
    frame = pl.DataFrame({"Datakvalitet": ["ord " * 400]})
    assert pr.table_layout(frame, ("Datakvalitet",)).lines == pr.MAX_LINES


def test_an_empty_table_has_a_layout() -> None:
    frame = pl.DataFrame(schema={"Projekt": pl.String, "Datakvalitet": pl.String})
    layout = pr.table_layout(frame, ("Datakvalitet",))
    assert layout.lines == 1 and layout.widths["Datakvalitet"] == pr.header_px("Datakvalitet")


# --- the seed's printed figures --------------------------------------------------------


@pytest.fixture(scope="module")
def askersund(wh: Warehouse) -> pr.Page:
    frames = {name: wh.run_query(name, org_id="askersund") for name in pr.QUERIES}
    assert pr.has_investments(frames)
    return pr.page(frames, wh.run_query("sources_for_org", org_id="askersund"))


def test_the_headline_as_printed_with_marks(askersund: pr.Page) -> None:
    metrics = {m.label: m.value for m in askersund.metrics}
    assert metrics["Prognos 2024 (tkr)"] == "−81\u00a0621 ≈"
    assert metrics["Utfall hittills (tkr)"] == "−63\u00a0684 ⚠"
    assert metrics["Projekt över total budget"] == "7 av 7"
    assert askersund.tab_labels == [
        "Överskridanden över projekttiden",
        "Alla projekt 2024",
        "Portfölj 2023–2028",
    ]
    assert len(askersund.warnings) == 1 and "Askersund förskola" in askersund.warnings[0]


def test_overruns_by_percent_and_how_they_are_counted(askersund: pr.Page) -> None:
    view = pr.overruns(askersund, "procent")
    assert view.table["Projekt"][0] == "Hammars skola, förskola, om/tillbyggnad"
    assert view.ranked["project"][0] == view.table["Projekt"][0]
    assert "(stämmer för" in view.how and "av 7 projekt" in view.how
    assert view.minutes_lines[0].startswith("Källor: året 2024 och projekten: Delårsbokslut")


def test_year_and_portfolio_views(askersund: pr.Page) -> None:
    year = pr.year_view(askersund)
    assert year.raw is not None and year.raw.height == year.table.height
    assert year.reinvestment is not None and "Tryckt rad" in year.reinvestment.summary
    assert year.comments and all(w.startswith("Rad ") for _, w in year.comments)
    portfolio = pr.portfolio_view(askersund)
    assert portfolio.heading == "Investeringsbudget per kategori"
    assert "kommunfullmäktiges budget, −57\u00a0615\u00a0tkr" in (portfolio.budget_note or "")
    assert any("cirka **9\u00a0mkr**" in line for line in portfolio.carry_lines)
    assert portfolio.carry_empty is None


def _texts(value: object) -> list[str]:
    """Every string a view model holds (frames' cells and column names included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, pl.Series):
        return [str(v) for v in value.to_list() if v is not None]
    if isinstance(value, pl.DataFrame):
        cells = [str(v) for col in value.columns for v in value[col].to_list() if v is not None]
        return list(value.columns) + cells
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [
            t
            for f in fields(value)
            if f.name not in CHART_INPUT
            for t in _texts(getattr(value, f.name))
        ]
    return []


# Frames a chart builder takes by column name: only their label columns are drawn.
CHART_INPUT = {"ranked", "lines", "totals"}


def test_no_internal_id_reaches_what_the_page_shows(askersund: pr.Page, wh: Warehouse) -> None:
    shown = [
        *_texts(askersund.caption),
        *_texts(askersund.metrics),
        *_texts(askersund.warnings),
        *_texts(askersund.tab_labels),
        *_texts(pr.overruns(askersund, "tkr")),
        *_texts(pr.year_view(askersund)),
        *_texts(pr.portfolio_view(askersund)),
    ]
    portfolio = pr.portfolio_view(askersund)
    shown += _texts(pr.overruns(askersund, "tkr").ranked["project"])
    shown += _texts(portfolio.lines["line_label"]) + _texts(portfolio.totals["column_label"])
    ids = set(askersund.titles) | set(askersund.projects["line_key"].to_list())
    ids |= set(wh.run_query("org_registry")["org_id"].to_list())
    leaked = {i for i in ids for t in shown if re.search(rf"(?<![\w.?=]){re.escape(i)}(?![\w])", t)}
    assert leaked == set(), leaked
