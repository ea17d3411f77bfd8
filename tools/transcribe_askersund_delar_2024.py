"""Transcribe askersund_delar_2024 (Delårsbokslut 2024-08-31, Kommunstyrelsen) into seed CSVs.

Numbers are taken from the tab-split cells of the source text, never retyped; the line
numbers below were chosen by reading data/sources/askersund_delar_2024.txt. Prose figures
and the goal tables are written by hand, but every value is checked to stand on its line.

Run: .venv/bin/python tools/transcribe_askersund_delar_2024.py
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from budgetrummet.seed import (  # noqa: E402
    FIGURE_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_COLUMNS,
    KF_GOAL_COLUMNS,
    TEXT_COLUMNS,
)

DOC = "askersund_delar_2024"
SOURCE = REPO / "data" / "sources" / f"{DOC}.txt"
SEED = REPO / "data" / "seed"
AS_OF = "2024-08-31"
LINES = SOURCE.read_text(encoding="utf-8").split("\n")

# Figures printed inside prose that the extraction put in a tab-separated line (the
# analysis cells of "Investeringsanalys", the uppdrag table): the validator accepts a number
# standing alone inside a prose cell, so these are ordinary lines.
PROSE_IN_TAB_LINE_ROW_KIND = "line"

# Column heading -> (version, as_of). Year is 2024 for every column of this document.
VERSIONS = {
    "utfall": ("utfall", AS_OF),
    "prognos": ("prognos", AS_OF),
    "budget": ("budget_justerad", ""),
    "avvikelse": ("avvikelse", AS_OF),
    "projekt_utfall": ("projekt_utfall", AS_OF),
    "projekt_prognos": ("projekt_prognos", AS_OF),
    "projekt_budget": ("projekt_budget", ""),
    "projekt_avvikelse": ("projekt_avvikelse", AS_OF),
}

# Investment projects: the same slug in every table of the document.
PROJECTS = {
    "Närlundaskolan, etapp 2": "proj:narlundaskolan_etapp_2",
    "Närlundaskolan, omgivande markarbete": "proj:narlundaskolan_omg_markarbete",
    "Närlundaskolan omg markarbeten": "proj:narlundaskolan_omg_markarbete",
    "Åsbro förskola": "proj:asbro_forskola",
    "Askersund förskola": "proj:askersund_forskola",
    "Hammars skola, förskola, om/tillbyggnad": "proj:hammars_skola",
    "Hammars skola/förskola": "proj:hammars_skola",
    "Hammars skola/förskola, om/tillbyggnad": "proj:hammars_skola",
    "Närlunda, ny idrottshall": "proj:narlunda_idrottshall",
    "Exploatering Gustavslund": "proj:gustavslund_exploatering",
    "Expl Gustavslund": "proj:gustavslund_exploatering",
    "Exploatering Gustavslund etapp 1 och 2": "proj:gustavslund_exploatering",
    "Sjöängen, utveckling foajé m m": "proj:sjoangen_foaje",
    "Vård- och omsorgslokaler": "proj:vard_omsorg",
    "Närlundahallen, inventarier": "proj:narlundahallen_inventarier",
    "Åsbro, Sågarevallen, staket": "proj:asbro_sagarevallen_staket",
    "Investering enligt reinvesteringsplan 2024": "proj:reinvesteringsplan",
    "Fastighetsförvärv": "proj:fastighetsforvarv",
    "Rådsalen, Drätselkammaren, ny teknik": "proj:radsalen_ny_teknik",
    "Kommunens intranät": "proj:kommunens_intranat",
    "Evenemangstavlör": "proj:evenemangstavlor",
    "Rådhuset, inventarier": "proj:radhuset_inventarier",
    "Skrivare, kopiatorer": "proj:skrivare_kopiatorer",
}


# ---------------------------------------------------------------- helpers


def line(n: int) -> str:
    return LINES[n - 1]


def cells(n: int) -> list[str]:
    """The tab-split cells of source line n, stripped."""
    return [c.strip() for c in line(n).split("\t")]


def strip_tags(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def slug(text: str) -> str:
    text = text.lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def vh_key(label: str) -> str:
    code = label.split()[0]
    assert code.isdigit(), label
    return f"vh{code}"


FIGURES: list[dict[str, str]] = []


def fig(
    table_id: str,
    table_title: str,
    source_line: int,
    row_no: int,
    line_label: str,
    line_key: str,
    column_label: str,
    measure: str,
    version: str,
    value: str,
    *,
    as_of: str = "",
    year: str = "2024",
    unit: str = "tkr",
    row_kind: str = "line",
    rollup_group: str = "",
    total_of: str = "",
    category: str = "",
) -> None:
    assert value, (table_id, source_line, column_label)
    assert value in line(source_line), (source_line, value)
    FIGURES.append(
        {
            "doc_id": DOC,
            "table_id": table_id,
            "table_title": table_title,
            "source_line": str(source_line),
            "row_no": str(row_no),
            "line_label": line_label,
            "line_key": line_key,
            "row_kind": row_kind,
            "rollup_group": rollup_group,
            "total_of": total_of,
            "column_label": column_label,
            "measure": measure,
            "version": version,
            "year": year,
            "as_of": as_of,
            "unit": unit,
            "value_printed": value,
            "category": category,
        }
    )


def table_cells(
    table_id: str,
    title: str,
    n: int,
    row_no: int,
    label: str,
    key: str,
    measure: str,
    columns: list[tuple[int, str, str]],
    *,
    offset: int = 0,
    **kw: str,
) -> None:
    """One figure per non-empty cell. columns: (cell index, printed heading, version key).

    offset shifts the cell index (for a row whose cells the extraction moved right).
    """
    row = cells(n)
    for idx, heading, vkey in columns:
        value = row[idx + offset] if idx + offset < len(row) else ""
        if not value:  # an empty cell is not a zero
            continue
        version, as_of = VERSIONS[vkey]
        fig(
            table_id,
            title,
            n,
            row_no,
            label,
            key,
            heading,
            measure,
            version,
            value,
            as_of=as_of,
            **kw,
        )


def header(n: int, keys: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(cell index, printed heading from line n, version key)."""
    row = cells(n)
    return [(i, row[i], vkey) for i, vkey in keys]


