"""Uppladdning's loader and its Streamlit forms: choose, map, check, preview, commit, undo.

The page's queries run through the one query cache (``load``); the texts and tables come
from ``budgetrummet.presenters.upload``; the forms both file pages share (file picker,
templates, problem report, name mapping) from ``budgetrummet.ui.file_forms``. The work
is done by ``budgetrummet.upload`` (pure, tested without Streamlit). This module owns the
widgets (keys ``upl_*``), caches the reading and checking of a file by its content, and
shows progress while a large file is checked and stored. A commit, undo or restore
publishes through the store; the page's queries key on the manifest, so the new data
shows on the next rerun without restarting the app.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import polars as pl
import streamlit as st

from budgetrummet import access, fmt, store
from budgetrummet.export import safe_file_name
from budgetrummet.presenters import upload as pr
from budgetrummet.ui import file_forms as forms
from budgetrummet.ui.auth import current_actor, plain, who_caption
from budgetrummet.ui.data import derived, query
from budgetrummet.ui.file_forms import next_file, set_flash, table
from budgetrummet.upload import documents, kinds, storing, units
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.reading import RawTable, column_letter
from budgetrummet.upload.rules import UploadRefusedError, problems_frame, sort_problems
from budgetrummet.upload.validation import (
    WHOLE_YEAR,
    Settings,
    Validation,
    guess_year,
    validate,
)

PREFIX = "upl"
SEEN = "upl_seen"
LEAVE_OUT = "upl_leave_out"
UNIT_LABELS = units.LABELS

# ---------------------------------------------------------------------------- loader


@dataclass(frozen=True)
class PageData:
    """The organisation's uploads, its loaded periods and what its files may name."""

    history: pl.DataFrame
    loaded: pl.DataFrame
    catalogue: Catalogue


def load(org: str) -> PageData:
    """The page's frames. The catalogue is the organisation's own structure (with nämnd,
    ansvar and kostnadsslag mapped to verksamhet) when it has one, else its documents'
    verksamheter; plus the names it has mapped."""
    return PageData(
        history=query("upl_uploads_for_org", org_id=org),
        loaded=query("upl_loaded_periods", org_id=org),
        catalogue=catalogue(org),
    )


def catalogue(org: str) -> Catalogue:
    """What a file of the organisation may name (both file pages check against it),
    once per publication."""
    return derived(
        "upl_catalogue",
        lambda: documents.structure_catalogue(
            org, query("org_structure", org_id=org), query("upl_verksamheter", org_id=org)
        ).with_names(storing.name_map(query("upl_name_mappings", org_id=org), org)),
        org=org,
    )


def _history_tables(history_frame: pl.DataFrame, loaded: pl.DataFrame) -> tuple:
    return (
        None if loaded.is_empty() else pr.loaded_table(loaded),
        None if history_frame.is_empty() else pr.history_table(history_frame),
        pr.choice_labels(history_frame),
    )


def history_tables(org: str, data: PageData) -> tuple:
    """The loaded periods' table, the upload log's table and the uploads' labels."""
    return derived("upl_history", lambda: _history_tables(data.history, data.loaded), org=org)


def current_rows(org: str, kind: str) -> pl.DataFrame:
    return query("upl_current_rows", org_id=org, kind=kind)


def earlier_uploads(sha256: str) -> pl.DataFrame:
    return query("upl_upload_by_sha", sha256=sha256)


# ----------------------------------------------------------------------------- forms


@st.cache_data(show_spinner=False, max_entries=8, ttl=3600)
def _validate(sha256: str, settings: Settings, catalogue: Catalogue, _raw: RawTable) -> Validation:
    # Keyed on the file's checksum, the settings and the catalogue; ``_raw`` (same sha)
    # is not hashed again.
    return validate(_raw, settings, catalogue)


@st.cache_resource(show_spinner=False)
def _schema_checked(root: str) -> bool:
    return storing.ensure_schema()


