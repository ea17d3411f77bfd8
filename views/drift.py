"""Driftbudget: budget against plan per verksamhet, forecast against budget, outcome by month."""

import streamlit as st

from budgetrummet.ui import drift as page
from budgetrummet.ui import meeting
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
meeting.title(f"Driftbudget – {current_org_name()}")

figs = page.figures(org)
if figs.is_empty():
    st.info(
        f"Ingen budget är inläst för {current_org_name()}: underlaget har ingen driftbudget, "
        "plan eller prognos per verksamhet ännu."
    )
    st.stop()
view = page.documents_view(org)
budget_doc = view.chosen(None)
if len(view.budget_docs) > 1:
    labels = view.labels
    chosen_id = st.selectbox(
        "Budgetdokument",
        options=list(labels),
        format_func=labels.__getitem__,
        key="drift_budget_doc",
        help="Det senaste budgetdokumentet visas först; äldre dokument visas oförändrade.",
    )
    budget_doc = view.chosen(chosen_id)
age_note = page.age_note(view, budget_doc)
if age_note:
    st.caption(age_note)

head = page.header(org, view, budget_doc)

# Only the open tab runs (the others are empty until chosen, which reruns the page):
# each tab is a page of its own in cost, tables and charts.
plan_tab, forecast_tab, month_tab = st.tabs(
    ["Budget och plan", "Prognos mot budget", "Utfall per månad"],
    key="drift_tab",
    on_change="rerun",
)

if plan_tab.open:
    with plan_tab:
        if head.plan_figs.is_empty():
            st.info(f"Ingen budget med plan är inläst för {current_org_name()}.")
        else:
            page.plan_tab(head, org, current_org_name(), budget_doc and budget_doc.doc_id)

if forecast_tab.open:
    with forecast_tab:
        page.forecast_tab(head, org)

if month_tab.open:
    with month_tab:
        page.month_tab(head, org)
