"""Scenarier: what-if levers on the board's budget and plan, live in a meeting."""

import streamlit as st

from budgetrummet.ui import scenario_view
from budgetrummet.ui import scenarios as ui
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
meeting_flag = bool(st.session_state.get(ui.MEETING_KEY))
if meeting_flag:
    ui.meeting_css()

head, switch = st.columns([4, 1], vertical_alignment="bottom")
head.title(f"Scenarier – {current_org_name()}")

documents = ui.budget_documents(org)
chosen = documents[0] if documents else None
if len(documents) > 1:
    by_id = {d.doc_id: d for d in documents}
    chosen = by_id[
        st.selectbox(
            "Budgetdokument",
            options=list(by_id),
            format_func=lambda d: by_id[d].label,
            key=f"scen_dokument_{org}",
            on_change=ui.forget_levers,
            args=(org,),
            help="Scenarierna räknar på det senaste budgetdokumentet; äldre dokument kan "
            "väljas och visas oförändrade.",
        )
    ]
baseline = ui.load_baseline(org, chosen.doc_id if chosen else None)
link_problems = ui.init_state(baseline) if baseline is not None else []
meeting = bool(st.session_state.get(ui.MEETING_KEY))
if meeting and not meeting_flag:
    ui.meeting_css()

switch.toggle(
    "Mötesläge",
    key=ui.MEETING_KEY,
    help="Större text, ingen sidopanel: diagrammet och nyckeltalen för projektorn.",
)

if baseline is None:
    st.info(
        f"Ingen budget är inläst för {current_org_name()}: underlaget har ingen driftbudget "
        "per verksamhet som scenarierna kan räkna på."
    )
    st.stop()
if chosen is documents[0]:
    age_note = ui.age_note(baseline)
    if age_note:
        st.caption(age_note)

if link_problems:
    st.error(
        "Länkens reglage kunde inte användas; dokumentets egna reglage visas i stället.\n\n"
        + ui.problem_list(link_problems)
    )

scenario_view.scenario_view(baseline, meeting)
