"""Driftbudget's loader and its tabs: the page's queries (through the one query cache)
and the Streamlit layout of each tab, fed by ``budgetrummet.presenters.drift``."""

from __future__ import annotations

import polars as pl
import streamlit as st

from budgetrummet import clock, drift, fmt
from budgetrummet import minutes as mn
from budgetrummet.charts import drift as charts
from budgetrummet.presenters import drift as pr
from budgetrummet.ui import meeting
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.data import derived, query
from budgetrummet.ui.tables import show_table, sign_colors

# ---------------------------------------------------------------------------- loader


def figures(org: str) -> pl.DataFrame:
    """Every figure of the page's tables for the organisation."""
    return query("figures_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES))


def documents(org: str) -> pl.DataFrame:
    return query("org_documents", org_id=org)


def documents_view(org: str) -> pr.Documents:
    """The page's figures and budget documents, built once per organisation and
    publication and kept in the one query cache (never changed after it is built)."""
    return derived("drift_documents", lambda: pr.documents(figures(org), documents(org)), org=org)


def header(org: str, view: pr.Documents, budget_doc: drift.BudgetDocument | None) -> pr.Header:
    """The chosen budget document's figures with the latest forecast, and their
    findings, once per organisation, document and publication."""
    return derived(
        "drift_header",
        lambda: pr.header(pr.chosen_figures(view.figs, budget_doc), findings(org), view.documents),
        org=org,
        doc=budget_doc.doc_id if budget_doc else None,
    )


def age_note(view: pr.Documents, chosen: drift.BudgetDocument | None) -> str | None:
    """The note that the newest budget is older than this year (``clock.today``)."""
    return view.age_note(chosen, clock.today().year)


def findings(org: str) -> pl.DataFrame:
    return query("findings_by_tables", org_id=org, table_ids=list(drift.ALL_TABLES))


def analysis_texts(org: str) -> pl.DataFrame:
    return query("drift_analysis_texts", org_id=org)


def loaded_periods(org: str) -> pl.DataFrame:
    return query("upl_loaded_periods", org_id=org)


def outcome(org: str, year: int) -> pl.DataFrame:
    return query("upl_outcome_by_month", org_id=org, year=year)


# ------------------------------------------------------------------------------ tabs


def budget_choice(h: pr.Header, column) -> str:
    adjusted_years = drift.adjusted_budget_years(h.figs)
    if not adjusted_years:
        return drift.BUDGET_DECIDED
    return column.radio(
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


def _plan(h: pr.Header, choice: str, measure: str) -> tuple[pr.PlanView, object]:
    plan = pr.plan_view(h, choice, measure)
    return plan, charts.totals_chart(plan.summary, plan.periods, h.unit)


def _bridge(plan: pr.PlanView, unit: str, start_label: str, end_label: str) -> tuple:
    start = pr.period_by_label(plan.periods, start_label)
    end = pr.period_by_label(plan.periods, end_label)
    bridge = drift.plan_bridge(plan.net_table, start, end)
    title = f"Nettokostnad {start.label} → {end.label}"
    return charts.bridge_chart(bridge, unit, title), drift.bridge_note(bridge, unit)


def plan_tab(h: pr.Header, org: str, org_name: str, doc: str | None) -> None:
    """The tab; its tables and charts are built once per choice and publication in the
    one query cache (``derived``), so a rerun only lays them out."""
    unit, line_title = h.unit, h.line_title
    c1, c2, c3 = st.columns([2, 1.4, 1.6])
    choice = budget_choice(h, c1)
    measures = pr.plan_measures(h.plan_figs)
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
    key = {"org": org, "doc": doc, "choice": choice, "measure": measure}
    plan, totals_fig = derived("drift_plan", lambda: _plan(h, choice, measure), **key)
    periods = plan.periods
    st.caption(plan.columns_line)

    left, right = st.columns([1, 1.5])
    with left:
        meeting.plot(totals_fig, "drift_totals")
    with right:
        start_label, end_label = st.select_slider(
            "Brygga från och till",
            options=[p.label for p in periods],
            value=pr.bridge_default(periods),
            key="drift_bridge",
        )
        bridge_fig, note = derived(
            "drift_plan_bridge",
            lambda: _bridge(plan, unit, start_label, end_label),
            **key,
            start=start_label,
            end=end_label,
        )
        meeting.plot(bridge_fig, "drift_plan_bridge")
        if note:
            st.warning(note)

    display, values, total_rows = derived(
        "drift_plan_display",
        lambda: drift.plan_display(
            plan.table, periods, mode=mode, unit=unit, flagged=plan.flags, line_title=line_title
        ),
        **key,
        mode=mode,
    )
    show_table(
        display,
        colors={c: sign_colors(v) for c, v in values.items()},
        bold_rows=total_rows,
        right_align=[c for c in display.columns if c != line_title],
        key="drift_plan_table",
        raw=drift.plan_raw(plan.table, periods, mode=mode, line_title=line_title),
        file_name=f"driftbudget_{org}_{measure}_{mode}",
    )
    minutes_ui.download(
        minutes_ui.page_document(
            "Driftbudget",
            org_name,
            [
                mn.Section(
                    "Budget och plan",
                    lines=[plan.columns_line, f"Tabellen visar: {drift.MODES[mode].lower()}."],
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
        show_table(plan.summary_display, bold_rows=[0])
    if plan.findings_note:
        st.caption(plan.findings_note)


def forecast_tab(h: pr.Header, org: str) -> None:
    figs = h.figs
    flagged = drift.flagged_lines(figs, h.findings)
    forecast = drift.forecast_table(figs)
    if forecast.is_empty():
        st.info(
            "Underlaget för den här organisationen innehåller ingen prognos (delårsbokslut "
            "eller tertialrapport). Ladda upp en prognos på sidan Uppladdning när den finns."
        )
        return
    total = pr.forecast_total(forecast)
    # A year-end report has the year's outcome where an interim report has a forecast.
    labels = drift.forecast_labels(figs)
    year_end = drift.report_is_outcome(figs)
    m1, m2, m3 = st.columns(3)
    budget_label = (
        labels["budget"] if year_end else drift.period_label("budget_justerad", total["year"])
    )
    m1.metric(budget_label, fmt.tkr(total["budget"]))
    m2.metric(
        labels["outcome"] if year_end else f"Helårsprognos per {total['as_of']}",
        fmt.tkr(total["prognos"]),
    )
    m3.metric(
        f"{labels['deviation']} mot budget" if year_end else "Avvikelse mot budget",
        fmt.tkr(total["avvikelse"], signed=True),
        help=f"{fmt.percent(total['deviation_pct'], 1, signed=True)} av budgeten "
        "(beräknat). Positivt = bättre än budget.",
    )
    texts = analysis_texts(org)
    refs = pr.analysis_refs(texts)
    left, right = st.columns([1.3, 1])
    with left:
        meeting.plot(
            charts.bridge_chart(
                drift.forecast_bridge(forecast, labels=labels),
                "tkr",
                "Från budgeterat resultat till utfall"
                if year_end
                else "Från budgeterat till prognostiserat resultat",
            ),
            "drift_forecast_bridge",
        )
    with right:
        meeting.plot(charts.deviation_chart(forecast), "drift_deviations")
    display, devs, total_rows = drift.forecast_display(
        forecast, pr.forecast_flags(flagged), refs, labels
    )
    dev_col = labels["deviation"]
    show_table(
        display,
        colors={dev_col: sign_colors(devs), f"{dev_col} %": sign_colors(devs)},
        bold_rows=total_rows,
        right_align=[c for c in display.columns if c not in ("Verksamhet", "Analys")],
        key="drift_forecast_table",
        raw=drift.forecast_raw(forecast, refs, labels),
        file_name=f"prognos_{org}",
    )
    st.caption(
        f"Källa: {h.docs.get(total['doc_id'], total['doc_id'])}. "
        + (
            f"Rapporten är ett bokslut utan prognos: {labels['outcome']} är årets utfall. "
            f"{dev_col} = utfall − budget, som tryckt (positivt = bättre än budget). "
            if year_end
            else "Avvikelse = prognos − budget (positivt = bättre än budget). "
        )
        + f"{dev_col} % är beräknad av Budgetrummet."
    )

    st.subheader("Verksamhet i detalj")
    keys, labels, first = pr.detail_options(forecast)
    chosen = st.selectbox(
        "Välj verksamhet",
        options=keys,
        format_func=labels.__getitem__,
        index=first,
        key="drift_detail",
    )
    split = drift.line_split(figs, chosen)
    a, b = st.columns([1, 1.2])
    with a:
        if split.is_empty():
            st.info("Källan redovisar inte intäkter och kostnader för den här verksamheten.")
        else:
            show_table(pr.split_display(split), right_align=["Intäkter", "Kostnader", "Netto"])
    with b:
        analysis = pr.analysis_of(texts, chosen)
        if analysis is None:
            st.caption("Ingen skriftlig analys i delårsbokslutet för den här verksamheten.")
        else:
            ref, lines = analysis
            st.markdown(f"**{ref}**")
            for line in lines:
                st.text(line)
    for message in pr.line_warnings(figs, h.findings, chosen):
        st.warning(message)


def month_tab(h: pr.Header, org: str) -> None:
    loaded = loaded_periods(org)
    years = pr.outcome_years(loaded)
    if not years:
        st.info(
            "Inget månadsutfall är uppladdat för den här organisationen ännu. När ekonomerna "
            "laddar upp utfall per månad (sidan Uppladdning) visas här ackumulerat utfall mot "
            "budgeten fördelad över årets månader."
        )
        st.page_link("views/upload.py", label="Till Uppladdning", icon=":material/upload_file:")
        return
    year = st.selectbox("År", years, key="drift_month_year")
    year_outcome = outcome(org, year)
    m = pr.months(h.figs, loaded, year_outcome, year)
    for note in m.span_notes:
        st.info(note)
    monthly = m.monthly
    if monthly.is_empty():
        st.stop()
    last = monthly["month"].max()
    gaps = drift.missing_months(monthly)
    n_loaded = pr.loaded_months(len(monthly))
    m1, m2, m3 = st.columns(3)
    m1.metric(
        f"Ackumulerat utfall t.o.m. månad {last}"
        if not gaps
        else f"Utfall för {n_loaded} t.o.m. månad {last}",
        fmt.tkr(monthly["accumulated_tkr"][-1]),
    )
    if gaps:
        st.warning(
            f"Utfall saknas för {drift.month_names(gaps)} {year}. Jämförelsen med budgeten gäller "
            f"bara utfallet för {n_loaded}: budgeten räknas för {len(monthly)} av 12 "
            "månader, inte för månaderna utan utfall."
        )
    if m.budget_total is not None and m.budget_period is not None:
        m2.metric(f"{m.budget_period.label}, helår", fmt.tkr(m.budget_total))
        m3.metric(
            f"Budget fördelad t.o.m. månad {last}" if not gaps else f"Budget för {n_loaded}",
            fmt.tkr(monthly["budget_accumulated_tkr"][-1]),
        )
    else:
        m2.info(f"Ingen budget för {year} i underlaget att jämföra med.")
    meeting.plot(charts.monthly_chart(monthly), "drift_monthly")
    show_table(
        pr.month_table(h.figs, year_outcome, m, h.line_title, last),
        right_align=["Budget helår", f"Utfall t.o.m. månad {last}", "Förbrukat av budget"],
        key="drift_month_table",
    )
    st.caption(pr.month_caption(m))
