"""Inläsning: budgets, investment plans, goals and structure as documents; organisations."""

import streamlit as st

from budgetrummet.ui import file_forms as forms
from budgetrummet.ui import imports as ui
from budgetrummet.ui.auth import current_actor, who_caption
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.ui.upload import catalogue

org = current_org()
st.title(f"Inläsning – {current_org_name()}")
st.caption(
    "Läs in budget och plan, driftredovisning, investeringsplan, mål eller organisationens "
    "struktur från en fil. Filen kontrolleras rad för rad och blir ett dokument bredvid "
    "källdokumenten; varje belopp behåller fil, rad och kolumn. Samma inläsning finns på "
    "kommandoraden: python -m budgetrummet import."
)
forms.flash(ui.PREFIX)
st.caption(who_caption())
actor = current_actor()
docs = ui.documents_of(org)
known = catalogue(org)

read_tab, history_tab, org_tab = st.tabs(["Läs in", "Inlästa dokument", "Organisationer"])

with read_tab:
    kind = ui.kind_selector()
    forms.template_buttons(kind, known, ui.PREFIX, org)
    chosen = forms.file_input(ui.PREFIX)
    if chosen is None:
        st.info("Välj en fil för att se vad som kommer att sparas.")
    else:
        data, name = chosen
        raw = forms.read(data, name)
        forms.show_detected(raw)
        settings = ui.settings_inputs(raw, kind, org, current_org_name())
        if ui.sign_missing(settings):
            st.info(
                "Ange om kostnaderna står som negativa tal (som i budgetdokumenten) eller "
                "som positiva tal i filen."
            )
        else:
            result = ui.check(raw, settings, known)
            st.subheader("Kontroll")
            ui.show_result(result, org, known, actor)
            if result.ok:
                ui.confirm(raw, data, result, actor, docs)

with history_tab:
    ui.history(org, docs, actor)

with org_tab:
    ui.organisation_admin(actor)
