"""What-if scenarios for a board's operating budget: the maths, the levers, their storage.

Pure logic (no Streamlit): the baseline is built from query frames, a scenario is a frozen
``ScenarioParams``, ``compute`` returns frames. Saving and deleting go through
``budgetrummet.store`` after ``budgetrummet.access.require``.

The model, as the page states it (every rule is tested in ``tests/test_scenarios.py``):

- **Baseline = the document as printed.** Net cost per verksamhet (or produktionsområde)
  and the printed total per year, after documented errata; a printed total is never
  replaced by the sum of its lines (Askersund's Budget 2025: lines −116 011, printed
  Summa −116 013; the scenario starts from −116 013 and the row is flagged).
  Signs as printed: a net cost is negative, savings make it less negative.
- **Efficiency requirement** (effektiviseringskrav) per year, in percent of the frame.
  The amount is ``percent × frame`` rounded half away from zero to the document's
  precision (1 tkr; 0,1 mkr for a document in mkr) – except at the percentage the
  document prints, where the document's own amount is used: Askersund's 1,7 % is the
  printed rounding of 1 907 / 115 021 = 1,658 %, and 1 907 tkr is what was decided.
- **The printed budget already contains the documented requirement** ("I den ramen finns
  ett effektiviseringskrav på 1 907 tkr"). So the document's own levers reproduce the
  plan exactly, and the scenario changes net cost by the requirement *beyond* the
  document's. Requirements are lasting cuts: a requirement laid on 2026 stays in 2027 and
  2028 (savings against plan in year y = Σ over t ≤ y of (requirement − documented)).
- **Spread over verksamheter** in proportion to their net cost that year, exempted lines
  and lines with a net income carrying nothing. Amounts are apportioned in whole units
  of the document's precision by largest remainder, so the shares add up exactly.
- **Price and wage index** ± percent per year, compounding over the years, applied to the
  board's printed gross costs (income is not indexed).
- **Cost risks** named in the documents: an amount per year in the chosen years.
- **Result**: the municipality's result = finance administration net + this board's net
  cost + the other boards' net cost. The last is not in the documents: by default it is
  assumed to be what makes the plan meet the result goal exactly (the council's budget
  is set to meet its goal); the user can type other amounts. The goal is
  ``goal % × (skatteintäkter + generella statsbidrag)`` – the same formula as issue 5's
  ``finance.result_goal_tkr``; computed here until the two are unified.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from functools import cached_property
from pathlib import Path

import polars as pl

from budgetrummet import access, fmt, store, tables, vocab
from budgetrummet.vocab import DECIMAL, YEAR_NAMES

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Lever ranges in percent (the sliders step by 0,1 %; links may carry one decimal).
REQUIREMENT_MIN, REQUIREMENT_MAX = Decimal("0"), Decimal("5")
INDEX_MIN, INDEX_MAX = Decimal("-5"), Decimal("5")
# A cost risk or another board's net cost is at most this many of the document's unit
# (one billion kronor in tkr): beyond it a typed amount is surely a typo.
AMOUNT_LIMIT = Decimal("1000000")
NAME_MAX = 80


class ScenarioInputError(ValueError):
    """Levers, a link or a saved scenario that cannot be used; Swedish messages for the user."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# ------------------------------------------------------------------------ document layout


@dataclass(frozen=True)
class RiskDef:
    """A cost risk the document names: where its text is, what a lever for it defaults to."""

    key: str  # short slug used in links and saved scenarios
    text_ref: str  # the ``ref`` of its text in the ``texts`` table
    label: str
    default_years: tuple[int, ...]
    line_key: str | None = None  # the verksamhet it would hit, where the text says so
    note: str = ""  # what else the documents say about it (with the source line)
    # A printed figure that sizes the risk: (doc_id, table_id, line_key, column_label).
    suggestion: tuple[str, str, str, str] | None = None
    suggestion_note: str = ""


@dataclass(frozen=True)
class Layout:
    """Where one transcribed budget document keeps what the scenario needs (table slugs)."""

    doc_id: str
    years: tuple[int, ...]  # the years the levers act on
    history: tuple[int, ...]  # earlier years shown for context in the chart
    lines_table: str  # net cost per line, with a printed total (line_key "total")
    gross_table: str | None  # the board's gross costs per year (None: not printed)
    gross_key: str | None
    frame: tuple[str, str] | None = None  # (table, line_key) of the printed frame
    requirement: tuple[str, str, str] | None = None  # (table, amount key, percent key)
    goal: tuple[str, str] | None = None  # (table, line_key) of the result goal in %
    finance: tuple[str, str, str, str] | None = None  # (table, total, tax, grants keys)
    risks_table: str | None = None
    risks: tuple[RiskDef, ...] = ()
    measures_table: str | None = None  # how the board means to meet the requirement
    joint_table: str | None = None  # fees to joint bodies (samverkan)
    joint_lines: tuple[tuple[str, str], ...] = ()  # (joint body key, line_key it sits in)
    notes: tuple[str, ...] = ()


# Tables a budget document prints its net cost per line in, and the board's summary.
PLAN_TABLES = ("drift_verksamhet", "produktionsomraden")
SUMMARY_TABLE = "drift_summa"
TOTAL_KEY = "total"
# Line roles (seed config/roles) the scenario reads; see ``budgetrummet.seed.FIGURE_ROLES``.
ROLE_FRAME = "ram"
ROLE_REQUIREMENT = "krav_belopp"
ROLE_REQUIREMENT_SHARE = "krav_andel"
ROLE_GOAL = "resultatmal"
ROLE_FINANCE_NET = "finans_netto"
ROLE_TAX = "skatteintakter"
ROLE_GRANTS = "statsbidrag"
ROLE_RISK_TEXTS = "risktext"
ROLE_MEASURE_TEXTS = "atgardstext"
ROLE_JOINT = "samverkan"
NOTES_TOPIC = "scenarier"


@dataclass(frozen=True)
class BudgetDocument:
    """A document with a budget per line that scenarios can start from, found in the data."""

    doc_id: str
    name: str
    doc_type: str
    doc_date: str
    lines_table: str
    years: tuple[int, ...]  # the budget year and the plan years after it
    history: tuple[int, ...]  # earlier years the document prints (bokslut, budgets)
    gross: tuple[str, str] | None  # (table, line_key) of the board's gross costs

    @property
    def label(self) -> str:
        """``Nämndmål och budget 2025 (budget 2025–2028)`` for a choice of document."""
        span = f"{self.years[0]}–{self.years[-1]}" if len(self.years) > 1 else f"{self.years[0]}"
        return f"{self.name} (budget {span})"


