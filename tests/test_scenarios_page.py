"""The Scenarier page as a committee meets it (AppTest, page run on its own).

AppTest does not emulate fragments (a widget change reruns the whole script), so these
tests check what the page shows and stores, not how much of it reruns.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import build, store
from budgetrummet.ui import scenarios as ui
from tests.test_access import sign_in

ROOT = Path(__file__).resolve().parent.parent
NB = "\u00a0"


def tkr(text: str) -> str:
    return text.replace(" ", NB) + f"{NB}tkr"


def page(org: str = "askersund", **link: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / "scenarios.py"), default_timeout=30)
    at.session_state["org"] = org
    for name, value in link.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label.startswith(label))


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(parts)


def qp(at: AppTest) -> dict[str, str]:
    out = {}
    for key in at.query_params:
        value = at.query_params[key]
        out[key] = value[-1] if isinstance(value, list) else value
    return out


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.fixture
def askersund(warehouse_dir: Path) -> AppTest:
    return page()


def test_the_page_opens_on_the_documents_plan(askersund: AppTest) -> None:
    at = askersund
    assert at.title[0].value == "Scenarier – Askersund"
    first = metric(at, "Nettokostnad Budget 2025")
    assert first.label == "Nettokostnad Budget 2025 ⚑"  # the printed total is flagged
    assert first.value == tkr("−116 013")
    assert first.delta == tkr("0")
    assert metric(at, "Nettokostnad Plan 2028").value == tkr("−125 549")
    result = metric(at, "Kommunens resultat 2025")
    assert result.value == f"0,90{NB}%"
    # the headline says where it rests on an assumption, where it is shown
    assert result.label == "Kommunens resultat 2025 (antagande)"
    assert "övriga nämnder exakt håller sina ramar" in result.help
    assert any("övriga nämnder exakt håller sina ramar" in c.value for c in at.caption)
    assert f"2025: **1{NB}907{NB}tkr** (1,7{NB}%)" in text(at)
    assert at.select_slider(key="scen_askersund_krav_2025").value == 17
    assert at.select_slider(key="scen_askersund_krav_2026").value == 0
    assert not any(k.startswith("krav_") for k in qp(at))
    assert not at.error
    # The per-year table starts from the printed plan and ends at the scenario.
    table = at.dataframe[0].value
    assert table["Post"].iloc[0] == "Nettokostnad enligt dokumentet"
    assert table["Budget 2025"].iloc[0] == tkr("−116 013") + " ⚑"
    assert table["Plan 2026"].iloc[-1] == tkr("−119 573")


def test_moving_a_slider_updates_outputs_and_link(askersund: AppTest) -> None:
    at = askersund
    at.select_slider(key="scen_askersund_krav_2026").set_value(25).run()
    assert not at.exception
    plan_2026 = metric(at, "Nettokostnad Plan 2026")
    assert plan_2026.value == tkr("−116 697")
    assert plan_2026.delta == tkr("+2 876")
    assert metric(at, "Nettokostnad Plan 2028").delta == tkr("+2 876")  # a lasting cut
    assert metric(at, "Kommunens resultat 2026").value == f"1,23{NB}%"
    assert qp(at)["krav_2026"] == "2.5"
    at.select_slider(key="scen_askersund_index_2027").set_value(10).run()
    assert metric(at, "Nettokostnad Plan 2027").delta == tkr("+1 089")  # 2 876 − 1 787
    assert qp(at)["index_2027"] == "1"
    at.select_slider(key="scen_askersund_krav_2026").set_value(0).run()
    assert "krav_2026" not in qp(at)


def test_an_exemption_moves_the_requirement_between_lines(askersund: AppTest) -> None:
    at = askersund
    at.multiselect(key="scen_askersund_undantag").set_value(["vh45", "vh27"]).run()
    assert qp(at)["undantag"] == "vh27,vh45"
    assert not [d for d in at.dataframe if "Verksamhet" in d.value.columns], "a closed tab"
    at.session_state[ui.DETAIL_TABS_KEY] = "Per verksamhet"  # the user opens the tab
    at.run()
    lines = next(d.value for d in at.dataframe if "Verksamhet" in d.value.columns)
    row = lines.set_index("Verksamhet")
    assert row.loc["45 Gymnasieskola", "Andel av årets krav"] == tkr("0")
    assert row.loc["45 Gymnasieskola", "Anmärkning"] == "undantagen"
    assert row.loc["Summa", "Andel av årets krav"] == tkr("1 907")
    assert row.loc["Summa", "Budget 2025 enligt dokumentet"] == tkr("−116 013") + " ⚑"
    assert "raderna summerar till −116" in row.loc["Summa", "Anmärkning"]


def test_exempting_everything_is_refused_and_keeps_the_last_valid_levers(
    askersund: AppTest,
) -> None:
    at = askersund
    keys = at.multiselect(key="scen_askersund_undantag").options
    assert len(keys) == 19
    everything = [
        "vh10", "vh11", "vh12", "vh13", "vh21", "vh22", "vh23", "vh24", "vh25", "vh26",
        "vh27", "vh31", "vh44", "vh45", "vh53", "vh60", "vh61", "vh91", "vh92",
    ]  # fmt: skip
    at.multiselect(key="scen_askersund_undantag").set_value(everything).run()
    assert "minst en måste bära effektiviseringskravet" in errors(at)
    assert metric(at, "Nettokostnad Budget 2025").value == tkr("−116 013")
    assert "undantag" not in qp(at)


def test_a_risk_amount_is_typed_the_swedish_way(askersund: AppTest) -> None:
    at = askersund
    at.text_input(key="scen_askersund_risk_suf").input("6 000").run()
    first = metric(at, "Nettokostnad Budget 2025")
    assert (first.value, first.delta) == (tkr("−122 013"), tkr("−6 000"))
    assert metric(at, "Kommunens resultat 2025").value == f"0,20{NB}%"
    assert qp(at)["risk_suf"] == "6000"
    at.text_input(key="scen_askersund_risk_suf").input("sex tusen").run()
    assert "”sex tusen” är inte ett tal" in errors(at)
    assert metric(at, "Nettokostnad Budget 2025").value == tkr("−122 013")  # unchanged
    at.text_input(key="scen_askersund_risk_suf").input("").run()
    assert not at.error
    assert metric(at, "Nettokostnad Budget 2025").value == tkr("−116 013")


def test_the_suggested_amount_comes_from_the_interim_report(askersund: AppTest) -> None:
    at = askersund
    at.button(key="scen_askersund_risk_suf_forslag").click().run()
    assert at.text_input(key="scen_askersund_risk_suf").value == f"6{NB}000"
    assert metric(at, "Nettokostnad Budget 2025").delta == tkr("−6 000")


def test_own_assumption_for_the_other_boards(askersund: AppTest) -> None:
    at = askersund
    assert at.text_input(key="scen_askersund_ovriga_2025").value == f"−641{NB}956"
    at.toggle(key="scen_askersund_ovriga_egna").set_value(True).run()
    at.text_input(key="scen_askersund_ovriga_2025").input("−645 000").run()
    result = metric(at, "Kommunens resultat 2025")
    assert result.label == "Kommunens resultat 2025 (ert antagande)"
    assert result.value == f"0,54{NB}%"  # 765 650 − 116 013 − 645 000 = 4 637
    assert result.delta == tkr("−3 044")
    assert qp(at)["ovriga_2025"] == "-645000"


def test_a_link_opens_the_same_scenario(warehouse_dir: Path) -> None:
    at = page(krav_2026="2.5", undantag="vh45", risk_suf="6000")
    assert at.select_slider(key="scen_askersund_krav_2026").value == 25
    assert at.multiselect(key="scen_askersund_undantag").value == ["vh45"]
    assert metric(at, "Nettokostnad Plan 2026").value == tkr("−116 697")
    assert not at.error
    link = at.code[0].value
    assert link.startswith("?org=askersund&")
    assert "krav_2026=2.5" in link and "undantag=vh45" in link and "risk_suf=6000" in link


def test_an_invalid_link_is_refused_with_a_message(warehouse_dir: Path) -> None:
    at = page(krav_2025="99", undantag="vh45;drop", mote="ja")
    message = errors(at)
    assert "Länkens reglage kunde inte användas" in message
    assert "mellan 0 och 5 %" in message
    assert "är ingen verksamhetskod" in message
    assert "mote: ”ja”" in message
    assert metric(at, "Nettokostnad Budget 2025").value == tkr("−116 013")
    assert at.select_slider(key="scen_askersund_krav_2025").value == 17
    assert "krav_2025" not in qp(at)  # the refused values are not kept in the address


def test_meeting_mode_shows_the_chart_and_key_numbers_only(warehouse_dir: Path) -> None:
    at = page(mote="1", krav_2026="2.5")
    assert at.toggle(key="scen_mote").value is True
    assert len(at.metric) == 8
    assert [s["layout"]["title"]["text"] for s in chart_specs(at)] == [
        "Nettokostnad, tkr (uppåt = högre kostnad)"
    ]
    tab_labels = [t.label for t in at.tabs]
    assert "Krav" in tab_labels  # the levers, folded away under "Reglage"
    assert "Per år" not in tab_labels and "Per verksamhet" not in tab_labels
    assert [e.label for e in at.expander] == ["Reglage"]
    assert not [s for s in at.subheader if s.value == "Spara, jämför och dela"]
    assert not at.dataframe
    assert qp(at)["mote"] == "1"
    at.toggle(key="scen_mote").set_value(False).run()
    assert [s.value for s in at.subheader] == ["Spara, jämför och dela"]
    assert "mote" not in qp(at)


def test_lerum_works_on_its_2023_budget(warehouse_dir: Path) -> None:
    at = page("lerum")
    assert at.title[0].value == "Scenarier – Lerum"
    first = metric(at, "Nettokostnad Budget 2023")
    assert first.value == f"−256,8{NB}mkr"
    assert not [m for m in at.metric if m.label.startswith("Kommunens resultat")]
    assert "skatteintäkter och generella statsbidrag saknas" in text(at)
    assert "Planår, ram och effektiviseringskrav saknas" in text(at)
    at.select_slider(key="scen_lerum_krav_2023").set_value(10).run()
    first = metric(at, "Nettokostnad Budget 2023")
    assert (first.value, first.delta) == (f"−254,2{NB}mkr", f"+2,6{NB}mkr")
    assert "Dokumentet namnger inga kostnadsrisker med belopp." in text(at)


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The page writing to a warehouse of its own."""
    build.build(tmp_path, who="pytest")
    monkeypatch.setenv(store.ENV_DATA_DIR, str(tmp_path))
    return tmp_path


