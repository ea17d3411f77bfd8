"""The Mål page and the overview's traffic-light grid as a user meets them (AppTest)."""

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import build, store
from budgetrummet.presenters import goal_cards as cards
from budgetrummet.ui import goal_form as form
from budgetrummet.ui import goals as ui
from tests.test_access import sign_in

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "views" / "goals.py")
INTERIM = "askersund_delar_2024"
BUDGET = "askersund_budget_2025"


def page(org: str, *, form_open: bool = False) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["org"] = org
    if form_open:  # as if the user had opened the assessment form
        at.session_state[form.KEY_FORM] = True
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def text(at: AppTest) -> str:
    """Everything written on the page, in order of element kind (not position)."""
    parts = [e.value for kind in (at.subheader, at.markdown, at.caption) for e in kind]
    return "\n".join(parts + [e.label for e in at.expander])


def counts(at: AppTest) -> dict[str, str]:
    return {light: metrics(at)[md] for light, md in cards.LIGHT_MD.items()}


def test_askersund_opens_on_the_current_nämndmål(warehouse_dir: Path) -> None:
    at = page("askersund")
    assert at.title[0].value == "Mål – Askersund"
    assert at.radio(key=ui.KEY_DOC).value == BUDGET
    assert counts(at) == {"rod": "0", "gul": "0", "gron": "0", "gra": "25"}
    shown = text(at)
    assert "Målområde 5: Organisatoriska mål" in shown
    assert "Mål 5.8: Utvecklad styrmodell" in shown
    # the council's strategic goals stand above the nämndmål they serve
    kf = shown.index("Askersunds kommun ska 2030 tillhöra de 25 % av landets kommuner")
    assert kf < shown.index("Mål 1.1: Totalförsvarsarbete och krisberedskap")
    # the gap in the numbering is flagged with a link to Datakvalitet
    assert any("mål 7 finns inte i dokumentet" in w.value for w in at.warning)


def test_interim_report_lights_as_the_report_reads(warehouse_dir: Path) -> None:
    at = page("askersund")
    at.radio(key=ui.KEY_DOC).set_value(INTERIM).run()
    assert not at.exception
    assert counts(at) == {"rod": "2", "gul": "0", "gron": "1", "gra": "1"}
    shown = text(at)
    for light, title in (
        ("gron", "Mål 1: Sjukskrivningstalen ska vara under 5 procent"),
        ("gra", "Mål 2: Kommunledningsförvaltningens HME-resultat"),
        ("rod", "Mål 3: Deltagarna inom arbetsmarknadsenheten"),
        ("rod", "Mål 4: Kommunens nya invånare ska lära sig god svenska"),
    ):
        assert f"{cards.LIGHT_MD[light]} **{title}" in shown, title
    # the report's comments are shown
    assert "Mätningen för 2024 genomförs under hösten" in shown
    assert "8 av 12 kommuner i länet har lägre arbetslöshet" in shown
    # each indicator as printed, with its light and trend
    assert (
        f"{cards.LIGHT_MD['gron']} **Sjukfrånvaro exkl. AME, procent**  \nMål: Lägre än 5,00 · "
        "Utfall 2024: **1,86** · Trend: – (rapportens pil: ↑) · lägre är bättre"
    ) in shown
    assert "Utfall 2024: ej mätt · Föregående 2023: 80 · Trend: –" in shown
    assert (
        f"Mål: 100 · Utfall 2024: **58** · Föregående 2021: 78 · Trend: {cards.ARROW_MD['↓']} sämre"
    ) in shown
    # and all of them as data
    # (the first table lists the overdue follow-ups at the top of the page)
    table = at.dataframe[2].value
    assert list(table["Utfall"]) == [
        "1,86 (2024)",
        "6,59 (2024)",
        "ej mätt",
        "15 (2024)",
        "58 (2024)",
        "33 (2024)",
    ]
    assert list(table["Status"]) == ["Grön", "Grön", "Grå", "Röd", "Röd", "Röd"]
    assert list(table["Trend"]) == ["–", "–", "–", "–", "↓", "–"]
    assert list(table["Pil i rapporten"]) == ["↑", "↑", "–", "–", "–", "–"]
    # every light can show its calculation
    expanders = [e for e in at.expander if e.label == "Visa beräkning"]
    assert len(expanders) == 4
    calc = "\n".join(m.value for m in expanders[2].markdown)
    assert "Mål: högre än 20\u00a0%. Utfall: 15\u00a0%." in calc
    # målområde 3 has a KF goal but no nämndmål in the report
    assert any("Inget nämndmål" in i.value for i in at.info)


