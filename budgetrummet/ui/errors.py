"""Errors as the board sees them: a Swedish message with a reference, never a traceback.

Streamlit's own text for an uncaught error is English ("This app has encountered an
error…"). ``run_page`` runs the chosen page and turns any error into a Swedish message
with a short reference; the traceback goes to the server log under the same reference,
so the person who runs the server can find it. Streamlit's rerun and stop signals are
``BaseException``s and pass through untouched.

Tests set ``BUDGETRUMMET_RAISE_PAGE_ERRORS=1`` (tests/conftest.py) so an error in a page
still fails the test that ran it; tests/test_errors.py checks the message without it.
"""

from __future__ import annotations

import logging
import os
import secrets

import streamlit as st
from streamlit.navigation.page import StreamlitPage

_LOG = logging.getLogger("budgetrummet.page")
RAISE_ENV = "BUDGETRUMMET_RAISE_PAGE_ERRORS"


def error_text(reference: str) -> str:
    return (
        "Sidan kunde inte visas på grund av ett fel i Budgetrummet. Försök igen, och "
        "kontakta den som förvaltar Budgetrummet om felet kvarstår; ange då referensen "
        f"{reference} (detaljerna finns i serverns logg)."
    )


def run_page(page: StreamlitPage) -> None:
    """Run ``page`` (what ``st.navigation`` returned); an error becomes a Swedish message."""
    try:
        page.run()
    except Exception:
        if os.environ.get(RAISE_ENV) == "1":
            raise
        reference = secrets.token_hex(4)
        _LOG.exception("page %r failed (reference %s)", getattr(page, "title", "?"), reference)
        st.error(error_text(reference), icon=":material/error:")
