"""Streamlit components of the Scenarier page: levers, outputs, save/load/compare/share.

State: every lever is a widget keyed per organisation (``scen_<org>_…``); the last valid
levers are kept as plain strings (``scen_<org>_levers``) so they survive a visit to
another page, and mirrored into the URL as plain, validated query parameters
(``?org=askersund&krav_2026=2.5``). A link is read once, when the session starts; an
invalid link is refused with a message and the document's own levers are used.

What reruns when a lever moves. A budget committee drags the sliders live, so a move
must show its effect at once: the sliders (krav, index), the key numbers (net cost and
result per year, the requirement line) and the net cost chart run in one ``st.fragment``
(``live_view``) and nothing else does. The fragment draws into containers the page lays
out around it (Streamlit lets a fragment write into outside containers), so the lever
tabs keep their place next to the chart. Everything else is drawn by the full run:
exemptions, cost risks and other boards' assumptions (typed or picked, not dragged;
changing one reruns the page), and saving, loading and deleting. What follows the
levers below the chart (the tables under "Per år" …, the description of the levers to
save, the comparison and the share link) is drawn by the fragment too, after the key
numbers and the chart, into containers the full run laid out: whatever is on screen is
the current scenario, and the address bar follows every move.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest
from urllib.parse import urlencode

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from budgetrummet import access, fmt, vocab
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.charts import CHART_CONFIG
from budgetrummet.charts import scenarios as charts
from budgetrummet.fmt import plain
from budgetrummet.presenters import scenarios as pr
from budgetrummet.ui import frozen as frozen_ui
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.auth import current_actor, who_caption
from budgetrummet.ui.components import quality_link
from budgetrummet.ui.data import derived, query
from budgetrummet.ui.org import current_org_name
from budgetrummet.writes import scenarios as sc_writes

MEETING_KEY = "scen_mote"
MEETING_PARAM = "mote"
URL_READ = "scen_url_read"
NAME_KEY = "scen_name"
FLAG = pr.FLAG
CURRENT = "__aktuellt__"
CURRENT_LABEL = "Aktuella reglage"
TENTH = Decimal("0.1")
LEVER_TABS = ["Krav", "Index", "Risker", "Övriga"]

# Slider steps are tenths of a percent; their labels are formatted once, not at every run.
DETAIL_TABS_KEY = "scen_detaljflik"

REQUIREMENT_STEPS = list(range(0, 51))
INDEX_STEPS = list(range(-50, 51))
_TENTHS = {v: fmt.percent(Decimal(v) * TENTH, 1) for v in INDEX_STEPS}
_SIGNED_TENTHS = {v: fmt.percent(Decimal(v) * TENTH, 1, signed=True) for v in INDEX_STEPS}

# Meeting mode: no sidebar, larger type. A constant stylesheet, no data in it.
MEETING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"],
[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1rem; max-width: 100%; }
[data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
[data-testid="stMetricValue"] p { font-size: 2.5rem !important; line-height: 1.2; }
[data-testid="stMetricDelta"] p, [data-testid="stMetricDeltaDescription"] p {
  font-size: 1.2rem !important;
}
h1 { font-size: 2rem !important; padding: 0.25rem 0 !important; }
</style>
"""


# Characters that could turn typed text into a link, an image, HTML, maths or emphasis.
def problem_list(problems: list[str]) -> str:
    return "\n".join(f"- {plain(p)}" for p in problems)


class Keys:
    """Widget and state keys of one organisation's levers."""

    def __init__(self, org_id: str) -> None:
        self.prefix = f"scen_{org_id}_"
        self.exempt = self.prefix + "undantag"
        self.others_on = self.prefix + "ovriga_egna"
        self.levers = self.prefix + "levers"
        self.message = self.prefix + "meddelande"
        self.chosen = self.prefix + "vald"
        self.confirm = self.prefix + "bekrafta"
        self.compare = self.prefix + "jamfor"
        self.year = self.prefix + "ar"
        # The levers the full run's tables were drawn with (None while a full run draws).

    def req(self, year: int) -> str:
        return f"{self.prefix}krav_{year}"

    def idx(self, year: int) -> str:
        return f"{self.prefix}index_{year}"

    def risk(self, key: str) -> str:
        return f"{self.prefix}risk_{key}"

    def risk_years(self, key: str) -> str:
        return f"{self.prefix}risk_{key}_ar"

    def others(self, year: int) -> str:
        return f"{self.prefix}ovriga_{year}"