def test_save_load_compare_and_delete(private: Path) -> None:
    at = page()
    # Refused when signed out: nothing stored.
    sign_in(at, None)
    at.select_slider(key="scen_askersund_krav_2026").set_value(25).run()
    at.text_input(key="scen_name").input("Hårdare 2026").run()
    at.button(key="scen_save").click().run()
    assert "Du är inte inloggad" in errors(at)
    assert store.read_table("scenarios", private).is_empty()

    sign_in(at, "Eva Ek", {"beredning"}).run()
    at.button(key="scen_save").click().run()
    assert "Scenariot ”Hårdare 2026” är sparat." in text(at)
    stored = store.read_table("scenarios", private)
    assert stored.select("name", "saved_by").row(0) == ("Hårdare 2026", "Eva Ek")
    assert json.loads(stored["params_json"][0])["levers"] == {"krav_2026": "2.5"}

    # The same name again is refused.
    at.text_input(key="scen_name").input("hårdare 2026").run()
    at.button(key="scen_save").click().run()
    assert "finns redan ett scenario" in errors(at)

    # Back to the document, then load the saved one.
    at.select_slider(key="scen_askersund_krav_2026").set_value(0).run()
    assert metric(at, "Nettokostnad Plan 2026").value == tkr("−119 573")
    at.button(key="scen_load").click().run()
    assert "Scenariot ”Hårdare 2026” är laddat." in text(at)
    assert at.select_slider(key="scen_askersund_krav_2026").value == 25
    assert metric(at, "Nettokostnad Plan 2026").value == tkr("−116 697")

    # Compare the saved scenario with current levers (now SUF risk added).
    at.text_input(key="scen_askersund_risk_suf").input("6000").run()
    sid = stored["scenario_id"][0]
    at.multiselect(key="scen_askersund_jamfor").set_value(["__aktuellt__", sid]).run()
    table = next(d.value for d in at.dataframe if "Mått" in d.value.columns)
    row = table.set_index(["Scenario", "Mått"])
    assert row.loc[("Aktuella reglage", "Nettokostnad"), "Budget 2025"] == tkr("−122 013")
    assert row.loc[("Hårdare 2026", "Mot Aktuella reglage"), "Budget 2025"] == tkr("+6 000")
    assert row.loc[("Hårdare 2026", "Mot Aktuella reglage"), "Plan 2026"] == tkr("0")
    assert row.loc[("Hårdare 2026", "Resultat"), "Plan 2026"] == f"1,23{NB}%"

    # Delete needs the confirmation, then removes it.
    at.button(key="scen_delete").click().run()
    assert "Kryssa i" in errors(at)
    at.checkbox(key="scen_askersund_bekrafta").check().run()
    at.button(key="scen_delete").click().run()
    assert "Scenariot ”Hårdare 2026” är borttaget." in text(at)
    assert store.read_table("scenarios", private).is_empty()
    actions = [e["action"] for e in store.read_audit(private)]
    assert actions[-2:] == ["spara scenario", "ta bort scenario"]


def test_a_hostile_link_is_shown_as_text_not_markdown(warehouse_dir: Path) -> None:
    at = page(krav_2025="![x](http://example.invalid/x.png)")
    message = errors(at)
    assert r"”\!\[x\]\(http://example.invalid/x.png\)” är inte ett tal" in message
    assert "](http" not in message.replace(r"\]\(http", "")
    assert metric(at, "Nettokostnad Budget 2025").value == tkr("−116 013")


def test_the_local_user_is_shown_as_local_administrator(private: Path) -> None:
    """In local mode a change is stored under the local user's name (the superuser's
    account as "lokal administratör"), and the page never names an account such as "root"."""
    from budgetrummet.ui import auth

    account = auth.local_name()
    at = page()
    assert "Ändringar registreras som gjorda av lokal administratör." in text(at)
    at.text_input(key="scen_name").input("Lokalt").run()
    at.button(key="scen_save").click().run()
    assert store.read_table("scenarios", private)["saved_by"].to_list() == [account]
    saved = next(c.value for c in at.caption if c.value.startswith("Sparat av"))
    assert saved.startswith("Sparat av lokal administratör ")
    assert "av root" not in text(at)
