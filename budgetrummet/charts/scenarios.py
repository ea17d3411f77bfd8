"""Chart builders for the Scenarier page: frame and column names in, ``go.Figure`` out.

Figures are shown with their printed sign (a net cost is negative). On the net cost chart
the y axis is reversed so that a higher cost stands higher, the way a committee reads
it, while every label keeps the sign the document prints. Labels are formatted by
``budgetrummet.fmt``; Plotly's own ticks follow the template's ", " separators.

Speed. The page draws these charts at every run, and the net cost chart at every move of
a lever. Plotly validates every property of a figure as it is built (slow, see
bench/README.md), yet only the numbers change between runs: the layout and the traces' styles
depend on the builder's style arguments alone. So each builder splits its figure into
*data* (per trace: plain lists of floats and strings) and *structure*; the structure
is built and validated once per process and style (``_with_data``), and later figures
are that validated structure with new data, not validated again.
``tests/test_scenarios_charts.py`` checks that such a figure equals a fresh, fully
validated build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.charts import COLORS, SERIES, empty_figure

EMPTY_TEXT = "Inga siffror att visa."
GAP = "\u00a0" * 4  # space between horizontal legend entries
LEGEND_BELOW = {"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top"}
MARGIN = {"l": 10, "r": 30, "t": 60, "b": 10}


def _empty(title: str) -> go.Figure:
    return empty_figure(EMPTY_TEXT, {"title": title})


def _amount(value: object, unit: str) -> str:
    return fmt.with_unit(value, unit, vocab.decimals(unit))


def _floats(series: pl.Series) -> list[float | None]:
    return [None if v is None else float(v) for v in series.to_list()]


def _tickformat(unit: str) -> str:
    return ",d" if unit == "tkr" else ",.1f"


def _layout(
    fig: go.Figure,
    title: str,
    *,
    height: int,
    font_size: int,
    yaxis: dict,
    legend: dict = LEGEND_BELOW,
    margin: dict = MARGIN,
    **more: object,
) -> go.Figure:
    """The layout every scenario chart shares, in one ``update_layout`` (each call
    validates the whole layout again): title on the left, category x axis."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        font={"size": font_size},
        legend=legend,
        margin=margin,
        yaxis={"automargin": True, **yaxis},
        xaxis={"type": "category", "automargin": True},
        **more,
    )
    return fig


# (builder, style arguments) -> a validated figure as a dict. Written once per key; a
# race between two sessions only builds the same entry twice.
_VALIDATED: dict[tuple, dict] = {}
_LOCK = threading.Lock()


def _with_data(key: tuple, data: list[dict], build: Callable[[list[dict]], go.Figure]) -> go.Figure:
    """``build(data)``, validated by Plotly the first time for ``key`` only.

    ``key`` must hold everything the figure's structure depends on (the builder and its
    style arguments) and ``data`` everything that comes from the frame: one dict per
    trace, in order, with plain lists (or a dict such as ``{"color": [...]}``) as values.
    Later calls put their ``data`` into a copy of the first figure's structure.
    """
    skeleton = _VALIDATED.get(key)
    if skeleton is None or len(skeleton["data"]) != len(data):
        fig = build(data)
        with _LOCK:
            _VALIDATED[key] = fig.to_dict()
        return fig
    traces = [{**trace, **values} for trace, values in zip(skeleton["data"], data, strict=True)]
    # Plotly's own way to skip validation (its template loader uses it too).
    return go.Figure({"data": traces, "layout": skeleton["layout"]}, _validate=False)


