"""Goal status: the rule engine behind the traffic lights, the trend arrows and the
follow-up calendar. Pure: frames and plain values in, frames and dataclasses out.

Why a rule engine and not the colours of the report: the PDF's colours do not survive
the text extraction, and managers must be able to see *why* a light is red. Every light
and arrow therefore carries its calculation (target, outcome, rule) in Swedish.

The rules (also shown on the page, ``rules_text``):

* An indicator (mått) is **green** when its outcome meets the target (operator
  ``<``, ``<=``, ``>``, ``>=`` or ``=`` against the target value), **yellow** when it
  misses the target by at most the tolerance (``Rules.tolerance_pct`` per cent of the
  target value, 5 % by default: for "lower than 5,00" an outcome up to 5,25 is yellow),
  **red** when it misses by more, and **grey** when it is not measured yet (printed
  "-") or has no target.
* A measurable goal is green when every indicator is green; grey when none is
  measured; red when no measured indicator is green or yellow; otherwise yellow
  (partly met). A goal with an indicator not yet measured is therefore at best yellow.
* The trend arrow compares the outcome with the previous outcome in the direction that
  is better for the indicator (lower sick leave, higher share moving on to work):
  ↑ better, → unchanged, ↓ worse; no arrow without both values or without a direction.
* A goal without indicators but with follow-up dates is an activity goal: its status
  is set by an authorised person per follow-up date, with a comment; the latest entry
  per goal and date is current, earlier ones are history. Unassessed is grey.
* A goal with neither (Lerum's "prioriterade inriktningar") is a priority with a plan:
  it gets no light at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl

from budgetrummet import fmt
from budgetrummet.numbers import FigureParseError, decimals_of, parse_figure
from budgetrummet.vocab import DECIMAL, GREEN, GREY, LIGHT_SHORT, LIGHTS, RED, YELLOW

LIGHT_LABELS = {
    GREEN: "Grön – uppfyllt",
    YELLOW: "Gul – delvis uppfyllt",
    RED: "Röd – ej uppfyllt",
    GREY: "Grå – ej mätt eller bedömt",
}
# How bad a light is, for "the worst goals": red before yellow; grey is unknown, not bad.
SEVERITY = {RED: 0, YELLOW: 1, GREY: 2, GREEN: 3}

BETTER, SAME, WORSE = "↑", "→", "↓"
ARROW_LABELS = {BETTER: "bättre", SAME: "oförändrat", WORSE: "sämre"}

MEASURED, ACTIVITY, PRIORITY = "matbart", "aktivitet", "inriktning"
KIND_LABELS = {
    MEASURED: "Mål med mått",
    ACTIVITY: "Aktivitetsmål",
    PRIORITY: "Prioriterad inriktning",
}
SOURCE_COMPUTED, SOURCE_SET, SOURCE_NONE = "beräknad", "satt", "ingen"

OPERATORS = {"<": "lägre än", "<=": "högst", ">": "högre än", ">=": "minst", "=": "lika med"}
_OPERATOR_SIGN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "=": "="}
UNIT_WORDS = {"procent": "%", "index": "", "placering": "", "antal": ""}

NOT_MEASURED = {"", "-", "–", "\u2212"}

# Follow-up states of one goal at one date.
DONE, OVERDUE, DUE = "klar", "forsenad", "kommande"
# A past, unassessed follow-up of a document that a newer one of the same kind has
# replaced: no longer overdue, nobody is expected to assess it.
SUPERSEDED = "ersatt"
FOLLOWUP_LABELS = {
    DONE: "Bedömd",
    OVERDUE: "Försenad",
    DUE: "Kommande",
    SUPERSEDED: "Ersatt av nyare dokument",
}


@dataclass(frozen=True)
class Rules:
    """The documented parameters of the rules. ``tolerance_pct``: a missed target within
    this many per cent of the target value is yellow (partly met), not red."""

    tolerance_pct: Decimal = Decimal("5")


DEFAULT_RULES = Rules()


def rules_text(rules: Rules = DEFAULT_RULES) -> list[str]:
    """The rules in Swedish, one paragraph each, as the page shows them."""
    tol = fmt.number(rules.tolerance_pct, _places(rules.tolerance_pct))
    limit = fmt.number(Decimal(5) * (1 + rules.tolerance_pct / 100), 2)
    return [
        "**Mått (indikator).** Grönt när utfallet når målet (lägre än, högst, högre än, "
        "minst eller lika med målvärdet). Gult när utfallet missar målet med högst "
        f"{tol}\u00a0% av målvärdet (toleransen; för målet ”lägre än 5,00” ger utfall upp "
        f"till {limit} gult). Rött när det missar med mer. Grått när utfallet inte är "
        "mätt ännu eller målvärde saknas.",
        "**Mål.** Grönt när alla mått är gröna. Grått när inget mått är mätt. Rött när "
        "inget mätt mått är grönt eller gult. Annars gult (delvis uppfyllt) – ett mål "
        "där något mått ännu inte är mätt blir alltså som bäst gult.",
        "**Riktning.** För varje mått anges om lägre eller högre är bättre: lägre "
        "sjukfrånvaro är bättre, en högre andel som går vidare till arbete är bättre, en "
        "lägre placering i en rankning är bättre.",
        "**Trendpil.** Utfallet jämförs med föregående utfall åt det håll som är bättre: "
        "↑ bättre, → oförändrat, ↓ sämre. Ingen pil när föregående värde eller utfall "
        "saknas.",
        "**Aktivitetsmål** (utan mått) bedöms av en behörig person per uppföljningsdatum, "
        "med kommentar. Varje bedömning sparas; den senaste per mål och datum gäller. "
        "Ej bedömda mål är grå.",
    ]


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_printed(text: str | None) -> Decimal | None:
    """A printed outcome or target as a Decimal; None when not measured ("-" or empty)."""
    if text is None or text.strip() in NOT_MEASURED:
        return None
    return parse_figure(text)


def show_value(value: Decimal | None, printed: str | None, unit: str) -> str:
    """A value with the decimals it was printed with and its unit: ``1,86 %``."""
    if value is None:
        return "ej mätt"
    decimals = decimals_of(printed) if printed else _places(value)
    suffix = UNIT_WORDS.get(unit, "")
    text = fmt.number(value, decimals)
    return f"{text}\u00a0{suffix}" if suffix else text


def _difference(value: Decimal, decimals: int, unit: str) -> str:
    """A distance between two values: percentage points for percentages."""
    text = fmt.number(value, decimals)
    if unit == "procent":
        return f"{text}\u00a0procentenheter"
    return text


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator evaluated: its light and trend arrow, each with the calculation."""

    light: str
    arrow: str | None
    calculation: str
    trend_calculation: str