def budget_documents(columns: pl.DataFrame) -> list[BudgetDocument]:
    """The organisation's budget documents, newest first, from ``scen_budget_columns``.

    A budget document prints a total net cost per year in a plan table. Its scenario years
    are its latest council budget year and the plan years after it; earlier years are
    history. Gross costs are the plan table's total cost where printed, else the
    summary table's one cost line, else there are none (the index lever then does nothing).
    """
    out = []
    for (doc_id,), part in columns.partition_by("doc_id", as_dict=True).items():
        totals = part.filter(
            pl.col("table_id").is_in(PLAN_TABLES)
            & (pl.col("line_key") == TOTAL_KEY)
            & (pl.col("row_kind") == "total")
            & (pl.col("measure") == "netto")
        )
        if totals.is_empty():
            continue
        lines_table = totals["table_id"][0]
        totals = totals.filter(pl.col("table_id") == lines_table)
        decided = sorted(totals.filter(version="budget_kf")["year"].unique().to_list())
        planned = sorted(totals.filter(version="plan")["year"].unique().to_list())
        every = sorted(totals["year"].unique().to_list())
        start = decided[-1] if decided else (planned[0] if planned else every[-1])
        years = tuple(y for y in every if y >= start and (y in decided or y in planned))
        history = tuple(y for y in every if y < start)
        gross = None
        for table, key in (
            (lines_table, TOTAL_KEY),
            *(
                (SUMMARY_TABLE, k)
                for k in part.filter(
                    (pl.col("table_id") == SUMMARY_TABLE)
                    & (pl.col("measure") == "kostnad")
                    & (pl.col("row_kind") == "line")
                )["line_key"]
                .unique()
                .to_list()
            ),
        ):
            cost_years = set(
                part.filter(table_id=table, line_key=key, measure="kostnad")["year"].to_list()
            )
            if set(years) <= cost_years:
                gross = (table, key)
                break
        first = part.row(0, named=True)
        out.append(
            BudgetDocument(
                doc_id=doc_id,
                name=first["doc_name"] or doc_id,
                doc_type=first["doc_type"] or "",
                doc_date=str(first["doc_date"] or ""),
                lines_table=lines_table,
                years=years,
                history=history,
                gross=gross,
            )
        )
    return sorted(out, key=lambda d: (d.doc_date, d.years[-1], d.doc_id), reverse=True)


def _default_notes(layout: Layout) -> tuple[str, ...]:
    """What the page must say about a document that has no notes of its own."""
    notes = []
    years = ", ".join(str(y) for y in layout.years)
    if not layout.requirement:
        notes.append(
            "Dokumentet anger inget effektiviseringskrav. Reglagen lägger ett krav per år "
            f"({years}) i procent av nettobudgeten för året."
        )
    if not layout.finance:
        notes.append(
            "Skatteintäkter och generella statsbidrag finns inte i dokumentet, så effekten "
            "på kommunens resultat mot ett resultatmål kan inte räknas; förändringen av "
            "nettokostnaden slår igenom krona för krona på resultatet."
        )
    if not layout.risks:
        notes.append("Dokumentet namnger inga kostnadsrisker med belopp.")
    if layout.gross_table is None:
        notes.append(
            "Dokumentet redovisar inga bruttokostnader, så pris- och löneindex påverkar "
            "inte nettokostnaden."
        )
    return tuple(notes)


def layout_of(
    doc: BudgetDocument,
    roles: pl.DataFrame,
    risks: pl.DataFrame | None = None,
    notes: pl.DataFrame | None = None,
) -> Layout:
    """The scenario layout of one budget document: derived from its figures, with the
    levers and notes its config gives (``line_roles_for_org``, ``cost_risks_for_org``,
    ``doc_notes_for_org``). Without config the levers are the default ones: an
    efficiency requirement per year on the net budget, index on gross costs."""
    mine = roles.filter(pl.col("doc_id") == doc.doc_id)

    def role(name: str) -> dict | None:
        hit = mine.filter(pl.col("role") == name)
        return hit.row(0, named=True) if hit.height else None

    def table_key(name: str) -> tuple[str, str] | None:
        r = role(name)
        return (r["table_id"], r["line_key"]) if r else None

    amount, share = role(ROLE_REQUIREMENT), role(ROLE_REQUIREMENT_SHARE)
    fin = [role(n) for n in (ROLE_FINANCE_NET, ROLE_TAX, ROLE_GRANTS)]
    joint = mine.filter(pl.col("role") == ROLE_JOINT)
    risk_rows = (
        risks.filter(pl.col("doc_id") == doc.doc_id) if risks is not None else pl.DataFrame()
    )
    risk_defs = tuple(
        RiskDef(
            key=r["risk_key"],
            text_ref=r["text_ref"],
            label=r["label"],
            default_years=tuple(int(y) for y in r["years"].split("|") if y) or doc.years,
            line_key=r["line_key"] or None,
            note=r["note"],
            suggestion=(
                r["suggestion_doc_id"],
                r["suggestion_table_id"],
                r["suggestion_line_key"],
                r["suggestion_column_label"],
            )
            if r["suggestion_doc_id"]
            else None,
            suggestion_note=r["suggestion_note"],
        )
        for r in risk_rows.iter_rows(named=True)
    )
    risk_table, measure_table = role(ROLE_RISK_TEXTS), role(ROLE_MEASURE_TEXTS)
    layout = Layout(
        doc_id=doc.doc_id,
        years=doc.years,
        history=doc.history,
        lines_table=doc.lines_table,
        gross_table=doc.gross[0] if doc.gross else None,
        gross_key=doc.gross[1] if doc.gross else None,
        frame=table_key(ROLE_FRAME),
        requirement=(amount["table_id"], amount["line_key"], share["line_key"])
        if amount and share
        else None,
        goal=table_key(ROLE_GOAL),
        finance=(fin[0]["table_id"], *(f["line_key"] for f in fin)) if all(fin) else None,  # type: ignore[index]
        risks_table=risk_table["table_id"] if risk_table else None,
        risks=risk_defs,
        measures_table=measure_table["table_id"] if measure_table else None,
        joint_table=joint["table_id"][0] if joint.height else None,
        joint_lines=tuple(joint.select("line_key", "target_key").iter_rows()),
    )
    written = (
        tuple(notes.filter(pl.col("doc_id") == doc.doc_id)["text"].to_list())
        if notes is not None
        else ()
    )
    return replace(layout, notes=written or _default_notes(layout))


def load_layout(
    run: Callable[..., pl.DataFrame], org_id: str, doc_id: str | None = None
) -> tuple[Layout | None, list[BudgetDocument]]:
    """The layout of the organisation's newest budget document (or of ``doc_id``) and all
    its budget documents, newest first; no layout when it has none."""
    docs = budget_documents(
        run("scen_budget_columns", org_id=org_id, table_ids=[*PLAN_TABLES, SUMMARY_TABLE])
    )
    chosen = next((d for d in docs if d.doc_id == doc_id), docs[0] if docs else None)
    if chosen is None:
        return None, docs
    layout = layout_of(
        chosen,
        run("line_roles_for_org", org_id=org_id),
        run("cost_risks_for_org", org_id=org_id),
        run("doc_notes_for_org", org_id=org_id, topic=NOTES_TOPIC),
    )
    return layout, docs


