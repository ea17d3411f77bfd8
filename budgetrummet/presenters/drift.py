"""Driftbudget's presenter: the page's frames in, what it shows out (pure, no Streamlit).

The rules the page used to hold live here: which lines carry the ⚠ flag for the budget
chosen, where the bridge starts by default, the share of the year with outcome, the
captions. Rules about the figures themselves stay in ``budgetrummet.drift``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from budgetrummet import drift, fmt, vocab


@dataclass(frozen=True)
class Header:
    """What every tab shares: the figures of the chosen documents and their context."""

    figs: pl.DataFrame
    plan_figs: pl.DataFrame
    findings: pl.DataFrame
    unit: str
    line_title: str
    docs: dict[str, str]


@dataclass(frozen=True)
class Documents:
    """The page's figures and its budget documents, newest first. An organisation with
    only a year-end report has the report's outcome and budget standing as its plan."""

    figs: pl.DataFrame
    budget_docs: list[drift.BudgetDocument]
    documents: pl.DataFrame

    @property
    def labels(self) -> dict[str, str]:
        return {d.doc_id: d.label for d in self.budget_docs}

    def chosen(self, doc_id: str | None) -> drift.BudgetDocument | None:
        by_id = {d.doc_id: d for d in self.budget_docs}
        return by_id.get(doc_id or "", self.budget_docs[0] if self.budget_docs else None)

    def age_note(self, chosen: drift.BudgetDocument | None, today_year: int) -> str | None:
        """The note that the newest budget is older than this year (only on the newest)."""
        if chosen is not None and chosen is not self.budget_docs[0]:
            return None
        return drift.budget_age_note(chosen.budget_year if chosen else None, today_year)


def documents(figs: pl.DataFrame, org_documents: pl.DataFrame) -> Documents:
    figs = drift.report_as_plan(figs)
    return Documents(figs, drift.budget_documents(figs, org_documents), org_documents)


def header(figs: pl.DataFrame, findings: pl.DataFrame, documents: pl.DataFrame) -> Header:
    """The plan figures, their unit and line heading, and document titles by id."""
    plan_figs = figs.filter(pl.col("table_id").is_in(drift.PLAN_TABLES))
    return Header(
        figs=figs,
        plan_figs=plan_figs,
        findings=findings,
        unit=plan_figs["unit"].first() or "tkr",
        line_title=drift.LINE_TITLES.get(plan_figs["table_id"].first() or "", "Verksamhet"),
        docs={r["doc_id"]: r["title"] for r in documents.iter_rows(named=True)},
    )


def chosen_figures(figs: pl.DataFrame, budget_doc: drift.BudgetDocument | None) -> pl.DataFrame:
    """The figures of one budget document and the latest forecast."""
    figs = drift.of_budget_document(figs, budget_doc.doc_id if budget_doc else None)
    return drift.of_forecast_document(figs, drift.latest_forecast_doc(figs))


def plan_measures(plan_figs: pl.DataFrame) -> list[str]:
    """The measures the plan prints, in the page's order (netto, intäkter, kostnader)."""
    present = set(plan_figs["measure"].unique().to_list())
    return [m for m in drift.MEASURE_LABELS if m in present]


def plan_flags(
    flagged: set[tuple[str, str]], budget_choice: str, report_plan: bool = False
) -> set[str]:
    """Line keys flagged in the plan table: a finding in the plan's own tables, or in
    the forecast report when its adjusted budget is the one shown or the report itself
    stands as the plan (``report_plan``: a board with only a year-end report)."""
    return {
        k
        for t, k in flagged
        if t in drift.PLAN_TABLES
        or (t == drift.FORECAST_TABLE and (budget_choice == drift.BUDGET_ADJUSTED or report_plan))
    }


def report_plan(h: Header) -> bool:
    """True when the plan shown is a report's outcome and budget (no budget document)."""
    docs = set(drift.report_plan_docs(h.figs))
    return bool(docs & set(h.plan_figs["doc_id"].unique().to_list()))


def sources(periods: list[drift.Period], docs: dict[str, str]) -> list[str]:
    return sorted({docs.get(p.doc_id, p.doc_id) for p in periods})


