"""An error in a page reaches the user as a Swedish message with a reference, not a traceback."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet.ui import errors


def broken_app() -> None:
    import streamlit as st

    from budgetrummet.ui.errors import run_page

    def broken() -> None:
        st.write("före felet")
        raise ZeroDivisionError("hemlig detalj /srv/data")

    run_page(st.navigation([st.Page(broken, title="Trasig")]))


def controlled_app() -> None:
    import streamlit as st

    from budgetrummet.ui.errors import run_page

    def controlled() -> None:
        runs = st.session_state.setdefault("runs", 0) + 1
        st.session_state["runs"] = runs
        if runs == 1:
            st.rerun()
        st.write(f"körning {runs}")
        st.stop()
        st.write("aldrig")

    run_page(st.navigation([st.Page(controlled, title="Styrd")]))


@pytest.fixture
def friendly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(errors.RAISE_ENV, raising=False)


def test_an_error_in_a_page_shows_a_swedish_message_and_logs_the_traceback(
    friendly: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="budgetrummet.page"):
        at = AppTest.from_function(broken_app).run()
    assert not at.exception
    [message] = [e.value for e in at.error]
    assert message.startswith("Sidan kunde inte visas på grund av ett fel i Budgetrummet.")
    assert "hemlig detalj" not in message and "ZeroDivisionError" not in message
    reference = re.search(r"referensen ([0-9a-f]{8}) ", message).group(1)
    [record] = [r for r in caplog.records if r.name == "budgetrummet.page"]
    assert reference in record.getMessage()
    assert record.exc_info and record.exc_info[0] is ZeroDivisionError
    # What the page showed before the error stays on screen.
    assert [m.value for m in at.markdown] == ["före felet"]


def test_under_tests_the_error_is_raised_so_a_broken_page_fails_its_test(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(errors.RAISE_ENV, "1")
    at = AppTest.from_function(broken_app).run()
    # Streamlit's own (English, redacted under this project's config) error element: what
    # users would see without run_page.
    assert at.exception and "hemlig detalj" not in at.exception[0].message
    assert not at.error


def test_streamlits_rerun_and_stop_pass_through_untouched(friendly: None) -> None:
    at = AppTest.from_function(controlled_app).run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["körning 2"]