def figure_tables(layout: Layout) -> list[tuple[str, str]]:
    """The (doc_id, table_id) pairs ``build_baseline`` needs figures of."""
    doc = layout.doc_id
    wanted = [(doc, layout.lines_table)]
    if layout.gross_table:
        wanted.append((doc, layout.gross_table))
    for spec in (layout.frame, layout.requirement, layout.goal, layout.finance):
        if spec:
            wanted.append((doc, spec[0]))
    if layout.joint_table:
        wanted.append((doc, layout.joint_table))
    wanted += [r.suggestion[:2] for r in layout.risks if r.suggestion]
    return list(dict.fromkeys(wanted))


def text_tables(layout: Layout) -> list[tuple[str, str]]:
    """The (doc_id, table_id) pairs ``build_baseline`` needs texts of."""
    return [(layout.doc_id, t) for t in (layout.risks_table, layout.measures_table) if t]


def _by_table(
    run: Callable[..., pl.DataFrame], name: str, org_id: str, wanted: list[tuple[str, str]]
) -> dict[tuple[str, str], pl.DataFrame]:
    """``wanted`` tables read with one query per document (``name`` takes a list of
    table ids and returns a ``table_id`` column), split back into one frame per table,
    each in the query's order. A table without rows gets an empty frame."""
    docs: dict[str, list[str]] = {}
    for doc, table in wanted:
        docs.setdefault(doc, []).append(table)
    out: dict[tuple[str, str], pl.DataFrame] = {}
    for doc, table_ids in docs.items():
        frame = run(name, org_id=org_id, doc_id=doc, table_ids=table_ids)
        parts = frame.partition_by("table_id", as_dict=True, maintain_order=True)
        empty = frame.clear().drop("table_id")
        for table in table_ids:
            part = parts.get((table,))
            out[(doc, table)] = empty if part is None else part.drop("table_id")
    return out


def load_inputs(
    run: Callable[..., pl.DataFrame], org_id: str, layout: Layout
) -> tuple[dict[tuple[str, str], pl.DataFrame], dict[tuple[str, str], pl.DataFrame]]:
    """The figures and texts ``build_baseline`` needs, read through ``run(query_name,
    **params)`` with one figure query and one text query per document (rather than one
    per table): ``queries/scen_doc_figures.sql`` and ``queries/scen_doc_texts.sql``."""
    figures = _by_table(run, "scen_doc_figures", org_id, figure_tables(layout))
    texts = _by_table(run, "scen_doc_texts", org_id, text_tables(layout))
    return figures, texts


# ------------------------------------------------------------------------------ baseline


@dataclass(frozen=True)
class Risk:
    """A named cost risk as the page offers it: its printed text and a suggested amount."""

    key: str
    label: str
    text: str
    source_line: int | None
    default_years: tuple[int, ...]
    line_key: str | None
    note: str
    suggestion: Decimal | None
    suggestion_note: str


@dataclass(frozen=True)
class Documented:
    """The requirement the document prints for a year: amount and the printed percentage."""

    amount: Decimal
    percent: Decimal
    source_line: int


@dataclass(frozen=True, eq=False)
class Baseline:
    """Everything the scenario maths needs from one document, as printed.

    ``lines``: line_key, line_label, row_no, year, column_label, net, flag (class of a data
    quality finding or "erratum", else null). ``totals``: year, column_label, net (the
    printed total), gross_cost, flag. ``finance`` (or None): year, finance_net, tax, grants.
    """

    org_id: str
    doc_id: str
    unit: str
    quantum: Decimal
    years: tuple[int, ...]
    history: tuple[int, ...]
    lines: pl.DataFrame
    totals: pl.DataFrame
    base: dict[int, Decimal]
    base_label: str
    documented: dict[int, Documented]
    finance: pl.DataFrame | None
    goal_percent: Decimal | None
    goal_source_line: int | None
    risks: tuple[Risk, ...]
    measures: tuple[str, ...]
    joint_notes: dict[str, str]
    notes: tuple[str, ...]

    # Derived lookups, computed once per baseline (a baseline never changes after it is
    # built; the page keeps one per publication and recomputes scenarios on it at every
    # move of a lever, so these must not cost a Polars query each time).

    @cached_property
    def year_labels(self) -> dict[int, str]:
        return dict(self.totals.select("year", "column_label").iter_rows())

    @cached_property
    def _line_labels(self) -> dict[str, str]:
        frame = self.lines.unique("line_key", keep="first").sort("row_no")
        return dict(frame.select("line_key", "line_label").iter_rows())

    def line_labels(self) -> dict[str, str]:
        return dict(self._line_labels)

    @cached_property
    def _carrying(self) -> tuple[str, ...]:
        frame = self.lines.filter(pl.col("year").is_in(self.years) & (pl.col("net") < 0))
        return tuple(frame.sort("row_no")["line_key"].unique(maintain_order=True).to_list())

    def carrying_keys(self) -> list[str]:
        """Lines that can carry a requirement: a net cost in some scenario year."""
        return list(self._carrying)

    @cached_property
    def total_rows(self) -> dict[int, dict]:
        """year -> the printed total's row (column_label, net, gross_cost, flag)."""
        return {r["year"]: r for r in self.totals.iter_rows(named=True)}

    @cached_property
    def year_lines(self) -> dict[int, tuple[dict, ...]]:
        """year -> the lines' rows (line_key, row_no, net, flag …) in the frame's order."""
        out: dict[int, list[dict]] = {year: [] for year in self.years}
        for r in self.lines.iter_rows(named=True):
            if r["year"] in out:
                out[r["year"]].append(r)
        return {year: tuple(rows) for year, rows in out.items()}

    @cached_property
    def finance_rows(self) -> tuple[dict, ...]:
        return () if self.finance is None else tuple(self.finance.iter_rows(named=True))

    def risk(self, key: str) -> Risk | None:
        return next((r for r in self.risks if r.key == key), None)

    def prepared(self) -> Baseline:
        """This baseline with its derived lookups computed, so that a copy (a pickled
        cache entry) carries them instead of computing them again."""
        for name in _DERIVED:
            getattr(self, name)
        return self


_DERIVED = ("year_labels", "_line_labels", "_carrying", "total_rows", "year_lines", "finance_rows")


LINE_SCHEMA = {
    "line_key": pl.String,
    "line_label": pl.String,
    "row_no": pl.Int32,
    "year": pl.Int32,
    "column_label": pl.String,
    "net": DECIMAL,
    "flag": pl.String,
}
TOTAL_SCHEMA = {
    "year": pl.Int32,
    "column_label": pl.String,
    "net": DECIMAL,
    "gross_cost": DECIMAL,
    "flag": pl.String,
}
FINANCE_SCHEMA = {
    "year": pl.Int32,
    "finance_net": DECIMAL,
    "tax": DECIMAL,
    "grants": DECIMAL,
}


def year_label(version: str, year: int, printed: str) -> str:
    name = YEAR_NAMES.get(version)
    return f"{name} {year}" if name else printed


def _one(frame: pl.DataFrame, what: str, **eq: object) -> dict:
    hit = frame.filter(**eq)
    if hit.height != 1:
        raise ValueError(f"{what}: väntade en tryckt siffra, fann {hit.height}")
    return hit.row(0, named=True)


