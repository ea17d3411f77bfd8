"""The seed files under ``data/seed``: their schema, loading and validation.

The seed files are the transcription of the source documents, as printed. This module
knows their columns and checks every row against the source text it cites: the printed
value must stand on the cited line of the cited document. A transcription slip (wrong
line, a digit typed wrong) therefore fails the validation instead of reaching a page.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from budgetrummet.numbers import FigureParseError, parse_figure

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPO_ROOT / "data" / "seed"
SOURCES_DIR = REPO_ROOT / "data" / "sources"

FIGURE_COLUMNS = (
    "doc_id",
    "table_id",
    "table_title",
    "source_line",
    "row_no",
    "line_label",
    "line_key",
    "row_kind",
    "rollup_group",
    "total_of",
    "column_label",
    "measure",
    "version",
    "year",
    "as_of",
    "unit",
    "value_printed",
    "category",
)
GOAL_COLUMNS = (
    "doc_id",
    "source_line",
    "year",
    "malomrade_no",
    "malomrade_title",
    "goal_no",
    "goal_title",
    "goal_text",
    "malprecisering",
    "followup_printed",
    "followup_dates",
)
KF_GOAL_COLUMNS = (
    "doc_id",
    "source_line",
    "year",
    "malomrade_no",
    "malomrade_title",
    "kf_goal_no",
    "text",
)
INDICATOR_COLUMNS = (
    "doc_id",
    "source_line",
    "goal_no",
    "goal_title",
    "malomrade_printed",
    "indicator_no",
    "indicator_label",
    "target_printed",
    "target_operator",
    "target_value",
    "unit",
    "better",
    "outcome_printed",
    "outcome_year",
    "previous_printed",
    "previous_year",
    "trend_printed",
    "comment",
)
TEXT_COLUMNS = ("doc_id", "table_id", "source_line", "line_key", "ref", "kind", "text")
ERRATA_COLUMNS = (
    "doc_id",
    "table_id",
    "source_line",
    "row_no",
    "line_key",
    "column_label",
    "field",
    "printed",
    "corrected",
    "kind",
    "reason",
)
SOURCE_COLUMNS = (
    "doc_id",
    "org_id",
    "org_name",
    "body",
    "title",
    "doc_type",
    "doc_date",
    "file",
    "original_file",
    "sha256",
    "short_title",
)

# Per-document facts the code must not hold: ``config/<kind>/<doc_id>.csv``. Each row
# names a document and line keys that must exist among that document's figures.
CONFIG_COLUMNS: dict[str, tuple[str, ...]] = {
    # The same quantity under different (table, line key) in one document.
    "aliases": ("doc_id", "table_id", "line_key", "alias"),
    # A printed relation: round(scale × Σ coef × term [/ divisor]) == target.
    "rules": (
        "doc_id",
        "rule_id",
        "description",
        "role",
        "coef",
        "scale",
        "table_id",
        "line_key",
        "column_label",
    ),
    # One investment project keyed differently in two documents, with the reason.
    "key_matches": ("doc_id", "line_key", "match_doc_id", "match_line_key", "reason"),
    # What a line (or a text table) of the document is for the pages: see LINE_ROLES.
    "roles": ("doc_id", "role", "table_id", "line_key", "target_key"),
    # Cost risks the document names, offered as scenario levers.
    "risks": (
        "doc_id",
        "risk_key",
        "text_ref",
        "label",
        "years",
        "line_key",
        "note",
        "suggestion_doc_id",
        "suggestion_table_id",
        "suggestion_line_key",
        "suggestion_column_label",
        "suggestion_note",
    ),
    # What a page must say about the document (Swedish, shown as written), per topic.
    "notes": ("doc_id", "topic", "note_no", "text"),
    # Financial goals the document states only in words, quoted from the cited line.
    "worded_goals": ("doc_id", "source_line", "goal_key", "name", "quote"),
}
RULE_ROLES = {"target", "term", "divisor"}
# Roles of a figure line (table_id + line_key name a printed line).
FIGURE_ROLES = {
    "ram",  # the board's budget frame
    "krav_belopp",  # the efficiency requirement, amount
    "krav_andel",  # the efficiency requirement, printed percentage
    "resultatmal",  # the municipality's result goal in percent
    "finans_netto",  # the finance administration's net
    "skatteintakter",  # tax revenue
    "statsbidrag",  # general state grants
    "avskrivningar",  # depreciation
    "samverkan",  # a fee to a joint body (line_key) that sits in a line (target_key)
}
# Roles of a text table (table_id names a table of ``texts``; no line key).
TEXT_ROLES = {"risktext", "atgardstext"}
NOTE_TOPICS = {"scenarier"}

ROW_KINDS = {"line", "total", "memo"}
VERSIONS = {
    "bokslut",
    "budget_kf",
    "budget_justerad",
    "plan",
    "prognos",
    "utfall",
    "avvikelse",
    "mal",
    "projekt_utfall",
    "projekt_prognos",
    "projekt_budget",
    "projekt_avvikelse",
}
UNITS = {"tkr", "mkr", "kr", "procent", "index", "placering", "antal"}
OPERATORS = {"<", "<=", ">", ">=", "=", ""}
BETTER = {"lower", "higher", ""}


@dataclass(frozen=True)
class SeedProblem:
    """One validation finding: which file, which data row (1-based), what is wrong."""

    file: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, rad {self.row}: {self.message}"


def read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Read a seed CSV; raise ValueError when its header differs from ``columns``."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(
                f"{path.name}: kolumnerna {reader.fieldnames} skiljer sig från {columns}"
            )
        return list(reader)


def source_lines(doc_id: str, sources_dir: Path = SOURCES_DIR) -> list[str]:
    """The lines of a source document (index 0 is line 1)."""
    return (sources_dir / f"{doc_id}.txt").read_text(encoding="utf-8").split("\n")


def figure_files(seed_dir: Path = SEED_DIR) -> list[Path]:
    return sorted((seed_dir / "figures").glob("*.csv"))


def _token(printed: str) -> re.Pattern[str]:
    """The figure as a whole number: not the tail, head or unsigned part of another."""
    return re.compile(
        r"(?<![\d,\-\u2212])(?<!\d )" + re.escape(printed) + r"(?![\d]|,\d)(?! \d{3}(?!\d))"
    )


def _in_cell(printed: str, line: str) -> bool:
    """A figure is a whole cell of a tab-separated line, or a number standing alone in prose.

    On a tab-separated line a prose cell (one with letters) may carry a figure in its
    sentence; on a prose line the figure must likewise stand alone.
    """
    cells = [c.strip() for c in line.split("\t")]
    if printed in cells:
        return True
    token = _token(printed)
    return any(re.search(r"[A-Za-zÅÄÖåäö]", c) and token.search(c) for c in cells)


def validate_figures(
    rows: list[dict[str, str]], file: str, sources_dir: Path = SOURCES_DIR
) -> list[SeedProblem]:
    """Check figure rows against the schema and against the cited source lines."""
    problems: list[SeedProblem] = []
    cache: dict[str, list[str]] = {}
    seen: set[tuple[str, ...]] = set()
    for i, row in enumerate(rows, start=1):

        def bad(msg: str, i: int = i) -> None:
            problems.append(SeedProblem(file, i, msg))

        doc = row["doc_id"]
        if doc not in cache:
            try:
                cache[doc] = source_lines(doc, sources_dir)
            except FileNotFoundError:
                bad(f"okänt dokument {doc!r}")
                continue
        lines = cache[doc]
        try:
            line_no = int(row["source_line"])
            text = lines[line_no - 1]
        except (ValueError, IndexError):
            bad(f"source_line {row['source_line']!r} finns inte i {doc}")
            continue
        printed = row["value_printed"]
        try:
            parse_figure(printed)
        except FigureParseError as exc:
            bad(f"value_printed: {exc}")
        if printed not in text:
            bad(f"värdet {printed!r} står inte på rad {line_no} i {doc}")
        elif not _in_cell(printed.strip(), text):
            bad(
                f"värdet {printed!r} är varken en hel cell eller ett tal i en textcell "
                f"på rad {line_no}"
            )
        if row["row_kind"] not in ROW_KINDS:
            bad(f"row_kind {row['row_kind']!r} okänd")
        if row["version"] not in VERSIONS:
            bad(f"version {row['version']!r} okänd")
        if row["unit"] not in UNITS:
            bad(f"unit {row['unit']!r} okänd")
        if row["row_kind"] == "total" and not row["total_of"]:
            bad("en summarad saknar total_of")
        if row["row_kind"] != "total" and row["total_of"]:
            bad("total_of får bara anges på summarader")
        if not row["year"].isdigit():
            bad(f"year {row['year']!r} är inte ett årtal")
        for col in ("table_id", "table_title", "line_label", "line_key", "column_label", "measure"):
            if not row[col].strip():
                bad(f"{col} saknas")
        key = (
            doc,
            row["table_id"],
            row["line_key"],
            row["column_label"],
            row["measure"],
            row["row_no"],
        )
        if key in seen:
            bad(f"dubblett: {key}")
        seen.add(key)
    return problems


def _strip_tags(text: str) -> str:
    """The line without the HTML tags the PDF extraction left in some cells."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _validate_cited(rows: list[dict[str, str]], name: str, sources_dir: Path) -> list[SeedProblem]:
    """Check rows of the text-like seed files against the line they cite."""
    problems: list[SeedProblem] = []
    for i, row in enumerate(rows, start=1):
        try:
            raw = source_lines(row["doc_id"], sources_dir)[int(row["source_line"]) - 1]
        except (FileNotFoundError, ValueError, IndexError):
            problems.append(SeedProblem(name, i, "dokument eller source_line finns inte"))
            continue
        text = _strip_tags(raw)

        def absent(value: str, text: str = text) -> bool:
            return " ".join(_strip_tags(value).split()) not in text

        if "target_operator" in row:
            if row["target_operator"] not in OPERATORS:
                problems.append(SeedProblem(name, i, "okänd target_operator"))
            if row["better"] not in BETTER:
                problems.append(SeedProblem(name, i, "okänd better"))
            if absent(row["indicator_label"]):
                problems.append(SeedProblem(name, i, "indikatorn står inte på raden"))
        if "field" in row and absent(row["printed"]):
            problems.append(SeedProblem(name, i, "det tryckta värdet står inte på raden"))
        if "goal_title" in row and "malprecisering" in row and absent(row["goal_title"]):
            problems.append(SeedProblem(name, i, "målets rubrik står inte på raden"))
        if "kf_goal_no" in row and absent(row["text"]):
            problems.append(SeedProblem(name, i, "målets text står inte på raden"))
        if "kind" in row and "ref" in row and row["text"] and absent(row["text"]):
            problems.append(SeedProblem(name, i, "texten står inte på raden"))
    return problems


