"""A deterministic national-scale warehouse for the benchmark, published like the real one.

All 290 municipalities: Askersund and Lerum as built from their documents, and 288
synthetic municipalities ("Syntetisk kommun 001" …), each a copy of one of the two
(alternately) with its own organisation id, so every page works for every one of them.
On top, for every municipality, the volume a national deployment would hold:

* ``outcome`` (utfall): 10 boards (ansvar) × 30 verksamheter × 6 years × 12 months,
  ≈ 6,3 million rows, uploaded one file per municipality and month, 2 % of the months
  uploaded twice (the earlier version no longer current);
* ``outcome`` (prognos): two forecast rounds a year (30 April, 31 August) per board and
  verksamhet, and (investering) monthly outcome of 20 000 investment projects;
* ``uploads``: the upload log those rows came from;
* ``figures``: each municipality's board budget document — budget and plan per board
  and verksamhet (Bokslut 2023 … Plan 2028; income, cost, net) and the 20 000 projects'
  budgets and plans (table ids ``namnd_*``, which no page reads: they are volume);
* goals as in the documents, and a status set for every follow-up date of every goal.

The rows go through the same code path as the app's: ``storing.recompute_current``
marks the current versions and sorts ``outcome`` as every upload does, and
``store.publish`` writes the immutable Parquet files (``outcome`` and ``uploads`` one
file per municipality, as uploads write them) and swaps the manifest. The seed
checksum is kept, so the app's ``ensure_built`` never rebuilds over it. Everything is
derived from ``numpy.random.default_rng(SEED)``: the same code gives the same data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import polars as pl

from budgetrummet import build, store, tables
from budgetrummet.upload import storing

SEED = 2025
MUNICIPALITIES = 290
BOARDS = (
    "Kommunstyrelsen",
    "Barn- och utbildningsnämnden",
    "Socialnämnden",
    "Kultur- och fritidsnämnden",
    "Samhällsbyggnadsnämnden",
    "Miljö- och byggnadsnämnden",
    "Tekniska nämnden",
    "Valnämnden",
    "Överförmyndarnämnden",
    "Revisionen",
)
VERKSAMHETER = 30
YEARS = tuple(range(2020, 2026))
PROJECTS = 20_000
FORECAST_DATES = ((4, 30), (8, 31))
PLAN_COLUMNS = (
    ("Bokslut 2023", "bokslut", 2023),
    ("Budget 2024", "budget_kf", 2024),
    ("Budget 2025", "budget_kf", 2025),
    ("Plan 2026", "plan", 2026),
    ("Plan 2027", "plan", 2027),
    ("Plan 2028", "plan", 2028),
)
MEASURES = ("intakt", "kostnad", "netto")
ACCOUNTS = (
    ("4010", "Lön månadsavlönade"),
    ("4510", "Arbetsgivaravgifter"),
    ("5010", "Lokalhyra"),
    ("5460", "Skolskjuts, färdtjänst"),
    ("6110", "Köp av tjänster"),
    ("6410", "Förbrukningsmaterial"),
    ("3110", "Taxor och avgifter"),
    ("3510", "Försäljning av verksamhet"),
)
# Extra SCB verksamhet codes so every municipality has 30 verksamheter to book on.
SCB_CODES = (
    (407, "Grundskola"), (408, "Gymnasieskola"), (410, "Förskola"), (411, "Fritidshem"),
    (510, "Äldreomsorg"), (520, "Insatser enligt LSS"), (530, "Individ- och familjeomsorg"),
    (610, "Kultur"), (620, "Fritid"), (710, "Gator och vägar"), (720, "Vatten och avlopp"),
    (730, "Renhållning"), (810, "Fastighetsförvaltning"), (820, "Bostäder"),
    (910, "Räddningstjänst"), (920, "Arbetsmarknad"), (930, "Flyktingmottagande"),
)  # fmt: skip
TEMPLATES = ("askersund", "lerum")
SYNTHETIC_TABLES = ("figures", "reconciliation", "texts", "goals", "kf_goals",
                    "goal_indicators", "errata", "sources")  # fmt: skip


@dataclass(frozen=True)
class Generated:
    """What was published: rows per table, and the municipalities to measure with."""

    rows: dict[str, int]
    orgs: tuple[str, ...]
    seconds_generate: float
    seconds_publish: float
    bytes_on_disk: int


def org_ids() -> list[str]:
    """The 290 organisation ids: the two real ones first, then syn001 … syn288."""
    return [*TEMPLATES, *(f"syn{i:03d}" for i in range(1, MUNICIPALITIES - len(TEMPLATES) + 1))]


def template_of(org_id: str) -> str:
    if org_id in TEMPLATES:
        return org_id
    return TEMPLATES[(int(org_id[3:]) - 1) % len(TEMPLATES)]


def _clone(frame: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    """Every synthetic organisation gets a copy of its template's rows."""
    columns = frame.columns
    copies = frame.join(orgs, left_on="org_id", right_on="template", how="inner")
    copies = copies.drop("org_id").rename({"new_org": "org_id"})
    if "org_name" in columns:
        copies = copies.drop("org_name").rename({"new_name": "org_name"})
    return pl.concat([frame, copies.select(columns)], how="vertical")


