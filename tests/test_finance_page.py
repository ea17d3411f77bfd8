"""The Finansförvaltning page as a user meets it (AppTest, page run on its own)."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
NB = "\u00a0"


def page(org: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "finance.py"), default_timeout=30)
    at.session_state["org"] = org
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def askersund(warehouse_dir: Path) -> AppTest:
    return page("askersund")


@pytest.fixture
def lerum(warehouse_dir: Path) -> AppTest:
    return page("lerum")


def frame_with(at: AppTest, column: str):
    """The first dataframe on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [s.value for s in at.success]
    return "\n".join(parts)


def sankey_labels(at: AppTest) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    sankey = next(s for s in specs if s["data"][0]["type"] == "sankey")
    return sankey["data"][0]["node"]["label"]


def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def test_askersund_opens_on_budget_2025(askersund: AppTest) -> None:
    assert askersund.title[0].value == "Finansförvaltning – Askersund"
    assert askersund.radio(key="fin_ar").value == 2025
    assert metric(askersund, "In till finansförvaltningen") == f"925{NB}374{NB}tkr"
    assert metric(askersund, "Ut från finansförvaltningen") == f"159{NB}724{NB}tkr"
    assert metric(askersund, "Netto till nämnderna (tryckt summa)") == f"765{NB}650{NB}tkr"
    assert f"In − ut = 765{NB}650{NB}tkr, samma som den tryckta summan." in text(askersund)
    labels = sankey_labels(askersund)
    assert f"Netto till nämnderna<br>765{NB}650{NB}tkr" in labels
    # a tall node's name is broken over lines, so neighbouring labels do not collide
    assert f"Kommunstyrelsens<br>nettokostnad<br>−116{NB}013{NB}tkr" in labels
    assert f"Kvar för övriga<br>nämnder och resultat<br>649{NB}637{NB}tkr" in labels


def test_bokslut_2023_is_marked_with_all_three_printed_figures(askersund: AppTest) -> None:
    askersund.radio(key="fin_ar").set_value(2023).run()
    assert not askersund.exception
    (warning,) = askersund.warning
    for figure in ("762\u00a0602", "761\u00a0876", "762\u00a0596"):
        assert figure in warning.value
    assert "Källan säger emot sig själv för Bokslut 2023" in warning.value
    assert any("Netto till nämnderna ⚠" in label for label in sankey_labels(askersund))
    # The page runs outside the router here, so the link degrades to a named reference.
    assert "sidan Datakvalitet" in text(askersund)


def test_the_assumption_is_visible_and_drives_the_result_light(askersund: AppTest) -> None:
    assert badges(askersund)[0].startswith(":gray-badge[")
    assert "Kan inte bedömas ur källorna" in text(askersund)
    askersund.number_input(key="fin_ovriga_netto_2025").set_value(641_000).run()
    assert not askersund.exception
    assert badges(askersund)[0].startswith(":green-badge[")
    shown = text(askersund)
    assert f"Med antagandet att övriga nämnder kostar 641{NB}000{NB}tkr" in shown
    # Said back under what the sources cannot tell.
    assert f"- Du har antagit att övriga nämnder kostar 641{NB}000{NB}tkr Budget 2025." in shown
    assert f"8{NB}637{NB}tkr" in shown
    assert f"Övriga nämnder<br>(antagande)<br>−641{NB}000{NB}tkr" in sankey_labels(askersund)
    assert f"Resultat (med antagandet)<br>8{NB}637{NB}tkr" in sankey_labels(askersund)
    askersund.number_input(key="fin_ovriga_netto_2025").set_value(700_000).run()
    assert badges(askersund)[0].startswith(":red-badge[")
    assert f"Underskott (med antagandet)<br>−50{NB}363{NB}tkr" in sankey_labels(askersund)


def test_an_assumption_belongs_to_its_year(askersund: AppTest) -> None:
    askersund.number_input(key="fin_ovriga_netto_2025").set_value(641_000).run()
    askersund.radio(key="fin_ar").set_value(2026).run()
    assert askersund.number_input(key="fin_ovriga_netto_2026").value is None
    assert badges(askersund)[0].startswith(":gray-badge[")


def test_an_absurd_amount_is_refused_not_computed(askersund: AppTest) -> None:
    askersund.number_input(key="fin_ovriga_netto_2025").set_value(10**12).run()
    assert not askersund.exception
    assert askersund.number_input(key="fin_ovriga_netto_2025").value is None
    askersund.number_input(key="fin_ovriga_netto_2025").set_value(-5).run()
    assert askersund.number_input(key="fin_ovriga_netto_2025").value is None
    assert badges(askersund)[0].startswith(":gray-badge[")
    assert not any("antagande)" in label for label in sankey_labels(askersund))


def test_trend_tables_and_goal_cards(askersund: AppTest) -> None:
    amounts, growth = frame_with(askersund, "Plan 2028"), frame_with(askersund, "2024→2025")
    assert list(amounts["Serie"])[0] == "Skatteintäkter och generella statsbidrag (beräknad summa)"
    assert f"762{NB}596{NB}tkr ⚠" in set(amounts["Bokslut 2023"])
    assert "+5,5\u00a0%" in set(growth["2024→2025"])
    headings = [m.value for m in askersund.markdown if m.value.startswith("#### ")]
    assert headings == ["#### Resultat", "#### Självfinansiering av investeringar"]
    result_rows = frame_with(askersund, "Målet, tkr")
    assert list(result_rows["Målet, tkr"]) == [
        f"7{NB}103{NB}tkr",
        f"7{NB}284{NB}tkr",
        f"7{NB}681{NB}tkr",
        f"7{NB}967{NB}tkr",
        f"8{NB}233{NB}tkr",
        f"8{NB}511{NB}tkr",
    ]
    assert "Det källorna inte säger" in [h.value for h in askersund.header]


def test_index_view_of_the_trend(askersund: AppTest) -> None:
    askersund.radio(key="fin_trend_mode").set_value("index").run()
    assert not askersund.exception
    specs = [json.loads(c.proto.spec) for c in askersund.get("plotly_chart")]
    trend = next(s for s in specs if s["data"][0]["type"] == "scatter")
    assert trend["layout"]["yaxis"]["title"]["text"] == "index"


def test_lerum_shows_its_goals_and_says_what_is_missing(lerum: AppTest) -> None:
    assert lerum.title[0].value == "Finansförvaltning – Lerum"
    shown = text(lerum)
    assert "ingen driftbudget för finansförvaltningen" in shown
    headings = [m.value for m in lerum.markdown if m.value.startswith("#### ")]
    assert headings == ["#### Soliditet", "#### Skulder per invånare", "#### Nettokostnadsandel"]
    assert all(b.startswith(":green-badge[") for b in badges(lerum))
    assert "källan skriver ”planåret 2024”, men siffran avser 2025" in shown
    share = [d.value for d in lerum.dataframe][2]
    assert list(share["År"]) == [
        "År 2023",
        "Planåret 2024",
        "Planåret 2025",
        "Tioårsperioden 2016–2025",
    ]
    assert list(share["Värde"]) == ["99,0\u00a0%", "98,2\u00a0%", "98,9\u00a0%", "96,5\u00a0%"]
    assert not lerum.get("radio") or "fin_ar" not in [r.key for r in lerum.radio]
