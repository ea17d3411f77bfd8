"""Protokollsbilaga: an A4 PDF of what a page shows, for the minutes of a meeting.

Made on the server: the text and tables with fpdf2 (in DejaVu Sans, shipped in
``assets/fonts``, so Swedish letters and the minus sign U+2212 print), the charts as
images through kaleido, which drives Debian's Chromium offline. The document says which
organisation, which version of the data (and when it was published), who made it and
when: a figure in the minutes can be traced to the data it came from.

A document is plain data (``Minutes`` of ``Section``\\ s), built by the UI layer from
what the page shows; every number arrives already formatted (``budgetrummet.fmt``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.errors import FPDFException

from budgetrummet import fmt, store

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT = "DejaVu"
MIME = "application/pdf"


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    title: str = ""


@dataclass(frozen=True)
class Chart:
    """A Plotly figure (``go.Figure`` or its dict) drawn at ``width`` × ``height`` px."""

    figure: object
    width: int = 1000
    height: int = 440


@dataclass(frozen=True)
class Section:
    heading: str
    lines: Sequence[str] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()


@dataclass(frozen=True)
class DataVersion:
    """The published data a document was made from: a short id and its time."""

    id: str
    published: datetime | None


@dataclass(frozen=True)
class Minutes:
    title: str
    organisation: str
    data: DataVersion
    made_by: str
    sections: Sequence[Section]
    made_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    note: str = ""


# Tables that record what people did with the figures (saved and frozen scenarios), not
# figures: writing them does not make a new version of the data.
NOT_DATA = frozenset({"scenarios", "frozen_scenarios"})


def data_version(root: Path | None = None) -> DataVersion:
    """The current version of the data: a hash of the contents of every table that holds
    figures (each table's committed version), and when the last of them was published (from
    the audit log)."""
    manifest = store.read_manifest(root)
    if manifest is None:
        return DataVersion("–", None)
    parts = sorted(
        f"{name}:{entry.version}" for name, entry in manifest.tables.items() if name not in NOT_DATA
    )
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]
    published = None
    for entry in reversed(store.read_audit(root)):
        changed = set(entry.get("tables") or ())
        if entry.get("result") == "ok" and changed - NOT_DATA and entry.get("when"):
            published = datetime.fromisoformat(entry["when"])
            break
    return DataVersion(digest, published)


# --- charts as images ---------------------------------------------------------------

_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False


def chart_png(figure: object, width: int, height: int) -> bytes:
    """A Plotly figure as PNG (twice the pixels, for print). One Chromium is kept for
    the process (kaleido's sync server): ~0,2 s a chart after the first ~3 s."""
    import kaleido

    global _kaleido_started
    spec = figure.to_dict() if hasattr(figure, "to_dict") else figure
    opts = {"format": "png", "width": width, "height": height, "scale": 2}
    with _KALEIDO_LOCK:
        if not _kaleido_started:
            kaleido.start_sync_server(silence_warnings=True)
            _kaleido_started = True
        return kaleido.calc_fig_sync(spec, opts=opts)


# --- the PDF -------------------------------------------------------------------------


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Sida {self.page_no()} av {{nb}}", align="R")


def render(doc: Minutes, png: Callable[[object, int, int], bytes] = chart_png) -> bytes:
    """The document as A4 PDF bytes. ``png`` draws a chart (kaleido by default)."""
    pdf = _Pdf(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(f"{doc.title} – {doc.organisation}")
    pdf.set_author(doc.made_by)
    pdf.set_creator("Budgetrummet")
    pdf.footer_text = (
        f"Budgetrummet · {doc.organisation} · gjord {fmt.iso_date(doc.made_at)} · "
        f"dataversion {doc.data.id}"
    )
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(width, 8, f"{doc.title} – {doc.organisation}")
    pdf.ln(1)
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(60, 60, 60)
    published = fmt.iso_date(doc.data.published) if doc.data.published else "okänd tid"
    for line in (
        f"Organisation: {doc.organisation}",
        f"Dataversion: {doc.data.id}, publicerad {published}",
        f"Gjord: {fmt.iso_date(doc.made_at)} av {doc.made_by}",
    ):
        pdf.multi_cell(width, 4.8, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.note:
        pdf.ln(1)
        pdf.multi_cell(width, 4.8, doc.note, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)

    for section in doc.sections:
        pdf.ln(4)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(width, 6.5, section.heading, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, size=9.5)
        for line in section.lines:
            pdf.multi_cell(width, 5, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for table in section.tables:
            _table(pdf, table, width)
        for chart in section.charts:
            image = png(chart.figure, chart.width, chart.height)
            height = width * chart.height / chart.width
            if pdf.get_y() + height > pdf.h - 20:
                pdf.add_page()
            pdf.ln(1)
            pdf.image(image, x=pdf.l_margin, w=width, h=height)
            pdf.ln(1)
    return bytes(pdf.output())


def _table(pdf: FPDF, table: Table, width: float) -> None:
    if table.title:
        pdf.ln(1)
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(width, 5, table.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    # A column of figures is as wide as its widest figure (a number never breaks); the
    # text columns share the rest by the length of their longest text.
    pdf.set_font(FONT, size=8)
    numeric = [i > 0 and _numeric([r[i] for r in table.rows]) for i in range(len(table.columns))]
    mm = []
    for i, _ in enumerate(table.columns):
        cells = [str(r[i] or "") for r in table.rows]
        if numeric[i]:
            mm.append(max(pdf.get_string_width(c) for c in cells) + 3)
        else:
            mm.append(None)
    rest = width - sum(m for m in mm if m is not None)
    text_cols = [i for i, m in enumerate(mm) if m is None]
    weights = {
        i: min(max(max(len(str(r[i] or "")) for r in table.rows), 10), 70) for i in text_cols
    }
    for i in text_cols:
        mm[i] = rest * weights[i] / sum(weights.values()) if rest > 0 else 0
    widths = tuple(m / width * 100 for m in mm)
    alignment = tuple("RIGHT" if n else "LEFT" for n in numeric)
    try:
        if min(mm) < 12:
            raise ValueError("för smala kolumner")
        _grid(pdf, table, width, widths, alignment)
    except (ValueError, FPDFException):
        # A row taller than a page or a column too narrow for a letter (fpdf2 cannot
        # split a row): the rows as lines of text instead, every cell kept.
        for row in table.rows:
            text = " · ".join(f"{c}: {v}" for c, v in zip(table.columns, row, strict=True) if v)
            pdf.multi_cell(width, 4.4, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9.5)


def _grid(pdf: FPDF, table: Table, width: float, widths: tuple, alignment: tuple) -> None:
    with pdf.table(
        col_widths=widths,
        width=width,
        text_align=alignment,
        line_height=4.4,
        first_row_as_headings=True,
        headings_style=_headings(),
        borders_layout="HORIZONTAL_LINES",
    ) as grid:
        for values in [list(table.columns), *[list(r) for r in table.rows]]:
            row = grid.row()
            for value in values:
                row.cell("" if value is None else str(value))


def _numeric(cells: Sequence[str]) -> bool:
    """A column of figures (right-aligned): every filled cell starts like a number."""
    filled = [str(c).strip() for c in cells if c not in (None, "", fmt.EMPTY)]
    return bool(filled) and all(c[:1].isdigit() or c[:1] in "−+-" for c in filled)


def _headings():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(236, 239, 243))
