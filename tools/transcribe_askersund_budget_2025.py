"""Transcribe askersund_budget_2025 (Askersund KS, "Nämndmål och budget 2025") into seed CSVs.

Reads data/sources/askersund_budget_2025.txt and writes, as printed:

- data/seed/figures/askersund_budget_2025.csv
- data/seed/goals/askersund_budget_2025.csv
- data/seed/kf_goals/askersund_budget_2025.csv
- data/seed/texts/askersund_budget_2025.csv

Every table figure is taken from the tab-split cells of the source line named in the
specs below (no number is retyped). Prose figures are given as (line, value) and the
script asserts that the value stands on that line. Deterministic; stdlib only.

Run: .venv/bin/python tools/transcribe_askersund_budget_2025.py
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from budgetrummet.seed import (  # noqa: E402
    FIGURE_COLUMNS,
    GOAL_COLUMNS,
    KF_GOAL_COLUMNS,
    TEXT_COLUMNS,
)

DOC = "askersund_budget_2025"
SRC = REPO / "data" / "sources" / f"{DOC}.txt"
SEED = REPO / "data" / "seed"
LINES = SRC.read_text(encoding="utf-8").split("\n")
PROSE_COLUMN = "löptext"  # column_label for figures printed in running text


def line(n: int) -> str:
    """Source line n (1-based)."""
    return LINES[n - 1]


def cells(n: int) -> list[str]:
    """The tab-separated cells of source line n, stripped."""
    return [c.strip() for c in line(n).split("\t")]


def slug(text: str) -> str:
    """ascii slug: 'Närlundaskolan, etapp 2' -> 'narlundaskolan_etapp_2'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")


