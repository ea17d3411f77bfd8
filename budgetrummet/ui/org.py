"""The organisation selector shared by every page (widget key ``org``).

The choice also goes into the URL (``?org=lerum``) so a link opens the same
organisation; an unknown value in the URL is ignored, never trusted.
"""

from __future__ import annotations

import streamlit as st

from budgetrummet.ui.data import query

KEY = "org"


def organisations() -> dict[str, str]:
    """org_id -> name, in display order."""
    # The frame comes from the process-wide query cache; making the dict is a few
    # microseconds even for 290 municipalities.
    frame = query("organisations")
    return dict(zip(frame["org_id"].to_list(), frame["org_name"].to_list(), strict=True))


def org_selector() -> str:
    """Render the sidebar selector and return the chosen org_id."""
    orgs = organisations()
    ids = list(orgs)
    if KEY not in st.session_state:
        from_url = st.query_params.get(KEY)
        st.session_state[KEY] = from_url if from_url in orgs else ids[0]
    elif st.session_state[KEY] not in orgs:
        st.session_state[KEY] = ids[0]
    chosen = st.sidebar.selectbox(
        "Organisation",
        options=ids,
        format_func=orgs.__getitem__,
        key=KEY,
        help="Alla sidor visar den valda organisationens dokument och siffror.",
    )
    st.query_params[KEY] = chosen
    return chosen


def current_org() -> str:
    """The org_id chosen in the sidebar (app.py sets it before any page runs; a page
    run on its own, as in a test, gets the first organisation)."""
    return _current(organisations())


def _current(orgs: dict[str, str]) -> str:
    chosen = st.session_state.get(KEY)
    return chosen if chosen in orgs else next(iter(orgs))


def current_org_name() -> str:
    orgs = organisations()
    return orgs[_current(orgs)]
