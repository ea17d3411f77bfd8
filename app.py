"""Budgetrummet: the router and frame. Page config, global selectors, navigation."""

from pathlib import Path

import streamlit as st

from budgetrummet.charts import register_template
from budgetrummet.ui.auth import refuse_unsafe_start, sidebar_identity
from budgetrummet.ui.components import swedish_help_labels
from budgetrummet.ui.data import ensure_warehouse
from budgetrummet.ui.errors import run_page
from budgetrummet.ui.org import org_selector

# The icon is a local file: a ":material/…:" icon makes every browser fetch it from
# fonts.gstatic.com, which a municipal network may block and should not have to allow.
ICON = Path(__file__).parent / "assets" / "favicon.png"
st.set_page_config(page_title="Budgetrummet", page_icon=str(ICON), layout="wide")
refuse_unsafe_start()  # no network address without sign-in
register_template()
ensure_warehouse()
# Static layout CSS only (no data): less empty space above the page, so the overview
# fits a 1366×768 laptop screen and more of a table shows on a projector. Not on a
# phone, where Streamlit's header bar (the menu button) would cover the first line.
st.html(
    "<style>@media (min-width: 769px){"
    "[data-testid='stMainBlockContainer']{padding-top:2.2rem}}</style>"
)

# (file, title, Material icon, url path); the first is the start page, opened from `/`.
PAGES = [
    ("views/overview.py", "Översikt", "dashboard", "oversikt"),
    ("views/drift.py", "Driftbudget", "account_balance_wallet", "drift"),
    ("views/investments.py", "Investeringar", "construction", "investeringar"),
    ("views/finance.py", "Finansförvaltning", "account_balance", "finansforvaltning"),
    ("views/goals.py", "Mål", "flag", "mal"),
    ("views/scenarios.py", "Scenarier", "tune", "scenarier"),
    ("views/upload.py", "Uppladdning", "upload_file", "uppladdning"),
    ("views/imports.py", "Inläsning", "library_add", "inlasning"),
    ("views/data_quality.py", "Datakvalitet", "fact_check", "datakvalitet"),
]

st.sidebar.title("Budgetrummet")
org_selector()
sidebar_identity()
swedish_help_labels()  # help icons are announced in Swedish, not "Help for …"
pages = [
    st.Page(path, title=title, icon=f":material/{icon}:", url_path=url)
    for path, title, icon, url in PAGES
]


def _start() -> None:
    """The address without a page (``/``) opens the start page at its own address.

    Streamlit serves its default page only at ``/`` and ignores that page's url_path, so
    the start page is an ordinary page (``/oversikt`` works, as a link from the menu
    does) and this hidden default forwards to it."""
    st.switch_page(pages[0], query_params=dict(st.query_params))


page = st.navigation(
    [st.Page(_start, title=PAGES[0][1], url_path="start", default=True, visibility="hidden")]
    + pages
)
run_page(page)  # an error becomes a Swedish message with a reference, never a traceback
