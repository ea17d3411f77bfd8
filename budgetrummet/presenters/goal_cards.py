"""Mål's cards as text (pure, no Streamlit): the lights as Markdown badges and coloured
words, the overview's grid, the attention list, the målområde labels, the measured goals'
cards and the indicator cards' lines. ``budgetrummet.ui.goals`` renders them; the
activity goals' cards are in ``budgetrummet.presenters.goal_activity``.

Only document text and computed figures go into this Markdown, never what a person typed.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import polars as pl

from budgetrummet import fmt, goal_attention, goals, vocab
from budgetrummet.presenters.goals import (
    DOC_KIND_LABELS,
    TEXT_LINE,
    doc_short_name,
)

# The seed's goal columns carry different printed headings in different kinds of
# documents: an interim report's "Mått/metod" and "Adressering", a budget's
# "Målprecisering" and "Tidplan/uppföljning", a plan's "Plan för genomförande".
TEXT_HEADINGS = {
    goals.MEASURED: ("Mått/metod", "Adressering"),
    goals.ACTIVITY: ("", "Målprecisering"),
    goals.PRIORITY: ("Plan för genomförande", ""),
}


# Lights as Markdown badges: coloured and in words, so they read on a projector, in
# grey-scale print and for colour-blind readers alike. Yellow text is unreadable on
# white, so the yellow badge is orange.
LIGHT_MD = {
    vocab.RED: ":red-badge[:material/cancel: Röd]",
    vocab.YELLOW: ":orange-badge[:material/error: Gul]",
    vocab.GREEN: ":green-badge[:material/check_circle: Grön]",
    vocab.GREY: ":gray-badge[:material/radio_button_unchecked: Grå]",
}
ARROW_MD = {
    goals.BETTER: ":green[:material/arrow_upward:]",
    goals.SAME: ":gray[:material/arrow_forward:]",
    goals.WORSE: ":red[:material/arrow_downward:]",
}
# Coloured text (not badges) for expander labels, which take a restricted Markdown.
LIGHT_LABEL_MD = {
    vocab.RED: (":red[:material/cancel: {n} röd]", ":red[:material/cancel: {n} röda]"),
    vocab.YELLOW: (":orange[:material/error: {n} gul]", ":orange[:material/error: {n} gula]"),
    vocab.GREEN: (
        ":green[:material/check_circle: {n} grön]",
        ":green[:material/check_circle: {n} gröna]",
    ),
    vocab.GREY: (
        ":gray[:material/radio_button_unchecked: {n} grå]",
        ":gray[:material/radio_button_unchecked: {n} grå]",
    ),
}
# The indicator chart's highlight colour for each trend arrow.
ARROW_COLOR = {goals.BETTER: "gron", goals.SAME: "gra", goals.WORSE: "rod"}


def small(text: str) -> str:
    """Small text inside a Markdown block (what ``st.caption`` shows as an
    element of its own); brackets in document text are escaped so they cannot end the
    directive early."""
    return ":small[" + text.replace("[", "\\[").replace("]", "\\]") + "]"


def arrow_text(arrow: str | None) -> str:
    return f"{ARROW_MD[arrow]} {goals.ARROW_LABELS[arrow]}" if arrow else "–"


# --- the overview's grid and the top of Mål -----------------------------------------


def grid_heading(s: goals.GoalSetSummary) -> str:
    """A goal set in the overview's grid: its name and kind, then its lights counted."""
    counts = " · ".join(
        f"{LIGHT_MD[light]} **{fmt.number(s.counts[light])}**" for light in vocab.LIGHTS
    )
    return f"**{doc_short_name(s.doc_id, s.doc_title)}** – {DOC_KIND_LABELS[s.kind]}  \n{counts}"


def attention_list(group: list, doc_labels: dict[str, str]) -> str:
    """Red (or yellow) goals, one per line, each with the document it belongs to."""
    return "\n".join(
        f"- {LIGHT_MD[g.light]} **{g.label}** :small[:gray[{doc_labels[g.doc_id]}]]" for g in group
    )


def attention_calculations(att: goal_attention.Attention) -> str:
    """The calculation behind each red and yellow goal."""
    return "\n\n".join(f"**{g.label}**  \n{g.calculation}" for g in att.red + att.yellow)


def overdue_lines(att: goal_attention.Attention, doc_labels: dict[str, str]) -> str:
    """Overdue follow-ups counted per document, with the oldest date of each."""
    by_doc: dict[str, int] = {}
    oldest: dict[str, date] = {}
    for item in att.overdue:
        by_doc[item.doc_id] = by_doc.get(item.doc_id, 0) + 1
        when = cast(date, item.followup_date)
        oldest[item.doc_id] = min(oldest.get(item.doc_id, when), when)
    lines = [
        f":red[:material/schedule:] **{fmt.count(n, 'uppföljning', 'uppföljningar')} "
        f"försenade** i {doc_labels[doc]}, den äldsta från {fmt.iso_date(oldest[doc])}"
        for doc, n in by_doc.items()
    ]
    return "  \n".join(lines)


def superseded_note(n: int) -> str:
    return (
        f"{fmt.count(n, 'obedömd uppföljning', 'obedömda uppföljningar')} "
        "i dokument som ersatts av ett nyare dokument av samma slag räknas inte som "
        "försenade."
    )


# --- målområden -----------------------------------------------------------------------


