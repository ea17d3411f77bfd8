"""A minimal Streamlit app for the benchmark: one slider in a fragment with N lines.

Moving its slider reruns only the fragment, which redraws ``?n=`` markdown lines. The
benchmark times that in the browser to show what a fragment rerun costs in this
Streamlit build on this machine before any of Budgetrummet's own work: the floor under
the Scenarier page's slider time.
"""

import streamlit as st  # noqa: TID251  (a Streamlit script of the benchmark)

try:
    lines = max(1, min(int(st.query_params.get("n", "10")), 1000))
except ValueError:
    lines = 10


@st.fragment
def view() -> None:
    value = st.slider("Värde", 0, 50, key="v")
    for i in range(lines):
        st.markdown(f"Rad {i}: {value}")


view()
