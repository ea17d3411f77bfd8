"""A minimal Streamlit app for the benchmark: one slider in a fragment with N lines.

Moving its slider reruns only the fragment, which redraws ``?n=`` markdown lines. The
benchmark times that in the browser to show what a fragment rerun costs in this
Streamlit build on this machine before any of Budgetrummet's own work: the floor under
the Scenarier page's slider time. With ``?chart=1`` the fragment also redraws a small
Plotly line chart (as the Scenarier fragment does), so the floor includes drawing one.
"""

import streamlit as st  # noqa: TID251  (a Streamlit script of the benchmark)

try:
    lines = max(1, min(int(st.query_params.get("n", "10")), 1000))
except ValueError:
    lines = 10
chart = st.query_params.get("chart") == "1"


@st.fragment
def view() -> None:
    value = st.slider("Värde", 0, 50, key="v")
    for i in range(lines):
        st.markdown(f"Rad {i}: {value}")
    if chart:
        import plotly.graph_objects as go

        fig = go.Figure(go.Scatter(x=["2025", "2026", "2027", "2028"], y=[1, 2, value, 4]))
        st.plotly_chart(fig, theme=None, key="floor_chart")


view()
