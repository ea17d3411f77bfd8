"""Uppladdning: finance staff upload outcome and forecast files; report, preview, history."""

import streamlit as st

from budgetrummet.presenters import upload as pr
from budgetrummet.ui import file_forms as forms
from budgetrummet.ui import upload as ui
from budgetrummet.ui.org import current_org, current_org_name

ui.ensure_tables()
org = current_org()
st.title(f"Uppladdning – {current_org_name()}")
st.caption(
    "Ladda upp utfall och prognoser från ekonomisystemet eller Excel. Filen kontrolleras "
    "rad för rad; ingenting sparas förrän hela filen är felfri. Varje uppladdning sparas "
    "som en ny version med originalfil, namn och tid, och kan ångras."
)
forms.flash(ui.PREFIX)
actor = ui.actor_line()
data = ui.load(org)
catalogue = data.catalogue

upload_tab, history_tab = st.tabs(["Ladda upp", "Historik och ångra"])

with upload_tab:
    kind = ui.kind_selector()
    forms.template_buttons(kind, catalogue, ui.PREFIX, org)
    st.caption(f"Verksamheter som tas emot för organisationen: {catalogue.scheme}.")
    chosen = forms.file_input(ui.PREFIX)
    if chosen is None:
        st.info("Välj en fil för att se vad som kommer att sparas.")
    else:
        content, name = chosen
        raw = forms.read(content, name)
        forms.show_detected(raw)
        if raw.problems:
            forms.show_problems(pr.file_problems(raw), ui.PREFIX)
        else:
            with st.expander("Filens första rader", expanded=False):
                forms.file_sample(raw)
            st.subheader("Kolumner")
            mapping, month, forecast_date = ui.mapping_inputs(
                raw, kind, pr.remembered_mapping(data.history, kind)
            )
            year, unit = ui.year_and_unit(raw, kind, mapping)
            if unit is None:
                st.info(
                    "Ange om beloppen i filen är i kronor, tusental kronor (tkr) eller "
                    "miljoner kronor (mkr)."
                )
            else:
                settings = ui.check_settings(org, kind, year, unit, mapping, month, forecast_date)
                result = ui.check(raw, settings, catalogue, ui.earlier_uploads(raw.sha256))
                st.subheader("Kontroll")
                ui.show_check_notes(result)
                ui.show_skipped(result)
                if result.ok:
                    ui.show_preview(result, catalogue, data.loaded)
                    mode = ui.choose_mode(result, catalogue, ui.current_rows(org, kind))
                    ui.confirm(raw, content, result, actor, mode)
                else:
                    forms.name_choices(
                        org, result.problems, catalogue, actor, ui.PREFIX, leave_out=True
                    )
                    forms.show_problems(result.problems, ui.PREFIX, catalogue)

with history_tab:
    ui.history(org, data)
    if not data.history.is_empty():
        st.divider()
        ui.undo_restore(org, data, actor)
        st.divider()
        ui.original_download(org, data)
