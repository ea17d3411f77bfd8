"""Charts for investments: the year's and the whole life's deviation side by side, and
the investment budget per category over time.

Amounts are plotted as printed (expenditure negative). Colours come from the house
palette; hover texts from data are HTML-escaped, because Plotly interprets a subset of
HTML in them. Each figure is built in one ``go.Figure(data=..., layout=...)`` call, so
Plotly validates it once instead of once per ``update_*`` call.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from budgetrummet import fmt
from budgetrummet.charts import COLORS, SERIES, empty_figure

HOVER_WIDTH = 60


def _empty(message: str) -> go.Figure:
    return empty_figure(message, font_size=16, centred=False)


def hover_text(text: str | None, width: int = HOVER_WIDTH) -> str:
    """Escaped and wrapped for a Plotly hover label; empty stays empty."""
    if not text:
        return ""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width))


def _float(values: Sequence[object]) -> list[float | None]:
    return [None if v is None else float(v) for v in values]


def deviation_chart(
    frame: pl.DataFrame,
    *,
    label: str,
    life: str,
    year: str,
    pct: str,
    cause: str,
    year_label: str,
) -> go.Figure:
    """Per project (top to bottom in the frame's order): this year's deviation and the
    whole-life deviation as two bars.

    The whole-life bar is red when the project overruns its total budget, green when it
    stays within; the year bar is neutral grey whatever its sign, because spending less
    this year is not a saving by itself (a delay is not an overrun, nor a gain).
    """
    if frame.is_empty():
        return _empty("Inga projekt med överskridande att visa")
    labels = frame[label].to_list()
    life_values = frame[life].to_list()
    year_values = frame[year].to_list()
    pcts = [fmt.percent(p, signed=True) for p in frame[pct].to_list()]
    causes = [hover_text(c) or "Ingen skriftlig analys" for c in frame[cause].to_list()]
    life_colors = [
        COLORS["negativ"] if (v is not None and v < 0) else COLORS["positiv"] for v in life_values
    ]
    custom = list(zip(pcts, causes, strict=True))
    traces = [
        go.Bar(
            name="Hela projekttiden (total prognos − total budget)",
            y=labels,
            x=_float(life_values),
            orientation="h",
            marker={"color": life_colors},
            text=[fmt.tkr(v, signed=True) for v in life_values],
            textposition="outside",
            cliponaxis=False,
            customdata=custom,
            hovertemplate=(
                "<b>%{y}</b><br>Hela projekttiden: %{text} (%{customdata[0]} av total "
                "budget)<br><br>%{customdata[1]}<extra></extra>"
            ),
        ),
        go.Bar(
            name=year_label,
            y=labels,
            x=_float(year_values),
            orientation="h",
            marker={"color": COLORS["gra"]},
            text=[fmt.tkr(v, signed=True) for v in year_values],
            textposition="outside",
            cliponaxis=False,
            customdata=custom,
            hovertemplate=(
                f"<b>%{{y}}</b><br>{html.escape(year_label)}: %{{text}}<br><br>"
                "%{customdata[1]}<extra></extra>"
            ),
        ),
    ]
    values = [abs(float(v)) for v in life_values + year_values if v is not None]
    span = max(values, default=1.0) * 1.35
    return go.Figure(
        data=traces,
        layout={
            "barmode": "group",
            "bargap": 0.25,
            "height": max(320, 70 * len(labels) + 120),
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "xaxis": {
                "range": [-span, span],
                "title": {"text": "tkr (minus = dyrare än budget)"},
                "tickformat": ",.0f",
                "zeroline": True,
                "zerolinewidth": 2,
            },
        },
    )


def portfolio_chart(
    lines: pl.DataFrame,
    totals: pl.DataFrame,
    *,
    period: str,
    group: str,
    value: str,
    order: Sequence[str],
) -> go.Figure:
    """Stacked bars per period (``order``), one colour per group, and the printed total of
    each period as a labelled marker (the total is printed, not the stack's own sum).

    Expenditure is negative as printed; the axis is reversed so larger investments
    stand taller.
    """
    if lines.is_empty():
        return _empty("Ingen investeringsbudget att visa")
    traces = []
    groups = lines[group].unique(maintain_order=True).to_list()
    for i, name in enumerate(groups):
        part = lines.filter(pl.col(group) == name)
        by_period = dict(zip(part[period].to_list(), part[value].to_list(), strict=True))
        vals = [by_period.get(p) for p in order]
        traces.append(
            go.Bar(
                name=name,
                x=list(order),
                y=_float(vals),
                marker={"color": SERIES[i % len(SERIES)]},
                customdata=[fmt.tkr(v) for v in vals],
                hovertemplate=f"{html.escape(name)}<br>%{{x}}: %{{customdata}}<extra></extra>",
            )
        )
    if not totals.is_empty():
        by_period = dict(zip(totals[period].to_list(), totals[value].to_list(), strict=True))
        vals = [by_period.get(p) for p in order]
        traces.append(
            go.Scatter(
                name="Summa (tryckt)",
                x=list(order),
                y=_float(vals),
                mode="markers+text",
                marker={"color": COLORS["text"], "symbol": "line-ew-open", "size": 28},
                text=[fmt.tkr(v) for v in vals],
                textposition="top center",
                cliponaxis=False,
                hovertemplate="Summa (tryckt)<br>%{x}: %{text}<extra></extra>",
            )
        )
    return go.Figure(
        data=traces,
        layout={
            "barmode": "relative",
            "height": 420,
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
            "yaxis": {
                "autorange": "reversed",
                "title": {"text": "tkr (utgift, minus som i källan)"},
                "tickformat": ",.0f",
            },
            "xaxis": {"type": "category"},
        },
    )
