"""Investeringar: every project's year and whole life, the ranked overruns, the portfolio
over the budget and plan years, with the source's contradictions marked."""

import streamlit as st

from budgetrummet import fmt
from budgetrummet import investments as inv
from budgetrummet import minutes as mn
from budgetrummet.charts.investments import deviation_chart, portfolio_chart
from budgetrummet.ui import meeting
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.data import query
from budgetrummet.ui.investments import legend, quality_link, read_all, text_table
from budgetrummet.ui.org import current_org, current_org_name

org = current_org()
meeting.title(f"Investeringar – {current_org_name()}")
data = read_all(org)
year_f, life_f, plan_f = data["inv_year"], data["inv_project_life"], data["inv_budget_plan"]
titles = dict(query("sources_for_org", org_id=org).select("doc_id", "title").iter_rows())

if not inv.has_investments(year_f, life_f, plan_f):
    documents = f" ({', '.join(titles.values())})" if titles else ""
    st.info(
        f"Ingen investeringsplan är inläst för {current_org_name()}: underlaget{documents} "
        "innehåller ingen investeringsredovisning och ingen investeringsbudget, så det finns "
        "inga investeringsprojekt att visa. Sidan fylls när ett dokument med investeringar "
        "för organisationen har lagts in."
    )
    st.stop()

findings = data["inv_findings"]
marks = inv.cell_marks(findings)
notes = inv.finding_notes(findings)
projects = inv.projects(
    year_f, life_f, plan_f, data["inv_texts"], findings, data["inv_key_matches"]
)
head = inv.headline(data["inv_statements"], year_f)
yr = head["year"] if head else None
bdoc = inv.budget_doc(plan_f)
order = inv.periods(plan_f.filter(doc_id=bdoc, table_id="inv_kategori"))
plan_only = projects.is_empty()
order = order or inv.plan_periods(plan_f)

source_bits = []
if head:
    source_bits.append(
        f"året {yr} och projekten: {titles.get(head['doc_id'], head['doc_id'])} "
        f"(utfall per {head['as_of']})"
    )
if bdoc and order:
    source_bits.append(f"{order[0]} – {order[-1]}: {titles.get(bdoc, bdoc)}")
st.caption(
    "Källor – "
    + "; ".join(source_bits)
    + ". Alla belopp i tkr som de är tryckta; utgifter har minustecken som i källan. "
    "Avvikelse = prognos − budget, så minus betyder dyrare än budget."
)

with_life = projects.filter(projects["life_deviation"].is_not_null())
if head:
    doc = head["doc_id"]
    total_notes = notes.get((doc, inv.PORTFOLIO_KEY), [])

    def headline_mark(version: str) -> str:
        mark = marks.get((doc, inv.PORTFOLIO_KEY, version, yr))
        return f" {mark}" if mark else ""

    cols = st.columns(5)
    cols[0].metric(f"Budget {yr}, justerad (tkr)", fmt.number(head["budget"]))
    cols[1].metric(
        f"Prognos {yr} (tkr)",
        fmt.number(head["prognos"]) + headline_mark("prognos"),
        help=" ".join(n for n in total_notes if "Prognos" in n) or None,
    )
    cols[2].metric(
        f"Avvikelse {yr} (tkr)",
        fmt.number(head["avvikelse"], signed=True) + headline_mark("avvikelse"),
        help="Prognos − budget för året. Plus betyder lägre utgift än budget i år – "
        "det säger inget om projektens totala kostnad.",
    )
    cols[3].metric(
        "Utfall hittills (tkr)",
        fmt.number(head["utfall"]) + headline_mark("utfall"),
        help=" ".join(
            [f"Utfall t.o.m. {head['as_of']}."] + [n for n in total_notes if "Utfall" in n]
        ),
    )
    cols[4].metric(
        "Projekt över total budget",
        f"{with_life['is_overrun'].sum()} av {with_life.height}",
        help="Projekt som delårsrapporten redovisar över hela projekttiden "
        "(total projektbudget och total prognos).",
    )

legend()
quality_link(org)

for row in projects.filter(reading=inv.SLIPPED_BUT_OVERRUN).iter_rows(named=True):
    st.warning(f"**{row['project']}:** {inv.reading_text(row, yr)}", icon=":material/schedule:")

tab_over, tab_year, tab_portfolio = st.tabs(
    [
        "Överskridanden över projekttiden",
        f"Alla projekt {yr}" if yr else "Alla projekt",
        f"Portfölj {order[0].split()[-1]}–{order[-1].split()[-1]}" if order else "Portfölj",
    ]
)

