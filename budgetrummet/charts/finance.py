"""Chart builders for the finance administration page: the money's path, the trend, a goal.

Each takes a frame and column names and returns a ``go.Figure``; empty input gives a
figure that says so. Amounts arrive as exact Decimals and are converted to float only
here, for drawing; every label is formatted by ``budgetrummet.fmt``. Each figure is
built in one ``go.Figure(data=..., layout=...)`` call, so Plotly validates it once
(every ``update_layout`` call validates and merges again, milliseconds each run).
"""

from __future__ import annotations

import textwrap
from collections import defaultdict

import plotly.graph_objects as go
import polars as pl

from budgetrummet import fmt, vocab
from budgetrummet.charts import COLORS, SEPARATORS, SERIES, empty_figure

EMPTY_TEXT = "Inga belopp att visa"

# The status lights (budgetrummet.vocab) to the palette.
STATUS_COLORS = {light: COLORS[light] for light in vocab.LIGHTS}
ROLE_COLORS = {
    "in": COLORS["positiv"],
    "ut": COLORS["negativ"],
    "center": COLORS["neutral"],
    "netto": COLORS["neutral"],
    "namnd": COLORS["accent"],
    "rest": COLORS["gra"],
    "antagande": COLORS["gul"],
    "resultat": COLORS["positiv"],
    "underskott": COLORS["negativ"],
}


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _empty(layout: dict, text: str = EMPTY_TEXT) -> go.Figure:
    return empty_figure(text, layout)


# A Sankey label beside a tall node is broken over lines of this many characters, so
# that the labels of two neighbouring columns do not run into each other on a narrow
# screen or on paper; a thin node keeps its name on one line (no room for more).
LABEL_CHARS = 22
LABEL_LINE_PX = 17


def _node_heights(ns: list[dict], ls: list[dict], height: int, pad: int) -> dict[str, float]:
    """Each node's drawn height in px, as Plotly computes it: one scale for every column,
    the one that makes the fullest column (its values and the gaps between its nodes)
    fit the plot's height."""
    size: dict[str, float] = defaultdict(float)
    inflow: dict[str, float] = defaultdict(float)
    for lk in ls:
        size[lk["source"]] += float(lk["value"])
        inflow[lk["target"]] += float(lk["value"])
    for key, value in inflow.items():
        size[key] = max(size[key], value)
    columns: dict[int, list[str]] = defaultdict(list)
    for n in ns:
        columns[n["column"]].append(n["node_id"])
    scale = min(
        (height - pad * (len(ids) - 1)) / total
        for ids in columns.values()
        if (total := sum(size[i] for i in ids)) > 0
    )
    return {n["node_id"]: size[n["node_id"]] * scale for n in ns}


def _node_label(name: str, amount: str, room_px: float) -> str:
    lines = textwrap.wrap(name, LABEL_CHARS, break_long_words=False)
    if len(lines) > 1 and (len(lines) + 1) * LABEL_LINE_PX <= room_px:
        name = "<br>".join(lines)
    return f"{name}<br>{amount}"


def flow_sankey(
    nodes: pl.DataFrame,
    links: pl.DataFrame,
    *,
    node_id: str = "node_id",
    label: str = "label",
    column: str = "column",
    role: str = "role",
    amount: str = "amount",
    flagged: str = "flagged",
    source: str = "source",
    target: str = "target",
    value: str = "value",
    height: int = 600,
    pad: int = 24,
) -> go.Figure:
    """The money's path as a Sankey: each node labelled with its signed amount in tkr.

    Links take the colour of the post they come from or go to (in: green, out: red,
    boards: blue, assumptions: yellow); a flagged node gets a warning sign.
    """
    # Room above and below for the two-line labels of the outermost nodes.
    margin = {"l": 8, "r": 8, "t": 30, "b": 30}
    layout = {
        "height": height,
        "margin": margin,
        "separators": SEPARATORS,
    }
    if nodes.is_empty() or links.is_empty():
        return _empty(layout)
    ns = [
        {
            "node_id": r[node_id],
            "label": r[label],
            "column": r[column],
            "role": r[role],
            "amount": r[amount],
            "flagged": r[flagged],
        }
        for r in nodes.iter_rows(named=True)
    ]
    ls = [
        {"source": r[source], "target": r[target], "value": r[value]}
        for r in links.iter_rows(named=True)
    ]
    # Plotly lays the picture out itself (posts that only bring money in on the left,
    # the ones that only take it out on the right); nodes are handed over column by
    # column in printed order, which is the order it stacks them in.
    ns = sorted(ns, key=lambda n: n["column"])
    index = {n["node_id"]: i for i, n in enumerate(ns)}
    roles = {n["node_id"]: n["role"] for n in ns}
    heights = _node_heights(ns, ls, height - margin["t"] - margin["b"], pad)
    labels = [
        _node_label(
            f"{n['label']}{' ⚠' if n['flagged'] else ''}",
            fmt.tkr(n["amount"]),
            heights[n["node_id"]],
        )
        for n in ns
    ]

    def link_role(lk: dict) -> str:
        # The colour of the non-central end: the post, the board, the assumption.
        for end in (lk["source"], lk["target"]):
            if roles[end] not in ("center", "netto"):
                return roles[end]
        return "netto"

    sankey = go.Sankey(
        arrangement="snap",
        node={
            "label": labels,
            "pad": pad,
            "thickness": 18,
            "color": [ROLE_COLORS.get(n["role"], COLORS["neutral"]) for n in ns],
            "line": {"width": 0},
            "hovertemplate": "%{label}<extra></extra>",
        },
        link={
            "source": [index[lk["source"]] for lk in ls],
            "target": [index[lk["target"]] for lk in ls],
            "value": [float(lk["value"]) for lk in ls],
            "color": [_rgba(ROLE_COLORS.get(link_role(lk), COLORS["neutral"]), 0.35) for lk in ls],
            "customdata": [fmt.tkr(lk["value"]) for lk in ls],
            "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}<extra></extra>",
        },
        textfont={"size": 13, "color": COLORS["text"]},
    )
    return go.Figure(data=[sankey], layout=layout)