# ----------------------------------------------------------------------------- baseline


def budget_documents(org_id: str) -> list[sc.BudgetDocument]:
    """The organisation's budget documents a scenario can start from, newest first."""
    return sc.budget_documents(
        query(
            "scen_budget_columns",
            org_id=org_id,
            table_ids=list(sc.BUDGET_COLUMN_TABLES),
        )
    )


def forget_levers(org_id: str) -> None:
    """Drop the organisation's lever state (another budget document has other years)."""
    prefix = Keys(org_id).prefix
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def load_baseline(org_id: str, doc_id: str | None = None) -> sc.Baseline | None:
    """The scenario baseline of the organisation's newest budget document (or of
    ``doc_id``), or None when it has no budget document."""
    # Built once per organisation, document and publication and kept in the query cache
    # (a baseline never changes after it is built): the cached frames and the baseline's
    # own Polars work cost more per run than a look-up of the finished baseline.
    return derived(
        "scenario_baseline", lambda: _baseline(org_id, doc_id), org_id=org_id, doc_id=doc_id
    )


def _baseline(org_id: str, doc_id: str | None) -> sc.Baseline | None:
    # Figures and texts are read with one query per document, not one per table
    # (``sc.load_inputs``).
    layout, _ = sc.load_layout(query, org_id, doc_id)
    if layout is None:
        return None
    figures, texts = sc.load_inputs(query, org_id, layout)
    return sc.build_baseline(org_id, layout, figures, texts)


_amount = pr.amount


def _plain(b: sc.Baseline, value: object) -> str:
    return fmt.number(value, vocab.decimals(b.unit))


# -------------------------------------------------------------------------------- state


def set_state(b: sc.Baseline, p: sc.ScenarioParams) -> None:
    """Put ``p`` into the widgets (before they are drawn, or from a callback)."""
    k = Keys(b.org_id)
    ss = st.session_state
    for year in b.years:
        ss[k.req(year)] = int(p.requirement_for(year) / TENTH)
        ss[k.idx(year)] = int(p.index_for(year) / TENTH)
    order = b.carrying_keys()
    ss[k.exempt] = [key for key in order if key in p.exempt]
    chosen = {key: (amount, years) for key, amount, years in p.risks}
    for risk in b.risks:
        amount, years = chosen.get(risk.key, (None, risk.default_years))
        ss[k.risk(risk.key)] = "" if amount is None else _plain(b, amount)
        ss[k.risk_years(risk.key)] = list(years)
    if b.finance is not None and b.goal_percent is not None:
        overrides = dict(p.other_boards)
        ss[k.others_on] = bool(overrides)
        for year in b.years:
            ss[k.others(year)] = _plain(b, overrides.get(year, sc.default_other_boards(b, year)))
    ss[k.levers] = sc.params_to_mapping(b, p)


def init_state(b: sc.Baseline) -> list[str]:
    """Fill the widgets when the page is drawn without them; returns link problems.

    Order: the levers this session last used for the organisation, else (once per
    session) the link's query parameters, else the document's own levers.
    """
    k = Keys(b.org_id)
    ss = st.session_state
    problems: list[str] = []
    if MEETING_KEY not in ss:
        flag = st.query_params.get(MEETING_PARAM)
        if flag not in (None, "0", "1"):
            problems.append(f"{MEETING_PARAM}: ”{flag[:20]}” – ange 1 eller 0.")
        ss[MEETING_KEY] = flag == "1"
    if k.req(b.years[0]) in ss:
        return problems
    params = sc.document_params(b)
    if k.levers in ss:
        try:
            params = sc.params_from_mapping(b, ss[k.levers])
        except sc.ScenarioInputError:
            params = sc.document_params(b)
    elif not ss.get(URL_READ):
        link = {name: st.query_params.get(name) for name in st.query_params}
        try:
            params = sc.params_from_mapping(b, link)
        except sc.ScenarioInputError as exc:
            problems += exc.problems
    ss[URL_READ] = True
    set_state(b, params)
    return problems