def columns_line(periods: list[drift.Period], docs: dict[str, str], unit: str) -> str:
    """The caption under the plan: its columns, its sources and its unit."""
    return (
        "Kolumner: "
        + ", ".join(p.label for p in periods)
        + ". Källa: "
        + "; ".join(sources(periods, docs))
        + f". Belopp i {unit}; kostnader är negativa som i dokumenten."
    )


def bridge_default(periods: list[drift.Period]) -> tuple[str, str]:
    """The bridge runs from the last council budget to the last column by default."""
    labels = [p.label for p in periods]
    budgets = [p.label for p in periods if p.version == "budget_kf"]
    default_from = budgets[-1] if budgets else labels[0]
    if default_from != labels[-1]:
        return default_from, labels[-1]
    return labels[0], labels[-1]


def period_by_label(periods: list[drift.Period], label: str) -> drift.Period:
    return next(p for p in periods if p.label == label)


def summary_display(summary: pl.DataFrame, periods: list[drift.Period], unit: str) -> pl.DataFrame:
    """Intäkter, kostnader and netto for the whole board, formatted in the plan's unit."""
    decimals = vocab.decimals(unit)
    return pl.DataFrame(
        {"": summary["label"].to_list()}
        | {p.label: [fmt.number(v, decimals) for v in summary[p.key]] for p in periods}
    )


def plan_findings_note(
    findings: pl.DataFrame, report_docs: tuple[str, ...] | list[str] = ()
) -> str | None:
    """The note under the plan when the plan's or the summary's source has findings (or
    the report's, where a report stands as the plan)."""
    plan_findings = findings.filter(
        pl.col("table_id").is_in([*drift.PLAN_TABLES, drift.SUMMARY_TABLE])
        | pl.col("doc_id").is_in(list(report_docs))
    )
    if plan_findings.is_empty():
        return None
    return (
        f"{drift.FLAG}markerar rader där källan inte går ihop eller där ett tryckfel "
        f"har rättats ({plan_findings.height} anmärkningar). Se sidan Datakvalitet."
    )


@dataclass(frozen=True)
class PlanView:
    """The "Budget och plan" tab for one budget choice and measure: its columns, the
    table, the whole board's summary and the notes (built once per publication)."""

    periods: list[drift.Period]
    table: pl.DataFrame
    net_table: pl.DataFrame
    summary: pl.DataFrame
    summary_display: pl.DataFrame
    columns_line: str
    flags: frozenset[str]
    findings_note: str | None


def plan_view(h: Header, choice: str, measure: str) -> PlanView:
    periods = drift.plan_periods(h.figs, choice)
    table = drift.plan_table(h.figs, periods, measure)
    summary = drift.summary_table(h.figs, periods)
    flagged = drift.flagged_lines(h.figs, h.findings)
    return PlanView(
        periods=periods,
        table=table,
        net_table=table if measure == "netto" else drift.plan_table(h.figs, periods, "netto"),
        summary=summary,
        summary_display=summary_display(summary, periods, h.unit),
        columns_line=columns_line(periods, h.docs, h.unit),
        flags=frozenset(plan_flags(flagged, choice, report_plan(h))),
        findings_note=plan_findings_note(h.findings, drift.report_plan_docs(h.figs)),
    )


# ------------------------------------------------------------------------- forecast


def forecast_total(forecast: pl.DataFrame) -> dict:
    return forecast.filter(pl.col("is_total")).row(0, named=True)


def forecast_flags(flagged: set[tuple[str, str]]) -> set[str]:
    return {k for t, k in flagged if t in (drift.FORECAST_TABLE, drift.ANALYSIS_TABLE)}


def analysis_refs(texts: pl.DataFrame) -> dict[str, str]:
    return {r["line_key"]: r["ref"] for r in texts.iter_rows(named=True)}


def detail_options(forecast: pl.DataFrame) -> tuple[list[str], dict[str, str], int]:
    """The verksamheter to pick in detail, their labels, and the one shown first."""
    options = forecast.filter(~pl.col("is_total"))
    labels = dict(zip(options["line_key"], options["label"], strict=True))
    return options["line_key"].to_list(), labels, drift.largest_deviation_index(options)


