"""Build the warehouse from the seed files: parse, apply errata, reconcile, publish.

``python -m budgetrummet.build`` (``make warehouse``) validates the transcription
against the source texts, turns every printed figure into an exact decimal, applies
the documented errata (keeping the printed value beside the corrected one), runs the
reconciliation and publishes all tables through ``budgetrummet.store``. The same seed
files always give the same table files and manifest, so building twice is a no-op.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import polars as pl

from budgetrummet import reconcile, seed, store, tables, vocab
from budgetrummet.numbers import decimals_of, parse_figure

DECIMAL = vocab.DECIMAL


class SeedInvalidError(RuntimeError):
    """The seed files do not match their source documents; nothing was published."""


# The code that turns seed files into tables: a change to it must rebuild the warehouse.
BUILD_CODE = ("build.py", "reconcile.py", "seed.py", "numbers.py", "store.py")


def seed_checksum(seed_dir: Path = seed.SEED_DIR, sources_dir: Path = seed.SOURCES_DIR) -> str:
    """One sha256 over the seed and source files and the build code, in sorted order."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for name in BUILD_CODE:
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    for base in (seed_dir, sources_dir):
        for path in sorted(
            p for p in base.rglob("*") if p.is_file() and p.suffix in {".csv", ".txt"}
        ):
            digest.update(str(path.relative_to(base.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_sources(sources_dir: Path = seed.SOURCES_DIR) -> list[dict[str, str]]:
    return seed.read_csv(sources_dir / "sources.csv", seed.SOURCE_COLUMNS)


def load_figures(
    seed_dir: Path = seed.SEED_DIR, sources_dir: Path = seed.SOURCES_DIR
) -> list[dict]:
    """All figure rows with parsed values, organisation, order and errata applied."""
    org_of = {s["doc_id"]: s["org_id"] for s in load_sources(sources_dir)}
    errata = {
        (
            e["doc_id"],
            e["table_id"],
            e["source_line"],
            e["row_no"],
            e["line_key"],
            e["column_label"],
            e["field"],
        ): e
        for e in seed.read_csv(seed_dir / "errata.csv", seed.ERRATA_COLUMNS)
    }
    rows: list[dict] = []
    used: set[tuple] = set()
    for path in seed.figure_files(seed_dir):
        for order, raw in enumerate(seed.read_csv(path, seed.FIGURE_COLUMNS)):
            printed = parse_figure(raw["value_printed"])
            key = (
                raw["doc_id"],
                raw["table_id"],
                raw["source_line"],
                raw["row_no"],
                raw["line_key"],
                raw["column_label"],
            )
            value_err = errata.get((*key, "value"))
            year_err = errata.get((*key, "year"))
            used.update(k for k in ((*key, "value"), (*key, "year")) if k in errata)
            rows.append(
                {
                    **raw,
                    "org_id": org_of[raw["doc_id"]],
                    "source_line": int(raw["source_line"]),
                    "row_no": int(raw["row_no"]),
                    "year_printed": int(raw["year"]),
                    "year": int(year_err["corrected"]) if year_err else int(raw["year"]),
                    "value_printed_num": printed,
                    "value": parse_figure(value_err["corrected"]) if value_err else printed,
                    "decimals": decimals_of(raw["value_printed"]),
                    "has_erratum": bool(value_err or year_err),
                    "_order": order,
                }
            )
    unmatched = set(errata) - used
    if unmatched:
        raise SeedInvalidError(f"errata utan motsvarande siffra: {sorted(unmatched)}")
    return rows


def _figures_frame(rows: list[dict]) -> pl.DataFrame:
    cols = [c for c in seed.FIGURE_COLUMNS if c not in {"year"}] + [
        "org_id",
        "year",
        "year_printed",
        "value_printed_num",
        "value",
        "decimals",
        "has_erratum",
    ]
    frame = pl.DataFrame(
        [{c: r[c] for c in cols} for r in rows],
        schema_overrides={
            "value_printed_num": DECIMAL,
            "value": DECIMAL,
            "source_line": pl.Int32,
            "row_no": pl.Int32,
            "year": pl.Int32,
            "year_printed": pl.Int32,
            "decimals": pl.Int8,
        },
        infer_schema_length=None,
    )
    return frame.sort(["org_id", "doc_id", "table_id", "row_no", "column_label"])


def reconciliation_frame(
    rows: list[dict],
    texts: list[dict] | None = None,
    goals: list[dict] | None = None,
    rules: tuple[reconcile.Rule, ...] | None = None,
    aliases: reconcile.Aliases | None = None,
) -> pl.DataFrame:
    """All reconciliation findings as a table; a rule whose figures are missing is an error.

    ``rules`` and ``aliases`` default to the seed's ``config/rules`` and ``config/aliases``.
    """
    if rules is None:
        rules = reconcile.rules_from_rows(seed.read_config("rules"))
    if aliases is None:
        aliases = reconcile.aliases_from_rows(seed.read_config("aliases"))
    findings = (
        reconcile.check_totals(rows)
        + reconcile.check_net(rows)
        + reconcile.check_deviation(rows)
        + reconcile.check_same_figure(rows, aliases)
        + reconcile.check_references(
            texts or [],
            {(r["doc_id"], r["table_id"], r["line_key"]): r["line_label"] for r in rows},
            {(r["doc_id"], r["table_id"]): r["table_title"] for r in rows},
        )
        + reconcile.check_goal_numbering(goals or [])
    )
    rule_findings, missing = reconcile.check_rules(rows, rules)
    if missing:
        raise SeedInvalidError(f"regler utan sina siffror: {', '.join(missing)}")
    findings += rule_findings
    records = [reconcile.finding_row(f) for f in findings]
    return pl.DataFrame(
        records,
        schema_overrides={
            "reported": DECIMAL,
            "computed": DECIMAL,
            "difference": DECIMAL,
            "tolerance": DECIMAL,
            "source_line": pl.Int32,
            "klass_order": pl.Int8,
        },
        infer_schema_length=None,
    ).sort(["org_id", "klass_order", "doc_id", "table_id", "source_line", "check_id"])


def _text_frame(folder: str, columns: tuple[str, ...], sources: list[dict]) -> pl.DataFrame:
    org_of = {s["doc_id"]: s["org_id"] for s in sources}
    rows = []
    for path in sorted((seed.SEED_DIR / folder).glob("*.csv")):
        for r in seed.read_csv(path, columns):
            rows.append({**r, "org_id": org_of[r["doc_id"]], "source_line": int(r["source_line"])})
    schema = {c: pl.String for c in columns} | {"org_id": pl.String, "source_line": pl.Int32}
    return pl.DataFrame(rows, schema=schema).sort(["org_id", "doc_id", "source_line"])


# Config kinds published as warehouse tables (aliases and rules serve the build only).
CONFIG_TABLES = {
    "key_matches": "key_matches",
    "roles": "line_roles",
    "risks": "cost_risks",
    "notes": "doc_notes",
    "worded_goals": "worded_goals",
}


def _config_frame(kind: str, org_of: dict[str, str]) -> pl.DataFrame:
    """One config kind (``data/seed/config/<kind>``) as a table, with the organisation
    and ``row_no``, the row's place in its file (the order it is shown in)."""
    columns = seed.CONFIG_COLUMNS[kind]
    rows = []
    for path in seed.config_files(kind):
        for i, r in enumerate(seed.read_csv(path, columns), start=1):
            rows.append({**r, "org_id": org_of[r["doc_id"]], "row_no": i})
    schema = {c: pl.String for c in columns} | {"org_id": pl.String, "row_no": pl.Int32}
    return pl.DataFrame(rows, schema=schema)


def build_frames() -> dict[str, pl.DataFrame]:
    """All warehouse tables, computed from the seed files (no I/O beyond reading)."""
    problems = seed.validate_all()
    if problems:
        listing = "\n".join(str(p) for p in problems[:50])
        raise SeedInvalidError(f"{len(problems)} fel i seed-filerna:\n{listing}")
    sources = load_sources()
    rows = load_figures()
    errata = seed.read_csv(seed.SEED_DIR / "errata.csv", seed.ERRATA_COLUMNS)
    org_of = {s["doc_id"]: s["org_id"] for s in sources}
    orgs = sorted({(s["org_id"], s["org_name"]) for s in sources})
    frames = {
        "goals": _text_frame("goals", seed.GOAL_COLUMNS, sources),
        "kf_goals": _text_frame("kf_goals", seed.KF_GOAL_COLUMNS, sources),
        "goal_indicators": _text_frame("goal_indicators", seed.INDICATOR_COLUMNS, sources),
        "texts": _text_frame("texts", seed.TEXT_COLUMNS, sources),
    }
    return frames | {
        "organisations": pl.DataFrame(orgs, schema=["org_id", "org_name"], orient="row"),
        "sources": pl.DataFrame(sources).sort("doc_id"),
        "figures": _figures_frame(rows),
        "errata": pl.DataFrame(
            [
                {**e, "org_id": org_of[e["doc_id"]], "source_line": int(e["source_line"])}
                for e in errata
            ],
            schema={c: pl.String for c in seed.ERRATA_COLUMNS}
            | {"org_id": pl.String, "source_line": pl.Int32},
        ),
        **{table: _config_frame(kind, org_of) for kind, table in CONFIG_TABLES.items()},
        "reconciliation": reconciliation_frame(
            rows,
            texts=frames["texts"].to_dicts(),
            goals=frames["goals"].to_dicts(),
        ),
    }


def build(
    root: Path | None = None, *, force: bool = False, who: str | None = None
) -> store.Manifest:
    """Publish the warehouse unless it is already built from these exact seed files.

    User-written tables (``budgetrummet.tables``) are never touched by a rebuild; the
    ones that do not exist yet are created empty so every query can read them.
    """
    checksum = seed_checksum()
    # A data directory of the earlier store is moved into Delta tables once, and a write
    # killed before its audit row is completed or rolled back, before anything is read.
    store.migrate(root, who=who or "system")
    store.repair(root)
    current = store.read_manifest(root)
    if current is not None and current.seed_sha256 == checksum and not force:
        manifest = current
    else:
        manifest = store.publish(
            build_frames(), seed_sha256=checksum, action="bygg från seed", who=who, root=root
        )
    # A user table that is still empty but has an older schema is replaced by the current
    # empty one (a schema change before anyone wrote to it); a table with rows is never
    # touched here.
    missing = {
        n: tables.empty(n)
        for n in tables.USER_TABLES
        if n not in manifest.tables
        or (
            manifest.tables[n].rows == 0
            and dict(manifest.tables[n].schema) != dict(tables.USER_TABLES[n])
        )
    }
    if missing:
        manifest = store.publish(missing, action="skapa tomma användartabeller", who=who, root=root)
    return manifest


def ensure_built(root: Path | None = None) -> store.Manifest:
    """The current manifest, building the warehouse first if it is missing or stale."""
    return build(root)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        manifest = build(force="--force" in argv)
    except SeedInvalidError as exc:
        print(f"Bygget avbröts, inget publicerades: {exc}", file=sys.stderr)
        return 1
    root = store.data_dir()
    print(f"Lagret i {root}:")
    for name, entry in sorted(manifest.tables.items()):
        print(f"  {name:16} {entry.rows:6d} rader  {entry.sha256[:12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