def params_from_state(b: sc.Baseline) -> tuple[sc.ScenarioParams | None, list[str]]:
    """The levers the widgets show, validated exactly like a link; problems if any."""
    k = Keys(b.org_id)
    ss = st.session_state
    mapping: dict[str, str] = {}
    problems: list[str] = []
    for year in b.years:
        mapping[f"krav_{year}"] = str(Decimal(ss[k.req(year)]) * TENTH)
        mapping[f"index_{year}"] = str(Decimal(ss[k.idx(year)]) * TENTH)
    if ss.get(k.exempt):
        mapping[sc.EXEMPT_PARAM] = ",".join(ss[k.exempt])
    for risk in b.risks:
        text = (ss.get(k.risk(risk.key)) or "").strip()
        years = ss.get(k.risk_years(risk.key)) or []
        if not text:
            continue
        if not years:
            problems.append(f"Välj minst ett år för ”{risk.label}”.")
            continue
        mapping[f"risk_{risk.key}"] = text
        mapping[f"risk_{risk.key}_ar"] = ",".join(str(y) for y in years)
    if ss.get(k.others_on):
        for year in b.years:
            mapping[f"ovriga_{year}"] = ss.get(k.others(year)) or ""
    try:
        params = sc.params_from_mapping(b, mapping)
    except sc.ScenarioInputError as exc:
        return None, problems + exc.problems
    return (None if problems else params), problems


def current_params(b: sc.Baseline) -> sc.ScenarioParams:
    """The last valid levers (what the outputs show)."""
    k = Keys(b.org_id)
    try:
        return sc.params_from_mapping(b, st.session_state.get(k.levers, {}))
    except sc.ScenarioInputError:
        return sc.document_params(b)


def sync_url(b: sc.Baseline, p: sc.ScenarioParams, meeting: bool) -> None:
    """Mirror the levers into the address bar; other parameters (``org``) are kept."""
    wanted = sc.params_to_mapping(b, p)
    if meeting:
        wanted[MEETING_PARAM] = "1"
    qp = st.query_params
    for name in list(qp):
        if (sc.is_lever_param(name) or name == MEETING_PARAM) and name not in wanted:
            del qp[name]
    for name, value in wanted.items():
        if qp.get(name) != value:
            qp[name] = value


def share_link(b: sc.Baseline, p: sc.ScenarioParams, meeting: bool = False) -> str:
    """The link that opens this scenario: the page's address plus plain parameters."""
    params = {"org": b.org_id, **sc.params_to_mapping(b, p)}
    if meeting:
        params[MEETING_PARAM] = "1"
    base = st.context.url or ""
    return f"{base}?{urlencode(params, safe=',:')}"


# ------------------------------------------------------------------------------- levers


def requirement_sliders(b: sc.Baseline) -> None:
    """One slider per year: the efficiency requirement in % of the frame (in the fragment)."""
    k = Keys(b.org_id)
    doc = b.documented
    for year in b.years:
        hint = (
            f"Dokumentet: {fmt.tkr(doc[year].amount)} = {fmt.percent(doc[year].percent)}"
            f" av {b.base_label}."
            if year in doc
            else "Dokumentet anger inget krav för året (0 %)."
        )
        st.select_slider(
            f"Effektiviseringskrav {b.year_labels[year]}, % av {b.base_label}",
            options=REQUIREMENT_STEPS,
            format_func=_TENTHS.__getitem__,
            key=k.req(year),
            help=hint,
        )


def index_sliders(b: sc.Baseline) -> None:
    """One slider per year: the change of the price and wage level (in the fragment)."""
    k = Keys(b.org_id)
    for year in b.years:
        st.select_slider(
            f"Pris- och löneindex {b.year_labels[year]}",
            options=INDEX_STEPS,
            format_func=_SIGNED_TENTHS.__getitem__,
            key=k.idx(year),
        )


def index_caption() -> None:
    st.caption(
        "Ändrad pris- och lönenivå jämfört med planen, per år. Ändringarna ackumuleras "
        "och räknas på nämndens bruttokostnader."
    )


def exemption_input(b: sc.Baseline) -> None:
    """Lines exempted from the requirement (under the sliders; a change reruns the page)."""
    names = b.line_labels()
    st.multiselect(
        "Undantas från kravet",
        options=b.carrying_keys(),
        format_func=lambda key: (
            names[key] + (f" ({b.joint_notes[key]})" if key in b.joint_notes else "")
        ),
        key=Keys(b.org_id).exempt,
        select_all=False,  # Streamlit's "Select all" entry is English
        placeholder="Alla verksamheter bär kravet",
        help=(
            "Rader nämnden inte kan påverka, t.ex. avgifter till förbund. Kravet fördelas "
            "då på övriga rader i proportion till deras nettokostnad."
        ),
    )


