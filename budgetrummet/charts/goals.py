"""Chart builders for the goals page: a small trend line per indicator.

A placement in a ranking is better when lower, so its axis runs downwards (1 at the
top): "up" means better on every small chart, which is how a manager reads a trend.
The figure is built in one ``go.Figure(data=..., layout=...)`` call (validated once).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from budgetrummet.charts import COLORS, empty_figure

EMPTY_TEXT = "Inga värden redovisade"


def indicator_trend(
    frame: pl.DataFrame,
    x: str,
    y: str,
    label: str,
    *,
    lower_is_better: bool = False,
    highlight: str | None = None,
    height: int = 150,
) -> go.Figure:
    """One indicator's printed values over the years as a small line with labels.

    ``label`` holds each point's text as shown (Swedish format, as printed); the
    last point is coloured ``highlight`` (a COLORS key, e.g. the trend's colour).
    """
    layout = {
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "showlegend": False,
        "xaxis": {"type": "category", "showgrid": False, "fixedrange": True},
        "yaxis": {"visible": False, "fixedrange": True},
    }
    if frame.is_empty():
        return empty_figure(EMPTY_TEXT, layout)
    xs = [str(v) for v in frame[x].to_list()]
    ys = [float(v) for v in frame[y].to_list()]
    texts = frame[label].to_list()
    colors = [COLORS["neutral"]] * len(xs)
    if highlight:
        colors[-1] = COLORS[highlight]
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.35 or max(abs(high) * 0.1, 1.0)
    layout["yaxis"] = layout["yaxis"] | {
        "range": [high + pad, low - pad] if lower_is_better else [low - pad, high + pad]
    }
    line = go.Scatter(
        x=xs,
        y=ys,
        mode="lines+markers+text",
        text=texts,
        textposition="top center",
        cliponaxis=False,
        line={"color": COLORS["neutral"], "width": 2},
        marker={"color": colors, "size": 9},
        hovertemplate="%{x}: %{text}<extra></extra>",
    )
    return go.Figure(data=[line], layout=layout)