def ensure_tables() -> None:
    """Once per process and data dir: migrate empty upload tables of an older schema."""
    _schema_checked(str(store.data_dir()))


def actor_line() -> access.Actor | None:
    """Who is using the page (signed in, or the local admin); every write is registered
    under this name, and the roles are checked again when writing."""
    st.caption(who_caption())
    return current_actor()


def _reset_for(raw: RawTable, kind: str) -> None:
    """A new file or kind: forget the previous file's column choices and year."""
    marker = f"{raw.sha256}:{kind}"
    if st.session_state.get(SEEN) != marker:
        for key in [k for k in st.session_state if str(k).startswith("upl_map_")]:
            del st.session_state[key]
        for key in ("upl_year", "upl_month", "upl_date", "upl_unit", "upl_mode", LEAVE_OUT):
            st.session_state.pop(key, None)
        for key in [k for k in st.session_state if str(k).startswith("upl_name_")]:
            del st.session_state[key]
        st.session_state[SEEN] = marker


def mapping_inputs(
    raw: RawTable, kind: str, remembered: dict[str, str]
) -> tuple[dict[str, int], int | None, date | None]:
    """One select per field (pre-filled), plus a stated month or forecast date if needed."""
    _reset_for(raw, kind)
    spec = kinds.KINDS[kind]
    suggested = kinds.suggest_mapping(raw.headers, kind, remembered)
    options: list[int | None] = [None, *range(len(raw.headers))]

    def label(i: int | None) -> str:
        return "– ingen –" if i is None else f"{column_letter(i)}: {raw.headers[i]}"

    mapping: dict[str, int] = {}
    grid = st.columns(3)
    for n, field in enumerate(spec.fields):
        required = field in spec.required
        default = suggested.get(field)
        chosen = grid[n % 3].selectbox(
            kinds.FIELD_LABELS[field] + (" *" if required else ""),
            options=options,
            index=options.index(default) if default in options else 0,
            format_func=label,
            key=f"upl_map_{field}",
        )
        if chosen is not None:
            mapping[field] = chosen
    stated_month: int | None = None
    stated_date: date | None = None
    if spec.period == "month" and kinds.PERIOD not in mapping and kinds.MANAD not in mapping:
        stated_month = st.selectbox(
            "Filen har ingen periodkolumn. Vilken period avser hela filen?",
            options=[None, WHOLE_YEAR, *range(1, 13)],
            format_func=pr.month_option,
            key="upl_month",
        )
    if spec.period == "date" and kinds.PROGNOSDATUM not in mapping:
        stated_date = st.date_input(
            "Filen har ingen datumkolumn. Vilket datum gäller prognosen?",
            value=None,
            format="YYYY-MM-DD",
            key="upl_date",
        )
    return mapping, stated_month, stated_date


def year_and_unit(raw: RawTable, kind: str, mapping: dict[str, int]) -> tuple[int, str | None]:
    found = units.detect(raw.headers, mapping.get(kinds.BELOPP), raw.preamble)
    left, right = st.columns(2)
    guessed = guess_year(raw, mapping, kind, date.today().year)
    year = left.number_input(
        "År som filen avser",
        min_value=2000,
        max_value=2100,
        value=guessed,
        step=1,
        key="upl_year",
        help="Rader med perioder i ett annat år rapporteras som fel.",
    )
    unit = right.radio(
        "Beloppen i filen är i",
        options=list(UNIT_LABELS),
        format_func=UNIT_LABELS.__getitem__,
        index=list(UNIT_LABELS).index(found.unit) if found else None,
        key="upl_unit",
        horizontal=True,
        help="Allt lagras i kronor; tkr multipliceras med 1 000, mkr med 1 000 000, och "
        "rapporten visar omräkningen.",
    )
    if found is not None:
        right.caption(f"Enheten hittades i filen: {plain(found.describe())}. Ändra om den inte "
                      "stämmer.")  # fmt: skip
    return int(year), unit