def risk_inputs(b: sc.Baseline) -> None:
    """Each named cost risk: its printed text, a suggested amount, amount and years."""
    k = Keys(b.org_id)
    if not b.risks:
        st.info("Dokumentet namnger inga kostnadsrisker med belopp.")
    for risk in b.risks:
        with st.container(border=True):
            st.markdown(f"**{risk.label}**")
            if risk.text:
                st.caption(f"”{risk.text}” (dokumentet, rad {risk.source_line})")
            if risk.note:
                st.caption(risk.note)
            if risk.suggestion is not None:
                st.caption(risk.suggestion_note)
                st.button(
                    f"Använd {_amount(b, risk.suggestion)}",
                    key=f"{k.risk(risk.key)}_forslag",
                    on_click=_use_suggestion,
                    args=(b.org_id, risk.key, _plain(b, risk.suggestion)),
                )
            st.text_input(
                f"Belopp per år, {b.unit}",
                key=k.risk(risk.key),
                placeholder="0",
                help="Tomt eller 0 = risken räknas inte med.",
            )
            st.multiselect(
                "År", options=list(b.years), key=k.risk_years(risk.key), select_all=False
            )


def _use_suggestion(org_id: str, risk_key: str, text: str) -> None:
    st.session_state[Keys(org_id).risk(risk_key)] = text


def _others_panel(b: sc.Baseline) -> None:
    k = Keys(b.org_id)
    if b.finance is None or b.goal_percent is None:
        st.info(
            "Dokumentet saknar skatteintäkter och generella statsbidrag, så kommunens "
            "resultat kan inte räknas. Förändringen av nettokostnaden slår igenom krona för "
            "krona på resultatet."
        )
        return
    st.caption(
        "Övriga nämnders nettokostnad finns inte i dokumenten. Antagandet är att kommunens "
        f"budget precis når resultatmålet {fmt.percent(b.goal_percent)} i planen; då blir "
        "övriga nämnders nettokostnad det belopp som står nedan."
    )
    st.toggle("Ange egna antaganden", key=k.others_on)
    own = bool(st.session_state.get(k.others_on))
    for year in b.years:
        st.text_input(
            f"Övriga nämnders nettokostnad {b.year_labels[year]}, {b.unit}",
            key=k.others(year),
            disabled=not own,
            help="Som i dokumenten: en nettokostnad skrivs med minustecken.",
        )


# ------------------------------------------------------------------------------ outputs


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


def _show(frame: pl.DataFrame, first_width: str = "medium") -> None:
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


def _plot(fig, key: str) -> None:
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
                "Besparing utöver planen (ackumulerad)",
                [_amount(b, x["savings"], signed=True) for x in rows],
            ),
            line(
                "Pris- och löneindex",
                [_amount(b, x["index_effect"], signed=True) for x in rows],
            ),
            line("Kostnadsrisker", [_amount(b, x["risk_effect"], signed=True) for x in rows]),
            line("Förändring mot planen", [_amount(b, x["change"], signed=True) for x in rows]),
            line("Nettokostnad i scenariot", [_amount(b, x["scenario_net"]) for x in rows]),
        ]
    )


def line_table(b: sc.Baseline, r: sc.ScenarioResult, year: int) -> pl.DataFrame:
    """One year per verksamhet: the printed net cost, the requirement's share, the change."""
    label = b.year_labels[year]
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
                "Förändring mot planen": _amount(b, x["change"], signed=True),
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
                "Förändring mot planen": _amount(b, change, signed=True),
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
            "Förändring mot planen": _amount(b, yr["change"], signed=True),
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
            _show(year_table(b, r))
            _plot(charts.change_chart(r.years, unit=b.unit), "scen_change_chart")
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
    _show(line_table(b, r, year))
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
        _show(table)
        _plot(charts.result_chart(_result_chart_frame(b, r)), "scen_result_chart")


@dataclass(frozen=True)
class Slots:
    """Where the fragment draws: containers the full run lays out around it."""

    top: DeltaGenerator  # messages and key numbers
    requirement: DeltaGenerator  # the "Krav" tab
    index: DeltaGenerator  # the "Index" tab
    chart: DeltaGenerator
    tables: DetailSlots | None  # everything below that follows the levers (None: meeting)


