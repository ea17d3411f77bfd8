"""Scenarier's outputs: key numbers, the net cost chart and the tables behind them (per
year, per verksamhet, the municipality's result) and the assumptions."""

from __future__ import annotations

from itertools import zip_longest
from typing import TYPE_CHECKING

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from budgetrummet import fmt, vocab
from budgetrummet import scenarios as sc
from budgetrummet.charts import CHART_CONFIG
from budgetrummet.charts import scenarios as charts
from budgetrummet.presenters import scenarios as pr
from budgetrummet.ui.components import quality_link
from budgetrummet.ui.scenarios import DETAIL_TABS_KEY, FLAG, Keys, _amount

if TYPE_CHECKING:
    from budgetrummet.ui.scenario_view import DetailSlots


def dq_link() -> None:
    """A link to the Datakvalitet page."""
    quality_link("Datakvalitet")


def key_numbers(b: sc.Baseline, r: sc.ScenarioResult, own_others: bool = False) -> None:
    """Per scenario year: net cost against the plan, the result against the goal, the cut.

    One column per year holding both of its figures (one set of columns: every element
    counts when the fragment reruns at a slider's move). The municipality's result rests
    on an assumption about the other boards (``own_others``: the user's own, else that
    they exactly meet their frames); the label and the line under the figures say so.
    """
    results = r.result_rows or ()
    for col, row, res in zip_longest(st.columns(max(len(b.years), 3)), r.year_rows, results):
        if row is None:
            break
        _metric(col, pr.net_cost(b, row))
        if res is not None:
            _metric(col, pr.municipal_result(b, res, own_others))
    st.markdown(pr.requirement_line(b, r))
    if results:
        st.caption(pr.result_caption(own_others))


def _metric(col: DeltaGenerator, k: pr.KeyNumber) -> None:
    col.metric(
        k.label,
        k.value,
        delta=k.delta,
        delta_color=k.delta_color,
        delta_arrow="off",
        delta_description=k.delta_description,
        help=k.help,
    )


def key_notes(b: sc.Baseline, *, notes: bool = True) -> None:
    """Under the key numbers: what they rest on (the same for every lever: drawn by the
    full run, after the fragment's key numbers in the same container)."""
    if notes and b.notes:
        st.caption(b.notes[0] + " Fler antaganden under fliken Antaganden.")
    if b.finance is None or b.goal_percent is None:
        st.caption(
            "Kommunens resultat kan inte räknas: skatteintäkter och generella statsbidrag "
            "saknas i dokumentet."
        )


def chart_frame(b: sc.Baseline, r: sc.ScenarioResult) -> pl.DataFrame:
    """The document's net cost per year and the scenario's where the levers act.

    Made from plain rows: no Polars query at a slider's move."""
    scen = {row["year"]: row["scenario_net"] for row in r.year_rows}
    # The last year before the levers act, for context; earlier years only widen the scale.
    shown = set(b.years) | set(b.history[-1:])
    rows = [t for year, t in b.total_rows.items() if year in shown]
    return pl.DataFrame(
        {
            "year": [t["year"] for t in rows],
            "column_label": [t["column_label"] for t in rows],
            "plan_net": [t["net"] for t in rows],
            "scenario_net": [scen.get(t["year"]) for t in rows],
        },
        schema={
            "year": pl.Int32,
            "column_label": pl.String,
            "plan_net": vocab.DECIMAL,
            "scenario_net": vocab.DECIMAL,
        },
    )


def _cell(b: sc.Baseline, value: object, flag: str | None = None, *, signed=False) -> str:
    text = _amount(b, value, signed=signed) if value is not None else fmt.EMPTY
    return f"{text} {FLAG}" if flag else text


def show(frame: pl.DataFrame, first_width: str = "medium") -> None:
    first = frame.columns[0]
    config = {first: st.column_config.TextColumn(width=first_width)}
    for col in frame.columns[1:]:
        config[col] = st.column_config.TextColumn(alignment="right")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=35 * (frame.height + 1) + 3,
        column_config=config,
    )


