"""The app as a user meets it: AppTest runs of the frame and the Datakvalitet page."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


DQ = "views/data_quality.py"


def open_app(org: str | None = None) -> AppTest:
    """The app on the Datakvalitet page, optionally for an organisation given in the link."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if org:
        at.query_params["org"] = org
    at.run()
    at.switch_page(DQ).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app(warehouse_dir: Path) -> AppTest:
    return open_app()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_datakvalitet_for_askersund(app: AppTest) -> None:
    assert app.title[0].value == "Datakvalitet – Askersund"
    assert metric(app, "Motsägelser") == "15"
    assert metric(app, "Errata") == "3"
    assert metric(app, "Avrundningar") == "4"


def test_switching_organisation_changes_the_page(warehouse_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.sidebar.selectbox(key="org").set_value("lerum").run()
    assert not at.exception
    assert at.header[0].value == "Översikt – Lerum"
    lerum = open_app("lerum")
    assert metric(lerum, "Motsägelser") == "0"
    assert metric(lerum, "Avrundningar") == "4"
    # Lerum's one erratum corrects a year no sum touches: the card and the count agree.
    assert metric(lerum, "Errata") == "1"
    assert "0\u00a0kontroller av summor" in next(
        m.help for m in lerum.metric if m.label == "Errata"
    )


def test_organisation_comes_from_the_link(warehouse_dir: Path) -> None:
    assert open_app("lerum").title[0].value == "Datakvalitet – Lerum"


def test_an_unknown_organisation_in_the_link_is_named_not_trusted(warehouse_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["org"] = "<script>x[y](z)"
    at.run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Översikt – Askersund"
    warning = at.warning[0].value
    assert "”scriptxyz”, som inte finns i Budgetrummet" in warning
    assert "Sidan visar Askersund" in warning
    # a choice in the sidebar ends the message
    at.sidebar.selectbox(key="org").set_value("lerum").run()
    assert at.header[0].value == "Översikt – Lerum"
    assert not [w for w in at.warning if "Länken anger" in w.value]


@pytest.mark.parametrize("asked", ["LERUM", "Lerum", " lerum "])
def test_the_organisation_in_the_link_is_matched_without_case(warehouse_dir, asked) -> None:
    at = open_app(asked)
    assert at.title[0].value == "Datakvalitet – Lerum"
    assert not [w for w in at.warning if "Länken anger" in w.value]


def test_the_start_address_opens_the_overview_at_its_own_address(warehouse_dir: Path) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Översikt – Askersund"


def test_reconciliation_list_and_errata_are_shown(app: AppTest) -> None:
    reconciliation = app.dataframe[0].value
    assert len(reconciliation) == 15 + 3 + 4
    assert "Motsägelse" in set(reconciliation["Klass"])
    assert {"−114\u00a0168\u00a0tkr", "−12\u00a0100\u00a0tkr"} <= set(reconciliation["Tryckt"])
    errata = " ".join(m.value for m in app.markdown)
    for printed, used in (("-26 62", "−26 632"), ("14 500", "−14 500"), ("2023", "2024")):
        assert f"tryckt `{printed}`, används `{used}`" in errata


def test_class_filter_shows_an_empty_state(app: AppTest) -> None:
    app.multiselect(key="dq_classes").set_value([]).run()
    assert any("Inga kontroller" in i.value for i in app.info)
