"""Mål: every goal with its målområde, target, outcome, traffic light, trend and comment;
the council's strategic goals above the nämndmål they serve; the follow-up calendar and
the assessments of activity goals; Lerum's priorities and indicator table."""

import streamlit as st

from budgetrummet import goal_attention, goals
from budgetrummet.ui import goals as ui
from budgetrummet.ui.data import query
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.ui.tables import arrow

org = current_org()
st.title(f"Mål – {current_org_name()}")
st.caption(
    "Målen som de står i dokumenten. Färgen räknas fram ur mål och utfall där målet har "
    "mått, och sätts av en behörig person där målet är en aktivitet. Varje färg och pil "
    "kan visa sin beräkning."
)

goal_rows = query("goal_list", org_id=org)
board = ui.load_board(org)
if board.is_empty():
    st.info("Inga mål är inlästa för den här organisationen.")
    st.stop()

# First what needs attention, across the organisation's documents; the day the
# calendar counts from is chosen further down (its widget state is read here).
history = query("goal_status_history", org_id=org)
today = ui.as_of_value()
superseded = goals.superseded_documents(goal_rows.select("doc_id", "doc_type", "doc_date"))
calendar_all = goals.followup_calendar(goal_rows, history, today, superseded)
periods = goal_attention.document_periods(board)
docs = board.unique("doc_id", keep="first", maintain_order=True)
doc_labels = {
    r["doc_id"]: ui.doc_label(r, periods, r["doc_id"] in superseded)
    for r in docs.iter_rows(named=True)
}
ui.render_attention(
    goal_attention.attention(board, calendar_all),
    doc_labels,
    today,
    goals.count_in_state(calendar_all, goals.SUPERSEDED),
    has_lights=board["light"].is_not_null().any() or not calendar_all.is_empty(),
)

st.subheader("Alla mål")
doc_names = {
    r["doc_id"]: f"{doc_labels[r['doc_id']]} – {ui.DOC_KIND_LABELS[r['kind']]}"
    for r in docs.iter_rows(named=True)
}
if len(doc_names) > 1:
    doc_id = st.radio(
        "Dokument",
        options=list(doc_names),
        format_func=doc_names.__getitem__,
        horizontal=True,
        key=ui.KEY_DOC,
    )
else:
    doc_id = next(iter(doc_names))
    st.markdown(f"**{doc_names[doc_id]}**")

board_doc = goals.of_document(board, doc_id)
rows_doc = goals.of_document(goal_rows, doc_id)
kf = goals.of_document(query("goal_kf_list", org_id=org), doc_id)
findings = goals.of_document(query("goal_findings", org_id=org), doc_id)
kinds = set(board_doc["kind"])

if kinds != {goals.PRIORITY}:
    ui.render_counts(board_doc)
    ui.render_rules()

indicators = goals.evaluate_indicators(
    goals.of_document(query("goal_indicator_list", org_id=org), doc_id)
)
if goals.MEASURED in kinds:
    ui.render_measured(board_doc, rows_doc, indicators, kf, findings)

if goals.ACTIVITY in kinds:
    calendar = goals.of_document(calendar_all, doc_id)
    ui.render_calendar(
        calendar,
        today,
        dict(zip(board_doc["goal_key"], board_doc["label"], strict=True)),
        doc_labels[doc_id],
    )
    ui.render_status_form(org, board_doc, rows_doc, calendar)
    ui.render_activity(board_doc, rows_doc, history, calendar, kf, findings)

if goals.PRIORITY in kinds:
    ui.render_indicator_series(
        goals.of_document(query("goal_indicator_series", org_id=org), doc_id)
    )
    ui.render_priorities(board_doc, rows_doc)

with st.expander("Alla mål och mått i dokumentet som tabell"):
    st.dataframe(arrow(ui.board_table(board_doc)), hide_index=True, width="stretch")
    if not indicators.is_empty():
        st.dataframe(arrow(ui.indicator_table(indicators)), hide_index=True, width="stretch")
