"""Finansförvaltning's presenter: the page's frames in, its texts and tables out (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from budgetrummet import finance, fmt
from budgetrummet.charts import finance as fin_charts
from budgetrummet.presenters.document import LIGHT_WORDS, DocChart, DocSection, DocTable, unmarked


@dataclass(frozen=True)
class Sources:
    """The organisation's documents: titles and the body each belongs to, by id."""

    doc_names: dict[str, str]
    bodies: dict[str, str]


def sources(frame: pl.DataFrame) -> Sources:
    ids = frame["doc_id"].to_list()
    return Sources(
        doc_names=dict(zip(ids, frame["title"].to_list(), strict=True)),
        bodies=dict(zip(ids, frame["body"].to_list(), strict=True)),
    )


def board_name(figures: pl.DataFrame, src: Sources) -> str:
    """The board whose net cost the flow shows (from the flow's document), or Nämnden."""
    return src.bodies.get(finance.flow_document(figures) or "", "Nämnden")


# What the page computes with before anyone has typed an assumption.
NO_ASSUMPTIONS = finance.Assumptions()


def period_choices(
    figures: finance.Figures,
) -> tuple[list[finance.Period], finance.Period | None]:
    """The years the flow and the goal lights can be shown for (oldest first, empty when
    the documents hold no finance budget) and the one the page opens on."""
    choices = finance.periods(figures)
    return choices, finance.default_period(choices)


def asks_other_investments(period: finance.Period, worded: list) -> bool:
    """Does the page ask for the other boards' investments: the period's document states
    a goal in words (self-financing) that needs them?"""
    return finance.has_worded_goal(period, worded)


def unknown_lines(
    figures: finance.Figures,
    src: Sources,
    worded: list,
    period: finance.Period | None,
    assumptions: finance.Assumptions,
) -> list[str]:
    """What the sources cannot tell the page, then what the user has assumed instead."""
    lines = finance.unknowns(figures, board_name=board_name(figures, src), worded=worded)
    assumed = assumption_line(period, assumptions) if period is not None else None
    return [*lines, *filter(None, [assumed])]


def flow_caption(
    period: finance.Period, board: str, switching: list[str], assumptions: finance.Assumptions
) -> str:
    """The caption under the flow picture: the colours and the items that change side."""
    return (
        f"{period.label}. Grönt kommer in till finansförvaltningen, rött går ut, blått är "
        f"{board.lower()}s nettokostnad. Poster med beloppet noll visas inte i bilden men "
        "står i tabellen. En post byter sida när dess tecken byter"
        + (f" (mellan åren: {', '.join(switching)})." if switching else ".")
        + (
            " Gult är ditt antagande om övriga nämnder."
            if assumptions.other_boards_net_cost is not None
            else ""
        )
    )


def side_notes(findings: pl.DataFrame, year: int) -> list[str]:
    """One line per finding beside the flow: where it is, its class, printed and computed."""
    return [
        f"Datakvalitet, {f['table_title']} · {f['line_label']} · {f['column_label']}: "
        f"{f['klass']} – tryckt {fmt.tkr(f['reported'])}, beräknat {fmt.tkr(f['computed'])}."
        for f in finance.side_notes(findings, year).iter_rows(named=True)
    ]


def trend_with_text(trend: pl.DataFrame, mode: str) -> pl.DataFrame:
    """The trend with the label each point shows: tkr, or an index with one decimal."""
    return trend.with_columns(
        text=trend["value"].map_elements(fmt.tkr, return_dtype=str)
        if mode == "belopp"
        else trend["index"].map_elements(lambda v: fmt.number(v, 1), return_dtype=str)
    )


def assumption_line(period: finance.Period, assumptions: finance.Assumptions) -> str | None:
    """What the user has assumed about the other boards, said back to them."""
    if assumptions.other_boards_net_cost is None:
        return None
    return (
        f"Du har antagit att övriga nämnder kostar "
        f"{fmt.tkr(assumptions.other_boards_net_cost)} {period.label}. Resultat och ljus som "
        "bygger på det är markerade som beräknade med antagandet."
    )


def page_goals(
    figures: pl.DataFrame,
    period: finance.Period | None,
    assumptions: finance.Assumptions,
    *,
    doc_names: dict[str, str],
    worded: list,
) -> tuple[list[finance.GoalAssessment], list[finance.GoalAssessment]]:
    """The page's financial goals: those assessed for the chosen year (result goal,
    self-financing) and the printed ratio goals."""
    assessed = []
    if period is not None:
        result_goal = finance.result_goal_assessment(
            figures, period, assumptions, doc_names=doc_names
        )
        self_financing = finance.self_financing_assessment(
            figures, period, assumptions, doc_names=doc_names, worded=worded
        )
        assessed = [g for g in (result_goal, self_financing) if g is not None]
    return assessed, finance.ratio_goals(figures, doc_names=doc_names)