def check_settings(
    org: str,
    kind: str,
    year: int,
    unit: str,
    mapping: dict[str, int],
    month: int | None,
    forecast_date: date | None,
) -> Settings:
    """The form's answers as the check's settings, with the cells chosen to be left out."""
    left_out = forms.left_out(PREFIX)
    return Settings.of(
        org,
        kind,
        year,
        unit,
        mapping,
        stated_month=month,
        stated_date=forecast_date,
        left_out=left_out,
    )


def check(
    raw: RawTable, settings: Settings, catalogue: Catalogue, earlier: pl.DataFrame
) -> Validation:
    """Validate (cached by content and settings) and add the identical-file refusal."""
    bar = st.progress(0.3, text=f"Kontrollerar {fmt.count(raw.data_rows, 'rad', 'rader')} …")
    result = _validate(raw.sha256, settings, catalogue, raw)
    bar.progress(1.0, text="Kontrollen är klar")
    bar.empty()
    same = storing.identical_upload(raw.sha256, earlier)
    if same is None:
        return result
    return replace(
        result, problems=sort_problems(pl.concat([problems_frame([same]), result.problems]))
    )


def show_check_notes(result: Validation) -> None:
    """The decimal mark found and anything the check read in a particular way."""
    lines = pr.check_notes(result)
    if lines:
        st.markdown("  \n".join(plain(line) for line in lines))


def show_skipped(result: Validation) -> None:
    """Rows read but not stored (headings, totals, empty amounts, rows left out)."""
    if result.skipped.is_empty():
        return
    note = pr.left_out_note(result)
    if note:
        st.info(note)
    with st.expander(pr.skipped_heading(result.skipped.height), expanded=False):
        st.caption(
            "Summarader stäms av mot raderna; rubrikrader och rader med tomt belopp sparas "
            "inte (ett tomt belopp läses aldrig som 0)."
        )
        table(pr.skipped_table(result), key="upl_skipped")


def choose_mode(result: Validation, catalogue: Catalogue, current: pl.DataFrame) -> str | None:
    """The per-period change list, and the replace-or-correct choice when the file would
    drop rows that hold now. Returns the mode to commit with; None (no choice needed,
    nothing is dropped) or ``""`` (a choice is needed and not made)."""
    unit = result.settings.unit
    lost = storing.lost_rows(result.rows, current)
    mode: str | None = None
    if not lost.is_empty():
        st.warning(pr.lost_rows_warning(lost))
        mode = st.radio(
            "Hur ska filen sparas?",
            options=list(storing.MODES),
            format_func=storing.MODE_LABELS.__getitem__,
            index=None,
            key="upl_mode",
        )
        if mode is None:
            return ""
    changes = storing.period_changes(result.rows, current, mode or storing.REPLACE)
    shown = pr.changes_table(changes, catalogue, unit)
    st.markdown("**Det här ändras per period**")
    if shown.is_empty():
        st.caption("Inga belopp ändras jämfört med det som gäller nu.")
    else:
        table(shown, key="upl_changes")
    return mode


def show_preview(result: Validation, catalogue: Catalogue, loaded: pl.DataFrame) -> None:
    view = pr.preview(result, catalogue)
    st.success(pr.valid_headline(result.totals_checked))
    a, b, c = st.columns(3)
    a.metric("Rader som sparas", fmt.number(view.rows))
    b.metric("Perioder", fmt.number(len(view.periods)))
    c.metric("Summa", pr.kr(view.total_kr))
    st.caption(view.conversion)
    replaced = pr.replaced_periods(result.rows, result.settings.kind, loaded)
    if not replaced.is_empty():
        st.warning(pr.replaced_warning(replaced.height))
        table(replaced, key="upl_replaced")
    first = "Projekt" if result.settings.kind == kinds.INVESTERING else "Verksamhet"
    st.markdown(f"**Summa per {first.lower()}**")
    table(view.by_verksamhet, key="upl_by_v")
    st.markdown("**Summa per period**")
    table(view.by_period, key="upl_by_p")


