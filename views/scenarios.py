"""Scenarier: what-if levers on the board's budget and plan, live in a meeting."""

import streamlit as st

from budgetrummet.ui import scenarios as ui
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
baseline = ui.load_baseline(org)
link_problems = ui.init_state(baseline) if baseline is not None else []
meeting = bool(st.session_state.get(ui.MEETING_KEY))
if meeting:
    ui.meeting_css()

head, switch = st.columns([4, 1], vertical_alignment="bottom")
head.title(f"Scenarier – {current_org_name()}")
switch.toggle(
    "Mötesläge",
    key=ui.MEETING_KEY,
    help="Större text, ingen sidopanel: diagrammet och nyckeltalen för projektorn.",
)

if baseline is None:
    st.info(
        "Organisationens dokument har ingen driftbudget som scenarierna kan räkna på. "
        "Välj en annan organisation."
    )
    st.stop()

if link_problems:
    st.error(
        "Länkens reglage kunde inte användas; dokumentets egna reglage visas i stället.\n\n"
        + ui.problem_list(link_problems)
    )

ui.scenario_view(baseline, meeting)