@dataclass(frozen=True)
class DetailSlots:
    """The parts below the chart that show the levers' result: the tables and charts
    under "Per år" …, the description of the levers to save, the comparison and the
    share link. The fragment draws them after the key numbers and the chart, so a
    slider's first figures reach the screen no later than before, and nothing on the
    page shows other levers than the sliders."""

    per_year: DeltaGenerator | None  # None: the tab is closed (not drawn)
    per_line: DeltaGenerator | None
    result: DeltaGenerator | None
    save_caption: DeltaGenerator
    compare: DeltaGenerator
    share: DeltaGenerator


def scenario_view(b: sc.Baseline, meeting: bool) -> None:
    """The page below its title: levers, key numbers and chart (live), then the rest."""
    top = st.container()
    if meeting:
        chart = st.container()
        with st.expander("Reglage", expanded=False):
            tabs = st.tabs(LEVER_TABS)
    else:
        left, chart = st.columns([1, 2], gap="large")
        with left:
            tabs = st.tabs(LEVER_TABS)
    with tabs[1]:
        index_caption()
    tables = None
    if not meeting:
        per_year, per_line, result = details_layout(b)
        save_caption, compare, share = saved_layout(b)
        tables = DetailSlots(per_year, per_line, result, save_caption, compare, share)
    live_view(b, meeting, Slots(top, tabs[0], tabs[1], chart, tables))
    with top:
        key_notes(b, notes=not meeting)
    with tabs[0]:
        exemption_input(b)
    with tabs[2]:
        risk_inputs(b)
    with tabs[3]:
        _others_panel(b)


@st.fragment
def live_view(
    b: sc.Baseline, meeting: bool, slots: Slots
) -> tuple[sc.ScenarioParams, sc.ScenarioResult]:
    """Sliders, key numbers and the net cost chart: all that reruns when a slider moves.

    Returns the levers in use and their result (to the full run; a fragment rerun's
    return value is not used).
    """
    k = Keys(b.org_id)
    with slots.requirement:
        requirement_sliders(b)
    with slots.index:
        index_sliders(b)
    params, problems = params_from_state(b)
    result = None
    if params is not None:
        try:
            result = sc.compute(b, params)
        except sc.ScenarioInputError as exc:
            problems += exc.problems
            params = None
    if params is None:
        params = current_params(b)
        result = sc.compute(b, params)
    else:
        st.session_state[k.levers] = sc.params_to_mapping(b, params)
    sync_url(b, params, meeting)
    with slots.top:
        if problems:
            st.error(
                "Ändringen används inte – siffrorna visar de senaste giltiga reglagen.\n\n"
                + problem_list(problems)
            )
        key_numbers(b, result, own_others=bool(params.other_boards))
    with slots.chart:
        _plot(net_chart(b, result, meeting), "scen_net_chart")
    if slots.tables is not None:
        details(b, result, slots.tables)
        saved_live(b, params, result, slots.tables)
    return params, result


def net_chart(b: sc.Baseline, r: sc.ScenarioResult, meeting: bool):
    """The net cost chart: the document's line and the scenario's, larger in a meeting."""
    return charts.net_cost_chart(
        chart_frame(b, r),
        unit=b.unit,
        font_size=22 if meeting else 15,
        height=400 if meeting else 440,
    )


# ------------------------------------------------------------- save, load, compare, share


def _say(org_id: str, kind: str, text: str) -> None:
    st.session_state[Keys(org_id).message] = (kind, text)


def _save(b: sc.Baseline) -> None:
    ss = st.session_state
    try:
        name = sc.clean_name(ss.get(NAME_KEY, ""))
        sc_writes.save_scenario(b, current_params(b), name, current_actor())
    except (sc.ScenarioInputError, access.AccessDeniedError) as exc:
        _say(b.org_id, "error", str(exc))
        return
    ss[NAME_KEY] = ""
    _say(b.org_id, "success", f"Scenariot ”{name}” är sparat.")


def _saved(b: sc.Baseline) -> pl.DataFrame:
    return query("scen_saved", org_id=b.org_id)


def _load(b: sc.Baseline) -> None:
    k = Keys(b.org_id)
    chosen = st.session_state.get(k.chosen)
    hit = _saved(b).filter(pl.col("scenario_id") == chosen)
    if hit.is_empty():
        _say(b.org_id, "error", "Välj ett sparat scenario.")
        return
    row = hit.row(0, named=True)
    try:
        params = sc.params_from_json(b, row["params_json"])
    except sc.ScenarioInputError as exc:
        _say(b.org_id, "error", f"”{row['name']}” kan inte laddas: {exc}")
        return
    set_state(b, params)
    _say(b.org_id, "success", f"Scenariot ”{row['name']}” är laddat.")


