"""Operating budget (drift): budget against plan, forecast against budget, as printed.

Pure transforms over the ``figures`` rows of the drift tables (frame in, frame out).
Versions are explicit: a column is always one version of one document; the council's
budget for a year (in the budget document) and the same year's budget as adjusted during
the year (in a later report) are never mixed in one column. Lines are matched across
documents by verksamhet code, and every printed name of a code is kept.

Printed totals are shown as printed; derived figures (changes, percentages, the bridge)
are computed here and labelled as computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.numbers import percent_change
from budgetrummet.vocab import DECIMAL, VERSION_LABELS, VERSION_ORDER

PLAN_TABLES = ("drift_verksamhet", "produktionsomraden")
LINE_TITLES = {"drift_verksamhet": "Verksamhet", "produktionsomraden": "Produktionsområde"}
SUMMARY_TABLE = "drift_summa"
FORECAST_TABLE = "driftredovisning"
ANALYSIS_TABLE = "verksamhetsanalys"
RESULT_TABLE = "resultat"
ALL_TABLES = (*PLAN_TABLES, SUMMARY_TABLE, FORECAST_TABLE, ANALYSIS_TABLE, RESULT_TABLE)

TOTAL_KEY = "total"
MEASURE_LABELS = {"netto": "Netto", "intakt": "Intäkter", "kostnad": "Kostnader"}

# Which budget a year's column shows where a later report prints that year's budget as
# adjusted: the council's (as in the plan document) or the adjusted one.
BUDGET_DECIDED = "kf"
BUDGET_ADJUSTED = "justerad"


@dataclass(frozen=True)
class Period:
    """One column of the budget-against-plan table: a version of a year in one document."""

    key: str
    label: str
    doc_id: str
    version: str
    year: int


def code_of(line_key: str) -> str:
    """``vh45`` -> ``45``; other keys have no verksamhet code."""
    return line_key[2:] if line_key.startswith("vh") and line_key[2:].isdigit() else ""


def period_label(version: str, year: int) -> str:
    return f"{VERSION_LABELS.get(version, version)} {year}"


def line_labels(figs: pl.DataFrame) -> pl.DataFrame:
    """Each line key with every printed name it has, in document order.

    ``23 Turistverksamhet`` (budget 2025) and ``23 Besöksnäringsverksamhet`` (interim
    report) are the same code: the label shows both, the key matches them.
    """
    if figs.is_empty():
        return pl.DataFrame(
            schema={
                "line_key": pl.String,
                "label": pl.String,
                "names": pl.Int64,
                "first_row": pl.Int32,
            }
        )
    names = (
        figs.filter(pl.col("row_kind") != "memo")
        .sort(["doc_id", "source_line"])
        .group_by("line_key", maintain_order=True)
        .agg(
            pl.col("line_label").unique(maintain_order=True),
            pl.col("row_no").min().alias("first_row"),
        )
    )
    return names.select(
        "line_key",
        pl.when(pl.col("line_key") == TOTAL_KEY)
        .then(pl.lit("Summa"))
        .otherwise(pl.col("line_label").list.join(" / "))
        .alias("label"),
        pl.col("line_label").list.len().cast(pl.Int64).alias("names"),
        "first_row",
    )


@dataclass(frozen=True)
class BudgetDocument:
    """A document that prints a budget per line (a plan table), found in the data."""

    doc_id: str
    title: str
    doc_date: str
    budget_year: int  # its latest council budget year (else its first plan year)
    last_year: int

    @property
    def label(self) -> str:
        span = (
            f"{self.budget_year}–{self.last_year}"
            if self.last_year > self.budget_year
            else str(self.budget_year)
        )
        return f"{self.title} (budget {span})"


def budget_documents(figs: pl.DataFrame, documents: pl.DataFrame) -> list[BudgetDocument]:
    """The organisation's budget documents, newest first (by date, then by budget year).

    ``documents`` is ``org_documents`` (doc_id, title, doc_date); a document counts when
    it prints a plan table. Nothing here knows a document by name or year.
    """
    plan = figs.filter(pl.col("table_id").is_in(PLAN_TABLES))
    if plan.is_empty():
        return []
    info = {r["doc_id"]: r for r in documents.iter_rows(named=True)}
    out = []
    for (doc_id,), part in plan.partition_by("doc_id", as_dict=True).items():
        decided = part.filter(pl.col("version") == "budget_kf")["year"]
        planned = part.filter(pl.col("version") == "plan")["year"]
        budget_year = decided.max() if decided.len() else planned.min()
        if budget_year is None:
            budget_year = part["year"].max()
        doc = info.get(doc_id, {})
        out.append(
            BudgetDocument(
                doc_id=doc_id,
                title=doc.get("title") or doc_id,
                doc_date=str(doc.get("doc_date") or ""),
                budget_year=int(budget_year),
                last_year=int(part["year"].max()),
            )
        )
    return sorted(out, key=lambda d: (d.doc_date, d.budget_year, d.doc_id), reverse=True)


def of_budget_document(figs: pl.DataFrame, doc_id: str | None) -> pl.DataFrame:
    """``figs`` with the plan and summary tables of one budget document only.

    Two budget documents print the same years (the plan 2027 of one, the budget 2027 of
    the next): a page shows one document's columns at a time, never a mix.
    """
    if doc_id is None:
        return figs
    budget_tables = (*PLAN_TABLES, SUMMARY_TABLE)
    return figs.filter(~pl.col("table_id").is_in(budget_tables) | (pl.col("doc_id") == doc_id))


def latest_forecast_doc(figs: pl.DataFrame, year: int | None = None) -> str | None:
    """The report with the newest forecast (for ``year`` if given): latest year, as_of."""
    rep = figs.filter(pl.col("table_id") == FORECAST_TABLE)
    if year is not None:
        rep = rep.filter(pl.col("year") == year)
    if rep.is_empty():
        return None
    return rep.sort(["year", "as_of", "doc_id"], descending=True)["doc_id"][0]


def of_forecast_document(figs: pl.DataFrame, doc_id: str | None) -> pl.DataFrame:
    """``figs`` with the forecast and analysis tables of one report only (all when None)."""
    if doc_id is None:
        return figs
    report_tables = (FORECAST_TABLE, ANALYSIS_TABLE, RESULT_TABLE)
    return figs.filter(~pl.col("table_id").is_in(report_tables) | (pl.col("doc_id") == doc_id))


def budget_age_note(budget_year: int | None, today_year: int, what: str = "budget") -> str | None:
    """Swedish note when the newest budget is for an earlier year than the current one."""
    if budget_year is None:
        return f"Ingen {what} är inläst för organisationen."
    if budget_year >= today_year:
        return None
    return f"Senaste {what} gäller {budget_year}; det finns ingen {what} för {today_year}."


def adjusted_budget_years(figs: pl.DataFrame) -> list[int]:
    """Years whose council budget (in a plan table) a report also prints as adjusted.

    Derived from the data: a ``budget_justerad`` figure in a forecast table for a year
    that the plan table has as ``budget_kf``.
    """
    decided = set(
        figs.filter(pl.col("table_id").is_in(PLAN_TABLES) & (pl.col("version") == "budget_kf"))[
            "year"
        ].to_list()
    )
    adjusted = set(
        figs.filter(
            (pl.col("table_id") == FORECAST_TABLE)
            & (pl.col("version") == "budget_justerad")
            & ~pl.col("doc_id").is_in(report_plan_docs(figs))
        )["year"].to_list()
    )
    return sorted(decided & adjusted)


def report_plan_docs(figs: pl.DataFrame) -> list[str]:
    """Documents whose plan table is their own report's columns (see report_as_plan)."""
    plan = figs.filter(pl.col("table_id").is_in(PLAN_TABLES))["doc_id"].unique()
    report = figs.filter(pl.col("table_id") == FORECAST_TABLE)["doc_id"].unique()
    return sorted(set(plan.to_list()) & set(report.to_list()))


