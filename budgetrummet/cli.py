"""The command line: add an organisation, import a file – the page's pipeline, scriptable.

    python -m budgetrummet org add ORG_ID --name NAME [--kommunkod KOD] [--parent ORG_ID]
        [--typ kommun|namnd|forbund]
    python -m budgetrummet import ORG_ID KIND FILE [--unit kr|tkr|mkr] [--year YYYY]
        [--month YYYY-MM] [--date YYYY-MM-DD] [--sign costs-negative|costs-positive]
        [--column "HEADER=FIELD" ...] [--dry-run] [--replace-period | --correct-rows]
    python -m budgetrummet vacuum [--keep-days N]
    python -m budgetrummet audit --as-of TID [--upload UPLOAD_ID] [--out FIL.csv]
    python -m budgetrummet store copy-to URI [--azurite] [--option KEY=VALUE ...] [--verify]

The file is read by the upload page's reader, checked by the same rules and stored by
the same functions, and the same Swedish report is printed. Exit status: 0 stored (or
valid under ``--dry-run``), 1 refused, 2 usage error.

Who writes: in local mode (no sign-in configured) the operating-system user is admin,
as the local visitor of the app is. With sign-in configured (``.streamlit/secrets.toml``
has ``[auth]``) the role file's ``[system_users]`` table names the system users allowed
and their roles (``budgetrummet.access``). Every write is audited under that name.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import tomllib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NoReturn, TextIO

import polars as pl

from budgetrummet import access, build, db, fmt, orgs, store
from budgetrummet.presenters import upload as report
from budgetrummet.seed import REPO_ROOT
from budgetrummet.upload import documents, kinds, units
from budgetrummet.upload.doc_store import commit as commit_document
from budgetrummet.upload.reading import read_upload
from budgetrummet.upload.rules import UploadRefusedError, problems_frame, sort_problems
from budgetrummet.upload.storing import (
    CORRECT,
    REPLACE,
    identical_upload,
    name_map,
    planned_changes,
)
from budgetrummet.upload.storing import commit as commit_upload
from budgetrummet.upload.validation import Settings, guess_year, validate
from budgetrummet.writes import orgs as org_writes

KINDS = ("budget", "utfall", "prognos", "investering", "investeringsplan", "mal", "struktur")
SECRETS = REPO_ROOT / ".streamlit" / "secrets.toml"
OK, REFUSED, USAGE = 0, 1, 2


class UsageError(ValueError):
    """A command line that cannot be run as given; Swedish message, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors already
        raise UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m budgetrummet", description="Budgetrummet på kommandoraden.")
    sub = p.add_subparsers(dest="command", required=True)
    org = sub.add_parser("org", help="organisationer").add_subparsers(dest="org_command")
    add = org.add_parser("add", help="lägg till en organisation")
    add.add_argument("org_id")
    add.add_argument("--name", required=True)
    add.add_argument("--kommunkod")
    add.add_argument("--parent")
    add.add_argument("--typ", choices=list(orgs.KINDS))
    imp = sub.add_parser("import", help="läs in en fil")
    imp.add_argument("org_id")
    imp.add_argument("kind", choices=KINDS)
    imp.add_argument("file", type=Path)
    imp.add_argument("--unit", choices=documents.UNITS)
    imp.add_argument("--year", type=int)
    imp.add_argument("--month")
    imp.add_argument("--date")
    imp.add_argument("--sign", choices=list(documents.SIGNS))
    imp.add_argument("--column", action="append", default=[])
    imp.add_argument("--dry-run", action="store_true")
    how = imp.add_mutually_exclusive_group()
    how.add_argument("--replace-period", action="store_true")
    how.add_argument("--correct-rows", action="store_true")
    vac = sub.add_parser("vacuum", help="rensa gamla versioner ur lagret")
    vac.add_argument("--keep-days", type=float, default=7.0)
    aud = sub.add_parser("audit", help="uppladdningarna som de var vid en tidpunkt")
    aud.add_argument(
        "--as-of", required=True, help="ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTHH:MM (svensk tid)"
    )
    aud.add_argument("--upload", help="en uppladdnings lagrade rader som de var då")
    aud.add_argument("--out", type=Path, help="skriv raderna som CSV hit (annars till skärmen)")
    sto = sub.add_parser("store", help="lagret i objektlagring").add_subparsers(
        dest="store_command"
    )
    copy = sto.add_parser("copy-to", help="kopiera alla tabeller till en URI (az://, s3://)")
    copy.add_argument("uri")
    copy.add_argument("--option", action="append", default=[], help="storage_options KEY=VALUE")
    copy.add_argument("--azurite", action="store_true", help="Azurites utvecklingskonto")
    copy.add_argument(
        "--verify", action="store_true", help="läs tillbaka, samtidiga skrivare, tidsresa"
    )
    return p