def split_display(split: pl.DataFrame) -> pl.DataFrame:
    return split.select(
        "Version",
        *[
            pl.col(c).map_elements(fmt.number, return_dtype=pl.String)
            for c in ("Intäkter", "Kostnader", "Netto")
        ],
    )


def analysis_of(texts: pl.DataFrame, line_key: str) -> tuple[str, list[str]] | None:
    """The written analysis of one verksamhet: its reference and its lines."""
    analysis = texts.filter(pl.col("line_key") == line_key)
    if analysis.is_empty():
        return None
    return analysis["ref"][0], analysis["text"].to_list()


def line_warnings(figs: pl.DataFrame, findings: pl.DataFrame, line_key: str) -> list[str]:
    labels = figs.filter(pl.col("line_key") == line_key)["line_label"].unique()
    return drift.finding_messages(findings, labels.to_list())


# -------------------------------------------------------------------------- months


def outcome_years(loaded: pl.DataFrame) -> list[int]:
    """Years with monthly outcome uploaded, latest first."""
    outcome = loaded.filter(pl.col("kind") == "utfall")
    return (
        sorted(outcome["year"].unique().to_list(), reverse=True) if not outcome.is_empty() else []
    )


@dataclass(frozen=True)
class Months:
    """The month view of one year: the budget it is measured against and the outcome."""

    budget_period: drift.Period | None
    budget_table: pl.DataFrame | None
    budget_total: Decimal | None
    monthly: pl.DataFrame
    span_notes: list[str]


def months(figs: pl.DataFrame, loaded: pl.DataFrame, outcome: pl.DataFrame, year: int) -> Months:
    budget_period = drift.year_budget_period(figs, year)
    budget_table = drift.plan_table(figs, [budget_period]) if budget_period else None
    budget_total = None
    if budget_table is not None:
        total_row = budget_table.filter(pl.col("is_total"))
        budget_total = total_row[budget_period.key][0] if total_row.height else None
    notes = []
    year_rows = loaded.filter((pl.col("kind") == "utfall") & (pl.col("year") == year))
    for period, amount in year_rows.select("period", "amount_kr").iter_rows():
        span = drift.span_label(period)
        if span is not None:
            notes.append(
                f"Utfall för {span} är uppladdat: {fmt.tkr(amount / 1000)}. "
                "Månadsvyn visar bara utfall per månad."
            )
    return Months(
        budget_period=budget_period,
        budget_table=budget_table,
        budget_total=budget_total,
        monthly=drift.monthly_outcome(outcome, budget_total),
        span_notes=notes,
    )


def loaded_months(n: int) -> str:
    return "1 laddad månad" if n == 1 else f"{n} laddade månader"


def share_of_year(months_with_outcome: int) -> str:
    """The share of the year the outcome covers, as the caption prints it."""
    return fmt.percent(Decimal(months_with_outcome) / 12 * 100, 0)


def month_table(
    figs: pl.DataFrame, outcome: pl.DataFrame, m: Months, line_title: str, last: int
) -> pl.DataFrame:
    """Per line: the year's budget, the outcome to the last month, and the share used."""
    per_line = drift.outcome_by_line(
        outcome,
        m.budget_table if m.budget_table is not None else drift.plan_table(figs, []),
        m.budget_period.key if m.budget_period else None,
    )
    return pl.DataFrame(
        {
            line_title: per_line["label"].to_list(),
            "Budget helår": [fmt.number(v) for v in per_line["budget_tkr"]],
            f"Utfall t.o.m. månad {last}": [fmt.number(v) for v in per_line["accumulated_tkr"]],
            "Förbrukat av budget": [fmt.percent(v, 1) for v in per_line["used_pct"]],
        }
    )


def month_caption(m: Months) -> str:
    label = m.budget_period.label if m.budget_period else "–"
    return (
        f"Utfallet är det senast uppladdade per månad, omräknat från kronor till tkr med "
        f"filens tecken. Budgeten ({label}) är "
        f"fördelad jämnt över årets tolv månader; andel förbrukat = |utfall| / |budget|. "
        f"Andel av året med utfall: {share_of_year(len(m.monthly))}."
    )
