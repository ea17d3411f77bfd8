"""Chart theme: one Plotly template and one palette for every chart in the app.

Chart builders live in this package, one module per domain (``charts.drift`` …); each
takes a frame and column names,
return a ``go.Figure``, handle empty input, and take their colours from here.
"""

from __future__ import annotations

# Plotly looks for pandas in sys.modules without importing it; while another session's
# thread imports pandas it can find a half-initialised module and the run fails (seen
# with 20 first visitors at once). Importing it here, under the import lock, closes that.
import pandas  # noqa: F401
import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "budgetrummet"

# Traffic lights and signs: colour-blind-safe hues with enough contrast on a projector.
COLORS = {
    "gron": "#1a7f37",
    "gul": "#b58100",
    "rod": "#c62828",
    "gra": "#8c959f",
    "positiv": "#1a7f37",
    "negativ": "#c62828",
    "neutral": "#1f4e79",
    "accent": "#2f6fb3",
    "bakgrund": "#ffffff",
    "text": "#1f2328",
}
# Decimal comma and a space for thousands. Set on each figure as well as in the template:
# Streamlit's own chart theme replaces template settings but keeps a figure's layout.
SEPARATORS = ", "
FONT_FAMILY = '"Source Sans", "Source Sans 3", "Segoe UI", Helvetica, Arial, sans-serif'
SERIES = ["#1f4e79", "#2f6fb3", "#7aa6d6", "#b58100", "#6e7781", "#1a7f37"]


def _template() -> go.layout.Template:
    return go.layout.Template(
        layout=go.Layout(
            # Decimal comma and a space for thousands: "115 021,5".
            separators=SEPARATORS,
            font={
                # Quoted: an unquoted "Source Sans 3" is invalid CSS (a name part may not
                # start with a digit), the browser then drops the whole font-family and
                # Plotly's text falls back to another font than it measured with.
                # "Source Sans" is the web font Streamlit's page itself serves.
                "family": FONT_FAMILY,
                "size": 15,
                "color": COLORS["text"],
            },
            colorway=SERIES,
            paper_bgcolor=COLORS["bakgrund"],
            plot_bgcolor=COLORS["bakgrund"],
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
            # Room for tick labels and axis titles is measured, not guessed: a long
            # label ("27 Räddn.tj/samh.skydd", "−126 000") is never cut off.
            xaxis={"gridcolor": "#e6e9ed", "zerolinecolor": "#8c959f", "automargin": True},
            yaxis={"gridcolor": "#e6e9ed", "zerolinecolor": "#8c959f", "automargin": True},
            title={"automargin": True},
            hoverlabel={"font": {"size": 14}},
        )
    )


def empty_figure(
    text: str, layout: dict | None = None, *, font_size: int | None = None, centred: bool = True
) -> go.Figure:
    """A chart with nothing to draw: the axes hidden and ``text`` in their place.

    ``layout`` is the chart's own layout (title, margins …), kept so an empty chart has
    the size and title of a full one. ``centred`` puts the text in the middle of the plot
    area; otherwise it sits at the origin of the hidden axes.
    """
    layout = dict(layout or {})
    annotation: dict = {"text": text, "showarrow": False}
    if font_size is not None:
        annotation["font"] = {"size": font_size}
    if centred:
        annotation |= {"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}
    return go.Figure(
        layout=layout
        | {
            "annotations": [annotation],
            "xaxis": layout.get("xaxis", {}) | {"visible": False},
            "yaxis": layout.get("yaxis", {}) | {"visible": False},
        }
    )


def register_template() -> str:
    """Register the house template with Plotly and make it the default."""
    if TEMPLATE_NAME not in pio.templates:  # once per process, not on every run
        pio.templates[TEMPLATE_NAME] = _template()
    if pio.templates.default != TEMPLATE_NAME:  # the setter validates the template again
        pio.templates.default = TEMPLATE_NAME
    return TEMPLATE_NAME


# The Plotly config every chart is shown with: the modebar in Swedish (plotly.js looks
# up each English tooltip in the locale's dictionary) and only the buttons a committee
# uses. The PNG carries the page's name; a dated copy with settings is the PDF.
CHART_CONFIG = {
    "displaylogo": False,
    "locale": "sv",
    "locales": {
        "sv": {
            "dictionary": {
                "Download plot as a PNG": "Ladda ner diagrammet som PNG",
                "Download plot as a png": "Ladda ner diagrammet som PNG",
                "Download plot": "Ladda ner diagrammet",
                "Zoom": "Zooma",
                "Pan": "Panorera",
                "Box Select": "Markera rektangel",
                "Lasso Select": "Markera fritt",
                "Zoom in": "Zooma in",
                "Zoom out": "Zooma ut",
                "Autoscale": "Anpassa skala",
                "Reset axes": "Återställ axlar",
                "Reset view": "Återställ vy",
                "Toggle Spike Lines": "Visa hjälplinjer",
                "Show closest data on hover": "Visa närmaste värde",
                "Compare data on hover": "Jämför värden",
                "Double-click to zoom back out": "Dubbelklicka för att zooma ut",
                "Taking snapshot - this may take a few seconds": "Sparar bild …",
                "Snapshot succeeded": "Bilden är sparad",
            },
            "format": {"decimal": ",", "thousands": "\u00a0"},
        }
    },
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toggleSpikelines", "hoverCompareCartesian"],
}
