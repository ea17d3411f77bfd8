"""Transcribe lerum_vp_2023 (Lerum, Kommunstyrelsen, Verksamhetsplan 2023) into seed CSVs.

Reads data/sources/lerum_vp_2023.txt and writes, deterministically:

    data/seed/figures/lerum_vp_2023.csv
    data/seed/texts/lerum_vp_2023.csv
    data/seed/goals/lerum_vp_2023.csv
    data/seed/kf_goals/lerum_vp_2023.csv   (header only: the document has no KF goals)

Figures are never typed here: table figures are the tab-split cells of the cited source
line, prose figures are cut out of the cited line right after an anchor phrase copied
from it. Every line number below was chosen by reading the document.

Run:  .venv/bin/python tools/transcribe_lerum_vp_2023.py
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
    KF_GOAL_COLUMNS,
    TEXT_COLUMNS,
)

DOC = "lerum_vp_2023"
SRC = REPO / "data" / "sources" / f"{DOC}.txt"
LINES = SRC.read_text(encoding="utf-8").split("\n")


def line(n: int) -> str:
    """Source line n (1-based)."""
    return LINES[n - 1]


def cells(n: int) -> list[str]:
    """Tab-split cells of source line n, stripped."""
    return [c.strip() for c in line(n).split("\t")]


# A printed Swedish figure: optional minus, digit groups separated by a space, decimal comma.
_FIG = r"(-?\d{1,3}(?: \d{3})*(?:,\d+)?)"


def after(n: int, anchor: str) -> str:
    """The figure printed right after ``anchor`` on line n (anchor copied from the line)."""
    m = re.search(re.escape(anchor) + _FIG, line(n))
    if not m:
        raise SystemExit(f"rad {n}: hittar inte {anchor!r} följt av ett tal")
    return m.group(1)


figures: list[dict[str, str]] = []


def fig(**kw: object) -> None:
    row = {c: "" for c in FIGURE_COLUMNS}
    row["doc_id"] = DOC
    for k, v in kw.items():
        if k not in row:
            raise KeyError(k)
        row[k] = str(v)
    figures.append(row)


# ---------------------------------------------------------------------------------------
# 1. produktionsomraden: "Produktionsområden 2023" (heading line 294, table lines 298-313)
# ---------------------------------------------------------------------------------------
PO_TITLE = "Produktionsområden 2023"
PO_HEADER = 298
# column index -> (measure, year); version budget_kf, unit mkr
PO_COLS = {
    1: ("intakt", 2022),
    2: ("kostnad", 2022),
    3: ("netto", 2022),
    4: ("intakt", 2023),
    5: ("kostnad", 2023),
    6: ("netto", 2023),
}
# source line -> line_key (the label is taken from the line's first cell)
PO_ROWS = {
    299: "po:kommundirektor",
    300: "po:ledning_internservice_kl",
    301: "po:politisk_organisation",
    302: "po:utveckling_hallbarhet",
    303: "po:ekonomi",
    304: "po:hr",
    305: "po:raddningstjanst",
    306: "po:ks_reserv",
    307: "po:vuxenutbildning",
    308: "po:stod_utveckling",
    309: "po:samhallsplanering",
    310: "po:naringsliv_turism",
    311: "po:funktionsstod",
    312: "po:ledning_internservice_sb_2022",
    313: "total",  # "Totalt"
}
# "varav nämndinterna intäkter" (line 315); its two figures stand alone on lines 317 and
# 319. Column assignment by order: first = Brutto intäkt 2022, second = Brutto intäkt 2023.
PO_MEMO_LABEL_LINE = 315
PO_MEMO = [(317, 1), (319, 4)]  # (source line, column index in the header)


def produktionsomraden() -> None:
    header = cells(PO_HEADER)
    row_no = 0
    for n, key in PO_ROWS.items():
        row_no += 1
        c = cells(n)
        is_total = key == "total"
        for i, (measure, year) in PO_COLS.items():
            value = c[i] if i < len(c) else ""
            if value == "":
                continue  # empty cell: no row
            fig(
                table_id="produktionsomraden",
                table_title=PO_TITLE,
                source_line=n,
                row_no=row_no,
                line_label=c[0],
                line_key=key,
                row_kind="total" if is_total else "line",
                rollup_group="" if is_total else "produktionsomraden",
                total_of="produktionsomraden" if is_total else "",
                column_label=header[i],
                measure=measure,
                version="budget_kf",
                year=year,
                unit="mkr",
                value_printed=value,
            )
    row_no += 1
    label = line(PO_MEMO_LABEL_LINE).strip()
    for n, i in PO_MEMO:
        measure, year = PO_COLS[i]
        fig(
            table_id="produktionsomraden",
            table_title=PO_TITLE,
            source_line=n,
            row_no=row_no,
            line_label=label,
            line_key="namndinterna_intakter",
            row_kind="memo",
            column_label=header[i],
            measure=measure,
            version="budget_kf",
            year=year,
            unit="mkr",
            value_printed=line(n).strip(),
        )
    # Prose, line 296: "Inom kommunstyrelsen samlas totalt 13 produktionsområden."
    fig(
        table_id="produktionsomraden_text",
        table_title=PO_TITLE,
        source_line=296,
        row_no=1,
        line_label="Inom kommunstyrelsen samlas totalt 13 produktionsområden",
        line_key="antal_produktionsomraden",
        row_kind="line",
        column_label=PO_TITLE,  # the year is named by the section heading (line 294)
        measure="antal",
        version="budget_kf",
        year=2023,
        unit="antal",
        value_printed=after(296, "samlas totalt "),
    )


# ---------------------------------------------------------------------------------------
# 2. indikatorer: "Indikatorer" (heading line 123, header line 127, rows 128-133)
# ---------------------------------------------------------------------------------------
IND_TITLE = "Indikatorer"
IND_HEADER = 127
IND_YEAR_COLS = (1, 2, 3)  # 2020, 2021, 2022 (year = the heading cell)
IND_PROGNOS_COL = 4  # "Prognos 2023 (ökande/minskande/bibehållen nivå)" -> texts
# source line -> (line_key, measure, unit)
IND_ROWS = {
    128: ("ind:hme", "index", "index"),
    129: ("ind:svn_ranking", "placering", "placering"),
    130: ("ind:nki", "index", "index"),
    131: ("ind:trygghet_oj", "placering", "placering"),  # ÖJ ranks the 290 municipalities
    132: ("ind:dimios", "andel", "procent"),  # printed "44%", "47,1%"
    133: ("ind:bostader", "antal", "antal"),
}

texts: list[dict[str, str]] = []


def indikatorer() -> None:
    header = cells(IND_HEADER)
    for row_no, (n, (key, measure, unit)) in enumerate(IND_ROWS.items(), start=1):
        c = cells(n)
        for i in IND_YEAR_COLS:
            value = c[i] if i < len(c) else ""
            if value == "":
                continue
            fig(
                table_id="indikatorer",
                table_title=IND_TITLE,
                source_line=n,
                row_no=row_no,
                line_label=c[0],
                line_key=key,
                row_kind="line",
                column_label=header[i],
                measure=measure,
                version="utfall",
                year=int(header[i]),
                unit=unit,
                value_printed=value,
            )
        direction = c[IND_PROGNOS_COL]
        if direction:
            texts.append(
                {
                    "doc_id": DOC,
                    "table_id": "indikatorer",
                    "source_line": str(n),
                    "line_key": key,
                    "ref": f"{key}:prognos_2023",
                    "kind": "prognosriktning",
                    "text": direction,
                }
            )


# ---------------------------------------------------------------------------------------
# 3. finansiella_mal: prose under "Finansiellt perspektiv" (heading line 253)
# ---------------------------------------------------------------------------------------
FM_TITLE = "Finansiellt perspektiv"
# (source line, row_no, anchor before the figure, line_label, line_key, column_label,
#  measure, version, year, unit)
FM = [
    (
        264,
        1,
        "ska soliditeten överstiga ",
        "ska soliditeten överstiga",
        "soliditet",
        "mål",
        "andel",
        "mal",
        2023,
        "procent",
    ),
    (
        266,
        2,
        "budgeterad soliditet till ",
        "budgeterad soliditet",
        "soliditet",
        "År 2023",
        "andel",
        "budget_kf",
        2023,
        "procent",
    ),
    (
        266,
        2,
        "planåret 2024 uppgår den till ",
        "budgeterad soliditet",
        "soliditet",
        "planåret 2024",
        "andel",
        "plan",
        2024,
        "procent",
    ),
    (
        266,
        2,
        "planåret 2025 till ",
        "budgeterad soliditet",
        "soliditet",
        "planåret 2025",
        "andel",
        "plan",
        2025,
        "procent",
    ),
    (
        268,
        3,
        "ligga under cirka ",
        "skulder per invånare ligga under cirka",
        "skulder_per_invanare",
        "mål",
        "belopp",
        "mal",
        2023,
        "kr",
    ),
    (
        270,
        4,
        "budgeterade skulder per invånare till ",
        "budgeterade skulder per invånare",
        "skulder_per_invanare",
        "År 2023",
        "belopp",
        "budget_kf",
        2023,
        "kr",
    ),
    (
        270,
        4,
        "planåret 2024 uppgår den till ",
        "budgeterade skulder per invånare",
        "skulder_per_invanare",
        "planåret 2024",
        "belopp",
        "plan",
        2024,
        "kr",
    ),
    (
        270,
        4,
        "planåret 2025 till ",
        "budgeterade skulder per invånare",
        "skulder_per_invanare",
        "planåret 2025",
        "belopp",
        "plan",
        2025,
        "kr",
    ),
    # the target holds "under en 10-årsperiod"
    (
        272,
        5,
        "ska värdet inte överstiga ",
        "ska värdet inte överstiga",
        "nettokostnadsandel",
        "mål",
        "andel",
        "mal",
        2023,
        "procent",
    ),
    (
        274,
        6,
        "uppgår nettokostnadsandelen till ",
        "nettokostnadsandelen",
        "nettokostnadsandel",
        "År 2023",
        "andel",
        "budget_kf",
        2023,
        "procent",
    ),
    (
        274,
        6,
        "planåret 2024 uppgår nettokostnadsandelen till ",
        "nettokostnadsandelen",
        "nettokostnadsandel",
        "planåret 2024",
        "andel",
        "plan",
        2024,
        "procent",
    ),
    # Printed "planåret 2024" a second time (evidently 2025): year kept AS PRINTED. Its
    # own row_no (7) because it would otherwise duplicate the 98,2 row's key
    # (table, line_key, column_label, measure, row_no).
    (
        274,
        7,
        "och planåret 2024 till ",
        "nettokostnadsandelen",
        "nettokostnadsandel",
        "planåret 2024",
        "andel",
        "plan",
        2024,
        "procent",
    ),
    # ten-year average 2016–2025: carried as a plan figure for 2025, the period's end
    (
        274,
        6,
        "uppgår den genomsnittliga nettokostnadsandelen till ",
        "den genomsnittliga nettokostnadsandelen",
        "nettokostnadsandel_snitt_2016_2025",
        "tioårsperioden 2016–2025",
        "andel",
        "plan",
        2025,
        "procent",
    ),
]


def finansiella_mal() -> None:
    for n, row_no, anchor, label, key, col, measure, version, year, unit in FM:
        fig(
            table_id="finansiella_mal",
            table_title=FM_TITLE,
            source_line=n,
            row_no=row_no,
            line_label=label,
            line_key=key,
            row_kind="line",
            column_label=col,
            measure=measure,
            version=version,
            year=year,
            unit=unit,
            value_printed=after(n, anchor),
        )


# ---------------------------------------------------------------------------------------
# 4. ekonomiska_forutsattningar: prose under "Ekonomiska förutsättningar" (heading 276)
# ---------------------------------------------------------------------------------------
EF_TITLE = "Ekonomiska förutsättningar"
EF_COL = "år 2023"  # line 278: "... ökar med totalt 6,5 miljoner kronor år 2023."
# (source line, row_no, anchor, line_label, line_key, row_kind, rollup_group, total_of)
EF = [
    (
        278,
        1,
        "ökar med totalt ",
        "Kommunstyrelsens nettobudget ökar med totalt",
        "netto_forandring",
        "total",
        "",
        "ok_forandring",
    ),
    (
        280,
        2,
        "Ökade priser och löner: ",
        "Ökade priser och löner",
        "priser_loner",
        "line",
        "ok_forandring",
        "",
    ),
    (
        284,
        3,
        "som avslutas: ",
        "Tillfälliga projekt 2022 som avslutas",
        "tillfalliga_projekt",
        "line",
        "ok_forandring",
        "",
    ),
    # Components of the tillfälliga projekt: printed positive while the line above is
    # printed -10,4; deliberately no rollup_group (checked by hand).
    (
        286,
        4,
        "en riktad resurs på ",
        "avslut av strategiska projekt inom samhällsbyggnad",
        "tillfalliga_projekt:strategiska_projekt_samhallsbyggnad",
        "line",
        "",
        "",
    ),
    (
        286,
        4,
        "Lärcentra/Vuxenutbildningen på ",
        "riktad satsning mot Lärcentra/Vuxenutbildningen",
        "tillfalliga_projekt:larcentra_vuxenutbildning",
        "line",
        "",
        "",
    ),
    (
        286,
        4,
        "satsning på ledarskap ",
        "kommungemensam satsning på ledarskap",
        "tillfalliga_projekt:ledarskap",
        "line",
        "",
        "",
    ),
    (
        286,
        4,
        "förvaltningsgemensam resurs på ",
        "omprioritering av förvaltningsgemensam resurs",
        "tillfalliga_projekt:forvaltningsgemensam_resurs",
        "line",
        "",
        "",
    ),
    # Riktade resurser: part of ok_forandring AND the printed total of ok_riktade.
    (
        288,
        5,
        "Riktade resurser 2023: ",
        "Riktade resurser 2023",
        "riktade_resurser",
        "total",
        "ok_forandring",
        "ok_riktade",
    ),
    (
        290,
        6,
        "ny politisk organisation ",
        "förstärkt förvaltningsorganisation på grund av ny politisk organisation",
        "riktade_resurser:forvaltningsorganisation",
        "line",
        "ok_riktade",
        "",
    ),
    (
        290,
        6,
        "civilt försvar ",
        "förstärkning inom civilt försvar",
        "riktade_resurser:civilt_forsvar",
        "line",
        "ok_riktade",
        "",
    ),
    (
        290,
        6,
        "inom upphandling ",
        "förstärkning inom upphandling",
        "riktade_resurser:upphandling",
        "line",
        "ok_riktade",
        "",
    ),
    (
        290,
        6,
        "räddningstjänst storgöteborg ",
        "utökade resurser på grund av kraftig höjning av medlemsavgiften räddningstjänst",
        "riktade_resurser:raddningstjanst_medlemsavgift",
        "line",
        "ok_riktade",
        "",
    ),
    (
        292,
        7,
        "Dessutom riktas ",
        "politikerutbildning",
        "riktade_resurser:politikerutbildning",
        "line",
        "ok_riktade",
        "",
    ),
]


def ekonomiska_forutsattningar() -> None:
    for n, row_no, anchor, label, key, kind, group, total_of in EF:
        fig(
            table_id="ekonomiska_forutsattningar",
            table_title=EF_TITLE,
            source_line=n,
            row_no=row_no,
            line_label=label,
            line_key=key,
            row_kind=kind,
            rollup_group=group,
            total_of=total_of,
            column_label=EF_COL,
            measure="belopp",
            version="budget_kf",
            year=2023,
            unit="mkr",
            value_printed=after(n, anchor),
        )


# ---------------------------------------------------------------------------------------
# 5. goals: "Prioriterade inriktningar 2023 samt plan för genomförande" (heading 137)
# ---------------------------------------------------------------------------------------
GOAL_AREA = "Prioriterade inriktningar 2023"
# (bullet line, plan lines): the plan text is the paragraph after "Plan för genomförande:";
# the tenth one runs on at line 203 after two footnote lines (199, 201).
GOALS = [
    (139, [143]),
    (145, [149]),
    (151, [155]),
    (157, [161]),
    (163, [167]),
    (169, [173]),
    (175, [179]),
    (181, [185]),
    (187, [191]),
    (193, [197, 203]),
    (205, [209]),
    (211, [215]),
]

goals: list[dict[str, str]] = []


def prioriterade_inriktningar() -> None:
    for no, (bullet, plan) in enumerate(GOALS, start=1):
        title = line(bullet).strip()
        if not title.startswith("- "):
            raise SystemExit(f"rad {bullet}: ingen punkt")
        if line(bullet + 2).strip() != "Plan för genomförande:":
            raise SystemExit(f"rad {bullet + 2}: väntade 'Plan för genomförande:'")
        row = {c: "" for c in GOAL_COLUMNS}
        row.update(
            doc_id=DOC,
            source_line=str(bullet),
            year="2023",
            malomrade_title=GOAL_AREA,
            goal_no=str(no),
            goal_title=title[2:].strip(),
            goal_text=" ".join(line(n).strip() for n in plan),
        )
        goals.append(row)


def write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([r[c] for c in columns])
    print(f"{path.relative_to(REPO)}: {len(rows)} rader")


def main() -> None:
    produktionsomraden()
    indikatorer()
    finansiella_mal()
    ekonomiska_forutsattningar()
    prioriterade_inriktningar()
    seed = REPO / "data" / "seed"
    write(seed / "figures" / f"{DOC}.csv", FIGURE_COLUMNS, figures)
    write(seed / "texts" / f"{DOC}.csv", TEXT_COLUMNS, texts)
    write(seed / "goals" / f"{DOC}.csv", GOAL_COLUMNS, goals)
    write(seed / "kf_goals" / f"{DOC}.csv", KF_GOAL_COLUMNS, [])


if __name__ == "__main__":
    main()
