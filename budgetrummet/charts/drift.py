"""Charts for the operating budget: bridges (waterfalls), totals per version, deviations.

Each figure is built in one ``go.Figure(data=..., layout=...)`` call: Plotly validates
the whole figure once, where every ``update_layout``/``update_xaxes`` call would
validate and merge again (several milliseconds each, on every page run).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.charts import COLORS, SEPARATORS, empty_figure
from budgetrummet.drift import Bridge, Period

VERSION_COLORS = {
    "bokslut": COLORS["gra"],
    "utfall": COLORS["gra"],
    "budget_kf": COLORS["neutral"],
    "budget_justerad": COLORS["neutral"],
    "plan": "#7aa6d6",
    "prognos": COLORS["gul"],
}


def _empty(message: str) -> go.Figure:
    return empty_figure(message, {"separators": SEPARATORS}, font_size=16, centred=False)


def short_label(label: str) -> str:
    """The first printed name of a line (``23 Turistverksamhet / 23 Besöks…`` -> first)."""
    return label.split(" / ")[0]


def bridge_chart(bridge: Bridge | None, unit: str = "tkr", title: str = "") -> go.Figure:
    """A horizontal waterfall from ``bridge.start`` to ``bridge.end``, read top to bottom.

    Net costs are negative as in the documents, so a step left is a higher net cost
    (red) and a step right a lower one (green). A residual gets its own bar.
    """
    if bridge is None:
        return _empty("Inga uppgifter att visa")
    decimals = vocab.decimals(unit)
    labels = [bridge.start_label, *[short_label(s[0]) for s in bridge.steps]]
    values = [float(bridge.start), *[float(s[1]) for s in bridge.steps]]
    measures = ["absolute", *["relative"] * len(bridge.steps)]
    if bridge.residual != 0:
        labels.append("Differens i källan")
        values.append(float(bridge.residual))
        measures.append("relative")
    labels.append(bridge.end_label)
    values.append(float(bridge.end))
    measures.append("total")
    texts = [
        fmt.number(v, decimals, signed=m == "relative")
        for v, m in zip(values, measures, strict=True)
    ]
    running, path = 0.0, []
    for v, m in zip(values, measures, strict=True):
        running = v if m in ("absolute", "total") else running + v
        path.append(running)
    low, high = min(path), max(path)
    span = high - low or abs(high) or 1.0
    waterfall = go.Waterfall(
        orientation="h",
        y=labels,
        x=values,
        measure=measures,
        text=texts,
        textposition="outside",
        cliponaxis=False,
        increasing={"marker": {"color": COLORS["positiv"]}},
        decreasing={"marker": {"color": COLORS["negativ"]}},
        totals={"marker": {"color": COLORS["neutral"]}},
        connector={"line": {"color": COLORS["gra"], "width": 1}},
        hovertemplate="%{y}<br>%{text} " + unit + "<extra></extra>",
    )
    return go.Figure(
        data=[waterfall],
        layout={
            "title": {"text": title},
            "showlegend": False,
            "xaxis": {
                "title": {"text": unit},
                "range": [low - span * 0.35, high + span * 0.35],
                "tickformat": f",.{vocab.decimals(unit)}f",
            },
            "yaxis": {"autorange": "reversed"},
            "height": max(300, 30 * len(labels) + 110),
            "margin": {"t": 50, "b": 10, "l": 10, "r": 40},
            "separators": SEPARATORS,
        },
    )


def totals_chart(summary: pl.DataFrame, periods: list[Period], unit: str = "tkr") -> go.Figure:
    """Net cost per period (printed totals), one bar per version, coloured by version."""
    net = summary.filter(pl.col("measure") == "netto")
    if net.is_empty() or not periods:
        return _empty("Inga uppgifter att visa")
    row = net.row(0, named=True)
    decimals = vocab.decimals(unit)
    xs, ys, colors, texts = [], [], [], []
    for p in periods:
        value = row.get(p.key)
        if value is None:
            continue
        xs.append(p.label)
        ys.append(float(value))
        colors.append(VERSION_COLORS.get(p.version, COLORS["neutral"]))
        texts.append(fmt.number(value, decimals))
    bar = go.Bar(
        x=xs,
        y=ys,
        marker_color=colors,
        text=texts,
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x}<br>%{text} " + unit + "<extra></extra>",
        textfont_size=14,
    )
    return go.Figure(
        data=[bar],
        layout={
            "showlegend": False,
            "yaxis": {
                "title": {"text": f"Nettokostnad, {unit}"},
                "tickformat": f",.{vocab.decimals(unit)}f",
            },
            "height": 360,
            "margin": {"t": 30},
            "separators": SEPARATORS,
        },
    )


def deviation_chart(forecast: pl.DataFrame, unit: str = "tkr") -> go.Figure:
    """Forecast deviation per verksamhet (printed), green for better, red for worse."""
    lines = forecast.filter(~pl.col("is_total") & pl.col("avvikelse").is_not_null())
    lines = lines.filter(pl.col("avvikelse") != 0).sort("avvikelse")
    if lines.is_empty():
        return _empty("Inga avvikelser")
    values = [float(v) for v in lines["avvikelse"]]
    low, high = min(min(values), 0.0), max(max(values), 0.0)
    pad = (high - low) * 0.25 or 1.0
    bar = go.Bar(
        x=values,
        y=[short_label(v) for v in lines["label"].to_list()],
        orientation="h",
        marker_color=[COLORS["positiv"] if v > 0 else COLORS["negativ"] for v in values],
        text=[fmt.number(v, 0, signed=True) for v in values],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}<br>%{text} " + unit + "<extra></extra>",
    )
    return go.Figure(
        data=[bar],
        layout={
            "showlegend": False,
            "xaxis": {
                "title": {"text": f"{unit}, positivt = bättre än budget"},
                "tickformat": ",.0f",
                "range": [low - pad, high + pad],
            },
            "height": max(260, 34 * lines.height + 80),
            "margin": {"t": 20, "l": 10, "r": 40},
            "separators": SEPARATORS,
        },
    )


MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def monthly_chart(monthly: pl.DataFrame, unit: str = "tkr") -> go.Figure:
    """Accumulated outcome per month against the budget spread evenly over the year."""
    if monthly.is_empty():
        return _empty("Inget utfall uppladdat")
    months = [MONTHS[m - 1] for m in monthly["month"].to_list()]
    traces = [
        go.Scatter(
            x=months,
            y=[float(v) for v in monthly["accumulated_tkr"]],
            mode="lines+markers",
            name="Ackumulerat utfall",
            line={"color": COLORS["neutral"], "width": 3},
            hovertemplate="%{x}: %{y:,.0f} " + unit + "<extra>Utfall</extra>",
        )
    ]
    if monthly["budget_accumulated_tkr"].null_count() == 0:
        traces.append(
            go.Scatter(
                x=months,
                y=[float(v) for v in monthly["budget_accumulated_tkr"]],
                mode="lines",
                name="Budget, jämnt fördelad",
                line={"color": COLORS["gra"], "width": 2, "dash": "dash"},
                hovertemplate="%{x}: %{y:,.0f} " + unit + "<extra>Budget</extra>",
            )
        )
    return go.Figure(
        data=traces,
        layout={
            "height": 360,
            "yaxis": {"title": {"text": unit}, "tickformat": ",.0f"},
            "legend": {"orientation": "h", "y": 1.12},
            "margin": {"t": 40},
            "separators": SEPARATORS,
        },
    )
