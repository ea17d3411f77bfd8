"""Budgetrummet: the router and frame. Page config, global selectors, navigation."""

import streamlit as st

from budgetrummet.charts import register_template
from budgetrummet.ui.data import ensure_warehouse
from budgetrummet.ui.org import org_selector

st.set_page_config(page_title="Budgetrummet", page_icon="📊", layout="wide")
register_template()
ensure_warehouse()

PAGES = [
    st.Page(
        "pages/data_quality.py",
        title="Datakvalitet",
        icon="🔎",
        url_path="datakvalitet",
        default=True,
    ),
]

st.sidebar.title("Budgetrummet")
org_selector()
st.navigation(PAGES).run()
