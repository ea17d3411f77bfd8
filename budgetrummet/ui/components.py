"""Streamlit pieces more than one page shows, defined once."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

QUALITY_PAGE = "views/data_quality.py"
QUALITY_URL = "datakvalitet"
QUALITY_ICON = ":material/fact_check:"


def quality_link(label: str = "Se Datakvalitet", org: str | None = None) -> None:
    """A link to the Datakvalitet page.

    Inside the app it is a page link; when a page runs on its own (tests, a scratch
    router without that page) it falls back to a relative link, with the validated
    organisation id when one is given.
    """
    try:
        st.page_link(QUALITY_PAGE, label=label, icon=QUALITY_ICON)
    except StreamlitAPIException:
        url = f"{QUALITY_URL}?org={org}" if org else QUALITY_URL
        where = "" if "sidan Datakvalitet" in label else " (sidan Datakvalitet)"
        st.markdown(f"{QUALITY_ICON} [{label}]({url}){where}")
