"""Finance administration (finansförvaltning): the money's path, its trend, the financial goals.

Pure logic over the ``figures`` rows of the finance tables (``queries/figures_by_tables.sql``)
and the reconciliation findings on them (``queries/findings_by_tables.sql``); no Streamlit.

Why it is shaped like this:

- **Signs decide direction.** Every post of the finance administration is printed as a
  signed net amount: positive money comes in (tax revenue, general grants, the boards'
  internal pension charges …), negative money goes out (pensions, depreciation, financial
  costs …). A post that changes sign between years (frame adjustments: +3 580 tkr in
  Budget 2024, negative afterwards) therefore changes side in the flow picture; nothing
  here assumes which side a post belongs on.
- **The flow balances on the printed lines.** Inflows − outflows is the sum of the
  printed lines. Where a printed total differs from that sum (Askersund's Bokslut 2023:
  Summa 761 876 against lines 762 602, and the summary table's 762 596), both printed
  figures are kept and the period is marked; no total is replaced.
- **What the sources do not say is an explicit assumption.** The municipality's result
  needs every board's net cost; the documents give one board's. The missing amounts are
  ``Assumptions`` the user types in, shown beside every result computed from them, and a
  goal that depends on a missing assumption gets the grey status "kan inte bedömas".
- **Years as evident.** A figure whose year was corrected by a documented erratum
  (Lerum's second "planåret 2024", which is 2025) is shown under its evident year with
  a note saying how it was printed.

Money is in tkr throughout (the unit of Askersund's finance tables); ratios in percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from budgetrummet import fmt
from budgetrummet.numbers import percent_change
from budgetrummet.vocab import CONTRADICTION, DECIMAL, ERRATUM, GREEN, GREY, RED, YELLOW

# The seed's stable table slugs this page reads (not organisation specific: a document of
# any municipality transcribed with these tables shows up here).
FLOW_TABLE = "finans_post"
SUMMARY_TABLE = "finans_summa"
BOARD_TABLE = "drift_summa"
BOARD_LINES_TABLE = "drift_verksamhet"
INVESTMENT_TABLE = "inv_kategori"
FRAME_TABLE = "ram"
GOAL_TABLE = "finansiella_mal"
ALL_TABLES = (
    FLOW_TABLE,
    SUMMARY_TABLE,
    BOARD_TABLE,
    BOARD_LINES_TABLE,
    INVESTMENT_TABLE,
    FRAME_TABLE,
    GOAL_TABLE,
)
# Findings on these tables concern the finance administration's figures / the board's.
FINANCE_TABLES = (FLOW_TABLE, SUMMARY_TABLE)
BOARD_TABLES = (BOARD_TABLE, BOARD_LINES_TABLE)

# Roles of the finance administration's lines (``line_role`` of ``figures_by_tables``,
# from the seed's config/roles): which printed post is tax revenue is data, not code.
TAX_ROLE = "skatteintakter"
GRANTS_ROLE = "statsbidrag"
DEPRECIATION_ROLE = "avskrivningar"
TOTAL_KEY = "total"
NET_KEY = "nettokostnad"
COST_KEY = "kostnader"
RESULT_GOAL_KEY = "resultatmal"

ZERO = Decimal(0)
HUNDRED = Decimal(100)

STATUS_LABELS = {
    GREEN: "Uppfyllt",
    YELLOW: "Observera",
    RED: "Ej uppfyllt",
    GREY: "Kan inte bedömas",
}
STATUS_ORDER = {RED: 0, YELLOW: 1, GREEN: 2, GREY: 3}


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """One column of the finance tables: a year and its printed heading (``Budget 2025``)."""

    year: int
    label: str
    version: str
    doc_id: str


def flow_document(figures: Figures) -> str | None:
    """The document whose finance administration table the page shows.

    With several documents (a later budget), the one budgeting the latest year wins;
    None when the organisation's documents have no finance administration table.
    """
    if isinstance(figures, FinanceFigures):
        return figures.flow_doc
    return _flow_document(figures)


def _flow_document(figures: pl.DataFrame) -> str | None:
    flow = figures.filter(pl.col("table_id") == FLOW_TABLE)
    if flow.is_empty():
        return None
    budget = flow.filter(pl.col("version") == "budget_kf")
    pick = (budget if not budget.is_empty() else flow).sort(["year", "doc_id"])
    return pick["doc_id"][-1]


def _doc(figures: pl.DataFrame, table_id: str, doc_id: str | None) -> pl.DataFrame:
    if doc_id is None:
        return figures.clear()
    return figures.filter((pl.col("table_id") == table_id) & (pl.col("doc_id") == doc_id))


def periods(figures: Figures) -> list[Period]:
    """The finance administration's columns, oldest first (empty if there is none)."""
    if isinstance(figures, FinanceFigures):
        return list(figures.periods)
    return list(_periods(figures, _flow_document(figures)))


def _periods(figures: pl.DataFrame, doc_id: str | None) -> tuple[Period, ...]:
    cols = (
        _doc(figures, FLOW_TABLE, doc_id)
        .select("year", "column_label", "version", "doc_id")
        .unique()
        .sort("year")
    )
    return tuple(
        Period(r["year"], r["column_label"], r["version"], r["doc_id"])
        for r in cols.iter_rows(named=True)
    )


def default_period(choices: list[Period]) -> Period | None:
    """The document's budget year (latest council budget), else the latest column."""
    budgets = [p for p in choices if p.version == "budget_kf"]
    candidates = budgets or choices
    return candidates[-1] if candidates else None


def _value(frame: pl.DataFrame, line_key: str, year: int) -> Decimal | None:
    hit = frame.filter((pl.col("line_key") == line_key) & (pl.col("year") == year))
    return hit["value"][0] if hit.height == 1 else None


