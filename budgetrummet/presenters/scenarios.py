"""Scenarier's presenter: a baseline and a computed scenario in, the key numbers out
(labels, figures, deltas, colours and help texts; pure, no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budgetrummet import drift, fmt, vocab
from budgetrummet import scenarios as sc

FLAG = "⚑"


def amount(b: sc.Baseline, value: object, *, signed: bool = False) -> str:
    """A figure in the document's unit and precision (``−115 021 tkr``, ``+1,2 mkr``)."""
    places = vocab.decimals(b.unit)
    if signed:
        return f"{fmt.number(value, places, signed=True)}\u00a0{b.unit}"
    return fmt.with_unit(value, b.unit, places)


def age_note(b: sc.Baseline, today_year: int) -> str | None:
    """The note that the budget the scenario starts from is older than this year."""
    return drift.budget_age_note(b.years[0], today_year)


def delta_color(value: Decimal, quantum: Decimal) -> str:
    """Green for a change for the better, red for worse, grey for none as shown."""
    rounded = sc.round_to(value, quantum)
    if rounded == 0:
        return "gray"
    return "green" if rounded > 0 else "red"


@dataclass(frozen=True)
class KeyNumber:
    label: str
    value: str
    delta: str
    delta_color: str
    delta_description: str
    help: str


def net_cost(b: sc.Baseline, row: dict) -> KeyNumber:
    """A year's net cost in the scenario against the plan."""
    flagged = bool(row["plan_flag"])
    return KeyNumber(
        label=f"Nettokostnad {row['column_label']}" + (f" {FLAG}" if flagged else ""),
        value=amount(b, row["scenario_net"]),
        delta=amount(b, row["change"], signed=True),
        delta_color=delta_color(row["change"], b.quantum),
        delta_description=f"mot {reference(b)}",
        help=(
            f"Dokumentets summa {amount(b, row['plan_net'])} har en datakvalitetsflagga "
            f"({row['plan_flag']}); den används som den är tryckt. Se sidan Datakvalitet."
            if flagged
            else f"Nämndens nettokostnad i scenariot, mot {plan_name(b).lower()}."
        ),
    )


def municipal_result(b: sc.Baseline, res: dict, own_others: bool) -> KeyNumber:
    """A year's result of the municipality against its goal, with the assumption named."""
    assumed = "ert antagande" if own_others else "antagande"
    return KeyNumber(
        label=f"Kommunens resultat {res['year']} ({assumed})",
        value=fmt.percent(res["scenario_result_percent"], 2),
        delta=amount(b, res["gap_to_goal"], signed=True),
        delta_color=delta_color(res["gap_to_goal"], b.quantum),
        delta_description=f"mot målet {fmt.percent(res['goal_percent'])}",
        help=(
            "I procent av skatteintäkter och generella statsbidrag. Vilar på "
            + (
                "era egna antaganden om övriga nämnders nettokostnad (fliken Övriga)."
                if own_others
                else "antagandet att övriga nämnder exakt håller sina ramar: deras "
                "nettokostnad finns inte i dokumenten (fliken Övriga)."
            )
        ),
    )


def requirement_line(b: sc.Baseline, r: sc.ScenarioResult) -> str:
    requirement = " · ".join(
        f"{row['year']}: **{amount(b, row['requirement'])}** "
        f"({fmt.percent(row['requirement_percent'])})"
        for row in r.year_rows
    )
    return f"**Effektiviseringskrav** (% av {b.base_label}) – {requirement}"


def result_caption(own_others: bool) -> str:
    return ":material/info: Kommunens resultat är räknat med " + (
        "era egna antaganden om övriga nämnders nettokostnad."
        if own_others
        else "antagandet att övriga nämnder exakt håller sina ramar – deras "
        "nettokostnad står inte i dokumenten. Egna antaganden under fliken Övriga."
    )


def has_plan(b: sc.Baseline) -> bool:
    """Whether the document has plan years after its budget year (a report's budget,
    read as the plan of an organisation without a budget document, has none)."""
    return len(b.years) > 1


def reference(b: sc.Baseline) -> str:
    """What the scenario is measured against: ``planen``, or ``budgeten`` for a document
    without plan years."""
    return "planen" if has_plan(b) else "budgeten"


def plan_name(b: sc.Baseline) -> str:
    """The document's figures the scenario starts from, as a legend or row names them."""
    return "Dokumentets budget och plan" if has_plan(b) else "Dokumentets budget"


def index_note(b: sc.Baseline) -> str:
    """Under the index sliders: what they act on, or plainly that nothing is there."""
    if not any(b.total_rows[year]["gross_cost"] for year in b.years):
        return (
            "Dokumentet anger inga bruttokostnader, så pris- och löneindex ändrar inte scenariot."
        )
    return (
        f"Ändrad pris- och lönenivå jämfört med {reference(b)}, per år. Ändringarna "
        "ackumuleras och räknas på nämndens bruttokostnader."
    )
