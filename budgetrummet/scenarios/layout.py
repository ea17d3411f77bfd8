"""Where a budget document prints what a scenario needs: tables, roles, texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import polars as pl


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
    lines_version: str | None = None  # the one version read from a report's lines table


# Tables a budget document prints its net cost per line in, and the board's summary.
PLAN_TABLES = ("drift_verksamhet", "produktionsomraden")
SUMMARY_TABLE = "drift_summa"
# A report's table per verksamhet (Driftredovisning): its budget column is the budget a
# scenario starts from when the organisation has no budget document.
REPORT_TABLE = "driftredovisning"
REPORT_BUDGET_VERSIONS = ("budget_kf", "budget_justerad")
BUDGET_COLUMN_TABLES = (*PLAN_TABLES, SUMMARY_TABLE, REPORT_TABLE)
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
    budget_version: str | None = None  # a report's budget column (no plan table)

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
    if not out:
        out = _report_budgets(columns)
    return sorted(out, key=lambda d: (d.doc_date, d.years[-1], d.doc_id), reverse=True)


def _report_budgets(columns: pl.DataFrame) -> list[BudgetDocument]:
    """Reports whose budget column per verksamhet (with a printed total) a scenario can
    start from, for an organisation without any budget document: the latest budget
    year of each, no plan years, no gross costs."""
    out = []
    for (doc_id,), part in columns.partition_by("doc_id", as_dict=True).items():
        totals = part.filter(
            (pl.col("table_id") == REPORT_TABLE)
            & (pl.col("line_key") == TOTAL_KEY)
            & (pl.col("row_kind") == "total")
            & (pl.col("measure") == "netto")
            & pl.col("version").is_in(REPORT_BUDGET_VERSIONS)
        ).sort("year", "version")
        if totals.is_empty():
            continue
        last = totals.row(-1, named=True)
        first = part.row(0, named=True)
        out.append(
            BudgetDocument(
                doc_id=str(doc_id),
                name=first["doc_name"] or str(doc_id),
                doc_type=first["doc_type"] or "",
                doc_date=str(first["doc_date"] or ""),
                lines_table=REPORT_TABLE,
                years=(last["year"],),
                history=(),
                gross=None,
                budget_version=last["version"],
            )
        )
    return out


def _report_note(doc: BudgetDocument) -> str:
    """What a scenario on a report's budget rests on, in Swedish."""
    return (
        f"Underlaget har ingen budget med planår. Scenarierna räknar på budget "
        f"{doc.years[0]} per verksamhet i {doc.name}, som tryckt; det finns inga planår "
        "att räkna på."
    )


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
        lines_version=doc.budget_version,
    )
    written = (
        tuple(notes.filter(pl.col("doc_id") == doc.doc_id)["text"].to_list())
        if notes is not None
        else ()
    )
    notes_shown = written or _default_notes(layout)
    if doc.budget_version:
        notes_shown = (_report_note(doc), *notes_shown)
    return replace(layout, notes=notes_shown)


def load_layout(
    run: Callable[..., pl.DataFrame], org_id: str, doc_id: str | None = None
) -> tuple[Layout | None, list[BudgetDocument]]:
    """The layout of the organisation's newest budget document (or of ``doc_id``) and all
    its budget documents, newest first; no layout when it has none."""
    docs = budget_documents(
        run("scen_budget_columns", org_id=org_id, table_ids=list(BUDGET_COLUMN_TABLES))
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
    """``wanted`` tables read with one query for all their documents (``name`` takes lists
    of document and table ids and returns ``doc_id`` and ``table_id`` columns), split
    back into one frame per (document, table), each in the query's order. A table
    without rows gets an empty frame."""
    if not wanted:
        return {}
    docs = list(dict.fromkeys(doc for doc, _ in wanted))
    table_ids = list(dict.fromkeys(table for _, table in wanted))
    frame = run(name, org_id=org_id, doc_ids=docs, table_ids=table_ids)
    parts = frame.partition_by("doc_id", "table_id", as_dict=True, maintain_order=True)
    empty = frame.clear().drop("doc_id", "table_id")
    out: dict[tuple[str, str], pl.DataFrame] = {}
    for doc, table in wanted:
        part = parts.get((doc, table))
        out[(doc, table)] = empty if part is None else part.drop("doc_id", "table_id")
    return out


def load_inputs(
    run: Callable[..., pl.DataFrame], org_id: str, layout: Layout
) -> tuple[dict[tuple[str, str], pl.DataFrame], dict[tuple[str, str], pl.DataFrame]]:
    """The figures and texts ``build_baseline`` needs, read through ``run(query_name,
    **params)`` with one figure query and one text query for all the documents (rather
    than one per document or table): ``queries/scen_doc_figures.sql`` and
    ``queries/scen_doc_texts.sql``."""
    figures = _by_table(run, "scen_doc_figures", org_id, figure_tables(layout))
    texts = _by_table(run, "scen_doc_texts", org_id, text_tables(layout))
    return figures, texts