def plot(fig, key: str) -> None:
    """A chart with the house template (Streamlit's own theme would override it)."""
    st.plotly_chart(
        fig, width="stretch", theme=None, key=key, config=CHART_CONFIG | {"displaylogo": False}
    )


def year_table(b: sc.Baseline, r: sc.ScenarioResult) -> pl.DataFrame:
    """The per-year table: rows are the steps from the plan to the scenario."""
    rows = list(r.years.iter_rows(named=True))
    labels = [row["column_label"] for row in rows]

    def line(name: str, values: list[str]) -> dict:
        return {"Post": name, **dict(zip(labels, values, strict=True))}

    return pl.DataFrame(
        [
            line(
                "Nettokostnad enligt dokumentet",
                [_cell(b, x["plan_net"], x["plan_flag"]) for x in rows],
            ),
            line(
                f"Effektiviseringskrav, % av {b.base_label}",
                [fmt.percent(x["requirement_percent"]) for x in rows],
            ),
            line(
                f"Effektiviseringskrav, {b.unit} (besparing att hitta året)",
                [_amount(b, x["requirement"]) for x in rows],
            ),
            line(
                "varav redan i dokumentets budget",
                [_amount(b, x["documented_requirement"]) for x in rows],
            ),
            line(
                f"Besparing utöver {pr.reference(b)} (ackumulerad)",
                [_amount(b, x["savings"], signed=True) for x in rows],
            ),
            line(
                "Pris- och löneindex",
                [_amount(b, x["index_effect"], signed=True) for x in rows],
            ),
            line("Kostnadsrisker", [_amount(b, x["risk_effect"], signed=True) for x in rows]),
            line(
                f"Förändring mot {pr.reference(b)}",
                [_amount(b, x["change"], signed=True) for x in rows],
            ),
            line("Nettokostnad i scenariot", [_amount(b, x["scenario_net"]) for x in rows]),
        ]
    )


def line_table(b: sc.Baseline, r: sc.ScenarioResult, year: int) -> pl.DataFrame:
    """One year per verksamhet: the printed net cost, the requirement's share, the change."""
    label = b.year_labels[year]
    change_label = f"Förändring mot {pr.reference(b)}"
    lines = r.lines.filter(pl.col("year") == year).sort("row_no")
    yr = r.years.filter(pl.col("year") == year).row(0, named=True)
    rows = []
    for x in lines.iter_rows(named=True):
        note = "undantagen" if x["exempt"] else ("nettointäkt" if x["plan_net"] >= 0 else "")
        rows.append(
            {
                "Verksamhet": x["line_label"],
                f"{label} enligt dokumentet": _cell(b, x["plan_net"], x["flag"]),
                "Andel av årets krav": _amount(b, x["requirement_share"]),
                change_label: _amount(b, x["change"], signed=True),
                "Scenario": _amount(b, x["scenario_net"]),
                "Anmärkning": note or b.joint_notes.get(x["line_key"], ""),
            }
        )
    line_sum = sum((x["plan_net"] for x in lines.iter_rows(named=True)), sc.ZERO)
    extra = [
        ("Pris- och löneindex (ej fördelat på verksamhet)", None, yr["index_effect"]),
        ("Kostnadsrisker", None, yr["risk_effect"]),
    ]
    for name, plan, change in extra:
        rows.append(
            {
                "Verksamhet": name,
                f"{label} enligt dokumentet": fmt.EMPTY if plan is None else _amount(b, plan),
                "Andel av årets krav": fmt.EMPTY,
                change_label: _amount(b, change, signed=True),
                "Scenario": fmt.EMPTY,
                "Anmärkning": "",
            }
        )
    total_note = (
        f"tryckt summa; raderna summerar till {_amount(b, line_sum)}"
        if line_sum != yr["plan_net"]
        else "tryckt summa"
    )
    rows.append(
        {
            "Verksamhet": "Summa",
            f"{label} enligt dokumentet": _cell(b, yr["plan_net"], yr["plan_flag"]),
            "Andel av årets krav": _amount(b, yr["requirement"]),
            change_label: _amount(b, yr["change"], signed=True),
            "Scenario": _amount(b, yr["scenario_net"]),
            "Anmärkning": total_note,
        }
    )
    return pl.DataFrame(rows)


