"""Investment projects: the year against its budget, the whole life against the total budget.

Pure logic over the frames of ``queries/inv_*.sql`` (frame in, frame out; no Streamlit).
Every amount is a printed figure (after documented errata) in tkr; expenditure is
negative, as in the sources. Nothing here replaces a printed figure: computed values
(the check of a printed deviation, a percentage) sit beside the printed ones.

Definitions (the page states them in Swedish):

- **Year deviation** (*avvikelse*, printed) = forecast − budget for the year. Because
  expenditure is negative, a positive deviation means the project spends less than
  budgeted this year, a negative one more.
- **Whole-life deviation** (*Ack avvikelse projekt*, printed) = total project forecast −
  total project budget. ``life_deviation_check`` recomputes it from the two printed
  totals; the printed figure is what is shown and ranked.
- **Overrun**: a whole-life deviation below zero. Its size in tkr is the printed
  deviation; in percent it is the deviation divided by the absolute total project
  budget, × 100, so it keeps the deviation's sign (−15,7 % = 15,7 % more expensive than
  the total budget). A **zero or missing total budget gives no percentage** (``None``,
  shown as "–"): a share of nothing is undefined, and without a printed total budget
  there is nothing to compare the forecast with.
- **A delay is not an overrun.** A project can spend less than this year's budget
  because it slipped (Askersund förskola, +8 297 tkr in 2024) while costing more over its
  life (−3 000 tkr). :func:`reading` classifies every project by both deviations, so such
  a project reads as "slipped, and more expensive in total", never as a saving.

Projects are the lines of the interim report's year table that make up its printed total
(a project printed with its own sub-items is one project; the items are not), and the
``line`` rows of the budget document's project table; both are found from the table
structure, not from the keys. The budget document names some projects differently: the
``key_matches`` table (seed ``config/key_matches``) is the explicit, reasoned mapping
where keys differ; equal keys match by themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import polars as pl

from budgetrummet import fmt
from budgetrummet.numbers import FigureParseError, parse_figure
from budgetrummet.vocab import BUDGET_VERSIONS, CONTRADICTION, DECIMAL, ERRATUM

AMOUNT = DECIMAL
PERCENT = pl.Decimal(38, 10)
PORTFOLIO_KEY = "total"

# Interim-report tables by role, for notes a reader can follow to the source.
TABLE_ROLES = {
    "inv_ar": "årstabellen",
    "inv_projekt_livs": "projekttabellen",
    "inv_analys": "investeringsanalysen",
    "inv_netto": "sammanställningen",
    "inv_projekt": "budgetens projekttabell",
    "inv_kategori": "budgetens kategoritabell",
}


# Readings of a project's two deviations (see module docstring).
SLIPPED_BUT_OVERRUN = "forskjutning_och_overskridande"
OVERRUN = "overskridande"
WITHIN_LIFE_BUDGET = "inom_total_budget"
CARRIED_OVER = "forskjutning"
LOWER_THIS_YEAR = "lagre_i_ar"
HIGHER_THIS_YEAR = "hogre_i_ar"
ON_BUDGET = "enligt_budget"
UNKNOWN = "okand"

READING_LABELS = {
    SLIPPED_BUT_OVERRUN: "Skjuts framåt i år – men dyrare totalt",
    OVERRUN: "Överskrider total budget",
    WITHIN_LIFE_BUDGET: "Inom total budget",
    CARRIED_OVER: "Skjuts framåt (ombudgetering)",
    LOWER_THIS_YEAR: "Lägre utgift i år",
    HIGHER_THIS_YEAR: "Högre utgift i år",
    ON_BUDGET: "Enligt budget i år",
    UNKNOWN: "–",
}

# The written analysis says the balance will be carried over ("saldo begärs
# ombudgeterat"; the source also spells it "ombudgerat").
_CARRY_OVER = re.compile(r"ombudge", re.IGNORECASE)

MARK_CONTRADICTION = "⚠"
MARK_ROUNDING = "≈"
_MARK_FOR_CLASS = {CONTRADICTION: MARK_CONTRADICTION, ERRATUM: MARK_CONTRADICTION}


# --- the overrun rule --------------------------------------------------------------


def overrun_percent(deviation: Decimal | None, total_budget: Decimal | None) -> Decimal | None:
    """Whole-life deviation in percent of the total project budget (sign of the deviation).

    ``None`` when the deviation or the budget is missing, or the budget is zero.
    """
    if deviation is None or total_budget is None or total_budget == 0:
        return None
    return deviation * 100 / abs(total_budget)


def _percent_expr(deviation: str, budget: str) -> pl.Expr:
    """Vectorised :func:`overrun_percent` (the same rule, tested against it)."""
    dev, bud = pl.col(deviation), pl.col(budget)
    return (
        pl.when(dev.is_not_null() & bud.is_not_null() & (bud != 0))
        .then(dev.cast(PERCENT) * 100 / bud.abs())
        .otherwise(None)
        .cast(PERCENT)
    )


def latest_doc(frame: pl.DataFrame) -> str | None:
    """The document with the latest as-of date (an organisation may have several reports)."""
    if frame.is_empty():
        return None
    return frame.sort(["as_of", "doc_id"], descending=True)["doc_id"][0]


def life_overruns(life: pl.DataFrame) -> pl.DataFrame:
    """Add the whole-life deviation, its check, the percentage and the overrun flag.

    ``life`` is the ``inv_project_life`` query. ``life_deviation`` is the printed
    accumulated deviation; ``life_deviation_check`` = total forecast − total budget;
    ``life_deviation_agrees`` says whether they are equal.
    """
    return life.with_columns(
        life_deviation=pl.col("projekt_avvikelse"),
        life_deviation_check=(pl.col("projekt_prognos") - pl.col("projekt_budget")).cast(AMOUNT),
    ).with_columns(
        life_deviation_agrees=pl.col("life_deviation") == pl.col("life_deviation_check"),
        overrun_pct=_percent_expr("life_deviation", "projekt_budget"),
        is_overrun=pl.col("life_deviation").fill_null(0) < 0,
    )


RANK_BY = {"tkr": "life_deviation", "procent": "overrun_pct"}


def rank_overruns(frame: pl.DataFrame, by: str = "tkr") -> pl.DataFrame:
    """Projects with a whole-life overrun, largest first (by tkr or by percent).

    Ranking by percent puts projects without a percentage (no total budget) last.
    Ties are broken by the other measure, then by name.
    """
    if by not in RANK_BY:
        raise ValueError(f"okänd rangordning {by!r}; välj tkr eller procent")
    if "life_deviation" not in frame.columns:
        frame = life_overruns(frame)
    first = RANK_BY[by]
    second = RANK_BY["procent" if by == "tkr" else "tkr"]
    name = "project" if "project" in frame.columns else "line_label"
    return (
        frame.filter(pl.col("is_overrun"))
        .sort([first, second, name], nulls_last=True)
        .with_row_index("rank", offset=1)
    )


def largest_overruns(frame: pl.DataFrame, n: int = 3, by: str = "tkr") -> pl.DataFrame:
    """The ``n`` largest whole-life overruns of the latest interim report (for the overview).

    ``frame`` is the ``inv_project_life`` query. One row per project: rank, line_key,
    project name as printed in the project-life table, the printed whole-life deviation
    (tkr, negative), its percentage of the total budget (``None`` without a budget), the
    total budget and forecast, and the written cause.
    """
    if n < 1:
        raise ValueError("n måste vara minst 1")
    doc = latest_doc(frame)
    columns = {
        "rank": pl.UInt32,
        "line_key": pl.String,
        "project": pl.String,
        "life_deviation": AMOUNT,
        "overrun_pct": PERCENT,
        "projekt_budget": AMOUNT,
        "projekt_prognos": AMOUNT,
        "cause": pl.String,
        "doc_id": pl.String,
        "as_of": pl.String,
    }
    if doc is None:
        return pl.DataFrame(schema=columns)
    ranked = rank_overruns(
        life_overruns(frame.filter(pl.col("doc_id") == doc)).rename({"line_label": "project"}),
        by,
    )
    return ranked.head(n).select(list(columns)).cast(columns)


# --- readings: a delay is not an overrun -------------------------------------------


def states_carry_over(cause: str | None) -> bool:
    """The written analysis says the unused balance is to be carried over to next year."""
    return bool(cause) and _CARRY_OVER.search(cause) is not None


def reading(
    year_deviation: Decimal | None, life_deviation: Decimal | None, carry_over: bool = False
) -> str:
    """Classify a project by this year's deviation and its whole-life deviation.

    The whole-life figure decides whether there is an overrun; the year figure only says
    whether money moved between years. Without whole-life figures the year figure is
    all there is, and a lower outcome is a saving only if the source does not say the
    balance is carried over.
    """
    if life_deviation is not None:
        if life_deviation < 0:
            if year_deviation is not None and year_deviation > 0:
                return SLIPPED_BUT_OVERRUN
            return OVERRUN
        return WITHIN_LIFE_BUDGET
    if year_deviation is None:
        return UNKNOWN
    if year_deviation > 0:
        return CARRIED_OVER if carry_over else LOWER_THIS_YEAR
    if year_deviation < 0:
        return HIGHER_THIS_YEAR
    return ON_BUDGET


def reading_text(row: dict, year: int | None) -> str:
    """One Swedish sentence that says how to read the project's figures."""
    code = row["reading"]
    year_dev = fmt.tkr(row.get("avvikelse"), signed=True)
    life_dev = fmt.tkr(row.get("life_deviation"), signed=True)
    pct = row.get("overrun_pct")
    budget = f"budget {year}" if year else "årets budget"
    pct_text = f" ({fmt.percent(pct, signed=True)})" if pct is not None else ""
    if code == SLIPPED_BUT_OVERRUN:
        moved = "saldot begärs ombudgeterat till nästa år, och " if row.get("carry_over") else ""
        return (
            f"{year_dev} mot {budget} är ingen besparing: {moved}över hela projekttiden "
            f"blir projektet {life_dev}{pct_text} mot total projektbudget."
        )
    if code == OVERRUN:
        return (
            f"Över hela projekttiden {life_dev}{pct_text} mot total projektbudget; "
            f"{year_dev} mot {budget}."
        )
    if code == WITHIN_LIFE_BUDGET:
        return f"Över hela projekttiden {life_dev} mot total projektbudget."
    if code == CARRIED_OVER:
        return (
            f"{year_dev} mot {budget}; enligt analysen begärs saldot ombudgeterat, alltså "
            "en förskjutning och ingen besparing."
        )
    if code == LOWER_THIS_YEAR:
        return (
            f"{year_dev} mot {budget}; källan anger ingen total projektbudget, så det går "
            "inte att säga om det är förskjutning eller besparing."
        )
    if code == HIGHER_THIS_YEAR:
        return f"{year_dev} mot {budget}; källan anger ingen total projektbudget."
    if code == ON_BUDGET:
        return f"Prognosen är lika med {budget}."
    return "–"


