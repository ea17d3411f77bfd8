"""Storing an accepted upload: raw file kept, log and amounts published in one commit.

Nothing is lost and nothing doubled:

* the raw bytes are kept as an immutable file named by their sha256 under the data
  directory (``raw/uploads/<sha256>.<ext>``), written to a temp file, fsynced and
  renamed, before anything points at it;
* the upload log (``uploads``) and the amounts (``outcome``) are published together by
  one ``store.publish`` call: one Delta commit per table, visible together when the
  audit row naming both versions commits, so a crash at any moment leaves the previous
  state readable and complete (``store.repair`` rolls a half-done write back, an
  orphaned raw or Parquet file is harmless and removed by ``store.vacuum``);
* both tables are stored per organisation (``tables.PARTITIONED``): an upload, undo or
  restore reads and rewrites only its organisation's part of each, so its cost does
  not grow with the other 289 municipalities' rows. Only the identical-file check and
  the next upload number look at every organisation's log (two columns of it);
* every version is kept. Uploading a period that is already loaded adds a new version;
  ``current`` marks, per organisation, kind and period, the rows of the latest *active*
  upload. Undo marks an upload ``ångrad`` and the previous version of its periods
  becomes current again; restore reverses an undo;
* an identical file (same sha256) is refused with a message naming the earlier upload.

Upload writers are serialised by their own lock (read log -> compute -> publish), and
``store.publish`` takes the store's write lock for the swap, so a concurrent writer of
another table is never lost either. Every write calls ``access.require`` first.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from budgetrummet import access, fmt, store, tables, vocab
from budgetrummet.upload import kinds
from budgetrummet.upload.parsing import DECIMAL_MARK_NAMES
from budgetrummet.upload.reading import RawTable
from budgetrummet.upload.rules import ALREADY, Problem, UploadRefusedError
from budgetrummet.upload.validation import Validation

try:
    _LOCAL = ZoneInfo("Europe/Stockholm")
except ZoneInfoNotFoundError:  # no time-zone database: show UTC
    _LOCAL = None
RAW_DIR = "raw/uploads"
UPLOAD_LOCK = ".upload.lock"
ACTIVE = vocab.UPLOAD_ACTIVE
UNDONE = vocab.UPLOAD_UNDONE
STATUS_LABELS = {s: vocab.UPLOAD_STATUS_LABELS[s] for s in (ACTIVE, UNDONE)}
# How an upload meets the rows already loaded for its periods (``uploads.mode``).
REPLACE = "ersatt"
CORRECT = "ratta"
MODES = (REPLACE, CORRECT)
MODE_LABELS = {REPLACE: "Ersätt hela perioden", CORRECT: "Rätta bara raderna i filen"}
# Nullable columns added to a user table after data was written: older files lack them.
ADDED_LATER = {"uploads": {"mode"}}
NAMES_TABLE = "name_mappings"
# What identifies a stored row within its period: a correction replaces the current
# rows that agree with one of its rows on the key columns it fills.
# (The verksamhet is its catalogue key, or its name where it has none.)
ROW_KEY = ("_who", "ansvar_code", "account", "project_code")
_WHO = pl.coalesce(pl.col("line_key"), pl.col("verksamhet_name")).alias("_who")

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Committed:
    """What a successful upload stored."""

    upload_id: str
    seq: int
    rows: int
    periods: tuple[str, ...]
    total_kr: Decimal
    replaces: tuple[int, ...]
    raw_file: str


def _root(root: Path | None) -> Path:
    return root or store.data_dir()


@contextmanager
def upload_lock(root: Path | None = None) -> Iterator[None]:
    """Serialise upload writers (threads and processes) around read -> compute -> publish."""
    base = _root(root)
    base.mkdir(parents=True, exist_ok=True)
    with (base / UPLOAD_LOCK).open("a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def raw_path(sha256: str, extension: str, root: Path | None = None) -> Path:
    return _root(root) / RAW_DIR / f"{sha256}.{extension}"


def keep_raw(data: bytes, extension: str, root: Path | None = None) -> str:
    """Keep the uploaded bytes, immutable, named by their sha256; the path relative to root.

    Written beside the target, fsynced and renamed, so the file is either absent or
    complete; an existing file with these bytes is left untouched.
    """
    digest = hashlib.sha256(data).hexdigest()
    if extension not in ("csv", "xlsx"):
        raise ValueError(f"okänd filändelse {extension!r}")
    target = raw_path(digest, extension, root)
    rel = f"{RAW_DIR}/{target.name}"
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == digest:
        return rel
    store.fsync_write(target, data, read_only=True)
    return rel


def conform(name: str, frame: pl.DataFrame | None) -> pl.DataFrame:
    """A user table in the schema of ``budgetrummet.tables`` (an empty table of an older
    schema is simply replaced; a non-empty one of another schema is an error)."""
    schema = tables.USER_TABLES[name]
    if frame is None:
        return tables.empty(name)
    missing = set(schema) - set(frame.columns)
    if missing and missing <= ADDED_LATER.get(name, set()) and set(frame.columns) < set(schema):
        # A log written before these columns existed: they are null there (see tables.py).
        frame = frame.with_columns([pl.lit(None, dtype=schema[c]).alias(c) for c in missing])
    if set(frame.columns) == set(schema):
        return frame.select(list(schema)).cast(schema)
    if frame.height == 0:
        return tables.empty(name)
    raise RuntimeError(f"tabellen {name!r} har ett annat schema än koden; migrera den först")


def ensure_schema(root: Path | None = None) -> bool:
    """Replace ``uploads``/``outcome`` when they exist *empty* in an older schema.

    The seed build creates user tables only when they are missing, so a warehouse built
    before these columns existed keeps an empty table in the old schema, and the
    ``upl_*`` queries would fail on it. Empty tables carry no data, so replacing them is
    a schema migration, audited like the build's creation of empty tables. A non-empty
    table in another schema is left alone (``load`` refuses to write over it).
    """
    base = _root(root)
    with upload_lock(base):
        manifest = store.read_manifest(base)
        if manifest is None:
            return False
        stale = {}
        for name in ("uploads", "outcome", NAMES_TABLE):
            entry = manifest.tables.get(name)
            schema = tables.USER_TABLES[name]
            if entry is None:
                stale[name] = tables.empty(name)
                continue
            if entry.rows == 0 and dict(entry.schema) != dict(schema):
                stale[name] = tables.empty(name)
        if not stale:
            return False
        store.publish(stale, action="uppdatera tomma uppladdningstabeller", who="system", root=base)
        return True


def load(root: Path | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The current ``uploads`` and ``outcome`` tables, every organisation (for tests and
    tools; writers use ``load_org``)."""
    base = _root(root)
    return (
        conform("uploads", store.read_table("uploads", base)),
        conform("outcome", store.read_table("outcome", base)),
    )