REPORT_PLAN_VERSIONS = {"bokslut": "bokslut", "utfall": "utfall", "budget_justerad": "budget_kf"}


def report_as_plan(figs: pl.DataFrame) -> pl.DataFrame:
    """``figs`` with the newest report's columns as a plan table when there is none.

    An organisation whose only operating document is a report (a year-end
    Driftredovisning: Utfall 2025, Budget 2025, Återstår) has no budget with plan; its
    report's outcome and budget per line then stand as the plan table's columns, rows
    as printed (same document, line and value). The report's budget column is the only
    budget the organisation has for the year, so it is shown as that year's budget
    (``Budget 2025``, as printed). Unchanged when any plan table exists.
    """
    if not figs.filter(pl.col("table_id").is_in(PLAN_TABLES)).is_empty():
        return figs
    doc = latest_forecast_doc(figs)
    if doc is None:
        return figs
    rows = figs.filter(
        (pl.col("table_id") == FORECAST_TABLE)
        & (pl.col("doc_id") == doc)
        & pl.col("version").is_in(list(REPORT_PLAN_VERSIONS))
    )
    derived = rows.with_columns(
        pl.lit(PLAN_TABLES[0]).alias("table_id"),
        pl.col("version").replace_strict(REPORT_PLAN_VERSIONS),
    )
    return pl.concat([figs, derived.select(figs.columns)], how="vertical")


def report_is_outcome(figs: pl.DataFrame) -> bool:
    """True when the forecast table is a year-end report: outcome and no forecast."""
    rep = figs.filter(pl.col("table_id") == FORECAST_TABLE)
    versions = set(rep["version"].unique().to_list())
    return "utfall" in versions and "prognos" not in versions


