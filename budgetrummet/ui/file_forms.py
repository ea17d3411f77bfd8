"""Streamlit forms both file pages share (Uppladdning and Inläsning), defined once.

The file picker in Swedish, the template downloads, what was detected about a file,
the problem report and the form that maps unknown verksamhet names. Each takes the
page's widget-key prefix (``upl`` or ``imp``), so the two pages keep their own keys and
state. The texts come from ``budgetrummet.presenters.upload``; anything a file or a
user typed is shown as text, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from budgetrummet import access, fmt
from budgetrummet.export import neutralise_frame
from budgetrummet.presenters import upload as pr
from budgetrummet.ui.components import UPLOAD_LIMIT_MB
from budgetrummet.ui.data import derived
from budgetrummet.ui.tables import show_table
from budgetrummet.upload import storing, templates
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.reading import RawTable, read_upload
from budgetrummet.upload.rules import MAX_BYTES, MAX_ROWS, UNKNOWN_VERKSAMHET, UploadRefusedError

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
# A mapped name's choice that leaves the name's rows out of this file instead.
OUT = "__utanfor__"
NUMERIC = ("Rader", "Summa", "Summa (kr)", "Summa (tkr)", "Lagras (kr)", "Antal", "Versioner")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table(frame: pl.DataFrame, **kwargs) -> None:
    """A display table of formatted text, with the figure columns right-aligned."""
    right = [c for c in frame.columns if c in NUMERIC]
    show_table(frame, right_align=right, **({"height": None} | kwargs))


def flash(prefix: str) -> None:
    """Show the outcome of the page's last write (kept across the rerun that follows)."""
    message = st.session_state.pop(f"{prefix}_flash", None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.warning)(text)


def set_flash(prefix: str, text: str, kind: str = "success") -> None:
    st.session_state[f"{prefix}_flash"] = (kind, text)


def template_buttons(kind: str, catalogue: Catalogue, prefix: str, org: str) -> None:
    """The kind's template as Excel (with instructions) and as CSV. ``catalogue`` is the
    organisation's (``ui.upload.catalogue``): the workbook is made once per publication."""
    workbook = derived(
        "template_xlsx", lambda: templates.template_xlsx(kind, catalogue), org=org, kind=kind,
        page=prefix,
    )  # fmt: skip
    left, right = st.columns(2)
    left.download_button(
        "Mall (Excel)",
        data=workbook,
        file_name=templates.template_name(kind, "xlsx"),
        mime=XLSX_MIME,
        key=f"{prefix}_tpl_xlsx",
        icon=":material/download:",
        width="stretch",
    )
    right.download_button(
        "Mall (CSV)",
        data=templates.template_csv(kind),
        file_name=templates.template_name(kind, "csv"),
        mime="text/csv",
        key=f"{prefix}_tpl_csv",
        icon=":material/download:",
        width="stretch",
    )


