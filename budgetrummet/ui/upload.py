"""Streamlit components of the Uppladdning page: choose, map, report, preview, commit, undo.

The work is done by ``budgetrummet.upload`` (pure, tested without Streamlit); this module
owns the widgets (keys ``upl_*``), caches the reading and checking of a file by its
content, and shows progress while a large file is checked and stored. A commit, undo
or restore publishes through the store; the page's queries key on the manifest, so the
new data shows on the next rerun without restarting the app.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from budgetrummet import access, fmt, store
from budgetrummet.export import neutralise_frame, safe_file_name
from budgetrummet.ui.auth import current_actor, plain, who_caption
from budgetrummet.ui.tables import show_table
from budgetrummet.upload import kinds, report, storing, templates, units
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.reading import RawTable, column_letter, read_upload
from budgetrummet.upload.rules import (
    MAX_BYTES,
    MAX_ROWS,
    UNKNOWN_VERKSAMHET,
    UploadRefusedError,
    problems_frame,
    sort_problems,
)
from budgetrummet.upload.validation import (
    WHOLE_YEAR,
    Settings,
    Validation,
    guess_year,
    validate,
)

FLASH = "upl_flash"
FILE_COUNTER = "upl_file_n"
SEEN = "upl_seen"

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december",
)  # fmt: skip
UNIT_LABELS = units.LABELS
LEAVE_OUT = "upl_leave_out"
OUT = "__utanfor__"
# Streamlit 1.67's file uploader has no option for its drop-zone texts: it always shows
# an English "Upload" button and "10MB per file • CSV, …". This rule (it holds no data)
# hides the English limits line and the size on the file chip, and replaces the
# button's word with a Swedish one; the page states the limits itself, in Swedish.
# (``!important``: Streamlit's own class rules come later and would win a tie.)
UPLOADER_CSS = (
    "<style>"
    '[data-testid="stFileUploaderDropzoneInstructions"],'
    '[data-testid="stFileChipName"]+*{display:none!important}'
    '[data-testid="stFileUploaderDropzone"] button p{font-size:0!important}'
    '[data-testid="stFileUploaderDropzone"] button p::after{content:"Välj fil";'
    "font-size:1rem}"
    "</style>"
)


# Not query results (those go through ``ui.data``'s one cache): the parsing and the
# checks of a file the user has uploaded, kept between the reruns of the form so that
# moving a widget does not read and validate the same file again. Keyed by the file's
# bytes (and its checksum, the settings and the catalogue it is checked against), never
# by the warehouse; st.cache_data gives each session its own copy.
@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def _read(data: bytes, name: str) -> RawTable:
    return read_upload(data, name)


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


NUMERIC = ("Rader", "Summa", "Summa (kr)", "Summa (tkr)", "Lagras (kr)", "Antal", "Versioner")


def table(frame: pl.DataFrame, **kwargs) -> None:
    """A display table of formatted text, with the figure columns right-aligned."""
    right = [c for c in frame.columns if c in NUMERIC]
    show_table(frame, right_align=right, **({"height": None} | kwargs))


def flash() -> None:
    """Show the outcome of the last write (kept across the rerun that follows it)."""
    message = st.session_state.pop(FLASH, None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.warning)(text)


def actor_line() -> access.Actor | None:
    """Who is using the page (signed in, or the local admin); every write is registered
    under this name, and the roles are checked again when writing."""
    st.caption(who_caption())
    return current_actor()


def kind_selector() -> str:
    kind = st.radio(
        "Vad laddar du upp?",
        options=list(kinds.KINDS),
        format_func=lambda k: kinds.KINDS[k].label,
        key="upl_kind",
        horizontal=True,
    )
    st.caption(kinds.KINDS[kind].description)
    return kind


def template_buttons(kind: str, catalogue: Catalogue) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Mall (Excel)",
        data=templates.template_xlsx(kind, catalogue),
        file_name=templates.template_name(kind, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="upl_tpl_xlsx",
        icon=":material/download:",
        width="stretch",
    )
    right.download_button(
        "Mall (CSV)",
        data=templates.template_csv(kind),
        file_name=templates.template_name(kind, "csv"),
        mime="text/csv",
        key="upl_tpl_csv",
        icon=":material/download:",
        width="stretch",
    )


def file_input() -> tuple[bytes, str] | None:
    counter = st.session_state.setdefault(FILE_COUNTER, 0)
    st.html(UPLOADER_CSS)
    # No file-type filter in the browser: the content decides, and a file that is not a
    # table gets a Swedish message from the server instead of the browser's English one.
    uploaded = st.file_uploader(
        "Fil att ladda upp",
        key=f"upl_file_{counter}",
        max_upload_size=MAX_BYTES // (1024 * 1024),
        help="Filtypen avgörs av innehållet. Semikolon, komma eller tabb; UTF-8, UTF-8 med "
        "BOM eller Windows-1252; decimalkomma eller decimalpunkt.",
    )
    st.caption(
        "Dra filen hit eller klicka på Välj fil. CSV (.csv, .txt, .tsv) eller Excel (.xlsx), "
        f"högst {MAX_BYTES // (1024 * 1024)}\u00a0MB och {fmt.number(MAX_ROWS)} rader."
    )
    if uploaded is None:
        return None
    data = uploaded.getvalue()
    st.caption(f"Vald fil: {plain(uploaded.name)} ({report.file_size(len(data))})")
    # The server checks size itself (read_upload), whatever the browser let through.
    return data, uploaded.name


def read_with_progress(data: bytes, name: str) -> RawTable:
    bar = st.progress(0.0, text="Läser filen …")
    raw = _read(data, name)
    bar.progress(1.0, text="Filen är läst")
    bar.empty()
    return raw


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


def file_sample(raw: RawTable, rows: int = 5) -> None:
    """The first rows as read, under their headings, to help with the mapping."""
    sample = raw.cells.head(rows)
    shown = pl.DataFrame(
        {"Rad": [str(r) for r in sample["row"]]}
        | {
            f"{column_letter(i)}: {h}": sample[f"c{i}"].fill_null("").to_list()
            for i, h in enumerate(raw.headers)
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


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
            format_func=lambda m: (
                "– välj period –"
                if m is None
                else "hela året (helår)"
                if m == WHOLE_YEAR
                else MONTHS[m - 1]
            ),
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


def check(
    raw: RawTable, settings: Settings, catalogue: Catalogue, earlier: pl.DataFrame
) -> Validation:
    """Validate (cached by content and settings) and add the identical-file refusal."""
    bar = st.progress(0.3, text=f"Kontrollerar {fmt.number(raw.data_rows)} rader …")
    result = _validate(raw.sha256, settings, catalogue, raw)
    bar.progress(1.0, text="Kontrollen är klar")
    bar.empty()
    same = storing.identical_upload(raw.sha256, earlier)
    if same is None:
        return result
    problems = sort_problems(pl.concat([problems_frame([same]), result.problems]))
    return Validation(
        settings=result.settings,
        problems=problems,
        rows=result.rows,
        decimal_mark=result.decimal_mark,
        totals_checked=result.totals_checked,
        notes=result.notes,
    )


def show_detected(raw: RawTable) -> None:
    """What was detected about the file (format, encoding, separator, heading row)."""
    # Sheet names and notes can quote the file: shown as text, never as Markdown.
    st.markdown("  \n".join(plain(line) for line in report.detected(raw)))


def show_check_notes(result: Validation) -> None:
    """The decimal mark found and anything the check read in a particular way."""
    lines = report.check_notes(result)
    if lines:
        st.markdown("  \n".join(plain(line) for line in lines))


def show_problems(problems: pl.DataFrame, catalogue: Catalogue | None = None) -> None:
    """The report: a count per rule, every problem by row and column, and a download."""
    n = problems.height
    whole_file = problems.filter(pl.col("row").is_null())["message"].to_list()
    st.error(
        f"Filen har {fmt.number(n)} fel och har inte sparats. "
        "Ingenting sparas förrän hela filen är felfri: rätta filen och ladda upp den igen."
        + "".join(f"\n\n{m}" for m in whole_file[:3])
    )
    if catalogue is not None and UNKNOWN_VERKSAMHET in set(problems["rule"]):
        st.info(
            f"Uppladdningen tar emot {catalogue.scheme} (t.ex. {catalogue.examples()}). "
            "Hela listan finns i Excel-mallen, bladet Verksamheter."
        )
    st.markdown("**Fel per regel**")
    table(report.counts_table(problems), width=520, key="upl_counts")
    st.markdown("**Alla fel, rad för rad**")
    st.dataframe(
        report.problem_table(problems),
        hide_index=True,
        width="stretch",
        key="upl_problems",
        column_config={
            "Rad": st.column_config.TextColumn(width=60),
            "Kolumn": st.column_config.TextColumn(width=110),
            "Värde": st.column_config.TextColumn(width=140),
            "Beskrivning": st.column_config.TextColumn(width=620),
            "Regel": st.column_config.TextColumn(width="medium"),
        },
    )
    st.download_button(
        "Ladda ner felrapporten (CSV)",
        data=report.report_csv(neutralise_frame(problems)),
        file_name="felrapport.csv",
        mime="text/csv",
        key="upl_report_csv",
        icon=":material/download:",
    )


def show_skipped(result: Validation) -> None:
    """Rows read but not stored (headings, totals, empty amounts, rows left out)."""
    if result.skipped.is_empty():
        return
    note = report.left_out_note(result)
    if note:
        st.info(note)
    n = result.skipped.height
    with st.expander(f"Rader som inte sparas ({fmt.number(n)})", expanded=False):
        st.caption(
            "Summarader stäms av mot raderna; rubrikrader och rader med tomt belopp sparas "
            "inte (ett tomt belopp läses aldrig som 0)."
        )
        table(report.skipped_table(result), key="upl_skipped")


def unknown_names(result: Validation) -> list[str]:
    """The distinct verksamhet cells the catalogue does not know, in file order."""
    hits = result.problems.filter(pl.col("rule") == UNKNOWN_VERKSAMHET)
    return list(dict.fromkeys(v for v in hits["value"].to_list() if v))


def name_choices(
    org_id: str, result: Validation, catalogue: Catalogue, actor: access.Actor | None
) -> None:
    """Map each unknown verksamhet name to one of the organisation's, or leave its rows
    out. Mappings are remembered for the organisation (registered under the user's
    name); leaving out applies to this file only and its amount is shown."""
    names = unknown_names(result)
    if not names:
        return
    st.markdown("**Namn som saknas i katalogen**")
    st.caption(
        "Välj vilken verksamhet varje namn avser (kopplingen sparas för organisationen och "
        "används vid nästa uppladdning), eller lämna raderna utanför den här filen."
    )
    every = catalogue.frame().sort("line_key")
    labels = {
        r["line_key"]: (f"{r['code']} {r['name']}" if r["code"] else r["name"])
        for r in every.iter_rows(named=True)
    }
    chosen: dict[str, str] = {}
    shown = names[:40]
    for i, name in enumerate(shown):
        near = [v.line_key for v in catalogue.suggest(name)]
        options = [None, OUT, *near, *[k for k in labels if k not in near]]
        value = st.selectbox(
            plain(name),  # a cell of the file: shown as text, never as Markdown
            options=options,
            index=2 if near else 0,
            format_func=lambda k, near=near: (
                "– välj –"
                if k is None
                else "Lämna raderna utanför"
                if k == OUT
                else f"{labels.get(k, k)}{' (förslag)' if k in near else ''}"
            ),
            key=f"upl_name_{i}",
        )
        if value is not None:
            chosen[name] = value
    if len(names) > len(shown):
        st.caption(f"Ytterligare {fmt.number(len(names) - len(shown))} namn visas efter dessa.")
    if not st.button(
        "Använd valen", key="upl_names_apply", disabled=not chosen, icon=":material/link:"
    ):
        return
    mapped = {n: k for n, k in chosen.items() if k != OUT}
    out = [n for n, k in chosen.items() if k == OUT]
    if mapped:
        try:
            storing.remember_names(org_id, mapped, actor)
        except (UploadRefusedError, access.AccessDeniedError) as exc:
            st.error(str(exc))
            return
    st.session_state[LEAVE_OUT] = sorted({*st.session_state.get(LEAVE_OUT, []), *out})
    st.session_state[FLASH] = (
        "success",
        f"{fmt.number(len(mapped))} namn kopplade och sparade för organisationen; "
        f"{fmt.number(len(out))} lämnas utanför filen.",
    )
    st.rerun()


def left_out() -> tuple[str, ...]:
    """The verksamhet cells the user chose to leave out of this file."""
    return tuple(st.session_state.get(LEAVE_OUT, ()))


def choose_mode(result: Validation, catalogue: Catalogue, current: pl.DataFrame) -> str | None:
    """The per-period change list, and the replace-or-correct choice when the file would
    drop rows that hold now. Returns the mode to commit with; None (no choice needed,
    nothing is dropped) or ``""`` (a choice is needed and not made)."""
    unit = result.settings.unit
    lost = storing.lost_rows(result.rows, current)
    mode: str | None = None
    if not lost.is_empty():
        periods = ", ".join(sorted(set(lost["period"].to_list())))
        st.warning(
            f"Perioden {periods} har {fmt.number(lost.height)} rader som gäller nu men som "
            "filen inte har. Välj om filen ska ersätta hela perioden eller bara rätta "
            "raderna i filen; ingenting tas bort utan det valet."
        )
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
    shown = report.changes_table(changes, catalogue, unit)
    st.markdown("**Det här ändras per period**")
    if shown.is_empty():
        st.caption("Inga belopp ändras jämfört med det som gäller nu.")
    else:
        table(shown, key="upl_changes")
    return mode


def show_preview(result: Validation, catalogue: Catalogue, loaded: pl.DataFrame) -> None:
    view = report.preview(result, catalogue)
    n = result.totals_checked
    checked = (
        f" {fmt.number(n)} {'summarad' if n == 1 else 'summarader'} stämmer med raderna och "
        "sparas inte."
        if n
        else ""
    )
    st.success(f"Filen är felfri.{checked} Kontrollera förhandsvisningen och spara.")
    a, b, c = st.columns(3)
    a.metric("Rader som sparas", fmt.number(view.rows))
    b.metric("Perioder", fmt.number(len(view.periods)))
    c.metric("Summa", report.kr(view.total_kr))
    st.caption(view.conversion)
    replaced = report.replaced_periods(result.rows, result.settings.kind, loaded)
    if not replaced.is_empty():
        st.warning(
            f"{fmt.number(replaced.height)} av perioderna finns redan; den här filen blir en "
            "ny version av dem. Den tidigare versionen finns kvar och gäller igen om du ångrar "
            "den här uppladdningen."
        )
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
        st.error(str(exc))
        return
    st.session_state[FLASH] = (
        "success",
        f"Uppladdning nr {done.seq} är sparad: {fmt.number(done.rows)} rader, "
        f"{len(done.periods)} {'period' if len(done.periods) == 1 else 'perioder'} "
        f"({', '.join(done.periods)}), summa "
        f"{report.kr(done.total_kr)}."
        + (
            (
                f" Rättar raderna i filen i nr {', '.join(str(s) for s in done.replaces)}; "
                "övriga rader står kvar."
                if mode == storing.CORRECT
                else f" Ersätter tidigare version i nr {', '.join(str(s) for s in done.replaces)}."
            )
            if done.replaces
            else ""
        ),
    )
    st.session_state[FILE_COUNTER] = st.session_state.get(FILE_COUNTER, 0) + 1
    st.session_state.pop(SEEN, None)
    st.session_state.pop(LEAVE_OUT, None)
    _forget_choices()
    st.rerun()


def _forget_choices() -> None:
    """After a write the lists change: start again from the newest upload."""
    for key in ("upl_undo_choice", "upl_restore_choice", "upl_raw_choice"):
        st.session_state.pop(key, None)


def history(history_frame: pl.DataFrame, loaded: pl.DataFrame) -> None:
    st.markdown("**Laddade perioder**")
    if loaded.is_empty():
        st.info("Inga perioder är laddade för organisationen ännu.")
    else:
        table(report.loaded_table(loaded), key="upl_loaded")
    st.markdown("**Uppladdningar**")
    if history_frame.is_empty():
        st.info("Inga uppladdningar ännu.")
        return
    table(report.history_table(history_frame), key="upl_history")


def _choice_label(history_frame: pl.DataFrame):
    labels = {
        r["upload_id"]: f"nr {r['seq']}: {r['file_name']} ({r['periods']}, "
        f"{r['uploaded_by']} {report.when(r['uploaded_at'])})"
        for r in history_frame.iter_rows(named=True)
    }
    return labels.__getitem__


def undo_restore(org_id: str, history_frame: pl.DataFrame, actor: access.Actor | None) -> None:
    """Undo an active upload or restore an undone one (both reversible, both registered)."""
    active = history_frame.filter(pl.col("status") == storing.ACTIVE)["upload_id"].to_list()
    undone = history_frame.filter(pl.col("status") == storing.UNDONE)["upload_id"].to_list()
    label = _choice_label(history_frame)
    left, right = st.columns(2)
    with left:
        st.markdown("**Ångra en uppladdning**")
        if active:
            chosen = st.selectbox(
                "Uppladdning", options=active, format_func=label, key="upl_undo_choice"
            )
            if st.button("Ångra", key="upl_undo", disabled=actor is None, icon=":material/undo:"):
                _status_change(storing.undo, chosen, org_id, actor, "ångrad")
        else:
            st.caption("Ingen aktiv uppladdning att ångra.")
    with right:
        st.markdown("**Återställ en ångrad uppladdning**")
        if undone:
            chosen = st.selectbox(
                "Ångrad uppladdning", options=undone, format_func=label, key="upl_restore_choice"
            )
            if st.button(
                "Återställ", key="upl_restore", disabled=actor is None, icon=":material/redo:"
            ):
                _status_change(storing.restore, chosen, org_id, actor, "återställd")
        else:
            st.caption("Ingen ångrad uppladdning.")
    if actor is None:
        st.caption("Logga in (i sidofältet) för att kunna ångra eller återställa.")


def _status_change(action, upload_id: str, org_id: str, actor, verb: str) -> None:
    try:
        row = action(upload_id, org_id, actor)
    except (UploadRefusedError, access.AccessDeniedError) as exc:
        st.error(str(exc))
        return
    seq = row["seq"][0]
    st.session_state[FLASH] = (
        "success",
        f"Uppladdning nr {seq} är {verb}. Sidorna visar nu den version som gäller.",
    )
    _forget_choices()
    st.rerun()


def original_download(history_frame: pl.DataFrame) -> None:
    """Download the kept original file of an upload (checked against its sha256)."""
    if history_frame.is_empty():
        return
    ids = history_frame["upload_id"].to_list()
    chosen = st.selectbox(
        "Originalfil att ladda ner",
        options=ids,
        format_func=_choice_label(history_frame),
        key="upl_raw_choice",
    )
    row = history_frame.filter(pl.col("upload_id") == chosen).row(0, named=True)
    try:
        data = storing.raw_bytes(row["raw_file"])
    except (OSError, ValueError, UploadRefusedError):
        st.warning("Originalfilen finns inte i lagret.")
        return
    st.download_button(
        "Ladda ner originalfilen",
        data=data,
        file_name=safe_file_name(row["file_name"]),
        key="upl_raw_download",
        icon=":material/download:",
    )
    st.caption(f"Kontrollsumma (sha256): `{row['sha256']}`")


def file_problems(raw: RawTable) -> pl.DataFrame:
    """The file-level problems of a file that could not be read at all."""
    return sort_problems(problems_frame(list(raw.problems)))