def forecast_labels(figs: pl.DataFrame) -> dict[str, str]:
    """Headers of the forecast tab: a year-end report's outcome is labelled ``Utfall``
    (never ``Prognos``), its budget and deviation by their printed column headers."""
    labels = {
        "outcome": "Prognos helår",
        "budget": "Budget (justerad)",
        "deviation": "Avvikelse",
        "bridge_end": "Prognos",
    }
    if not report_is_outcome(figs):
        return labels
    rep = figs.filter(pl.col("table_id") == FORECAST_TABLE)
    year = rep["year"].max()

    def printed(version: str, default: str) -> str:
        hit = rep.filter(pl.col("version") == version)["column_label"]
        return hit[0] if hit.len() and hit[0] else default

    outcome = printed("utfall", f"Utfall {year}")
    return {
        "outcome": outcome,
        "budget": printed("budget_justerad", f"Budget {year}"),
        "deviation": printed("avvikelse", "Avvikelse"),
        "bridge_end": outcome,
    }


def plan_periods(figs: pl.DataFrame, budget: str = BUDGET_DECIDED) -> list[Period]:
    """The columns of the budget-against-plan table, oldest first.

    The plan table's own versions (bokslut, budgets, plans) come from its document;
    with ``budget=BUDGET_ADJUSTED`` the council's budget column of every year in
    :func:`adjusted_budget_years` is replaced by the report's adjusted budget.
    """
    plan = figs.filter(pl.col("table_id").is_in(PLAN_TABLES))
    seen = (
        plan.select("doc_id", "version", "year")
        .unique()
        .with_columns(pl.col("version").replace_strict(VERSION_ORDER, default=9).alias("o"))
        .sort(["year", "o"])
    )
    periods = [
        Period(
            f"{r['doc_id']}:{r['version']}:{r['year']}",
            period_label(r["version"], r["year"]),
            r["doc_id"],
            r["version"],
            r["year"],
        )
        for r in seen.iter_rows(named=True)
    ]
    if budget == BUDGET_ADJUSTED:
        adjusted = (
            figs.filter(
                (pl.col("table_id") == FORECAST_TABLE) & (pl.col("version") == "budget_justerad")
            )
            .select("doc_id", "year")
            .unique()
        )
        for r in adjusted.iter_rows(named=True):
            periods = [
                Period(
                    f"{r['doc_id']}:budget_justerad:{r['year']}",
                    period_label("budget_justerad", r["year"]),
                    r["doc_id"],
                    "budget_justerad",
                    r["year"],
                )
                if p.version == "budget_kf" and p.year == r["year"]
                else p
                for p in periods
            ]
    return periods


def _period_values(figs: pl.DataFrame, period: Period, measure: str) -> pl.DataFrame:
    tables = (FORECAST_TABLE,) if period.version == "budget_justerad" else PLAN_TABLES
    return figs.filter(
        pl.col("table_id").is_in(tables)
        & (pl.col("doc_id") == period.doc_id)
        & (pl.col("version") == period.version)
        & (pl.col("year") == period.year)
        & (pl.col("measure") == measure)
        & (pl.col("row_kind") != "memo")
    ).select("line_key", "row_kind", pl.col("value").alias(period.key), pl.col("has_erratum"))


def plan_table(figs: pl.DataFrame, periods: list[Period], measure: str = "netto") -> pl.DataFrame:
    """Wide table: one row per line (printed total last), one column per period.

    Columns: ``line_key``, ``code``, ``label``, ``is_total`` and one Decimal column per
    period key (None where the period has no printed figure for that line).
    """
    labels = line_labels(figs.filter(pl.col("table_id").is_in((*PLAN_TABLES, FORECAST_TABLE))))
    wide = _wide_values(figs, periods, measure)
    if wide is None:
        wide = _joined_values(figs, periods, measure)
    if wide is None or wide.is_empty():
        cols = {
            "line_key": pl.String,
            "code": pl.String,
            "label": pl.String,
            "is_total": pl.Boolean,
        }
        return pl.DataFrame(schema=cols | {p.key: DECIMAL for p in periods})
    wide = wide.join(labels, on="line_key", how="left").with_columns(
        pl.col("line_key").map_elements(code_of, return_dtype=pl.String).alias("code"),
        (pl.col("row_kind") == "total").alias("is_total"),
        pl.col("label").fill_null(pl.col("line_key")),
    )
    order = wide.with_columns(
        pl.when(pl.col("is_total")).then(1).otherwise(0).alias("_t"),
        pl.col("code").cast(pl.Int64, strict=False).fill_null(999).alias("_c"),
    ).sort(["_t", "_c", "first_row", "label"])
    return order.select("line_key", "code", "label", "is_total", *[p.key for p in periods])