@dataclass(frozen=True)
class _Lookup:
    """The figures as dictionaries, built in one pass: single values by
    (table, document, line, year) and the flow table's printed lines by (document, year).

    A page run asks for a few hundred single figures; a Polars filter per figure adds
    up, a dictionary look-up costs nothing. Same rule as ``_value``: a figure is found
    when exactly one row matches.
    """

    values: dict[tuple[str, str, str, int], list[Decimal]]
    lines: dict[tuple[str, int], list[Decimal]]
    roles: dict[tuple[str, str, str, int], list[Decimal]]

    @classmethod
    def of(cls, figures: Figures) -> _Lookup:
        if isinstance(figures, FinanceFigures):
            return figures.lookup
        return cls.build(figures)

    @classmethod
    def build(cls, figures: pl.DataFrame) -> _Lookup:
        values: dict[tuple[str, str, str, int], list[Decimal]] = {}
        lines: dict[tuple[str, int], list[Decimal]] = {}
        roles: dict[tuple[str, str, str, int], list[Decimal]] = {}
        columns = ("table_id", "doc_id", "line_key", "year", "row_kind", "value")
        role_of = (
            figures["line_role"].to_list()
            if "line_role" in figures.columns
            else [None] * figures.height
        )
        for (table, doc, key, year, kind, value), role in zip(
            zip(*(figures[c].to_list() for c in columns), strict=True), role_of, strict=True
        ):
            values.setdefault((table, doc, key, year), []).append(value)
            if role:
                roles.setdefault((table, doc, role, year), []).append(value)
            if table == FLOW_TABLE and kind == "line":
                lines.setdefault((doc, year), []).append(value)
        return cls(values, lines, roles)

    def value(self, table: str, doc_id: str | None, line_key: str, year: int) -> Decimal | None:
        hits = self.values.get((table, doc_id, line_key, year), []) if doc_id else []
        return hits[0] if len(hits) == 1 else None

    def role_value(self, table: str, doc_id: str | None, role: str, year: int) -> Decimal | None:
        """The one figure of the line that plays ``role`` in the document, for the year."""
        hits = self.roles.get((table, doc_id, role, year), []) if doc_id else []
        return hits[0] if len(hits) == 1 else None


@dataclass(frozen=True, eq=False)
class FinanceFigures:
    """The finance tables' rows with what the functions here derive from them: the flow
    document, its periods and the look-up tables, computed once by ``prepare``.

    The page's loader prepares the frame where it reads it and hands this down, so a
    page run derives nothing twice. Every function here also takes the bare frame
    (``Figures``) and then derives what it needs for that call.
    """

    frame: pl.DataFrame
    flow_doc: str | None
    periods: tuple[Period, ...]
    lookup: _Lookup


Figures = pl.DataFrame | FinanceFigures


def prepare(figures: Figures) -> FinanceFigures:
    """The rows of ``queries/figures_by_tables.sql`` (``ALL_TABLES``) with their derived
    values; an already prepared value is returned as it is."""
    if isinstance(figures, FinanceFigures):
        return figures
    doc_id = _flow_document(figures)
    return FinanceFigures(figures, doc_id, _periods(figures, doc_id), _Lookup.build(figures))


def _frame(figures: Figures) -> pl.DataFrame:
    return figures.frame if isinstance(figures, FinanceFigures) else figures


# ------------------------------------------------------------------------------ flow

IN, OUT, NONE = "in", "ut", "noll"


def flow_lines(figures: Figures, period: Period) -> pl.DataFrame:
    """The finance administration's printed posts for one period, each with its direction.

    Columns: ``line_key``, ``line_label``, ``row_no``, ``value`` (signed, as printed after
    errata), ``value_printed``, ``direction`` (``in`` for a positive amount, ``ut`` for a
    negative one, ``noll`` for zero), ``amount`` (the size, never negative),
    ``has_erratum``, ``source_line``.
    """
    lines = _doc(_frame(figures), FLOW_TABLE, period.doc_id).filter(
        (pl.col("year") == period.year) & (pl.col("row_kind") == "line")
    )
    return lines.sort("row_no").select(
        "line_key",
        "line_label",
        "row_no",
        pl.col("value").cast(DECIMAL),
        "value_printed",
        pl.when(pl.col("value") > 0)
        .then(pl.lit(IN))
        .when(pl.col("value") < 0)
        .then(pl.lit(OUT))
        .otherwise(pl.lit(NONE))
        .alias("direction"),
        pl.col("value").abs().cast(DECIMAL).alias("amount"),
        "has_erratum",
        "source_line",
    )


def sign_changes(figures: Figures) -> list[str]:
    """The posts that bring money in some years and take it out in others (printed labels)."""
    doc_id = flow_document(figures)
    lines = _doc(_frame(figures), FLOW_TABLE, doc_id).filter(pl.col("row_kind") == "line")
    signs = (
        lines.filter(pl.col("value") != 0)
        .group_by("line_key", "row_no")
        .agg(pl.col("line_label").first(), (pl.col("value") > 0).n_unique().alias("signs"))
    )
    return signs.filter(pl.col("signs") > 1).sort("row_no")["line_label"].to_list()


@dataclass(frozen=True)
class FlowBalance:
    """The finance administration's balance for one period, computed and as printed.

    ``line_sum`` = ``inflows`` − ``outflows`` = the sum of the printed lines; the printed
    totals stand beside it, never replaced by it. ``board_net`` is the board's printed
    net cost (negative: a cost), ``None`` when the document has no board summary.
    """

    period: Period
    inflows: Decimal
    outflows: Decimal
    line_sum: Decimal
    printed_total: Decimal | None
    printed_net: Decimal | None
    board_net: Decimal | None

    @property
    def printed_figures_agree(self) -> bool:
        """Do both printed nets equal the sum of the lines?"""
        return all(v is None or v == self.line_sum for v in (self.printed_total, self.printed_net))

    @property
    def remainder(self) -> Decimal | None:
        """What is left for the other boards and the result after this board's net cost."""
        return None if self.board_net is None else self.line_sum + self.board_net


def flow_balance(figures: Figures, period: Period) -> FlowBalance:
    """Inflows, outflows and their difference for one period, with the printed totals."""
    return _flow_balance(_Lookup.of(figures), period)


