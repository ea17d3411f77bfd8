"""Investeringar's presenter: the page's frames in, what it shows out (pure, no Streamlit).

The rules the page used to hold live here: which documents the sources caption names,
the headline metrics and their marks, the tab labels, the captions under each table,
the carry-over lines. Rules about the figures themselves (overruns, readings, the
display tables) stay in ``budgetrummet.investments``. Documents are named by their
title; an internal id never reaches the text (a document without a title is "källan").
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from budgetrummet import fmt
from budgetrummet import investments as inv

# The queries the page reads (the loader runs them, the presenter takes them by name).
QUERIES = (
    "inv_year",
    "inv_project_life",
    "inv_budget_plan",
    "inv_texts",
    "inv_findings",
    "inv_statements",
    "inv_key_matches",
)
UNTITLED = "källan"
RANK_LABELS = {"tkr": "Belopp (tkr)", "procent": "Andel av total budget (%)"}


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None


@dataclass(frozen=True)
class Page:
    """What the whole page shares: the projects, the headline, the sources."""

    titles: dict[str, str]
    projects: pl.DataFrame
    plan: pl.DataFrame
    year_frame: pl.DataFrame
    texts: pl.DataFrame
    statements: pl.DataFrame
    marks: dict[inv.CellKey, str]
    notes: dict[tuple[str, str], list[str]]
    head: dict | None
    year: int | None
    budget_doc: str | None
    order: list[str]
    sources: list[str]
    caption: str
    metrics: list[Metric]
    warnings: list[str]
    tab_labels: list[str]

    @property
    def plan_only(self) -> bool:
        """Only an investment plan: nothing to compare a forecast or an outcome with."""
        return self.projects.is_empty()

    @property
    def budget_title(self) -> str:
        return title(self.titles, self.budget_doc)

    @property
    def budget_notes(self) -> list[str]:
        """The budget document's data-quality notes, in the order found."""
        return [n for (d, _key), ns in self.notes.items() if d == self.budget_doc for n in ns]


def title(titles: dict[str, str], doc_id: str | None) -> str:
    """A document's title; never its id."""
    return titles.get(doc_id or "") or UNTITLED


def titles_of(documents: pl.DataFrame) -> dict[str, str]:
    """Document titles by id, from ``sources_for_org``."""
    return {d: t for d, t in documents.select("doc_id", "title").iter_rows() if t}


def named_sources(findings: pl.DataFrame, titles: dict[str, str]) -> pl.DataFrame:
    """``findings`` whose ``other`` (where the compared figure is printed) names another
    document by its title instead of its id ("doc: Tabell …"; the finding's own
    document is left for the note to drop)."""
    other = pl.col("other")
    for doc_id, name in titles.items():
        other = (
            pl.when(pl.col("doc_id") != doc_id)
            .then(other.str.replace(f"{doc_id}: ", f"{name}: ", literal=True))
            .otherwise(other)
        )
    return findings.with_columns(other=other)


def empty_note(org_name: str, titles: dict[str, str]) -> str:
    documents = f" ({', '.join(titles.values())})" if titles else ""
    return (
        f"Ingen investeringsplan är inläst för {org_name}: underlaget{documents} "
        "innehåller ingen investeringsredovisning och ingen investeringsbudget, så det finns "
        "inga investeringsprojekt att visa. Sidan fylls när ett dokument med investeringar "
        "för organisationen har lagts in."
    )


def has_investments(frames: dict[str, pl.DataFrame]) -> bool:
    return inv.has_investments(
        frames["inv_year"], frames["inv_project_life"], frames["inv_budget_plan"]
    )


def _sources(head: dict | None, year: int | None, bdoc, order, titles) -> list[str]:
    bits = []
    if head:
        bits.append(
            f"året {year} och projekten: {title(titles, head['doc_id'])} "
            f"(utfall per {head['as_of']})"
        )
    if bdoc and order:
        bits.append(f"{order[0]} – {order[-1]}: {title(titles, bdoc)}")
    return bits