def _wide_values(figs: pl.DataFrame, periods: list[Period], measure: str) -> pl.DataFrame | None:
    """``line_key``, ``row_kind`` and one value column per period, in one pass over the rows.

    The same cells as ``_joined_values`` (a full join of each period's rows on the line
    key) without a Polars filter and join per period. None when a line has more than one
    row in a period (the join would repeat it), so that case keeps the join's result.
    """
    wanted: dict[tuple[str, str, int], list[tuple[int, tuple[str, ...]]]] = {}
    for i, p in enumerate(periods):
        tables = (FORECAST_TABLE,) if p.version == "budget_justerad" else PLAN_TABLES
        wanted.setdefault((p.doc_id, p.version, p.year), []).append((i, tables))
    rows = figs.filter(
        (pl.col("measure") == measure)
        & (pl.col("row_kind") != "memo")
        & pl.col("table_id").is_in((*PLAN_TABLES, FORECAST_TABLE))
    )
    kinds: dict[str, str] = {}  # line key -> row kind of its first period, first seen
    first: dict[str, int] = {}
    cells: list[dict[str, object]] = [{} for _ in periods]
    columns = ("table_id", "doc_id", "version", "year", "line_key", "row_kind", "value")
    for table, doc, version, year, key, kind, value in zip(
        *(rows[c].to_list() for c in columns), strict=True
    ):
        for i, tables in wanted.get((doc, version, year), ()):
            if table not in tables:
                continue
            if key in cells[i]:
                return None
            cells[i][key] = value
            if key not in first or i < first[key]:
                first[key], kinds[key] = i, kind
    if not kinds:
        return None
    keys = sorted(kinds, key=lambda k: (first[k], k))
    dtype = figs.schema["value"]
    return pl.DataFrame(
        [
            pl.Series("line_key", keys, dtype=pl.String),
            pl.Series("row_kind", [kinds[k] for k in keys], dtype=pl.String),
            *(
                pl.Series(p.key, [cells[i].get(k) for k in keys], dtype=dtype)
                for i, p in enumerate(periods)
            ),
        ]
    )


def _joined_values(figs: pl.DataFrame, periods: list[Period], measure: str) -> pl.DataFrame | None:
    """Each period's rows joined on the line key (full join; row kind of the first)."""
    wide: pl.DataFrame | None = None
    for period in periods:
        values = _period_values(figs, period, measure).select("line_key", "row_kind", period.key)
        if wide is None:
            wide = values
        else:
            wide = wide.join(values, on="line_key", how="full", coalesce=True, suffix="_r")
            wide = wide.with_columns(pl.coalesce("row_kind", "row_kind_r").alias("row_kind")).drop(
                "row_kind_r"
            )
    return wide


def changes(table: pl.DataFrame, periods: list[Period]) -> pl.DataFrame:
    """Year-on-year change between consecutive periods, in the unit and in percent.

    Returns ``line_key``, ``code``, ``label``, ``is_total`` and for each consecutive pair
    ``Δ <label>`` (amount) and ``Δ% <label>`` columns, computed from printed values.
    """
    out = table.select("line_key", "code", "label", "is_total")
    rows = table.to_dicts()
    for prev, cur in zip(periods, periods[1:], strict=False):
        name = f"{prev.label} → {cur.label}"
        diffs = [
            None if r[prev.key] is None or r[cur.key] is None else r[cur.key] - r[prev.key]
            for r in rows
        ]
        pcts = [percent_change(r[prev.key], r[cur.key]) for r in rows]
        out = out.with_columns(
            pl.Series(f"Δ {name}", diffs, dtype=DECIMAL),
            pl.Series(
                f"Δ% {name}", [None if p is None else float(p) for p in pcts], dtype=pl.Float64
            ),
        )
    return out


def summary_table(figs: pl.DataFrame, periods: list[Period]) -> pl.DataFrame:
    """Income, cost and net for the whole board per period, as printed.

    From the summary table where the document has one (Askersund's ``drift_summa``),
    otherwise from the printed total row of the plan table (Lerum's ``Totalt``).
    """
    summary = figs.filter(pl.col("table_id") == SUMMARY_TABLE)
    if summary.is_empty():
        summary = figs.filter(
            pl.col("table_id").is_in(PLAN_TABLES) & (pl.col("line_key") == TOTAL_KEY)
        )
    # One pass over the rows instead of a filter per cell; a cell has a value when
    # exactly one row matches it.
    hits: dict[tuple[str, str, int, str], list[object]] = {}
    columns = ("measure", "version", "year", "doc_id", "value")
    for measure, version, year, doc_id, value in zip(
        *(summary[c].to_list() for c in columns), strict=True
    ):
        hits.setdefault((measure, version, year, doc_id), []).append(value)
    rows = []
    for measure, label in MEASURE_LABELS.items():
        row: dict[str, object] = {"measure": measure, "label": label}
        for p in periods:
            found = hits.get((measure, p.version, p.year, p.doc_id), [])
            row[p.key] = found[0] if len(found) == 1 else None
        rows.append(row)
    schema = {"measure": pl.String, "label": pl.String} | {p.key: DECIMAL for p in periods}
    return pl.DataFrame(rows, schema=schema)


