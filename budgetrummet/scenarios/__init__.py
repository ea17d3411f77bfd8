"""What-if scenarios for a board's operating budget: the document's layout, the baseline,
the levers, the maths, the link codec and the comparison, one module each.

Pure logic (no Streamlit, no store, no access checks): the baseline is built from query
frames, a scenario is a frozen ``ScenarioParams``, ``compute`` returns frames. Saving and
deleting are writes, in ``budgetrummet.writes.scenarios``.

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
  ``goal % × (skatteintäkter + generella statsbidrag)``, computed by
  ``finance.result_goal_tkr``.
"""

from budgetrummet.scenarios.baseline import (
    FINANCE_SCHEMA,
    LINE_SCHEMA,
    TOTAL_SCHEMA,
    Baseline,
    Documented,
    Risk,
    build_baseline,
    year_label,
)
from budgetrummet.scenarios.codec import (
    EXEMPT_PARAM,
    LEVER_PREFIXES,
    MAX_PARAMS,
    MAX_VALUE_LENGTH,
    SAVED_FORMAT,
    clean_name,
    is_lever_param,
    params_from_json,
    params_from_mapping,
    params_to_json,
    params_to_mapping,
)
from budgetrummet.scenarios.common import (
    AMOUNT_LIMIT,
    HUNDRED,
    INDEX_MAX,
    INDEX_MIN,
    NAME_MAX,
    REQUIREMENT_MAX,
    REQUIREMENT_MIN,
    ZERO,
    ScenarioInputError,
)
from budgetrummet.scenarios.compare import (
    COMPARE_SCHEMA,
    compare,
    describe,
    sentence,
)
from budgetrummet.scenarios.layout import (
    BUDGET_COLUMN_TABLES,
    NOTES_TOPIC,
    PLAN_TABLES,
    REPORT_TABLE,
    ROLE_FINANCE_NET,
    ROLE_FRAME,
    ROLE_GOAL,
    ROLE_GRANTS,
    ROLE_JOINT,
    ROLE_MEASURE_TEXTS,
    ROLE_REQUIREMENT,
    ROLE_REQUIREMENT_SHARE,
    ROLE_RISK_TEXTS,
    ROLE_TAX,
    SUMMARY_TABLE,
    TOTAL_KEY,
    BudgetDocument,
    Layout,
    RiskDef,
    budget_documents,
    figure_tables,
    layout_of,
    load_inputs,
    load_layout,
    text_tables,
)
from budgetrummet.scenarios.levers import (
    ScenarioParams,
    check_params,
    document_params,
    zero_params,
)
from budgetrummet.scenarios.maths import (
    LINE_RESULT_SCHEMA,
    RESULT_SCHEMA,
    RISK_SCHEMA,
    YEAR_SCHEMA,
    ScenarioResult,
    apportion,
    compute,
    default_other_boards,
    requirement_amount,
    result_goal_amount,
    round_to,
)

__all__ = [
    "BUDGET_COLUMN_TABLES",
    "REPORT_TABLE",
    "AMOUNT_LIMIT",
    "Baseline",
    "BudgetDocument",
    "COMPARE_SCHEMA",
    "Documented",
    "EXEMPT_PARAM",
    "FINANCE_SCHEMA",
    "HUNDRED",
    "INDEX_MAX",
    "INDEX_MIN",
    "LEVER_PREFIXES",
    "LINE_RESULT_SCHEMA",
    "LINE_SCHEMA",
    "Layout",
    "MAX_PARAMS",
    "MAX_VALUE_LENGTH",
    "NAME_MAX",
    "NOTES_TOPIC",
    "PLAN_TABLES",
    "REQUIREMENT_MAX",
    "REQUIREMENT_MIN",
    "RESULT_SCHEMA",
    "RISK_SCHEMA",
    "ROLE_FINANCE_NET",
    "ROLE_FRAME",
    "ROLE_GOAL",
    "ROLE_GRANTS",
    "ROLE_JOINT",
    "ROLE_MEASURE_TEXTS",
    "ROLE_REQUIREMENT",
    "ROLE_REQUIREMENT_SHARE",
    "ROLE_RISK_TEXTS",
    "ROLE_TAX",
    "Risk",
    "RiskDef",
    "SAVED_FORMAT",
    "SUMMARY_TABLE",
    "ScenarioInputError",
    "ScenarioParams",
    "ScenarioResult",
    "TOTAL_KEY",
    "TOTAL_SCHEMA",
    "YEAR_SCHEMA",
    "ZERO",
    "apportion",
    "budget_documents",
    "build_baseline",
    "check_params",
    "clean_name",
    "compare",
    "compute",
    "default_other_boards",
    "describe",
    "document_params",
    "figure_tables",
    "is_lever_param",
    "layout_of",
    "load_inputs",
    "load_layout",
    "params_from_json",
    "params_from_mapping",
    "params_to_json",
    "params_to_mapping",
    "requirement_amount",
    "result_goal_amount",
    "round_to",
    "sentence",
    "text_tables",
    "year_label",
    "zero_params",
]