def config_files(kind: str, seed_dir: Path = SEED_DIR) -> list[Path]:
    return sorted((seed_dir / "config" / kind).glob("*.csv"))


def read_config(kind: str, seed_dir: Path = SEED_DIR) -> list[dict[str, str]]:
    """All rows of one config kind, every document's file in name order."""
    rows: list[dict[str, str]] = []
    for path in config_files(kind, seed_dir):
        rows += read_csv(path, CONFIG_COLUMNS[kind])
    return rows


def _decimal_or_empty(text: str) -> bool:
    try:
        parse_figure(text) if text.strip() else None
    except FigureParseError:
        return False
    return True


def validate_config(
    seed_dir: Path = SEED_DIR, sources_dir: Path = SOURCES_DIR
) -> list[SeedProblem]:
    """Check the per-document config against the sources and the figures they name.

    Refused: a missing config folder, a file not named after its rows' document, an
    unknown document, a line key (or table, or column) that the document's figures do
    not have, and for rules an unknown role, a bad number or not exactly one target.
    """
    problems: list[SeedProblem] = []
    docs = {r["doc_id"] for r in read_csv(sources_dir / "sources.csv", SOURCE_COLUMNS)}
    keys: set[tuple[str, str, str]] = set()
    cells: set[tuple[str, str, str, str]] = set()
    doc_keys: set[tuple[str, str]] = set()
    for path in figure_files(seed_dir):
        for r in read_csv(path, FIGURE_COLUMNS):
            keys.add((r["doc_id"], r["table_id"], r["line_key"]))
            cells.add((r["doc_id"], r["table_id"], r["line_key"], r["column_label"]))
            doc_keys.add((r["doc_id"], r["line_key"]))
    text_tables: set[tuple[str, str]] = set()
    text_refs: set[tuple[str, str]] = set()
    for path in sorted((seed_dir / "texts").glob("*.csv")):
        for r in read_csv(path, TEXT_COLUMNS):
            text_tables.add((r["doc_id"], r["table_id"]))
            text_refs.add((r["doc_id"], r["ref"]))
    for kind, columns in CONFIG_COLUMNS.items():
        folder = seed_dir / "config" / kind
        if not folder.is_dir():
            problems.append(SeedProblem(f"config/{kind}", 0, "mappen saknas"))
            continue
        targets: dict[str, int] = {}
        role_of: dict[tuple[str, str, str], str] = {}
        for path in config_files(kind, seed_dir):
            name = f"config/{kind}/{path.name}"
            for i, row in enumerate(read_csv(path, columns), start=1):

                def bad(msg: str, i: int = i, name: str = name) -> None:
                    problems.append(SeedProblem(name, i, msg))

                doc = row["doc_id"]
                if doc not in docs:
                    bad(f"okänt dokument {doc!r}")
                    continue
                if path.stem != doc:
                    bad(f"raden gäller {doc!r} men filen heter {path.name}")
                if kind == "aliases" and (doc, row["table_id"], row["line_key"]) not in keys:
                    bad(f"radnyckeln {row['line_key']!r} finns inte i {doc}/{row['table_id']}")
                if kind == "rules":
                    cell = (doc, row["table_id"], row["line_key"], row["column_label"])
                    if cell not in cells:
                        bad(f"siffran {cell[1:]} finns inte i {doc}")
                    if row["role"] not in RULE_ROLES:
                        bad(f"role {row['role']!r} okänd")
                    if not (_decimal_or_empty(row["coef"]) and _decimal_or_empty(row["scale"])):
                        bad("coef och scale ska vara tal")
                    if row["role"] == "target":
                        targets[row["rule_id"]] = targets.get(row["rule_id"], 0) + 1
                    else:
                        targets.setdefault(row["rule_id"], 0)
                if kind == "roles":
                    line = (doc, row["table_id"], row["line_key"])
                    if row["line_key"] and line in role_of:
                        bad(f"raden {row['line_key']!r} har redan rollen {role_of[line]!r}")
                    role_of[line] = row["role"]
                    if row["role"] in FIGURE_ROLES:
                        if (doc, row["table_id"], row["line_key"]) not in keys:
                            bad(f"raden {row['line_key']!r} finns inte i {doc}/{row['table_id']}")
                        if row["target_key"] and (doc, row["target_key"]) not in doc_keys:
                            bad(f"radnyckeln {row['target_key']!r} finns inte i {doc}")
                    elif row["role"] in TEXT_ROLES:
                        if (doc, row["table_id"]) not in text_tables:
                            bad(f"texttabellen {row['table_id']!r} finns inte i {doc}")
                    else:
                        bad(f"role {row['role']!r} okänd")
                if kind == "risks":
                    if (doc, row["text_ref"]) not in text_refs:
                        bad(f"texten {row['text_ref']!r} finns inte i {doc}")
                    if row["line_key"] and (doc, row["line_key"]) not in doc_keys:
                        bad(f"radnyckeln {row['line_key']!r} finns inte i {doc}")
                    if not all(y.isdigit() for y in row["years"].split("|") if y):
                        bad(f"years {row['years']!r} ska vara årtal åtskilda med |")
                    cell = tuple(
                        row[f"suggestion_{c}"]
                        for c in ("doc_id", "table_id", "line_key", "column_label")
                    )
                    if any(cell) and cell not in cells:
                        bad(f"förslagets siffra {cell} finns inte")
                if kind == "notes":
                    if row["topic"] not in NOTE_TOPICS:
                        bad(f"topic {row['topic']!r} okänt")
                    if not row["note_no"].isdigit() or not row["text"].strip():
                        bad("note_no ska vara ett tal och texten får inte vara tom")
                if kind == "worded_goals":
                    try:
                        line = source_lines(doc, sources_dir)[int(row["source_line"]) - 1]
                    except (ValueError, IndexError):
                        bad(f"source_line {row['source_line']!r} finns inte i {doc}")
                    else:
                        if " ".join(row["quote"].split()) not in _strip_tags(line):
                            bad("målets formulering står inte på raden")
                if kind == "key_matches":
                    if (doc, row["line_key"]) not in doc_keys:
                        bad(f"radnyckeln {row['line_key']!r} finns inte i {doc}")
                    match = (row["match_doc_id"], row["match_line_key"])
                    if match not in doc_keys:
                        bad(f"radnyckeln {match[1]!r} finns inte i {match[0]!r}")
                    if not row["reason"].strip():
                        bad("motivering saknas")
        for rule_id, n in targets.items():
            if n != 1:
                problems.append(
                    SeedProblem(f"config/{kind}", 0, f"regeln {rule_id!r} har {n} mål, ska ha 1")
                )
    return problems