def forecast_table(figs: pl.DataFrame) -> pl.DataFrame:
    """The interim report per verksamhet: outcome, forecast, budget, deviation (printed).

    ``deviation_pct`` is computed: deviation / |budget| × 100 (None for a zero budget).
    ``deviation_check`` is forecast − budget, to show where the printed deviation
    differs from its parts.
    """
    rep = figs.filter(pl.col("table_id") == FORECAST_TABLE)
    if rep.is_empty():
        return pl.DataFrame(
            schema={
                "line_key": pl.String,
                "code": pl.String,
                "label": pl.String,
                "is_total": pl.Boolean,
                "utfall": DECIMAL,
                "prognos": DECIMAL,
                "budget": DECIMAL,
                "avvikelse": DECIMAL,
                "deviation_pct": pl.Float64,
                "deviation_check": DECIMAL,
                "as_of": pl.String,
                "doc_id": pl.String,
                "has_erratum": pl.Boolean,
                "year": pl.Int32,
            }
        )
    version_col = {
        "utfall": "utfall",
        "prognos": "prognos",
        "budget_justerad": "budget",
        "avvikelse": "avvikelse",
    }
    wide = (
        rep.filter(pl.col("version").is_in(list(version_col)))
        .with_columns(pl.col("version").replace_strict(version_col).alias("col"))
        .pivot(
            on="col",
            index=["line_key", "line_label", "row_kind", "row_no", "doc_id"],
            values="value",
            aggregate_function="first",
        )
    )
    for col in version_col.values():
        if col not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=DECIMAL).alias(col))
    if report_is_outcome(rep):
        wide = wide.with_columns(pl.col("utfall").alias("prognos"))
    errata = rep.group_by("line_key").agg(pl.col("has_erratum").any())
    as_of = rep.filter(pl.col("as_of") != "")["as_of"].max()
    year = rep["year"].max()
    rows = wide.join(errata, on="line_key", how="left").sort("row_no").to_dicts()
    for r in rows:
        pct = percent_change(r["budget"], r["prognos"]) if r["avvikelse"] is not None else None
        r["deviation_pct"] = None if pct is None else float(pct)
        r["deviation_check"] = (
            None if r["prognos"] is None or r["budget"] is None else r["prognos"] - r["budget"]
        )
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame.select(
        "line_key",
        pl.col("line_key").map_elements(code_of, return_dtype=pl.String).alias("code"),
        pl.col("line_label").alias("label"),
        (pl.col("row_kind") == "total").alias("is_total"),
        pl.col("utfall").cast(DECIMAL),
        pl.col("prognos").cast(DECIMAL),
        pl.col("budget").cast(DECIMAL),
        pl.col("avvikelse").cast(DECIMAL),
        pl.col("deviation_pct").cast(pl.Float64),
        pl.col("deviation_check").cast(DECIMAL),
        pl.lit(as_of or "").alias("as_of"),
        "doc_id",
        pl.col("has_erratum").fill_null(False),
        pl.lit(year, dtype=pl.Int32).alias("year"),
    )


def largest_deviation_index(forecast: pl.DataFrame) -> int:
    """Position of the line with the largest absolute deviation (0 when none is printed).

    The detail view opens on the line that matters most in this report, whatever its key.
    """
    if forecast.is_empty():
        return 0
    devs = [abs(v) if v is not None else -1 for v in forecast["avvikelse"].to_list()]
    return max(range(len(devs)), key=devs.__getitem__)


@dataclass(frozen=True)
class Bridge:
    """A walk from the budgeted result to the forecast result, one step per verksamhet."""

    start_label: str
    start: Decimal
    steps: list[tuple[str, Decimal]]
    end_label: str
    end: Decimal
    residual: Decimal

    @property
    def labels(self) -> list[str]:
        return [self.start_label, *[s[0] for s in self.steps], self.end_label]


def plan_bridge(table: pl.DataFrame, start: Period, end: Period) -> Bridge | None:
    """From one period's printed total to another's, one step per line's change."""
    totals = table.filter(pl.col("is_total"))
    if totals.height != 1:
        return None
    total = totals.row(0, named=True)
    if total[start.key] is None or total[end.key] is None:
        return None
    steps = []
    for r in table.filter(~pl.col("is_total")).iter_rows(named=True):
        a, b = r[start.key] or Decimal(0), r[end.key] or Decimal(0)
        if b != a:
            steps.append((r["label"], b - a))
    moved = sum((s[1] for s in steps), Decimal(0))
    return Bridge(
        start_label=start.label,
        start=total[start.key],
        steps=steps,
        end_label=end.label,
        end=total[end.key],
        residual=(total[end.key] - total[start.key]) - moved,
    )