def trend_chart(
    frame: pl.DataFrame,
    x: str,
    y: str,
    series: str,
    *,
    text: str | None = None,
    y_title: str = "tkr",
    height: int = 420,
) -> go.Figure:
    """One line per series over the years (``x`` is the printed column heading).

    ``text`` holds each point's hover text as shown (Swedish format); the y axis uses
    the template's separators (space for thousands, decimal comma).
    """
    layout = dict(
        height=height,
        separators=SEPARATORS,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        legend={
            "orientation": "h",
            "y": -0.12,
            "x": 0,
            "yanchor": "top",
            "entrywidth": 0.5,
            "entrywidthmode": "fraction",
        },
        xaxis={"type": "category", "fixedrange": True},
        yaxis={
            "title": {"text": y_title},
            "fixedrange": True,
            "tickformat": ",.0f",
            "automargin": True,
            "rangemode": "tozero",
        },
        hovermode="x unified",
    )
    if frame.is_empty():
        return _empty(layout)
    traces = []
    for i, name in enumerate(frame[series].unique(maintain_order=True).to_list()):
        s = frame.filter(pl.col(series) == name)
        traces.append(
            go.Scatter(
                x=[str(v) for v in s[x].to_list()],
                y=[float(v) for v in s[y].to_list()],
                name=name,
                mode="lines+markers",
                line={"color": SERIES[i % len(SERIES)], "width": 3},
                marker={"size": 8},
                customdata=s[text].to_list() if text else None,
                hovertemplate="%{customdata}<extra>" + name + "</extra>"
                if text
                else "%{y:,.0f}<extra>" + name + "</extra>",
            )
        )
    return go.Figure(data=traces, layout=layout)


TICK_CHARS = 9
TARGET_CHARS = 36


def goal_chart(
    frame: pl.DataFrame,
    x: str,
    y: str,
    status: str,
    text: str,
    *,
    target: float | None = None,
    target_text: str = "",
    height: int = 220,
) -> go.Figure:
    """A goal's values as dots coloured by their status light, the target as a dashed line.

    Dots, not bars: the axis is zoomed to the values and the target (98,9 % against
    98,0 % would be invisible on bars from zero). ``status`` holds ``grön``/``gul``/
    ``röd``/``grå`` per row, ``text`` each value as shown; ``target_text`` labels the line.
    """
    layout = {
        "height": height,
        "separators": SEPARATORS,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 40},
        "showlegend": False,
        "xaxis": {"type": "category", "fixedrange": True, "showgrid": False},
        "yaxis": {"visible": False, "fixedrange": True},
    }
    if frame.is_empty():
        return _empty(layout, "Inga värden redovisade")
    ys = [float(v) for v in frame[y].to_list()]
    span = [*ys, *([target] if target is not None else [])]
    low, high = min(span), max(span)
    pad = (high - low) * 0.4 or max(abs(high) * 0.05, 1.0)
    layout["yaxis"] = layout["yaxis"] | {"range": [low - pad, high + pad]}
    # Long headings ("Tioårsperioden 2016–2025") on two lines, so a phone does not turn
    # them on their side and squeeze the dots.
    xs = [
        "<br>".join(textwrap.wrap(str(v), TICK_CHARS, break_long_words=False)) or str(v)
        for v in frame[x].to_list()
    ]
    dots = go.Scatter(
        x=xs,
        y=ys,
        text=frame[text].to_list(),
        mode="markers+text",
        textposition="top center",
        cliponaxis=False,
        marker={
            "size": 16,
            "color": [STATUS_COLORS.get(s, COLORS["gra"]) for s in frame[status].to_list()],
        },
        hovertemplate="%{x}: %{text}<extra></extra>",
    )
    # The target line's label sits above the plot, from its left edge and broken over
    # lines: beside the line it was cut at the chart's edge on a narrow screen ("95 300 k")
    # and ran into the dots' labels.
    label = textwrap.wrap(f"– – {target_text or 'Mål'}", TARGET_CHARS, break_long_words=False)
    if target is not None:
        layout["margin"] = layout["margin"] | {"t": 8 + 20 * len(label)}
        layout["height"] = height + 20 * len(label)
    fig = go.Figure(data=[dots], layout=layout)
    if target is not None:
        fig.add_hline(y=target, line={"color": COLORS["text"], "width": 1.5, "dash": "dash"})
        fig.add_annotation(
            text="<br>".join(label),
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xanchor="left",
            yanchor="bottom",
            align="left",
            showarrow=False,
            font={"size": 14},
        )
    return fig