def as_of_time(text: str) -> datetime:
    """``--as-of``: a date (the end of that day) or a date and time, Swedish local time
    unless an offset is given; UTC."""
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.fromisoformat(value) + timedelta(days=1, microseconds=-1)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--as-of ska vara ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTHH:MM, inte {value[:60]!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=fmt.LOCAL_TIME)
    return moment.astimezone(UTC)


def audit_as_of(args: argparse.Namespace, out: TextIO, root: Path | None) -> int:
    """The uploads (or one upload's stored rows) as readers saw them at ``--as-of``."""
    moment = as_of_time(args.as_of)
    root = root or store.data_dir()
    snapshot = store.snapshot_at(moment, root)
    label = report.when(moment)
    if snapshot is None or "uploads" not in snapshot.versions:
        print(
            f"Lagret har ingen data från {label} kvar (före första skrivningen, eller rensad).",
            file=out,
        )
        return REFUSED
    try:
        uploads = store.read_table("uploads", root, version=snapshot.versions["uploads"])
    except OSError:
        uploads = None
    if uploads is None:
        print(f"Data som den var {label} har rensats ur lagret.", file=out)
        return REFUSED
    if args.upload is None:
        print(
            f"Uppladdningar, data som den var {label}: {fmt.number(uploads.height)} st.", file=out
        )
        for r in uploads.sort("seq").iter_rows(named=True):
            print(
                f"  {r['upload_id']}  {r['org_id']}  {r['kind']}  {r['year']}  "
                f"{fmt.number(r['rows'])} rader  {r['status']}  {r['file_name']}",
                file=out,
            )
        return OK
    chosen = uploads.filter(pl.col("upload_id") == args.upload)
    if chosen.is_empty():
        print(f"Uppladdningen {args.upload[:60]!r} fanns inte {label}.", file=out)
        return REFUSED
    org_id = chosen["org_id"][0]
    try:
        rows = store.read_table("outcome", root, part=org_id, version=snapshot.versions["outcome"])
    except (OSError, KeyError, ValueError):
        print(f"Utfallet som det var {label} har rensats ur lagret.", file=out)
        return REFUSED
    assert rows is not None
    rows = rows.filter(pl.col("upload_id") == args.upload)
    status = chosen["status"][0]
    print(
        f"Uppladdning {args.upload}, data som den var {label}: status {status}, "
        f"{fmt.number(rows.height)} lagrade rader.",
        file=out,
    )
    if args.out is not None:
        rows.write_csv(args.out)
        print(f"Raderna skrivna till {args.out}.", file=out)
    else:
        out.write(rows.write_csv())
    return OK


def store_copy(args: argparse.Namespace, out: TextIO, root: Path | None) -> int:
    """Copy every table to object storage (and with ``--verify`` check it there)."""
    from budgetrummet import objectstore

    if args.store_command != "copy-to":
        raise UsageError("Ange ett kommando: store copy-to URI …")
    options = objectstore.azurite_options() if args.azurite else {}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--option ska vara NYCKEL=VÄRDE, inte {item[:60]!r}")
        options[key.strip()] = value
    try:
        actor = access.require(cli_actor(root), "store:copy", root=root)
        if args.azurite:
            container = args.uri.split("://", 1)[-1].split("/", 1)[0].split("@", 1)[0]
            objectstore.create_azurite_container(container)
        if args.verify:
            lines = objectstore.verify(args.uri, options, root)
        else:
            copied = objectstore.copy_to(args.uri, options, root, who=actor.name.strip())
            lines = [
                f"{c.name}: {fmt.number(c.rows)} rader, version {c.source_version} → "
                f"kopians version {c.target_version}"
                for c in copied
            ]
    except (access.AccessDeniedError, objectstore.ObjectStoreError, OSError) as exc:
        print(f"Kopieringen misslyckades: {str(exc)[:300]}", file=out)
        return REFUSED
    store.record_audit(
        action="kopiera lagret till objektlagring",
        who=actor.name.strip(),
        details={"uri": args.uri, "verify": bool(args.verify), "result": "ok"},
        root=root,
    )
    for line in lines:
        print(line, file=out)
    return OK