def evaluate_indicator(
    *,
    operator: str,
    target: Decimal | None,
    outcome: Decimal | None,
    better: str,
    previous: Decimal | None = None,
    unit: str = "",
    target_printed: str | None = None,
    outcome_printed: str | None = None,
    previous_printed: str | None = None,
    rules: Rules = DEFAULT_RULES,
) -> IndicatorResult:
    """Light and arrow of one indicator, by the rules in the module docstring."""
    light, calculation = _light(
        operator, target, outcome, unit, target_printed, outcome_printed, rules
    )
    arrow, trend = _arrow(outcome, previous, better, unit, outcome_printed, previous_printed)
    return IndicatorResult(light, arrow, calculation, trend)


def _light(
    operator: str,
    target: Decimal | None,
    outcome: Decimal | None,
    unit: str,
    target_printed: str | None,
    outcome_printed: str | None,
    rules: Rules,
) -> tuple[str, str]:
    if operator not in OPERATORS or target is None:
        return GREY, "Målvärde saknas, så måttet kan inte bedömas: grått."
    sign = _OPERATOR_SIGN[operator]
    goal = f"Mål: {OPERATORS[operator]} {show_value(target, target_printed, unit)}."
    if outcome is None:
        return GREY, f"{goal} Utfall: ej mätt ännu. Regel: ej mätt ger grått."
    shown = show_value(outcome, outcome_printed, unit)
    head = f"{goal} Utfall: {shown}."
    if _meets(operator, outcome, target):
        return (
            GREEN,
            f"{head} {shown} {sign} {show_value(target, target_printed, unit)}: uppfyllt, grönt.",
        )
    gap = abs(outcome - target)
    allowed = abs(target) * rules.tolerance_pct / 100
    tol = fmt.number(rules.tolerance_pct, _places(rules.tolerance_pct))
    places = max(_places(target), _places(outcome))
    gap_text = _difference(gap, places, unit)
    allowed_text = _difference(allowed, places + 2, unit)
    if allowed > 0 and gap <= allowed:
        return YELLOW, (
            f"{head} Målet nås inte, men avståndet {gap_text} ryms inom toleransen "
            f"{tol}\u00a0% av målvärdet ({allowed_text}): delvis uppfyllt, gult."
        )
    return RED, (
        f"{head} Målet nås inte och avståndet {gap_text} är större än toleransen "
        f"{tol}\u00a0% av målvärdet ({allowed_text}): ej uppfyllt, rött."
    )