TEXTS: list[dict[str, str]] = []


def text(table_id: str, n: int, line_key: str, ref: str, kind: str, value: str) -> None:
    assert " ".join(value.split()) in strip_tags(line(n)), (n, value)
    TEXTS.append(
        {
            "doc_id": DOC,
            "table_id": table_id,
            "source_line": str(n),
            "line_key": line_key,
            "ref": ref,
            "kind": kind,
            "text": value,
        }
    )


# ---------------------------------------------------------------- resultat (lines 326-331)

RESULTAT_TITLE = "Delårsresultat och prognos"
RESULTAT_COLS = header(326, [(1, "utfall"), (2, "prognos"), (3, "budget"), (4, "avvikelse")])
RESULTAT_ROWS = [
    # line, line_key, measure, row_kind, rollup_group, total_of
    (327, "intakter", "intakt", "line", "resultat", ""),
    (328, "kostnader", "kostnad", "line", "resultat", ""),
    (329, "personalkostnader", "personalkostnad", "memo", "", ""),
    (330, "kapitalkostnader", "kapitalkostnad", "memo", "", ""),
    (331, "resultat", "netto", "total", "", "resultat"),
]
for row_no, (n, key, measure, kind, group, total_of) in enumerate(RESULTAT_ROWS, start=1):
    table_cells(
        "resultat",
        RESULTAT_TITLE,
        n,
        row_no,
        strip_tags(cells(n)[0]),
        key,
        measure,
        RESULTAT_COLS,
        row_kind=kind,
        rollup_group=group,
        total_of=total_of,
    )


# ---------------------------------------------------------------- driftredovisning (335-360)

DRIFT_TITLE = "Driftredovisning 2024"
DRIFT_COLS = header(335, [(1, "utfall"), (2, "prognos"), (3, "budget"), (4, "avvikelse")])
DRIFT_LINES = [n for n in range(336, 360) if line(n).strip()]  # line 348 is blank
assert len(DRIFT_LINES) == 23 and 349 in DRIFT_LINES
for row_no, n in enumerate(DRIFT_LINES, start=1):
    label = cells(n)[0]
    table_cells(
        "driftredovisning",
        DRIFT_TITLE,
        n,
        row_no,
        label,
        vh_key(label),
        "netto",
        DRIFT_COLS,
        rollup_group="driftredovisning",
    )
    if len(cells(n)) > 5 and cells(n)[5]:
        ref = cells(n)[5]
        text("driftredovisning", n, vh_key(label), f"Analys {ref}", "analysreferens", ref)