def _metrics(head: dict, projects: pl.DataFrame, marks, notes) -> list[Metric]:
    doc, yr = head["doc_id"], head["year"]
    total_notes = notes.get((doc, inv.PORTFOLIO_KEY), [])

    def mark(version: str) -> str:
        found = marks.get((doc, inv.PORTFOLIO_KEY, version, yr))
        return f" {found}" if found else ""

    with_life = projects.filter(pl.col("life_deviation").is_not_null())
    return [
        Metric(f"Budget {yr}, justerad (tkr)", fmt.number(head["budget"])),
        Metric(
            f"Prognos {yr} (tkr)",
            fmt.number(head["prognos"]) + mark("prognos"),
            " ".join(n for n in total_notes if "Prognos" in n) or None,
        ),
        Metric(
            f"Avvikelse {yr} (tkr)",
            fmt.number(head["avvikelse"], signed=True) + mark("avvikelse"),
            "Prognos − budget för året. Plus betyder lägre utgift än budget i år – "
            "det säger inget om projektens totala kostnad.",
        ),
        Metric(
            "Utfall hittills (tkr)",
            fmt.number(head["utfall"]) + mark("utfall"),
            " ".join(
                [f"Utfall t.o.m. {head['as_of']}."] + [n for n in total_notes if "Utfall" in n]
            ),
        ),
        Metric(
            "Projekt över total budget",
            f"{with_life['is_overrun'].sum()} av {with_life.height}",
            "Projekt som delårsrapporten redovisar över hela projekttiden "
            "(total projektbudget och total prognos).",
        ),
    ]


def page(frames: dict[str, pl.DataFrame], documents: pl.DataFrame) -> Page:
    """The page's shared view model from the investment queries and the documents."""
    titles = titles_of(documents)
    year_f, plan_f = frames["inv_year"], frames["inv_budget_plan"]
    findings = named_sources(frames["inv_findings"], titles)
    marks = inv.cell_marks(findings)
    notes = inv.finding_notes(findings)
    projects = inv.projects(
        year_f,
        frames["inv_project_life"],
        plan_f,
        frames["inv_texts"],
        findings,
        frames["inv_key_matches"],
    )
    head = inv.headline(frames["inv_statements"], year_f)
    yr = head["year"] if head else None
    bdoc = inv.budget_doc(plan_f)
    order = inv.periods(plan_f.filter(doc_id=bdoc, table_id="inv_kategori"))
    order = order or inv.plan_periods(plan_f)
    sources = _sources(head, yr, bdoc, order, titles)
    caption = (
        "Källor – "
        + "; ".join(sources)
        + ". Alla belopp i tkr som de är tryckta; utgifter har minustecken som i källan. "
        "Avvikelse = prognos − budget, så minus betyder dyrare än budget."
    )
    warnings = [
        f"**{r['project']}:** {inv.reading_text(r, yr)}"
        for r in projects.filter(reading=inv.SLIPPED_BUT_OVERRUN).iter_rows(named=True)
    ]
    tab_labels = [
        "Överskridanden över projekttiden",
        f"Alla projekt {yr}" if yr else "Alla projekt",
        f"Portfölj {order[0].split()[-1]}–{order[-1].split()[-1]}" if order else "Portfölj",
    ]
    return Page(
        titles=titles,
        projects=projects,
        plan=plan_f,
        year_frame=year_f,
        texts=frames["inv_texts"],
        statements=frames["inv_statements"],
        marks=marks,
        notes=notes,
        head=head,
        year=yr,
        budget_doc=bdoc,
        order=order,
        sources=sources,
        caption=caption,
        metrics=_metrics(head, projects, marks, notes) if head else [],
        warnings=warnings,
        tab_labels=tab_labels,
    )


# --- Överskridanden över projekttiden ---------------------------------------------------


@dataclass(frozen=True)
class Overruns:
    ranked: pl.DataFrame
    table: pl.DataFrame
    year_label: str
    how: str
    minutes_lines: list[str]


def overruns(p: Page, by: str) -> Overruns:
    """The ranked overruns (chart and table) and how they are counted."""
    with_life = p.projects.filter(pl.col("life_deviation").is_not_null())
    agree = with_life["life_deviation_agrees"].sum()
    disagree = with_life.filter(~pl.col("life_deviation_agrees"))["project"].to_list()
    without_life = p.projects.height - with_life.height
    how = (
        "**Så räknas det.** Avvikelse hela projekttiden är den tryckta kolumnen ”Ack "
        "avvikelse projekt” = total projektprognos − total projektbudget "
        f"(stämmer för {agree} av {with_life.height} projekt"
        + (f"; avviker för {', '.join(disagree)}" if disagree else "")
        + "). Procent = avvikelsen delad med total projektbudget × 100, med avvikelsens "
        "tecken. Är den totala budgeten noll eller saknas den visas –, eftersom en andel "
        "av ingenting inte är definierad. "
        f"{without_life} projekt redovisas bara för året och kan inte bedömas över hela "
        "projekttiden; de finns under fliken Alla projekt."
    )
    return Overruns(
        ranked=inv.rank_overruns(p.projects, by),
        table=inv.overrun_table(p.projects, p.marks, p.year, by),
        year_label=f"Avvikelse {p.year} (mot årets budget)",
        how=how,
        minutes_lines=["Källor: " + "; ".join(p.sources)] if p.sources else [],
    )