def file_input(prefix: str) -> tuple[bytes, str] | None:
    """The Swedish file picker; the chosen file's bytes and name, or None."""
    counter = st.session_state.setdefault(f"{prefix}_file_n", 0)
    st.html(UPLOADER_CSS)
    # No file-type filter in the browser: the content decides, and a file that is not a
    # table gets a Swedish message from the server instead of the browser's English one.
    uploaded = st.file_uploader(
        "Fil att ladda upp",
        key=f"{prefix}_file_{counter}",
        max_upload_size=UPLOAD_LIMIT_MB,  # above MAX_BYTES: a Swedish refusal
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
    st.caption(pr.chosen_file(uploaded.name, len(data)))
    # The server checks size itself (read_upload), whatever the browser let through.
    return data, uploaded.name


def next_file(prefix: str) -> None:
    """After a write: an empty file picker for the next file."""
    st.session_state[f"{prefix}_file_n"] = st.session_state.get(f"{prefix}_file_n", 0) + 1


def show_detected(raw: RawTable) -> None:
    """What was detected about the file (format, encoding, separator, heading row)."""
    # Sheet names and notes can quote the file: shown as text, never as Markdown.
    st.markdown("  \n".join(fmt.plain(line) for line in pr.detected(raw)))


def show_problems(problems: pl.DataFrame, prefix: str, catalogue: Catalogue | None = None) -> None:
    """The report: a count per rule, every problem by row and column, and a download."""
    st.error(pr.refused_headline(problems))
    if catalogue is not None and UNKNOWN_VERKSAMHET in set(problems["rule"]):
        st.info(
            f"Filen kan nämna {catalogue.scheme}. Några av dem: "
            f"{fmt.plain(catalogue.examples())}. Hela listan finns i Excel-mallen, bladet "
            "Verksamheter."
        )
    st.markdown("**Fel per regel**")
    table(pr.counts_table(problems), width=520, key=f"{prefix}_counts")
    st.markdown("**Alla fel, rad för rad**")
    st.dataframe(
        pr.problem_table(problems),
        hide_index=True,
        width="stretch",
        key=f"{prefix}_problems",
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
        data=pr.report_csv(neutralise_frame(problems)),
        file_name="felrapport.csv",
        mime="text/csv",
        key=f"{prefix}_report_csv",
        icon=":material/download:",
    )


def name_choices(
    org_id: str,
    problems: pl.DataFrame,
    catalogue: Catalogue,
    actor: access.Actor | None,
    prefix: str,
    *,
    leave_out: bool,
) -> None:
    """Map each unknown verksamhet name to one of the organisation's (remembered for the
    organisation, registered under the user's name) or, with ``leave_out``, leave its
    rows out of this file (``left_out``; its amount is shown). Reruns once applied."""
    names = pr.unknown_names(problems)
    if not names:
        return
    st.markdown("**Namn som saknas i katalogen**")
    st.caption(
        "Välj vilken verksamhet varje namn avser (kopplingen sparas för organisationen och "
        "används vid nästa fil)"
        + (", eller lämna raderna utanför den här filen." if leave_out else ".")
    )
    labels = pr.catalogue_labels(catalogue)
    chosen: dict[str, str] = {}
    shown = names[:40]
    for i, name in enumerate(shown):
        near = [v.line_key for v in catalogue.suggest(name)]
        options = [None, *([OUT] if leave_out else []), *near]
        options += [k for k in labels if k not in near]
        value = st.selectbox(
            fmt.plain(name),  # a cell of the file: shown as text, never as Markdown
            options=options,
            index=options.index(near[0]) if near else 0,
            format_func=lambda k, near=near: (
                "– välj –"
                if k is None
                else "Lämna raderna utanför"
                if k == OUT
                else f"{labels.get(k, k)}{' (förslag)' if k in near else ''}"
            ),
            key=f"{prefix}_name_{i}",
        )
        if value is not None:
            chosen[name] = value
    if len(names) > len(shown):
        st.caption(f"Ytterligare {fmt.number(len(names) - len(shown))} namn visas efter dessa.")
    if not st.button(
        "Använd valen", key=f"{prefix}_names_apply", disabled=not chosen, icon=":material/link:"
    ):
        return
    mapped = {n: k for n, k in chosen.items() if k != OUT}
    out = [n for n, k in chosen.items() if k == OUT]
    if mapped:
        try:
            storing.remember_names(org_id, mapped, actor)
        except (UploadRefusedError, access.AccessDeniedError) as exc:
            st.error(fmt.plain(str(exc)))
            return
    key = f"{prefix}_leave_out"
    st.session_state[key] = sorted({*st.session_state.get(key, []), *out})
    set_flash(prefix, pr.names_applied(len(mapped), len(out)))
    st.rerun()


def left_out(prefix: str) -> tuple[str, ...]:
    """The verksamhet cells the user chose to leave out of this file."""
    return tuple(st.session_state.get(f"{prefix}_leave_out", ()))


def kind_selector(question: str, labels: dict[str, str], descriptions: dict[str, str], prefix: str):
    """What kind of file this is, with the chosen kind's description under it."""
    kind = st.radio(
        question,
        options=list(labels),
        format_func=labels.__getitem__,
        key=f"{prefix}_kind",
        horizontal=True,
    )
    st.caption(descriptions[kind])
    return kind


@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def _read(data: bytes, name: str) -> RawTable:
    return read_upload(data, name)


def read(data: bytes, name: str) -> RawTable:
    """The file read (cached by content), with progress shown while it is read."""
    bar = st.progress(0.0, text="Läser filen …")
    raw = _read(data, name)
    bar.progress(1.0, text="Filen är läst")
    bar.empty()
    return raw


def file_sample(raw: RawTable, rows: int = 5) -> None:
    """The first rows as read, under their headings, to help with the columns."""
    st.dataframe(pr.file_sample(raw, rows), hide_index=True, width="stretch")


def forget_choices(prefix: str) -> None:
    """After a write the lists change: start again from the newest entry."""
    for name in ("undo_choice", "restore_choice", "raw_choice"):
        st.session_state.pop(f"{prefix}_{name}", None)


def undo_restore(
    active: list[str],
    undone: list[str],
    labels: dict[str, str],
    actor: access.Actor | None,
    prefix: str,
    *,
    noun: str,
    undo: Callable[[str], object],
    restore: Callable[[str], object],
    message: Callable[[str, str], str],
) -> None:
    """Undo an active entry or restore an undone one (both reversible, both registered
    by the write). ``noun`` names an entry (``uppladdning``); ``message(id, verb)`` is
    the text after the write."""
    left, right = st.columns(2)
    for column, ids, heading, select, verb, action, done, icon, empty in (
        (left, active, f"Ångra en {noun}", noun.capitalize(), "Ångra", undo, "ångrad",
         ":material/undo:", f"Ingen aktiv {noun} att ångra."),
        (right, undone, f"Återställ en ångrad {noun}", f"Ångrad {noun}", "Återställ", restore,
         "återställd", ":material/redo:", f"Ingen ångrad {noun}."),
    ):  # fmt: skip
        key = f"{prefix}_{'undo' if action is undo else 'restore'}"
        with column:
            st.markdown(f"**{heading}**")
            if not ids:
                st.caption(empty)
                continue
            chosen = st.selectbox(
                select, options=ids, format_func=labels.__getitem__, key=f"{key}_choice"
            )
            if not st.button(verb, key=key, disabled=actor is None, icon=icon):
                continue
            try:
                action(chosen)
            except (UploadRefusedError, access.AccessDeniedError) as exc:
                st.error(fmt.plain(str(exc)))
                return
            set_flash(prefix, message(chosen, done))
            forget_choices(prefix)
            st.rerun()
    if actor is None:
        st.caption("Logga in (i sidofältet) för att kunna ångra eller återställa.")