def forecast_bridge(
    forecast: pl.DataFrame,
    min_step: Decimal = Decimal(0),
    labels: dict[str, str] | None = None,
) -> Bridge | None:
    """Budget total → forecast total through each line's printed deviation.

    Start and end are the printed totals. If the printed deviations do not add up to
    the difference of the printed totals, the gap is a separate, labelled step
    (``residual``) instead of being hidden in another bar.
    """
    totals = forecast.filter(pl.col("is_total"))
    if totals.height != 1:
        return None
    total = totals.row(0, named=True)
    if total["budget"] is None or total["prognos"] is None:
        return None
    steps = [
        (r["label"], r["avvikelse"])
        for r in forecast.filter(~pl.col("is_total")).iter_rows(named=True)
        if r["avvikelse"] is not None and abs(r["avvikelse"]) > min_step
    ]
    moved = sum((s[1] for s in steps), Decimal(0))
    residual = (total["prognos"] - total["budget"]) - moved
    return Bridge(
        start_label=(labels or {}).get("budget", "Budget (justerad)"),
        start=total["budget"],
        steps=steps,
        end_label=(labels or {}).get("bridge_end", "Prognos"),
        end=total["prognos"],
        residual=residual,
    )


def line_split(figs: pl.DataFrame, line_key: str) -> pl.DataFrame:
    """Income and cost of one verksamhet per version where the source prints them."""
    rows = figs.filter(
        (pl.col("line_key") == line_key)
        & pl.col("measure").is_in(["intakt", "kostnad", "netto"])
        & (pl.col("version") != "avvikelse")
    )
    if rows.is_empty():
        return pl.DataFrame(
            schema={
                "Version": pl.String,
                "Intäkter": DECIMAL,
                "Kostnader": DECIMAL,
                "Netto": DECIMAL,
            }
        )
    out = []
    for (doc, version, year), grp in rows.group_by(
        ["doc_id", "version", "year"], maintain_order=True
    ):

        def pick(measure: str, grp: pl.DataFrame = grp) -> Decimal | None:
            hit = grp.filter(pl.col("measure") == measure)
            return hit["value"][0] if hit.height else None

        income, cost, net = pick("intakt"), pick("kostnad"), pick("netto")
        if income is None and cost is None:
            continue
        out.append(
            {
                "Version": period_label(version, year),
                "Intäkter": income,
                "Kostnader": cost,
                "Netto": net,
                "_o": (year, VERSION_ORDER.get(version, 9), doc),
            }
        )
    out.sort(key=lambda r: r["_o"])
    return pl.DataFrame(
        [{k: v for k, v in r.items() if k != "_o"} for r in out],
        schema={
            "Version": pl.String,
            "Intäkter": DECIMAL,
            "Kostnader": DECIMAL,
            "Netto": DECIMAL,
        },
    )


# --- display shaping (pure; the page renders what these return) ---------------------

MODES = {"belopp": "Belopp", "andring": "Förändring", "andring_pct": "Förändring %"}
FLAG = "⚠ "


def flagged_lines(figs: pl.DataFrame, findings: pl.DataFrame) -> set[tuple[str, str]]:
    """(table_id, line_key) pairs with an erratum or a reconciliation finding."""
    flagged = {
        (r["table_id"], r["line_key"])
        for r in figs.filter(pl.col("has_erratum"))
        .select("table_id", "line_key")
        .iter_rows(named=True)
    }
    if not findings.is_empty():
        by_label = figs.select("table_id", "line_label", "line_key").unique()
        hits = findings.select("table_id", "line_label").join(
            by_label, on=["table_id", "line_label"]
        )
        flagged |= {(r["table_id"], r["line_key"]) for r in hits.iter_rows(named=True)}
    return flagged


def plan_display(
    table: pl.DataFrame,
    periods: list[Period],
    *,
    mode: str = "belopp",
    unit: str = "tkr",
    flagged: set[str] | frozenset[str] = frozenset(),
    line_title: str = "Verksamhet",
) -> tuple[pl.DataFrame, dict[str, list], list[int]]:
    """Formatted budget-against-plan table: text columns, sign colours, total row index."""
    decimals = vocab.decimals(unit)
    labels = [
        (FLAG if r["line_key"] in flagged else "") + r["label"] for r in table.iter_rows(named=True)
    ]
    out = pl.DataFrame({line_title: labels})
    colors: dict[str, list] = {}
    if mode == "belopp":
        # One frame of all columns (a with_columns per period costs time on every run).
        out = pl.DataFrame(
            [
                pl.Series(line_title, labels, dtype=pl.String),
                *(
                    pl.Series(
                        p.label, [fmt.number(v, decimals) for v in table[p.key]], dtype=pl.String
                    )
                    for p in periods
                ),
            ]
        )
    else:
        ch = changes(table, periods)
        for prev, cur in zip(periods, periods[1:], strict=False):
            name = f"{prev.label} → {cur.label}"
            header = f"{cur.label} mot {prev.label}"
            if mode == "andring":
                values = ch[f"Δ {name}"].to_list()
                text = [fmt.number(v, decimals, signed=True) for v in values]
            else:
                values = ch[f"Δ% {name}"].to_list()
                text = [fmt.percent(v, 1, signed=True) for v in values]
            out = out.with_columns(pl.Series(header, text, dtype=pl.String))
            # Net cost is negative: a positive change lowers the cost (green).
            colors[header] = values
    total_rows = [i for i, t in enumerate(table["is_total"].to_list()) if t]
    return out, colors, total_rows