assert cells(360)[0] == "Summa Kommunstyrelsen"
table_cells(
    "driftredovisning",
    DRIFT_TITLE,
    360,
    len(DRIFT_LINES) + 1,
    cells(360)[0],
    "total",
    "netto",
    DRIFT_COLS,
    row_kind="total",
    total_of="driftredovisning",
)


# ---------------------------------------------------------------- verksamhetsanalys (364-419)

VA_TITLE = "Verksamhetsanalys driftbudget 2024, tkr"
# (header line, Intäkt line, Kostnad line, "Analys N" line, analysis text lines)
VA_BLOCKS = [
    (364, 365, 366, 367, [368]),
    (370, 371, 372, 373, [374]),
    (376, 377, 378, 379, [380]),
    (382, 383, 384, 385, [387]),
    (389, 390, 391, 392, [393]),
    (395, 396, 397, 398, [399]),
    (401, 402, 403, 404, [405]),
    (407, 408, 409, 410, [411]),
    (413, 414, 415, 416, [417, 419]),
]
row_no = 0
for head, n_int, n_kost, n_ref, text_lines in VA_BLOCKS:
    cols = header(head, [(2, "prognos"), (3, "budget")])
    label = cells(n_int)[0]
    key = vh_key(label)
    assert cells(n_int)[1] == "Intäkt" and cells(n_kost)[1] == "Kostnad"
    row_no += 1
    table_cells("verksamhetsanalys", VA_TITLE, n_int, row_no, label, key, "intakt", cols)
    table_cells(
        "verksamhetsanalys",
        VA_TITLE,
        n_int,
        row_no,
        label,
        key,
        "netto",
        header(head, [(4, "avvikelse")]),
    )
    row_no += 1
    table_cells("verksamhetsanalys", VA_TITLE, n_kost, row_no, label, key, "kostnad", cols)
    ref = cells(n_ref)[0]
    assert ref.startswith("Analys ")
    for n in text_lines:
        text("verksamhetsanalys", n, key, ref, "analys", cells(n)[0])


# ---------------------------------------------------------------- inv_netto (431-432)

INV_TITLE = "Investeringar"
table_cells(
    "inv_netto",
    INV_TITLE,
    432,
    1,
    cells(432)[0],
    "total",
    "utgift",
    header(431, [(1, "utfall"), (2, "prognos"), (3, "budget"), (4, "avvikelse")]),
)


# ---------------------------------------------------------------- inv_ar (436-471)

INV_AR_TITLE = cells(436)[0]  # "Investeringsredovisning 2024-08-31"
INV_AR_COLS = header(437, [(1, "utfall"), (2, "prognos"), (3, "budget"), (4, "avvikelse")])
INV_AR_UTFALL = INV_AR_COLS[:1]
REINV_CATEGORY = "Investering enligt reinvesteringsplan 2024"
# (line, kind): proj = project row, reinv = italic sub-item of the reinvestment plan.
INV_AR_ROWS = (
    [(n, "proj") for n in range(438, 450)]
    + [(n, "reinv") for n in range(450, 460)]
    + [(463, "reinv_own_line")]  # label on line 461, its -212 alone on line 463
    + [(n, "proj") for n in range(465, 471)]
)
for row_no, (n, kind) in enumerate(INV_AR_ROWS, start=1):
    if kind == "proj":
        label = cells(n)[0]
        key = PROJECTS[label]
        is_reinv_total = key == "proj:reinvesteringsplan"
        table_cells(
            "inv_ar",
            INV_AR_TITLE,
            n,
            row_no,
            label,
            key,
            "utgift",
            INV_AR_COLS,
            rollup_group="inv_ar",
            row_kind="total" if is_reinv_total else "line",
            total_of="reinv_2024" if is_reinv_total else "",
        )
        if len(cells(n)) > 5 and cells(n)[5]:
            ref = cells(n)[5]
            text("inv_ar", n, key, f"Analys {ref}", "analysreferens", ref)
    else:
        offset = 0
        if kind == "reinv":
            label = strip_tags(cells(n)[0])
        else:  # the lone figure is cell 0 of its line: shift the Utfall column left by one
            label = line(461).strip()
            assert line(462) == "" and cells(n) == ["-212"]
            offset = -1
        key = "reinv:" + slug(label)
        table_cells(
            "inv_ar",
            INV_AR_TITLE,
            n,
            row_no,
            label,
            key,
            "utgift",
            INV_AR_UTFALL,
            offset=offset,
            rollup_group="reinv_2024",
            category=REINV_CATEGORY,
        )