# --- data-quality notes and marks --------------------------------------------------


def _where(row: dict) -> str:
    role = TABLE_ROLES.get(row["table_id"], row["table_title"])
    return f"{role}, rad {row['source_line']}"


def _printed_in_other_unit(row: dict) -> bool:
    """The reported figure was printed in mkr and converted to tkr for the check."""
    try:
        return parse_figure(row["reported_printed"]) * 1000 == row["reported"]
    except FigureParseError:
        return False


def finding_note(row: dict) -> str:
    """A finding of the ``inv_findings`` query as one Swedish sentence with both figures."""
    reported, computed = fmt.tkr(row["reported"]), fmt.tkr(row["computed"])
    if _printed_in_other_unit(row):
        reported = f"{reported} (tryckt ”{row['reported_printed']}” mkr)"
    column, kind = row["column_label"], row["kind"]
    if row["klass"] == ERRATUM:
        return (
            f"Erratum – {column} ({_where(row)}, tryckt ”{row['reported_printed']}”) "
            "stämmer när det dokumenterade tryckfelet rättas."
        )
    prefix = "Motsägelse" if row["klass"] == CONTRADICTION else "Avrundning"
    if kind == "samma_uppgift":
        other = row["other"].removeprefix(f"{row['doc_id']}: ")
        return f"{prefix} – {column} är {reported} i {_where(row)} men {computed} i {other}."
    if kind == "summa":
        return (
            f"{prefix} – {row['line_label']} {column} är tryckt {reported}, men raderna "
            f"summerar till {computed} ({_where(row)})."
        )
    if kind == "avvikelse":
        return (
            f"{prefix} – {column} är tryckt {reported}, men prognos − budget ger "
            f"{computed} ({_where(row)})."
        )
    if kind == "referens":
        return f"{prefix} – {row['description']} ({_where(row)})."
    return f"{prefix} – {row['description']}: tryckt {reported}, beräknat {computed}."