# An organisation's id: lower-case letters (a–z), digits, "_" and "-". It names the
# organisation's folder in the store's tables partitioned by organisation, and the app
# refuses any other id for an organisation added at run time.
ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")


def validate_org_ids(sources_dir: Path = SOURCES_DIR) -> list[SeedProblem]:
    """Every document's organisation id follows ``ORG_ID``."""
    rows = read_csv(sources_dir / "sources.csv", SOURCE_COLUMNS)
    return [
        SeedProblem(
            "sources.csv",
            i,
            f"org_id {row['org_id']!r}: bara a–z, siffror, _ och - (2–40 tecken)",
        )
        for i, row in enumerate(rows, start=1)
        if not ORG_ID.match(row["org_id"])
    ]


def validate_all(seed_dir: Path = SEED_DIR, sources_dir: Path = SOURCES_DIR) -> list[SeedProblem]:
    """Validate every seed file; an empty list means the transcription is consistent."""
    problems: list[SeedProblem] = []
    for path in figure_files(seed_dir):
        problems += validate_figures(read_csv(path, FIGURE_COLUMNS), path.name, sources_dir)
    for folder, cols in (
        ("goals", GOAL_COLUMNS),
        ("kf_goals", KF_GOAL_COLUMNS),
        ("goal_indicators", INDICATOR_COLUMNS),
        ("texts", TEXT_COLUMNS),
    ):
        for path in sorted((seed_dir / folder).glob("*.csv")):
            problems += _validate_cited(read_csv(path, cols), f"{folder}/{path.name}", sources_dir)
    errata = seed_dir / "errata.csv"
    if errata.exists():
        problems += _validate_cited(read_csv(errata, ERRATA_COLUMNS), "errata.csv", sources_dir)
    problems += validate_config(seed_dir, sources_dir)
    problems += validate_org_ids(sources_dir)
    return problems


if __name__ == "__main__":
    found = validate_all()
    for p in found:
        print(p)
    print(f"{len(found)} problem")
    raise SystemExit(1 if found else 0)
