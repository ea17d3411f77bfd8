"""Mål's presenter: the page's frames in, what it shows out (pure, no Streamlit).

The rules (lights, trends, the follow-up calendar, what needs attention) live in
``budgetrummet.goals`` and ``budgetrummet.goal_attention``; this module puts them
together for the page (``page`` for the whole organisation, ``document`` for the goal set
shown), builds the display tables in Swedish and shapes the Protokollsbilaga. Internal
ids (documents, goals) are values the page chooses by, never text it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from budgetrummet import fmt, goal_attention, goals, vocab
from budgetrummet.presenters.document import DocSection, DocTable, place_text

DOC_KIND_LABELS = {
    goals.MEASURED: "mål med mått",
    goals.ACTIVITY: "aktivitetsmål",
    goals.PRIORITY: "prioriterade inriktningar och indikatorer",
}


def doc_short_name(doc_id: str, doc_title: str | None = None) -> str:
    """The document's short title (``goal_list`` gives it as ``doc_title``); never its
    internal id, which is no name for a reader."""
    return doc_title or "Dokument utan titel"


def doc_label(row: dict, periods: dict[str, str], superseded: bool) -> str:
    """A document as the page names it: short name, the period its goals cover, and
    whether a newer document of the same kind has replaced it."""
    label = doc_short_name(row["doc_id"], row["doc_title"])
    period = periods.get(row["doc_id"])
    if period:
        label += f" (avser {period})"
    if superseded:
        label += ", ersatt av nyare dokument"
    return label


def light_text(light: str | None) -> str:
    """The light in words, for table cells (which cannot colour an icon)."""
    if light is None:
        return "Ingen status (inriktning)"
    return goals.LIGHT_LABELS[light]


def area_heading(area: str, title: str) -> str:
    if not area:
        return title
    return f"Målområde {area}: {title}"


# --- the page and the goal set shown ---------------------------------------------------


@dataclass(frozen=True)
class Page:
    """What the top of Mål needs, across the organisation's documents."""

    board: pl.DataFrame
    goal_rows: pl.DataFrame
    history: pl.DataFrame
    today: date
    calendar: pl.DataFrame
    attention: goal_attention.Attention
    doc_labels: dict[str, str]
    doc_names: dict[str, str]
    superseded_open: int
    has_lights: bool

    @property
    def empty(self) -> bool:
        return self.board.is_empty()


TEXT_LINE = "rad {} i dokumentets textversion"


def with_places(board: pl.DataFrame, places: pl.DataFrame | None) -> pl.DataFrame:
    """``board`` with ``place``: where each goal stands in its source, file, sheet, row
    and column for a goal of an imported file (``goal_places``), else the line of the
    document's text version."""
    by_goal = (
        {}
        if places is None
        else {r["goal_key"]: place_text(r) for r in places.iter_rows(named=True)}
    )
    shown = [
        by_goal.get(key) or TEXT_LINE.format(line)
        for key, line in zip(board["goal_key"], board["source_line"], strict=True)
    ]
    return board.with_columns(place=pl.Series(shown, dtype=pl.String))


def page(
    board: pl.DataFrame,
    goal_rows: pl.DataFrame,
    history: pl.DataFrame,
    today: date,
    places: pl.DataFrame | None = None,
) -> Page:
    """The organisation's goals (``board`` labelled), their texts, the status history,
    the day the follow-up calendar counts from and where imported goals stand in their
    files (``goal_places``)."""
    board = with_places(board, places)
    superseded = goals.superseded_documents(goal_rows.select("doc_id", "doc_type", "doc_date"))
    calendar = goals.followup_calendar(goal_rows, history, today, superseded)
    periods = goal_attention.document_periods(board)
    docs = board.unique("doc_id", keep="first", maintain_order=True)
    labels = {
        r["doc_id"]: doc_label(r, periods, r["doc_id"] in superseded)
        for r in docs.iter_rows(named=True)
    }
    names = {
        r["doc_id"]: f"{labels[r['doc_id']]} – {DOC_KIND_LABELS[r['kind']]}"
        for r in docs.iter_rows(named=True)
    }
    return Page(
        board=board,
        goal_rows=goal_rows,
        history=history,
        today=today,
        calendar=calendar,
        attention=goal_attention.attention(board, calendar),
        doc_labels=labels,
        doc_names=names,
        superseded_open=goals.count_in_state(calendar, goals.SUPERSEDED),
        has_lights=bool(board["light"].is_not_null().any()) or not calendar.is_empty(),
    )


@dataclass(frozen=True)
class Document:
    """One goal set (document) as the page shows it."""

    doc_id: str
    name: str
    label: str
    board: pl.DataFrame
    goal_rows: pl.DataFrame
    kf: pl.DataFrame
    findings: pl.DataFrame
    indicators: pl.DataFrame
    calendar: pl.DataFrame
    kinds: frozenset[str]

    @property
    def shows_lights(self) -> bool:
        """Counts and rules are shown unless every goal is a priority without a light."""
        return self.kinds != {goals.PRIORITY}

    @property
    def goal_labels(self) -> dict[str, str]:
        return dict(zip(self.board["goal_key"], self.board["label"], strict=True))


