"""The overview's tiles as plain data: what each tile says, computed from page frames.

Pure functions (frames in, small dicts out) so the one-screen overview stays a thin
page and every figure it shows is pinned by a test. Tiles whose data an organisation
lacks return ``None`` and the page says so instead of hiding the tile.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from budgetrummet import drift, finance, fmt, numbers, vocab


@dataclass(frozen=True)
class BudgetTile:
    """The board's net cost this year: forecast against budget, or the budget alone."""

    year: int
    budget: Decimal
    budget_label: str
    unit: str
    forecast: Decimal | None = None
    deviation: Decimal | None = None
    deviation_pct: Decimal | None = None
    as_of: str = ""
    doc_id: str = ""
    outcome_label: str = ""  # "Utfall 2025" when the report is a year-end outcome


def latest_forecast(figs: pl.DataFrame, year: int | None = None) -> BudgetTile | None:
    """The newest report's forecast against its adjusted budget (for ``year`` if given)."""
    doc = drift.latest_forecast_doc(figs, year)
    if doc is None:
        return None
    report = drift.of_forecast_document(figs, doc)
    totals = drift.forecast_table(report).filter(pl.col("is_total"))
    if totals.height != 1:
        return None
    t = totals.row(0, named=True)
    if t["budget"] is None or t["prognos"] is None:
        return None
    labels = drift.forecast_labels(report) if drift.report_is_outcome(report) else {}
    return BudgetTile(
        year=int(t["year"]),
        budget=t["budget"],
        budget_label=labels.get("budget", "Budget (justerad)"),
        outcome_label=labels.get("outcome", ""),
        unit="tkr",
        forecast=t["prognos"],
        deviation=t["avvikelse"],
        deviation_pct=numbers.percent_change(t["budget"], t["prognos"]),
        as_of=t["as_of"],
        doc_id=t["doc_id"],
    )


def budget_tile(figs: pl.DataFrame, documents: pl.DataFrame | None = None) -> BudgetTile | None:
    """The newest budget year of the newest budget document, with the forecast for that
    year where a report prints one; an organisation without a budget document gets its
    latest forecast. ``documents`` is ``org_documents`` (dates order the documents)."""
    docs = drift.budget_documents(
        figs, documents if documents is not None else pl.DataFrame(schema={"doc_id": pl.String})
    )
    if not docs:
        return latest_forecast(figs)
    newest = docs[0]
    forecast = latest_forecast(figs, newest.budget_year)
    if forecast is not None:
        return forecast
    own = drift.of_budget_document(figs, newest.doc_id)
    periods = [
        p
        for p in drift.plan_periods(own)
        if p.version in ("budget_kf", "budget_justerad") and p.year == newest.budget_year
    ] or [p for p in drift.plan_periods(own) if p.year == newest.budget_year]
    if not periods:
        return None
    latest = periods[-1]
    table = drift.plan_table(own, [latest])
    total = table.filter(pl.col("is_total"))
    if total.is_empty() or total[latest.key][0] is None:
        return None
    unit = own.filter(pl.col("table_id").is_in(drift.PLAN_TABLES))["unit"].first() or "tkr"
    return BudgetTile(
        year=latest.year,
        budget=total[latest.key][0],
        budget_label=latest.label,
        unit=unit,
        doc_id=latest.doc_id,
    )


UPLOAD_KINDS = {"utfall": "utfall", "prognos": "prognos"}


def uploaded_for_year(loaded: pl.DataFrame, year: int) -> str | None:
    """Swedish line naming the latest uploaded outcome and forecast for ``year``, if any.

    ``loaded`` is ``upl_loaded_periods``; the amounts stay on Driftbudget, where they
    are shown against the budget month by month.
    """
    if loaded.is_empty():
        return None
    mine = loaded.filter(pl.col("year") == year)
    parts = []
    for kind, name in UPLOAD_KINDS.items():
        periods = mine.filter(pl.col("kind") == kind)["period"]
        if periods.len():
            parts.append(f"{name} t.o.m. {periods.max()}")
    if not parts:
        return None
    return f"Uppladdat för {year}: " + " och ".join(parts) + " (se Driftbudget)."


@dataclass(frozen=True)
class Freshness:
    """How fresh the organisation's data is: its latest document and latest upload."""

    latest_title: str
    latest_date: str
    documents: int
    latest_upload: str | None
    uploads: int


def freshness(documents: pl.DataFrame, uploads: pl.DataFrame | None = None) -> Freshness | None:
    """From ``org_documents`` (newest first) and, if any, the upload log."""
    if documents.is_empty():
        return None
    newest = documents.row(0, named=True)
    latest_upload = None
    count = 0
    if uploads is not None and not uploads.is_empty():
        count = uploads.height
        latest_upload = fmt.iso_date(uploads["uploaded_at"].max())
    return Freshness(
        latest_title=newest["title"],
        latest_date=newest["doc_date"],
        documents=documents.height,
        latest_upload=latest_upload,
        uploads=count,
    )


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.:;")
    return cut + "…"


@dataclass(frozen=True)
class ResultGoal:
    """The decided result goal in percent and what it means in tkr for its year."""

    year: int
    percent: Decimal
    goal_tkr: Decimal
    base: Decimal | None = None  # printed tax revenue + general grants, the goal's base


def result_goal(fin_figures: finance.Figures) -> ResultGoal | None:
    """The result goal for the year it is decided for, from the finance page's figures.

    The amount is ``finance.result_goal_tkr`` over the printed tax revenue and general
    grants of that year, rounded to whole tkr for display by the caller.
    """
    decided = finance.result_goal_percent(fin_figures)
    if decided is None:
        return None
    percent, year, _line = decided
    table = finance.result_goal_by_year(fin_figures, percent).filter(pl.col("year") == year)
    if table.is_empty() or table["mal_tkr"][0] is None:
        return None
    return ResultGoal(
        year=year, percent=percent, goal_tkr=table["mal_tkr"][0], base=table["underlag"][0]
    )


def contradictions(recon: pl.DataFrame) -> int:
    """How many of the reconciliation checks found the sources contradicting each other."""
    return recon.filter(pl.col("klass") == vocab.CONTRADICTION).height
