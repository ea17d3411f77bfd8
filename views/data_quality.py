"""Datakvalitet: the sources, what was transcribed, every reconciliation finding, the errata."""

import streamlit as st

from budgetrummet.presenters import quality as pr
from budgetrummet.ui import quality as page
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
st.title(f"Datakvalitet – {current_org_name()}")
st.caption(
    "Varje siffra i Budgetrummet är hämtad ur ett källdokument precis som den är tryckt. "
    "Här syns källorna, alla kontroller av summor och samband, och de rättelser (errata) "
    "som görs öppet i stället för att siffror ändras i tysthet."
)

view = page.load(org)
# A horizontal container wraps on a phone instead of stacking four tall metrics.
with st.container(horizontal=True, gap="medium"):
    for label, value, help_text in pr.metrics(view):
        st.metric(label, value, help=help_text, width=150)
page.minutes_button(view, org, current_org_name())

st.subheader("Avstämning")
page.reconciliation(view, org)

st.subheader("Errata")
page.errata(view)

st.subheader("Källor")
page.sources(view)
