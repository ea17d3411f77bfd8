"""Finansförvaltning: where the money comes from and goes, the trend, the financial goals."""

import streamlit as st

from budgetrummet.presenters import finance as pr
from budgetrummet.ui import finance as fin_ui
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
st.title(f"Finansförvaltning – {current_org_name()}")
st.caption(
    "Skatteintäkter, generella statsbidrag, pensioner, avskrivningar och finansiella poster: "
    "vad som blir kvar till nämnderna, hur det utvecklas och hur de finansiella målen står "
    "sig. Alla belopp är tryckta siffror ur dokumenten; det som räknas fram eller antas står "
    "utskrivet."
)
pdf_slot = st.container()

data = fin_ui.load(org)
figures, doc_names = data.figures, data.sources.doc_names
choices, default = pr.period_choices(figures)
period = None
assumptions = pr.NO_ASSUMPTIONS

# --- Where the money comes from and where it goes -------------------------------------
st.header("Varifrån pengarna kommer och vart de går")
if not choices:
    st.info(
        "Organisationens dokument innehåller ingen driftbudget för finansförvaltningen, så "
        "flödet från skatter och statsbidrag till nämnderna kan inte visas. "
        f"Dokument: {', '.join(doc_names.values()) or 'inga'}."
    )
else:
    period = fin_ui.period_selector(choices, default)
    assumptions = fin_ui.assumption_inputs(
        period, with_investments=pr.asks_other_investments(period, data.worded)
    )
    fin_ui.narrow_screen_style()
    fin_ui.flow_section(org, data, period, assumptions)

# --- The trend ------------------------------------------------------------------------
if choices:
    fin_ui.trend_section(org, data)

# --- Financial goals ------------------------------------------------------------------
st.header("Finansiella mål")
goals, ratio_goals = fin_ui.goals(org, data, period, assumptions)
if not goals and not ratio_goals:
    st.info("Organisationens dokument anger inga finansiella mål med siffror.")
for goal in [*goals, *ratio_goals]:
    fin_ui.goal_card(goal)
if any(card.goal.notes for card in ratio_goals):
    fin_ui.quality_link("Rättelsen av årtalet finns på Datakvalitet")

# --- What the sources cannot tell -----------------------------------------------------
st.header("Det källorna inte säger")
for line in fin_ui.unknown_lines(org, data, period, assumptions):
    st.markdown(f"- {line}")

with pdf_slot:
    fin_ui.minutes_button(org, current_org_name(), data, period, assumptions)
