"""The baseline: the budget document as printed, per year and line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.scenarios.common import ZERO
from budgetrummet.scenarios.layout import Layout
from budgetrummet.vocab import DECIMAL, YEAR_NAMES


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
    if layout.lines_version:
        netto = netto.filter(pl.col("version") == layout.lines_version)
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