def _flag(row: Mapping) -> str | None:
    if row.get("finding"):
        return row["finding"]
    return "erratum" if row.get("has_erratum") else None


def build_baseline(
    org_id: str,
    layout: Layout,
    tables_by_id: Mapping[tuple[str, str], pl.DataFrame],
    texts: Mapping[tuple[str, str], pl.DataFrame] | None = None,
) -> Baseline:
    """Assemble the baseline from the frames ``load_inputs`` returns.

    ``tables_by_id`` maps (doc_id, table_id) to that table's rows of
    ``queries/scen_doc_figures.sql``; ``texts`` maps (doc_id, table_id) to its rows of
    ``queries/scen_doc_texts.sql``.
    """
    texts = texts or {}
    doc = layout.doc_id
    wanted_years = set(layout.years) | set(layout.history)
    lines_src = tables_by_id[(doc, layout.lines_table)]
    netto = lines_src.filter((pl.col("measure") == "netto") & pl.col("year").is_in(wanted_years))
    unit = netto["unit"][0]
    quantum = vocab.quantum(unit)
    lines = netto.filter(pl.col("row_kind") == "line")
    lines = pl.DataFrame(
        [
            {
                "line_key": r["line_key"],
                "line_label": r["line_label"],
                "row_no": r["row_no"],
                "year": r["year"],
                "column_label": r["column_label"],
                "net": r["value"],
                "flag": _flag(r),
            }
            for r in lines.iter_rows(named=True)
        ],
        schema=LINE_SCHEMA,
    ).sort("row_no", "year")
    gross_src = (
        tables_by_id[(doc, layout.gross_table)]
        if layout.gross_table
        else pl.DataFrame(schema={"line_key": pl.String, "measure": pl.String, "year": pl.Int32})
    )
    total_rows = []
    for year in sorted(wanted_years):
        total = _one(
            netto,
            f"nettokostnad totalt {year}",
            row_kind="total",
            line_key="total",
            year=year,
        )
        gross = gross_src.filter(
            pl.col("line_key").eq_missing(layout.gross_key)
            & (pl.col("measure") == "kostnad")
            & (pl.col("year") == year)
        )
        total_rows.append(
            {
                "year": year,
                "column_label": year_label(total["version"], year, total["column_label"]),
                "net": total["value"],
                "gross_cost": gross["value"][0] if gross.height == 1 else None,
                "flag": _flag(total),
            }
        )
    totals = pl.DataFrame(total_rows, schema=TOTAL_SCHEMA)
    missing_gross = totals.filter(
        pl.col("year").is_in(layout.years) & pl.col("gross_cost").is_null()
    )
    if missing_gross.height:
        if layout.gross_table:
            raise ValueError(f"bruttokostnad saknas för {missing_gross['year'].to_list()}")
        totals = totals.with_columns(pl.col("gross_cost").fill_null(ZERO))

    documented: dict[int, Documented] = {}
    if layout.frame:
        table, key = layout.frame
        frame_row = _one(tables_by_id[(doc, table)], "ramen", line_key=key)
        base = dict.fromkeys(layout.years, frame_row["value"])
        base_label = f"ramen {frame_row['year']}"
    else:
        base = {
            y: -totals.filter(year=y)["net"][0] for y in layout.years
        }  # the printed net budget, as a positive amount
        base_label = "nettobudgeten"
    if layout.requirement:
        table, amount_key, pct_key = layout.requirement
        src = tables_by_id[(doc, table)]
        amount = _one(src, "effektiviseringskravet", line_key=amount_key)
        pct = _one(src, "effektiviseringskravets andel", line_key=pct_key)
        documented[amount["year"]] = Documented(
            amount["value"], pct["value"].normalize(), amount["source_line"]
        )

    finance = None
    if layout.finance:
        table, total_key, tax_key, grants_key = layout.finance
        src = tables_by_id[(doc, table)].filter(pl.col("year").is_in(layout.years))
        rows = []
        for year in layout.years:
            rows.append(
                {
                    "year": year,
                    "finance_net": _one(src, "finansförvaltningen", line_key=total_key, year=year)[
                        "value"
                    ],
                    "tax": _one(src, "skatteintäkter", line_key=tax_key, year=year)["value"],
                    "grants": _one(src, "generella statsbidrag", line_key=grants_key, year=year)[
                        "value"
                    ],
                }
            )
        finance = pl.DataFrame(rows, schema=FINANCE_SCHEMA)
    goal_percent = goal_line = None
    if layout.goal:
        table, key = layout.goal
        goal_row = _one(tables_by_id[(doc, table)], "resultatmålet", line_key=key)
        goal_percent, goal_line = goal_row["value"].normalize(), goal_row["source_line"]

    risks = []
    risk_texts = texts.get((doc, layout.risks_table or ""), pl.DataFrame())
    for d in layout.risks:
        text_rows = risk_texts.filter(ref=d.text_ref) if risk_texts.height else risk_texts
        suggestion, suggestion_note = None, ""
        if d.suggestion:
            s_doc, s_table, s_key, s_col = d.suggestion
            row = _one(tables_by_id[(s_doc, s_table)], d.label, line_key=s_key, column_label=s_col)
            suggestion = abs(row["value"])
            suggestion_note = d.suggestion_note.format(
                amount=fmt.with_unit(row["value"], row["unit"]), line=row["source_line"]
            )
        risks.append(
            Risk(
                key=d.key,
                label=d.label,
                text=" ".join(text_rows["text"].to_list()) if text_rows.height else "",
                source_line=text_rows["source_line"][0] if text_rows.height else None,
                default_years=tuple(y for y in d.default_years if y in layout.years),
                line_key=d.line_key,
                note=d.note,
                suggestion=suggestion,
                suggestion_note=suggestion_note,
            )
        )
    measures: tuple[str, ...] = ()
    if layout.measures_table:
        m = texts.get((doc, layout.measures_table), pl.DataFrame())
        measures = tuple(m.filter(kind="atgard")["text"].to_list()) if m.height else ()
    joint_notes: dict[str, str] = {}
    if layout.joint_table:
        joint = tables_by_id[(doc, layout.joint_table)]
        first_year = layout.years[0]
        for body_key, line_key in layout.joint_lines:
            body = _one(joint, body_key, line_key=body_key)
            line_net = lines.filter(line_key=line_key, year=first_year)["net"]
            whole = line_net.len() == 1 and -line_net[0] == body["value"]
            joint_notes[line_key] = (
                f"{'hela raden är' if whole else 'varav'} {body['line_label']} "
                f"{body['value_printed']} tkr {first_year}"
            )
    return Baseline(
        org_id=org_id,
        doc_id=doc,
        unit=unit,
        quantum=quantum,
        years=layout.years,
        history=layout.history,
        lines=lines,
        totals=totals,
        base=base,
        base_label=base_label,
        documented=documented,
        finance=finance,
        goal_percent=goal_percent,
        goal_source_line=goal_line,
        risks=tuple(risks),
        measures=measures,
        joint_notes=joint_notes,
        notes=layout.notes,
    ).prepared()


