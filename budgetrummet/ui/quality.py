"""Datakvalitet's loader and its parts: the page's queries (through the one query cache)
and the Streamlit layout of the errata, the sources and the Protokollsbilaga, fed by
``budgetrummet.presenters.quality``."""

from __future__ import annotations

import streamlit as st

from budgetrummet import fmt
from budgetrummet.presenters import quality as pr
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.data import derived, query
from budgetrummet.ui.tables import arrow

KEY_CLASSES = "dq_classes"
KEY_PDF = "dq_pdf"

# ---------------------------------------------------------------------------- loader


def load(org: str) -> pr.View:
    """Every frame the page shows, shaped by the presenter; built once per organisation
    and publication and kept in the one query cache (never changed after it is built)."""
    return derived(
        "quality_view",
        lambda: pr.view(
            recon=query("reconciliation_for_org", org_id=org),
            sources=query("sources_for_org", org_id=org),
            errata=query("errata_for_org", org_id=org),
            row_counts=query("table_row_counts", org_id=org),
            places=query("reconciliation_places", org_id=org),
            imported=query("imp_documents_for_org", org_id=org),
        ),
        org=org,
    )


# ---------------------------------------------------------------------------- layout


def reconciliation(v: pr.View, org: str) -> None:
    chosen = st.multiselect(
        "Visa klasser",
        options=list(pr.CLASS_LABELS),
        default=list(pr.DEFAULT_CLASSES),
        format_func=pr.CLASS_LABELS.__getitem__,
        key=KEY_CLASSES,
        select_all=False,  # Streamlit's "Select all" entry is English
    )
    # Built once per choice of classes and publication, in the one query cache.
    table = derived("quality_table", lambda: pr.table(v, chosen), org=org, classes=tuple(chosen))
    if table.is_empty():
        st.info("Inga kontroller i de valda klasserna för den här organisationen.")
        return
    st.dataframe(
        arrow(table),
        hide_index=True,
        width="stretch",
        column_config={
            "Var": st.column_config.TextColumn(width="large"),
            "Jämfört med": st.column_config.TextColumn(width="large"),
            pr.PLACE: st.column_config.TextColumn(width="medium"),
            "Underlag": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(pr.shown_caption(table.height, v.n_checks))


def errata(v: pr.View) -> None:
    if not v.errata:
        st.info("Inga errata för den här organisationens dokument.")
        return
    st.caption(
        "Uppenbara tryckfel rättas bara här, öppet: det tryckta värdet finns kvar i lagret "
        "bredvid det som används, och varje rättelse har en motivering."
    )
    for e in v.errata:
        with st.container(border=True):
            st.markdown(f"**{fmt.plain(e['where'])}**  \n{e['change']}")
            st.caption(fmt.plain(e["reason"]))


def sources(v: pr.View) -> None:
    for doc in v.sources:
        with st.expander(fmt.plain(doc.heading)):
            st.markdown("  \n".join(doc.facts))
            st.dataframe(arrow(doc.tables), hide_index=True, width="stretch")


def minutes_button(v: pr.View, org: str, org_name: str) -> None:
    minutes_ui.download(
        minutes_ui.lazy_page_document("Datakvalitet", org_name, lambda: pr.minutes_parts(v)),
        key=KEY_PDF,
        name_hint=("datakvalitet", org),
        help="Kontrollerna per klass, motsägelserna och errata med båda siffrorna och var "
        "de står, som A4-dokument med organisation och dataversion.",
    )
