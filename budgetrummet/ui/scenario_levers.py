"""Scenarier's lever panel: the sliders (drawn by the live fragment), exemptions, cost
risks and other boards' assumptions (drawn by the full run; changing one reruns the page)."""

from __future__ import annotations

import streamlit as st

from budgetrummet import fmt
from budgetrummet import scenarios as sc
from budgetrummet.presenters import scenarios as pr
from budgetrummet.ui.scenarios import (
    _SIGNED_TENTHS,
    _TENTHS,
    INDEX_STEPS,
    REQUIREMENT_STEPS,
    Keys,
    _amount,
    _plain,
)


def requirement_sliders(b: sc.Baseline) -> None:
    """One slider per year: the efficiency requirement in % of the frame (in the fragment)."""
    k = Keys(b.org_id)
    doc = b.documented
    for year in b.years:
        hint = (
            f"Dokumentet: {fmt.tkr(doc[year].amount)} = {fmt.percent(doc[year].percent)}"
            f" av {b.base_label}."
            if year in doc
            else "Dokumentet anger inget krav för året (0 %)."
        )
        st.select_slider(
            f"Effektiviseringskrav {b.year_labels[year]}, % av {b.base_label}",
            options=REQUIREMENT_STEPS,
            format_func=_TENTHS.__getitem__,
            key=k.req(year),
            help=hint,
        )


def index_sliders(b: sc.Baseline) -> None:
    """One slider per year: the change of the price and wage level (in the fragment)."""
    k = Keys(b.org_id)
    for year in b.years:
        st.select_slider(
            f"Pris- och löneindex {b.year_labels[year]}",
            options=INDEX_STEPS,
            format_func=_SIGNED_TENTHS.__getitem__,
            key=k.idx(year),
        )


def index_caption(b: sc.Baseline) -> None:
    st.caption(pr.index_note(b))


def exemption_input(b: sc.Baseline) -> None:
    """Lines exempted from the requirement (under the sliders; a change reruns the page)."""
    names = b.line_labels()
    st.multiselect(
        "Undantas från kravet",
        options=b.carrying_keys(),
        format_func=lambda key: (
            names[key] + (f" ({b.joint_notes[key]})" if key in b.joint_notes else "")
        ),
        key=Keys(b.org_id).exempt,
        select_all=False,  # Streamlit's "Select all" entry is English
        placeholder="Alla verksamheter bär kravet",
        help=(
            "Rader nämnden inte kan påverka, t.ex. avgifter till förbund. Kravet fördelas "
            "då på övriga rader i proportion till deras nettokostnad."
        ),
    )


def risk_inputs(b: sc.Baseline) -> None:
    """Each named cost risk: its printed text, a suggested amount, amount and years."""
    k = Keys(b.org_id)
    if not b.risks:
        st.info("Dokumentet namnger inga kostnadsrisker med belopp.")
    for risk in b.risks:
        with st.container(border=True):
            st.markdown(f"**{risk.label}**")
            if risk.text:
                st.caption(f"”{risk.text}” (dokumentet, rad {risk.source_line})")
            if risk.note:
                st.caption(risk.note)
            if risk.suggestion is not None:
                st.caption(risk.suggestion_note)
                st.button(
                    f"Använd {_amount(b, risk.suggestion)}",
                    key=f"{k.risk(risk.key)}_forslag",
                    on_click=_use_suggestion,
                    args=(b.org_id, risk.key, _plain(b, risk.suggestion)),
                )
            st.text_input(
                f"Belopp per år, {b.unit}",
                key=k.risk(risk.key),
                placeholder="0",
                help="Tomt eller 0 = risken räknas inte med.",
            )
            st.multiselect(
                "År", options=list(b.years), key=k.risk_years(risk.key), select_all=False
            )


def _use_suggestion(org_id: str, risk_key: str, text: str) -> None:
    st.session_state[Keys(org_id).risk(risk_key)] = text


def others_panel(b: sc.Baseline) -> None:
    k = Keys(b.org_id)
    if b.finance is None or b.goal_percent is None:
        st.info(
            "Dokumentet saknar skatteintäkter och generella statsbidrag, så kommunens "
            "resultat kan inte räknas. Förändringen av nettokostnaden slår igenom krona för "
            "krona på resultatet."
        )
        return
    st.caption(
        "Övriga nämnders nettokostnad finns inte i dokumenten. Antagandet är att kommunens "
        f"budget precis når resultatmålet {fmt.percent(b.goal_percent)} i planen; då blir "
        "övriga nämnders nettokostnad det belopp som står nedan."
    )
    st.toggle("Ange egna antaganden", key=k.others_on)
    own = bool(st.session_state.get(k.others_on))
    for year in b.years:
        st.text_input(
            f"Övriga nämnders nettokostnad {b.year_labels[year]}, {b.unit}",
            key=k.others(year),
            disabled=not own,
            help="Som i dokumenten: en nettokostnad skrivs med minustecken.",
        )
