"""The levers of a scenario (ScenarioParams) and their validation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from budgetrummet.scenarios.baseline import Baseline
from budgetrummet.scenarios.common import (
    AMOUNT_LIMIT,
    INDEX_MAX,
    INDEX_MIN,
    REQUIREMENT_MAX,
    REQUIREMENT_MIN,
    ZERO,
    ScenarioInputError,
)


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