def plan_only_note(p: Page) -> str:
    return inv.plan_only_note(p.plan, p.budget_title)


# --- Alla projekt -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reinvestment:
    title: str
    summary: str
    table: pl.DataFrame


@dataclass(frozen=True)
class YearView:
    table: pl.DataFrame
    raw: pl.DataFrame | None
    caption: str
    notes: list[str]
    reinvestment: Reinvestment | None
    comments: list[tuple[str, str]]  # (text, where it is printed)


def year_view(p: Page) -> YearView:
    """Every project's year, or the planned projects where only a plan is loaded."""
    if p.plan_only:
        return YearView(
            table=inv.portfolio_table(p.plan, p.marks),
            raw=None,
            caption=f"Planerade projekt och belopp per år som tryckta i {p.budget_title}; "
            "summaraderna är de tryckta summorna.",
            notes=[f"{inv.MARK_CONTRADICTION} {n}" for n in p.budget_notes],
            reinvestment=None,
            comments=[],
        )
    total = inv.year_total(p.year_frame)
    total_notes = p.notes.get((p.head["doc_id"], inv.PORTFOLIO_KEY), []) if p.head else None
    items = inv.reinvestment_items(p.year_frame)
    reinvestment = None
    if items.height:
        plan_row = p.projects.filter(line_key=inv.itemised_project(p.year_frame))
        printed = plan_row["utfall"][0] if plan_row.height else None
        reinvestment = Reinvestment(
            title=f"Reinvesteringsplanens delposter ({items.height} st)",
            summary=f"Tryckt rad: **{fmt.tkr(printed)}** utfall. "
            f"Delposterna summerar till **{fmt.tkr(items['utfall'].sum())}** "
            "(beräknat här, ersätter inte den tryckta raden).",
            table=inv.reinvestment_table(items),
        )
    comments = [
        (f"> {t['text']}", f"Rad {t['source_line']} i {title(p.titles, t['doc_id'])}")
        for t in p.texts.filter(kind="kommentar").iter_rows(named=True)
    ]
    return YearView(
        table=inv.year_table(p.projects, total, p.marks, p.year, total_notes),
        raw=inv.year_raw(p.projects, total, p.year),
        caption="Kategori enligt budgetdokumentet. Där namn eller nyckel skiljer sig mellan "
        "dokumenten matchas projekten med en uttrycklig, motiverad koppling; övriga namn "
        "i källorna står i egen kolumn.",
        notes=[],
        reinvestment=reinvestment,
        comments=comments,
    )


# --- Portfölj ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioView:
    heading: str
    lines: pl.DataFrame
    totals: pl.DataFrame
    budget_note: str | None
    table: pl.DataFrame
    notes: list[str]
    planned: pl.DataFrame
    carry_lines: list[str]
    carry_empty: str | None
    carry_caption: str | None


def portfolio_view(p: Page) -> PortfolioView:
    """The portfolio over the budget and plan years, and what is carried to next year."""
    lines, totals = inv.category_series(p.plan)
    by_category = not lines.is_empty()
    if not by_category:
        lines, totals = inv.plan_series(p.plan)
    yr, head = p.year, p.head
    kf = totals.filter(year=yr) if yr is not None else totals.clear()
    budget_note = None
    if head and kf.height:
        budget_note = (
            f"Budget {yr} här är kommunfullmäktiges budget, {fmt.tkr(kf['value'][0])}. "
            f"I delårsbokslutet är budget {yr} den justerade budgeten, "
            f"{fmt.tkr(head['budget'])}, där ombudgetering från föregående år ingår."
        )
    statements = p.statements.filter(line_key="ombudgetering")
    carry_lines = [
        f"Delårsrapporten: medel som troligen begärs ombudgeterade till {s['year']}, "
        f"cirka **{fmt.with_unit(s['value'], s['unit'])}** (rad {s['source_line']})."
        for s in statements.iter_rows(named=True)
    ]
    carried = inv.carry_overs(p.projects)
    carry_lines += [
        f"- **{r['project']}**: {fmt.tkr(r['avvikelse'], signed=True)} mot budget {yr} "
        f"– {r['cause_ref']}: ”{r['cause']}”"
        for r in carried.iter_rows(named=True)
    ]
    nothing = statements.is_empty() and carried.is_empty()
    return PortfolioView(
        heading="Investeringsbudget per kategori" if by_category else "Investeringsbudget",
        lines=lines,
        totals=totals,
        budget_note=budget_note,
        table=inv.portfolio_table(p.plan, p.marks),
        notes=[f"{inv.MARK_CONTRADICTION} {n}" for n in p.budget_notes],
        planned=inv.planned_table(p.plan),
        carry_lines=carry_lines,
        carry_empty="Källan anger ingen ombudgetering till nästa år." if nothing else None,
        carry_caption=None
        if nothing
        else "Beloppen står som i källan; projektens avvikelser summeras inte till "
        "ombudgeteringen, eftersom rapporten bara anger ett ungefärligt belopp.",
    )


