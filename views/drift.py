"""Driftbudget: budget against plan per verksamhet, forecast against budget, outcome by month."""

from decimal import Decimal

import polars as pl
import streamlit as st

from budgetrummet import clock, drift, fmt, vocab
from budgetrummet import minutes as mn
from budgetrummet.charts import drift as charts
from budgetrummet.ui import meeting
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.data import query
from budgetrummet.ui.org import current_org, current_org_name
from budgetrummet.ui.tables import show_table, sign_colors

org = current_org()
meeting.title(f"Driftbudget – {current_org_name()}")

figs = query("figures_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES))
if figs.is_empty():
    st.info(
        f"Ingen budget är inläst för {current_org_name()}: underlaget har ingen driftbudget, "
        "plan eller prognos per verksamhet ännu."
    )
    st.stop()

budget_docs = drift.budget_documents(figs, query("org_documents", org_id=org))
budget_doc = budget_docs[0] if budget_docs else None
if len(budget_docs) > 1:
    by_id = {d.doc_id: d for d in budget_docs}
    chosen_id = st.selectbox(
        "Budgetdokument",
        options=list(by_id),
        format_func=lambda d: by_id[d].label,
        key="drift_budget_doc",
        help="Det senaste budgetdokumentet visas först; äldre dokument visas oförändrade.",
    )
    budget_doc = by_id[chosen_id]
figs = drift.of_budget_document(figs, budget_doc.doc_id if budget_doc else None)
figs = drift.of_forecast_document(figs, drift.latest_forecast_doc(figs))
age_note = drift.budget_age_note(budget_doc.budget_year if budget_doc else None, clock.today().year)
if age_note and (budget_doc is None or budget_doc is budget_docs[0]):
    st.caption(age_note)

findings = query("findings_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES))
plan_figs = figs.filter(pl.col("table_id").is_in(drift.PLAN_TABLES))
unit = plan_figs["unit"].first() or "tkr"
line_title = drift.LINE_TITLES.get(plan_figs["table_id"].first() or "", "Verksamhet")
docs = {r["doc_id"]: r["title"] for r in query("org_documents", org_id=org).iter_rows(named=True)}

# Only the open tab runs (the others are empty until chosen, which reruns the page):
# each tab is a page of its own in cost, tables and charts.
plan_tab, forecast_tab, month_tab = st.tabs(
    ["Budget och plan", "Prognos mot budget", "Utfall per månad"],
    key="drift_tab",
    on_change="rerun",
)

if plan_tab.open and plan_figs.is_empty():
    with plan_tab:
        st.info(f"Ingen budget med plan är inläst för {current_org_name()}.")
elif plan_tab.open:
    with plan_tab:
        if plan_figs.is_empty():
            st.info(
                f"Ingen budget är inläst för {current_org_name()}: underlaget har ingen "
                "budget eller plan per verksamhet, bara uppföljning."
            )
        else:
            flagged = drift.flagged_lines(figs, findings)
            adjusted_years = drift.adjusted_budget_years(figs)
            c1, c2, c3 = st.columns([2, 1.4, 1.6])
            budget_choice = drift.BUDGET_DECIDED
            if adjusted_years:
                budget_choice = c1.radio(
                    "Budget " + ", ".join(str(y) for y in adjusted_years),
                    options=[drift.BUDGET_DECIDED, drift.BUDGET_ADJUSTED],
                    format_func={
                        drift.BUDGET_DECIDED: "Beslutad av KF (budgetdokumentet)",
                        drift.BUDGET_ADJUSTED: "Justerad under året (senare rapport)",
                    }.__getitem__,
                    key="drift_budget_choice",
                    help="Den justerade budgeten innehåller kapitaltjänst och interna köp/sälj "
                    "och går inte att jämföra rad för rad med KF:s budget. Versionerna blandas "
                    "aldrig i samma kolumn.",
                )
            plan_measures = set(plan_figs["measure"].unique().to_list())
            measures = [m for m in drift.MEASURE_LABELS if m in plan_measures]
            measure = (
                c2.radio(
                    "Belopp",
                    options=measures,
                    format_func=drift.MEASURE_LABELS.__getitem__,
                    key="drift_measure",
                    horizontal=True,
                )
                if len(measures) > 1
                else measures[0]
            )
            mode = c3.radio(
                "Tabellen visar",
                options=list(drift.MODES),
                format_func=drift.MODES.__getitem__,
                key="drift_mode",
                horizontal=True,
            )

            periods = drift.plan_periods(figs, budget_choice)
            table = drift.plan_table(figs, periods, measure)
            summary = drift.summary_table(figs, periods)
            sources = sorted({docs.get(p.doc_id, p.doc_id) for p in periods})
            st.caption(
                "Kolumner: "
                + ", ".join(p.label for p in periods)
                + ". Källa: "
                + "; ".join(sources)
                + f". Belopp i {unit}; kostnader är negativa som i dokumenten."
            )

            left, right = st.columns([1, 1.5])
            with left:
                totals_fig = charts.totals_chart(summary, periods, unit)
                meeting.plot(totals_fig, "drift_totals")
            with right:
                labels = [p.label for p in periods]
                budgets = [p.label for p in periods if p.version == "budget_kf"]
                default_from = budgets[-1] if budgets else labels[0]
                start_label, end_label = st.select_slider(
                    "Brygga från och till",
                    options=labels,
                    value=(default_from, labels[-1])
                    if default_from != labels[-1]
                    else (labels[0], labels[-1]),
                    key="drift_bridge",
                )
                start = next(p for p in periods if p.label == start_label)
                end = next(p for p in periods if p.label == end_label)
                net_table = (
                    table if measure == "netto" else drift.plan_table(figs, periods, "netto")
                )
                bridge = drift.plan_bridge(net_table, start, end)
                bridge_fig = charts.bridge_chart(
                    bridge, unit, f"Nettokostnad {start.label} → {end.label}"
                )
                meeting.plot(bridge_fig, "drift_plan_bridge")
                note = drift.bridge_note(bridge, unit)
                if note:
                    st.warning(note)

            display, values, total_rows = drift.plan_display(
                table,
                periods,
                mode=mode,
                unit=unit,
                flagged={
                    k
                    for t, k in flagged
                    if t in drift.PLAN_TABLES
                    or (t == drift.FORECAST_TABLE and budget_choice == drift.BUDGET_ADJUSTED)
                },
                line_title=line_title,
            )
            show_table(
                display,
                colors={c: sign_colors(v) for c, v in values.items()},
                bold_rows=total_rows,
                right_align=[c for c in display.columns if c != line_title],
                key="drift_plan_table",
                raw=drift.plan_raw(table, periods, mode=mode, line_title=line_title),
                file_name=f"driftbudget_{org}_{measure}_{mode}",
            )
            plan_lines = [
                f"Kolumner: {', '.join(p.label for p in periods)}. Källa: {'; '.join(sources)}. "
                f"Belopp i {unit}; kostnader är negativa som i dokumenten.",
                f"Tabellen visar: {drift.MODES[mode].lower()}.",
            ]
            minutes_ui.download(
                minutes_ui.page_document(
                    "Driftbudget",
                    current_org_name(),
                    [
                        mn.Section(
                            "Budget och plan",
                            lines=plan_lines,
                            tables=[minutes_ui.table_of(display)],
                            charts=[mn.Chart(totals_fig, 800, 440), mn.Chart(bridge_fig)],
                        )
                    ],
                ),
                key="drift_pdf",
                name_hint=("driftbudget", org),
                help="Sidans huvudvy som A4-dokument: tabellen och diagrammen, med "
                "organisation och dataversion.",
            )
            if mode != "belopp":
                st.caption(
                    "Förändring = senare − tidigare; procent av det tidigare beloppets storlek. "
                    "Negativt (rött) betyder högre nettokostnad. Summaraden (Σ) är de tryckta "
                    "summorna."
                )
            with st.expander("Intäkter, kostnader och netto för hela nämnden"):
                decimals = vocab.decimals(unit)
                show_table(
                    pl.DataFrame(
                        {"": summary["label"].to_list()}
                        | {
                            p.label: [fmt.number(v, decimals) for v in summary[p.key]]
                            for p in periods
                        }
                    ),
                    bold_rows=[0],
                )
            plan_findings = findings.filter(
                pl.col("table_id").is_in([*drift.PLAN_TABLES, drift.SUMMARY_TABLE])
            )
            if not plan_findings.is_empty():
                st.caption(
                    f"{drift.FLAG}markerar rader där källan inte går ihop eller där ett tryckfel "
                    f"har rättats ({plan_findings.height} anmärkningar). Se sidan Datakvalitet."
                )

if forecast_tab.open:
    with forecast_tab:
        flagged = drift.flagged_lines(figs, findings)
        forecast = drift.forecast_table(figs)
        if forecast.is_empty():
            st.info(
                "Underlaget för den här organisationen innehåller ingen prognos (delårsbokslut "
                "eller tertialrapport). Ladda upp en prognos på sidan Uppladdning när den finns."
            )
        else:
            total = forecast.filter(pl.col("is_total")).row(0, named=True)
            as_of = total["as_of"]
            m1, m2, m3 = st.columns(3)
            budget_label = f"{drift.period_label('budget_justerad', total['year'])}"
            m1.metric(budget_label, fmt.tkr(total["budget"]))
            m2.metric(f"Helårsprognos per {as_of}", fmt.tkr(total["prognos"]))
            m3.metric(
                "Avvikelse mot budget",
                fmt.tkr(total["avvikelse"], signed=True),
                help=f"{fmt.percent(total['deviation_pct'], 1, signed=True)} av budgeten "
                "(beräknat). Positivt = bättre än budget.",
            )
            texts = query("drift_analysis_texts", org_id=org)
            refs = {r["line_key"]: r["ref"] for r in texts.iter_rows(named=True)}
            left, right = st.columns([1.3, 1])
            with left:
                meeting.plot(
                    charts.bridge_chart(
                        drift.forecast_bridge(forecast),
                        "tkr",
                        "Från budgeterat till prognostiserat resultat",
                    ),
                    "drift_forecast_bridge",
                )
            with right:
                meeting.plot(charts.deviation_chart(forecast), "drift_deviations")
            fc_flags = {k for t, k in flagged if t in (drift.FORECAST_TABLE, drift.ANALYSIS_TABLE)}
            display, devs, total_rows = drift.forecast_display(forecast, fc_flags, refs)
            show_table(
                display,
                colors={"Avvikelse": sign_colors(devs), "Avvikelse %": sign_colors(devs)},
                bold_rows=total_rows,
                right_align=[c for c in display.columns if c not in ("Verksamhet", "Analys")],
                key="drift_forecast_table",
                raw=drift.forecast_raw(forecast, refs),
                file_name=f"prognos_{org}",
            )
            st.caption(
                f"Källa: {docs.get(total['doc_id'], total['doc_id'])}. "
                "Avvikelse = prognos − budget (positivt = bättre än budget). "
                "Avvikelse % är beräknad av Budgetrummet."
            )

            st.subheader("Verksamhet i detalj")
            options = forecast.filter(~pl.col("is_total"))
            chosen = st.selectbox(
                "Välj verksamhet",
                options=options["line_key"].to_list(),
                format_func=dict(
                    zip(options["line_key"], options["label"], strict=True)
                ).__getitem__,
                index=drift.largest_deviation_index(options),
                key="drift_detail",
            )
            split = drift.line_split(figs, chosen)
            a, b = st.columns([1, 1.2])
            with a:
                if split.is_empty():
                    st.info(
                        "Källan redovisar inte intäkter och kostnader för den här verksamheten."
                    )
                else:
                    show_table(
                        split.select(
                            "Version",
                            *[
                                pl.col(c).map_elements(fmt.number, return_dtype=pl.String)
                                for c in ("Intäkter", "Kostnader", "Netto")
                            ],
                        ),
                        right_align=["Intäkter", "Kostnader", "Netto"],
                    )
            with b:
                analysis = texts.filter(pl.col("line_key") == chosen)
                if analysis.is_empty():
                    st.caption("Ingen skriftlig analys i delårsbokslutet för den här verksamheten.")
                else:
                    st.markdown(f"**{analysis['ref'][0]}**")
                    for line in analysis["text"].to_list():
                        st.text(line)
            chosen_labels = figs.filter(pl.col("line_key") == chosen)["line_label"].unique()
            for message in drift.finding_messages(findings, chosen_labels.to_list()):
                st.warning(message)

if month_tab.open:
    with month_tab:
        loaded = query("upl_loaded_periods", org_id=org).filter(pl.col("kind") == "utfall")
        years = (
            sorted(loaded["year"].unique().to_list(), reverse=True) if not loaded.is_empty() else []
        )
        if not years:
            st.info(
                "Inget månadsutfall är uppladdat för den här organisationen ännu. När ekonomerna "
                "laddar upp utfall per månad (sidan Uppladdning) visas här ackumulerat utfall mot "
                "budgeten fördelad över årets månader."
            )
            st.page_link("views/upload.py", label="Till Uppladdning", icon=":material/upload_file:")
        else:
            year = st.selectbox("År", years, key="drift_month_year")
            outcome = query("upl_outcome_by_month", org_id=org, year=year)
            budget_period = drift.year_budget_period(figs, year)
            budget_table = drift.plan_table(figs, [budget_period]) if budget_period else None
            budget_total = None
            if budget_table is not None:
                total_row = budget_table.filter(pl.col("is_total"))
                budget_total = total_row[budget_period.key][0] if total_row.height else None
            monthly = drift.monthly_outcome(outcome, budget_total)
            for period, amount in (
                loaded.filter(pl.col("year") == year).select("period", "amount_kr").iter_rows()
            ):
                span = drift.span_label(period)
                if span is not None:
                    st.info(
                        f"Utfall för {span} är uppladdat: {fmt.tkr(amount / 1000)}. "
                        "Månadsvyn visar bara utfall per månad."
                    )
            if monthly.is_empty():
                st.stop()
            last = monthly["month"].max()
            gaps = drift.missing_months(monthly)
            n_loaded = "1 laddad månad" if len(monthly) == 1 else f"{len(monthly)} laddade månader"
            m1, m2, m3 = st.columns(3)
            m1.metric(
                f"Ackumulerat utfall t.o.m. månad {last}"
                if not gaps
                else f"Utfall för {n_loaded} t.o.m. månad {last}",
                fmt.tkr(monthly["accumulated_tkr"][-1]),
            )
            if gaps:
                names = drift.month_names(gaps)
                st.warning(
                    f"Utfall saknas för {names} {year}. Jämförelsen med budgeten gäller bara "
                    f"utfallet för {n_loaded}: budgeten räknas för {len(monthly)} av 12 "
                    "månader, inte för månaderna utan utfall."
                )
            if budget_total is not None:
                m2.metric(f"{budget_period.label}, helår", fmt.tkr(budget_total))
                m3.metric(
                    f"Budget fördelad t.o.m. månad {last}"
                    if not gaps
                    else f"Budget för {n_loaded}",
                    fmt.tkr(monthly["budget_accumulated_tkr"][-1]),
                )
            else:
                m2.info(f"Ingen budget för {year} i underlaget att jämföra med.")
            meeting.plot(charts.monthly_chart(monthly), "drift_monthly")
            per_line = drift.outcome_by_line(
                outcome,
                budget_table if budget_table is not None else drift.plan_table(figs, []),
                budget_period.key if budget_period else None,
            )
            show_table(
                pl.DataFrame(
                    {
                        line_title: per_line["label"].to_list(),
                        "Budget helår": [fmt.number(v) for v in per_line["budget_tkr"]],
                        f"Utfall t.o.m. månad {last}": [
                            fmt.number(v) for v in per_line["accumulated_tkr"]
                        ],
                        "Förbrukat av budget": [fmt.percent(v, 1) for v in per_line["used_pct"]],
                    }
                ),
                right_align=["Budget helår", f"Utfall t.o.m. månad {last}", "Förbrukat av budget"],
                key="drift_month_table",
            )
            st.caption(
                f"Utfallet är det senast uppladdade per månad, omräknat från kronor till tkr med "
                f"filens tecken. Budgeten ({budget_period.label if budget_period else '–'}) är "
                f"fördelad jämnt över årets tolv månader; andel förbrukat = |utfall| / |budget|. "
                f"Andel av året med utfall: {fmt.percent(Decimal(len(monthly)) / 12 * 100, 0)}."
            )