with tab_over:
    if plan_only:
        st.info(inv.plan_only_note(plan_f, titles.get(bdoc, bdoc or "")))
    else:
        by = st.radio(
            "Rangordna efter",
            options=list(inv.RANK_BY),
            format_func={"tkr": "Belopp (tkr)", "procent": "Andel av total budget (%)"}.get,
            horizontal=True,
            key="inv_rank",
        )
        ranked = inv.rank_overruns(projects, by)
        overrun_fig = deviation_chart(
            ranked,
            label="project",
            life="life_deviation",
            year="avvikelse",
            pct="overrun_pct",
            cause="cause",
            year_label=f"Avvikelse {yr} (mot årets budget)",
        )
        meeting.plot(overrun_fig, "inv_overrun_chart")
        overrun_rows = inv.overrun_table(projects, marks, yr, by)
        text_table(overrun_rows, key="inv_overrun_table")
        minutes_ui.download(
            minutes_ui.page_document(
                "Investeringar",
                current_org_name(),
                [
                    mn.Section(
                        "Överskridanden över projekttiden",
                        lines=["Källor: " + "; ".join(source_bits)] if source_bits else [],
                        tables=[minutes_ui.table_of(overrun_rows)],
                        charts=[mn.Chart(overrun_fig, 1000, 560)],
                    )
                ],
            ),
            key="inv_pdf",
            name_hint=("investeringar", org),
            help="Sidans huvudvy som A4-dokument: rangordningen och diagrammet, med "
            "organisation och dataversion.",
        )
        agree = with_life["life_deviation_agrees"].sum()
        disagree = with_life.filter(~with_life["life_deviation_agrees"])["project"].to_list()
        without_life = projects.height - with_life.height
        st.caption(
            "**Så räknas det.** Avvikelse hela projekttiden är den tryckta kolumnen ”Ack "
            "avvikelse projekt” = total projektprognos − total projektbudget "
            f"(stämmer för {agree} av {with_life.height} projekt"
            + (f"; avviker för {', '.join(disagree)}" if disagree else "")
            + "). Procent = avvikelsen delad med total projektbudget × 100, med avvikelsens "
            "tecken. Är den totala budgeten noll eller saknas den visas –, eftersom en andel "
            "av ingenting inte är definierad. "
            f"{without_life} projekt redovisas bara för året och kan inte bedömas över hela "
            "projekttiden; de finns under fliken Alla projekt."
        )

with tab_year:
    if plan_only:
        text_table(inv.portfolio_table(plan_f, marks), key="inv_plan_projects")
        st.caption(
            f"Planerade projekt och belopp per år som tryckta i {titles.get(bdoc, bdoc)}; "
            "summaraderna är de tryckta summorna."
        )
        for note in [n for (d, _key), ns in notes.items() if d == bdoc for n in ns]:
            st.caption(f"{inv.MARK_CONTRADICTION} {note}")
    if not plan_only:
        total = inv.year_total(year_f)
        text_table(
            inv.year_table(projects, total, marks, yr, total_notes if head else None),
            key="inv_year_table",
            raw=inv.year_raw(projects, total, yr),
            file_name=f"investeringar_{org}_{yr}",
        )
        st.caption(
            "Kategori enligt budgetdokumentet. Där namn eller nyckel skiljer sig mellan "
            "dokumenten matchas projekten med en uttrycklig, motiverad koppling; övriga namn "
            "i källorna står i egen kolumn."
        )
        items = inv.reinvestment_items(year_f)
        if items.height:
            plan_row = projects.filter(line_key=inv.itemised_project(year_f))
            with st.expander(f"Reinvesteringsplanens delposter ({items.height} st)"):
                printed = plan_row["utfall"][0] if plan_row.height else None
                st.markdown(
                    f"Tryckt rad: **{fmt.tkr(printed)}** utfall. "
                    f"Delposterna summerar till **{fmt.tkr(items['utfall'].sum())}** "
                    "(beräknat här, ersätter inte den tryckta raden)."
                )
                text_table(inv.reinvestment_table(items), key="inv_reinv_items")
        with st.expander("Delårsrapportens text om investeringar"):
            for t in data["inv_texts"].filter(kind="kommentar").iter_rows(named=True):
                st.markdown(f"> {t['text']}")
                st.caption(f"Rad {t['source_line']} i {titles.get(t['doc_id'], t['doc_id'])}")

with tab_portfolio:
    lines, totals = inv.category_series(plan_f)
    by_category = not lines.is_empty()
    if not by_category:
        lines, totals = inv.plan_series(plan_f)
    st.subheader("Investeringsbudget per kategori" if by_category else "Investeringsbudget")
    meeting.plot(
        portfolio_chart(
            lines,
            totals,
            period="column_label",
            group="line_label",
            value="value",
            order=order,
        ),
        "inv_portfolio_chart",
    )
    kf = totals.filter(year=yr) if yr is not None else totals.clear()
    if head and kf.height:
        st.caption(
            f"Budget {yr} här är kommunfullmäktiges budget, {fmt.tkr(kf['value'][0])}. "
            f"I delårsbokslutet är budget {yr} den justerade budgeten, "
            f"{fmt.tkr(head['budget'])}, där ombudgetering från föregående år ingår."
        )
    st.subheader("Per projekt, som tryckt")
    text_table(inv.portfolio_table(plan_f, marks), key="inv_portfolio_table")
    portfolio_notes = [n for (d, _key), ns in notes.items() if d == bdoc for n in ns]
    for note in portfolio_notes:
        st.caption(f"{inv.MARK_CONTRADICTION} {note}")

    st.subheader("Planerat i planåren")
    text_table(inv.planned_table(plan_f), key="inv_planned_table")

    st.subheader("Ombudgetering till nästa år")
    statements = data["inv_statements"].filter(line_key="ombudgetering")
    for s in statements.iter_rows(named=True):
        st.markdown(
            f"Delårsrapporten: medel som troligen begärs ombudgeterade till {s['year']}, "
            f"cirka **{fmt.with_unit(s['value'], s['unit'])}** (rad {s['source_line']})."
        )
    carried = inv.carry_overs(projects)
    for r in carried.iter_rows(named=True):
        st.markdown(
            f"- **{r['project']}**: {fmt.tkr(r['avvikelse'], signed=True)} mot budget {yr} "
            f"– {r['cause_ref']}: ”{r['cause']}”"
        )
    if statements.is_empty() and carried.is_empty():
        st.info("Källan anger ingen ombudgetering till nästa år.")
    else:
        st.caption(
            "Beloppen står som i källan; projektens avvikelser summeras inte till "
            "ombudgeteringen, eftersom rapporten bara anger ett ungefärligt belopp."
        )