def forecast_display(
    forecast: pl.DataFrame,
    flagged: set[str] | frozenset[str] = frozenset(),
    refs: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
) -> tuple[pl.DataFrame, list, list[int]]:
    """Formatted forecast-against-budget table; returns text, deviation values, total rows.

    ``labels`` (from :func:`forecast_labels`) names the columns; for a year-end report
    the outcome is the year's result, shown once under its own header.
    """
    refs = refs or {}
    raw = forecast_raw(forecast, refs, labels)
    rows = forecast.to_dicts()
    formatted = {name: [fmt.number(v) for v in raw[name]] for name in raw.columns[1:-3]}
    deviation, pct = raw.columns[-3], raw.columns[-2]
    out = pl.DataFrame(
        {
            "Verksamhet": [(FLAG if r["line_key"] in flagged else "") + r["label"] for r in rows],
            **formatted,
            deviation: [fmt.number(r["avvikelse"], signed=True) for r in rows],
            pct: [fmt.percent(r["deviation_pct"], 1, signed=True) for r in rows],
            "Analys": [refs.get(r["line_key"], "") for r in rows],
        },
        schema={c: pl.String for c in raw.columns},
    )
    return out, [r["avvikelse"] for r in rows], [i for i, r in enumerate(rows) if r["is_total"]]


def plan_raw(
    table: pl.DataFrame,
    periods: list[Period],
    *,
    mode: str = "belopp",
    line_title: str = "Verksamhet",
) -> pl.DataFrame:
    """The figures behind ``plan_display`` as numbers, same headers (for an Excel download).

    Amounts stay Decimal as printed; changes are computed as in ``changes``; a change in
    percent is a float. Labels are plain (no markers).
    """
    out = table.select(pl.col("label").alias(line_title))
    if mode == "belopp":
        return out.with_columns(table[p.key].alias(p.label) for p in periods)
    ch = changes(table, periods)
    prefix = "Δ" if mode == "andring" else "Δ%"
    return out.with_columns(
        ch[f"{prefix} {prev.label} → {cur.label}"].alias(f"{cur.label} mot {prev.label}")
        for prev, cur in zip(periods, periods[1:], strict=False)
    )


def forecast_raw(
    forecast: pl.DataFrame,
    refs: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
) -> pl.DataFrame:
    """The figures behind ``forecast_display`` as numbers, same headers."""
    refs = refs or {}
    labels = labels or {}
    as_of = forecast["as_of"][0] if forecast.height else ""
    outcome = labels.get("outcome", "Prognos helår")
    deviation = labels.get("deviation", "Avvikelse")
    year_end = outcome != "Prognos helår"
    return forecast.select(
        pl.col("label").alias("Verksamhet"),
        *([] if year_end else [pl.col("utfall").alias(f"Utfall {as_of}")]),
        pl.col("prognos").alias(outcome),
        pl.col("budget").alias(labels.get("budget", "Budget (justerad)")),
        pl.col("avvikelse").alias(deviation),
        pl.col("deviation_pct").alias(f"{deviation} %"),
        pl.col("line_key").replace_strict(refs, default="", return_dtype=pl.String).alias("Analys"),
    )


def bridge_note(bridge: Bridge | None, unit: str) -> str | None:
    """Why a bridge has a 'Differens i källan' bar, in Swedish; None when it has none."""
    if bridge is None or bridge.residual == 0:
        return None
    decimals = vocab.decimals(unit)
    lines = fmt.number(bridge.end - bridge.start - bridge.residual, decimals, signed=True)
    totals = fmt.number(bridge.end - bridge.start, decimals, signed=True)
    return (
        f"Raderna förändras med {lines} {unit} men de tryckta summorna med {totals} {unit}; "
        "skillnaden visas som en egen stapel. Se Datakvalitet."
    )


def finding_messages(findings: pl.DataFrame, labels: list[str]) -> list[str]:
    """Swedish one-liners for the reconciliation findings on lines with these labels."""
    hits = findings.filter(pl.col("line_label").is_in(labels))
    return [
        f"{f['description']}: tryckt {fmt.number(f['reported'])}, beräknat "
        f"{fmt.number(f['computed'])} ({f['column_label']}). {f['other']}".strip()
        for f in hits.iter_rows(named=True)
    ]


# --- outcome by month (uploaded by finance staff) ------------------------------------

THOUSAND = Decimal(1000)
TKR_EXACT = pl.Decimal(20, 5)


def year_budget_period(figs: pl.DataFrame, year: int) -> Period | None:
    """The budget a year's outcome is followed against.

    The budget as adjusted during the year when a report prints one (it is the budget
    the board is held to), otherwise the council's budget for that year.
    """
    adjusted = [
        p
        for p in plan_periods(figs, BUDGET_ADJUSTED)
        if p.year == year and p.version == "budget_justerad"
    ]
    if adjusted:
        return adjusted[0]
    council = [p for p in plan_periods(figs) if p.year == year and p.version == "budget_kf"]
    return council[0] if council else None