# --- table layout: every column readable on a laptop, a projector and a phone ----------

# Long texts (the written cause, the notes) get a column of their own width and wrap
# into taller rows; no column is narrower than its header. Widths are estimates from the
# dataframe's 14 px font: a header needs about 7 px a character, wrapped text about 6.2
# (measured in Chromium: 60 to 62 characters a line in a 380 px column; 6.5 leaves room).
CHAR_PX = 7
TEXT_CHAR_TENTHS_PX = 65
CELL_PAD_PX = 18
HEADER_PAD_PX = 28  # the header's padding and its sort arrow
TEXT_PX = {"Orsak enligt analysen": 380, "Datakvalitet": 440}
TEXT_DEFAULT_PX = 280
MIN_WRAP_PX = 150  # a column narrower than this reads as a list of broken words
MAX_LINES = 8  # longer texts are read whole in the cell's overlay (click the cell)
LINE_PX, ROW_PAD_PX = 18, 17  # one line: the dataframe's default 35 px row


@dataclass(frozen=True)
class TableLayout:
    """Column widths in pixels (None: the dataframe sizes it to its header and cells)
    and the lines of text a row shows.

    No column is pinned: on a phone a pinned project name would leave too little room
    to scroll the other columns past it."""

    widths: dict[str, int | None]
    lines: int

    @property
    def row_px(self) -> int:
        return LINE_PX * self.lines + ROW_PAD_PX


def header_px(name: str) -> int:
    return len(name) * CHAR_PX + HEADER_PAD_PX


def _lines(longest: int, width: int) -> int:
    per_line = max((width - CELL_PAD_PX) * 10 // TEXT_CHAR_TENTHS_PX, 1)
    if longest <= per_line:
        return 1
    # Wrapping breaks between words: allow a line for the ragged ends.
    return -(-longest // per_line) + 1


def table_layout(frame: pl.DataFrame, wide: tuple[str, ...] | list[str]) -> TableLayout:
    """How a table of formatted text is laid out: each long-text column in ``wide``
    wraps at its width (never below its header), rows are as tall as the longest such
    text needs (up to ``MAX_LINES``)."""
    widths: dict[str, int | None] = dict.fromkeys(frame.columns)
    longest: dict[str, int] = {}
    lines = 1
    for col in (c for c in frame.columns if c in wide):
        longest[col] = int(frame[col].cast(pl.String).fill_null("").str.len_chars().max() or 0)
        content = _text_px(longest[col])
        width = max(min(content, TEXT_PX.get(col, TEXT_DEFAULT_PX)), header_px(col))
        widths[col] = width
        lines = max(lines, _lines(longest[col], width))
    lines = min(lines, MAX_LINES)
    if lines > 1:
        # The rows are tall anyway: a shorter text wraps into them too, in a narrower
        # column, so more of the table is in view without scrolling sideways.
        # Never narrower than its longest word nor than MIN_WRAP_PX: a word is not split.
        for col, n in longest.items():
            per_line = -(-n // (lines - 1))
            first = widths[col] or 0
            floor = min(max(_text_px(_longest_word(frame[col])), MIN_WRAP_PX), first)
            widths[col] = max(min(_text_px(per_line), first), floor, header_px(col))
    return TableLayout(widths=widths, lines=lines)


def _longest_word(texts: pl.Series) -> int:
    words = texts.cast(pl.String).fill_null("").str.split(" ").explode()
    return int(words.str.len_chars().max() or 0)


def _text_px(chars: int) -> int:
    return -(-chars * TEXT_CHAR_TENTHS_PX // 10) + CELL_PAD_PX
