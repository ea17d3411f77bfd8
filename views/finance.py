"""Finansförvaltning: where the money comes from and goes, the trend, the financial goals."""

import streamlit as st

from budgetrummet import finance, fmt
from budgetrummet.charts import CHART_CONFIG
from budgetrummet.charts import finance as fin_charts
from budgetrummet.ui import finance as fin_ui
from budgetrummet.ui.data import query
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.ui.tables import arrow, excel_button

org = current_org()
st.title(f"Finansförvaltning – {current_org_name()}")
st.caption(
    "Skatteintäkter, generella statsbidrag, pensioner, avskrivningar och finansiella poster: "
    "vad som blir kvar till nämnderna, hur det utvecklas och hur de finansiella målen står "
    "sig. Alla belopp är tryckta siffror ur dokumenten; det som räknas fram eller antas står "
    "utskrivet."
)

tables = list(finance.ALL_TABLES)
figures = query("figures_by_tables", org_id=org, table_ids=tables)
findings = query("findings_by_tables", org_id=org, table_ids=tables)
sources = query("sources_for_org", org_id=org)
doc_names = dict(zip(sources["doc_id"].to_list(), sources["title"].to_list(), strict=True))
bodies = dict(zip(sources["doc_id"].to_list(), sources["body"].to_list(), strict=True))
worded = finance.worded_goals(query("fin_worded_goals", org_id=org))

choices = finance.periods(figures)
period = None
assumptions = finance.Assumptions()
board_name = bodies.get(finance.flow_document(figures) or "", "Nämnden")

# --- Where the money comes from and where it goes -------------------------------------
st.header("Varifrån pengarna kommer och vart de går")
if not choices:
    st.info(
        "Organisationens dokument innehåller ingen driftbudget för finansförvaltningen, så "
        "flödet från skatter och statsbidrag till nämnderna kan inte visas. "
        f"Dokument: {', '.join(doc_names.values()) or 'inga'}."
    )
else:
    period = fin_ui.period_selector(choices, finance.default_period(choices))
    assumptions = fin_ui.assumption_inputs(
        period, with_investments=finance.has_worded_goal(period, worded)
    )
    balance = finance.flow_balance(figures, period)
    year_findings = finance.findings_for(findings, period.year, finance.FINANCE_TABLES)
    flagged = not finance.serious(year_findings).is_empty()
    nodes, links = finance.flow_graph(
        figures, period, assumptions, board_name=board_name, flagged=flagged
    )
    st.plotly_chart(
        fin_charts.flow_sankey(nodes, links),
        theme=None,
        config=CHART_CONFIG | {"displayModeBar": False},
        key="fin_sankey",
    )
    switching = finance.sign_changes(figures)
    st.caption(
        f"{period.label}. Grönt kommer in till finansförvaltningen, rött går ut, blått är "
        f"{board_name.lower()}s nettokostnad. Poster med beloppet noll visas inte i bilden men "
        "står i tabellen. En post byter sida när dess tecken byter"
        + (f" (mellan åren: {', '.join(switching)})." if switching else ".")
        + (
            " Gult är ditt antagande om övriga nämnder."
            if assumptions.other_boards_net_cost is not None
            else ""
        )
    )
    cols = st.columns(3)
    cols[0].metric("In till finansförvaltningen", fmt.tkr(balance.inflows))
    cols[1].metric("Ut från finansförvaltningen", fmt.tkr(balance.outflows))
    cols[2].metric(
        "Netto till nämnderna (tryckt summa)",
        fmt.tkr(balance.printed_total),
        help="Tabellens tryckta Summa. In − ut är summan av de tryckta raderna.",
    )
    if balance.printed_figures_agree:
        st.success(
            f"In − ut = {fmt.tkr(balance.line_sum)}, samma som den tryckta summan.",
            icon=":material/check:",
        )
    else:
        st.warning(
            f"**Källan säger emot sig själv för {period.label}.** De tryckta raderna "
            f"summerar till {fmt.tkr(balance.line_sum)} (det är flödet i bilden), men "
            f"tabellens Summa är tryckt {fmt.tkr(balance.printed_total)} och "
            f"sammanställningens Nettokostnad {fmt.tkr(balance.printed_net)}. Alla tre "
            "visas; ingen siffra har rättats.",
            icon=":material/warning:",
        )
        fin_ui.quality_link()
    for f in finance.side_notes(findings, period.year).iter_rows(named=True):
        st.caption(
            f"Datakvalitet, {f['table_title']} · {f['line_label']} · {f['column_label']}: "
            f"{f['klass']} – tryckt {fmt.tkr(f['reported'])}, beräknat "
            f"{fmt.tkr(f['computed'])}."
        )
    with st.expander(f"Posterna {period.label} som tryckta"):
        lines = finance.flow_lines(figures, period)
        st.dataframe(arrow(fin_ui.flow_table(lines)), hide_index=True, width="stretch")
        excel_button(
            fin_ui.flow_raw(lines),
            f"finansforvaltning_{org}_{period.year}",
            key="fin_flow_xlsx",
        )
        st.caption(f"Källa: {doc_names.get(period.doc_id, period.doc_id)}.")