# The "Summa" row: its cells stand one column right of the header in the extraction
# (cell 1 is empty, the four figures are in cells 2-5); map them by position: Utfall..Avvikelse.
assert cells(471)[0] == "Summa" and cells(471)[1] == "" and len(cells(471)) == 6
table_cells(
    "inv_ar",
    INV_AR_TITLE,
    471,
    len(INV_AR_ROWS) + 1,
    "Summa",
    "total",
    "utgift",
    INV_AR_COLS,
    offset=1,
    row_kind="total",
    total_of="inv_ar",
)


# ---------------------------------------------------------------- inv_projekt_livs (473-481)

LIVS_TITLE = cells(473)[0]  # "Investeringsredovisning 2024-08-31, tkr"
LIVS_COLS = header(
    474,
    [
        (1, "utfall"),
        (2, "prognos"),
        (3, "budget"),
        (4, "avvikelse"),
        (5, "projekt_utfall"),
        (6, "projekt_prognos"),
        (7, "projekt_budget"),
        (8, "projekt_avvikelse"),
    ],
)
for row_no, n in enumerate(range(475, 482), start=1):
    label = cells(n)[0]
    table_cells(
        "inv_projekt_livs", LIVS_TITLE, n, row_no, label, PROJECTS[label], "utgift", LIVS_COLS
    )


# ---------------------------------------------------------------- inv_analys (483-530)

ANALYS_TITLE = line(483).strip()  # "Investeringsanalys 2024 tkr"
# (header line or None, figure line, analysis line, "Total projektavvikelse" in mkr or None)
# The first block (line 485) has no header line of its own: the headings of the later
# blocks are used for it.
ANALYS_BLOCKS = [
    (None, 485, 486, "-12,1"),
    (488, 489, 490, "-2,8"),
    (492, 495, 496, "-1,5"),
    (498, 499, 500, "-3"),
    (502, 503, 504, "-7,5"),
    (506, 507, 508, "-6"),
    (510, 511, 512, "-1,1"),
    (514, 515, 516, None),
    (518, 521, 522, None),
    (524, 525, 526, None),
    (528, 529, 530, None),
]
row_no = 0
for head, n_fig, n_text, total_dev in ANALYS_BLOCKS:
    cols = header(head or 488, [(1, "prognos"), (2, "budget"), (3, "avvikelse")])
    label = cells(n_fig)[0]
    key = PROJECTS[label]
    row_no += 1
    table_cells("inv_analys", ANALYS_TITLE, n_fig, row_no, label, key, "utgift", cols)
    analysis = strip_tags(cells(n_text)[0])
    m = re.match(r"(Analys \d+) (.*)$", analysis)
    assert m, n_text
    text("inv_analys", n_text, key, m.group(1), "analys", m.group(2))
    if total_dev:
        assert f"Total projektavvikelse beräknas bli {total_dev} mkr" in analysis
        row_no += 1
        fig(
            "inv_analys",
            ANALYS_TITLE,
            n_text,
            row_no,
            label,
            key,
            "Total projektavvikelse",
            "utgift",
            "projekt_avvikelse",
            total_dev,
            as_of=AS_OF,
            unit="mkr",
            row_kind=PROSE_IN_TAB_LINE_ROW_KIND,
        )


# ---------------------------------------------------------------- prose figures

PROSE = "löptext"  # column_label of a figure printed in running text (as askersund_budget_2025)
DRIFT_SECTION = "Delårsresultat och prognos"

# ram_text: line 314
fig(
    "ram_text",
    DRIFT_SECTION,
    314,
    1,
    "av kommunfullmäktige beslutade ramen enligt 23KF105 2023-06-19",
    "ram",
    PROSE,
    "netto",
    "budget_kf",
    "126 342",
)

# text_drift: line 318 (the result explanation; the text says "underskott", no minus sign)
fig(
    "text_drift",
    DRIFT_SECTION,
    318,
    1,
    "underskott vid årets slut",
    "total",
    PROSE,
    "netto",
    "avvikelse",
    "5 117",
    as_of=AS_OF,
)
fig(
    "text_drift",
    DRIFT_SECTION,
    318,
    2,
    "Askersunds kommuns andel beräknas bli ca 6 mkr",
    "suf_underskott_andel",
    PROSE,
    "kostnad",
    "prognos",
    "6",
    as_of=AS_OF,
    unit="mkr",
)

