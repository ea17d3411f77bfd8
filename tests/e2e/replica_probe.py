"""A minimal page for the replica test: the number of uploads of an organisation, read
through the app's own per-process query cache (``budgetrummet.ui.data``)."""

import streamlit as st

from budgetrummet.ui import data

st.button("Läs igen")
st.session_state["runs"] = st.session_state.get("runs", 0) + 1
org = st.query_params.get("org", "askersund")
seqs = sorted(data.query("upl_uploads_for_org", org_id=org)["seq"].to_list())
st.markdown(f"RUN={st.session_state['runs']} UPLOADS={len(seqs)} LAST={seqs[-1] if seqs else 0}")
