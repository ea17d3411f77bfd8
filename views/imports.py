"""Inläsning: budgets, investment plans, goals and structure as documents; organisations."""

import streamlit as st

from budgetrummet.ui import imports as ui
from budgetrummet.ui.auth import current_actor, who_caption
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.ui.upload import show_detected

org = current_org()
st.title(f"Inläsning – {current_org_name()}")
st.caption(
    "Läs in budget och plan, driftredovisning, investeringsplan, mål eller organisationens "
    "struktur från en fil. Filen kontrolleras rad för rad och blir ett dokument bredvid "
    "källdokumenten; varje belopp behåller fil, rad och kolumn. Samma inläsning finns på "
    "kommandoraden: python -m budgetrummet import."
)
ui.flash()
st.caption(who_caption())
actor = current_actor()

read_tab, history_tab, org_tab = st.tabs(["Läs in", "Inlästa dokument", "Organisationer"])

with read_tab:
    kind = ui.kind_selector()
    ui.template_buttons(kind, org)
    chosen = ui.file_input()
    if chosen is None:
        st.info("Välj en fil för att se vad som kommer att sparas.")
    else:
        data, name = chosen
        raw = ui.read(data, name)
        show_detected(raw)
        settings = ui.settings_inputs(raw, kind, org, current_org_name())
        result = ui.check(raw, settings)
        st.subheader("Kontroll")
        ui.show_result(result)
        if result.ok:
            ui.confirm(raw, data, result, actor)

with history_tab:
    ui.history(org, actor)

with org_tab:
    ui.organisation_admin(actor)