# text_inv: lines 425, 427 (section "Investeringar")
fig(
    "text_inv",
    INV_TITLE,
    425,
    1,
    "överskott vid årets slut",
    "total",
    PROSE,
    "utgift",
    "avvikelse",
    "2 184",
    as_of=AS_OF,
)
fig(
    "text_inv",
    INV_TITLE,
    427,
    2,
    "medel troligen kommer begäras bli ombudgeterade till 2025",
    "ombudgetering",
    PROSE,
    "belopp",
    "prognos",
    "9",
    as_of=AS_OF,
    year="2025",
    unit="mkr",
)

# text_reinv: line 429 (reinvestments)
fig(
    "text_reinv",
    INV_TITLE,
    429,
    1,
    "genomföra reinvesteringsåtgärder upp till ett belopp om",
    "proj:reinvesteringsplan",
    PROSE,
    "utgift",
    "prognos",
    "3 215",
    as_of=AS_OF,
)
fig(
    "text_reinv",
    INV_TITLE,
    429,
    2,
    "Detta ger ett överskott på",
    "proj:reinvesteringsplan",
    PROSE,
    "utgift",
    "avvikelse",
    "4 785",
    as_of=AS_OF,
)

# text_uppdrag: line 310 (uppdrag table, Uppföljning cell; KF decision of 25 March)
fig(
    "text_uppdrag",
    "Uppföljning av nämnds uppdrag till förvaltning",
    310,
    1,
    "effektiviseringsåtgärder totalt motsvarande",
    "effektiviseringsatgarder",
    PROSE,
    "belopp",
    "budget_kf",
    "5,2",
    unit="mkr",
    row_kind=PROSE_IN_TAB_LINE_ROW_KIND,
)

# text_personal: line 140 (both figures printed with the year 2023)
PERSONAL = "Väsentliga personalförhållanden"
fig(
    "text_personal",
    PERSONAL,
    140,
    1,
    "Den totala sjukfrånvaron inom kommunledningsförvaltningen",
    "sjukfranvaro_klf",
    PROSE,
    "andel",
    "utfall",
    "4,43",
    year="2023",
    unit="procent",
)
fig(
    "text_personal",
    PERSONAL,
    140,
    2,
    "Den totala sjukfrånvaron inom kommunledningsförvaltningen",
    "sjukfranvaro_klf",
    PROSE,
    "andel",
    "utfall",
    "5,89",
    year="2023",
    unit="procent",
)


# ---------------------------------------------------------------- comments (texts)

for n in (314, 316):
    text("ram_text", n, "ram", DRIFT_SECTION, "kommentar", line(n).strip())
for n in (318, 320, 322, 324):
    text("text_drift", n, "total", DRIFT_SECTION, "kommentar", line(n).strip())
for n in (423, 425, 427):
    text("text_inv", n, "total", INV_TITLE, "kommentar", line(n).strip())
text("text_reinv", 429, "proj:reinvesteringsplan", INV_TITLE, "kommentar", line(429).strip())


# ---------------------------------------------------------------- goals

MALOMRADEN = {  # heading line -> (no, title as printed after "Målområde N - ")
    166: ("1", "god ekonomisk hushållning"),
    192: ("2", "De kommunala kärnverksamheterna"),
    215: ("3", "Tillväxt och demografi"),
    240: ("4", "Specifika utvecklingsområden"),
}
for n, (no, title) in MALOMRADEN.items():
    assert line(n).strip() == f"Målområde {no} - {title}", n


def after(n: int, prefix: str) -> str:
    s = line(n).strip()
    assert s.startswith(prefix), (n, prefix)
    return s[len(prefix) :].strip()


