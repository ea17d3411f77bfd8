"""Protokollsbilaga for Översikt and Finansförvaltning: the document's text holds the
key numbers the page shows, what they rest on and the goal lights in words."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from budgetrummet import drift, finance, goals, vocab
from budgetrummet import minutes as mn
from budgetrummet.charts import finance as fin_charts
from budgetrummet.presenters import finance as fin_pr
from budgetrummet.presenters import overview as ov_pr
from budgetrummet.ui import finance as fin_ui
from budgetrummet.ui import minutes as minutes_ui

ROOT = Path(__file__).resolve().parent.parent
TODAY_YEAR = 2026


def fake_png(figure: object, width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width // 4, height // 4), (31, 78, 121)).save(out, format="PNG")
    return out.getvalue()


def pdf_text(sections: list[mn.Section], charts: list | None = None) -> str:
    doc = mn.Minutes(
        title="Protokollsbilaga: test",
        organisation="Org",
        data=mn.DataVersion("abc123def456", None),
        made_by="Anna Andersson",
        made_at=datetime(2025, 3, 4, 13, 5, tzinfo=UTC),
        sections=sections,
    )

    def png(figure: object, width: int, height: int) -> bytes:
        if charts is not None:
            charts.append(figure)
        return fake_png(figure, width, height)

    pdf = mn.render(doc, png=png)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # Lines wrapped by the page's width read as one line.
    return " ".join(text.replace("\u00a0", " ").split())


def frames(wh, org: str) -> ov_pr.Frames:
    return ov_pr.Frames(
        figs=wh.run_query("figures_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES)),
        life=wh.run_query("inv_project_life", org_id=org),
        documents=wh.run_query("org_documents", org_id=org),
        recon=wh.run_query("reconciliation_for_org", org_id=org),
        uploads=wh.run_query("upl_uploads_for_org", org_id=org),
        loaded=wh.run_query("upl_loaded_periods", org_id=org),
        goal_sets=goals.grid_summary(goals.load_board(wh.run_query, org), worst_n=2),
        fin=wh.run_query("figures_by_tables", org_id=org, table_ids=list(finance.ALL_TABLES)),
    )


# --- Översikt ------------------------------------------------------------------------


def test_overview_tiles_say_what_their_figures_rest_on(wh) -> None:
    view = ov_pr.build(frames(wh, "askersund"), "Askersund", TODAY_YEAR)
    budget, goal_tile, inv, fin, fresh, quality = view.tiles
    assert budget.metric == ov_pr.Metric("Budget 2025", "−116\u00a0013\u00a0tkr")
    assert any(n.startswith("Tryckt i Nämndmål och budget 2025") for n in budget.notes)
    assert "tryckt i Delårsbokslut" in inv.notes[0]
    # 0,9 % × (657 082 + 196 392) = 7 681 tkr: the base is the printed sum
    assert fin.lines[0].text.endswith("= **7\u00a0681\u00a0tkr**")
    assert "Beräknat: 0,9\u00a0% × 853\u00a0474\u00a0tkr" in fin.notes[0]
    assert quality.lines[0].text.startswith("Motsägelser i källorna: **15** av")
    assert [t.link for t in view.tiles] == [
        "drift",
        "goals",
        "investments",
        "finance",
        "",
        "quality",
    ]
    assert goal_tile.lines[0].counts and fresh.lines[0].text.startswith("Senaste dokument")


def test_overview_pdf_for_askersund_holds_the_key_numbers(wh) -> None:
    view = ov_pr.build(frames(wh, "askersund"), "Askersund", TODAY_YEAR)
    text = pdf_text(minutes_ui.sections_of(ov_pr.document_sections(view)))
    for expected in (
        "Nettokostnad 2025",
        "Budget 2025: −116 013 tkr",
        "Senaste prognos gäller 2024: −174 861 tkr per 2024-08-31",
        "Delårsbokslut 2024-08-31: röd 2 · gul 0 · grön 1 · grå 1",
        "arbetsmarknadsenheten ska nå en stegförflyttning. – röd",  # the whole name
        "– röd",  # a worst goal's light in words
        "Närlundaskolan, etapp 2: −12 150 tkr (−15,7 %)",
        "Resultatmål 2025: 0,9 % av skatter och statsbidrag = 7 681 tkr",
        "Beräknat: 0,9 % × 853 474 tkr",
        "Motsägelser i källorna: 15 av",
    ):
        assert expected in text, expected
    assert "**" not in text


def test_overview_pdf_for_lerum_holds_the_key_numbers_and_the_lights_in_words(wh) -> None:
    view = ov_pr.build(frames(wh, "lerum"), "Lerum", TODAY_YEAR)
    text = pdf_text(minutes_ui.sections_of(ov_pr.document_sections(view)))
    for expected in (
        "Budget 2023: −256,8 mkr",
        "Soliditet – grön (uppfyllt)",
        "Skulder per invånare – grön (uppfyllt)",
        "Ingen uppföljning av investeringsprojekt i underlaget.",
        "Inga mål med trafikljus",
        "Senaste budget gäller 2023; det finns ingen budget för 2026.",
    ):
        assert expected in text, expected


def test_line_text_for_a_document_without_colour() -> None:
    assert ov_pr.line_text(ov_pr.Line("**Mål 3**", light=vocab.RED)) == "Mål 3 – röd"
    assert ov_pr.line_text(ov_pr.Line("Plan", counts=((vocab.RED, 2), (vocab.GREEN, 1)))) == (
        "Plan: röd 2 · grön 1"
    )


# --- Finansförvaltning ---------------------------------------------------------------


NO_ASSUMPTIONS = finance.Assumptions()


def finance_sections(wh, org: str, assumptions=NO_ASSUMPTIONS) -> list[mn.Section]:
    tables = list(finance.ALL_TABLES)
    figures = wh.run_query("figures_by_tables", org_id=org, table_ids=tables)
    findings = wh.run_query("findings_by_tables", org_id=org, table_ids=tables)
    src = fin_pr.sources(wh.run_query("sources_for_org", org_id=org))
    worded = finance.worded_goals(wh.run_query("fin_worded_goals", org_id=org))
    choices = finance.periods(figures)
    period = finance.default_period(choices) if choices else None
    assessed, ratio = fin_pr.page_goals(
        figures, period, assumptions, doc_names=src.doc_names, worded=worded
    )
    described = fin_pr.document_sections(
        figures,
        findings,
        src,
        worded,
        period,
        assumptions,
        flow_rows=None
        if period is None
        else fin_ui.flow_table(finance.flow_lines(figures, period)),
        goals=[(g, fin_ui.goal_rows_table(g.rows, g.value_heading)) for g in [*assessed, *ratio]],
    )
    return minutes_ui.sections_of(described)


def test_finance_pdf_for_askersund_holds_the_flow_and_the_goals(wh) -> None:
    drawn: list = []
    text = pdf_text(finance_sections(wh, "askersund"), drawn)
    for expected in (
        "Varifrån pengarna kommer och vart de går – Budget 2025",
        "In till finansförvaltningen: 925 374 tkr",
        "Ut från finansförvaltningen: 159 724 tkr",
        "Netto till nämnderna (tryckt summa): 765 650 tkr",
        "In − ut = 765 650 tkr, samma som den tryckta summan.",
        "99921 Skatteintäkter",
        "657 082 tkr",
        "Finansiellt mål:",
        "Kan inte bedömas (grå)",
        "Det källorna inte säger",
    ):
        assert expected in text, expected
    kinds = [type(go.Figure(f).data[0]).__name__ for f in drawn]
    assert kinds == ["Sankey", "Scatter"]


def test_finance_pdf_states_the_users_assumption(wh) -> None:
    assumed = finance.Assumptions(other_boards_net_cost=Decimal(640_000))
    text = pdf_text(finance_sections(wh, "askersund", assumed))
    assert "Du har antagit att övriga nämnder kostar 640 000 tkr Budget 2025." in text


def test_finance_pdf_for_lerum_holds_its_ratio_goals(wh) -> None:
    text = pdf_text(finance_sections(wh, "lerum"))
    for expected in (
        "ingen driftbudget för finansförvaltningen",
        "Finansiellt mål: Soliditet",
        "Status: Uppfyllt (grön).",
        "Mål: under 95 300 kr",
        "66 942 kr",
        "Mål: högst 98,0 % i snitt över en tioårsperiod",
    ):
        assert expected in text, expected


# --- the buttons ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["overview", "finance"])
@pytest.mark.parametrize("org", ["askersund", "lerum"])
def test_both_pages_offer_the_protokollsbilaga(warehouse_dir, page: str, org: str) -> None:
    if page == "overview":  # the start page, with links to the others: run in the app
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.query_params["org"] = org
    else:
        at = AppTest.from_file(str(ROOT / "views" / f"{page}.py"), default_timeout=30)
        at.session_state["org"] = org
    at.run()
    assert not at.exception, at.exception
    buttons = [b for b in at.get("download_button") if b.proto.label == minutes_ui.LABEL]
    assert len(buttons) == 1
    # made on click (deferred), not at every run of the page
    assert buttons[0].proto.deferred_file_id and not buttons[0].proto.url


def test_an_empty_frame_is_no_goal_table() -> None:
    goal = finance.GoalAssessment(
        key="k",
        name="Mål",
        target="–",
        status=vocab.GREY,
        verdict="Kan inte bedömas.",
        rows=pl.DataFrame(),
        calculation=(),
        source="Källa",
    )
    section = fin_pr.goal_section(goal, pl.DataFrame())
    assert section.tables == [] and "Status: Kan inte bedömas (grå)." in section.lines


def test_a_tall_node_has_its_name_broken_over_lines_and_a_thin_one_not(wh) -> None:
    tables = list(finance.ALL_TABLES)
    figures = wh.run_query("figures_by_tables", org_id="askersund", table_ids=tables)
    period = finance.default_period(finance.periods(figures))
    nodes, links = finance.flow_graph(figures, period, board_name="Kommunstyrelsen")
    labels = [
        t.replace("\u00a0", " ") for t in fin_charts.flow_sankey(nodes, links).data[0].node.label
    ]
    assert "Kvar för övriga<br>nämnder och resultat<br>649 637 tkr" in labels
    assert "99916 Avskrivningar (exkl VA)<br>−55 500 tkr" in labels  # 55 500 of 925 374: thin
    # a short picture has no room for a third line beside the board's node
    short = fin_charts.flow_sankey(nodes, links, height=200).data[0].node.label
    assert "Kommunstyrelsens nettokostnad<br>−116\u00a0013\u00a0tkr" in short


def test_a_goal_charts_target_label_sits_above_the_plot_in_short_lines(wh) -> None:
    figures = wh.run_query("figures_by_tables", org_id="lerum", table_ids=list(finance.ALL_TABLES))
    share = next(g for g in finance.ratio_goals(figures) if g.key == "nettokostnadsandel")
    fig = fin_charts.goal_chart(
        share.rows,
        "label",
        "value",
        "status",
        "shown",
        target=98.0,
        target_text=f"Mål: {share.target}",
    )
    (note,) = fig.layout.annotations
    assert (note.xref, note.yref, note.x, note.xanchor, note.y) == ("paper", "paper", 0, "left", 1)
    lines = note.text.split("<br>")
    assert " ".join(lines) == "– – Mål: högst 98,0\u00a0% i snitt över en tioårsperiod"
    assert len(lines) == 2 and all(len(t) <= fin_charts.TARGET_CHARS for t in lines)
    assert fig.layout.margin.t >= 20 * len(lines)
    assert "Tioårsperioden<br>2016–2025" in fig.data[0].x
