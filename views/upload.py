"""Uppladdning: finance staff upload outcome and forecast files; report, preview, history."""

import streamlit as st

from budgetrummet.ui import upload as ui
from budgetrummet.ui.data import query
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.upload import documents, report, storing
from budgetrummet.upload.validation import Settings

ui.ensure_tables()
org = current_org()
st.title(f"Uppladdning – {current_org_name()}")
st.caption(
    "Ladda upp utfall och prognoser från ekonomisystemet eller Excel. Filen kontrolleras "
    "rad för rad; ingenting sparas förrän hela filen är felfri. Varje uppladdning sparas "
    "som en ny version med originalfil, namn och tid, och kan ångras."
)
ui.flash()
actor = ui.actor_line()

history = query("upl_uploads_for_org", org_id=org)
loaded = query("upl_loaded_periods", org_id=org)
# The organisation's own structure (with nämnd/ansvar/kostnadsslag mapped to verksamhet)
# when it has one, else its documents' verksamheter; plus the names it has mapped.
catalogue = documents.structure_catalogue(
    org, query("org_structure", org_id=org), query("upl_verksamheter", org_id=org)
).with_names(storing.name_map(query("upl_name_mappings", org_id=org), org))

upload_tab, history_tab = st.tabs(["Ladda upp", "Historik och ångra"])

with upload_tab:
    kind = ui.kind_selector()
    ui.template_buttons(kind, catalogue)
    st.caption(f"Verksamheter som tas emot för organisationen: {catalogue.scheme}.")
    chosen = ui.file_input()
    if chosen is None:
        st.info("Välj en fil för att se vad som kommer att sparas.")
    else:
        data, name = chosen
        raw = ui.read_with_progress(data, name)
        ui.show_detected(raw)
        if raw.problems:
            ui.show_problems(ui.file_problems(raw))
        else:
            with st.expander("Filens första rader", expanded=False):
                ui.file_sample(raw)
            st.subheader("Kolumner")
            mapping, month, forecast_date = ui.mapping_inputs(
                raw, kind, report.remembered_mapping(history, kind)
            )
            year, unit = ui.year_and_unit(raw, kind, mapping)
            if unit is None:
                st.info(
                    "Ange om beloppen i filen är i kronor, tusental kronor (tkr) eller "
                    "miljoner kronor (mkr)."
                )
            else:
                settings = Settings.of(
                    org,
                    kind,
                    year,
                    unit,
                    mapping,
                    stated_month=month,
                    stated_date=forecast_date,
                    left_out=ui.left_out(),
                )
                result = ui.check(
                    raw, settings, catalogue, query("upl_upload_by_sha", sha256=raw.sha256)
                )
                st.subheader("Kontroll")
                ui.show_check_notes(result)
                ui.show_skipped(result)
                if result.ok:
                    ui.show_preview(result, catalogue, loaded)
                    mode = ui.choose_mode(
                        result, catalogue, query("upl_current_rows", org_id=org, kind=kind)
                    )
                    ui.confirm(raw, data, result, actor, mode)
                else:
                    ui.name_choices(org, result, catalogue, actor)
                    ui.show_problems(result.problems, catalogue)

with history_tab:
    ui.history(history, loaded)
    if not history.is_empty():
        st.divider()
        ui.undo_restore(org, history, actor)
        st.divider()
        ui.original_download(history)