# goal_no, title line, malomrade heading line, Mått/metod line, Adressering line
GOAL_SPECS = [
    ("1", 168, 166, 172, 174),
    ("2", 180, 166, 184, 186),
    ("3", 194, 192, 198, 200),
    ("4", 279, 240, 283, 285),
]
GOALS = []
GOAL_TITLES = {}
for no, n, m, n_matt, n_adr in GOAL_SPECS:
    title = after(n, f"Kommunstyrelsens mål {no}:")
    GOAL_TITLES[no] = (title, line(m).strip())
    GOALS.append(
        {
            "doc_id": DOC,
            "source_line": str(n),
            "year": "2024",
            "malomrade_no": MALOMRADEN[m][0],
            "malomrade_title": MALOMRADEN[m][1],
            "goal_no": no,
            "goal_title": title,
            "goal_text": after(n_matt, "Mått/metod:"),
            "malprecisering": after(n_adr, "Adressering:"),
            "followup_printed": "",
            "followup_dates": "",
        }
    )

# Council goals, numbered in order of first mention (line 182 repeats goal 1 for mål 2).
KF_SPECS = [  # kf_goal_no, line, malomrade heading line, prefix to drop
    ("1", 170, 166, "Bäring på kommunfullmäktiges mål om"),
    ("2", 196, 192, "Bäring på kommunfullmäktiges mål om"),
    ("3", 219, 215, ""),
    ("4", 281, 240, "Bäring på kommunfullmäktiges mål om"),
]
assert line(182) == line(170)
KF_GOALS = []
for no, n, m, prefix in KF_SPECS:
    KF_GOALS.append(
        {
            "doc_id": DOC,
            "source_line": str(n),
            "year": "2024",
            "malomrade_no": MALOMRADEN[m][0],
            "malomrade_title": MALOMRADEN[m][1],
            "kf_goal_no": no,
            "text": after(n, prefix),
        }
    )


# ---------------------------------------------------------------- goal indicators

INDICATORS = []


def indicator(
    goal_no: str,
    no: str,
    n: int,
    *,
    target_operator: str,
    target_value: str,
    unit: str,
    better: str,
    outcome_year: str,
    previous_printed: str = "",
    previous_year: str = "",
    trend: bool = False,
) -> None:
    c = cells(n)
    label, target, outcome, last = c[0], c[1], c[2], c[3] if len(c) > 3 else ""
    assert target_value in target
    title, malomrade = GOAL_TITLES[goal_no]
    INDICATORS.append(
        {
            "doc_id": DOC,
            "source_line": str(n),
            "goal_no": goal_no,
            "goal_title": title,
            "malomrade_printed": malomrade,
            "indicator_no": no,
            "indicator_label": label,
            "target_printed": target,
            "target_operator": target_operator,
            "target_value": target_value,
            "unit": unit,
            "better": better,
            "outcome_printed": outcome,
            "outcome_year": outcome_year,
            "previous_printed": previous_printed,
            "previous_year": previous_year,
            "trend_printed": last if trend else "",
            "comment": "" if trend else last,
        }
    )


indicator(
    "1",
    "1",
    177,
    target_operator="<",
    target_value="5,00",
    unit="procent",
    better="lower",
    outcome_year="2024",
    trend=True,
)
indicator(
    "1",
    "2",
    178,
    target_operator="<",
    target_value="7,00",
    unit="procent",
    better="lower",
    outcome_year="2024",
    trend=True,
)
indicator(
    "2",
    "1",
    189,
    target_operator=">=",
    target_value="80",
    unit="index",
    better="higher",
    outcome_year="2024",
    previous_printed="80",
    previous_year="2023",
)
indicator(
    "3",
    "1",
    204,
    target_operator=">",
    target_value="20",
    unit="procent",
    better="higher",
    outcome_year="2024",
)
indicator(
    "4",
    "1",
    289,
    target_operator=">=",
    target_value="100",
    unit="procent",
    better="higher",
    outcome_year="2024",
    previous_printed="78",
    previous_year="2021",
)
indicator(
    "4",
    "2",
    290,
    target_operator="<=",
    target_value="25",
    unit="procent",
    better="lower",
    outcome_year="2024",
)
assert "resultatet 78 %" in line(289) and "resultat var 80 för 2023" in line(189)


# ---------------------------------------------------------------- write


def write(folder: str, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path = SEED / folder / f"{DOC}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow([row[c] for c in columns])
    print(f"{path.relative_to(REPO)}: {len(rows)} rows")


write("figures", FIGURE_COLUMNS, FIGURES)
write("goals", GOAL_COLUMNS, GOALS)
write("kf_goals", KF_GOAL_COLUMNS, KF_GOALS)
write("goal_indicators", INDICATOR_COLUMNS, INDICATORS)
write("texts", TEXT_COLUMNS, TEXTS)
