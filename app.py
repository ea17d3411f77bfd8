"""Budgetrummet: the router and frame. Page config, global selectors, navigation."""

import streamlit as st

from budgetrummet.charts import register_template
from budgetrummet.ui.data import ensure_warehouse
from budgetrummet.ui.org import org_selector

st.set_page_config(page_title="Budgetrummet", page_icon=":material/account_balance:", layout="wide")
register_template()
ensure_warehouse()

PAGES = [
    st.Page(
        "pages/drift.py",
        title="Driftbudget",
        icon=":material/account_balance_wallet:",
        url_path="drift",
        default=True,
    ),
    st.Page(
        "pages/data_quality.py",
        title="Datakvalitet",
        icon=":material/fact_check:",
        url_path="datakvalitet",
    ),
]

st.sidebar.title("Budgetrummet")
org_selector()
st.navigation(PAGES).run()
