"""Investeringar: every project's year and whole life, the ranked overruns, the portfolio
over the budget and plan years, with the source's contradictions marked."""

import streamlit as st

from budgetrummet.presenters import investments as pr
from budgetrummet.ui import investments as page
from budgetrummet.ui import meeting
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
org_name = current_org_name()
meeting.title(f"Investeringar – {org_name}")

frames = page.read_all(org)
documents = page.documents(org)
if not pr.has_investments(frames):
    st.info(pr.empty_note(org_name, pr.titles_of(documents)))
    st.stop()

model = page.model(org, frames)
st.caption(model.caption)
page.metrics(model)
page.legend()
page.quality_link(org)
for warning in model.warnings:
    st.warning(warning, icon=":material/schedule:")

tab_over, tab_year, tab_portfolio = st.tabs(model.tab_labels)
with tab_over:
    page.overrun_tab(model, org, org_name)
with tab_year:
    page.year_tab(model, org, org_name)
with tab_portfolio:
    page.portfolio_tab(model, org)