def finding_notes(findings: pl.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(doc_id, line_key) -> notes, worst class first."""
    notes: dict[tuple[str, str], list[str]] = {}
    for row in findings.sort(["klass_order", "source_line"]).iter_rows(named=True):
        if row["line_key"] is None:
            continue
        notes.setdefault((row["doc_id"], row["line_key"]), []).append(finding_note(row))
    return notes


CellKey = tuple[str, str, str, int | None]


def cell_marks(findings: pl.DataFrame) -> dict[CellKey, str]:
    """(doc_id, line_key, version, year) -> mark: ⚠ for a contradiction or an erratum,
    ≈ for a rounding difference. A figure is marked when a check concerns the same
    quantity of the same project, in whichever of the report's tables it was found."""
    marks: dict[CellKey, str] = {}
    for row in findings.sort("klass_order", descending=True).iter_rows(named=True):
        if row["line_key"] is None or row["version"] is None:
            continue
        key = (row["doc_id"], row["line_key"], row["version"], row["year"])
        marks[key] = _MARK_FOR_CLASS.get(row["klass"], MARK_ROUNDING)
    return marks


def marked(value: object, mark: str | None, *, signed: bool = False) -> str:
    """``−17 833 tkr ⚠``; an unprinted figure stays empty, as in the source."""
    if value is None:
        return ""
    text = fmt.tkr(value, signed=signed)
    return f"{text} {mark}" if mark else text


# --- projects: the year table joined with life, budget document and texts -----------


def budget_key_map(
    interim_keys: Iterable[str],
    budget_keys: Iterable[str],
    matches: pl.DataFrame | None = None,
) -> dict[str, str]:
    """Interim project key -> budget-document key: the explicit matches, then equal keys.

    ``matches`` is ``inv_key_matches`` (line_key, match_line_key); none means equal keys only.
    """
    budget = set(budget_keys)
    pairs = (
        matches.select("line_key", "match_line_key").iter_rows()
        if matches is not None
        else iter(())
    )
    explicit = {k: m for k, m in pairs if m in budget}
    out = {}
    for key in interim_keys:
        if key in explicit:
            out[key] = explicit[key]
        elif key in budget:
            out[key] = key
    return out


def budget_doc(plan: pl.DataFrame) -> str | None:
    """The latest budget document (by the last year it covers)."""
    if plan.is_empty():
        return None
    return plan.sort(["year", "doc_id"], descending=True)["doc_id"][0]


def causes(texts: pl.DataFrame) -> pl.DataFrame:
    """The written analysis per project: reference ("Analys 4") and text."""
    return (
        texts.filter(pl.col("table_id") == "inv_analys", pl.col("kind") == "analys")
        .sort("source_line")
        .group_by("doc_id", "line_key", maintain_order=True)
        .agg(
            cause_ref=pl.col("ref").unique(maintain_order=True).str.join(", "),
            cause=pl.col("text").str.join(" "),
        )
    )


PROJECT_COLUMNS = {
    "doc_id": pl.String,
    "row_no": pl.Int32,
    "line_key": pl.String,
    "project": pl.String,
    "category": pl.String,
    "budget_key": pl.String,
    "budget_name": pl.String,
    "life_name": pl.String,
    "other_names": pl.List(pl.String),
    "utfall": AMOUNT,
    "prognos": AMOUNT,
    "budget": AMOUNT,
    "avvikelse": AMOUNT,
    "projekt_utfall": AMOUNT,
    "projekt_prognos": AMOUNT,
    "projekt_budget": AMOUNT,
    "life_deviation": AMOUNT,
    "life_deviation_check": AMOUNT,
    "life_deviation_agrees": pl.Boolean,
    "overrun_pct": PERCENT,
    "is_overrun": pl.Boolean,
    "analys_avvikelse_mkr": AMOUNT,
    "cause_ref": pl.String,
    "cause": pl.String,
    "carry_over": pl.Boolean,
    "reading": pl.String,
    "notes": pl.List(pl.String),
}


def projects(
    year: pl.DataFrame,
    life: pl.DataFrame,
    plan: pl.DataFrame,
    texts: pl.DataFrame,
    findings: pl.DataFrame,
    matches: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per project of the latest interim report's year table, with everything the
    page shows: year figures, whole-life figures and overrun, category and name in the
    budget document, the written cause, the reading and the data-quality notes.

    The reinvestment plan's sub-items and the printed Summa are not projects; see
    :func:`reinvestment_items` and :func:`year_total`.
    """
    doc = latest_doc(year)
    if doc is None:
        return pl.DataFrame(schema=PROJECT_COLUMNS)
    report = year.filter(pl.col("doc_id") == doc)
    lines = report.filter(
        pl.col("line_key") != PORTFOLIO_KEY,
        ~pl.col("rollup_group").fill_null("").is_in(_item_groups(report)),
    ).rename({"line_label": "project"})
    life_cols = life_overruns(life.filter(pl.col("doc_id") == doc)).select(
        "line_key",
        pl.col("line_label").alias("life_name"),
        "projekt_utfall",
        "projekt_prognos",
        "projekt_budget",
        "life_deviation",
        "life_deviation_check",
        "life_deviation_agrees",
        "overrun_pct",
        "is_overrun",
        "analys_avvikelse_mkr",
        "analys_label",
    )
    bdoc = budget_doc(plan)
    budget_lines = plan.filter(
        pl.col("doc_id") == bdoc,
        pl.col("table_id") == "inv_projekt",
        pl.col("row_kind") == "line",
    )
    budget_names = budget_lines.group_by("line_key").agg(
        budget_name=pl.col("line_label").first(), category=pl.col("category").first()
    )
    key_map = budget_key_map(
        lines["line_key"].to_list(),
        budget_names["line_key"].to_list(),
        None if matches is None else matches.filter(pl.col("doc_id") == doc),
    )
    keys = pl.DataFrame(
        {"line_key": list(key_map), "budget_key": list(key_map.values())},
        schema={"line_key": pl.String, "budget_key": pl.String},
    )
    why = causes(texts.filter(pl.col("doc_id") == doc)).drop("doc_id")
    frame = (
        lines.join(life_cols, on="line_key", how="left")
        .join(keys, on="line_key", how="left")
        .join(budget_names.rename({"line_key": "budget_key"}), on="budget_key", how="left")
        .join(why, on="line_key", how="left")
        .with_columns(is_overrun=pl.col("is_overrun").fill_null(False))
    )
    notes = finding_notes(findings)
    rows = []
    for row in frame.iter_rows(named=True):
        carry = states_carry_over(row["cause"])
        names = [row["life_name"], row["analys_label"], row["budget_name"]]
        row_notes = notes.get((doc, row["line_key"]), [])
        if row["budget_key"]:
            row_notes = row_notes + notes.get((bdoc, row["budget_key"]), [])
        rows.append(
            {
                **row,
                "other_names": list(dict.fromkeys(n for n in names if n and n != row["project"])),
                "carry_over": carry,
                "reading": reading(row["avvikelse"], row["life_deviation"], carry),
                "notes": row_notes,
            }
        )
    return pl.DataFrame(rows, schema=PROJECT_COLUMNS).sort("row_no")


def _item_groups(report: pl.DataFrame) -> list[str]:
    """Groups a project line claims to be the total of: its printed sub-items."""
    return (
        report.filter(pl.col("line_key") != PORTFOLIO_KEY, pl.col("total_of").fill_null("") != "")[
            "total_of"
        ]
        .unique()
        .to_list()
    )


def itemised_project(year: pl.DataFrame) -> str | None:
    """Key of the latest report's project printed together with its sub-items, if any.

    Derived from the data: the project line that is a total of other lines (in the seed,
    the reinvestment plan with its individual measures).
    """
    report = year.filter(pl.col("doc_id").eq_missing(latest_doc(year)))
    rows = report.filter(
        pl.col("line_key") != PORTFOLIO_KEY, pl.col("total_of").fill_null("") != ""
    )
    return rows["line_key"][0] if rows.height else None


def reinvestment_items(year: pl.DataFrame) -> pl.DataFrame:
    """The printed sub-items (outcome to date) of the latest report's itemised project."""
    # eq_missing: with no report at all there are no rows, and no warning
    report = year.filter(pl.col("doc_id").eq_missing(latest_doc(year)))
    return report.filter(pl.col("rollup_group").is_in(_item_groups(report))).select(
        "row_no", "line_key", "line_label", "utfall", "source_line"
    )


def reinvestment_table(items: pl.DataFrame) -> pl.DataFrame:
    """The sub-items as the page shows them."""
    return pl.DataFrame(
        {
            "Delpost": items["line_label"].to_list(),
            "Utfall hittills": [marked(v, None) for v in items["utfall"].to_list()],
            "Rad i källan": items["source_line"].to_list(),
        },
        schema={"Delpost": pl.String, "Utfall hittills": pl.String, "Rad i källan": pl.Int32},
    )


def year_total(year: pl.DataFrame) -> dict | None:
    """The year table's printed Summa row of the latest report, or None."""
    doc = latest_doc(year)
    rows = year.filter(pl.col("doc_id").eq_missing(doc), pl.col("line_key") == PORTFOLIO_KEY)
    return rows.row(0, named=True) if rows.height else None


def headline(statements: pl.DataFrame, year: pl.DataFrame) -> dict | None:
    """The portfolio's printed net figures for the year: outcome to date, forecast,
    budget, deviation. From the summary table (inv_netto) where printed, else from the
    year table's Summa row."""
    doc = latest_doc(year) or latest_doc(statements)
    if doc is None:
        return None
    net = statements.filter(pl.col("doc_id") == doc, pl.col("table_id") == "inv_netto")
    if net.height:
        by_version = {r["version"]: r for r in net.iter_rows(named=True)}
        budget = by_version.get("budget_justerad") or by_version.get("budget_kf")
        return {
            "doc_id": doc,
            "year": net["year"].max(),
            "as_of": net["as_of"].max(),
            "utfall": by_version.get("utfall", {}).get("value"),
            "prognos": by_version.get("prognos", {}).get("value"),
            "budget": budget["value"] if budget else None,
            "avvikelse": by_version.get("avvikelse", {}).get("value"),
        }
    total = year_total(year)
    if total is None:
        return None
    return {k: total[k] for k in ("doc_id", "year", "as_of", "utfall", "prognos", "budget")} | {
        "avvikelse": total["avvikelse"]
    }


# --- the portfolio over time (budget document) --------------------------------------


def periods(plan: pl.DataFrame) -> list[str]:
    """The budget document's column labels in year order (Bokslut 2023 … Plan 2028)."""
    cols = plan.select("column_label", "year").unique().sort("year", "column_label")
    return cols["column_label"].to_list()


def category_series(plan: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(lines, totals) of the category table: one row per category × period, and the
    printed Summa per period."""
    doc = budget_doc(plan)
    cat = plan.filter(pl.col("doc_id") == doc, pl.col("table_id") == "inv_kategori")
    cols = ["row_no", "line_key", "line_label", "column_label", "version", "year", "value"]
    lines = cat.filter(pl.col("row_kind") == "line").select(cols).sort("row_no", "year")
    totals = cat.filter(pl.col("row_kind") == "total").select(cols).sort("year")
    return lines, totals


def portfolio_table(plan: pl.DataFrame, marks: dict[CellKey, str]) -> pl.DataFrame:
    """The budget document's project table as printed: one row per project and per
    printed Summa, one text column per period (empty where nothing is printed), with
    data-quality marks."""
    doc = budget_doc(plan)
    proj = plan.filter(pl.col("doc_id") == doc, pl.col("table_id") == "inv_projekt")
    cols = periods(proj)
    schema = {"Rad": pl.String, "Kategori": pl.String} | {c: pl.String for c in cols}
    out = []
    for (row_no,), group in proj.group_by("row_no", maintain_order=True):
        first = group.row(0, named=True)
        label = first["line_label"]
        if first["row_kind"] == "total":
            label = f"{label} {first['category']}".strip() if first["category"] else label
        cells = {c: "" for c in cols}
        for r in group.iter_rows(named=True):
            mark = marks.get((doc, r["line_key"], r["version"], r["year"]))
            cells[r["column_label"]] = marked(r["value"], mark)
        out.append({"_row": row_no, "Rad": label, "Kategori": first["category"] or "", **cells})
    frame = pl.DataFrame(out, schema=schema | {"_row": pl.Int32}, orient="row")
    return frame.sort("_row").drop("_row") if frame.height else frame.drop("_row")


def planned(plan: pl.DataFrame) -> pl.DataFrame:
    """Projects with printed amounts in the plan years (version plan), by category."""
    doc = budget_doc(plan)
    rows = plan.filter(
        pl.col("doc_id") == doc,
        pl.col("table_id") == "inv_projekt",
        pl.col("row_kind") == "line",
        pl.col("version") == "plan",
    )
    return rows.select("row_no", "line_label", "category", "column_label", "year", "value").sort(
        "row_no", "year"
    )


def planned_table(plan: pl.DataFrame) -> pl.DataFrame:
    """The plan years as the page shows them: one row per project with a printed plan
    amount, one text column per plan year (empty where nothing is printed)."""
    rows = planned(plan)
    cols = rows.select("column_label", "year").unique().sort("year")["column_label"].to_list()
    schema = {"Projekt": pl.String, "Kategori": pl.String} | dict.fromkeys(cols, pl.String)
    out = []
    for (_row_no,), group in rows.group_by("row_no", maintain_order=True):
        first = group.row(0, named=True)
        cells = dict.fromkeys(cols, "")
        for r in group.iter_rows(named=True):
            cells[r["column_label"]] = marked(r["value"], None)
        out.append({"Projekt": first["line_label"], "Kategori": first["category"] or "", **cells})
    return pl.DataFrame(out, schema=schema, orient="row")


def carry_overs(frame: pl.DataFrame) -> pl.DataFrame:
    """Projects whose written analysis says the year's unused balance is carried over."""
    return frame.filter(pl.col("carry_over")).select("project", "avvikelse", "cause_ref", "cause")


# --- display tables (Swedish headers, formatted text) -------------------------------


def _mark(
    marks: dict[CellKey, str], row: dict, key: str, version: str, year: int | None
) -> str | None:
    versions = BUDGET_VERSIONS if version == "budget" else (version,)
    found = [
        marks[(row["doc_id"], key, v, year)]
        for v in versions
        if (row["doc_id"], key, v, year) in marks
    ]
    return found[0] if found else None


def overrun_table(
    frame: pl.DataFrame, marks: dict[CellKey, str], year: int | None, by: str = "tkr"
) -> pl.DataFrame:
    """Ranked whole-life overruns as the page shows them."""
    ranked = rank_overruns(frame, by)
    rows = []
    for r in ranked.iter_rows(named=True):
        key = r["line_key"]
        rows.append(
            {
                "Rang": int(r["rank"]),
                "Projekt": r["project"],
                "Kategori": r["category"] or "",
                "Avvikelse hela projekttiden": marked(
                    r["life_deviation"],
                    _mark(marks, r, key, "projekt_avvikelse", year),
                    signed=True,
                ),
                "I % av total budget": fmt.percent(r["overrun_pct"], signed=True),
                "Total budget": marked(r["projekt_budget"], None),
                "Total prognos": marked(r["projekt_prognos"], None),
                "Kostnad hittills": marked(r["projekt_utfall"], None),
                f"Avvikelse {year or 'i år'}": marked(
                    r["avvikelse"], _mark(marks, r, key, "avvikelse", year), signed=True
                ),
                "Så ska det läsas": READING_LABELS[r["reading"]],
                "Orsak enligt analysen": r["cause"] or "",
                "Datakvalitet": " ".join(r["notes"]),
            }
        )
    cols = [
        "Rang",
        "Projekt",
        "Avvikelse hela projekttiden",
        "I % av total budget",
        f"Avvikelse {year or 'i år'}",
        "Så ska det läsas",
        "Orsak enligt analysen",
        "Total budget",
        "Total prognos",
        "Kostnad hittills",
        "Kategori",
        "Datakvalitet",
    ]
    schema = {c: pl.String for c in cols} | {"Rang": pl.Int32}
    return pl.DataFrame(rows, schema=schema, orient="row")


UNCATEGORISED = "Ej i budgetdokumentet"


def year_table(
    frame: pl.DataFrame,
    total: dict | None,
    marks: dict[CellKey, str],
    year: int | None,
    total_notes: list[str] | None = None,
) -> pl.DataFrame:
    """Every project's year figures, the whole-life deviation beside them, the reading,
    the cause and the notes; the printed Summa last."""
    y = year
    cols = [
        "Projekt",
        "Kategori",
        "Utfall hittills",
        f"Prognos {y}",
        f"Budget {y}",
        f"Avvikelse {y}",
        "Avvikelse hela projekttiden",
        "Så ska det läsas",
        "Orsak enligt analysen",
        "Andra namn i källorna",
        "Datakvalitet",
    ]
    rows = []
    for r in frame.iter_rows(named=True):
        key = r["line_key"]
        rows.append(
            [
                r["project"],
                r["category"] or UNCATEGORISED,
                marked(r["utfall"], _mark(marks, r, key, "utfall", y)),
                marked(r["prognos"], _mark(marks, r, key, "prognos", y)),
                marked(r["budget"], _mark(marks, r, key, "budget", y)),
                marked(r["avvikelse"], _mark(marks, r, key, "avvikelse", y), signed=True),
                marked(
                    r["life_deviation"],
                    _mark(marks, r, key, "projekt_avvikelse", y),
                    signed=True,
                ),
                READING_LABELS[r["reading"]],
                r["cause"] or "",
                " · ".join(r["other_names"]),
                " ".join(r["notes"]),
            ]
        )
    if total is not None:
        rows.append(
            [
                f"{total['line_label']} (tryckt)",
                "",
                marked(total["utfall"], _mark(marks, total, PORTFOLIO_KEY, "utfall", y)),
                marked(total["prognos"], _mark(marks, total, PORTFOLIO_KEY, "prognos", y)),
                marked(total["budget"], _mark(marks, total, PORTFOLIO_KEY, "budget", y)),
                marked(
                    total["avvikelse"],
                    _mark(marks, total, PORTFOLIO_KEY, "avvikelse", y),
                    signed=True,
                ),
                "",
                "",
                "",
                "",
                " ".join(total_notes or []),
            ]
        )
    return pl.DataFrame(rows, schema=dict.fromkeys(cols, pl.String), orient="row")


def year_raw(frame: pl.DataFrame, total: dict | None, year: int | None) -> pl.DataFrame:
    """The figures behind ``year_table`` as numbers (tkr as printed, no marks), for an
    Excel download: same rows and headers, text columns as text."""
    y = year
    amounts = {
        "Utfall hittills": "utfall",
        f"Prognos {y}": "prognos",
        f"Budget {y}": "budget",
        f"Avvikelse {y}": "avvikelse",
        "Avvikelse hela projekttiden": "life_deviation",
    }
    money = DECIMAL
    rows = [
        {
            "Projekt": r["project"],
            "Kategori": r["category"] or UNCATEGORISED,
            **{head: r[col] for head, col in amounts.items()},
            "Så ska det läsas": READING_LABELS[r["reading"]],
            "Orsak enligt analysen": r["cause"] or "",
        }
        for r in frame.iter_rows(named=True)
    ]
    if total is not None:
        rows.append(
            {"Projekt": f"{total['line_label']} (tryckt)", "Kategori": ""}
            | {head: total.get(col) for head, col in amounts.items()}
            | {"Så ska det läsas": "", "Orsak enligt analysen": ""}
        )
    schema = (
        {"Projekt": pl.String, "Kategori": pl.String}
        | dict.fromkeys(amounts, money)
        | {"Så ska det läsas": pl.String, "Orsak enligt analysen": pl.String}
    )
    return pl.DataFrame(rows, schema=schema)


def has_investments(year: pl.DataFrame, life: pl.DataFrame, plan: pl.DataFrame) -> bool:
    """Whether the organisation's documents contain any investment figures at all."""
    return not (year.is_empty() and life.is_empty() and plan.is_empty())


PLAN_PERIOD_VERSIONS = ("bokslut", "budget_kf", "budget_justerad", "plan")


def plan_periods(plan: pl.DataFrame) -> list[str]:
    """The budget document's year columns (Budget 2027 … Plan 2031) from its project
    table, for a plan without a category table; project totals (``Total utgift``) are
    not a year."""
    doc = budget_doc(plan)
    proj = plan.filter(
        pl.col("doc_id") == doc,
        pl.col("table_id") == "inv_projekt",
        pl.col("version").is_in(PLAN_PERIOD_VERSIONS),
    )
    return periods(proj)


def plan_only_note(plan: pl.DataFrame, title: str) -> str:
    """Why the overrun tab has nothing to rank: the plan has no forecast or outcome."""
    cols = plan_periods(plan)
    span = f" ({cols[0]} – {cols[-1]})" if cols else ""
    return (
        f"Underlaget har bara investeringsplanen {title}{span}: den har ingen prognos och "
        "inget utfall att jämföra med, så inga överskridanden kan räknas. Planerade belopp "
        "per projekt och år finns under flikarna Alla projekt och Portfölj."
    )


def plan_series(plan: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(lines, totals) like :func:`category_series`, for a plan without a category table:
    the rows the project table's printed grand total sums (a printed subtotal and the
    lines beside it), and the printed grand total, per year column. Empty when the
    table prints no grand total."""
    doc = budget_doc(plan)
    proj = plan.filter(
        pl.col("doc_id") == doc,
        pl.col("table_id") == "inv_projekt",
        pl.col("version").is_in(PLAN_PERIOD_VERSIONS),
    )
    cols = ["row_no", "line_key", "line_label", "column_label", "version", "year", "value"]
    grand = proj.filter(
        (pl.col("row_kind") == "total")
        & pl.col("rollup_group").is_null()
        & pl.col("total_of").is_not_null()
    )
    if grand["line_key"].n_unique() != 1:
        return proj.clear().select(cols), proj.clear().select(cols)
    parts = proj.filter(pl.col("rollup_group") == grand["total_of"][0])
    return parts.select(cols).sort("row_no", "year"), grand.select(cols).sort("year")
