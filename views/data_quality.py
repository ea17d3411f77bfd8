"""Datakvalitet: the sources, what was transcribed, every reconciliation finding, the errata."""

import streamlit as st

from budgetrummet.presenters import quality as pr
from budgetrummet.ui import quality as page
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.vocab import CONTRADICTION, OK, ROUNDING

org = current_org()
st.title(f"Datakvalitet – {current_org_name()}")
st.caption(
    "Varje siffra i Budgetrummet är hämtad ur ett källdokument precis som den är tryckt. "
    "Här syns källorna, alla kontroller av summor och samband, och de rättelser (errata) "
    "som görs öppet i stället för att siffror ändras i tysthet."
)

view = page.load(org)
cols = st.columns(4)
cols[0].metric("Motsägelser", view.counts[CONTRADICTION], help="Källan säger emot sig själv.")
cols[1].metric("Errata", view.n_errata, help=pr.errata_metric_help(view))
cols[2].metric(
    "Avrundningar", view.counts[ROUNDING], help="Högst en halv enhet per ingående siffra."
)
cols[3].metric("Stämmer", view.counts[OK], help="Kontroller utan någon differens.")
page.minutes_button(view, org, current_org_name())

st.subheader("Avstämning")
page.reconciliation(view)

st.subheader("Errata")
page.errata(view)

st.subheader("Källor")
page.sources(view)
