"""The organisation selector shared by every page (widget key ``org``).

The choice also goes into the URL (``?org=lerum``) so a link opens the same
organisation. The value in a link is matched without regard to case (``?org=LERUM``);
an unknown value is never trusted: the first organisation is shown and a Swedish
message names what the link asked for.
"""

from __future__ import annotations

import streamlit as st

from budgetrummet.ui.data import query

KEY = "org"
KEY_UNKNOWN = "org_unknown"  # what an unknown ?org= asked for, until a choice is made


def organisations() -> dict[str, str]:
    """org_id -> name, in display order."""
    # The frame comes from the process-wide query cache; making the dict is a few
    # microseconds even for 290 municipalities.
    frame = query("organisations")
    return dict(zip(frame["org_id"].to_list(), frame["org_name"].to_list(), strict=True))


def match_org(asked: str | None, orgs: dict[str, str]) -> str | None:
    """The org_id a link's ``?org=`` means: the id or the name, any case; None if none."""
    if not asked:
        return None
    wanted = asked.strip().casefold()
    for org_id, name in orgs.items():
        if wanted in (org_id.casefold(), name.casefold()):
            return org_id
    return None


def shown_as_text(asked: str, limit: int = 40) -> str:
    """Untrusted text from a link, safe to put in a message: letters, digits, space,
    hyphen and underscore only (nothing Markdown or HTML could act on), shortened."""
    kept = "".join(c for c in asked if c.isalnum() or c in " -_")[:limit]
    return kept + ("…" if len(asked) > limit else "")


def org_selector() -> str:
    """Render the sidebar selector and return the chosen org_id."""
    orgs = organisations()
    ids = list(orgs)
    state = st.session_state
    if KEY not in state:
        from_url = st.query_params.get(KEY)
        match = match_org(from_url, orgs)
        state[KEY] = match or ids[0]
        if from_url and match is None:
            state[KEY_UNKNOWN] = from_url
    elif state[KEY] not in orgs:
        state[KEY] = ids[0]
    chosen = st.sidebar.selectbox(
        "Organisation",
        options=ids,
        format_func=orgs.__getitem__,
        key=KEY,
        help="Alla sidor visar den valda organisationens dokument och siffror.",
        on_change=state.pop,
        args=(KEY_UNKNOWN, None),
    )
    st.query_params[KEY] = chosen
    asked = state.get(KEY_UNKNOWN)
    if asked is not None:
        st.warning(
            f"Länken anger organisationen ”{shown_as_text(asked)}”, som inte finns i "
            f"Budgetrummet. Sidan visar {orgs[chosen]}; välj organisation i sidomenyn.",
            icon=":material/warning:",
        )
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