def test_lerum_shows_priorities_and_indicator_trends(warehouse_dir: Path) -> None:
    at = page("lerum")
    assert at.title[0].value == "Mål – Lerum"
    assert not at.metric, "priorities get no traffic lights"
    assert len(at.get("plotly_chart")) == 6
    shown = text(at)
    assert "Indikatorer 2020–2022" in shown
    assert f"Prognos 2023: Minskande ({cards.ARROW_MD['↑']} bättre)" in shown
    priorities = [e for e in at.expander if e.label[:3] in {f"{n}. " for n in range(1, 10)}]
    assert len(priorities) >= 9
    assert any(e.label.startswith("12. Aktivt samråda") for e in at.expander)


def test_calendar_is_computed_for_the_chosen_day(warehouse_dir: Path) -> None:
    at = page("askersund")
    at.date_input(key=ui.KEY_ASOF).set_value(date(2025, 4, 15)).run()
    assert not at.exception
    # 31/3: 1.1, 1.2, 4.1, 4.2, 4.3, 5.3 are due; nothing assessed in the seed
    assert "**6\u00a0uppföljningar är försenade**, nästa är 2025-05-31 (6 mål)" in text(at)
    overdue = at.dataframe[0].value
    assert list(overdue["Uppföljning"]) == ["2025-03-31"] * 6
    calendar = at.dataframe[1].value
    assert list(calendar["Försenade"]) == [2, 0, 0, 3, 1]
    assert (
        list(calendar["Nästa uppföljning"])
        == ["2025-12-31", "2025-05-31", "2025-12-31"] + ["2025-05-31"] * 2
    )
    open_items = at.dataframe[2].value
    assert len(open_items) == 38
    first = open_items.iloc[0]
    assert (first["Datum"], first["Läge"], first["Dagar"]) == ("2025-03-31", "Försenad", "\u221215")
    assert first["Mål"] == "Mål 1.1: Totalförsvarsarbete och krisberedskap"
    assert list(open_items["Läge"]).count("Försenad") == 6


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build.build(tmp_path, who="pytest")
    monkeypatch.setenv(store.ENV_DATA_DIR, str(tmp_path))
    return tmp_path


def fill(at: AppTest, *, name: str, goal: str, when: str, status: str | None, comment: str):
    sign_in(at, name or None, {"ekonom"})
    at.selectbox(key=form.KEY_GOAL).set_value(goal).run()
    at.selectbox(key=form.KEY_DATE).set_value(when)
    if status:
        at.radio(key=form.KEY_STATUS).set_value(status)
    at.text_area(key=form.KEY_COMMENT).set_value(comment)
    at.button(key=form.KEY_SAVE).click().run()
    assert not at.exception, at.exception
    # the form stays open after a save, ready for the next assessment
    assert at.session_state[form.KEY_FORM] is True
    assert at.selectbox(key=form.KEY_GOAL).value == goal


def history_rows(root: Path) -> int:
    table = store.read_table("goal_status", root)
    return 0 if table is None else table.height