# -------------------------------------------------------------------------------- levers


def _pairs(value: Mapping[int, Decimal] | Iterable[tuple[int, Decimal]]) -> tuple:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((int(k), Decimal(v)) for k, v in items))


@dataclass(frozen=True)
class ScenarioParams:
    """The levers of one scenario; hashable, comparable, nothing but plain values.

    ``requirement`` and ``index``: (year, percent) pairs; ``exempt``: line keys;
    ``risks``: (risk key, amount per year, years) for the risks that are included;
    ``other_boards``: (year, net cost as printed, negative) where the user overrides the
    default assumption. Use ``document_params`` for the document's own levers.
    """

    requirement: tuple[tuple[int, Decimal], ...] = ()  # years not listed: 0 %
    index: tuple[tuple[int, Decimal], ...] = ()  # years not listed: 0 %
    exempt: frozenset[str] = frozenset()
    risks: tuple[tuple[str, Decimal, tuple[int, ...]], ...] = ()
    other_boards: tuple[tuple[int, Decimal], ...] = ()

    def __post_init__(self) -> None:
        # One canonical form, so equal levers compare (and hash) equal: a missing year
        # means zero, a risk without amount or years is not included.
        object.__setattr__(self, "requirement", tuple(p for p in _pairs(self.requirement) if p[1]))
        object.__setattr__(self, "index", tuple(p for p in _pairs(self.index) if p[1]))
        object.__setattr__(self, "exempt", frozenset(self.exempt))
        risks = ((k, Decimal(a), tuple(sorted(set(ys)))) for k, a, ys in self.risks)
        object.__setattr__(self, "risks", tuple(sorted(r for r in risks if r[1] and r[2])))
        object.__setattr__(self, "other_boards", _pairs(self.other_boards))
        problems = []
        for year, pct in self.requirement:
            if not REQUIREMENT_MIN <= pct <= REQUIREMENT_MAX:
                problems.append(f"Effektiviseringskravet {year} måste vara mellan 0 och 5 %.")
        for year, pct in self.index:
            if not INDEX_MIN <= pct <= INDEX_MAX:
                problems.append(f"Indexjusteringen {year} måste vara mellan −5 och +5 %.")
        for key, amount, _years in self.risks:
            if not ZERO <= amount <= AMOUNT_LIMIT:
                problems.append(f"Beloppet för risken {key} måste vara mellan 0 och 1 000 000.")
        for year, amount in self.other_boards:
            if abs(amount) > AMOUNT_LIMIT:
                problems.append(f"Övriga nämnders nettokostnad {year} är orimligt stor.")
        if problems:
            raise ScenarioInputError(problems)

    def requirement_for(self, year: int) -> Decimal:
        return dict(self.requirement).get(year, ZERO)

    def index_for(self, year: int) -> Decimal:
        return dict(self.index).get(year, ZERO)


def document_params(b: Baseline) -> ScenarioParams:
    """The document's own levers: its requirement where it prints one, else zero."""
    return ScenarioParams(
        requirement=[(y, b.documented[y].percent if y in b.documented else ZERO) for y in b.years],
        index=[(y, ZERO) for y in b.years],
    )


def zero_params(b: Baseline) -> ScenarioParams:
    """Every lever at zero: no requirement at all, no index change, no risk (the same for
    every document; ``b`` is taken for symmetry with ``document_params``)."""
    return ScenarioParams()


def check_params(b: Baseline, p: ScenarioParams) -> None:
    """Refuse levers that do not fit this document (years, lines, risks)."""
    problems = []
    for label, pairs in (
        ("effektiviseringskrav", p.requirement),
        ("index", p.index),
        ("övriga nämnder", p.other_boards),
    ):
        for year, _ in pairs:
            if year not in b.years:
                problems.append(f"{label}: året {year} finns inte bland scenariots år.")
    unknown = sorted(p.exempt - set(b.carrying_keys()))
    if unknown:
        problems.append(f"Okända verksamheter att undanta: {', '.join(unknown)}.")
    for key, _amount, years in p.risks:
        if b.risk(key) is None:
            problems.append(f"Okänd kostnadsrisk: {key}.")
        bad = [y for y in years if y not in b.years]
        if bad:
            problems.append(f"Kostnadsrisken {key}: året {bad[0]} finns inte bland scenariots år.")
    if p.other_boards and b.finance is None:
        problems.append("Dokumentet saknar finansförvaltning; övriga nämnder kan inte anges.")
    if problems:
        raise ScenarioInputError(problems)


# ---------------------------------------------------------------------------------- maths


def round_to(value: Decimal, quantum: Decimal) -> Decimal:
    """Round half away from zero to ``quantum`` (1 tkr, 0,1 mkr), as reports round."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def result_goal_amount(tax: Decimal, grants: Decimal, goal_percent: Decimal) -> Decimal:
    """``goal %`` of (skatteintäkter + generella statsbidrag), exact (7 681,266 tkr for 2025).

    The same formula as ``budgetrummet.finance.result_goal_tkr`` (issue 5), kept here until
    the two are unified.
    """
    return (tax + grants) * goal_percent / HUNDRED


def requirement_amount(b: Baseline, year: int, percent: Decimal) -> Decimal:
    """The requirement for ``year`` in the document's unit (see the module docstring)."""
    doc = b.documented.get(year)
    if doc is not None and percent == doc.percent:
        return doc.amount
    return round_to(percent * b.base[year] / HUNDRED, b.quantum)


def apportion(total: Decimal, weights: list[tuple[str, Decimal]], quantum: Decimal) -> dict:
    """Split ``total`` over keys in proportion to positive ``weights``, exactly.

    Largest remainder in whole ``quantum`` units: every share is a multiple of the
    quantum and the shares add up to ``total`` (which must itself be a multiple). Ties go
    to the larger weight, then to the earlier key.
    """
    if total == 0 or not weights:
        if total != 0:
            raise ScenarioInputError(["Det finns ingen verksamhet att fördela kravet på."])
        return {k: ZERO for k, _ in weights}
    units = total / quantum
    if units != units.to_integral_value():
        raise ValueError(f"{total} är inte en multipel av {quantum}")
    sign = 1 if units > 0 else -1
    n = abs(int(units))
    weight_sum = sum(w for _, w in weights)
    with localcontext() as ctx:
        ctx.prec = 40
        raw = [n * w / weight_sum for _, w in weights]
    floors = [int(r.to_integral_value(rounding=ROUND_FLOOR)) for r in raw]
    left = n - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - floors[i]), -weights[i][1], i))
    for i in order[:left]:
        floors[i] += 1
    return {weights[i][0]: sign * floors[i] * quantum for i in range(len(weights))}


