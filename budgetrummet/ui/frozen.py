"""Scenarier: freeze the current scenario "as presented", and reopen a frozen one.

Freezing stores the document the page would print (``ui.minutes.scenario_document``)
through ``budgetrummet.frozen`` (checked and audited there). Reopening draws that stored
document, not a recomputation: after new data the figures stay as they were presented,
and the data version says which data they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from budgetrummet import access, fmt, frozen, store
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.charts import CHART_CONFIG
from budgetrummet.fmt import person
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.auth import current_actor
from budgetrummet.ui.data import derived
from budgetrummet.writes import frozen as frozen_writes

NAME_KEY = "scen_frys_namn"
CHOSEN_KEY = "scen_frys_vald"
MESSAGE_KEY = "scen_frys_meddelande"


def _freeze(org_id: str, document: Callable[[], tuple[str, mn.Minutes]]) -> None:
    """Button callback: store the document of the levers in use under the typed name."""
    ss = st.session_state
    params_json, doc = document()
    try:
        frozen_id = frozen_writes.freeze(
            org_id, ss.get(NAME_KEY, ""), params_json, doc, current_actor()
        )
    except (sc.ScenarioInputError, access.AccessDeniedError) as exc:
        ss[MESSAGE_KEY] = ("error", f"Scenariot frystes inte: {exc}")
        return
    ss[NAME_KEY] = ""
    ss[CHOSEN_KEY] = frozen_id
    ss[MESSAGE_KEY] = ("success", "Scenariot är fryst som presenterat.")


def section(org_id: str, document: Callable[[], tuple[str, mn.Minutes]]) -> None:
    """Freeze (name + button) and the frozen scenarios of the organisation.

    ``document`` returns the levers (JSON) and the document of the scenario in use; it
    is called only when the button is pressed."""
    ss = st.session_state
    st.markdown("**Frys som presenterat**")
    st.caption(
        "Sparar scenariot exakt som det visas nu – reglage, nyckeltal, tabeller och "
        "diagram – med tidpunkt och dataversion. Det öppnas likadant även när nya "
        "uppgifter har kommit in."
    )
    message = ss.pop(MESSAGE_KEY, None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input("Namn på det frysta scenariot", key=NAME_KEY, max_chars=sc.NAME_MAX)
        st.button(
            "Frys scenariot",
            key="scen_frys",
            on_click=_freeze,
            args=(org_id, document),
            icon=":material/ac_unit:",
        )
    frozen_rows = frozen_writes.list_frozen(org_id)
    if frozen_rows.is_empty():
        st.caption("Inga frysta scenarier för organisationen ännu.")
        return
    ids = frozen_rows["frozen_id"].to_list()
    labels = {
        r["frozen_id"]: (
            f"{r['name']} – fryst {fmt.iso_date(r['frozen_at'])} av {person(r['frozen_by'])}"
        )
        for r in frozen_rows.iter_rows(named=True)
    }
    if ss.get(CHOSEN_KEY) not in ids:
        ss[CHOSEN_KEY] = ids[0]
    chosen = st.selectbox(
        "Öppna ett fryst scenario", options=ids, format_func=labels.__getitem__, key=CHOSEN_KEY
    )
    row = frozen_rows.filter(pl.col("frozen_id") == chosen).row(0, named=True)
    try:
        doc = frozen.document_from_json(row["document_json"])
    except (ValueError, KeyError) as exc:
        st.error(f"Det frysta scenariot kan inte läsas: {exc}")
        return
    with st.expander(labels[chosen], expanded=True):
        show(doc)
        data_as_presented(org_id, row)
        minutes_ui.download(
            lambda: doc,
            key="scen_frys_pdf",
            name_hint=("fryst-scenario", doc.organisation),
            help="Det frysta scenariot som A4-dokument, exakt som det presenterades.",
        )


def show(doc: mn.Minutes) -> None:
    """A stored document as it was: its texts, tables and charts, nothing recomputed."""
    published = fmt.iso_date(doc.data.published) if doc.data.published else "okänd tid"
    st.caption(
        f"Fryst {fmt.iso_date(doc.made_at)} av {person(doc.made_by)} · dataversion {doc.data.id} "
        f"(publicerad {published}). Siffrorna är de som visades då."
    )
    for i, part in enumerate(doc.sections):
        st.markdown(f"**{part.heading}**")
        for line in part.lines:
            st.text(line)
        for table in part.tables:
            frame = pl.DataFrame(
                [list(r) for r in table.rows], schema=list(table.columns), orient="row"
            )
            st.dataframe(frame, hide_index=True, width="stretch")
        for j, chart in enumerate(part.charts):
            st.plotly_chart(
                go.Figure(chart.figure),
                theme=None,
                config=CHART_CONFIG,
                key=f"scen_frys_chart_{i}_{j}",
            )


def data_as_presented(org_id: str, row: dict) -> None:
    """After new data: the frozen scenario's baseline from the tables as they were when it
    was frozen (the versions stored with it), on request."""
    snapshot = frozen.snapshot_from_json(row["document_json"])
    if snapshot is None or not frozen.data_changed(snapshot):
        return
    when = fmt.iso_date(row["frozen_at"])
    st.caption("Uppgifterna har ändrats sedan scenariot frystes; siffrorna ovan är de som visades.")
    if not st.toggle(
        f"Visa grunddata som den var {when}", key=f"scen_frys_data_{row['frozen_id']}"
    ):
        return
    baseline = _baseline_then(org_id, row["params_json"], snapshot, str(store.data_dir()))
    if baseline is None:
        st.info(
            f"Data som den var {when} finns inte längre kvar i lagret (äldre versioner "
            "rensas enligt lagrets regler). Det frysta dokumentet ovan gäller."
        )
        return
    st.markdown(f"**Grunddata, data som den var {when}**")
    st.dataframe(frozen.totals_table(baseline), hide_index=True, width="stretch")


def _baseline_then(org_id: str, params_json: str, snapshot: store.Snapshot, root: str):
    # Fixed versions never change: one computation per frozen scenario, kept in the one
    # query cache.
    return derived(
        "frozen_baseline",
        lambda: frozen.baseline_as_of(org_id, params_json, snapshot, Path(root)),
        org_id=org_id,
        params_json=params_json,
        versions=tuple(sorted(snapshot.versions.items())),
        audit_version=snapshot.audit_version,
        seed=snapshot.seed_sha256,
    )
