"""Datakvalitet: the sources, what was transcribed, every reconciliation finding, the errata."""

import streamlit as st

from budgetrummet import fmt, quality
from budgetrummet.ui.data import query
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.ui.tables import arrow
from budgetrummet.vocab import CLASS_ORDER, CONTRADICTION, ERRATUM, OK, ROUNDING

org = current_org()
st.title(f"Datakvalitet – {current_org_name()}")
st.caption(
    "Varje siffra i Budgetrummet är hämtad ur ett källdokument precis som den är tryckt. "
    "Här syns källorna, alla kontroller av summor och samband, och de rättelser (errata) "
    "som görs öppet i stället för att siffror ändras i tysthet."
)

recon = query("reconciliation_for_org", org_id=org)
sources = query("sources_for_org", org_id=org)
names = quality.doc_names(sources)
counts = quality.class_counts(recon)
cols = st.columns(4)
cols[0].metric("Motsägelser", counts[CONTRADICTION], help="Källan säger emot sig själv.")
errata = query("errata_for_org", org_id=org)
cols[1].metric(
    "Förklaras av erratum",
    counts[ERRATUM],
    help=(
        "Summa- och sambandskontroller vars differens förklaras av ett tryckfel som rättats "
        f"öppet. Alla errata för organisationen, också de som inte rör en summa: {errata.height} "
        "st, under Errata nedan."
    ),
)
cols[2].metric("Avrundningar", counts[ROUNDING], help="Högst en halv enhet per ingående siffra.")
cols[3].metric("Stämmer", counts[OK], help="Kontroller utan någon differens.")

st.subheader("Avstämning")
labels = quality.CLASS_LABELS
chosen = st.multiselect(
    "Visa klasser",
    options=list(CLASS_ORDER),
    default=[CONTRADICTION, ERRATUM, ROUNDING],
    format_func=labels.__getitem__,
    key="dq_classes",
    select_all=False,  # Streamlit's "Select all" entry is English
)
table = quality.reconciliation_table(recon, chosen, names)
if table.is_empty():
    st.info("Inga kontroller i de valda klasserna för den här organisationen.")
else:
    st.dataframe(
        arrow(table),
        hide_index=True,
        width="stretch",
        column_config={
            "Var": st.column_config.TextColumn(width="large"),
            "Jämfört med": st.column_config.TextColumn(width="large"),
            "Underlag": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(
        f"{table.height} av {recon.height} kontroller visas. Differens = tryckt − beräknat. "
        "Rad i källan avser radnumret i dokumentets textversion under data/sources/."
    )

st.subheader("Errata")
if errata.is_empty():
    st.info("Inga errata för den här organisationens dokument.")
else:
    st.caption(
        "Uppenbara tryckfel rättas bara här, öppet: det tryckta värdet finns kvar i lagret "
        "bredvid det som används, och varje rättelse har en motivering."
    )
    for e in quality.errata_items(errata, names):
        with st.container(border=True):
            st.markdown(f"**{e['where']}**  \n{quality.shown_change(e['change'])}")
            st.caption(e["reason"])

st.subheader("Källor")
row_counts = query("table_row_counts", org_id=org)
for doc in sources.iter_rows(named=True):
    with st.expander(f"{doc['title']} ({doc['doc_date']})"):
        st.markdown(
            f"**Organ:** {doc['body']}  \n"
            f"**Fil:** `data/sources/{doc['file']}` (ursprungligen `{doc['original_file']}`)  \n"
            f"**Kontrollsumma (sha256):** `{doc['sha256']}`  \n"
            f"**Transkriberat:** {fmt.number(doc['figures'])} siffror i "
            f"{fmt.number(doc['tables'])} tabeller och textavsnitt"
        )
        st.dataframe(
            arrow(quality.source_tables(row_counts, doc["doc_id"])),
            hide_index=True,
            width="stretch",
        )