def balance_line(balance: finance.FlowBalance) -> str:
    """The flow's check in words: in − out against the printed totals (none corrected)."""
    if balance.printed_figures_agree:
        return f"In − ut = {fmt.tkr(balance.line_sum)}, samma som den tryckta summan."
    return (
        f"Källan säger emot sig själv för {balance.period.label}. De tryckta raderna "
        f"summerar till {fmt.tkr(balance.line_sum)} (det är flödet i bilden), men tabellens "
        f"Summa är tryckt {fmt.tkr(balance.printed_total)} och sammanställningens "
        f"Nettokostnad {fmt.tkr(balance.printed_net)}. Alla tre visas; ingen siffra har "
        "rättats."
    )


def _printable(flow_rows: pl.DataFrame) -> pl.DataFrame:
    """The posts' table for paper: the source line as words ("rad 463"), so the column
    is text and the table keeps its grid on an A4 page."""
    if "Rad i källan" not in flow_rows.columns:
        return flow_rows
    return flow_rows.with_columns(
        pl.format("rad {}", pl.col("Rad i källan")).alias("Rad i källan")
    ).rename({"Rad i källan": "Källa"})


def goal_section(goal: finance.GoalAssessment, rows: pl.DataFrame) -> DocSection:
    """One financial goal: its light in words, the target, the verdict, the working."""
    light = f"{finance.STATUS_LABELS[goal.status]} ({LIGHT_WORDS[goal.status]})"
    lines = [f"Status: {light}.", f"Mål: {goal.target}", unmarked(goal.verdict)]
    lines += list(goal.notes)
    lines += [f"– {unmarked(c)}" for c in goal.calculation]
    lines.append(f"Källa: {goal.source}")
    tables = [] if rows.is_empty() else [DocTable(rows)]
    return DocSection(f"Finansiellt mål: {goal.name}", lines=lines, tables=tables)


def document_sections(
    figures: pl.DataFrame,
    findings: pl.DataFrame,
    src: Sources,
    worded: list,
    period: finance.Period | None,
    assumptions: finance.Assumptions,
    *,
    flow_rows: pl.DataFrame | None,
    goals: list[tuple[finance.GoalAssessment, pl.DataFrame]],
) -> list[DocSection]:
    """The page as the Protokollsbilaga's sections: the flow of the chosen year with its
    key numbers, table and picture; the trend; every financial goal with its light in
    words; what the sources cannot tell. ``flow_rows`` and each goal's frame are the
    tables as the page shows them."""
    board = board_name(figures, src)
    sections = []
    if period is None:
        sections.append(
            DocSection(
                "Varifrån pengarna kommer och vart de går",
                lines=[
                    "Organisationens dokument innehåller ingen driftbudget för "
                    "finansförvaltningen, så flödet från skatter och statsbidrag till "
                    "nämnderna kan inte visas."
                ],
            )
        )
    else:
        balance = finance.flow_balance(figures, period)
        year_findings = finance.findings_for(findings, period.year, finance.FINANCE_TABLES)
        nodes, links = finance.flow_graph(
            figures,
            period,
            assumptions,
            board_name=board,
            flagged=not finance.serious(year_findings).is_empty(),
        )
        lines = [
            f"In till finansförvaltningen: {fmt.tkr(balance.inflows)}",
            f"Ut från finansförvaltningen: {fmt.tkr(balance.outflows)}",
            f"Netto till nämnderna (tryckt summa): {fmt.tkr(balance.printed_total)}",
            balance_line(balance),
            *side_notes(findings, period.year),
        ]
        assumed = assumption_line(period, assumptions)
        if assumed:
            lines.append(assumed)
        lines.append(f"Källa: {src.doc_names.get(period.doc_id, period.doc_id)}.")
        sections.append(
            DocSection(
                f"Varifrån pengarna kommer och vart de går – {period.label}",
                lines=lines,
                tables=[DocTable(_printable(flow_rows))] if flow_rows is not None else [],
                charts=[DocChart(fin_charts.flow_sankey(nodes, links), 1000, 600)],
            )
        )
        trend = finance.trend(figures, findings, board_name=board)
        sections.append(
            DocSection(
                "Utveckling",
                lines=[
                    "Belopp i tkr utan tecken (en ökning är alltid en ökning). Första året är "
                    "bokslut (utfall), övriga budget och plan. ⚠ = källan säger emot sig "
                    "själv det året."
                ],
                tables=[
                    DocTable(finance.trend_table(trend), "Belopp, tkr"),
                    DocTable(finance.growth_table(trend), "Förändring i procent"),
                ],
                charts=[
                    DocChart(
                        fin_charts.trend_chart(
                            trend_with_text(trend, "belopp"),
                            "column_label",
                            "value",
                            "series_label",
                            text="text",
                        ),
                        1000,
                        460,
                    )
                ],
            )
        )
    sections += [goal_section(goal, rows) for goal, rows in goals]
    if not goals:
        sections.append(
            DocSection(
                "Finansiella mål",
                lines=["Organisationens dokument anger inga finansiella mål med siffror."],
            )
        )
    sections.append(
        DocSection(
            "Det källorna inte säger",
            lines=[f"– {u}" for u in unknown_lines(figures, src, worded, period, assumptions)],
        )
    )
    return sections
