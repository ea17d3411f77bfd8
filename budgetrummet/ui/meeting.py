"""Meeting mode for the pages a committee shows on the projector (Driftbudget,
Investeringar): no sidebar, larger type, larger chart labels. One switch (widget key
``mote``) that stays on from page to page, beside the page's title."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from budgetrummet.charts import CHART_CONFIG
from budgetrummet.ui.scenarios import MEETING_CSS

KEY = "mote"
FONT_SIZE = 20  # chart text in meeting mode (15 otherwise, from the template)


def title(text: str) -> bool:
    """The page title with the meeting-mode switch beside it; True when it is on."""
    head, switch = st.columns([4, 1], vertical_alignment="bottom")
    head.title(text)
    on = switch.toggle(
        "Mötesläge",
        key=KEY,
        help="Större text och diagram, ingen sidopanel: för projektorn.",
    )
    if on:
        st.html(MEETING_CSS)
    return on


def plot(fig: go.Figure, key: str, **config: object) -> None:
    """A chart with the house template; larger labels in meeting mode."""
    if st.session_state.get(KEY):
        fig = go.Figure(fig)
        fig.update_layout(font={"size": FONT_SIZE})
        if fig.layout.height:
            fig.update_layout(height=int(fig.layout.height * 1.2))
    st.plotly_chart(fig, key=key, theme=None, config=CHART_CONFIG | config)
