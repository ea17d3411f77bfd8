"""Översikt: the manager's one screen — budget, goals, investments, result goal, freshness."""

import streamlit as st

from budgetrummet.ui import overview as ov_ui
from budgetrummet.ui.org import current_org, current_org_name

org, org_name = current_org(), current_org_name()
st.header(f"Översikt – {org_name}")

view = ov_ui.view_model(org, org_name)
ov_ui.big_screen_style()
numbered = list(enumerate(view.tiles, start=1))
for row in (numbered[:3], numbered[3:]):
    for column, (number, tile) in zip(st.columns(3), row, strict=True):
        with column:
            ov_ui.tile(tile, number)

ov_ui.minutes_button(view, org, org_name)