def _delete(b: sc.Baseline) -> None:
    k = Keys(b.org_id)
    ss = st.session_state
    chosen = ss.get(k.chosen)
    hit = _saved(b).filter(pl.col("scenario_id") == chosen)
    if hit.is_empty():
        _say(b.org_id, "error", "Välj ett sparat scenario.")
        return
    if not ss.get(k.confirm):
        _say(b.org_id, "error", "Kryssa i att du vill ta bort scenariot.")
        return
    name = hit["name"][0]
    try:
        sc_writes.delete_scenario(b.org_id, chosen, current_actor())
    except (sc.ScenarioInputError, access.AccessDeniedError) as exc:
        _say(b.org_id, "error", str(exc))
        return
    ss[k.confirm] = False
    _say(b.org_id, "success", f"Scenariot ”{name}” är borttaget.")


def _compare_names(saved: pl.DataFrame) -> dict[str, str]:
    names = {CURRENT: CURRENT_LABEL}
    for sid, name in saved.select("scenario_id", "name").iter_rows():
        names[sid] = name if name != CURRENT_LABEL else f"{name} (sparat)"
    return names


def compare_table(b: sc.Baseline, frame: pl.DataFrame) -> pl.DataFrame:
    """Scenarios side by side: per scenario its net cost, the difference against the first
    and the result, one column per year."""
    names = frame["scenario"].unique(maintain_order=True).to_list()
    first = names[0]
    rows = []
    for name in names:
        part = frame.filter(pl.col("scenario") == name).sort("year")
        labels = [b.year_labels[y] for y in part["year"]]
        measures = [("Nettokostnad", [_amount(b, v) for v in part["scenario_net"]])]
        if name != first:
            measures.append(
                (f"Mot {first}", [_amount(b, v, signed=True) for v in part["difference"]])
            )
        if part["result_percent"].null_count() == 0:
            measures.append(("Resultat", [fmt.percent(v, 2) for v in part["result_percent"]]))
        for measure, values in measures:
            rows.append(
                {"Scenario": name, "Mått": measure, **dict(zip(labels, values, strict=True))}
            )
    return pl.DataFrame(rows)


def saved_layout(b: sc.Baseline) -> tuple[DeltaGenerator, DeltaGenerator, DeltaGenerator]:
    """Save under a name, load, delete (full run); containers for what follows the
    levers, drawn by the fragment (``saved_live``): the description of the levers to
    save, the comparison and the share link."""
    k = Keys(b.org_id)
    ss = st.session_state
    st.subheader("Spara, jämför och dela")
    message = ss.pop(k.message, None)
    if message:
        (st.success if message[0] == "success" else st.error)(plain(message[1]))
    saved = _saved(b)
    col_save, col_saved = st.columns([1, 1], gap="large")
    with col_save:
        st.markdown("**Spara aktuella reglage**")
        save_caption = st.container()
        st.text_input("Scenariots namn", key=NAME_KEY, max_chars=sc.NAME_MAX)
        st.caption(who_caption())
        st.button("Spara scenario", key="scen_save", on_click=_save, args=(b,), type="primary")
    with col_saved:
        st.markdown("**Sparade scenarier**")
        if saved.is_empty():
            st.info("Inga sparade scenarier för organisationen ännu.")
        else:
            ids = saved["scenario_id"].to_list()
            names = dict(saved.select("scenario_id", "name").iter_rows())
            if ss.get(k.chosen) not in ids:
                ss[k.chosen] = ids[0]
            st.selectbox("Scenario", options=ids, format_func=names.__getitem__, key=k.chosen)
            row = saved.filter(pl.col("scenario_id") == ss[k.chosen]).row(0, named=True)
            try:
                summary = sc.describe(b, sc.params_from_json(b, row["params_json"]))
            except sc.ScenarioInputError as exc:
                summary = f"kan inte läsas: {exc}"
            st.caption(
                plain(f"Sparat av {row['saved_by']} {fmt.iso_date(row['saved_at'])}: {summary}.")
            )
            cols = st.columns([1, 1, 1])
            cols[0].button("Ladda", key="scen_load", on_click=_load, args=(b,))
            cols[1].checkbox("Bekräfta", key=k.confirm, help="Krävs för att ta bort.")
            cols[2].button("Ta bort", key="scen_delete", on_click=_delete, args=(b,))

    st.markdown("**Jämför scenarier**")
    compare = st.container()
    st.markdown("**Dela**")
    st.caption(
        "Länken bär reglagen som vanliga parametrar; den som öppnar den ser samma scenario. "
        "Adressfältet uppdateras också när ni ändrar ett reglage."
    )
    share = st.container()
    frozen_ui.section(b.org_id, lambda: _presented(b))
    return save_caption, compare, share