YEAR_SCHEMA = {
    "year": pl.Int32,
    "column_label": pl.String,
    "plan_net": DECIMAL,
    "requirement_percent": DECIMAL,
    "requirement": DECIMAL,
    "documented_requirement": DECIMAL,
    "savings": DECIMAL,
    "index_effect": DECIMAL,
    "risk_effect": DECIMAL,
    "change": DECIMAL,
    "scenario_net": DECIMAL,
    "plan_flag": pl.String,
}
LINE_RESULT_SCHEMA = {
    "line_key": pl.String,
    "line_label": pl.String,
    "row_no": pl.Int32,
    "year": pl.Int32,
    "plan_net": DECIMAL,
    "exempt": pl.Boolean,
    "requirement_share": DECIMAL,
    "change": DECIMAL,
    "scenario_net": DECIMAL,
    "flag": pl.String,
}
RISK_SCHEMA = {"year": pl.Int32, "risk_key": pl.String, "label": pl.String, "amount": DECIMAL}
RESULT_SCHEMA = {
    "year": pl.Int32,
    "tax_and_grants": DECIMAL,
    "finance_net": DECIMAL,
    "board_plan_net": DECIMAL,
    "other_boards": DECIMAL,
    "other_boards_assumed": pl.Boolean,
    "plan_result": DECIMAL,
    "plan_result_percent": DECIMAL,
    "change": DECIMAL,
    "scenario_result": DECIMAL,
    "scenario_result_percent": DECIMAL,
    "goal_percent": DECIMAL,
    "goal_amount": DECIMAL,
    "gap_to_goal": DECIMAL,
}


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """The outputs: per year, per line × year, the risks per year, and the result effect.

    ``years.change`` = ``savings + index_effect + risk_effect`` (positive = lower net cost
    = a better result), ``scenario_net = plan_net + change``. ``result`` is None when the
    document has no finance administration.

    The rows are kept as computed (``year_rows`` …, plain dicts, not to be changed) and
    each frame is made from them when first asked for: the page's live part reads a few
    rows at every move of a lever and needs no frame.
    """

    params: ScenarioParams
    year_rows: tuple[dict, ...]
    line_rows: tuple[dict, ...]
    risk_rows: tuple[dict, ...]
    result_rows: tuple[dict, ...] | None = None

    @cached_property
    def years(self) -> pl.DataFrame:
        return pl.DataFrame(list(self.year_rows), schema=YEAR_SCHEMA)

    @cached_property
    def lines(self) -> pl.DataFrame:
        return pl.DataFrame(list(self.line_rows), schema=LINE_RESULT_SCHEMA)

    @cached_property
    def risks(self) -> pl.DataFrame:
        return pl.DataFrame(list(self.risk_rows), schema=RISK_SCHEMA)

    @cached_property
    def result(self) -> pl.DataFrame | None:
        if self.result_rows is None:
            return None
        return pl.DataFrame(list(self.result_rows), schema=RESULT_SCHEMA)


def _percent(value: Decimal, of: Decimal) -> Decimal:
    return (value / of * HUNDRED).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def compute(b: Baseline, p: ScenarioParams) -> ScenarioResult:
    """The scenario's effect on net cost, per verksamhet and on the municipality's result."""
    check_params(b, p)
    q = b.quantum
    carriers = set(b.carrying_keys()) - p.exempt
    labels = b._line_labels
    totals = b.total_rows
    risk_amounts = {key: (amount, years) for key, amount, years in p.risks}
    cumulative = ZERO
    level = Decimal(1)
    year_rows, line_rows, risk_rows = [], [], []
    for year in b.years:
        pct = p.requirement_for(year)
        req = requirement_amount(b, year, pct)
        documented = b.documented[year].amount if year in b.documented else ZERO
        cumulative += req - documented
        level *= 1 + p.index_for(year) / HUNDRED
        index_effect = round_to(totals[year]["gross_cost"] * (level - 1), q)
        risk_effect = ZERO
        for risk in b.risks:
            amount, years = risk_amounts.get(risk.key, (ZERO, ()))
            if year in years and amount:
                risk_effect -= amount
                risk_rows.append(
                    {"year": year, "risk_key": risk.key, "label": risk.label, "amount": amount}
                )
        change = cumulative + index_effect + risk_effect
        plan_net = totals[year]["net"]
        year_rows.append(
            {
                "year": year,
                "column_label": totals[year]["column_label"],
                "plan_net": plan_net,
                "requirement_percent": pct,
                "requirement": req,
                "documented_requirement": documented,
                "savings": cumulative,
                "index_effect": index_effect,
                "risk_effect": risk_effect,
                "change": change,
                "scenario_net": plan_net + change,
                "plan_flag": totals[year]["flag"],
            }
        )
        year_lines = b.year_lines[year]
        weights = [
            (r["line_key"], -r["net"])
            for r in year_lines
            if r["line_key"] in carriers and r["net"] < 0
        ]
        if (req or cumulative) and not weights:
            raise ScenarioInputError(
                [
                    f"Alla verksamheter med nettokostnad {year} är undantagna – minst en "
                    "måste bära effektiviseringskravet."
                ]
            )
        shares = apportion(req, weights, q)
        changes = apportion(cumulative, weights, q)
        for r in year_lines:
            key = r["line_key"]
            delta = changes.get(key, ZERO)
            line_rows.append(
                {
                    "line_key": key,
                    "line_label": labels[key],
                    "row_no": r["row_no"],
                    "year": year,
                    "plan_net": r["net"],
                    "exempt": key in p.exempt,
                    "requirement_share": shares.get(key, ZERO),
                    "change": delta,
                    "scenario_net": r["net"] + delta,
                    "flag": r["flag"],
                }
            )
    return ScenarioResult(
        params=p,
        year_rows=tuple(year_rows),
        line_rows=tuple(line_rows),
        risk_rows=tuple(risk_rows),
        result_rows=_result(b, p, year_rows),
    )


def default_other_boards(b: Baseline, year: int) -> Decimal:
    """The assumed net cost of the other boards: what makes the plan meet the goal exactly.

    finance net + this board's printed net + others = goal amount, rounded to the
    document's precision (so the plan's result is the goal within half a unit).
    """
    if b.finance is None or b.goal_percent is None:
        raise ValueError("dokumentet saknar finansförvaltning eller resultatmål")
    f = next(r for r in b.finance_rows if r["year"] == year)
    goal = result_goal_amount(f["tax"], f["grants"], b.goal_percent)
    plan_net = b.total_rows[year]["net"]
    return round_to(goal - f["finance_net"] - plan_net, b.quantum)


def _result(b: Baseline, p: ScenarioParams, years: list[dict]) -> tuple[dict, ...] | None:
    if b.finance is None or b.goal_percent is None:
        return None
    overrides = dict(p.other_boards)
    rows = []
    for f, y in zip(b.finance_rows, years, strict=True):
        base = f["tax"] + f["grants"]
        others = overrides.get(f["year"], default_other_boards(b, f["year"]))
        plan_result = f["finance_net"] + y["plan_net"] + others
        scenario_result = plan_result + y["change"]
        goal = result_goal_amount(f["tax"], f["grants"], b.goal_percent)
        rows.append(
            {
                "year": f["year"],
                "tax_and_grants": base,
                "finance_net": f["finance_net"],
                "board_plan_net": y["plan_net"],
                "other_boards": others,
                "other_boards_assumed": f["year"] not in overrides,
                "plan_result": plan_result,
                "plan_result_percent": _percent(plan_result, base),
                "change": y["change"],
                "scenario_result": scenario_result,
                "scenario_result_percent": _percent(scenario_result, base),
                "goal_percent": b.goal_percent,
                "goal_amount": goal,
                "gap_to_goal": scenario_result - goal,
            }
        )
    return tuple(rows)


