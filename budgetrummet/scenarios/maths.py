"""The maths of a scenario: requirements, apportioning, index, risks, the result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from functools import cached_property

import polars as pl

from budgetrummet import finance
from budgetrummet.scenarios.baseline import Baseline
from budgetrummet.scenarios.common import HUNDRED, ZERO, ScenarioInputError
from budgetrummet.scenarios.levers import ScenarioParams, check_params
from budgetrummet.vocab import DECIMAL


def round_to(value: Decimal, quantum: Decimal) -> Decimal:
    """Round half away from zero to ``quantum`` (1 tkr, 0,1 mkr), as reports round."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def result_goal_amount(tax: Decimal, grants: Decimal, goal_percent: Decimal) -> Decimal:
    """``goal %`` of (skatteintäkter + generella statsbidrag), exact (7 681,266 tkr for 2025).

    ``budgetrummet.finance.result_goal_tkr``: the formula holds in any unit, so a
    document in mkr gets its goal in mkr.
    """
    return finance.result_goal_tkr(tax, grants, goal_percent)


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