def confirm(
    raw: RawTable,
    data: bytes,
    result: Validation,
    actor: access.Actor | None,
    mode: str | None = None,
) -> None:
    """The confirm button; stores with a progress bar and reruns to show the new state.

    ``mode`` ``""`` means a replace-or-correct choice is still to be made."""
    if actor is None:
        st.info("Logga in (i sidofältet) för att kunna spara.")
    if not st.button(
        "Spara uppladdningen",
        key="upl_confirm",
        type="primary",
        disabled=actor is None or mode == "",
        icon=":material/cloud_upload:",
    ):
        return
    bar = st.progress(0.0, text="Sparar …")
    try:
        done = storing.commit(
            raw,
            data,
            result,
            actor,
            progress=lambda f, t: bar.progress(f, text=t),
            mode=mode or None,
        )
    except (UploadRefusedError, access.AccessDeniedError) as exc:
        bar.empty()
        st.error(plain(str(exc)))
        return
    set_flash(
        PREFIX,
        pr.saved_message(
            done.seq,
            done.rows,
            done.periods,
            done.total_kr,
            done.replaces,
            correct=mode == storing.CORRECT,
        ),
    )
    next_file(PREFIX)
    st.session_state.pop(SEEN, None)
    st.session_state.pop(LEAVE_OUT, None)
    forms.forget_choices(PREFIX)
    st.rerun()


def kind_selector() -> str:
    return forms.kind_selector(
        "Vad laddar du upp?",
        {k: spec.label for k, spec in kinds.KINDS.items()},
        {k: spec.description for k, spec in kinds.KINDS.items()},
        PREFIX,
    )


def undo_restore(org_id: str, data: PageData, actor: access.Actor | None) -> None:
    """Undo an active upload or restore an undone one (both reversible, both registered)."""
    history_frame = data.history
    seq = dict(zip(history_frame["upload_id"], history_frame["seq"], strict=True))
    forms.undo_restore(
        history_frame.filter(pl.col("status") == storing.ACTIVE)["upload_id"].to_list(),
        history_frame.filter(pl.col("status") == storing.UNDONE)["upload_id"].to_list(),
        history_tables(org_id, data)[2],
        actor,
        PREFIX,
        noun="uppladdning",
        undo=lambda upload_id: storing.undo(upload_id, org_id, actor),
        restore=lambda upload_id: storing.restore(upload_id, org_id, actor),
        message=lambda upload_id, verb: (
            f"Uppladdning nr {seq[upload_id]} är {verb}. Sidorna visar nu den version som gäller."
        ),
    )


def history(org: str, data: PageData) -> None:
    loaded_table, history_table, _labels = history_tables(org, data)
    st.markdown("**Laddade perioder**")
    if loaded_table is None:
        st.info("Inga perioder är laddade för organisationen ännu.")
    else:
        table(loaded_table, key="upl_loaded")
    st.markdown("**Uppladdningar**")
    if history_table is None:
        st.info("Inga uppladdningar ännu.")
        return
    table(history_table, key="upl_history")


def original_download(org: str, data: PageData) -> None:
    """Download the kept original file of an upload (checked against its sha256)."""
    history_frame = data.history
    if history_frame.is_empty():
        return
    ids = history_frame["upload_id"].to_list()
    chosen = st.selectbox(
        "Originalfil att ladda ner",
        options=ids,
        format_func=history_tables(org, data)[2].__getitem__,
        key="upl_raw_choice",
    )
    row = history_frame.filter(pl.col("upload_id") == chosen).row(0, named=True)
    try:
        original = storing.raw_bytes(row["raw_file"])
    except (OSError, ValueError, UploadRefusedError):
        st.warning("Originalfilen finns inte i lagret.")
        return
    st.download_button(
        "Ladda ner originalfilen",
        data=original,
        file_name=safe_file_name(row["file_name"]),
        key="upl_raw_download",
        icon=":material/download:",
    )
    st.caption(f"Kontrollsumma (sha256): `{row['sha256']}`")