# ------------------------------------------------------------- links and saved scenarios
#
# A scenario travels as plain strings: in the URL (``?krav_2026=2.5&undantag=vh45``) and,
# inside a small JSON object, in the ``scenarios`` table. Both are parsed by the same
# strict validator; nothing is evaluated or unpickled. Only levers that differ from the
# document's own are written, so a plain link means "the document".

_NUMBER = re.compile(r"^[+\-\u2212]?\d{1,9}([.,]\d{1,3})?$")
_KEY = re.compile(r"^[a-z0-9_:]{1,60}$")
_YEAR = re.compile(r"^\d{4}$")
LEVER_PREFIXES = ("krav_", "index_", "risk_", "ovriga_")
EXEMPT_PARAM = "undantag"
MAX_PARAMS = 60
MAX_VALUE_LENGTH = 400


def _number(text: str, what: str, decimals: int, problems: list[str]) -> Decimal | None:
    cleaned = text.strip()
    for sep in (" ", "\u00a0", "\u202f", "\u2009"):  # thousands separators as Swedes type them
        cleaned = cleaned.replace(sep, "")
    if not _NUMBER.match(cleaned):
        problems.append(f"{what}: ”{text[:40]}” är inte ett tal.")
        return None
    value = Decimal(cleaned.replace("\u2212", "-").replace(",", "."))
    if value != round_to(value, Decimal(1).scaleb(-decimals)):
        problems.append(
            f"{what}: ange ett helt tal."
            if decimals == 0
            else f"{what}: högst {decimals} decimal{'er' if decimals > 1 else ''}."
        )
        return None
    return value


def _years(text: str, what: str, problems: list[str]) -> tuple[int, ...] | None:
    parts = [t.strip() for t in text.split(",") if t.strip()]
    if not parts or not all(_YEAR.match(t) for t in parts):
        problems.append(f"{what}: ”{text[:40]}” är inte en lista med årtal.")
        return None
    return tuple(int(t) for t in parts)


def _fmt_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def is_lever_param(name: str) -> bool:
    return name == EXEMPT_PARAM or name.startswith(LEVER_PREFIXES)


def params_from_mapping(b: Baseline, mapping: Mapping[str, str]) -> ScenarioParams:
    """Levers from plain strings (a link's query parameters or a saved scenario).

    Starts from the document's levers; parameters that are not levers (``org`` …) are
    ignored. Raises ``ScenarioInputError`` listing every problem; nothing is applied then.
    """
    problems: list[str] = []
    levers = {k: v for k, v in mapping.items() if is_lever_param(k)}
    if len(levers) > MAX_PARAMS:
        raise ScenarioInputError([f"För många parametrar i länken ({len(levers)})."])
    doc = document_params(b)
    requirement = dict(doc.requirement)
    index = dict(doc.index)
    exempt: set[str] = set()
    risks: dict[str, list] = {}
    others: dict[int, Decimal] = {}
    decimals = _places(b)
    for name, raw in sorted(levers.items()):
        if not isinstance(raw, str) or len(raw) > MAX_VALUE_LENGTH:
            problems.append(f"{name}: ogiltigt värde.")
            continue
        if name == EXEMPT_PARAM:
            keys = [k.strip() for k in raw.split(",") if k.strip()]
            bad = [k for k in keys if not _KEY.match(k)]
            if bad:
                problems.append(f"undantag: ”{bad[0][:40]}” är ingen verksamhetskod.")
            exempt.update(k for k in keys if _KEY.match(k))
            continue
        prefix, _, rest = name.partition("_")
        if prefix in ("krav", "index", "ovriga"):
            if not _YEAR.match(rest):
                problems.append(f"{name}: okänd parameter.")
                continue
            year = int(rest)
            what = {
                "krav": "Effektiviseringskravet",
                "index": "Indexjusteringen",
                "ovriga": "Övriga nämnders nettokostnad",
            }[prefix]
            places = decimals if prefix == "ovriga" else 1
            value = _number(raw, f"{what} {year}", places, problems)
            if value is None:
                continue
            if prefix == "krav" and not REQUIREMENT_MIN <= value <= REQUIREMENT_MAX:
                problems.append(f"Effektiviseringskravet {year} måste vara mellan 0 och 5 %.")
                continue
            if prefix == "index" and not INDEX_MIN <= value <= INDEX_MAX:
                problems.append(f"Indexjusteringen {year} måste vara mellan −5 och +5 %.")
                continue
            {"krav": requirement, "index": index, "ovriga": others}[prefix][year] = value
        elif prefix == "risk":
            key, is_years = (rest[: -len("_ar")], True) if rest.endswith("_ar") else (rest, False)
            if b.risk(key) is None:
                problems.append(f"{name}: okänd kostnadsrisk.")
                continue
            entry = risks.setdefault(key, [None, None])
            label = f"”{b.risk(key).label}”"
            if is_years:
                entry[1] = _years(raw, f"Åren för {label}", problems)
            else:
                entry[0] = _number(raw, f"Beloppet för {label}", decimals, problems)
        else:
            problems.append(f"{name}: okänd parameter.")
    risk_list = []
    for key, (amount, years) in sorted(risks.items()):
        if amount is None:
            if years is not None:
                problems.append(f"risk_{key}_ar utan belopp (risk_{key}).")
            continue
        if not ZERO <= amount <= AMOUNT_LIMIT:
            problems.append(
                f"Beloppet för ”{b.risk(key).label}” måste vara mellan 0 och 1 000 000."
            )
            continue
        chosen = years if years is not None else b.risk(key).default_years
        if amount > 0 and chosen:
            risk_list.append((key, amount, chosen))
    if problems:
        raise ScenarioInputError(problems)
    params = ScenarioParams(
        requirement=requirement,
        index=index,
        exempt=frozenset(exempt),
        risks=risk_list,
        other_boards=others,
    )
    check_params(b, params)
    return params


def params_to_mapping(b: Baseline, p: ScenarioParams) -> dict[str, str]:
    """The levers that differ from the document's, as plain strings (for a link or JSON)."""
    doc = document_params(b)
    out: dict[str, str] = {}
    doc_req, doc_idx = dict(doc.requirement), dict(doc.index)
    for year, pct in p.requirement:
        if pct != doc_req.get(year, ZERO):
            out[f"krav_{year}"] = _fmt_decimal(pct)
    for year, pct in p.index:
        if pct != doc_idx.get(year, ZERO):
            out[f"index_{year}"] = _fmt_decimal(pct)
    if p.exempt:
        order = {k: i for i, k in enumerate(b.carrying_keys())}
        out[EXEMPT_PARAM] = ",".join(sorted(p.exempt, key=lambda k: (order.get(k, 999), k)))
    for key, amount, years in p.risks:
        if amount <= 0 or not years:
            continue
        out[f"risk_{key}"] = _fmt_decimal(amount)
        risk = b.risk(key)
        if risk is None or tuple(years) != risk.default_years:
            out[f"risk_{key}_ar"] = ",".join(str(y) for y in years)
    for year, amount in p.other_boards:
        out[f"ovriga_{year}"] = _fmt_decimal(amount)
    return out