def _meets(operator: str, outcome: Decimal, target: Decimal) -> bool:
    return {
        "<": outcome < target,
        "<=": outcome <= target,
        ">": outcome > target,
        ">=": outcome >= target,
        "=": outcome == target,
    }[operator]


def _arrow(
    outcome: Decimal | None,
    previous: Decimal | None,
    better: str,
    unit: str,
    outcome_printed: str | None,
    previous_printed: str | None,
) -> tuple[str | None, str]:
    if previous is None:
        return None, "Ingen trendpil: föregående värde saknas."
    prev = show_value(previous, previous_printed, unit)
    if outcome is None:
        return None, f"Ingen trendpil: utfallet är inte mätt ännu (föregående {prev})."
    if better not in ("lower", "higher"):
        return None, "Ingen trendpil: det är inte angivet om lägre eller högre är bättre."
    now = show_value(outcome, outcome_printed, unit)
    direction = "lägre" if better == "lower" else "högre"
    if outcome == previous:
        arrow = SAME
    elif (outcome < previous) == (better == "lower"):
        arrow = BETTER
    else:
        arrow = WORSE
    return arrow, (
        f"Utfall {now} mot föregående {prev}; {direction} är bättre: {arrow} {ARROW_LABELS[arrow]}."
    )


def combine(lights: Iterable[str]) -> tuple[str, str]:
    """A measurable goal's light from its indicators' lights, with the reason."""
    lights = list(lights)
    n = len(lights)
    green = lights.count(GREEN)
    yellow = lights.count(YELLOW)
    grey = lights.count(GREY)
    measured = n - grey
    counted = f"{green} av {n} mått uppfyllda"
    if n == 0:
        return GREY, "Målet har inga mått."
    if green == n:
        return GREEN, f"{counted}: alla mått uppfyllda, grönt."
    if measured == 0:
        return GREY, "Inget av målets mått är mätt ännu: grått."
    if green == 0 and yellow == 0:
        return RED, f"{counted} och inget inom toleransen: rött."
    parts = [counted]
    if yellow:
        parts.append(f"{yellow} inom toleransen")
    if grey:
        parts.append(f"{grey} ännu inte mätt")
    return YELLOW, f"{', '.join(parts)}: delvis uppfyllt, gult."


INDICATOR_RESULT_SCHEMA = {
    "light": pl.String,
    "arrow": pl.String,
    "calculation": pl.String,
    "trend_calculation": pl.String,
}


