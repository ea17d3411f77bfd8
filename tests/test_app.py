"""The app as a user meets it: AppTest runs of the frame and the Datakvalitet page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(warehouse_dir: Path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_app_starts_on_datakvalitet_for_askersund(app: AppTest) -> None:
    assert app.title[0].value == "Datakvalitet – Askersund"
    assert app.sidebar.selectbox(key="org").value == "askersund"
    assert metric(app, "Motsägelser") == "15"
    assert metric(app, "Förklaras av erratum") == "3"
    assert metric(app, "Avrundningar") == "4"


def test_switching_organisation_changes_the_page(app: AppTest) -> None:
    app.sidebar.selectbox(key="org").set_value("lerum").run()
    assert not app.exception
    assert app.title[0].value == "Datakvalitet – Lerum"
    assert metric(app, "Motsägelser") == "0"
    assert metric(app, "Avrundningar") == "4"
    assert app.query_params["org"] in ("lerum", ["lerum"])


def test_organisation_comes_from_the_link(warehouse_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = "lerum"
    at.run()
    assert at.title[0].value == "Datakvalitet – Lerum"


def test_an_unknown_organisation_in_the_link_is_ignored(warehouse_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = "<script>"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Datakvalitet – Askersund"


def test_reconciliation_list_and_errata_are_shown(app: AppTest) -> None:
    reconciliation = app.dataframe[0].value
    assert len(reconciliation) == 15 + 3 + 4
    assert "Motsägelse" in set(reconciliation["Klass"])
    assert {"−114\u00a0168\u00a0tkr", "−12\u00a0100\u00a0tkr"} <= set(reconciliation["Tryckt"])
    errata = " ".join(m.value for m in app.markdown)
    for printed, used in (("-26 62", "-26 632"), ("14 500", "-14 500"), ("2023", "2024")):
        assert f"tryckt `{printed}`, används `{used}`" in errata


def test_class_filter_shows_an_empty_state(app: AppTest) -> None:
    app.multiselect(key="dq_classes").set_value([]).run()
    assert any("Inga kontroller" in i.value for i in app.info)