SAVED_FORMAT = 1


def params_to_json(b: Baseline, p: ScenarioParams) -> str:
    body = {"format": SAVED_FORMAT, "doc_id": b.doc_id, "levers": params_to_mapping(b, p)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def params_from_json(b: Baseline, text: str) -> ScenarioParams:
    """A saved scenario's levers, validated exactly like a link's."""
    try:
        body = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ScenarioInputError(["Det sparade scenariot går inte att läsa."]) from exc
    if not isinstance(body, dict) or body.get("format") != SAVED_FORMAT:
        raise ScenarioInputError(["Det sparade scenariot har ett okänt format."])
    if body.get("doc_id") != b.doc_id:
        raise ScenarioInputError(["Det sparade scenariot gäller ett annat dokument."])
    levers = body.get("levers")
    if not isinstance(levers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in levers.items()
    ):
        raise ScenarioInputError(["Det sparade scenariot har ogiltiga reglage."])
    return params_from_mapping(b, levers)


def clean_name(name: str) -> str:
    """A scenario name as stored: trimmed, single spaces; refused if empty or odd."""
    text = " ".join((name or "").split())
    if not text:
        raise ScenarioInputError(["Ge scenariot ett namn."])
    if len(text) > NAME_MAX:
        raise ScenarioInputError([f"Namnet får vara högst {NAME_MAX} tecken."])
    if any(unicodedata.category(c).startswith("C") or c in "<>" for c in text):
        raise ScenarioInputError(["Namnet innehåller otillåtna tecken."])
    return text


SCENARIO_TABLE = "scenarios"


def save_scenario(
    b: Baseline,
    p: ScenarioParams,
    name: str,
    actor: access.Actor | None,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    root: Path | None = None,
) -> str:
    """Store the scenario durably under ``name``; returns its id.

    Refuses (``ScenarioInputError`` / ``AccessDeniedError``) before anything is written:
    an empty or over-long name, a name already used for this organisation, no actor.
    The duplicate check runs under the store's write lock, so two people saving the same
    name at once cannot both succeed.
    """
    check_params(b, p)
    text = clean_name(name)
    params_json = params_to_json(b, p)
    who = access.require(actor, "scenario:save", root=root)
    scenario_id = uuid.uuid4().hex
    row = pl.DataFrame(
        [
            {
                "scenario_id": scenario_id,
                "org_id": b.org_id,
                "name": text,
                "params_json": params_json,
                "saved_by": who.name.strip(),
                "saved_at": now(),
            }
        ],
        schema=tables.USER_TABLES[SCENARIO_TABLE],
    )

    def add(current: pl.DataFrame) -> pl.DataFrame:
        taken = current.filter(
            (pl.col("org_id") == b.org_id) & (pl.col("name").str.to_lowercase() == text.lower())
        )
        if taken.height:
            raise ScenarioInputError(
                [f"Det finns redan ett scenario som heter ”{text}”. Välj ett annat namn."]
            )
        return pl.concat([current, row], how="vertical_relaxed")

    store.replace_table(
        SCENARIO_TABLE,
        add,
        action="spara scenario",
        who=who.name.strip(),
        details={"scenario_id": scenario_id, "org_id": b.org_id, "name": text},
        root=root,
    )
    return scenario_id


def delete_scenario(
    org_id: str, scenario_id: str, actor: access.Actor | None, *, root: Path | None = None
) -> None:
    """Remove a saved scenario (the old table file stays on disk and in the audit log)."""
    who = access.require(actor, "scenario:delete", root=root)

    def drop(current: pl.DataFrame) -> pl.DataFrame:
        mask = (pl.col("scenario_id") == scenario_id) & (pl.col("org_id") == org_id)
        if current.filter(mask).height == 0:
            raise ScenarioInputError(["Scenariot finns inte längre – någon kan ha tagit bort det."])
        return current.filter(~mask)

    store.replace_table(
        SCENARIO_TABLE,
        drop,
        action="ta bort scenario",
        who=who.name.strip(),
        details={"scenario_id": scenario_id, "org_id": org_id},
        root=root,
    )


# ------------------------------------------------------------------------------- compare

COMPARE_SCHEMA = {
    "scenario": pl.String,
    "year": pl.Int32,
    "scenario_net": DECIMAL,
    "change": DECIMAL,
    "difference": DECIMAL,
    "result_percent": DECIMAL,
}


def compare(b: Baseline, named: list[tuple[str, ScenarioParams]]) -> pl.DataFrame:
    """Scenarios side by side: net cost, change vs plan and difference vs the first, per year."""
    rows = []
    first: dict[int, Decimal] = {}
    for i, (name, params) in enumerate(named):
        res = compute(b, params)
        pct = {r["year"]: r["scenario_result_percent"] for r in res.result_rows or ()}
        for r in res.year_rows:
            if i == 0:
                first[r["year"]] = r["scenario_net"]
            rows.append(
                {
                    "scenario": name,
                    "year": r["year"],
                    "scenario_net": r["scenario_net"],
                    "change": r["change"],
                    "difference": r["scenario_net"] - first[r["year"]],
                    "result_percent": pct.get(r["year"]),
                }
            )
    return pl.DataFrame(rows, schema=COMPARE_SCHEMA)


def describe(b: Baseline, p: ScenarioParams) -> str:
    """The levers in one Swedish line, for lists of saved scenarios and captions."""
    doc = document_params(b)
    parts = []
    for year in b.years:
        pct = p.requirement_for(year)
        if pct != doc.requirement_for(year):
            parts.append(f"krav {year} {fmt.percent(pct)}")
    for year, pct in p.index:
        parts.append(f"index {year} {fmt.percent(pct, signed=True)}")
    if p.exempt:
        labels = b.line_labels()
        parts.append("undantag " + ", ".join(labels.get(k, k) for k in sorted(p.exempt)))
    for key, amount, years in p.risks:
        risk = b.risk(key)
        name = risk.label if risk else key
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        parts.append(f"{name} {fmt.with_unit(amount, b.unit, _places(b))} {span}")
    for year, amount in p.other_boards:
        parts.append(f"övriga nämnder {year} {fmt.with_unit(amount, b.unit, _places(b))}")
    return "; ".join(parts) if parts else "dokumentets egna reglage"


def sentence(text: str) -> str:
    """First letter upper case, the rest as written (``str.capitalize`` lowers names)."""
    return text[:1].upper() + text[1:]


def _places(b: Baseline) -> int:
    return max(0, -b.quantum.as_tuple().exponent)