def result_table(b: sc.Baseline, r: sc.ScenarioResult) -> pl.DataFrame | None:
    """From the plan's result to the scenario's, per year, in the document's unit and %."""
    if r.result is None:
        return None
    rows = list(r.result.iter_rows(named=True))
    labels = [b.year_labels[x["year"]] for x in rows]

    def line(name: str, values: list[str]) -> dict:
        return {"Post": name, **dict(zip(labels, values, strict=True))}

    goal = fmt.percent(b.goal_percent)
    return pl.DataFrame(
        [
            line(
                "Skatteintäkter och generella statsbidrag",
                [_amount(b, x["tax_and_grants"]) for x in rows],
            ),
            line(f"Resultatmål ({goal})", [_amount(b, x["goal_amount"]) for x in rows]),
            line("Finansförvaltningens nettokostnad", [_amount(b, x["finance_net"]) for x in rows]),
            line(
                "Kommunstyrelsens nettokostnad enligt dokumentet",
                [_amount(b, x["board_plan_net"]) for x in rows],
            ),
            line(
                "Övriga nämnders nettokostnad (antagande)",
                [
                    _amount(b, x["other_boards"])
                    + (" (mål i plan)" if x["other_boards_assumed"] else " (eget)")
                    for x in rows
                ],
            ),
            line("Kommunens resultat i planen", [_amount(b, x["plan_result"]) for x in rows]),
            line("Scenariots förändring", [_amount(b, x["change"], signed=True) for x in rows]),
            line(
                "Kommunens resultat i scenariot", [_amount(b, x["scenario_result"]) for x in rows]
            ),
            line(
                "Resultat, % av skatt och bidrag",
                [fmt.percent(x["scenario_result_percent"], 2) for x in rows],
            ),
            line("Mot resultatmålet", [_amount(b, x["gap_to_goal"], signed=True) for x in rows]),
        ]
    )


def _result_chart_frame(b: sc.Baseline, r: sc.ScenarioResult) -> pl.DataFrame:
    labels = b.year_labels
    return r.result.with_columns(
        pl.col("year").replace_strict(labels, return_dtype=pl.String).alias("column_label")
    )


def assumptions(b: sc.Baseline) -> None:
    """What the page assumes and where every lever's default comes from."""
    st.markdown("**Antaganden**")
    for note in b.notes:
        st.markdown(f"- {note}")
    rule = (
        f"Kravet i {b.unit} = procent × {b.base_label}, avrundat till närmaste "
        f"{'hela tkr' if b.unit == 'tkr' else '0,1 mkr'} (hälften uppåt)."
    )
    for year, doc in b.documented.items():
        rule += (
            f" Vid dokumentets egen procentsats ({fmt.percent(doc.percent)} för {year}) "
            f"används dokumentets belopp {_amount(b, doc.amount)} (rad {doc.source_line}); "
            f"{fmt.percent(doc.percent)} är dokumentets avrundning av "
            f"{_amount(b, doc.amount)} / {_amount(b, b.base[year])} = "
            f"{fmt.percent(doc.amount / b.base[year] * 100, 3)}."
        )
    st.markdown(f"- {rule}")
    st.markdown(
        "- Dokumentets budget innehåller redan dess eget krav. Scenariot ändrar därför "
        "nettokostnaden med kravet utöver dokumentets, och ett krav ligger kvar följande år "
        "(en varaktig besparing)."
    )
    st.markdown(
        "- Kravet fördelas på verksamheter med nettokostnad i proportion till nettokostnaden, "
        "i hela enheter med största-rest-metoden så att andelarna summerar exakt. Rader med "
        "nettointäkt och undantagna rader bär inget."
    )
    st.markdown(
        "- Pris- och löneindex räknas på nämndens tryckta bruttokostnader, ackumulerat över "
        "åren; intäkterna räknas inte upp."
    )
    if b.measures:
        st.markdown(f"**Så avser nämnden möta kravet {b.years[0]} (dokumentet)**")
        for m in b.measures:
            st.markdown(f"- {m}")