def strip_tags(text: str) -> str:
    """Remove HTML tags left by the extraction; collapse whitespace."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


# --------------------------------------------------------------------------- columns
def column_version(label: str) -> tuple[str, str]:
    """'Bokslut 2023' -> ('bokslut', '2023'); 'Budget 2025' -> ('budget_kf', '2025')."""
    kind, year = label.split()
    version = {"Bokslut": "bokslut", "Budget": "budget_kf", "Plan": "plan"}[kind]
    return version, year


def fig(**kw: str | int) -> dict[str, str]:
    row = {c: "" for c in FIGURE_COLUMNS}
    row["doc_id"] = DOC
    row["unit"] = "tkr"
    row["row_kind"] = "line"
    for k, v in kw.items():
        assert k in row, k
        row[k] = str(v)
    return row


# --------------------------------------------------------------------------- tables
# Each table spec: table_id, table_title, header line, data lines, and a function that
# maps (row label, row_no) -> dict of line_key/row_kind/rollup_group/total_of/measure/category.


def table_rows(table_id: str, title: str, header: int, data: list[int], classify) -> list[dict]:
    heads = cells(header)
    out = []
    for row_no, n in enumerate(data, start=1):
        c = cells(n)
        assert len(c) == len(heads), (n, c)
        label = c[0]
        meta = classify(label, row_no)
        for col in range(1, len(heads)):
            value = c[col]
            if value == "":
                continue  # empty cell: no figure (not a zero)
            version, year = column_version(heads[col])
            out.append(
                fig(
                    table_id=table_id,
                    table_title=title,
                    source_line=n,
                    row_no=row_no,
                    line_label=label,
                    column_label=heads[col],
                    version=version,
                    year=year,
                    value_printed=value,
                    **meta,
                )
            )
    return out


def summa_classify(group: str):
    """Intäkter / Kostnader / Nettokostnad tables."""
    keys = {
        "Intäkter": dict(line_key="intakter", measure="intakt", rollup_group=group),
        "Kostnader": dict(line_key="kostnader", measure="kostnad", rollup_group=group),
        "Nettokostnad": dict(
            line_key="nettokostnad", measure="netto", row_kind="total", total_of=group
        ),
    }
    return lambda label, _row_no: keys[label]


def coded_classify(prefix: str, group: str):
    """'10 Nämnder/Styrelser' -> vh10 …; 'Summa' -> total."""

    def classify(label: str, _row_no: int) -> dict:
        if label == "Summa":
            return dict(line_key="total", measure="netto", row_kind="total", total_of=group)
        code = re.match(r"^(\d+) ", label)
        assert code, label
        return dict(line_key=f"{prefix}{code.group(1)}", measure="netto", rollup_group=group)

    return classify


# Investment categories as printed in the category table (line 477-480), their slugs.
CATEGORIES = {
    "Strategiska investeringar": "strategiska",
    "Reinvestering lokaler": "reinvestering_lokaler",
    "Utvecklingsprojekt": "utvecklingsprojekt",
    "Reinvestering nämnder": "reinvestering_namnder",
}
CATEGORY_LINES = [477, 478, 479, 480, 481]


def category_classify(label: str, _row_no: int) -> dict:
    if label == "Summa":
        return dict(line_key="total", measure="utgift", row_kind="total", total_of="inv_kategori")
    return dict(line_key=f"cat:{CATEGORIES[label]}", measure="utgift", rollup_group="inv_kategori")


# Project table (header 483), split over a page break after line 497. Category headings
# are not printed: the blocks end in "Summa" and follow the order of the category table.
PROJECT_BLOCKS = [
    ("Strategiska investeringar", list(range(484, 495))),  # ends with Summa on 494
    ("Reinvestering lokaler", [495, 496, 497]),
    ("Utvecklingsprojekt", list(range(501, 507))),
    ("Reinvestering nämnder", list(range(507, 513))),
]
PROJECT_TOTAL_LINE = 513
PROJECT_SLUG_OVERRIDES = {"Invest enl reinvesteringsplan": "reinvesteringsplan"}


def project_rows() -> list[dict]:
    lines: list[int] = []
    meta_by_line: dict[int, dict] = {}
    for cat_label, block in PROJECT_BLOCKS:
        cat = CATEGORIES[cat_label]
        assert cells(block[-1])[0] == "Summa", block[-1]
        for n in block:
            label = cells(n)[0]
            if label == "Summa":
                meta = dict(
                    line_key=f"summa:{cat}",
                    row_kind="total",
                    total_of=f"inv:{cat}",
                    rollup_group="inv_projekt_alla",
                )
            else:
                assert label != "Summa"
                key = PROJECT_SLUG_OVERRIDES.get(label, slug(label))
                meta = dict(line_key=f"proj:{key}", rollup_group=f"inv:{cat}")
            meta_by_line[n] = dict(meta, measure="utgift", category=cat_label)
            lines.append(n)
    assert cells(PROJECT_TOTAL_LINE)[0] == "Total summa"
    lines.append(PROJECT_TOTAL_LINE)
    meta_by_line[PROJECT_TOTAL_LINE] = dict(
        line_key="total", measure="utgift", row_kind="total", total_of="inv_projekt_alla"
    )
    by_row_no = {i: meta_by_line[n] for i, n in enumerate(lines, start=1)}
    return table_rows(
        "inv_projekt",
        "Investeringsbudget (tkr)",
        483,
        lines,
        lambda _label, row_no: by_row_no[row_no],
    )


# --------------------------------------------------------------------------- prose
# (table_id, table_title, line, line_label, line_key, measure, version, unit, value)
PROSE = [
    (
        "ram",
        "Ekonomiska förutsättningar",
        202,
        "resultatet för kommunen 2025 ska motsvara",
        "resultatmal",
        "andel",
        "mal",
        "procent",
        "0,9",
    ),
    (
        "ram",
        "Ekonomiska förutsättningar",
        206,
        "budgetram för 2025",
        "ram",
        "belopp",
        "budget_kf",
        "tkr",
        "115 021",
    ),
    (
        "ram",
        "Ekonomiska förutsättningar",
        206,
        "effektiviseringskrav",
        "effektiviseringskrav",
        "belopp",
        "budget_kf",
        "tkr",
        "1 907",
    ),
    (
        "ram",
        "Ekonomiska förutsättningar",
        206,
        "vilket motsvarar",
        "effektiviseringskrav_andel",
        "andel",
        "budget_kf",
        "procent",
        "1,7",
    ),
    (
        "ram_text_drift",
        "Drift- och investeringsbudget",
        367,
        "Den beslutade budgetramen",
        "ram",
        "belopp",
        "budget_kf",
        "tkr",
        "115 021",
    ),
    (
        "effektivisering_text",
        "Förändringar jämfört med tidigare år",
        383,
        "effektiviseringskrav på sig som motsvarar",
        "effektiviseringskrav",
        "belopp",
        "budget_kf",
        "tkr",
        "1 907",
    ),
]
# Joint bodies' budgets "För 2025 har följande budget för ändamålet avsatts" (375-379).
SAMVERKAN_LINES = [375, 376, 377, 378, 379]
SAMVERKAN_RE = re.compile(r"^- (?P<label>[^:]+): (?P<value>[\d ]+) tkr$")


def prose_rows() -> list[dict]:
    out = []
    row_nos: dict[str, int] = {}
    for table_id, title, n, label, key, measure, version, unit, value in PROSE:
        assert value in line(n) and label in line(n), (n, value, label)
        row_nos[table_id] = row_nos.get(table_id, 0) + 1
        out.append(
            fig(
                table_id=table_id,
                table_title=title,
                source_line=n,
                row_no=row_nos[table_id],
                line_label=label,
                line_key=key,
                column_label=PROSE_COLUMN,
                measure=measure,
                version=version,
                year=2025,
                unit=unit,
                value_printed=value,
            )
        )
    for row_no, n in enumerate(SAMVERKAN_LINES, start=1):
        m = SAMVERKAN_RE.match(line(n))
        assert m, n
        out.append(
            fig(
                table_id="samverkan",
                table_title="Drift- och investeringsbudget",
                source_line=n,
                row_no=row_no,
                line_label=m["label"],
                line_key=f"sv:{slug(m['label'])}",
                column_label=PROSE_COLUMN,
                measure="belopp",
                version="budget_kf",
                year=2025,
                value_printed=m["value"].strip(),
            )
        )
    return out


def figure_rows() -> list[dict]:
    rows = prose_rows()
    rows += table_rows(
        "drift_summa", "Driftbudget (tkr)", 421, [422, 423, 424], summa_classify("drift_summa")
    )
    rows += table_rows(
        "drift_verksamhet",
        "Driftbudget (tkr)",
        428,
        list(range(429, 452)),
        coded_classify("vh", "drift_verksamhet"),
    )
    rows += table_rows(
        "finans_summa",
        "Driftbudget Finansförvaltningen",
        455,
        [456, 457, 458],
        summa_classify("finans_summa"),
    )
    rows += table_rows(
        "finans_post",
        "Driftbudget Finansförvaltningen",
        462,
        list(range(463, 473)),
        coded_classify("fp", "finans_post"),
    )
    rows += table_rows(
        "inv_kategori", "Investeringsbudget (tkr)", 476, CATEGORY_LINES, category_classify
    )
    rows += project_rows()
    return rows


# --------------------------------------------------------------------------- goals
# (malomrade_no, heading line, kf-goal bullet lines, goal row lines)
MALOMRADEN = [
    (1, 220, [230, 231, 232], [239, 240, 241]),
    (2, 243, [259, 260], [265, 266, 267]),
    (3, 269, [287, 288], [293, 294, 298, 299, 300]),
    (4, 302, [310, 311], [316, 320, 321, 322, 323, 327]),
    (5, 330, [342, 343, 344], [349, 353, 354, 355, 356, 357, 362, 363]),
]
# Goal cells without a colon after the title: the title phrase, split by judgement.
TITLE_SPLITS = {
    349: "Strategisk kommunikation för trovärdighet och transparens",
    354: "Struktur för rapporteringsmått",
    362: "Utvecklad styrmodell",
    363: "Detaljplaner",
}
# A goal text continued after a page break: goal line -> continuation line (cell 2).
CONTINUATIONS = {357: 361}
MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})|(\d{1,2}) (" + "|".join(MONTHS) + r")\b")


def followup_dates(text: str, year: int = 2025) -> str:
    dates = []
    for m in DATE_RE.finditer(text):
        if m.group(1):
            day, month = int(m.group(1)), int(m.group(2))
        else:
            day, month = int(m.group(3)), MONTHS[m.group(4)]
        dates.append(f"{year:04d}-{month:02d}-{day:02d}")
    return "|".join(dates)


def malomrade(heading: int) -> tuple[int, str]:
    m = re.match(r"^Målområde (\d): (.+)$", line(heading).strip())
    assert m, heading
    return int(m.group(1)), m.group(2)


def goal_rows() -> tuple[list[dict], list[dict]]:
    goals, kf_goals = [], []
    for no, heading, kf_lines, goal_lines in MALOMRADEN:
        printed_no, title = malomrade(heading)
        assert printed_no == no
        for kf_no, n in enumerate(kf_lines, start=1):
            text = line(n).strip()
            assert text.startswith("- "), n
            kf_goals.append(
                dict(
                    doc_id=DOC,
                    source_line=n,
                    year=2025,
                    malomrade_no=no,
                    malomrade_title=title,
                    kf_goal_no=kf_no,
                    text=text[2:],
                )
            )
        for n in goal_lines:
            c = cells(n)
            assert len(c) == 4 and c[0].isdigit(), (n, c)
            cell = strip_tags(c[1])
            if n in TITLE_SPLITS:
                goal_title = TITLE_SPLITS[n]
                assert cell.startswith(goal_title + " "), n
                goal_text = cell[len(goal_title) :].strip()
            else:
                goal_title, goal_text = (s.strip() for s in cell.split(":", 1))
            if n in CONTINUATIONS:
                cont = cells(CONTINUATIONS[n])
                assert cont[0] == "" and all(x == "" for x in cont[2:]), cont
                goal_text = f"{goal_text} {strip_tags(cont[1])}"
            goals.append(
                dict(
                    doc_id=DOC,
                    source_line=n,
                    year=2025,
                    malomrade_no=no,
                    malomrade_title=title,
                    goal_no=c[0],
                    goal_title=goal_title,
                    goal_text=goal_text,
                    malprecisering=strip_tags(c[2]),
                    followup_printed=c[3],
                    followup_dates=followup_dates(c[3]),
                )
            )
    return goals, kf_goals


# --------------------------------------------------------------------------- texts
# Figure-related texts: (table_id, line, line_key, ref, kind, text copied from the line).
TEXTS = [
    (
        "ram_text_drift",
        367,
        "ram",
        "ram_komplettering",
        "anmarkning",
        "Den beslutade budgetramen på 115 021 tkr ska kompletteras med budget för "
        "kapitaltjänstkostnader, budget för interna köp och kompensation för lönerrevision "
        "och hyresökningar.",
    ),
    (
        "kostnadsrisker",
        369,
        "kostnadsrisker",
        "risk_intro",
        "risk",
        "Det finns ett antal områden där en viss osäkerhet råder kring utvecklingen av "
        "kostnaderna 2025 och där en risk för budgetöverskridande föreligger.",
    ),
    (
        "kostnadsrisker",
        369,
        "vh44",
        "risk_skolskjutsar",
        "risk",
        "Det handlar främst om kostnaderna för skolskjutsarna som starkt påverkas av "
        "Länsstrafikens planer på neddragning av busslinjer i Askersunds kommun.",
    ),
    (
        "kostnadsrisker",
        369,
        "sv:sydnarkes_utbildningsforbund",
        "risk_sydnarkes_utbildningsforbund",
        "risk",
        "Sydnärkes Utbildningsförbund arbetar aktivt för att rymma sin verksamhet inom beslutad "
        "budgetram men även här finns en farhåga att Askersunds kommun kan behöva skjuta till "
        "extra medlemsbidrag 2025 för att förbundet inte ska riskera ett negativt eget kapital.",
    ),
    (
        "kostnadsrisker",
        371,
        "ej_budgeterat",
        "ej_budgeterat_rivning",
        "ej_budgeterat",
        "Några poster har inte budgeterats i. Det handlar om de kostnader som under 2025 kan "
        "uppstå för rivning och nedskrivning av restvärden på fastigheter som inte längre "
        "används och som bedöms inte gå att sälja. Det handlar främst om förskolorna "
        "Lunnagården och g: a Mosippan.",
    ),
    (
        "effektivisering_text",
        385,
        "effektiviseringskrav",
        "effektivisering_atgard_1",
        "atgard",
        "Fortsatt vakanshållande av administrativ chef",
    ),
    (
        "effektivisering_text",
        386,
        "effektiviseringskrav",
        "effektivisering_atgard_2",
        "atgard",
        "Fortsatt vakanshållande av besöksnäringstrateg",
    ),
    (
        "effektivisering_text",
        387,
        "effektiviseringskrav",
        "effektivisering_atgard_3",
        "atgard",
        "Minskade medel till kommunikation",
    ),
    (
        "effektivisering_text",
        388,
        "effektiviseringskrav",
        "effektivisering_atgard_4",
        "atgard",
        "Allmänna budgetjusteringar",
    ),
]


def text_rows() -> list[dict]:
    out = []
    for table_id, n, key, ref, kind, text in TEXTS:
        assert text in line(n), n
        out.append(
            dict(
                doc_id=DOC,
                table_id=table_id,
                source_line=n,
                line_key=key,
                ref=ref,
                kind=kind,
                text=text,
            )
        )
    return out


# --------------------------------------------------------------------------- output
def write(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            assert set(row) == set(columns), set(row) ^ set(columns)
            w.writerow([row[c] for c in columns])
    print(f"{path.relative_to(REPO)}: {len(rows)} rows")


def main() -> None:
    goals, kf_goals = goal_rows()
    write(SEED / "figures" / f"{DOC}.csv", FIGURE_COLUMNS, figure_rows())
    write(SEED / "goals" / f"{DOC}.csv", GOAL_COLUMNS, goals)
    write(SEED / "kf_goals" / f"{DOC}.csv", KF_GOAL_COLUMNS, kf_goals)
    write(SEED / "texts" / f"{DOC}.csv", TEXT_COLUMNS, text_rows())


if __name__ == "__main__":
    main()