def findings_by_area(findings: pl.DataFrame, goal_rows: pl.DataFrame) -> dict[str, list[dict]]:
    """Findings attached to the målområde whose goals stand on the finding's line."""
    out: dict[str, list[dict]] = {}
    lines = dict(zip(goal_rows["source_line"], goal_rows["malomrade_no"], strict=True))
    for f in findings.iter_rows(named=True):
        out.setdefault(lines.get(f["source_line"], ""), []).append(f)
    return out


def finding_text(f: dict) -> str:
    return f"**Datakvalitet:** {f['table_title']} · {f['line_label']}: {f['description']}."


def kf_text(texts: list[str]) -> str | None:
    """The council's goals of a målområde above the nämndmål that serve them."""
    if not texts:
        return None
    lines = "\n".join(f"- {text}" for text in texts)
    return f"**Kommunfullmäktiges mål** – nämndmålen nedan tjänar dem:\n{lines}"


def areas(board_doc: pl.DataFrame, kf: pl.DataFrame) -> list[tuple[str, str]]:
    """Målområden in document order, including those with a KF goal but no nämndmål."""
    seen: dict[str, str] = {}
    for row in board_doc.sort("source_line").iter_rows(named=True):
        seen.setdefault(row["malomrade_no"], row["malomrade_title"])
    for row in kf.iter_rows(named=True):
        seen.setdefault(row["malomrade_no"], row["malomrade_title"])
    return sorted(seen.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)


def area_lights(part: pl.DataFrame) -> str:
    """The lights of a målområde's goals as coloured words: "· 1 röd · 2 gröna"."""
    counts = dict(part.filter(pl.col("light").is_not_null())["light"].value_counts().iter_rows())
    words = [
        LIGHT_LABEL_MD[light][counts[light] != 1].format(n=counts[light])
        for light in vocab.LIGHTS
        if counts.get(light)
    ]
    return "".join(f" · {w}" for w in words)


# --- measurable goals (an interim report) -------------------------------------------


def indicator_line(r: dict) -> str:
    """One indicator as a few short lines that read on a phone as well as a projector."""
    year = f" {r['outcome_year']}" if r["outcome_year"] else ""
    measured = r["outcome_printed"] not in goals.NOT_MEASURED
    parts = [
        f"Mål: {r['target_printed']}",
        f"Utfall{year}: **{r['outcome_printed']}**" if measured else f"Utfall{year}: ej mätt",
    ]
    if r["previous_printed"]:
        parts.append(f"Föregående {r['previous_year']}: {r['previous_printed']}".replace("  ", " "))
    better = "lägre är bättre" if r["better"] == "lower" else "högre är bättre"
    trend = arrow_text(r["arrow"])
    printed = f" (rapportens pil: {r['trend_printed']})" if r["trend_printed"] else ""
    parts.append(f"Trend: {trend}{printed}")
    return (
        f"{LIGHT_MD[r['light']]} **{r['indicator_label']}**  \n"
        + " · ".join(parts)
        + f" · {better}"
    )


def measured_card(goal: dict, text: dict, indicators: pl.DataFrame) -> tuple[str, str]:
    """One measured goal in two blocks of Markdown (Streamlit's cost is per element):
    heading, light, texts and indicators; then the calculation behind them."""
    ind = indicators.filter(pl.col("goal_key") == goal["goal_key"]).sort("source_line")
    rows = list(ind.iter_rows(named=True))
    method, owner = TEXT_HEADINGS[goals.MEASURED]
    lines = []
    for r in rows:
        line = indicator_line(r)
        if r["comment"]:
            line += f"  \n:material/chat: *Kommentar i rapporten:* {r['comment']}"
        lines.append(line)
    body = (
        f"{LIGHT_MD[goal['light']]} **{goal['label']}**\n\n"
        f"**{goals.LIGHT_LABELS[goal['light']]}** · beräknad från {goal['indicators']} mått "
        "i rapporten\n\n"
        + small(f"{method}: {text['goal_text']}  \n{owner}: {text['malprecisering']}")
        + "".join(f"\n\n{line}" for line in lines)
    )
    calculations = [
        f"**{r['indicator_label']}**  \n"
        f"{LIGHT_MD[r['light']]} {r['calculation']}  \n"
        f"Trend: {r['trend_calculation']}"
        for r in rows
    ]
    calculation = "\n\n".join(
        [
            *calculations,
            f"**Målet:** {goal['calculation']}",
            small(
                f"Källa: {doc_short_name(goal['doc_id'], goal['doc_title'])}, "
                f"{goal.get('place') or TEXT_LINE.format(goal['source_line'])}."
            ),
        ]
    )
    return body, calculation


# --- priorities and indicator series (a verksamhetsplan) -----------------------------


def series_point_labels(row: dict) -> list[str]:
    return [
        goals.show_value(v, p, row["unit"])
        for v, p in zip(row["values"], row["printed"], strict=True)
    ]


def series_trend_text(row: dict) -> str:
    """An indicator card's trend, next year's forecast and which way is better."""
    forecast = row["forecast_text"] or "–"
    if row["forecast_arrow"]:
        forecast += f" ({arrow_text(row['forecast_arrow'])})"
    better = "lägre är bättre" if row["better"] == "lower" else "högre är bättre"
    return (
        f"Trend {row['latest_year']}: {arrow_text(row['arrow'])} · "
        f"Prognos {row['latest_year'] + 1}: {forecast}  \n{better}"
    )