def _verksamheter(figures: pl.DataFrame, org: str) -> list[tuple[str, str, str]]:
    """(line_key, code, name) of 30 verksamheter: the template's own, then SCB codes."""
    own = (
        figures.filter(
            (pl.col("org_id") == org)
            & (pl.col("line_key").str.starts_with("vh") | pl.col("line_key").str.starts_with("po:"))
        )
        .group_by("line_key")
        .agg(pl.col("line_label").first())
        .sort("line_key")
    )
    out = [(key, key[2:] if key.startswith("vh") else "", label) for key, label in own.iter_rows()]
    for code, name in SCB_CODES:
        if len(out) >= VERKSAMHETER:
            break
        out.append((f"scb:{code}", str(code), name))
    return out[:VERKSAMHETER]


def _cents_to_kr(cents: np.ndarray) -> pl.Series:
    return (pl.Series(cents, dtype=pl.Int64).cast(pl.Decimal(18, 2)) / 100).cast(tables.DECIMAL)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _outcome_and_uploads(
    rng: np.random.Generator, orgs: list[str], verks: dict[str, list[tuple[str, str, str]]]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    n_org, n_b, n_v, n_y = len(orgs), len(BOARDS), VERKSAMHETER, len(YEARS)
    org_s = pl.Series(orgs)
    tmpl_of = np.array([TEMPLATES.index(template_of(o)) for o in orgs])
    keys = {t: [v[0] for v in verks[t]] for t in TEMPLATES}
    codes = {t: [v[1] or None for v in verks[t]] for t in TEMPLATES}
    names = {t: [v[2] for v in verks[t]] for t in TEMPLATES}
    # Verksamhet columns as one series per template, indexed by template * 30 + verksamhet.
    v_key = pl.Series([k for t in TEMPLATES for k in keys[t]])
    v_code = pl.Series([c for t in TEMPLATES for c in codes[t]], dtype=pl.String)
    v_name = pl.Series([n for t in TEMPLATES for n in names[t]])
    size = np.array([1.0 + 9.0 * rng.random() for _ in orgs])  # municipality size factor

    parts: list[pl.DataFrame] = []

    def frame(kind: str, o, b, v, year, month, period, as_of, seq, cents, project=None):
        n = len(o)
        tv = tmpl_of[o] * n_v + v
        account = (b * 31 + v * 7 + month) % len(ACCOUNTS)
        cols = {
            "seq": pl.Series(seq, dtype=pl.Int64),
            "org_id": org_s.gather(o),
            "kind": pl.Series([kind] * n) if n else pl.Series([], dtype=pl.String),
            "year": pl.Series(year, dtype=pl.Int32),
            "month": pl.Series(month, dtype=pl.Int32),
            "period": period,
            "as_of": as_of,
            "verksamhet_code": v_code.gather(tv)
            if project is None
            else pl.repeat(None, n, dtype=pl.String, eager=True),
            "verksamhet_name": v_name.gather(tv)
            if project is None
            else pl.repeat(None, n, dtype=pl.String, eager=True),
            "line_key": v_key.gather(tv)
            if project is None
            else pl.repeat(None, n, dtype=pl.String, eager=True),
            "ansvar_code": pl.Series([f"N{i + 1:02d}" for i in range(n_b)]).gather(b),
            "ansvar_name": pl.Series(BOARDS).gather(b),
            "account": pl.Series([a for a, _ in ACCOUNTS]).gather(account),
            "account_name": pl.Series([n_ for _, n_ in ACCOUNTS]).gather(account),
            "project_code": project[0]
            if project is not None
            else pl.repeat(None, n, dtype=pl.String, eager=True),
            "project_name": project[1]
            if project is not None
            else pl.repeat(None, n, dtype=pl.String, eager=True),
            "amount_kr": _cents_to_kr(cents),
        }
        return pl.DataFrame(cols)

    # --- utfall: one upload per municipality and month, chronological ---------------
    o, y, m, b, v = (a.ravel() for a in np.meshgrid(
        np.arange(n_org), np.arange(n_y), np.arange(12), np.arange(n_b), np.arange(n_v),
        indexing="ij",
    ))  # fmt: skip
    period_i = y * 12 + m
    seq = 1 + period_i * n_org + o
    # Costs are negative as in the finance system; a few revenue accounts positive.
    base = -(size[o] * (20_000 + 180_000 * rng.random(len(o)))).astype(np.int64) * 100
    base = np.where((b * 31 + v * 7 + m + 1) % len(ACCOUNTS) >= 6, -base // 5, base)
    years = np.array(YEARS, dtype=np.int32)[y]
    months = (m + 1).astype(np.int32)
    period = pl.Series(years).cast(pl.String) + "-" + pl.Series(months).cast(pl.String).str.zfill(2)
    utfall = frame(
        "utfall", o, b, v, years, months, period,
        pl.repeat(None, len(o), dtype=pl.Date, eager=True), seq, base,
    )  # fmt: skip
    parts.append(utfall)
    last_seq = int(seq.max())
    # 2 % of the months are uploaded again (a corrected file): a new version, +1 %.
    again = ((o * 7 + period_i) % 50) == 0
    if again.any():
        first = np.unique(seq[again])
        new_seq = {int(s): last_seq + i + 1 for i, s in enumerate(first)}
        redo = utfall.filter(pl.Series(again)).with_columns(
            seq=pl.col("seq").replace_strict(new_seq, return_dtype=pl.Int64),
            amount_kr=(pl.col("amount_kr") * pl.lit(1.01).cast(pl.Decimal(4, 2))).cast(
                tables.DECIMAL
            ),
        )
        parts.append(redo)
        last_seq += len(first)

    # --- prognos: two rounds a year per board and verksamhet -------------------------
    o, y, r, b, v = (a.ravel() for a in np.meshgrid(
        np.arange(n_org), np.arange(n_y), np.arange(len(FORECAST_DATES)), np.arange(n_b),
        np.arange(n_v), indexing="ij",
    ))  # fmt: skip
    seq = last_seq + 1 + (y * len(FORECAST_DATES) + r) * n_org + o
    last_seq = int(seq.max())
    years = np.array(YEARS, dtype=np.int32)[y]
    as_of = pl.Series(
        [date(int(yy), *FORECAST_DATES[rr]) for yy, rr in zip(years, r, strict=True)],
        dtype=pl.Date,
    )
    cents = -(size[o] * (200_000 + 2_000_000 * rng.random(len(o)))).astype(np.int64) * 100
    parts.append(
        frame(
            "prognos",
            o,
            b,
            v,
            years,
            as_of.dt.month().cast(pl.Int32).to_numpy(),
            as_of.dt.strftime("%Y-%m-%d"),
            as_of,
            seq,
            cents,
        )  # fmt: skip
    )

    # --- investering: 20 000 projects, 12 months each, one upload per org and month -------
    per_org = np.full(n_org, PROJECTS // n_org)
    per_org[: PROJECTS - per_org.sum()] += 1
    p_org = np.repeat(np.arange(n_org), per_org)
    p_year = rng.integers(0, n_y, PROJECTS)
    p_board = rng.integers(0, n_b, PROJECTS)
    p_no = np.concatenate([np.arange(k) for k in per_org])
    p_code = pl.Series([f"P{n + 1:04d}" for n in p_no])
    p_name = pl.Series(
        [
            f"Projekt {n + 1} ({BOARDS[bb].split()[0].lower()})"
            for n, bb in zip(p_no, p_board, strict=True)
        ]
    )
    idx = np.repeat(np.arange(PROJECTS), 12)
    m = np.tile(np.arange(12), PROJECTS)
    o, y, b = p_org[idx], p_year[idx], p_board[idx]
    seq = last_seq + 1 + (y * 12 + m) * n_org + o
    last_seq = int(seq.max())
    years = np.array(YEARS, dtype=np.int32)[y]
    months = (m + 1).astype(np.int32)
    period = pl.Series(years).cast(pl.String) + "-" + pl.Series(months).cast(pl.String).str.zfill(2)
    cents = -(size[o] * (10_000 + 400_000 * rng.random(len(idx)))).astype(np.int64) * 100
    parts.append(
        frame(
            "investering",
            o,
            b,
            np.zeros(len(idx), dtype=np.int64),
            years,
            months,
            period,
            pl.repeat(None, len(idx), dtype=pl.Date, eager=True),
            seq,
            cents,
            project=(p_code.gather(idx), p_name.gather(idx)),
        )  # fmt: skip
    )

    rows = pl.concat(parts, how="vertical")
    rows = rows.with_columns(
        source_row=(pl.int_range(pl.len()).over("seq") + 2).cast(pl.Int32),
    )
    meta = (
        rows.group_by("seq")
        .agg(
            pl.col("org_id").first(),
            pl.col("kind").first(),
            pl.col("year").first(),
            pl.col("period").min().alias("period_from"),
            pl.col("period").max().alias("period_to"),
            pl.len().cast(pl.Int64).alias("rows"),
            pl.col("amount_kr").cast(pl.Decimal(38, 2)).sum().alias("total_kr"),
        )
        .sort("seq")
    )
    first_upload = datetime(2020, 2, 5, 8, 0, tzinfo=UTC)
    upload_ids = [f"u{s:05d}-{_sha(str(s))[:8]}" for s in meta["seq"]]
    uploads = meta.with_columns(
        upload_id=pl.Series(upload_ids),
        file_name=pl.format("{}_{}_{}.csv", "kind", "org_id", "period_from"),
        sha256=pl.Series([_sha(f"fil {s}") for s in meta["seq"]]),
        size_bytes=pl.col("rows") * 64,
        file_format=pl.lit("CSV (semikolon)"),
        encoding=pl.lit("Windows-1252"),
        decimal_mark=pl.lit("decimalkomma"),
        unit=pl.lit("kr"),
        periods=pl.when(pl.col("period_from") == pl.col("period_to"))
        .then(pl.col("period_from"))
        .otherwise(pl.format("{}, {}", "period_from", "period_to")),
        mapping_json=pl.lit("{}"),
        uploaded_by=pl.lit("Benchmark Ekonom"),
        uploaded_at=pl.lit(first_upload) + pl.duration(minutes=pl.col("seq")),
        status=pl.lit(storing.ACTIVE),
        replaces=pl.lit(None, dtype=pl.String),
        status_by=pl.lit(None, dtype=pl.String),
        status_at=pl.lit(None, dtype=tables.TIMESTAMP),
    ).with_columns(raw_file=pl.format("raw/uploads/{}.csv", "sha256"))
    # Columns the log gained later (``mode`` …) are null, as in a log written before them.
    schema = tables.USER_TABLES["uploads"]
    uploads = uploads.with_columns(
        pl.lit(None, dtype=schema[c]).alias(c) for c in schema if c not in uploads.columns
    )
    uploads = uploads.select(list(tables.USER_TABLES["uploads"])).cast(
        tables.USER_TABLES["uploads"]
    )
    id_of = dict(zip(meta["seq"].to_list(), upload_ids, strict=True))
    outcome = rows.with_columns(
        upload_id=pl.col("seq").replace_strict(id_of, return_dtype=pl.String),
        current=pl.lit(True),
    ).select(list(tables.USER_TABLES["outcome"]))
    return outcome.cast(tables.USER_TABLES["outcome"]), uploads


def _board_figures(
    rng: np.random.Generator, orgs: list[str], verks: dict[str, list[tuple[str, str, str]]]
) -> pl.DataFrame:
    """Each municipality's board budget document and its projects, as printed figures."""
    n_org, n_b, n_v, n_c, n_m = (
        len(orgs),
        len(BOARDS),
        VERKSAMHETER,
        len(PLAN_COLUMNS),
        len(MEASURES),
    )
    o, b, v, c, m = (a.ravel() for a in np.meshgrid(
        np.arange(n_org), np.arange(n_b), np.arange(n_v), np.arange(n_c), np.arange(n_m),
        indexing="ij",
    ))  # fmt: skip
    tmpl = np.array([TEMPLATES.index(template_of(x)) for x in orgs])[o]
    cost = -(2_000 + rng.random(len(o)) * 60_000).astype(np.int64)
    income = (-cost * rng.random(len(o)) * 0.3).astype(np.int64)
    value = np.where(m == 0, income, np.where(m == 1, cost, income + cost))
    row_no = (b * n_v + v + 1).astype(np.int32)
    org_s = pl.Series(orgs)
    v_key = pl.Series([k for t in TEMPLATES for k, _c, _n in verks[t]])
    v_name = pl.Series([n for t in TEMPLATES for _k, _c, n in verks[t]])
    text = pl.Series(value).cast(pl.String)
    budget = pl.DataFrame(
        {
            "doc_id": org_s.gather(o) + "_namnder_budget_2025",
            "table_id": pl.repeat("namnd_drift", len(o), eager=True),
            "table_title": pl.repeat(
                "Driftbudget per nämnd och verksamhet (tkr)", len(o), eager=True
            ),
            "source_line": row_no + 100,
            "row_no": row_no,
            "line_label": v_name.gather(tmpl * n_v + v),
            "line_key": v_key.gather(tmpl * n_v + v),
            "row_kind": pl.repeat("line", len(o), eager=True),
            "rollup_group": pl.Series(BOARDS).gather(b),
            "total_of": pl.repeat("", len(o), eager=True),
            "column_label": pl.Series([p[0] for p in PLAN_COLUMNS]).gather(c),
            "measure": pl.Series(MEASURES).gather(m),
            "version": pl.Series([p[1] for p in PLAN_COLUMNS]).gather(c),
            "as_of": pl.repeat("", len(o), eager=True),
            "unit": pl.repeat("tkr", len(o), eager=True),
            "value_printed": text,
            "category": pl.repeat("", len(o), eager=True),
            "org_id": org_s.gather(o),
            "year": pl.Series([p[2] for p in PLAN_COLUMNS], dtype=pl.Int32).gather(c),
            "year_printed": pl.Series([p[2] for p in PLAN_COLUMNS], dtype=pl.Int32).gather(c),
            "value_printed_num": pl.Series(value).cast(build.DECIMAL),
            "value": pl.Series(value).cast(build.DECIMAL),
            "decimals": pl.repeat(0, len(o), dtype=pl.Int8, eager=True),
            "has_erratum": pl.repeat(False, len(o), eager=True),
        }
    )
    # The 20 000 investment projects' budget and plan (one figure per project and column).
    per_org = np.full(n_org, PROJECTS // n_org)
    per_org[: PROJECTS - per_org.sum()] += 1
    p_org = np.repeat(np.arange(n_org), per_org)
    p_no = np.concatenate([np.arange(k) for k in per_org])
    idx = np.repeat(np.arange(PROJECTS), n_c)
    c = np.tile(np.arange(n_c), PROJECTS)
    value = -(100 + rng.random(len(idx)) * 30_000).astype(np.int64)
    row_no = (p_no[idx] + 1).astype(np.int32)
    labels = pl.Series([f"Projekt {n + 1}" for n in p_no])
    projects = pl.DataFrame(
        {
            "doc_id": org_s.gather(p_org[idx]) + "_namnder_budget_2025",
            "table_id": pl.repeat("namnd_inv_projekt", len(idx), eager=True),
            "table_title": pl.repeat("Investeringsbudget per projekt (tkr)", len(idx), eager=True),
            "source_line": row_no + 2_000,
            "row_no": row_no,
            "line_label": labels.gather(idx),
            "line_key": pl.Series([f"proj:p{n + 1}" for n in p_no]).gather(idx),
            "row_kind": pl.repeat("line", len(idx), eager=True),
            "rollup_group": pl.repeat("inv", len(idx), eager=True),
            "total_of": pl.repeat("", len(idx), eager=True),
            "column_label": pl.Series([p[0] for p in PLAN_COLUMNS]).gather(c),
            "measure": pl.repeat("utgift", len(idx), eager=True),
            "version": pl.Series([p[1] for p in PLAN_COLUMNS]).gather(c),
            "as_of": pl.repeat("", len(idx), eager=True),
            "unit": pl.repeat("tkr", len(idx), eager=True),
            "value_printed": pl.Series(value).cast(pl.String),
            "category": pl.repeat("", len(idx), eager=True),
            "org_id": org_s.gather(p_org[idx]),
            "year": pl.Series([p[2] for p in PLAN_COLUMNS], dtype=pl.Int32).gather(c),
            "year_printed": pl.Series([p[2] for p in PLAN_COLUMNS], dtype=pl.Int32).gather(c),
            "value_printed_num": pl.Series(value).cast(build.DECIMAL),
            "value": pl.Series(value).cast(build.DECIMAL),
            "decimals": pl.repeat(0, len(idx), dtype=pl.Int8, eager=True),
            "has_erratum": pl.repeat(False, len(idx), eager=True),
        }
    )
    return pl.concat([budget, projects], how="vertical")


def _goal_statuses(goals: pl.DataFrame) -> pl.DataFrame:
    """A status for every follow-up date of every goal that has one."""
    lights = ("gron", "gul", "rod")
    dated = (
        goals.filter(pl.col("followup_dates").fill_null("") != "")
        .with_columns(
            goal_key=pl.format(
                "{}:{}:{}", "doc_id", pl.col("malomrade_no").fill_null(""), "goal_no"
            ),
            followup_date=pl.col("followup_dates").str.split("|"),
        )
        .explode("followup_date")
    )
    n = dated.height
    return pl.DataFrame(
        {
            "status_id": [f"s{i:06d}" for i in range(n)],
            "org_id": dated["org_id"],
            "doc_id": dated["doc_id"],
            "goal_key": dated["goal_key"],
            "followup_date": dated["followup_date"].str.to_date(),
            "status": [lights[i % 3] for i in range(n)],
            "comment": ["Bedömning vid uppföljningen (benchmark)."] * n,
            "set_by": ["Benchmark Chef"] * n,
            "set_at": [datetime(2025, 6, 1, 9, 0, tzinfo=UTC)] * n,
        },
        schema=tables.USER_TABLES["goal_status"],
    )


def generate(root: Path, seed: int = SEED) -> Generated:
    """Build the seed warehouse in ``root``, then publish the national tables over it."""
    import time

    t0 = time.perf_counter()
    build.build(root, who="benchmark")
    current = {name: store.read_table(name, root) for name in SYNTHETIC_TABLES}
    orgs = org_ids()
    synthetic = orgs[len(TEMPLATES) :]
    names = {o: f"Syntetisk kommun {o[3:]}" for o in synthetic}
    mapping = pl.DataFrame(
        {
            "template": [template_of(o) for o in synthetic],
            "new_org": synthetic,
            "new_name": [names[o] for o in synthetic],
        }
    )
    rng = np.random.default_rng(seed)
    frames = {name: _clone(frame, mapping) for name, frame in current.items()}
    verks = {t: _verksamheter(current["figures"], t) for t in TEMPLATES}
    real_names = dict(store.read_table("organisations", root).iter_rows())
    frames["organisations"] = pl.DataFrame(
        {"org_id": orgs, "org_name": [real_names.get(o) or names[o] for o in orgs]}
    )
    board = _board_figures(rng, orgs, verks)
    frames["figures"] = pl.concat(
        [frames["figures"], board.select(frames["figures"].columns)], how="vertical"
    ).sort(["org_id", "doc_id", "table_id", "row_no", "column_label"])
    board_docs = pl.DataFrame(
        {
            "doc_id": [f"{o}_namnder_budget_2025" for o in orgs],
            "org_id": orgs,
            "org_name": frames["organisations"]["org_name"],
            "body": ["Kommunfullmäktige"] * len(orgs),
            "title": ["Budget 2025 för nämnderna (syntetisk, benchmark)"] * len(orgs),
            "doc_type": ["budget"] * len(orgs),
            "doc_date": ["2024-06-17"] * len(orgs),
            "file": ["(genererad)"] * len(orgs),
            "original_file": ["(genererad)"] * len(orgs),
            "sha256": [_sha(o) for o in orgs],
        }
    )
    # Columns the seed's sources gained later (short_title …) are empty for these documents.
    board_docs = board_docs.with_columns(
        pl.lit("").alias(c) for c in frames["sources"].columns if c not in board_docs.columns
    )
    frames["sources"] = pl.concat([frames["sources"], board_docs.select(frames["sources"].columns)])
    for name in ("reconciliation", "texts", "goals", "kf_goals", "goal_indicators", "errata"):
        frames[name] = frames[name].sort("org_id", maintain_order=True)
    outcome, uploads = _outcome_and_uploads(rng, orgs, verks)
    frames["outcome"] = storing.recompute_current(uploads, outcome)
    frames["uploads"] = uploads
    frames["goal_status"] = _goal_statuses(frames["goals"])
    t1 = time.perf_counter()
    store.publish(frames, action="benchmark: nationell skala", who="benchmark", root=root)
    t2 = time.perf_counter()
    size = sum(p.stat().st_size for p in root.rglob("*.parquet"))
    manifest = store.read_manifest(root)
    return Generated(
        rows={n: e.rows for n, e in sorted(manifest.tables.items())},
        orgs=tuple(orgs),
        seconds_generate=t1 - t0,
        seconds_publish=t2 - t1,
        bytes_on_disk=size,
    )


if __name__ == "__main__":
    import sys
    import tempfile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="national_"))
    result = generate(target)
    print(target, result)
