"""Mål: every goal with its målområde, target, outcome, traffic light, trend and comment;
the council's strategic goals above the nämndmål they serve; the follow-up calendar and
the assessments of activity goals; Lerum's priorities and indicator table."""

import streamlit as st

from budgetrummet.ui import goals as ui
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
st.title(f"Mål – {current_org_name()}")
st.caption(
    "Målen som de står i dokumenten. Färgen räknas fram ur mål och utfall där målet har "
    "mått, och sätts av en behörig person där målet är en aktivitet. Varje färg och pil "
    "kan visa sin beräkning."
)

# First what needs attention, across the organisation's documents; the day the
# calendar counts from is chosen further down (its widget state is read in the loader).
goal_page = ui.load_page(org)
if goal_page.empty:
    st.info("Inga mål är inlästa för den här organisationen.")
    st.stop()
ui.render_attention(goal_page)
ui.minutes_button(org, goal_page, current_org_name())

st.subheader("Alla mål")
doc_id = ui.choose_document(goal_page)
ui.render_document(org, goal_page, ui.load_document(org, goal_page, doc_id))