def document(
    p: Page, doc_id: str, kf: pl.DataFrame, findings: pl.DataFrame, indicators: pl.DataFrame
) -> Document:
    """The goal set ``doc_id``; ``kf``, ``findings`` and ``indicators`` are the
    organisation's (``goal_kf_list``, ``goal_findings``, ``goal_indicator_list``)."""
    board_doc = goals.of_document(p.board, doc_id)
    return Document(
        doc_id=doc_id,
        name=p.doc_names[doc_id],
        label=p.doc_labels[doc_id],
        board=board_doc,
        goal_rows=goals.of_document(p.goal_rows, doc_id),
        kf=goals.of_document(kf, doc_id),
        findings=goals.of_document(findings, doc_id),
        indicators=goals.evaluate_indicators(goals.of_document(indicators, doc_id)),
        calendar=goals.of_document(p.calendar, doc_id),
        kinds=frozenset(board_doc["kind"]),
    )


# --- display tables --------------------------------------------------------------------


def indicator_table(indicators: pl.DataFrame) -> pl.DataFrame:
    """The indicators of one goal as the page shows them: as printed, plus the verdict."""
    rows = []
    for r in indicators.iter_rows(named=True):
        previous = r["previous_printed"] or ""
        if previous and r["previous_year"]:
            previous = f"{previous} ({r['previous_year']})"
        rows.append(
            {
                "Mål nr": r["goal_no"],
                "Mått": r["indicator_label"],
                "Mål": r["target_printed"],
                "Utfall": (
                    f"{r['outcome_printed']} ({r['outcome_year']})"
                    if r["outcome_printed"] not in goals.NOT_MEASURED
                    else "ej mätt"
                ),
                "Status": vocab.LIGHT_SHORT[r["light"]],
                "Trend": r["arrow"] or "–",
                "Föregående": previous or "–",
                "Bättre": "lägre" if r["better"] == "lower" else "högre",
                "Pil i rapporten": r["trend_printed"] or "–",
            }
        )
    return pl.DataFrame(rows)


def calendar_table(by_area: pl.DataFrame) -> pl.DataFrame:
    rows = []
    for r in by_area.iter_rows(named=True):
        rows.append(
            {
                "Målområde": area_heading(r["malomrade_no"], r["malomrade_title"]),
                "Försenade": r["overdue"],
                "Äldsta försenade": fmt.iso_date(r["oldest_overdue"]),
                "Nästa uppföljning": fmt.iso_date(r["next_date"]),
                "Mål då": fmt.number(r["next_count"]) if r["next_date"] else fmt.EMPTY,
                "Bedömda": f"{r['done']} av {r['total']}",
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "Målområde": pl.String,
            "Försenade": pl.Int64,
            "Äldsta försenade": pl.String,
            "Nästa uppföljning": pl.String,
            "Mål då": pl.String,
            "Bedömda": pl.String,
        },
    )