def scenario_line(
    frame: pl.DataFrame,
    *,
    label: str = "column_label",
    plan: str = "plan_net",
    scenario: str = "scenario_net",
    unit: str = "tkr",
) -> dict[str, list]:
    """The scenario line of the net cost chart as plain lists: x, y, text, textposition.

    Only the years with a scenario value; each label sits away from the document's line:
    above a costlier point, below a cheaper one (the axis is reversed, so "top" is the
    costlier side).
    """
    points = [
        (lab, s, p)
        for lab, s, p in zip(
            frame[label].to_list(), frame[scenario].to_list(), frame[plan].to_list(), strict=True
        )
        if s is not None
    ]
    return {
        "x": [lab for lab, _, _ in points],
        "y": [float(s) for _, s, _ in points],
        "text": [_amount(s, unit) for _, s, _ in points],
        "textposition": [
            "top center" if p is None or s <= p else "bottom center" for _, s, p in points
        ],
    }


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
    plan_name: str = "Dokumentets budget och plan",
) -> go.Figure:
    """The document's net cost (history and plan) against the scenario, year by year.

    ``frame``: one row per year in order; ``scenario`` is null for history years.
    ``plan_name``: the legend entry of the document's line (a document without plan years
    names only its budget).
    """
    if frame.is_empty():
        return _empty(title)
    # One year, or a scenario equal to the document: Plotly would spread about one unit
    # over five ticks that round to the same label ("−63 120, −63 120, −63 119"). One tick
    # per unit of the document's precision there.
    shown = [v for v in _floats(frame[plan]) + _floats(frame[scenario]) if v is not None]
    step = 1.0 if unit == "tkr" else 0.1
    flat = bool(shown) and max(shown) - min(shown) < 3 * step
    data = [
        {
            "x": frame[label].to_list(),
            "y": _floats(frame[plan]),
            "customdata": [_amount(v, unit) for v in frame[plan].to_list()],
        },
        scenario_line(frame, label=label, plan=plan, scenario=scenario, unit=unit),
    ]

    def build(data: list[dict]) -> go.Figure:
        fig = go.Figure()
        fig.add_trace(
            go.Scatter(
                **data[0],
                name=plan_name + GAP,
                mode="lines+markers",
                line={"color": COLORS["gra"], "width": 3, "dash": "dash"},
                marker={"size": 9},
                hovertemplate="%{x}: %{customdata}<extra>Dokumentet</extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                **data[1],
                name="Scenario",
                mode="lines+markers+text",
                line={"color": COLORS["accent"], "width": 4},
                marker={"size": 11},
                textfont={"size": font_size, "color": COLORS["neutral"]},
                hovertemplate="%{x}: %{text}<extra>Scenario</extra>",
                cliponaxis=False,
            )
        )
        return _layout(
            fig,
            f"{title}, {unit} (uppåt = högre kostnad)",
            height=height,
            font_size=font_size,
            legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
            margin={"l": 10, "r": 70, "t": 90, "b": 10},
            yaxis={
                "autorange": "reversed",
                "tickformat": _tickformat(unit),
                **({"dtick": step} if flat else {}),
            },
        )

    return _with_data(("net", unit, title, font_size, height, plan_name, flat), data, build)


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

    def values(column: str, text: str) -> dict:
        amounts = frame[column].to_list()
        return {"x": labels, "y": _floats(frame[column]), text: [_amount(v, unit) for v in amounts]}

    data = [values(column, "customdata") for column, _, _ in components]
    data.append(values(total, "text"))
    # Whole-tkr ticks on a flat chart (every change about zero) would repeat themselves
    # ("1, 1, 0, −1, −1"): one tick per tkr there.
    reach = max(
        (sum(abs(v or 0) for v in year) for year in zip(*(d["y"] for d in data), strict=True)),
        default=0,
    )
    flat = unit == "tkr" and reach < 3

    def build(data: list[dict]) -> go.Figure:
        fig = go.Figure()
        for (_, name, color), bar in zip(components, data, strict=False):
            fig.add_trace(
                go.Bar(
                    **bar,
                    name=name + GAP,
                    marker_color=color,
                    hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
                )
            )
        fig.add_trace(
            go.Scatter(
                **data[-1],
                name="Förändring totalt",
                mode="markers+text",
                marker={"symbol": "diamond", "size": 14, "color": COLORS["text"]},
                textposition="top center",
                textfont={"size": font_size},
                hovertemplate="%{x}: %{text}<extra>Förändring totalt</extra>",
                cliponaxis=False,
            )
        )
        return _layout(
            fig,
            f"{title}, {unit} (+ = lägre kostnad)",
            height=height,
            font_size=font_size,
            yaxis={
                "zeroline": True,
                "zerolinewidth": 2,
                "tickformat": _tickformat(unit),
                **({"dtick": 1} if flat else {}),
            },
            barmode="relative",
        )

    key = ("change", components, unit, title, font_size, height, flat)
    return _with_data(key, data, build)


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
    data = [
        {
            "x": labels,
            "y": scen,
            "marker": {"color": [_light(v, g) for v, g in zip(scen, goals, strict=True)]},
            "text": [fmt.percent(v, 2) for v in frame[scenario].to_list()],
        },
        {
            "x": labels,
            "y": _floats(frame[plan]),
            "customdata": [fmt.percent(v, 2) for v in frame[plan].to_list()],
        },
        {
            "x": labels,
            "y": goals,
            "customdata": [fmt.percent(v, 1) for v in frame[goal].to_list()],
        },
    ]

    def build(data: list[dict]) -> go.Figure:
        fig = go.Figure()
        fig.add_trace(
            go.Bar(
                **data[0],
                name="Scenario" + GAP,
                textposition="outside",
                textfont={"size": font_size},
                hovertemplate="%{x}: %{text}<extra>Scenario</extra>",
                cliponaxis=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                **data[1],
                name="Planen (med antagandet)" + GAP,
                mode="markers",
                marker={
                    "symbol": "line-ew",
                    "size": 30,
                    "line": {"width": 3, "color": COLORS["gra"]},
                },
                hovertemplate="%{x}: %{customdata}<extra>Planen</extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                **data[2],
                name="Resultatmål",
                mode="lines",
                line={"color": COLORS["neutral"], "dash": "dot", "width": 2},
                hovertemplate="%{x}: %{customdata}<extra>Resultatmål</extra>",
            )
        )
        return _layout(
            fig,
            f"{title}, % av skatteintäkter och generella statsbidrag",
            height=height,
            font_size=font_size,
            yaxis={"ticksuffix": " %"},
        )

    return _with_data(("result", title, font_size, height), data, build)


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
    """One line per scenario over the years (long frame: scenario × year).

    Built and validated in full each time: its traces (names, colours, how many) vary
    with the comparison, and it is drawn only when someone compares scenarios.
    """
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
    return _layout(
        fig,
        f"{title}, {unit} (uppåt = högre kostnad)",
        height=height,
        font_size=font_size,
        yaxis={"autorange": "reversed", "tickformat": _tickformat(unit)},
    )