def monthly_outcome(outcome: pl.DataFrame, budget_total: Decimal | None) -> pl.DataFrame:
    """Accumulated outcome per month against the year's budget spread evenly over 12 months.

    ``outcome`` is ``upl_outcome_by_month`` (kronor). Returns month, outcome and
    accumulated outcome in tkr, and the accumulated budget (None without a budget).
    Months without uploaded rows are not invented, and the budget is only counted for
    months that have outcome: ``budget × (loaded months so far) / 12``, so April alone
    is compared with one twelfth of the budget, never with four (``missing_months``
    names the gaps).
    """
    # Five decimals: an amount in kronor with öre is exact in tkr.
    schema = {
        "month": pl.Int32,
        "outcome_tkr": TKR_EXACT,
        "accumulated_tkr": TKR_EXACT,
        "budget_accumulated_tkr": TKR_EXACT,
    }
    if outcome.is_empty():
        return pl.DataFrame(schema=schema)
    months = (
        outcome.filter(pl.col("month").is_not_null())
        .group_by("month")
        .agg(pl.col("amount_kr").sum())
        .sort("month")
    )
    rows, running = [], Decimal(0)
    for loaded, (month, amount) in enumerate(months.iter_rows(), start=1):
        tkr = Decimal(amount) / THOUSAND
        running += tkr
        rows.append(
            {
                "month": month,
                "outcome_tkr": tkr,
                "accumulated_tkr": running,
                "budget_accumulated_tkr": None
                if budget_total is None
                else budget_total * loaded / 12,
            }
        )
    return pl.DataFrame(rows, schema=schema)


MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december",
)  # fmt: skip


def month_names(months: list[int]) -> str:
    """``[1, 2, 3]`` -> ``januari, februari och mars``."""
    names = [MONTH_NAMES[m - 1] for m in months]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def span_label(period: str) -> str | None:
    """An uploaded period that is not one month, in words: ``2025`` -> ``helåret 2025``,
    ``2025-01–04`` -> ``januari–april 2025`` (None for a month, ``2025-04``)."""
    if len(period) == 4 and period.isdigit():
        return f"helåret {period}"
    if len(period) == 10 and period[4:8] == "-01\u2013" and period[8:].isdigit():
        return f"januari\u2013{MONTH_NAMES[int(period[8:]) - 1]} {period[:4]}"
    return None


def missing_months(monthly: pl.DataFrame) -> list[int]:
    """Months from January to the last loaded month that have no outcome."""
    if monthly.is_empty():
        return []
    loaded = set(monthly["month"].to_list())
    return [m for m in range(1, max(loaded) + 1) if m not in loaded]


def outcome_by_line(
    outcome: pl.DataFrame, budget: pl.DataFrame, budget_key: str | None
) -> pl.DataFrame:
    """Per verksamhet: the year's budget, accumulated outcome, and budget used in percent.

    ``budget`` is a plan table holding the column ``budget_key``. The share used is
    |accumulated outcome| / |budget| × 100 (None for a zero or missing budget), so it
    reads the same whatever sign convention the finance system exports.
    """
    last = outcome["month"].max() if not outcome.is_empty() else None
    acc = (
        outcome.group_by("line_key").agg(
            pl.col("amount_kr").sum().alias("acc_kr"),
            pl.col("verksamhet_name").first().alias("uploaded_name"),
        )
        if not outcome.is_empty()
        else pl.DataFrame(
            schema={"line_key": pl.String, "acc_kr": pl.Decimal(18, 2), "uploaded_name": pl.String}
        )
    )
    lines = budget.filter(~pl.col("is_total")).select(
        "line_key", "label", *([budget_key] if budget_key else [])
    )
    # Document order, then lines only the upload has (a full join keeps no order).
    joined = lines.join(acc, on="line_key", how="full", coalesce=True, maintain_order="left_right")
    rows = []
    for r in joined.iter_rows(named=True):
        b = r.get(budget_key) if budget_key else None
        acc_tkr = None if r["acc_kr"] is None else Decimal(r["acc_kr"]) / THOUSAND
        used = None if acc_tkr is None or not b else abs(acc_tkr) / abs(b) * 100
        rows.append(
            {
                "line_key": r["line_key"],
                "label": r["label"] or r["uploaded_name"] or r["line_key"],
                "budget_tkr": b,
                "accumulated_tkr": acc_tkr,
                "used_pct": None if used is None else float(used),
                "through_month": last,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "line_key": pl.String,
            "label": pl.String,
            "budget_tkr": DECIMAL,
            "accumulated_tkr": TKR_EXACT,
            "used_pct": pl.Float64,
            "through_month": pl.Int32,
        },
    )