# --- The trend ------------------------------------------------------------------------
if choices:
    st.header("Utveckling")
    trend = finance.trend(figures, findings, board_name=board_name)
    mode = st.radio(
        "Visa",
        options=["belopp", "index"],
        format_func={"belopp": "Belopp, tkr", "index": "Index (första året = 100)"}.get,
        horizontal=True,
        key="fin_trend_mode",
    )
    shown = trend.with_columns(
        text=trend["value"].map_elements(fmt.tkr, return_dtype=str)
        if mode == "belopp"
        else trend["index"].map_elements(lambda v: fmt.number(v, 1), return_dtype=str)
    )
    st.plotly_chart(
        fin_charts.trend_chart(
            shown,
            "column_label",
            "value" if mode == "belopp" else "index",
            "series_label",
            text="text",
            y_title="tkr" if mode == "belopp" else "index",
        ),
        theme=None,
        config=CHART_CONFIG | {"displayModeBar": False},
        key="fin_trend",
    )
    st.dataframe(arrow(finance.trend_table(trend)), hide_index=True, width="stretch")
    excel_button(finance.trend_raw(trend), f"finansutveckling_{org}", key="fin_trend_xlsx")
    st.markdown("**Förändring i procent**")
    st.dataframe(arrow(finance.growth_table(trend)), hide_index=True, width="stretch")
    st.caption(
        "Belopp utan tecken, så att en ökning alltid är en ökning (kostnaderna är tryckta "
        "med minustecken). Skatteintäkter och generella statsbidrag är summan av två tryckta "
        "rader; övriga serier är tryckta summor. Första året är bokslut (utfall), övriga "
        "budget och plan. ⚠ = källan säger emot sig själv det året."
    )

# --- Financial goals ------------------------------------------------------------------
st.header("Finansiella mål")
goals = []
if period is not None:
    result_goal = finance.result_goal_assessment(figures, period, assumptions, doc_names=doc_names)
    self_financing = finance.self_financing_assessment(
        figures, period, assumptions, doc_names=doc_names, worded=worded
    )
    goals += [g for g in (result_goal, self_financing) if g is not None]
ratio_goals = finance.ratio_goals(figures, doc_names=doc_names)
if not goals and not ratio_goals:
    st.info("Organisationens dokument anger inga finansiella mål med siffror.")
for goal in [*goals, *ratio_goals]:
    fin_ui.goal_card(goal)
if any(goal.notes for goal in ratio_goals):
    fin_ui.quality_link("Rättelsen av årtalet finns på Datakvalitet")

# --- What the sources cannot tell -----------------------------------------------------
st.header("Det källorna inte säger")
for line in finance.unknowns(figures, board_name=board_name, worded=worded):
    st.markdown(f"- {line}")
if period is not None and assumptions.other_boards_net_cost is not None:
    st.markdown(
        f"- Du har antagit att övriga nämnder kostar "
        f"{fmt.tkr(assumptions.other_boards_net_cost)} {period.label}. Resultat och ljus som "
        "bygger på det är markerade som beräknade med antagandet."
    )