def _flow_balance(lookup: _Lookup, period: Period) -> FlowBalance:
    values = [v for v in lookup.lines.get((period.doc_id, period.year), []) if v is not None]
    inflows = sum((v for v in values if v > 0), ZERO)
    outflows = sum((-v for v in values if v < 0), ZERO)
    doc, year = period.doc_id, period.year
    return FlowBalance(
        period=period,
        inflows=inflows,
        outflows=outflows,
        line_sum=inflows - outflows,
        printed_total=lookup.value(FLOW_TABLE, doc, TOTAL_KEY, year),
        printed_net=lookup.value(SUMMARY_TABLE, doc, NET_KEY, year),
        board_net=lookup.value(BOARD_TABLE, doc, NET_KEY, year),
    )


@dataclass(frozen=True)
class Assumptions:
    """Amounts the sources do not give, typed in by the user (tkr; a cost is positive).

    ``None`` means "not assumed": whatever depends on it is shown as unknown.
    """

    other_boards_net_cost: Decimal | None = None
    other_boards_investments: Decimal | None = None


def municipal_result(
    finance_net: Decimal, board_net: Decimal, other_boards_net_cost: Decimal
) -> Decimal:
    """The municipality's result in tkr: what the finance administration leaves for the
    boards, minus this board's net cost (printed negative) and the other boards' (an
    assumption, positive = cost)."""
    return finance_net + board_net - other_boards_net_cost


NODE_SCHEMA = {
    "node_id": pl.String,
    "label": pl.String,
    "column": pl.Int8,
    "role": pl.String,
    "amount": DECIMAL,
    "flagged": pl.Boolean,
}
LINK_SCHEMA = {"source": pl.String, "target": pl.String, "value": DECIMAL, "role": pl.String}

CENTER, NET, BOARD, REST, OTHERS, RESULT, DEFICIT = (
    "finansforvaltning",
    "netto",
    "namnd",
    "ovrigt",
    "ovriga_namnder",
    "resultat",
    "underskott",
)


