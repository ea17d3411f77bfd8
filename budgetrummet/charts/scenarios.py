"""Chart builders for the Scenarier page: frame and column names in, ``go.Figure`` out.

Figures are shown with their printed sign (a net cost is negative). On the net cost chart
the y axis is reversed so that a higher cost stands higher, the way a committee reads
it, while every label keeps the sign the document prints. Labels are formatted by
``budgetrummet.fmt``; Plotly's own ticks follow the template's ", " separators.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from budgetrummet import fmt
from budgetrummet.charts import COLORS, SERIES

EMPTY_TEXT = "Inga siffror att visa."
GAP = "\u00a0" * 4  # space between horizontal legend entries


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title=title,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": EMPTY_TEXT,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ],
    )
    return fig


def _amount(value: object, unit: str) -> str:
    return fmt.with_unit(value, unit, 1 if unit == "mkr" else 0)


def _floats(series: pl.Series) -> list[float | None]:
    return [None if v is None else float(v) for v in series.to_list()]


def net_cost_chart(
    frame: pl.DataFrame,
    *,
    label: str = "column_label",
    plan: str = "plan_net",
    scenario: str = "scenario_net",
    unit: str = "tkr",
    title: str = "Nettokostnad",
    font_size: int = 15,
    height: int = 380,
) -> go.Figure:
    """The document's net cost (history and plan) against the scenario, year by year.

    ``frame``: one row per year in order; ``scenario`` is null for history years.
    """
    if frame.is_empty():
        return _empty(title)
    labels = frame[label].to_list()
    plan_values = frame[plan].to_list()
    scen_values = frame[scenario].to_list()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=_floats(frame[plan]),
            name="Dokumentets budget och plan" + GAP,
            mode="lines+markers",
            line={"color": COLORS["gra"], "width": 3, "dash": "dash"},
            marker={"size": 9},
            customdata=[_amount(v, unit) for v in plan_values],
            hovertemplate="%{x}: %{customdata}<extra>Dokumentet</extra>",
        )
    )
    points = [
        (lab, s, p)
        for lab, s, p in zip(labels, scen_values, plan_values, strict=True)
        if s is not None
    ]
    fig.add_trace(
        go.Scatter(
            x=[lab for lab, _, _ in points],
            y=[float(s) for _, s, _ in points],
            name="Scenario",
            mode="lines+markers+text",
            line={"color": COLORS["accent"], "width": 4},
            marker={"size": 11},
            text=[_amount(s, unit) for _, s, _ in points],
            # Away from the document's line: above a higher cost, below a lower one (the
            # axis is reversed, so "top" is the costlier side).
            textposition=[
                "top center" if p is None or s <= p else "bottom center" for _, s, p in points
            ],
            textfont={"size": font_size, "color": COLORS["neutral"]},
            hovertemplate="%{x}: %{text}<extra>Scenario</extra>",
            cliponaxis=False,
        )
    )
    fig.update_layout(
        title={"text": f"{title}, {unit} (uppåt = högre kostnad)", "x": 0, "xanchor": "left"},
        height=height,
        font={"size": font_size},
        legend={
            "orientation": "h",
            "y": 1.0,
            "x": 0,
            "yanchor": "bottom",
        },
        margin={"l": 10, "r": 70, "t": 90, "b": 10},
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "tickformat": ",d" if unit == "tkr" else ",.1f",
        },
        xaxis={"type": "category", "automargin": True},
    )
    return fig


COMPONENTS = (
    ("savings", "Effektivisering utöver planen", COLORS["positiv"]),
    ("index_effect", "Pris- och löneindex", SERIES[3]),
    ("risk_effect", "Kostnadsrisker", COLORS["negativ"]),
)


def change_chart(
    frame: pl.DataFrame,
    *,
    label: str = "column_label",
    total: str = "change",
    components: tuple[tuple[str, str, str], ...] = COMPONENTS,
    unit: str = "tkr",
    title: str = "Förändring mot planen",
    font_size: int = 15,
    height: int = 340,
) -> go.Figure:
    """What moves the net cost: one stacked bar per lever and year, and the net change.

    Positive = lower net cost (a better result), as the page's tables sign it.
    """
    if frame.is_empty():
        return _empty(title)
    labels = frame[label].to_list()
    fig = go.Figure()
    for column, name, color in components:
        values = frame[column].to_list()
        fig.add_trace(
            go.Bar(
                x=labels,
                y=_floats(frame[column]),
                name=name + GAP,
                marker_color=color,
                customdata=[_amount(v, unit) for v in values],
                hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
            )
        )
    totals = frame[total].to_list()
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=_floats(frame[total]),
            name="Förändring totalt",
            mode="markers+text",
            marker={"symbol": "diamond", "size": 14, "color": COLORS["text"]},
            text=[fmt.with_unit(v, unit, 1 if unit == "mkr" else 0) for v in totals],
            textposition="top center",
            textfont={"size": font_size},
            hovertemplate="%{x}: %{text}<extra>Förändring totalt</extra>",
            cliponaxis=False,
        )
    )
    fig.update_layout(
        title={"text": f"{title}, {unit} (+ = lägre kostnad)", "x": 0, "xanchor": "left"},
        height=height,
        barmode="relative",
        font={"size": font_size},
        legend={"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top"},
        margin={"l": 10, "r": 30, "t": 60, "b": 10},
        yaxis={
            "automargin": True,
            "zeroline": True,
            "zerolinewidth": 2,
            "tickformat": ",d" if unit == "tkr" else ",.1f",
        },
        xaxis={"type": "category", "automargin": True},
    )
    return fig


def _light(value: float, goal: float) -> str:
    if value >= goal:
        return COLORS["gron"]
    return COLORS["gul"] if value >= 0 else COLORS["rod"]


def result_chart(
    frame: pl.DataFrame,
    *,
    label: str = "column_label",
    scenario: str = "scenario_result_percent",
    plan: str = "plan_result_percent",
    goal: str = "goal_percent",
    title: str = "Kommunens resultat mot målet",
    font_size: int = 15,
    height: int = 340,
) -> go.Figure:
    """The result in % of tax revenue and general grants: scenario bars, plan, goal line.

    A bar is green at or above the goal, yellow below it but positive, red for a deficit.
    """
    if frame.is_empty():
        return _empty(title)
    labels = frame[label].to_list()
    scen = _floats(frame[scenario])
    goals = _floats(frame[goal])
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=scen,
            name="Scenario" + GAP,
            marker_color=[_light(v, g) for v, g in zip(scen, goals, strict=True)],
            text=[fmt.percent(v, 2) for v in frame[scenario].to_list()],
            textposition="outside",
            textfont={"size": font_size},
            hovertemplate="%{x}: %{text}<extra>Scenario</extra>",
            cliponaxis=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=_floats(frame[plan]),
            name="Planen (med antagandet)" + GAP,
            mode="markers",
            marker={"symbol": "line-ew", "size": 30, "line": {"width": 3, "color": COLORS["gra"]}},
            customdata=[fmt.percent(v, 2) for v in frame[plan].to_list()],
            hovertemplate="%{x}: %{customdata}<extra>Planen</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=goals,
            name="Resultatmål",
            mode="lines",
            line={"color": COLORS["neutral"], "dash": "dot", "width": 2},
            customdata=[fmt.percent(v, 1) for v in frame[goal].to_list()],
            hovertemplate="%{x}: %{customdata}<extra>Resultatmål</extra>",
        )
    )
    fig.update_layout(
        title={
            "text": f"{title}, % av skatteintäkter och generella statsbidrag",
            "x": 0,
            "xanchor": "left",
        },
        height=height,
        font={"size": font_size},
        legend={"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top"},
        margin={"l": 10, "r": 30, "t": 60, "b": 10},
        yaxis={"automargin": True, "ticksuffix": " %"},
        xaxis={"type": "category", "automargin": True},
    )
    return fig


def compare_chart(
    frame: pl.DataFrame,
    *,
    scenario: str = "scenario",
    label: str = "column_label",
    value: str = "scenario_net",
    unit: str = "tkr",
    title: str = "Nettokostnad per scenario",
    font_size: int = 15,
    height: int = 340,
) -> go.Figure:
    """One line per scenario over the years (long frame: scenario × year)."""
    if frame.is_empty():
        return _empty(title)
    fig = go.Figure()
    names = frame[scenario].unique(maintain_order=True).to_list()
    for i, name in enumerate(names):
        part = frame.filter(pl.col(scenario) == name)
        fig.add_trace(
            go.Scatter(
                x=part[label].to_list(),
                y=_floats(part[value]),
                name=name + GAP,
                mode="lines+markers",
                line={"color": SERIES[i % len(SERIES)], "width": 3},
                customdata=[_amount(v, unit) for v in part[value].to_list()],
                hovertemplate="%{x}: %{customdata}<extra>" + "%{fullData.name}</extra>",
            )
        )
    fig.update_layout(
        title={"text": f"{title}, {unit} (uppåt = högre kostnad)", "x": 0, "xanchor": "left"},
        height=height,
        font={"size": font_size},
        legend={"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top"},
        margin={"l": 10, "r": 30, "t": 60, "b": 10},
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "tickformat": ",d" if unit == "tkr" else ",.1f",
        },
        xaxis={"type": "category", "automargin": True},
    )
    return fig