def evaluate_indicators(indicators: pl.DataFrame, rules: Rules = DEFAULT_RULES) -> pl.DataFrame:
    """Add light, arrow and their calculations to each indicator row (as printed).

    A printed value that is not a number is a data error; it raises ``FigureParseError``
    with the cell, so it is never silently shown as grey.
    """
    results = []
    for row in indicators.iter_rows(named=True):
        try:
            result = evaluate_indicator(
                operator=row["target_operator"] or "",
                target=parse_printed(row["target_value"]),
                outcome=parse_printed(row["outcome_printed"]),
                previous=parse_printed(row["previous_printed"]),
                better=row["better"] or "",
                unit=row["unit"] or "",
                target_printed=row["target_value"],
                outcome_printed=row["outcome_printed"],
                previous_printed=row["previous_printed"],
                rules=rules,
            )
        except FigureParseError as exc:
            raise FigureParseError(
                f"mått {row['indicator_label']!r} (rad {row['source_line']}): {exc}"
            ) from exc
        trend = result.trend_calculation
        printed_arrow = (row.get("trend_printed") or "").strip()
        if printed_arrow and printed_arrow != (result.arrow or ""):
            # The report's own arrow is shown beside ours, never replaced by it.
            trend += f" Rapporten visar pilen {printed_arrow}."
        results.append(
            {
                "light": result.light,
                "arrow": result.arrow,
                "calculation": result.calculation,
                "trend_calculation": trend,
            }
        )
    return pl.concat(
        [indicators, pl.DataFrame(results, schema=INDICATOR_RESULT_SCHEMA)], how="horizontal"
    )


def split_dates(text: str | None) -> list[date]:
    """``2025-03-31|2025-12-31`` -> two dates; empty -> none."""
    return [date.fromisoformat(d) for d in (text or "").split("|") if d.strip()]


def goal_kind(indicators: int, followup_dates: str | None) -> str:
    """Measurable (has indicators), activity (follow-up dates, no indicators) or priority."""
    if indicators > 0:
        return MEASURED
    if split_dates(followup_dates):
        return ACTIVITY
    return PRIORITY


STATUS_COLUMNS = ("goal_key", "followup_date", "status", "comment", "set_by", "set_at")


def current_statuses(history: pl.DataFrame) -> pl.DataFrame:
    """The status in force per goal and follow-up date: the latest row of the history."""
    return (
        history.sort("set_at", maintain_order=True)
        .group_by("goal_key", "followup_date", maintain_order=True)
        .last()
        .sort("goal_key", "followup_date")
    )


BOARD_SCHEMA = {
    "goal_key": pl.String,
    "doc_id": pl.String,
    "doc_title": pl.String,
    "year": pl.Int32,
    "malomrade_no": pl.String,
    "malomrade_title": pl.String,
    "goal_no": pl.String,
    "goal_title": pl.String,
    "kind": pl.String,
    "light": pl.String,
    "light_source": pl.String,
    "status_date": pl.Date,
    "set_by": pl.String,
    "status_comment": pl.String,
    "calculation": pl.String,
    "indicators": pl.Int64,
    "indicators_met": pl.Int64,
    "source_line": pl.Int32,
}


def board(
    goals: pl.DataFrame,
    indicators: pl.DataFrame,
    history: pl.DataFrame,
    rules: Rules = DEFAULT_RULES,
) -> pl.DataFrame:
    """One row per goal with its light, where the light comes from, and why.

    ``goals``, ``indicators`` and ``history`` are the ``goal_list``,
    ``goal_indicator_list`` and ``goal_status_history`` queries.
    """
    evaluated = evaluate_indicators(indicators, rules) if indicators.height else None
    by_goal: dict[str, list[str]] = {}
    if evaluated is not None:
        for key, light in evaluated.select("goal_key", "light").iter_rows():
            by_goal.setdefault(key, []).append(light)
    current = current_statuses(history)
    latest: dict[str, dict] = {}
    for row in current.sort("followup_date").iter_rows(named=True):
        latest[row["goal_key"]] = row  # the latest follow-up date with a status wins
    rows = []
    for g in goals.iter_rows(named=True):
        kind = goal_kind(g["indicators"], g["followup_dates"])
        status_date = set_by = status_comment = None
        met = None
        if kind == MEASURED:
            lights = by_goal.get(g["goal_key"], [])
            light, calculation = combine(lights)
            source = SOURCE_COMPUTED
            met = lights.count(GREEN)
        elif kind == ACTIVITY:
            entry = latest.get(g["goal_key"])
            if entry is None:
                light, source = GREY, SOURCE_SET
                calculation = "Ingen bedömning registrerad ännu: grått."
            else:
                light, source = entry["status"], SOURCE_SET
                status_date, set_by = entry["followup_date"], entry["set_by"]
                status_comment = entry["comment"]
                # The name is in ``set_by``; the calculation holds no text a user typed.
                calculation = (
                    f"Bedömd som {LIGHT_SHORT[light].lower()} för uppföljningen "
                    f"{fmt.iso_date(entry['followup_date'])} (registrerad "
                    f"{fmt.iso_date(entry['set_at'])} svensk tid); den senaste bedömningen för "
                    "det senaste bedömda uppföljningsdatumet gäller."
                )
        else:
            light, source = None, SOURCE_NONE
            calculation = "Prioriterad inriktning med plan för genomförande; inget mätbart mål."
        rows.append(
            {
                "goal_key": g["goal_key"],
                "doc_id": g["doc_id"],
                "doc_title": g["doc_title"],
                "year": g["year"],
                "malomrade_no": g["malomrade_no"],
                "malomrade_title": g["malomrade_title"],
                "goal_no": g["goal_no"],
                "goal_title": g["goal_title"],
                "kind": kind,
                "light": light,
                "light_source": source,
                "status_date": status_date,
                "set_by": set_by,
                "status_comment": status_comment,
                "calculation": calculation,
                "indicators": g["indicators"],
                "indicators_met": met,
                "source_line": g["source_line"],
            }
        )
    return pl.DataFrame(rows, schema=BOARD_SCHEMA)


