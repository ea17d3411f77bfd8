"""The Scenarier page's loader: its budget documents, the cached baseline, the lever state
and the link. The components are in ``scenario_view`` (the frame and the live fragment),
``scenario_levers``, ``scenario_tables`` and ``scenario_saved``.

State: every lever is a widget keyed per organisation (``scen_<org>_…``); the last valid
levers are kept as plain strings (``scen_<org>_levers``) so they survive a visit to
another page, and mirrored into the URL as plain, validated query parameters
(``?org=askersund&krav_2026=2.5``). A link is read once, when the session starts; an
invalid link is refused with a message and the document's own levers are used.

What reruns when a lever moves. A budget committee drags the sliders live, so a move
must show its effect at once: the sliders (krav, index), the key numbers (net cost and
result per year, the requirement line) and the net cost chart run in one ``st.fragment``
(``scenario_view.live_view``) and nothing else does. The fragment draws into containers
the page lays out around it (Streamlit lets a fragment write into outside containers),
so the lever tabs keep their place next to the chart. Everything else is drawn by the full run:
exemptions, cost risks and other boards' assumptions (typed or picked, not dragged;
changing one reruns the page), and saving, loading and deleting. What follows the
levers below the chart (the tables under "Per år" …, the description of the levers to
save, the comparison and the share link) is drawn by the fragment too, after the key
numbers and the chart, into containers the full run laid out: whatever is on screen is
the current scenario, and the address bar follows every move.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

import streamlit as st

from budgetrummet import clock, fmt, vocab
from budgetrummet import scenarios as sc
from budgetrummet.fmt import plain
from budgetrummet.presenters import scenarios as pr
from budgetrummet.ui.data import derived, query

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
    """The organisation's budget documents a scenario can start from, newest first (once
    per publication, in the one query cache)."""
    return derived(
        "scenario_documents",
        lambda: sc.budget_documents(
            query("scen_budget_columns", org_id=org_id, table_ids=list(sc.BUDGET_COLUMN_TABLES))
        ),
        org_id=org_id,
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


def age_note(b: sc.Baseline) -> str | None:
    """The note that the baseline's budget is older than this year (``clock.today``)."""
    return pr.age_note(b, clock.today().year)


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


def meeting_css() -> None:
    """Meeting mode: hide the sidebar and header, larger type (constant CSS, no data)."""
    st.html(MEETING_CSS)