def flow_graph(
    figures: Figures,
    period: Period,
    assumptions: Assumptions = Assumptions(),
    *,
    board_name: str = "Nämnden",
    flagged: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Nodes and links of the flow picture for one period (frames for the Sankey builder).

    ``column`` orders the nodes left to right: 0 the posts that bring money in, 1 the
    finance administration (and, with an assumed deficit, the gap), 2 the posts that
    take money out and the net left for the boards, 3 this board, the others and the
    result. Each link runs in the
    direction the money moves, so a post with a negative amount flows out and one with a
    positive amount flows in, whichever post it is. Link values are sizes (never
    negative); the signed amounts are on the nodes. ``flagged`` marks the net node when
    the period has reconciliation findings.
    """
    lines = flow_lines(figures, period)
    bal = flow_balance(figures, period)  # one look-up build for a bare frame
    nodes: list[dict] = []
    links: list[dict] = []

    def node(node_id: str, label: str, column: int, role: str, amount: Decimal, flag=False):
        nodes.append(
            {
                "node_id": node_id,
                "label": label,
                "column": column,
                "role": role,
                "amount": amount,
                "flagged": flag,
            }
        )

    def link(source: str, target: str, signed: Decimal, role: str) -> None:
        # A positive amount moves from source to target; a negative one the other way.
        if signed == 0:
            return
        a, b = (source, target) if signed > 0 else (target, source)
        links.append({"source": a, "target": b, "value": abs(signed), "role": role})

    if lines.is_empty():
        return pl.DataFrame(schema=NODE_SCHEMA), pl.DataFrame(schema=LINK_SCHEMA)

    node(CENTER, "Finansförvaltningen", 1, "center", bal.inflows)
    for r in lines.iter_rows(named=True):
        if r["direction"] == NONE:
            continue
        column = 0 if r["direction"] == IN else 2
        node(r["line_key"], r["line_label"], column, r["direction"], r["value"], r["has_erratum"])
        link(r["line_key"], CENTER, r["value"], r["direction"])

    node(NET, "Netto till nämnderna", 2, "netto", bal.line_sum, flagged)
    link(CENTER, NET, bal.line_sum, "netto")
    if bal.board_net is None:
        return _frames(nodes, links)

    node(BOARD, f"{board_name}s nettokostnad", 3, "namnd", bal.board_net)
    link(BOARD, NET, bal.board_net, "namnd")
    if assumptions.other_boards_net_cost is None:
        rest = bal.remainder
        label = "Kvar för övriga nämnder och resultat" if rest >= 0 else "Saknas för nämnden"
        node(REST, label, 3 if rest >= 0 else 1, "rest", rest)
        link(NET, REST, rest, "rest")
        return _frames(nodes, links)

    other = assumptions.other_boards_net_cost
    node(OTHERS, "Övriga nämnder (antagande)", 3, "antagande", -other)
    link(OTHERS, NET, -other, "antagande")
    result = municipal_result(bal.line_sum, bal.board_net, other)
    if result >= 0:
        node(RESULT, "Resultat (med antagandet)", 3, "resultat", result)
    else:
        node(DEFICIT, "Underskott (med antagandet)", 1, "underskott", result)
    link(NET, RESULT if result >= 0 else DEFICIT, result, "resultat")
    return _frames(nodes, links)


def _frames(nodes: list[dict], links: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    return (
        pl.DataFrame(nodes, schema=NODE_SCHEMA),
        pl.DataFrame(links, schema=LINK_SCHEMA),
    )


# -------------------------------------------------------------------------- findings


def findings_for(findings: pl.DataFrame, year: int, tables: tuple[str, ...]) -> pl.DataFrame:
    """The reconciliation findings on ``tables`` for one year (empty frame if none)."""
    return findings.filter((pl.col("year") == year) & pl.col("table_id").is_in(tables))


def serious(findings: pl.DataFrame) -> pl.DataFrame:
    """Findings that are more than rounding: a contradiction or an erratum."""
    return findings.filter(pl.col("klass").is_in([CONTRADICTION, ERRATUM]))


def side_notes(findings: pl.DataFrame, year: int) -> pl.DataFrame:
    """The year's findings the balance check does not already show: rounding on the
    finance tables, and anything on the board's tables (the board's net cost)."""
    finance = findings_for(findings, year, FINANCE_TABLES)
    board = findings_for(findings, year, BOARD_TABLES)
    return pl.concat([finance.filter(~pl.col("klass").is_in([CONTRADICTION, ERRATUM])), board])


# ----------------------------------------------------------------------- result goal


def result_goal_tkr(
    skatteintakter: Decimal, generella_statsbidrag: Decimal, mal_procent: Decimal
) -> Decimal:
    """The result goal in tkr: ``mal_procent`` % of (tax revenue + general state grants).

    Askersund's council decided that the municipality's result for 2025 shall be 0,9 %
    of tax revenue and general state grants: ``result_goal_tkr(657082, 196392, 0.9)`` is
    7 681,266 tkr. Exact (Decimal in, Decimal out, no rounding); round when showing.
    Tax revenue and grants as printed (positive, tkr); ``mal_procent`` in percent.
    """
    return (skatteintakter + generella_statsbidrag) * mal_procent / HUNDRED


def result_goal_percent(figures: Figures) -> tuple[Decimal, int, int] | None:
    """The decided result goal: (percent, the year it is decided for, its source line)."""
    hit = (
        _frame(figures)
        .filter((pl.col("table_id") == FRAME_TABLE) & (pl.col("line_key") == RESULT_GOAL_KEY))
        .sort("year")
    )
    if hit.is_empty():
        return None
    r = hit.row(-1, named=True)
    return r["value"], r["year"], r["source_line"]


RESULT_GOAL_SCHEMA = {
    "year": pl.Int32,
    "column_label": pl.String,
    "skatteintakter": DECIMAL,
    "generella_statsbidrag": DECIMAL,
    "underlag": DECIMAL,
    "mal_procent": DECIMAL,
    "mal_tkr": DECIMAL,
    "finans_netto": DECIMAL,
    "namnd_netto": DECIMAL,
    "utrymme_ovriga": DECIMAL,
}


def result_goal_by_year(figures: Figures, mal_procent: Decimal | None = None) -> pl.DataFrame:
    """The result goal in tkr for every year of the finance administration table.

    ``figures`` are the rows of ``queries/figures_by_tables.sql`` (``table_ids`` =
    ``ALL_TABLES``); ``mal_procent`` defaults to the decided goal (0,9 for Askersund).
    One row per year: ``skatteintakter`` and ``generella_statsbidrag`` as printed, their
    sum ``underlag``, ``mal_tkr`` = ``result_goal_tkr(…)``, the finance administration's
    net (``finans_netto``, the sum of its printed lines), this board's printed net cost
    (``namnd_netto``, negative) and ``utrymme_ovriga``: the most the other boards together
    may cost that year for the goal to be met (finans_netto + namnd_netto − mal_tkr).
    Empty when the organisation has no finance administration table or no goal.
    """
    figures = prepare(figures)
    if mal_procent is None:
        decided = result_goal_percent(figures)
        mal_procent = decided[0] if decided else None
    choices = periods(figures)
    if mal_procent is None or not choices:
        return pl.DataFrame(schema=RESULT_GOAL_SCHEMA)
    lookup = _Lookup.of(figures)
    rows = []
    for p in choices:
        tax = lookup.role_value(FLOW_TABLE, p.doc_id, TAX_ROLE, p.year)
        grants = lookup.role_value(FLOW_TABLE, p.doc_id, GRANTS_ROLE, p.year)
        if tax is None or grants is None:
            continue
        goal = result_goal_tkr(tax, grants, mal_procent)
        bal = _flow_balance(lookup, p)
        rows.append(
            {
                "year": p.year,
                "column_label": p.label,
                "skatteintakter": tax,
                "generella_statsbidrag": grants,
                "underlag": tax + grants,
                "mal_procent": mal_procent,
                "mal_tkr": goal,
                "finans_netto": bal.line_sum,
                "namnd_netto": bal.board_net,
                "utrymme_ovriga": None
                if bal.board_net is None
                else bal.line_sum + bal.board_net - goal,
            }
        )
    return pl.DataFrame(rows, schema=RESULT_GOAL_SCHEMA)


def result_status(result: Decimal, goal: Decimal) -> str:
    """Green at or above the goal, yellow for a surplus below it, red for a deficit."""
    if result >= goal:
        return GREEN
    return YELLOW if result >= 0 else RED


# ------------------------------------------------------------------------------- goals


@dataclass(frozen=True)
class GoalAssessment:
    """One financial goal against its target, ready to show.

    ``rows`` has one row per year: ``label`` (the evident year's heading), ``year``,
    ``value`` (Decimal or None), ``shown`` (Swedish text), ``status``, ``note``.
    ``calculation`` is the working in Swedish, line by line, for "visa beräkningen".
    """

    key: str
    name: str
    target: str
    status: str
    verdict: str
    rows: pl.DataFrame
    calculation: tuple[str, ...]
    source: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    value_heading: str = "Värde"
    target_value: Decimal | None = None


GOAL_ROW_SCHEMA = {
    "label": pl.String,
    "year": pl.Int32,
    "value": DECIMAL,
    "shown": pl.String,
    "status": pl.String,
    "note": pl.String,
}


def _goal_rows(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=GOAL_ROW_SCHEMA)


def worst(statuses: list[str]) -> str:
    """The worst light among measured ones; grey only if nothing was measured."""
    measured = [s for s in statuses if s != GREY]
    return min(measured, key=STATUS_ORDER.__getitem__) if measured else GREY


@dataclass(frozen=True)
class RatioRule:
    """How a printed financial key ratio is judged against its printed target.

    ``comparison`` is ``>``, ``<`` or ``<=`` (read from the target's wording in the
    source); ``judged_on`` names the prefix of a line key whose figure the target is
    judged on instead of the single years (a ten-year average).
    """

    line_key: str
    name: str
    comparison: str
    judged_on: str | None = None
    explanation: str = ""


RATIO_RULES = (
    RatioRule(
        "soliditet",
        "Soliditet",
        ">",
        explanation="Eget kapital i förhållande till tillgångarna, inklusive pensionsåtagandena.",
    ),
    RatioRule(
        "skulder_per_invanare",
        "Skulder per invånare",
        "<",
        explanation="Kommunens skulder delade med antalet invånare.",
    ),
    RatioRule(
        "nettokostnadsandel",
        "Nettokostnadsandel",
        "<=",
        judged_on="nettokostnadsandel_snitt",
        explanation="Verksamhetens nettokostnader och finansnetto i procent av "
        "skatteintäkter och generella statsbidrag; målet gäller snittet över tio år.",
    ),
)
COMPARISON_TEXT = {">": "över", "<": "under", "<=": "högst"}


def _meets(value: Decimal, comparison: str, target: Decimal) -> bool:
    return {
        ">": value > target,
        "<": value < target,
        "<=": value <= target,
    }[comparison]


def _ratio_text(value: Decimal | None, unit: str, decimals: int) -> str:
    return fmt.with_unit(value, unit, decimals)


def evident_label(column_label: str, year: int, year_printed: int) -> str:
    """The column heading with the evident year (``planåret 2024`` → ``planåret 2025``)."""
    label = (
        column_label if year == year_printed else column_label.replace(str(year_printed), str(year))
    )
    return label[:1].upper() + label[1:]


def ratio_goals(figures: Figures, doc_names: dict[str, str] | None = None) -> list[GoalAssessment]:
    """Each printed key-ratio goal (soliditet, debt per inhabitant, nettokostnadsandel).

    The target is the figure with version ``mal``; every other figure of the same line
    key is a budgeted or planned value, judged against it. For a goal judged on an
    average, the years are shown as yellow when they exceed the target (the goal allows
    single years above it) and the light is the average's.
    """
    doc_names = doc_names or {}
    table = _frame(figures).filter(pl.col("table_id") == GOAL_TABLE)
    out: list[GoalAssessment] = []
    for rule in RATIO_RULES:
        targets = table.filter((pl.col("line_key") == rule.line_key) & (pl.col("version") == "mal"))
        if targets.is_empty():
            continue
        t = targets.row(0, named=True)
        target, unit = t["value"], t["unit"]
        decimals = max(int(t["decimals"]), 1 if unit == "procent" else 0)
        target_text = f"{COMPARISON_TEXT[rule.comparison]} {_ratio_text(target, unit, decimals)}"
        if rule.judged_on:
            target_text += " i snitt över en tioårsperiod"
        values = table.filter(
            (pl.col("line_key") == rule.line_key) & (pl.col("version") != "mal")
        ).sort(["year", "row_no"])
        rows, notes, calc = [], [], []
        for v in values.iter_rows(named=True):
            ok = _meets(v["value"], rule.comparison, target)
            status = GREEN if ok else (YELLOW if rule.judged_on else RED)
            note = ""
            label = evident_label(v["column_label"], v["year"], v["year_printed"])
            if v["year"] != v["year_printed"]:
                note = (
                    f"Tryckt som ”{v['column_label']}”; avser {v['year']} "
                    "(rättat årtal, se Datakvalitet)."
                )
                notes.append(
                    f"{rule.name} {_ratio_text(v['value'], unit, decimals)}: källan skriver "
                    f"”{v['column_label']}”, men siffran avser {v['year']} – meningen nämner "
                    f"{v['year_printed']} två gånger. Här visas den under {v['year']}."
                )
            elif rule.judged_on and not ok:
                note = "Över målnivån detta år; målet gäller snittet över tio år."
            rows.append(
                {
                    "label": label,
                    "year": v["year"],
                    "value": v["value"],
                    "shown": _ratio_text(v["value"], unit, decimals),
                    "status": status,
                    "note": note,
                }
            )
            calc.append(
                f"{label}: {_ratio_text(v['value'], unit, decimals)} "
                f"{'uppfyller' if ok else 'uppfyller inte'} {target_text}"
            )
        judged = None
        if rule.judged_on:
            avg = table.filter(pl.col("line_key").str.starts_with(rule.judged_on))
            if not avg.is_empty():
                judged = avg.row(0, named=True)
        if judged is not None:
            ok = _meets(judged["value"], rule.comparison, target)
            status = GREEN if ok else RED
            rows.append(
                {
                    "label": judged["column_label"][:1].upper() + judged["column_label"][1:],
                    "year": judged["year"],
                    "value": judged["value"],
                    "shown": _ratio_text(judged["value"], unit, decimals),
                    "status": status,
                    "note": "Det som målet mäts på.",
                }
            )
            above = [r["label"] for r in rows[:-1] if r["status"] != GREEN]
            verdict = (
                f"Snittet för {judged['column_label']} är "
                f"{_ratio_text(judged['value'], unit, decimals)}, "
                f"{'inom' if ok else 'över'} målet {target_text}."
            )
            if above:
                verdict += f" Enskilda år över målnivån: {', '.join(above)}."
            calc.append(
                f"Målet mäts på snittet ({judged['column_label']}): "
                f"{_ratio_text(judged['value'], unit, decimals)} "
                f"{'uppfyller' if ok else 'uppfyller inte'} {target_text}"
            )
        else:
            status = worst([r["status"] for r in rows])
            failing = [r["label"] for r in rows if r["status"] == RED]
            verdict = (
                f"Alla budgeterade år {'ligger ' + COMPARISON_TEXT[rule.comparison]} "
                f"målnivån {_ratio_text(target, unit, decimals)}."
                if not failing
                else f"Målet nås inte: {', '.join(failing)}."
            )
        out.append(
            GoalAssessment(
                key=rule.line_key,
                name=rule.name,
                target=target_text,
                status=status,
                verdict=verdict,
                rows=_goal_rows(rows),
                calculation=(rule.explanation, *calc) if rule.explanation else tuple(calc),
                source=f"{doc_names.get(t['doc_id'], t['doc_id'])}, {t['table_title']}, "
                f"rad {t['source_line']}",
                notes=tuple(notes),
                value_heading="Värde",
                target_value=target,
            )
        )
    return out


def result_goal_assessment(
    figures: Figures,
    period: Period,
    assumptions: Assumptions = Assumptions(),
    *,
    doc_names: dict[str, str] | None = None,
) -> GoalAssessment | None:
    """The result goal (x % of tax revenue and general grants) for the chosen period.

    The rows give the goal in tkr for every year and the most the other boards may cost
    for it to be met. The light needs the municipality's result, which needs the other
    boards' net cost: without that assumption it is grey, with it it is computed and the
    assumption is named in the verdict.
    """
    figures = prepare(figures)
    decided = result_goal_percent(figures)
    table = result_goal_by_year(figures)
    if decided is None or table.is_empty():
        return None
    percent, goal_year, source_line = decided
    doc_names = doc_names or {}
    rows = []
    for r in table.iter_rows(named=True):
        room = r["utrymme_ovriga"]
        rows.append(
            {
                "label": r["column_label"],
                "year": r["year"],
                "value": r["mal_tkr"],
                "shown": fmt.tkr(r["mal_tkr"]),
                "status": GREY,
                "note": ""
                if room is None
                else f"Övriga nämnder får kosta högst {fmt.tkr(room)} för att målet ska nås",
            }
        )
    this = table.filter(pl.col("year") == period.year)
    goal_text = (
        f"resultatet {goal_year} minst {fmt.percent(percent)} av skatteintäkter och generella "
        "statsbidrag"
    )
    calc = []
    status, verdict = GREY, ""
    if not this.is_empty():
        r = this.row(0, named=True)
        calc = [
            f"Underlag {r['column_label']}: skatteintäkter {fmt.tkr(r['skatteintakter'])} "
            f"+ generella statsbidrag {fmt.tkr(r['generella_statsbidrag'])} "
            f"= {fmt.tkr(r['underlag'])}",
            f"Målet: {fmt.percent(percent)} × {fmt.tkr(r['underlag'])} = {fmt.tkr(r['mal_tkr'])}",
            f"Finansförvaltningens netto till nämnderna (radernas summa): "
            f"{fmt.tkr(r['finans_netto'])}",
        ]
        if r["namnd_netto"] is not None:
            calc.append(
                f"− nämndens nettokostnad {fmt.tkr(-r['namnd_netto'])} − målet "
                f"{fmt.tkr(r['mal_tkr'])} = högst {fmt.tkr(r['utrymme_ovriga'])} "
                "för övriga nämnder tillsammans"
            )
        other = assumptions.other_boards_net_cost
        if other is None or r["namnd_netto"] is None:
            verdict = (
                "Kan inte bedömas ur källorna: kommunens resultat kräver alla nämnders "
                "nettokostnad, och dokumentet ger bara den här nämndens. Ange ett antagande "
                "om övriga nämnders nettokostnad för att räkna fram resultatet."
            )
        else:
            result = municipal_result(r["finans_netto"], r["namnd_netto"], other)
            status = result_status(result, r["mal_tkr"])
            share = result / r["underlag"] * HUNDRED
            calc.append(
                f"Resultat med antagandet: {fmt.tkr(r['finans_netto'])} − "
                f"{fmt.tkr(-r['namnd_netto'])} − {fmt.tkr(other)} (antagande) = "
                f"{fmt.tkr(result)} = {fmt.percent(share, 2)} av underlaget"
            )
            verdict = (
                f"Med antagandet att övriga nämnder kostar {fmt.tkr(other)} blir resultatet "
                f"för {r['column_label']} {fmt.tkr(result)} ({fmt.percent(share, 2)}) mot målet "
                f"{fmt.tkr(r['mal_tkr'])}. Antagandet är ditt, inte källans."
            )
            rows = [row | {"status": status} if row["year"] == period.year else row for row in rows]
    notes = (
        f"Fullmäktiges mål gäller {goal_year}; för övriga år visas samma procentsats som "
        "jämförelse.",
    )
    source_doc = figures.frame.filter(
        (pl.col("table_id") == FRAME_TABLE) & (pl.col("line_key") == RESULT_GOAL_KEY)
    ).row(0, named=True)
    return GoalAssessment(
        key=RESULT_GOAL_KEY,
        name="Resultat",
        target=goal_text,
        status=status,
        verdict=verdict,
        rows=_goal_rows(rows),
        calculation=tuple(calc),
        source=f"{doc_names.get(source_doc['doc_id'], source_doc['doc_id'])}, "
        f"{source_doc['table_title']}, rad {source_line}",
        notes=notes,
        value_heading="Målet, tkr",
    )


@dataclass(frozen=True)
class WordedGoal:
    """A financial goal the source states only in words (no figure to transcribe).

    ``quote`` is the goal's wording exactly as printed on ``source_line`` of the
    document (a test checks it against the source text).
    """

    doc_id: str
    source_line: int
    key: str
    name: str
    quote: str


def worded_goals(rows: pl.DataFrame) -> tuple[WordedGoal, ...]:
    """The goals of ``fin_worded_goals`` (seed config/worded_goals) as values."""
    return tuple(
        WordedGoal(r["doc_id"], int(r["source_line"]), r["goal_key"], r["name"], r["quote"])
        for r in rows.iter_rows(named=True)
    )


def has_worded_goal(period: Period, worded: Sequence[WordedGoal] = ()) -> bool:
    """Does the period's document state a goal in words that needs more assumptions?"""
    return any(g.doc_id == period.doc_id for g in worded)


def self_financing_assessment(
    figures: Figures,
    period: Period,
    assumptions: Assumptions = Assumptions(),
    *,
    doc_names: dict[str, str] | None = None,
    worded: Sequence[WordedGoal] = (),
) -> GoalAssessment | None:
    """Self-financing of the tax-funded investments, as far as the sources allow.

    Self-financing degree = (result + depreciation) / net investments × 100. The
    document gives the depreciation and this board's investments; the result and the
    other boards' investments are assumptions. Below 100 % nothing is left to amortise
    the debt, so the goal is not met (red); at 100 % or more the light stays grey,
    because the goal asks for "a substantial part" of a loan debt the documents do not
    state.
    """
    doc_names = doc_names or {}
    docs = set(_frame(figures)["doc_id"].unique().to_list())
    goal = next((g for g in worded if g.doc_id in docs), None)
    if goal is None or period.doc_id != goal.doc_id:
        return None
    lookup = _Lookup.of(figures)
    depreciation = lookup.role_value(FLOW_TABLE, period.doc_id, DEPRECIATION_ROLE, period.year)
    board_inv = lookup.value(INVESTMENT_TABLE, period.doc_id, TOTAL_KEY, period.year)
    bal = _flow_balance(lookup, period)
    calc = [
        "Självfinansieringsgrad = (resultat + avskrivningar) / nettoinvesteringar × 100. "
        "Över 100 % blir pengar över till amortering.",
        f"Avskrivningar {period.label} (finansförvaltningen): {fmt.tkr(depreciation)}",
        f"Nämndens investeringar {period.label}: {fmt.tkr(board_inv)}",
    ]
    status, verdict = GREY, ""
    a = assumptions
    known = None not in (depreciation, board_inv, bal.board_net)
    if known and a.other_boards_net_cost is not None and a.other_boards_investments is not None:
        result = municipal_result(bal.line_sum, bal.board_net, a.other_boards_net_cost)
        investments = -board_inv + a.other_boards_investments
        calc.append(f"Resultat med antagandet om övriga nämnders nettokostnad: {fmt.tkr(result)}")
        calc.append(
            f"Investeringar: {fmt.tkr(-board_inv)} + {fmt.tkr(a.other_boards_investments)} "
            f"(antagande) = {fmt.tkr(investments)}"
        )
        if investments <= 0:
            verdict = "Inga investeringar med antagandena – självfinansieringsgraden saknar mening."
        else:
            degree = (result - depreciation) / investments * HUNDRED
            amortisation = result - depreciation - investments
            calc.append(
                f"({fmt.tkr(result)} + {fmt.tkr(-depreciation)}) / {fmt.tkr(investments)} "
                f"= {fmt.percent(degree)}"
            )
            if degree < HUNDRED:
                status = RED
                verdict = (
                    f"Med antagandena blir självfinansieringsgraden {fmt.percent(degree)}: "
                    f"investeringarna lånefinansieras till {fmt.tkr(-amortisation)} och "
                    "ingen amortering ryms."
                )
            else:
                verdict = (
                    f"Med antagandena blir självfinansieringsgraden {fmt.percent(degree)}, "
                    f"{fmt.tkr(amortisation)} kan gå till amortering. Om det är en "
                    "”betydande del” av låneskulden går inte att bedöma: låneskulden står "
                    "inte i dokumentet."
                )
    else:
        verdict = (
            "Kan inte bedömas ur källorna: målet anger ingen siffra, och kommunens resultat, "
            "övriga nämnders investeringar och låneskulden står inte i dokumentet. Ange "
            "antaganden om övriga nämnders nettokostnad och investeringar för att räkna "
            "fram graden."
        )
    return GoalAssessment(
        key=goal.key,
        name=goal.name,
        target=f"”{goal.quote}”",
        status=status,
        verdict=verdict,
        rows=_goal_rows([]),
        calculation=tuple(calc),
        source=f"{doc_names.get(goal.doc_id, goal.doc_id)}, rad {goal.source_line}",
    )


# ------------------------------------------------------------------------------- trend

SERIES = {
    "skatter_bidrag": "Skatteintäkter och generella statsbidrag",
    "finans_kostnader": "Finansförvaltningens kostnader",
    "finans_netto": "Finansförvaltningens netto till nämnderna",
    "namnd_netto": "nettokostnad",
}
TREND_SCHEMA = {
    "series": pl.String,
    "series_label": pl.String,
    "year": pl.Int32,
    "column_label": pl.String,
    "value": DECIMAL,
    "computed": pl.Boolean,
    "flag": pl.String,
    "growth_pct": DECIMAL,
    "index": DECIMAL,
}


def trend(
    figures: Figures, findings: pl.DataFrame | None = None, *, board_name: str = "Nämnden"
) -> pl.DataFrame:
    """Tax revenue + general grants, the finance administration's costs and net, and the
    board's net cost for every year, with the growth from the year before in percent.

    Amounts are sizes in tkr (a cost printed −95 824 is 95 824 here) so that growth reads
    as growth; ``computed`` marks the one series that is a sum (tax revenue + grants), the
    others are printed figures. ``index`` is the amount relative to the first year (=100).
    ``flag`` names the reconciliation class of a finding on that series and year.
    """
    figures = prepare(figures)
    choices = periods(figures)
    findings = findings if findings is not None else pl.DataFrame(schema={"year": pl.Int32})
    lookup = _Lookup.of(figures)
    # The worst finding per (year, tables), sorted once instead of filtered per point.
    worst_flag: dict[tuple[int, tuple[str, ...]], str] = {}
    if "table_id" in findings.columns:
        for f in findings.sort("klass_order").iter_rows(named=True):
            for tables in (FINANCE_TABLES, BOARD_TABLES):
                if f["table_id"] in tables:
                    worst_flag.setdefault((f["year"], tables), f["klass"])
    rows = []
    for key, label in SERIES.items():
        series_label = f"{board_name}s {label}" if key == "namnd_netto" else label
        first = previous = None
        for p in choices:
            computed = False
            if key == "skatter_bidrag":
                tax = lookup.role_value(FLOW_TABLE, p.doc_id, TAX_ROLE, p.year)
                grants = lookup.role_value(FLOW_TABLE, p.doc_id, GRANTS_ROLE, p.year)
                value = None if tax is None or grants is None else tax + grants
                computed = True
            elif key == "finans_kostnader":
                value = lookup.value(SUMMARY_TABLE, p.doc_id, COST_KEY, p.year)
            elif key == "finans_netto":
                value = lookup.value(SUMMARY_TABLE, p.doc_id, NET_KEY, p.year)
            else:
                value = lookup.value(BOARD_TABLE, p.doc_id, NET_KEY, p.year)
            if value is None:
                continue
            size = abs(value)
            tables = BOARD_TABLES if key == "namnd_netto" else FINANCE_TABLES
            flag = ""
            if key in ("finans_netto", "namnd_netto"):
                flag = worst_flag.get((p.year, tables), "")
            first = size if first is None else first
            rows.append(
                {
                    "series": key,
                    "series_label": series_label,
                    "year": p.year,
                    "column_label": p.label,
                    "value": size,
                    "computed": computed,
                    "flag": flag,
                    "growth_pct": percent_change(previous, size),
                    "index": None if not first else size / first * HUNDRED,
                }
            )
            previous = size
    return pl.DataFrame(rows, schema=TREND_SCHEMA)


@dataclass(frozen=True)
class TrendSeries:
    """``trend``'s rows by series and year, for the tables: its years (``year``,
    ``column_label``) oldest first, and per series its shown name and rows by year."""

    years: list[dict]
    series: list[tuple[str, dict]]


def trend_series(trend_frame: pl.DataFrame) -> TrendSeries:
    """The trend grouped for ``trend_table``, ``trend_raw`` and ``growth_table``: a page
    that shows all three groups it once and hands the result to each."""
    years = trend_frame.select("year", "column_label").unique().sort("year").to_dicts()
    series = []
    for key in trend_frame["series"].unique(maintain_order=True).to_list():
        s = trend_frame.filter(pl.col("series") == key)
        name = s["series_label"][0] + (" (beräknad summa)" if s["computed"][0] else "")
        series.append((name, {r["year"]: r for r in s.iter_rows(named=True)}))
    return TrendSeries(years, series)


def _grouped(trend: pl.DataFrame | TrendSeries) -> TrendSeries:
    return trend if isinstance(trend, TrendSeries) else trend_series(trend)


def trend_table(trend: pl.DataFrame | TrendSeries) -> pl.DataFrame:
    """The trend's amounts as the page's table: one row per series, one column per year.

    A figure of a year with a contradiction or erratum in the source gets a ⚠.
    """
    grouped = _grouped(trend)
    if not grouped.years:
        return pl.DataFrame(schema={"Serie": pl.String})
    years, series = grouped.years, grouped.series
    out = []
    for name, by_year in series:
        row = {"Serie": name}
        for y in years:
            r = by_year.get(y["year"])
            text = fmt.tkr(r["value"]) if r else fmt.EMPTY
            if r and r["flag"] in (CONTRADICTION, ERRATUM):
                text += " ⚠"
            row[y["column_label"]] = text
        out.append(row)
    return pl.DataFrame(out)


def trend_raw(trend: pl.DataFrame | TrendSeries) -> pl.DataFrame:
    """``trend_table``'s amounts as numbers (tkr, sizes), same rows and headers, for an
    Excel download; no ⚠ marks."""
    grouped = _grouped(trend)
    if not grouped.years:
        return pl.DataFrame(schema={"Serie": pl.String})
    years, series = grouped.years, grouped.series
    rows = [
        {"Serie": name}
        | {y["column_label"]: (by_year.get(y["year"]) or {}).get("value") for y in years}
        for name, by_year in series
    ]
    return pl.DataFrame(
        rows, schema={"Serie": pl.String} | {y["column_label"]: DECIMAL for y in years}
    )


def growth_table(trend: pl.DataFrame | TrendSeries) -> pl.DataFrame:
    """Growth in percent per series: from each year to the next, and over the whole period."""
    grouped = _grouped(trend)
    if not grouped.years:
        return pl.DataFrame(schema={"Serie": pl.String})
    years, series = grouped.years, grouped.series
    out = []
    for name, by_year in series:
        row = {"Serie": name}
        for prev, cur in zip(years, years[1:], strict=False):
            r = by_year.get(cur["year"])
            growth = r["growth_pct"] if r and prev["year"] in by_year else None
            row[f"{prev['year']}→{cur['year']}"] = fmt.percent(growth, signed=True)
        first, last = by_year.get(years[0]["year"]), by_year.get(years[-1]["year"])
        total = percent_change(first["value"], last["value"]) if first and last else None
        row[f"{years[0]['year']}→{years[-1]['year']} totalt"] = fmt.percent(total, signed=True)
        out.append(row)
    return pl.DataFrame(out)


# --------------------------------------------------------------------- what is unknown


def unknowns(
    figures: Figures, *, board_name: str = "Nämnden", worded: Sequence[WordedGoal] = ()
) -> list[str]:
    """What the organisation's documents cannot tell this page, in plain Swedish."""
    figures = _frame(figures)
    out = []
    has_flow = not figures.filter(pl.col("table_id") == FLOW_TABLE).is_empty()
    has_board = not figures.filter(pl.col("table_id") == BOARD_TABLE).is_empty()
    if not has_flow:
        out.append(
            "Dokumenten innehåller ingen driftbudget för finansförvaltningen: varifrån "
            "pengarna kommer (skatter, statsbidrag, pensioner, avskrivningar, finansiella "
            "poster) går inte att visa."
        )
    if has_flow and has_board:
        out.append(
            f"Kommunens resultat: dokumentet ger finansförvaltningens netto och "
            f"{board_name.lower()}s nettokostnad, men inte övriga nämnders. Resultatet räknas "
            "därför bara fram med ditt antagande om övriga nämnders nettokostnad."
        )
    if any(g.doc_id in set(figures["doc_id"].to_list()) for g in worded):
        out.append(
            "Självfinansieringsgraden: kommunens samlade investeringar och låneskuld står inte "
            "i dokumentet, och målet anger ingen siffra."
        )
    if not figures.filter(pl.col("table_id") == GOAL_TABLE).is_empty():
        out.append(
            "Nyckeltalen (soliditet, skulder per invånare, nettokostnadsandel) är budgeterade "
            "och planerade värden ur verksamhetsplanen, inte utfall; hur de räknats fram "
            "(till exempel invånarantalet) står inte i dokumentet."
        )
    return out