def load_board(
    run: Callable[..., pl.DataFrame], org_id: str, rules: Rules = DEFAULT_RULES
) -> pl.DataFrame:
    """The board for an organisation, reading through ``run(query_name, **params)``
    (``db.Warehouse.run_query`` in tests and scripts, the cached ``ui.data.query`` in
    the app)."""
    return board(
        run("goal_list", org_id=org_id),
        run("goal_indicator_list", org_id=org_id),
        run("goal_status_history", org_id=org_id),
        rules,
    )


@dataclass(frozen=True)
class WorstGoal:
    goal_key: str
    label: str
    light: str
    calculation: str


@dataclass(frozen=True)
class GoalSetSummary:
    """Traffic-light counts of one document's goals and its worst goals (for the overview)."""

    doc_id: str
    doc_title: str
    year: int
    kind: str
    counts: dict[str, int] = field(default_factory=dict)
    worst: tuple[WorstGoal, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def goal_label(row: dict) -> str:
    """``Mål 3: Deltagarna …`` (with the målområde where goals restart per område)."""
    number = f"{row['malomrade_no']}.{row['goal_no']}" if row.get("restart") else row["goal_no"]
    return f"Mål {number}: {row['goal_title']}"


def with_display_numbers(board_frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``label``: goals numbered per målområde (1.1, 1.2 …) when numbers restart in a
    document, otherwise as printed (Mål 1 … Mål 4)."""
    restart_docs = {
        doc
        for doc, n, distinct in board_frame.group_by("doc_id")
        .agg(pl.len(), pl.col("goal_no").n_unique())
        .iter_rows()
        if n != distinct
    }
    labels = [
        goal_label(r | {"restart": r["doc_id"] in restart_docs and r["malomrade_no"]})
        for r in board_frame.iter_rows(named=True)
    ]
    return board_frame.with_columns(label=pl.Series(labels, dtype=pl.String))


def grid_summary(board_frame: pl.DataFrame, worst_n: int = 3) -> list[GoalSetSummary]:
    """Counts of green/yellow/red/grey per goal set (document) and its worst goals.

    Priorities without a light are left out; a set where every goal is a priority gives
    no summary. Sets come newest first. Worst: red before yellow, then in goal order.
    """
    labelled = with_display_numbers(board_frame.filter(pl.col("light").is_not_null()))
    out = []
    for (doc_id,), part in labelled.group_by("doc_id", maintain_order=True):
        counts = dict.fromkeys(LIGHTS, 0)
        for light, n in part.group_by("light").len().iter_rows():
            counts[light] = n
        bad = (
            part.filter(pl.col("light").is_in([RED, YELLOW]))
            .with_columns(severity=pl.col("light").replace_strict(SEVERITY, return_dtype=pl.Int8))
            .sort("severity", "source_line")
            .head(worst_n)
        )
        first = part.row(0, named=True)
        out.append(
            GoalSetSummary(
                doc_id=doc_id,
                doc_title=first["doc_title"],
                year=first["year"],
                kind=first["kind"],
                counts=counts,
                worst=tuple(
                    WorstGoal(r["goal_key"], r["label"], r["light"], r["calculation"])
                    for r in bad.iter_rows(named=True)
                ),
            )
        )
    return sorted(out, key=lambda s: -s.year)


CALENDAR_SCHEMA = {
    "goal_key": pl.String,
    "doc_id": pl.String,
    "malomrade_no": pl.String,
    "malomrade_title": pl.String,
    "goal_no": pl.String,
    "goal_title": pl.String,
    "followup_date": pl.Date,
    "state": pl.String,
    "status": pl.String,
    "set_by": pl.String,
    "days": pl.Int64,
}


def superseded_documents(documents: pl.DataFrame) -> frozenset[str]:
    """Documents replaced by a newer one: another document of the same organisation and
    type (``doc_type``) with a later ``doc_date``. Decided from the documents' own data,
    never from their ids. Needs ``doc_id``, ``doc_type``, ``doc_date`` (and ``org_id``
    when the frame holds several organisations)."""
    keys = ["org_id", "doc_type"] if "org_id" in documents.columns else ["doc_type"]
    docs = documents.select(*keys, "doc_id", "doc_date").unique()
    newest = docs.group_by(keys).agg(pl.col("doc_date").max().alias("newest"))
    return frozenset(
        docs.join(newest, on=keys, nulls_equal=True)
        .filter(pl.col("doc_date") < pl.col("newest"))["doc_id"]
        .to_list()
    )


def followup_calendar(
    goals: pl.DataFrame,
    history: pl.DataFrame,
    today: date | None = None,
    superseded: frozenset[str] = frozenset(),
) -> pl.DataFrame:
    """One row per goal and follow-up date: assessed, overdue or coming, as of ``today``.

    A past date without an assessment is overdue, unless its document is in
    ``superseded`` (``superseded_documents``): then it is marked as replaced.
    ``days`` is the number of days from ``today`` to the date (negative when past).
    """
    today = today or date.today()
    current = {
        (r["goal_key"], r["followup_date"]): r
        for r in current_statuses(history).iter_rows(named=True)
    }
    rows = []
    for g in goals.iter_rows(named=True):
        for when in split_dates(g["followup_dates"]):
            entry = current.get((g["goal_key"], when))
            if entry is not None:
                state = DONE
            elif when < today:
                state = SUPERSEDED if g["doc_id"] in superseded else OVERDUE
            else:
                state = DUE
            rows.append(
                {
                    "goal_key": g["goal_key"],
                    "doc_id": g["doc_id"],
                    "malomrade_no": g["malomrade_no"],
                    "malomrade_title": g["malomrade_title"],
                    "goal_no": g["goal_no"],
                    "goal_title": g["goal_title"],
                    "followup_date": when,
                    "state": state,
                    "status": entry["status"] if entry else None,
                    "set_by": entry["set_by"] if entry else None,
                    "days": (when - today).days,
                }
            )
    return pl.DataFrame(rows, schema=CALENDAR_SCHEMA).sort(
        "doc_id", "malomrade_no", "followup_date", "goal_no"
    )


AREA_SCHEMA = {
    "doc_id": pl.String,
    "malomrade_no": pl.String,
    "malomrade_title": pl.String,
    "overdue": pl.Int64,
    "oldest_overdue": pl.Date,
    "next_date": pl.Date,
    "next_count": pl.Int64,
    "done": pl.Int64,
    "total": pl.Int64,
}


def calendar_by_area(calendar: pl.DataFrame) -> pl.DataFrame:
    """Per målområde: how many follow-ups are overdue (and since when), the next date due
    and how many goals are due then, and how many are assessed. One pass over the rows
    (the calendar is small; a filter per område and state cost more than the rows)."""
    areas: dict[tuple[str, str], dict] = {}
    for doc_id, area, title, when, state in calendar.select(
        "doc_id", "malomrade_no", "malomrade_title", "followup_date", "state"
    ).iter_rows():
        a = areas.get((doc_id, area))
        if a is None:
            a = areas[(doc_id, area)] = {
                "doc_id": doc_id,
                "malomrade_no": area,
                "malomrade_title": title,
                "overdue": 0,
                "oldest_overdue": None,
                "next_date": None,
                "next_count": 0,
                "done": 0,
                "total": 0,
            }
        a["total"] += 1
        if state == OVERDUE:
            a["overdue"] += 1
            if when is not None and (a["oldest_overdue"] is None or when < a["oldest_overdue"]):
                a["oldest_overdue"] = when
        elif state == DUE and when is not None:
            if a["next_date"] is None or when < a["next_date"]:
                a["next_date"], a["next_count"] = when, 1
            elif when == a["next_date"]:
                a["next_count"] += 1
        elif state == DONE:
            a["done"] += 1
    return pl.DataFrame(list(areas.values()), schema=AREA_SCHEMA)


# The Lerum indicator table: a placement in a ranking is better when lower.
LOWER_IS_BETTER_UNITS = frozenset({"placering"})
FORECAST_SIGN = {"ökande": 1, "minskande": -1, "bibehållen": 0}


def better_for_unit(unit: str) -> str:
    return "lower" if unit in LOWER_IS_BETTER_UNITS else "higher"


def forecast_meaning(forecast_text: str, better: str) -> str | None:
    """What a printed forecast direction means for the indicator: ↑, → or ↓ (None when
    the text is not one of ökande / minskande / bibehållen)."""
    sign = FORECAST_SIGN.get(forecast_text.strip().lower())
    if sign is None:
        return None
    if sign == 0:
        return SAME
    return BETTER if (sign < 0) == (better == "lower") else WORSE


SERIES_SCHEMA = {
    "line_key": pl.String,
    "line_label": pl.String,
    "unit": pl.String,
    "better": pl.String,
    "years": pl.List(pl.Int32),
    "values": pl.List(DECIMAL),
    "printed": pl.List(pl.String),
    "latest_year": pl.Int32,
    "arrow": pl.String,
    "trend_calculation": pl.String,
    "forecast_text": pl.String,
    "forecast_arrow": pl.String,
    "flagged": pl.Boolean,
    "source_line": pl.Int32,
}


def indicator_series(series: pl.DataFrame) -> pl.DataFrame:
    """The ``goal_indicator_series`` rows folded to one row per indicator, with the trend
    arrow of the last two printed years and the meaning of the printed forecast."""
    rows = []
    for (_, line_key), part in series.sort("row_no", "year").group_by(
        "row_no", "line_key", maintain_order=True
    ):
        first = part.row(0, named=True)
        better = better_for_unit(first["unit"])
        values = part["value"].to_list()
        printed = part["value_printed"].to_list()
        years = part["year"].to_list()
        if len(values) >= 2:
            arrow, calc = _arrow(
                values[-1], values[-2], better, first["unit"], printed[-1], printed[-2]
            )
            calc = f"{years[-2]} → {years[-1]}: {calc}"
        else:
            arrow, calc = None, "Ingen trendpil: bara ett år är redovisat."
        rows.append(
            {
                "line_key": line_key,
                "line_label": first["line_label"],
                "unit": first["unit"],
                "better": better,
                "years": years,
                "values": values,
                "printed": printed,
                "latest_year": years[-1],
                "arrow": arrow,
                "trend_calculation": calc,
                "forecast_text": first["forecast_text"],
                "forecast_arrow": forecast_meaning(first["forecast_text"], better),
                "flagged": bool(part["has_erratum"].any() or (part["findings"] > 0).any()),
                "source_line": first["source_line"],
            }
        )
    return pl.DataFrame(rows, schema=SERIES_SCHEMA)


def of_document(frame: pl.DataFrame, doc_id: str) -> pl.DataFrame:
    """The rows of one document (any frame with a ``doc_id`` column)."""
    return frame.filter(pl.col("doc_id") == doc_id)


def count_in_state(calendar: pl.DataFrame, state: str) -> int:
    """How many follow-ups of the calendar are in ``state``."""
    return calendar.filter(pl.col("state") == state).height