def _presented(b: sc.Baseline) -> tuple[str, mn.Minutes]:
    """The levers in use and the document of what the page shows for them (called when
    a scenario is frozen)."""
    params = current_params(b)
    result = sc.compute(b, params)
    return sc.params_to_json(b, params), minutes_ui.scenario_document(
        b,
        params,
        result,
        organisation=current_org_name(),
        made_by=minutes_ui.made_by(),
        year_table=year_table(b, result),
        charts=[
            mn.Chart(net_chart(b, result, False)),
            mn.Chart(charts.change_chart(result.years, unit=b.unit)),
        ],
        title="Scenario som presenterat",
        note=f"Länk till scenariot: {share_link(b, params)}",
    )


def saved_live(
    b: sc.Baseline, params: sc.ScenarioParams, result: sc.ScenarioResult, slots: DetailSlots
) -> None:
    """The parts of "Spara, jämför och dela" that show the levers in use (fragment)."""
    k = Keys(b.org_id)
    with slots.save_caption:
        st.caption(plain(sc.sentence(sc.describe(b, params))))
    with slots.compare:
        saved = _saved(b)
        names = _compare_names(saved)
        chosen = st.multiselect(
            "Välj två eller fler",
            options=list(names),
            format_func=names.__getitem__,
            key=k.compare,
            select_all=False,  # Streamlit's "Select all" entry is English
            placeholder="Aktuella reglage och sparade scenarier",
        )
        if len(chosen) < 2:
            st.caption("Välj minst två scenarier för att se dem sida vid sida.")
        else:
            named = []
            for sid in chosen:
                if sid == CURRENT:
                    named.append((names[sid], params))
                    continue
                row = saved.filter(pl.col("scenario_id") == sid).row(0, named=True)
                try:
                    named.append((names[sid], sc.params_from_json(b, row["params_json"])))
                except sc.ScenarioInputError as exc:
                    st.error(plain(f"”{row['name']}” kan inte jämföras: {exc}"))
            if len(named) >= 2:
                frame = sc.compare(b, named)
                table = compare_table(b, frame)
                _show(table)
                labelled = frame.with_columns(
                    pl.col("year")
                    .replace_strict(b.year_labels, return_dtype=pl.String)
                    .alias("column_label")
                )
                figure = charts.compare_chart(labelled, unit=b.unit)
                _plot(figure, "scen_cmp")
                organisation, author = current_org_name(), minutes_ui.made_by()
                minutes_ui.download(
                    lambda: minutes_ui.comparison_document(
                        b,
                        named,
                        organisation=organisation,
                        made_by=author,
                        table=table,
                        chart=mn.Chart(figure),
                    ),
                    key="scen_cmp_pdf",
                    name_hint=("jamforelse", b.org_id),
                    help="Jämförelsen som A4-dokument: reglagen, nyckeltalen per år och "
                    "diagrammet, med organisation och dataversion.",
                )
    with slots.share:
        link = share_link(b, params)
        st.code(link, language=None, wrap_lines=True)
        organisation, author = current_org_name(), minutes_ui.made_by()
        minutes_ui.download(
            lambda: minutes_ui.scenario_document(
                b,
                params,
                result,
                organisation=organisation,
                made_by=author,
                year_table=year_table(b, result),
                charts=[
                    mn.Chart(net_chart(b, result, False)),
                    mn.Chart(charts.change_chart(result.years, unit=b.unit)),
                ],
                note=f"Länk till scenariot: {link}",
            ),
            key="scen_pdf",
            name_hint=("scenario", b.org_id),
            help="Det aktuella scenariot som A4-dokument: reglagen, nyckeltalen, "
            "tabellen per år och diagrammen, med organisation och dataversion.",
        )


def meeting_css() -> None:
    """Meeting mode: hide the sidebar and header, larger type (constant CSS, no data)."""
    st.html(MEETING_CSS)
