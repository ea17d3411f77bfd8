"""Scenarios side by side, and a scenario described in words."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.scenarios.baseline import Baseline
from budgetrummet.scenarios.levers import ScenarioParams, document_params
from budgetrummet.scenarios.maths import compute
from budgetrummet.vocab import DECIMAL

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
        parts.append(f"{name} {fmt.with_unit(amount, b.unit, vocab.decimals(b.unit))} {span}")
    for year, amount in p.other_boards:
        parts.append(
            f"övriga nämnder {year} {fmt.with_unit(amount, b.unit, vocab.decimals(b.unit))}"
        )
    return "; ".join(parts) if parts else "dokumentets egna reglage"


def sentence(text: str) -> str:
    """First letter upper case, the rest as written (``str.capitalize`` lowers names)."""
    return text[:1].upper() + text[1:]
