"""Scenarier's frame: where the lever tabs, key numbers, chart and tables sit, and the
fragment (``live_view``) that redraws them at a slider's move (see ``ui.scenarios``)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from budgetrummet import scenarios as sc
from budgetrummet.ui import scenario_levers as levers
from budgetrummet.ui import scenario_saved as sharing
from budgetrummet.ui import scenario_tables as outputs
from budgetrummet.ui.scenarios import (
    LEVER_TABS,
    Keys,
    current_params,
    params_from_state,
    problem_list,
    sync_url,
)


@dataclass(frozen=True)
class Slots:
    """Where the fragment draws: containers the full run lays out around it."""

    top: DeltaGenerator  # messages and key numbers
    requirement: DeltaGenerator  # the "Krav" tab
    index: DeltaGenerator  # the "Index" tab
    chart: DeltaGenerator
    tables: DetailSlots | None  # everything below that follows the levers (None: meeting)


@dataclass(frozen=True)
class DetailSlots:
    """The parts below the chart that show the levers' result: the tables and charts
    under "Per år" …, the description of the levers to save, the comparison and the
    share link. The fragment draws them after the key numbers and the chart, so a
    slider's first figures reach the screen no later than before, and nothing on the
    page shows other levers than the sliders."""

    per_year: DeltaGenerator | None  # None: the tab is closed (not drawn)
    per_line: DeltaGenerator | None
    result: DeltaGenerator | None
    save_caption: DeltaGenerator
    compare: DeltaGenerator
    share: DeltaGenerator


def scenario_view(b: sc.Baseline, meeting: bool) -> None:
    """The page below its title: levers, key numbers and chart (live), then the rest."""
    top = st.container()
    if meeting:
        chart = st.container()
        with st.expander("Reglage", expanded=False):
            tabs = st.tabs(LEVER_TABS)
    else:
        left, chart = st.columns([1, 2], gap="large")
        with left:
            tabs = st.tabs(LEVER_TABS)
    with tabs[1]:
        levers.index_caption(b)
    tables = None
    if not meeting:
        per_year, per_line, result = outputs.details_layout(b)
        save_caption, compare, share = sharing.saved_layout(b)
        tables = DetailSlots(per_year, per_line, result, save_caption, compare, share)
    live_view(b, meeting, Slots(top, tabs[0], tabs[1], chart, tables))
    with top:
        outputs.key_notes(b, notes=not meeting)
    with tabs[0]:
        levers.exemption_input(b)
    with tabs[2]:
        levers.risk_inputs(b)
    with tabs[3]:
        levers.others_panel(b)


@st.fragment
def live_view(
    b: sc.Baseline, meeting: bool, slots: Slots
) -> tuple[sc.ScenarioParams, sc.ScenarioResult]:
    """Sliders, key numbers and the net cost chart: all that reruns when a slider moves.

    Returns the levers in use and their result (to the full run; a fragment rerun's
    return value is not used).
    """
    k = Keys(b.org_id)
    with slots.requirement:
        levers.requirement_sliders(b)
    with slots.index:
        levers.index_sliders(b)
    params, problems = params_from_state(b)
    result = None
    if params is not None:
        try:
            result = sc.compute(b, params)
        except sc.ScenarioInputError as exc:
            problems += exc.problems
            params = None
    if params is None or result is None:
        params = current_params(b)
        result = sc.compute(b, params)
    else:
        st.session_state[k.levers] = sc.params_to_mapping(b, params)
    sync_url(b, params, meeting)
    with slots.top:
        if problems:
            st.error(
                "Ändringen används inte – siffrorna visar de senaste giltiga reglagen.\n\n"
                + problem_list(problems)
            )
        outputs.key_numbers(b, result, own_others=bool(params.other_boards))
    with slots.chart:
        outputs.plot(outputs.net_chart(b, result, meeting), "scen_net_chart")
    if slots.tables is not None:
        outputs.details(b, result, slots.tables)
        sharing.saved_live(b, params, result, slots.tables)
    return params, result