def vacuum(args: argparse.Namespace, out: TextIO, root: Path | None) -> int:
    """Remove table versions older than ``--keep-days`` (and a killed write's files)."""
    if args.keep_days < 0:
        raise UsageError("--keep-days ska vara 0 eller fler dagar.")
    try:
        actor = access.require(cli_actor(root), "store:vacuum", root=root)
        report = store.vacuum(keep_days=args.keep_days, who=actor.name.strip(), root=root)
    except (access.AccessDeniedError, store.StoreBusyError) as exc:
        print(str(exc), file=out)
        return REFUSED
    mib = 1024 * 1024
    print(
        f"Rensat: {fmt.number(report['files_removed'])} filer borttagna, lagret "
        f"{fmt.number(report['bytes_before'] / mib, 1)} MiB → "
        f"{fmt.number(report['bytes_after'] / mib, 1)} MiB. Versioner från de "
        f"senaste {fmt.number(args.keep_days, 1 if args.keep_days % 1 else 0)} dagarna finns kvar.",
        file=out,
    )
    return OK


# ------------------------------------------------------------------ who is writing


def auth_configured(secrets: Path = SECRETS) -> bool:
    """Sign-in is configured when the app's secrets have an ``[auth]`` section."""
    try:
        return "auth" in tomllib.loads(secrets.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return False


def system_user() -> str:
    try:
        return getpass.getuser().strip() or "okänd"
    except (KeyError, OSError):
        return "okänd"


def cli_actor(root: Path | None = None, *, signed_in: bool | None = None) -> access.Actor:
    """The OS user: admin in local mode, else the roles ``[system_users]`` gives it."""
    name = system_user()
    if not (auth_configured() if signed_in is None else signed_in):
        # Named as the app names the local administrator (the superuser's account is
        # not a person's name), so the page and the command line write as the same one.
        return access.Actor(fmt.person(name), frozenset({access.ADMIN}))
    try:
        config = access.load_role_config((root or store.data_dir()) / access.ROLE_FILE)
    except access.RoleConfigError:
        return access.Actor(name, frozenset())
    return access.Actor(name, config.system_users.get(name, frozenset()))


# ------------------------------------------------------------------ commands


def _print_problems(problems: pl.DataFrame, out: TextIO) -> None:
    print(f"Filen har {fmt.number(problems.height)} fel och har inte sparats.", file=out)
    for r in report.counts_table(problems).iter_rows():
        print("  " + " – ".join(str(c) for c in r), file=out)
    print("Alla fel, rad för rad:", file=out)
    for r in report.problem_table(problems).iter_rows(named=True):
        where = ", ".join(
            f"{k.lower()} {v}" if k == "Kolumn" or str(v)[:1].isdigit() else str(v)
            for k, v in r.items()
            if k in ("Rad", "Kolumn") and v not in ("", None)
        )
        print(f"  {where + ': ' if where else ''}{r['Beskrivning']}", file=out)


def org_add(args: argparse.Namespace, out: TextIO, root: Path | None) -> int:
    kind = args.typ or (
        orgs.NAMND if args.parent else orgs.KOMMUN if args.kommunkod else orgs.FORBUND
    )
    existing = _warehouse(root).run_query("org_registry")
    new = orgs.NewOrganisation(args.org_id, args.name, kind, args.kommunkod, args.parent)
    try:
        added = org_writes.add(new, cli_actor(root), existing, root=root)
    except (orgs.OrganisationRefusedError, access.AccessDeniedError) as exc:
        print(str(exc), file=out)
        return REFUSED
    print(
        f"Organisationen {added.name} ({added.org_id}, {orgs.KINDS[added.kind]}) är tillagd.",
        file=out,
    )
    return OK


def _overrides(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for text in values:
        try:
            pairs.append(documents.parse_column_option(text))
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    return tuple(pairs)


def _month_end(text: str | None) -> date | None:
    """``2025-08`` -> 2025-08-31: the date an outcome to the end of that month is as of."""
    if text is None:
        return None
    try:
        year, month = (int(p) for p in text.split("-"))
        if not 1 <= month <= 12:
            raise ValueError(text)
        following = date(year + month // 12, month % 12 + 1, 1)
    except ValueError as exc:
        raise UsageError(f"--month ska skrivas ÅÅÅÅ-MM, inte ”{text}”.") from exc
    return date.fromordinal(following.toordinal() - 1)


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{what} ska skrivas ÅÅÅÅ-MM-DD, inte ”{text}”.") from exc


def import_file(args: argparse.Namespace, out: TextIO, root: Path | None) -> int:
    wh = _warehouse(root)
    organisations = wh.run_query("organisations")
    names = dict(organisations.iter_rows())
    if args.org_id not in names:
        raise UsageError(f"Organisationen ”{args.org_id}” finns inte; lägg till den med org add.")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"Filen {args.file} kan inte läsas: {exc.strerror}.") from exc
    raw = read_upload(data, args.file.name)
    print(f"{args.file.name}: " + "; ".join(report.detected(raw)), file=out)
    overrides = _overrides(args.column)
    if args.kind in documents.DOC_KINDS:
        settings = documents.DocSettings(
            org_id=args.org_id,
            org_name=names[args.org_id],
            kind=args.kind,
            unit=args.unit,
            sign=args.sign,
            year=args.year,
            as_of=_date(args.date, "--date") or _month_end(args.month),
            doc_date=_date(args.date, "--date"),
            columns=overrides,
        )
        result = run_document(raw, settings, wh)
        if not result.ok:
            _print_problems(result.problems, out)
            return REFUSED
        print_document(result, out)
        if args.dry_run:
            print("Kontrollen är klar (--dry-run): ingenting sparades.", file=out)
            return OK
        try:
            stored = commit_document(raw, data, result, cli_actor(root), root=root)
        except (UploadRefusedError, access.AccessDeniedError) as exc:
            print(str(exc), file=out)
            return REFUSED
        replaced = f" Ersätter {', '.join(stored.replaces)}." if stored.replaces else ""
        print(
            f"Sparat som dokument {stored.doc_id} (inläsning nr {stored.seq}).{replaced}", file=out
        )
        return OK
    return _import_upload(args, raw, data, overrides, wh, out, root)


def run_document(raw, settings: documents.DocSettings, wh: db.Warehouse):
    """Check a document file against the organisation's structure (as the page does)."""
    catalogue = documents.structure_catalogue(
        settings.org_id,
        wh.run_query("org_structure", org_id=settings.org_id),
        wh.run_query("upl_verksamheter", org_id=settings.org_id),
    )
    return documents.parse(raw, settings, catalogue)


def print_document(result: documents.DocImport, out: TextIO) -> None:
    for line in documents.summary_lines(result):
        print(line, file=out)
    if not result.findings.is_empty():
        print("Avstämning av tryckta summor:", file=out)
        for r in documents.findings_table(result.findings).iter_rows(named=True):
            print(
                f"  rad {r['Rad']}, {r['Kolumn']}: {r['Summarad']} tryckt {r['Tryckt']}, "
                f"skillnad mot raderna {r['Skillnad mot raderna']} – {r['Bedömning']}",
                file=out,
            )


def _import_upload(args, raw, data, overrides, wh, out, root) -> int:
    """utfall, prognos, investering: the upload page's mapping, validation and storing."""
    if raw.problems:
        _print_problems(sort_problems(problems_frame(list(raw.problems))), out)
        return REFUSED
    history = wh.run_query("upl_uploads_for_org", org_id=args.org_id)
    mapping = kinds.suggest_mapping(
        raw.headers, args.kind, report.remembered_mapping(history, args.kind)
    )
    by_norm = {kinds.normalise(h): i for i, h in enumerate(raw.headers)}
    for header, field in overrides:
        if field not in kinds.KINDS[args.kind].fields:
            raise UsageError(
                f"”{field}” är inget fält för {args.kind}; giltiga är "
                + ", ".join(kinds.KINDS[args.kind].fields)
                + "."
            )
        if kinds.normalise(header) not in by_norm:
            raise UsageError(f"Kolumnen ”{header}” finns inte i filen.")
        mapping = {f: i for f, i in mapping.items() if i != by_norm[kinds.normalise(header)]}
        mapping[field] = by_norm[kinds.normalise(header)]
    month = None
    year = args.year
    if args.month:
        try:
            y, m = (int(p) for p in args.month.split("-"))
        except ValueError as exc:
            raise UsageError(f"--month ska skrivas ÅÅÅÅ-MM, inte ”{args.month}”.") from exc
        year, month = year or y, m
    unit = args.unit
    if unit is None:
        found = units.detect(raw.headers, mapping.get(kinds.BELOPP), raw.preamble)
        if found is None:
            raise UsageError(
                "Filen säger inte i vilken enhet beloppen står; ange --unit kr, tkr eller mkr."
            )
        unit = found.unit
        print(f"Enhet: {found.describe()}.", file=out)
    year = year or guess_year(raw, mapping, args.kind, date.today().year)
    try:
        settings = Settings.of(
            args.org_id,
            args.kind,
            year,
            unit,
            mapping,
            stated_month=month,
            stated_date=_date(args.date, "--date"),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    # As on the page: the organisation's structure (ansvar, nämnd … mapped to verksamhet)
    # when it has one, else its documents' verksamheter, plus the names it has mapped.
    catalogue = documents.structure_catalogue(
        args.org_id,
        wh.run_query("org_structure", org_id=args.org_id),
        wh.run_query("upl_verksamheter", org_id=args.org_id),
    ).with_names(name_map(wh.run_query("upl_name_mappings", org_id=args.org_id), args.org_id))
    result = validate(raw, settings, catalogue)
    same = identical_upload(raw.sha256, wh.run_query("upl_upload_by_sha", sha256=raw.sha256))
    problems = result.problems
    if same is not None:
        problems = sort_problems(pl.concat([problems_frame([same]), problems]))
    if not problems.is_empty() or not result.ok:
        _print_problems(problems, out)
        return REFUSED
    view = report.preview(result, catalogue)
    print(
        f"Filen är felfri: {fmt.count(view.rows, 'rad', 'rader')}, "
        f"{'period' if len(view.periods) == 1 else 'perioder'} {', '.join(view.periods)}, "
        f"summa {report.kr(view.total_kr)}.",
        file=out,
    )
    mode = REPLACE if args.replace_period else CORRECT if args.correct_rows else None
    lost, _ = planned_changes(result, mode, root)
    if not lost.is_empty():
        per = lost.group_by("period").agg(pl.len()).sort("period")
        listing = ", ".join(f"{p} ({fmt.number(n)})" for p, n in per.iter_rows())
        if mode is None:
            print(
                f"Filen saknar rader som gäller nu för {listing}. Ange --replace-period "
                "(filen ersätter hela perioden) eller --correct-rows (bara filens rader "
                "rättas); utan val sparas ingenting.",
                file=out,
            )
            return REFUSED
        if mode == REPLACE:
            print(f"Rader som inte längre gäller (--replace-period): {listing}.", file=out)
    if args.dry_run:
        print("Kontrollen är klar (--dry-run): ingenting sparades.", file=out)
        return OK
    try:
        done = commit_upload(raw, data, result, cli_actor(root), root=root, mode=mode)
    except (UploadRefusedError, access.AccessDeniedError) as exc:
        print(str(exc), file=out)
        return REFUSED
    print(f"Uppladdning nr {done.seq} är sparad: {fmt.count(done.rows, 'rad', 'rader')}.", file=out)
    return OK


def _warehouse(root: Path | None) -> db.Warehouse:
    return db.Warehouse(root) if root else db.warehouse()


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, root: Path | None = None
) -> int:
    out = out or sys.stdout
    try:
        args = parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.command == "org" and args.org_command != "add":
            raise UsageError("Ange ett kommando: org add ORG_ID --name NAMN …")
        build.build(root)
        if args.command == "org":
            return org_add(args, out, root)
        if args.command == "vacuum":
            return vacuum(args, out, root)
        if args.command == "store":
            return store_copy(args, out, root)
        if args.command == "audit":
            return audit_as_of(args, out, root)
        return import_file(args, out, root)
    except UsageError as exc:
        print(f"Fel i kommandoraden: {exc}", file=sys.stderr)
        print(parser().format_usage(), file=sys.stderr, end="")
        return USAGE