def test_an_assessment_is_stored_and_shown(private: Path) -> None:
    at = page("askersund", form_open=True)
    fill(
        at,
        name="Anna Andersson",
        goal=f"{BUDGET}:2:1",
        when="2025-05-31",
        status="rod",
        comment="Agendan är inte *klar*.",
    )
    assert any("Sparat" in s.value for s in at.success)
    assert history_rows(private) == 1
    assert counts(at)["rod"] == "1"
    shown = text(at)
    assert "bedömd för 2025-05-31" in shown
    # what the user typed is plain text, not Markdown
    assert "Anna Andersson: Agendan är inte *klar*." in [t.value for t in at.text]
    assert at.text_area(key=form.KEY_COMMENT).value == ""
    # a second assessment of the same date is added to the history, not overwriting it
    fill(
        at,
        name="Bo Berg",
        goal=f"{BUDGET}:2:1",
        when="2025-05-31",
        status="gul",
        comment="Nu på gång.",
    )
    assert history_rows(private) == 2
    assert counts(at)["gul"] == "1" and counts(at)["rod"] == "0"
    assert any(e.label.endswith("(2\u00a0bedömningar)") for e in at.expander)


def test_a_bad_assessment_is_refused_and_nothing_is_stored(private: Path) -> None:
    at = page("askersund", form_open=True)
    fill(at, name="", goal=f"{BUDGET}:1:1", when="2025-03-31", status="gron", comment="Klart.")
    assert any("Du är inte inloggad" in e.value for e in at.error)
    at = page("askersund", form_open=True)
    fill(at, name="Anna", goal=f"{BUDGET}:1:1", when="2025-03-31", status=None, comment=" ")
    errors = " ".join(e.value for e in at.error)
    assert "Välj en status" in errors and "Skriv en kommentar" in errors
    assert history_rows(private) == 0


def test_the_assessment_form_is_folded_until_opened(warehouse_dir: Path) -> None:
    at = page("askersund")
    assert form.KEY_GOAL not in [w.key for w in at.selectbox]
    assert any(e.label == "Registrera bedömning av ett nämndmål" for e in at.expander)


def test_the_date_choices_follow_the_chosen_goal(warehouse_dir: Path) -> None:
    at = page("askersund", form_open=True)
    at.selectbox(key=form.KEY_GOAL).set_value(f"{BUDGET}:4:3").run()
    assert at.selectbox(key=form.KEY_DATE).options == [
        "2025-03-31",
        "2025-05-31",
        "2025-08-31",
        "2025-10-31",
        "2025-12-31",
    ]
    at.selectbox(key=form.KEY_GOAL).set_value(f"{BUDGET}:5:8").run()
    assert at.selectbox(key=form.KEY_DATE).options == ["2025-05-31"]
    assert at.selectbox(key=form.KEY_DATE).value == "2025-05-31"


def _grid_script() -> None:
    import streamlit as st

    from budgetrummet.ui.goals import goal_grid

    summaries = goal_grid(st.session_state["org"])
    st.session_state["grid"] = [
        (s.doc_id, s.counts, [w.goal_key for w in s.worst]) for s in summaries
    ]


def test_the_overview_grid(warehouse_dir: Path) -> None:
    at = AppTest.from_function(_grid_script, default_timeout=30)
    at.session_state["org"] = "askersund"
    at.run()
    assert not at.exception, at.exception
    (budget, interim) = at.session_state["grid"]
    assert interim == (
        INTERIM,
        {"rod": 2, "gul": 0, "gron": 1, "gra": 1},
        [f"{INTERIM}:2:3", f"{INTERIM}:4:4"],
    )
    assert budget[1]["gra"] == 25
    shown = "\n".join(m.value for m in at.markdown)
    assert f"{cards.LIGHT_MD['rod']} **2**" in shown
    assert "Mål 3: Deltagarna inom arbetsmarknadsenheten" in shown
    at.session_state["org"] = "lerum"
    at.run()
    assert at.session_state["grid"] == []
    assert "Inga mål med trafikljus" in at.caption[0].value