def details_layout(
    b: sc.Baseline,
) -> tuple[DeltaGenerator | None, DeltaGenerator | None, DeltaGenerator | None]:
    """The tabs behind the key numbers (full run): containers for the three that follow
    the levers (drawn by the fragment, ``details``), and the assumptions."""
    # Tracked tabs: only the open one is drawn, so a slider's move redraws one table and
    # one chart below the key numbers, not three of each (a switch of tab reruns).
    tabs = st.tabs(
        ["Per år", "Per verksamhet", "Resultat", "Antaganden"],
        key=DETAIL_TABS_KEY,
        on_change="rerun",
    )
    with tabs[3]:
        assumptions(b)
    per_year, per_line, result = (
        tab.container() if tab.open is not False else None for tab in tabs[:3]
    )
    return per_year, per_line, result


def details(b: sc.Baseline, r: sc.ScenarioResult, slots: DetailSlots) -> None:
    """The tables behind the key numbers, for the levers the sliders show (fragment)."""
    k = Keys(b.org_id)
    if slots.per_year is not None:
        with slots.per_year:
            show(year_table(b, r))
            plot(change_chart(b, r), "scen_change_chart")
    if slots.per_line is not None:
        with slots.per_line:
            _line_tab(b, r, k)
    if slots.result is not None:
        with slots.result:
            _result_tab(b, r)


def _line_tab(b: sc.Baseline, r: sc.ScenarioResult, k: Keys) -> None:
    year = b.years[0]
    if len(b.years) > 1:
        year = st.radio(
            "År",
            options=list(b.years),
            format_func=b.year_labels.__getitem__,
            horizontal=True,
            key=k.year,
        )
    show(line_table(b, r, year))
    if (
        r.lines.filter(pl.col("flag").is_not_null()).height
        or r.years["plan_flag"].drop_nulls().len()
    ):
        st.caption(
            f"{FLAG} = datakvalitetsflagga: siffran visas som den är tryckt, men den ingår i "
            "en avvikelse (t.ex. avrundning) eller är rättad med ett erratum."
        )
        dq_link()


def _result_tab(b: sc.Baseline, r: sc.ScenarioResult) -> None:
    table = result_table(b, r)
    if table is None:
        st.info(
            "Dokumentet saknar skatteintäkter och generella statsbidrag; effekten på "
            "kommunens resultat mot ett resultatmål kan inte räknas."
        )
    else:
        show(table)
        plot(charts.result_chart(_result_chart_frame(b, r)), "scen_result_chart")


def net_chart(b: sc.Baseline, r: sc.ScenarioResult, meeting: bool):
    """The net cost chart: the document's line and the scenario's, larger in a meeting."""
    return charts.net_cost_chart(
        chart_frame(b, r),
        unit=b.unit,
        font_size=22 if meeting else 15,
        height=400 if meeting else 440,
        plan_name=pr.plan_name(b),
    )


def change_chart(b: sc.Baseline, r: sc.ScenarioResult):
    """What moves the net cost, per lever and year, against the plan (or the budget)."""
    reference = pr.reference(b)
    components = tuple(
        (column, f"Effektivisering utöver {reference}" if column == "savings" else name, color)
        for column, name, color in charts.COMPONENTS
    )
    return charts.change_chart(
        r.years, unit=b.unit, title=f"Förändring mot {reference}", components=components
    )