def load_org(org_id: str, root: Path | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One organisation's ``uploads`` and ``outcome`` rows: all a write needs of them."""
    base = _root(root)
    out = []
    for name in ("uploads", "outcome"):
        try:
            frame = store.read_table(name, base, part=org_id)
        except ValueError:
            # A one-file table without the key column: another schema (conform says so).
            frame = store.read_table(name, base)
        out.append(conform(name, frame))
    return out[0], out[1]


def log_facts(sha256: str, root: Path | None = None) -> tuple[pl.DataFrame, int]:
    """Earlier uploads of exactly these bytes (any organisation) and the highest upload
    number so far. Reads two columns of every organisation's log, and whole rows only
    for a match."""
    base = _root(root)
    manifest = store.read_manifest(base)
    entry = manifest.tables.get("uploads") if manifest else None
    if entry is None or entry.rows == 0:
        return tables.empty("uploads"), 0
    scan = store.scan_table("uploads", base)
    assert scan is not None
    if not {"seq", "sha256"} <= set(scan.collect_schema()):
        return conform("uploads", store.read_table("uploads", base)), 0  # refuses
    facts = scan.select(
        pl.col("seq").max().alias("top"), (pl.col("sha256") == sha256).any().alias("seen")
    ).collect()
    top, seen = facts.row(0)
    earlier = tables.empty("uploads")
    if seen:
        earlier = conform("uploads", scan.filter(pl.col("sha256") == sha256).collect())
    return earlier, int(top or 0)


def identical_upload(sha256: str, uploads: pl.DataFrame) -> Problem | None:
    """The refusal for a file whose exact bytes were uploaded before (any organisation)."""
    earlier = uploads.filter(pl.col("sha256") == sha256).sort("seq")
    if earlier.is_empty():
        return None
    row = earlier.row(0, named=True)
    uploaded = row["uploaded_at"]
    if uploaded is not None and uploaded.tzinfo is not None:
        uploaded = uploaded.astimezone(_LOCAL) if _LOCAL else uploaded
    when = fmt.iso_date(uploaded)
    tail = (
        " Den uppladdningen är ångrad; återställ den i historiken i stället."
        if row["status"] == UNDONE
        else ""
    )
    return Problem(
        ALREADY,
        f"Exakt samma fil är redan uppladdad: uppladdning nr {row['seq']} "
        f"(”{row['file_name']}”, {kinds.KINDS[row['kind']].label.lower()}) "
        f"av {fmt.person(row['uploaded_by'])} {when}.{tail}",
    )


def _key_columns(rows: pl.DataFrame) -> list[str]:
    """The key columns a correction fills: it replaces rows that agree on these."""
    return [c for c in ROW_KEY if rows[c].is_not_null().any()]


def _matching(target: pl.DataFrame, rows: pl.DataFrame) -> pl.Series:
    """Per row of ``target`` (both with ``_who``): does a row of ``rows`` in the same
    period agree with it on the key columns ``rows`` fills?"""
    on = ["period", *_key_columns(rows)]
    keys = rows.select(on).unique().with_columns(_hit=pl.lit(True))
    hit = target.select(on).join(keys, on=on, how="left", nulls_equal=True, maintain_order="left")
    return hit["_hit"].fill_null(False)


def recompute_current(uploads: pl.DataFrame, outcome: pl.DataFrame) -> pl.DataFrame:
    """Mark, per organisation, kind and period, the rows that hold now.

    The latest active upload that replaces the period (``ersatt``) is its base; each
    later active correction (``ratta``) replaces the rows it names, on top of the base
    and of earlier corrections. Undoing a correction therefore brings back exactly the
    rows it had replaced.
    """
    meta = uploads.select(
        "upload_id",
        pl.col("seq").alias("_seq"),
        pl.col("status").alias("_st"),
        pl.col("mode").fill_null(REPLACE).alias("_mode"),
    )
    keys = ["org_id", "kind", "period"]
    marked = (
        outcome.drop("current")
        .join(meta, on="upload_id", how="left", maintain_order="left")
        .with_columns(_WHO)
    )
    active = pl.col("_st") == ACTIVE
    bases = (
        marked.filter(active & (pl.col("_mode") == REPLACE))
        .group_by(keys)
        .agg(pl.col("_seq").max().alias("_base"))
    )
    marked = marked.join(bases, on=keys, how="left", maintain_order="left").with_columns(
        current=(
            active & (pl.col("_base").is_null() | (pl.col("_seq") >= pl.col("_base")))
        ).fill_null(False)
    )
    corrections = marked.filter(pl.col("current") & (pl.col("_mode") == CORRECT))
    if not corrections.is_empty():
        current = marked["current"]
        for seq in sorted(corrections["_seq"].unique().to_list()):
            fixes = corrections.filter(pl.col("_seq") == seq)
            for (org, kind), part in fixes.group_by(["org_id", "kind"]):
                earlier = (
                    pl.col("current")
                    & (pl.col("_seq") < seq)
                    & (pl.col("org_id") == org)
                    & (pl.col("kind") == kind)
                )
                scope = marked.with_columns(current=current).select(earlier)
                hit = _matching(marked, part)
                current = current & ~(scope.to_series() & hit)
        marked = marked.with_columns(current=current)
    return sort_outcome(marked.drop("_seq", "_st", "_mode", "_base", "_who"))


def current_rows(outcome: pl.DataFrame, org_id: str, kind: str, periods: list[str]) -> pl.DataFrame:
    """The rows that hold now for these periods (the stored table's columns)."""
    return outcome.filter(
        (pl.col("org_id") == org_id)
        & (pl.col("kind") == kind)
        & pl.col("period").is_in(periods)
        & pl.col("current")
    )


def lost_rows(rows: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """Current rows that an upload replacing its periods would drop: rows of those periods
    that no row of the file names (same period and key). Columns of ``current``."""
    if current.is_empty():
        return current
    periods = rows["period"].unique()
    here = current.filter(pl.col("period").is_in(periods.implode())).with_columns(_WHO)
    on = ["period", *ROW_KEY]
    named = rows.with_columns(_WHO).select(on).unique()
    return here.join(named, on=on, how="anti", nulls_equal=True).drop("_who")


CHANGE_SCHEMA: dict[str, pl.DataType] = {
    "period": pl.String,
    "key": pl.String,
    "verksamhet": pl.String,
    "change": pl.String,
    "before_kr": pl.Decimal(38, 2),
    "after_kr": pl.Decimal(38, 2),
    "before_rows": pl.Int64,
    "after_rows": pl.Int64,
}
ADDED, CHANGED, REMOVED, SAME = "tillkommer", "ändras", "tas bort", "oförändrad"


def period_changes(rows: pl.DataFrame, current: pl.DataFrame, mode: str) -> pl.DataFrame:
    """What an upload changes, per period and verksamhet (or project): before and after.

    ``rows`` are the file's rows (``Validation.rows``); ``current`` the rows that hold
    now for the organisation and kind (``current_rows`` or query ``upl_current_rows``).
    ``mode`` ``ersatt``: after is the file's rows; ``ratta``: the current rows the file
    does not name, plus the file's rows. ``key`` is the line_key (else the name or
    project code), ``verksamhet`` a label from the rows; ``change`` is tillkommer,
    ändras, tas bort or oförändrad. Pure: nothing is read or written.
    """
    if mode not in MODES:
        raise ValueError(f"okänt läge {mode!r}")
    periods = rows["period"].unique()
    cols = ["period", "line_key", "verksamhet_code", "verksamhet_name", "ansvar_code",
            "account", "project_code", "project_name", "amount_kr"]  # fmt: skip
    before = current.filter(pl.col("period").is_in(periods.implode())).select(cols)
    after = rows.select(cols)
    if mode == CORRECT and not before.is_empty():
        named = _matching(before.with_columns(_WHO), rows.with_columns(_WHO))
        after = pl.concat([before.filter(~named), after], how="vertical_relaxed")

    def by_what(frame: pl.DataFrame, side: str) -> pl.DataFrame:
        label = pl.coalesce(
            pl.concat_str(
                ["verksamhet_code", "verksamhet_name"], separator=" ", ignore_nulls=True
            ).replace("", None),
            pl.concat_str(
                ["project_code", "project_name"], separator=" ", ignore_nulls=True
            ).replace("", None),
            pl.lit("(utan verksamhet)"),
        )
        what = pl.coalesce(pl.col("line_key"), pl.col("verksamhet_name"), pl.col("project_code"))
        return (
            frame.with_columns(_what=what.fill_null(""), _label=label)
            .group_by("period", "_what")
            .agg(
                pl.col("_label").min().alias(f"label_{side}"),
                pl.col("amount_kr").cast(pl.Decimal(38, 2)).sum().alias(f"{side}_kr"),
                pl.len().cast(pl.Int64).alias(f"{side}_rows"),
            )
        )

    joined = by_what(before, "before").join(
        by_what(after, "after"), on=["period", "_what"], how="full", coalesce=True
    )
    change = (
        pl.when(pl.col("before_rows").is_null())
        .then(pl.lit(ADDED))
        .when(pl.col("after_rows").is_null())
        .then(pl.lit(REMOVED))
        .when(
            (pl.col("before_kr") != pl.col("after_kr"))
            | (pl.col("before_rows") != pl.col("after_rows"))
        )
        .then(pl.lit(CHANGED))
        .otherwise(pl.lit(SAME))
    )
    return (
        joined.with_columns(
            key=pl.col("_what"),
            verksamhet=pl.coalesce("label_after", "label_before"),
            change=change,
        )
        .sort("period", "verksamhet")
        .select(list(CHANGE_SCHEMA))
        .cast(CHANGE_SCHEMA)
    )


def sort_outcome(outcome: pl.DataFrame) -> pl.DataFrame:
    """Sorted by what readers filter on (organisation, year, kind): STACK.md layout note."""
    return outcome.sort(["org_id", "year", "kind", "period", "upload_id", "source_row"]).select(
        list(tables.USER_TABLES["outcome"])
    )


def _append_sorted(outcome: pl.DataFrame, added: pl.DataFrame) -> pl.DataFrame:
    """``outcome`` (in ``sort_outcome`` order) and one new upload's rows, in that order.

    The new upload's id sorts after every earlier one and its rows come in file order,
    so within each (year, kind, period) they belong after the rows already there: a
    stable sort on those keys gives the full order at a fraction of the full sort's
    cost. Anything else (ids past u99999, rows out of order) takes the full sort.
    """
    combined = pl.concat([outcome, added], how="vertical_relaxed")
    newest = added["upload_id"].min()
    if (outcome.is_empty() or outcome["upload_id"].max() < newest) and added[
        "source_row"
    ].is_sorted():
        return combined.sort(["org_id", "year", "kind", "period"], maintain_order=True)
    return sort_outcome(combined)


def _noop(fraction: float, text: str) -> None:
    return None


def commit(
    raw: RawTable,
    data: bytes,
    validation: Validation,
    actor: access.Actor | None,
    *,
    root: Path | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    mode: str | None = None,
) -> Committed:
    """Store a valid upload atomically; raises ``UploadRefusedError`` (Swedish) otherwise.

    ``mode`` says how the file meets rows already loaded for its periods: ``ersatt``
    (the file is the whole period: rows it lacks are no longer current) or ``ratta``
    (a correction: only the rows it names are replaced). Without a mode a file that
    would drop current rows is refused, so nothing disappears without that choice.
    """
    report = progress or _noop
    if mode is not None and mode not in MODES:
        raise ValueError(f"okänt läge {mode!r}")
    if not validation.ok:
        raise UploadRefusedError(
            "Filen har fel och har inte sparats. Rätta felen och ladda upp igen."
        )
    if hashlib.sha256(data).hexdigest() != raw.sha256:
        raise UploadRefusedError("Filen har ändrats sedan den kontrollerades; ladda upp den igen.")
    base = _root(root)
    settings = validation.settings
    moment = now or datetime.now(UTC)
    report(0.05, "Väntar på skrivlåset")
    with upload_lock(base):
        earlier, last_seq = log_facts(raw.sha256, base)
        same = identical_upload(raw.sha256, earlier)
        if same is not None:
            raise UploadRefusedError(same.message)
        actor = access.require(actor, "upload:write", root=root)
        report(0.15, "Sparar originalfilen")
        rel = keep_raw(data, raw.extension, base)
        uploads, outcome = load_org(settings.org_id, base)
        seq = last_seq + 1
        upload_id = f"u{seq:05d}-{raw.sha256[:8]}"
        rows = validation.rows
        periods = sorted(rows["period"].unique().to_list())
        total = rows["amount_kr"].cast(pl.Decimal(38, 2)).sum()
        total = Decimal(0) if total is None else Decimal(total)
        now_rows = current_rows(outcome, settings.org_id, settings.kind, periods)
        if mode is None:
            lost = lost_rows(rows, now_rows)
            if not lost.is_empty():
                raise UploadRefusedError(_lost_message(lost))
        mode = mode or REPLACE
        report(0.3, "Bygger tabellerna")
        added = rows.with_columns(upload_id=pl.lit(upload_id), current=pl.lit(True)).select(
            list(tables.USER_TABLES["outcome"])
        )
        if mode == REPLACE:
            # The new upload is active and has the highest number, so it is the current
            # version of every period it holds, and only those periods change owner: the
            # same marks ``recompute_current`` gives (tests check it), without its joins.
            replaced = (pl.col("kind") == settings.kind) & pl.col("period").is_in(periods)
            new_outcome = _append_sorted(
                outcome.with_columns(current=pl.col("current") & ~replaced), added
            )
            replaced_ids = now_rows["upload_id"].unique().to_list()
        else:
            new_outcome = None  # computed with the new log row below
            hit = _matching(now_rows.with_columns(_WHO), rows.with_columns(_WHO))
            replaced_ids = now_rows.filter(hit)["upload_id"].unique().to_list()
        replaces = tuple(
            sorted(uploads.filter(pl.col("upload_id").is_in(replaced_ids))["seq"].to_list())
        )
        log_row = pl.DataFrame(
            {
                "upload_id": [upload_id],
                "seq": [seq],
                "org_id": [settings.org_id],
                "kind": [settings.kind],
                "year": [settings.year],
                "file_name": [raw.file_name],
                "sha256": [raw.sha256],
                "raw_file": [rel],
                "size_bytes": [raw.size],
                "file_format": [raw.describe()],
                "encoding": [raw.encoding or None],
                "decimal_mark": [DECIMAL_MARK_NAMES.get(validation.decimal_mark)],
                "unit": [settings.unit],
                "rows": [rows.height],
                "periods": [", ".join(periods)],
                "period_from": [periods[0]],
                "period_to": [periods[-1]],
                "total_kr": [total],
                "mapping_json": [kinds.remember(raw.headers, settings.columns)],
                "uploaded_by": [actor.name.strip()],
                "uploaded_at": [moment],
                "status": [ACTIVE],
                "replaces": [", ".join(str(s) for s in replaces) or None],
                "status_by": [None],
                "status_at": [None],
                "mode": [mode],
            },
            schema=tables.USER_TABLES["uploads"],
        )
        new_uploads = pl.concat([uploads, log_row], how="vertical_relaxed")
        if new_outcome is None:
            new_outcome = recompute_current(
                new_uploads, pl.concat([outcome, added], how="vertical_relaxed")
            )
        report(0.6, "Publicerar (en atomär skrivning)")
        store.publish(
            {},
            parts={
                "uploads": {settings.org_id: new_uploads},
                "outcome": {settings.org_id: new_outcome},
            },
            action="uppladdning",
            who=actor.name.strip(),
            details={
                "upload_id": upload_id,
                "seq": seq,
                "org_id": settings.org_id,
                "kind": settings.kind,
                "file": raw.file_name,
                "file_sha256": raw.sha256,
                "rows": rows.height,
                "periods": periods,
                "total_kr": str(total),
                "replaces": list(replaces),
                "mode": mode,
                # Printed totals as printed (file unit), with the sum of their lines and
                # how they compare; and the rows read but not stored, with why.
                "unit": settings.unit,
                "totals": [
                    {
                        "row": t["row"],
                        "label": t["label"],
                        "printed": t["printed_text"],
                        "lines": format(t["computed"].normalize(), "f"),
                        "class": t["class"],
                    }
                    for t in validation.totals
                ],
                "skipped": [
                    {
                        "row": r["row"],
                        "reason": r["reason"],
                        "text": r["text"],
                        "amount": r["amount"],
                    }
                    for r in validation.skipped.head(500).iter_rows(named=True)
                ],  # fmt: skip
            },
            root=base,
        )
    report(1.0, "Sparat")
    return Committed(
        upload_id=upload_id,
        seq=seq,
        rows=rows.height,
        periods=tuple(periods),
        total_kr=total,
        replaces=replaces,
        raw_file=rel,
    )


def name_map(mappings: pl.DataFrame, org_id: str) -> dict[str, str]:
    """name_key -> line_key for an organisation: its latest confirmed mapping per name
    (``mappings`` is the ``name_mappings`` table or query ``upl_name_mappings``)."""
    own = mappings.filter(pl.col("org_id") == org_id).sort("set_at")
    latest = own.unique(subset=["name_key"], keep="last")
    return dict(zip(latest["name_key"].to_list(), latest["line_key"].to_list(), strict=True))


def remember_names(
    org_id: str,
    names: dict[str, str],
    actor: access.Actor | None,
    *,
    root: Path | None = None,
    now: datetime | None = None,
) -> int:
    """Remember name -> line_key mappings (names as in the file) for the organisation.

    Checked with ``access.require`` and audited; the mappings apply to the
    organisation's next uploads (``Catalogue.with_names``). Returns how many were stored.
    """
    pairs = {kinds.normalise(n): (n, k) for n, k in names.items() if kinds.normalise(n) and k}
    if not pairs:
        return 0
    base = _root(root)
    with upload_lock(base):
        actor = access.require(actor, "upload:write", root=root)
        moment = now or datetime.now(UTC)
        current = store.read_table(NAMES_TABLE, base)
        current = conform(NAMES_TABLE, current) if current is not None else None
        added = pl.DataFrame(
            {
                "org_id": [org_id] * len(pairs),
                "name_key": list(pairs),
                "name": [n for n, _ in pairs.values()],
                "line_key": [k for _, k in pairs.values()],
                "set_by": [actor.name.strip()] * len(pairs),
                "set_at": [moment] * len(pairs),
            },
            schema=tables.USER_TABLES[NAMES_TABLE],
        )
        frame = added if current is None else pl.concat([current, added])
        store.publish(
            {NAMES_TABLE: frame},
            action="koppla verksamhetsnamn",
            who=actor.name.strip(),
            details={
                "org_id": org_id,
                "names": {n: k for n, k in pairs.values()},
            },
            root=base,
        )
    return len(pairs)


def planned_changes(
    validation: Validation, mode: str | None = None, root: Path | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What committing ``validation`` now would do, read from the store (for a command
    line or a tool; the page uses query ``upl_current_rows``): the current rows it would
    drop if it replaced its periods (``lost_rows``) and the change list for ``mode``
    (``period_changes``; without a mode, as ``ersatt``)."""
    settings = validation.settings
    _, outcome = load_org(settings.org_id, root)
    periods = validation.rows["period"].unique().to_list()
    now = current_rows(outcome, settings.org_id, settings.kind, periods)
    return lost_rows(validation.rows, now), period_changes(validation.rows, now, mode or REPLACE)


def _lost_message(lost: pl.DataFrame) -> str:
    per = lost.group_by("period").agg(pl.len()).sort("period")
    listing = ", ".join(
        f"{p} ({fmt.number(n)} {'rad' if n == 1 else 'rader'})" for p, n in per.iter_rows()
    )
    return (
        f"Filen saknar rader som gäller nu för {listing}. Välj om filen ska ersätta hela "
        "perioden (de raderna tas bort ur den gällande versionen) eller bara rätta raderna "
        "i filen (övriga rader står kvar). Ingenting har sparats."
    )


def _set_status(
    upload_id: str,
    org_id: str,
    actor: access.Actor | None,
    *,
    expect: str,
    new: str,
    action: str,
    root: Path | None,
    now: datetime | None,
) -> pl.DataFrame:
    base = _root(root)
    with upload_lock(base):
        uploads, outcome = load_org(org_id, base)
        match = uploads.filter((pl.col("upload_id") == upload_id) & (pl.col("org_id") == org_id))
        if match.is_empty():
            raise UploadRefusedError("Uppladdningen finns inte för den här organisationen.")
        row = match.row(0, named=True)
        if row["status"] != expect:
            state = STATUS_LABELS.get(row["status"], row["status"]).lower()
            raise UploadRefusedError(f"Uppladdning nr {row['seq']} är redan {state}.")
        actor = access.require(actor, "upload:undo", root=root)
        is_it = pl.col("upload_id") == upload_id
        moment = now or datetime.now(UTC)
        new_uploads = uploads.with_columns(
            status=pl.when(is_it).then(pl.lit(new)).otherwise(pl.col("status")),
            status_by=pl.when(is_it)
            .then(pl.lit(actor.name.strip()))
            .otherwise(pl.col("status_by")),
            status_at=pl.when(is_it)
            .then(pl.lit(moment, dtype=tables.TIMESTAMP))
            .otherwise(pl.col("status_at")),
        )
        new_outcome = recompute_current(new_uploads, outcome)
        store.publish(
            {},
            parts={"uploads": {org_id: new_uploads}, "outcome": {org_id: new_outcome}},
            action=action,
            who=actor.name.strip(),
            details={"upload_id": upload_id, "seq": row["seq"], "org_id": org_id},
            root=base,
        )
    return new_uploads.filter(is_it)


def undo(
    upload_id: str,
    org_id: str,
    actor: access.Actor | None,
    *,
    root: Path | None = None,
    now: datetime | None = None,
) -> pl.DataFrame:
    """Mark an active upload ``ångrad``: the previous version of its periods is current again."""
    return _set_status(
        upload_id, org_id, actor, expect=ACTIVE, new=UNDONE, action="ångra uppladdning",
        root=root, now=now,
    )  # fmt: skip


def restore(
    upload_id: str,
    org_id: str,
    actor: access.Actor | None,
    *,
    root: Path | None = None,
    now: datetime | None = None,
) -> pl.DataFrame:
    """Make an undone upload active again (it is current where it is the latest active)."""
    return _set_status(
        upload_id, org_id, actor, expect=UNDONE, new=ACTIVE, action="återställ uppladdning",
        root=root, now=now,
    )  # fmt: skip


_RAW_NAME = re.compile(r"^raw/uploads/[0-9a-f]{64}\.(csv|xlsx)$")


def raw_bytes(raw_file: str, root: Path | None = None) -> bytes:
    """The kept original of an upload (``raw_file`` as logged), checked against its name."""
    if not _RAW_NAME.match(raw_file or ""):
        raise ValueError(f"ogiltig sökväg till originalfil: {raw_file!r}")
    data = (_root(root) / raw_file).read_bytes()
    expected = raw_file.rsplit("/", 1)[1].split(".", 1)[0]
    if hashlib.sha256(data).hexdigest() != expected:
        raise UploadRefusedError("Originalfilen stämmer inte med sin kontrollsumma.")
    return data