def open_items_table(items: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """Follow-ups not yet assessed, overdue first (oldest first), then coming."""
    ordered = items.sort(pl.col("state") != goals.OVERDUE, "followup_date", "malomrade_no")
    return pl.DataFrame(
        [
            {
                "Datum": fmt.iso_date(r["followup_date"]),
                "Läge": goals.FOLLOWUP_LABELS[r["state"]],
                "Dagar": fmt.number(r["days"]),
                "Målområde": r["malomrade_no"],
                "Mål": labels.get(r["goal_key"], r["goal_title"]),
            }
            for r in ordered.iter_rows(named=True)
        ],
        schema={c: pl.String for c in ("Datum", "Läge", "Dagar", "Målområde", "Mål")},
    )


def overdue_table(att: goal_attention.Attention, doc_labels: dict[str, str]) -> pl.DataFrame:
    """The overdue follow-ups of the attention list, longest overdue first."""
    return pl.DataFrame(
        [
            {
                "Uppföljning": fmt.iso_date(i.followup_date),
                "Dagar sedan": fmt.number(i.days_late),
                "Mål": i.label,
                "Dokument": doc_labels[i.doc_id],
            }
            for i in att.overdue
        ],
        schema={c: pl.String for c in ("Uppföljning", "Dagar sedan", "Mål", "Dokument")},
    )


def overdue_by_document(att: goal_attention.Attention) -> dict[str, pl.DataFrame]:
    """The overdue follow-ups per document for the document: the date, how long it has
    been overdue in days, the goal (document order of the attention list kept)."""
    rows: dict[str, list[dict]] = {}
    for i in att.overdue:
        rows.setdefault(i.doc_id, []).append(
            {
                "Datum": fmt.iso_date(i.followup_date),
                "Försenad": fmt.count(i.days_late, "dag", "dagar"),
                "Mål": i.label,
            }
        )
    schema = dict.fromkeys(("Datum", "Försenad", "Mål"), pl.String)
    return {doc: pl.DataFrame(r, schema=schema) for doc, r in rows.items()}


def history_table(history: pl.DataFrame) -> pl.DataFrame:
    """Status history, newest first, in Swedish; user text is shown as plain cells."""
    return pl.DataFrame(
        [
            {
                "Uppföljning": fmt.iso_date(r["followup_date"]),
                "Status": light_text(r["status"]),
                "Kommentar": r["comment"],
                "Bedömd av": r["set_by"],
                "Registrerad": fmt.iso_date(r["set_at"]),
            }
            for r in history.iter_rows(named=True)
        ],
        schema={
            c: pl.String for c in ("Uppföljning", "Status", "Kommentar", "Bedömd av", "Registrerad")
        },
    )


def board_table(board_doc: pl.DataFrame) -> pl.DataFrame:
    """The goal set as one table; ``board_doc`` with ``place`` (``with_places``)."""
    return board_doc.sort("source_line").select(
        Mål=pl.col("label"),
        Målområde=pl.col("malomrade_title"),
        Typ=pl.col("kind").replace_strict(goals.KIND_LABELS, return_dtype=pl.String),
        Status=pl.col("light").replace_strict(
            goals.LIGHT_LABELS, default="–", return_dtype=pl.String
        ),
        Källa=pl.col("light_source"),
        Beräkning=pl.col("calculation"),
        År=pl.col("year"),
        **{"Var i källan": pl.col("place")},
    )


# --- Protokollsbilaga ------------------------------------------------------------------


def _light_counts(part: pl.DataFrame) -> str:
    """``2 röda, 1 grön och 1 grå`` (priorities without a light are counted apart)."""
    counts = dict(part.filter(pl.col("light").is_not_null())["light"].value_counts().iter_rows())
    words = {
        vocab.RED: ("röd", "röda"),
        vocab.YELLOW: ("gul", "gula"),
        vocab.GREEN: ("grön", "gröna"),
        vocab.GREY: ("grå", "grå"),
    }
    said = [fmt.count(counts[light], *words[light]) for light in vocab.LIGHTS if counts.get(light)]
    if len(said) > 1:
        return ", ".join(said[:-1]) + " och " + said[-1]
    return said[0] if said else ""


def _series_summary(series: pl.DataFrame) -> str:
    """The indicators' trends in words: ``8 indikatorer: 3 bättre, 2 oförändrade …``."""
    table = goals.indicator_series(series)
    arrows = table["arrow"].to_list()
    said = [
        f"{fmt.number(arrows.count(a))} {word}"
        for a, word in (
            (goals.BETTER, "bättre"),
            (goals.SAME, "oförändrade"),
            (goals.WORSE, "sämre"),
            (None, "utan trend"),
        )
        if arrows.count(a)
    ]
    return f"{fmt.count(table.height, 'indikator', 'indikatorer')}: " + ", ".join(said)


def minutes_parts(p: Page, series: pl.DataFrame) -> list[DocSection]:
    """What needs attention first (red, yellow, overdue follow-ups, each light in
    words), then the rest of each document summarised. ``series`` is the organisation's
    ``goal_indicator_series``."""
    att = p.attention
    lines = [f"Per {fmt.iso_date(p.today)}."]
    if att.empty:
        lines.append("Inga röda eller gula mål och inga försenade uppföljningar.")
    for g in att.red + att.yellow:
        lines.append(
            f"{goals.LIGHT_LABELS[g.light]}: {g.label} ({p.doc_labels[g.doc_id]}). {g.calculation}"
        )
    tables = tuple(
        DocTable(
            frame,
            f"{fmt.count(frame.height, 'försenad uppföljning', 'försenade uppföljningar')} "
            f"(ingen bedömning registrerad) i {p.doc_labels[doc_id]}",
        )
        for doc_id, frame in overdue_by_document(att).items()
    )
    if p.superseded_open:
        lines.append(
            f"{fmt.count(p.superseded_open, 'obedömd uppföljning', 'obedömda uppföljningar')} "
            "i dokument som ersatts av ett nyare dokument av samma slag räknas inte som "
            "försenade."
        )
    attention_ids = {g.goal_key for g in att.red + att.yellow}
    rest = []
    for doc_id, name in p.doc_names.items():
        part = goals.of_document(p.board, doc_id)
        others = part.filter(~pl.col("goal_key").is_in(attention_ids))
        bits = []
        lit = _light_counts(others)
        if lit:
            listed = "övriga " if others.height < part.height else ""
            bits.append(f"{listed}{fmt.count(others.height, 'mål', 'mål')}: {lit}")
        priorities = others.filter(pl.col("light").is_null()).height
        if priorities:
            bits.append(
                fmt.count(
                    priorities,
                    "prioriterad inriktning utan trafikljus",
                    "prioriterade inriktningar utan trafikljus",
                )
            )
        doc_series = goals.of_document(series, doc_id)
        if not doc_series.is_empty():
            bits.append(_series_summary(doc_series))
        if bits:
            rest.append(f"{name}: " + "; ".join(bits) + ".")
    return [
        DocSection("Behöver uppmärksamhet", lines=tuple(lines), tables=tables),
        DocSection("Övriga mål", lines=tuple(rest) or ("Inga övriga mål.",)),
        DocSection(
            "Regler för färg och trendpil",
            lines=tuple(t.replace("**", "") for t in goals.rules_text()),
        ),
    ]
