"""Översikt: the manager's one screen — budget, goals, investments, result goal, freshness."""

import streamlit as st

from budgetrummet import clock, drift, finance, fmt, investments, overview, vocab
from budgetrummet.ui import overview as ov_ui
from budgetrummet.ui.goals import LIGHT_MD, doc_short_name
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
st.header(f"Översikt – {current_org_name()}")

data = ov_ui.load(org)
figs, documents = data.figs, data.documents
ov_ui.big_screen_style()
top = st.columns(3)
bottom = st.columns(3)
arrow = ":material/arrow_forward:"

with top[0].container(border=True, height="stretch", key="ov_tile_1"):
    tile = overview.budget_tile(figs, documents)
    if tile is None:
        st.markdown("**Budget i år**")
        st.info(f"Ingen budget är inläst för {current_org_name()}.")
    elif tile.forecast is not None and tile.outcome_label:
        st.markdown(f"**Nettokostnad {tile.year}: utfall mot budget**")
        st.metric(tile.outcome_label, fmt.with_unit(tile.forecast, tile.unit))
        st.markdown(
            f"Avvikelse **{fmt.with_unit(tile.deviation, tile.unit)}** "
            f"({fmt.percent(tile.deviation_pct, 1, signed=True)}) mot "
            f"{tile.budget_label} {fmt.with_unit(tile.budget, tile.unit)}"
        )
    elif tile.forecast is not None:
        st.markdown(f"**Nettokostnad {tile.year}: prognos mot budget**")
        st.metric(f"Helårsprognos per {tile.as_of}", fmt.with_unit(tile.forecast, tile.unit))
        st.markdown(
            f"Avvikelse **{fmt.with_unit(tile.deviation, tile.unit)}** "
            f"({fmt.percent(tile.deviation_pct, 1, signed=True)}) mot "
            f"{tile.budget_label.lower()} {fmt.with_unit(tile.budget, tile.unit)}"
        )
    else:
        st.markdown(f"**Nettokostnad {tile.year}**")
        st.metric(
            tile.budget_label, fmt.with_unit(tile.budget, tile.unit, vocab.decimals(tile.unit))
        )
        earlier = overview.latest_forecast(figs)
        if earlier is not None and earlier.year < tile.year:
            st.caption(
                f"Ingen prognos eller utfall för {tile.year} i underlaget ännu. Senaste "
                f"prognos gäller {earlier.year}: {fmt.with_unit(earlier.forecast, earlier.unit)} "
                f"per {earlier.as_of}, avvikelse {fmt.with_unit(earlier.deviation, earlier.unit)} "
                f"mot {earlier.budget_label.lower()}."
            )
        else:
            st.caption(f"Ingen prognos eller utfall för {tile.year} i underlaget ännu.")
    if tile is not None:
        uploaded = overview.uploaded_for_year(ov_ui.loaded_periods(org), tile.year)
        if uploaded:
            st.caption(uploaded)
        note = drift.budget_age_note(tile.year, clock.today().year)
        if note:
            st.warning(note)
    st.page_link("views/drift.py", label="Driftbudget", icon=arrow)

with top[1].container(border=True, height="stretch", key="ov_tile_2"):
    st.markdown("**Mål**")
    if not data.goal_sets:
        st.info("Inga mål med trafikljus: dokumenten anger prioriterade inriktningar.")
    for s in data.goal_sets:
        counts = " ".join(f"{LIGHT_MD[light]}\u00a0**{s.counts[light]}**" for light in vocab.LIGHTS)
        st.markdown(f"{doc_short_name(s.doc_id, s.doc_title)}  \n{counts}")
        for w in s.worst:
            if w.light in (vocab.RED, vocab.YELLOW):
                st.markdown(
                    f"{LIGHT_MD[w.light]} {overview.shorten(w.label, 48)}", help=w.calculation
                )
    st.page_link("views/goals.py", label="Mål", icon=arrow)

with top[2].container(border=True, height="stretch", key="ov_tile_3"):
    st.markdown("**Största överskridanden, hela projekttiden**")
    largest = investments.largest_overruns(data.life, 3)
    if largest.is_empty():
        st.info("Ingen uppföljning av investeringsprojekt i underlaget.")
    else:
        st.markdown(
            "\n".join(
                f"{r['rank']}. {r['project']}: **{fmt.tkr(r['life_deviation'])}** "
                f"({fmt.percent(r['overrun_pct'], 1) if r['overrun_pct'] is not None else '–'})"
                for r in largest.iter_rows(named=True)
            )
        )
        st.caption(f"Prognos per {largest['as_of'][0]} mot total projektbudget.")
    st.page_link("views/investments.py", label="Investeringar", icon=arrow)

with bottom[0].container(border=True, height="stretch", key="ov_tile_4"):
    st.markdown("**Finansiella mål**")
    result_goal = overview.result_goal(data.fin)
    ratio = finance.ratio_goals(data.fin)
    if result_goal is not None:
        st.markdown(
            f"Resultatmål {result_goal.year}: {fmt.percent(result_goal.percent, 1)} av skatter "
            f"och statsbidrag = **{fmt.tkr(result_goal.goal_tkr)}**"
        )
        st.caption("Bedöms inte: övriga nämnders nettokostnad saknas i dokumenten.")
    for g in ratio:
        st.markdown(f"{LIGHT_MD[g.status]} {g.name}")
    if result_goal is None and not ratio:
        st.info("Inga finansiella mål i underlaget.")
    st.page_link("views/finance.py", label="Finansförvaltning", icon=arrow)

with bottom[1].container(border=True, height="stretch", key="ov_tile_5"):
    st.markdown("**Underlagets färskhet**")
    fresh = overview.freshness(documents, data.uploads)
    if fresh is None:
        st.info("Inga källdokument för organisationen.")
    else:
        st.markdown(f"Senaste dokument: {fresh.latest_title} (**{fresh.latest_date}**)")
        if fresh.latest_upload:
            st.markdown(f"Senaste uppladdning: **{fresh.latest_upload}** ({fresh.uploads} st)")
        else:
            st.caption(f"{fresh.documents} källdokument. Inget utfall uppladdat ännu.")

with bottom[2].container(border=True, height="stretch", key="ov_tile_6"):
    st.markdown("**Datakvalitet**")
    contradictions = overview.contradictions(data.recon)
    st.markdown(f"Motsägelser i källorna: **{contradictions}** av {data.recon.height} kontroller")
    st.page_link("views/data_quality.py", label="Datakvalitet", icon=arrow)
