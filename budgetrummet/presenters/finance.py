"""Finansförvaltning's presenter: the page's frames in, its texts and tables out (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from budgetrummet import finance, fmt


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
