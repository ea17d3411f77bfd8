"""Mål's presenter and Protokollsbilaga: what needs attention first with its light in
words, the rest of each goal set summarised, and no internal ids in the text."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import polars as pl
from pypdf import PdfReader

from budgetrummet import db, goals
from budgetrummet import minutes as mn
from budgetrummet.presenters import goals as pr
from budgetrummet.ui import minutes as minutes_ui

# A day after the budget's first follow-ups (March) and before its next ones.
TODAY = date(2025, 5, 15)


def goal_page(wh: db.Warehouse, org: str, today: date = TODAY) -> pr.Page:
    return pr.page(
        goals.with_display_numbers(goals.load_board(wh.run_query, org)),
        wh.run_query("goal_list", org_id=org),
        wh.run_query("goal_status_history", org_id=org),
        today,
    )


def pdf_text(p: pr.Page, series: pl.DataFrame, org: str) -> str:
    doc = mn.Minutes(
        title="Protokollsbilaga: Mål",
        organisation=org,
        data=mn.DataVersion("abc123def456", datetime(2025, 3, 1, 8, 30, tzinfo=UTC)),
        made_by="Anna Andersson",
        made_at=datetime(2025, 5, 15, 9, 0, tzinfo=UTC),
        sections=minutes_ui.sections_of(pr.minutes_parts(p, series)),
    )
    reader = PdfReader(io.BytesIO(mn.render(doc)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_askersund_minutes_open_with_the_red_goals_and_overdue_follow_ups(
    wh: db.Warehouse,
) -> None:
    p = goal_page(wh, "askersund")
    assert [g.label[:6] for g in p.attention.red] == ["Mål 3:", "Mål 4:"]
    text = pdf_text(p, wh.run_query("goal_indicator_series", org_id="askersund"), "Askersund")
    assert "Protokollsbilaga: Mål – Askersund" in text
    assert "Dataversion: abc123def456, publicerad 2025-03-01" in text
    assert "Per 2025-05-15." in text
    red = text.index("Röd – ej uppfyllt: Mål 3: Deltagarna inom arbetsmarknadsenheten")
    assert "Röd – ej uppfyllt: Mål 4: Kommunens nya invånare" in text
    assert "(Delårsbokslut 2024-08-31 (avser 2024))" in text
    assert "0 av 1 mått uppfyllda och inget inom toleransen: rött." in text
    # the overdue follow-ups of the current budget, after the red goals
    n = len(p.attention.overdue)
    assert n > 0
    overdue = text.index(
        f"{n} försenade uppföljningar (ingen bedömning registrerad) i Nämndmål och budget 2025"
    )
    assert red < overdue
    assert "2025-03-31 45 dagar Mål 1.1: Totalförsvarsarbete och krisberedskap" in text
    # the rest summarised per document, the lights in words
    assert (
        "Delårsbokslut 2024-08-31 (avser 2024) – mål med mått: övriga 2 mål: 1 grön och 1 grå."
        in text
    )
    assert "Nämndmål och budget 2025 (avser 2025) – aktivitetsmål: 25 mål: 25 grå." in text
    assert "Regler för färg och trendpil" in text
    for doc_id in p.board["doc_id"].unique():
        assert doc_id not in text
    assert "askersund_" not in text


def test_lerum_minutes_say_nothing_needs_attention_and_summarise_the_priorities(
    wh: db.Warehouse,
) -> None:
    p = goal_page(wh, "lerum")
    assert p.attention.empty and not p.has_lights
    series = wh.run_query("goal_indicator_series", org_id="lerum")
    text = pdf_text(p, series, "Lerum")
    assert "Inga röda eller gula mål och inga försenade uppföljningar." in text
    n = goals.indicator_series(series).height
    assert (
        "Verksamhetsplan 2023 (avser 2023) – prioriterade inriktningar och indikatorer: "
        f"12 prioriterade inriktningar utan trafikljus; {n} indikatorer:" in text
    )
    assert "lerum_" not in text


def test_a_day_without_overdue_follow_ups_lists_none(wh: db.Warehouse) -> None:
    p = goal_page(wh, "askersund", date(2025, 1, 2))
    assert not p.attention.overdue
    parts = pr.minutes_parts(p, wh.run_query("goal_indicator_series", org_id="askersund"))
    assert parts[0].tables == ()
    assert parts[0].lines[1].startswith("Röd – ej uppfyllt: Mål 3")


def test_a_goal_cites_its_text_line_or_its_place_in_an_imported_file(wh: db.Warehouse) -> None:
    p = goal_page(wh, "askersund")
    table = pr.board_table(goals.of_document(p.board, p.attention.red[0].doc_id))
    assert "Rad" not in table.columns
    assert all(v.endswith(" i dokumentets textversion") for v in table["Var i källan"])
    board = p.board.head(2)
    places = pl.DataFrame(
        {
            "goal_key": [board["goal_key"][0]],
            "source_file": ["mal.xlsx"],
            "source_sheet": ["Mål"],
            "source_row": [4],
            "source_column": ["Mål"],
        }
    )
    shown = pr.with_places(board.drop("place"), places)["place"].to_list()
    assert shown == [
        "mal.xlsx · blad Mål · rad 4 · kolumn Mål",
        f"rad {board['source_line'][1]} i dokumentets textversion",
    ]
    assert pr.doc_short_name("askersund_budget_2025", None) == "Dokument utan titel"
