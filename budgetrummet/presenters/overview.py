"""Översikt's presenter: the page's frames in, six tiles of Swedish text out (pure).

Each tile says what it shows, the figure, and what the figure rests on (the printed
document, or the calculation from printed figures). The same tiles make the page and its
Protokollsbilaga, so the document says exactly what the screen said.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from budgetrummet import drift, finance, fmt, goals, investments, overview, vocab
from budgetrummet.presenters.document import LIGHT_WORDS, DocSection, unmarked


@dataclass(frozen=True)
class Frames:
    """Every frame the six tiles are made from (the loader's queries)."""

    figs: pl.DataFrame
    life: pl.DataFrame
    documents: pl.DataFrame
    recon: pl.DataFrame
    uploads: pl.DataFrame
    loaded: pl.DataFrame
    goal_sets: list[goals.GoalSetSummary]
    fin: pl.DataFrame


@dataclass(frozen=True)
class Line:
    """One line of a tile, in Markdown: a goal light or light counts may lead it."""

    text: str = ""
    light: str | None = None
    counts: tuple[tuple[str, int], ...] = ()
    help: str | None = None
    word: str = ""  # the light's meaning in words ("Uppfyllt"), for the document
    full: str = ""  # the whole text where the tile shortens it, for the document


@dataclass(frozen=True)
class Metric:
    label: str
    value: str


@dataclass(frozen=True)
class Tile:
    """``empty`` is said (as information) when the organisation lacks the tile's data."""

    key: str
    title: str
    link: str
    metric: Metric | None = None
    lines: tuple[Line, ...] = ()
    notes: tuple[str, ...] = ()
    warning: str | None = None
    empty: str | None = None


@dataclass(frozen=True)
class Overview:
    tiles: tuple[Tile, ...]


def doc_titles(documents: pl.DataFrame) -> dict[str, str]:
    if documents.is_empty():
        return {}
    return dict(zip(documents["doc_id"].to_list(), documents["title"].to_list(), strict=True))


def budget_tile(f: Frames, org_name: str, today_year: int) -> Tile:
    title_of = doc_titles(f.documents)
    tile = overview.budget_tile(f.figs, f.documents)
    if tile is None:
        return Tile(
            "budget",
            "Budget i år",
            "drift",
            empty=f"Ingen budget är inläst för {org_name}.",
        )
    unit = tile.unit
    metric, lines, notes = None, [], []
    if tile.forecast is not None:
        if tile.outcome_label:
            title = f"Nettokostnad {tile.year}: utfall mot budget"
            metric = Metric(tile.outcome_label, fmt.with_unit(tile.forecast, unit))
            against = tile.budget_label
        else:
            title = f"Nettokostnad {tile.year}: prognos mot budget"
            metric = Metric(f"Helårsprognos per {tile.as_of}", fmt.with_unit(tile.forecast, unit))
            against = tile.budget_label.lower()
        lines.append(
            Line(
                f"Avvikelse **{fmt.with_unit(tile.deviation, unit)}** "
                f"({fmt.percent(tile.deviation_pct, 1, signed=True)}) mot "
                f"{against} {fmt.with_unit(tile.budget, unit)}"
            )
        )
    else:
        title = f"Nettokostnad {tile.year}"
        metric = Metric(tile.budget_label, fmt.with_unit(tile.budget, unit, vocab.decimals(unit)))
        earlier = overview.latest_forecast(f.figs)
        if earlier is not None and earlier.year < tile.year:
            notes.append(
                f"Ingen prognos eller utfall för {tile.year} i underlaget ännu. Senaste "
                f"prognos gäller {earlier.year}: {fmt.with_unit(earlier.forecast, earlier.unit)} "
                f"per {earlier.as_of}, avvikelse {fmt.with_unit(earlier.deviation, earlier.unit)} "
                f"mot {earlier.budget_label.lower()}."
            )
        else:
            notes.append(f"Ingen prognos eller utfall för {tile.year} i underlaget ännu.")
    if tile.doc_id:
        notes.append(f"Tryckt i {title_of.get(tile.doc_id, tile.doc_id)}.")
    uploaded = overview.uploaded_for_year(f.loaded, tile.year)
    if uploaded:
        notes.append(uploaded)
    return Tile(
        "budget",
        title,
        "drift",
        metric=metric,
        lines=tuple(lines),
        notes=tuple(notes),
        warning=drift.budget_age_note(tile.year, today_year),
    )


def goals_tile(f: Frames) -> Tile:
    if not f.goal_sets:
        return Tile(
            "goals",
            "Mål",
            "goals",
            empty="Inga mål med trafikljus: dokumenten anger prioriterade inriktningar.",
        )
    lines = []
    for s in f.goal_sets:
        counts = tuple((light, s.counts[light]) for light in vocab.LIGHTS)
        lines.append(Line(s.doc_title or s.doc_id, counts=counts))
        lines += [
            Line(overview.shorten(w.label, 48), light=w.light, help=w.calculation, full=w.label)
            for w in s.worst
            if w.light in (vocab.RED, vocab.YELLOW)
        ]
    return Tile("goals", "Mål", "goals", lines=tuple(lines))


def investments_tile(f: Frames) -> Tile:
    title = "Största överskridanden, hela projekttiden"
    largest = investments.largest_overruns(f.life, 3)
    if largest.is_empty():
        return Tile(
            "investments",
            title,
            "investments",
            empty="Ingen uppföljning av investeringsprojekt i underlaget.",
        )
    ranked = "\n".join(
        f"{r['rank']}. {r['project']}: **{fmt.tkr(r['life_deviation'])}** "
        f"({fmt.percent(r['overrun_pct'], 1) if r['overrun_pct'] is not None else fmt.EMPTY})"
        for r in largest.iter_rows(named=True)
    )
    source = doc_titles(f.documents).get(largest["doc_id"][0], largest["doc_id"][0])
    return Tile(
        "investments",
        title,
        "investments",
        lines=(Line(ranked),),
        notes=(f"Prognos per {largest['as_of'][0]} mot total projektbudget, tryckt i {source}.",),
    )


def finance_tile(f: Frames) -> Tile:
    lines, notes = [], []
    goal = overview.result_goal(f.fin)
    if goal is not None:
        lines.append(
            Line(
                f"Resultatmål {goal.year}: {fmt.percent(goal.percent, 1)} av skatter och "
                f"statsbidrag = **{fmt.tkr(goal.goal_tkr)}**"
            )
        )
        if goal.base is not None:
            notes.append(
                f"Beräknat: {fmt.percent(goal.percent, 1)} × {fmt.tkr(goal.base)} (tryckta "
                f"skatteintäkter och generella statsbidrag {goal.year})."
            )
        notes.append("Bedöms inte: övriga nämnders nettokostnad saknas i dokumenten.")
    ratio = finance.ratio_goals(f.fin)
    lines += [Line(g.name, light=g.status, word=finance.STATUS_LABELS[g.status]) for g in ratio]
    empty = None if lines else "Inga finansiella mål i underlaget."
    return Tile(
        "finance", "Finansiella mål", "finance", lines=tuple(lines), notes=tuple(notes), empty=empty
    )


def freshness_tile(f: Frames) -> Tile:
    title = "Underlagets färskhet"
    fresh = overview.freshness(f.documents, f.uploads)
    if fresh is None:
        return Tile("freshness", title, "", empty="Inga källdokument för organisationen.")
    lines = [Line(f"Senaste dokument: {fresh.latest_title} (**{fresh.latest_date}**)")]
    notes = []
    if fresh.latest_upload:
        lines.append(Line(f"Senaste uppladdning: **{fresh.latest_upload}** ({fresh.uploads} st)"))
    else:
        notes.append(f"{fresh.documents} källdokument. Inget utfall uppladdat ännu.")
    return Tile("freshness", title, "", lines=tuple(lines), notes=tuple(notes))


def quality_tile(f: Frames) -> Tile:
    found = overview.contradictions(f.recon)
    return Tile(
        "quality",
        "Datakvalitet",
        "quality",
        lines=(Line(f"Motsägelser i källorna: **{found}** av {f.recon.height} kontroller"),),
    )


def build(f: Frames, org_name: str, today_year: int) -> Overview:
    """The six tiles, in the page's order (budget, goals, investments; then financial
    goals, freshness, data quality)."""
    return Overview(
        tiles=(
            budget_tile(f, org_name, today_year),
            goals_tile(f),
            investments_tile(f),
            finance_tile(f),
            freshness_tile(f),
            quality_tile(f),
        )
    )


# --- Protokollsbilaga ----------------------------------------------------------------


def line_text(line: Line) -> str:
    """A tile's line as plain text: a light in words, counts as "röd 2 · gul 0 …"."""
    text = unmarked(line.full or line.text)
    if line.counts:
        counts = " · ".join(f"{LIGHT_WORDS[light]} {n}" for light, n in line.counts)
        return f"{text}: {counts}"
    if line.light is not None:
        word = f" ({line.word.lower()})" if line.word else ""
        return f"{text} – {LIGHT_WORDS[line.light]}{word}"
    return text


def document_sections(view: Overview) -> list[DocSection]:
    """The tiles as the document's sections: the key number, the lines, what it rests on."""
    sections = []
    for tile in view.tiles:
        lines = []
        if tile.metric is not None:
            lines.append(f"{tile.metric.label}: {tile.metric.value}")
        for line in tile.lines:
            lines += line_text(line).split("\n")
        if tile.empty:
            lines.append(tile.empty)
        lines += [unmarked(n) for n in tile.notes]
        if tile.warning:
            lines.append(tile.warning)
        sections.append(DocSection(tile.title, lines=lines))
    return sections
