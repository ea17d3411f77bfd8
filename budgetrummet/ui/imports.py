"""Streamlit components of the Inläsning page: document files and the organisation register.

The work is done by ``budgetrummet.upload.documents`` / ``doc_store`` and
``budgetrummet.orgs`` (pure or store-only, tested without Streamlit), and the command line
(``budgetrummet.cli``) calls the same functions. Widget keys start with ``imp_``.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from budgetrummet import access, clock, orgs
from budgetrummet.ui.auth import plain
from budgetrummet.ui.data import query
from budgetrummet.ui.upload import show_problems, table
from budgetrummet.upload import doc_store, doc_templates, documents
from budgetrummet.upload.reading import MAX_BYTES, RawTable, read_upload
from budgetrummet.upload.rules import UploadRefusedError
from budgetrummet.writes import orgs as org_writes

# Example years follow the calendar.
_Y = clock.today().year

FLASH = "imp_flash"
FILE_COUNTER = "imp_file_n"
UNIT_LABELS = {"": "som kolumnrubriken säger", "kr": "kr", "tkr": "tkr", "mkr": "mkr"}


# Not a query result (those go through ``ui.data``'s one cache): the parsing of a file
# the user has uploaded, kept between the reruns of the form and keyed by its bytes.
@st.cache_data(show_spinner=False, max_entries=4, ttl=3600)
def _read(data: bytes, name: str) -> RawTable:
    return read_upload(data, name)


def flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def kind_selector() -> str:
    kind = st.radio(
        "Vad läser du in?",
        options=list(documents.DOC_KINDS),
        format_func=lambda k: documents.DOC_KINDS[k].label,
        key="imp_kind",
        horizontal=True,
    )
    st.caption(documents.DOC_KINDS[kind].description)
    return kind


def catalogue(org_id: str):
    return documents.structure_catalogue(
        org_id,
        query("org_structure", org_id=org_id),
        query("upl_verksamheter", org_id=org_id),
    )


def template_buttons(kind: str, org_id: str) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Mall (Excel)",
        data=doc_templates.template_xlsx(kind, catalogue(org_id)),
        file_name=doc_templates.name(kind, "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="imp_tpl_xlsx",
        icon=":material/download:",
        width="stretch",
    )
    right.download_button(
        "Mall (CSV)",
        data=doc_templates.template_csv(kind),
        file_name=doc_templates.name(kind, "csv"),
        mime="text/csv",
        key="imp_tpl_csv",
        icon=":material/download:",
        width="stretch",
    )


def file_input() -> tuple[bytes, str] | None:
    counter = st.session_state.setdefault(FILE_COUNTER, 0)
    uploaded = st.file_uploader(
        f"Fil (CSV eller Excel .xlsx, högst {MAX_BYTES // (1024 * 1024)} MB)",
        type=["csv", "txt", "tsv", "xlsx"],
        key=f"imp_file_{counter}",
        max_upload_size=MAX_BYTES // (1024 * 1024),
    )
    if uploaded is None:
        return None
    return uploaded.getvalue(), uploaded.name


def read(data: bytes, name: str) -> RawTable:
    return _read(data, name)


def settings_inputs(raw: RawTable, kind: str, org_id: str, org_name: str):
    """Unit, sign, year, date and the columns the heading does not say: DocSettings."""
    spec = documents.DOC_KINDS[kind]
    unit = sign = None
    year = None
    stated: date | None = None
    if spec.wide:
        a, b = st.columns(2)
        unit = (
            a.radio(
                "Beloppen är i",
                options=list(UNIT_LABELS),
                format_func=UNIT_LABELS.__getitem__,
                key="imp_unit",
                horizontal=True,
            )
            or None
        )
        sign = b.radio(
            "Kostnader står i filen som",
            options=list(documents.SIGNS),
            format_func=documents.SIGNS.__getitem__,
            index=None,
            key="imp_sign",
        )
    c, d = st.columns(2)
    year_text = c.text_input(
        "År (om filen inte säger det)", key="imp_year", help="T.ex. för en kolumn ”Återstår”."
    ).strip()
    if year_text.isdigit() and len(year_text) == 4:
        year = int(year_text)
    stated = d.date_input("Dokumentets datum (valfritt)", value=None, key="imp_date")
    overrides = []
    with st.expander("Kolumner som rubriken inte säger"):
        st.caption(
            "Skriv ett fält (t.ex. verksamhet, projekt) eller version:år "
            f"(t.ex. plan:{_Y + 2}) för en kolumn, eller ”ignorera”. "
            "Tomt betyder att rubriken avgör."
        )
        for i, heading in enumerate(raw.headers):
            given = st.text_input(heading, key=f"imp_col_{i}").strip()
            if given:
                overrides.append((heading, given))
    return documents.DocSettings(
        org_id=org_id,
        org_name=org_name,
        kind=kind,
        unit=unit,
        sign=sign,
        year=year,
        as_of=stated,
        doc_date=stated,
        columns=tuple(overrides),
    )


def check(raw: RawTable, settings: documents.DocSettings) -> documents.DocImport:
    return documents.parse(raw, settings, catalogue(settings.org_id))


def show_result(result: documents.DocImport) -> None:
    if not result.ok:
        show_problems(result.problems)
        return
    st.markdown("  \n".join(plain(line) for line in documents.summary_lines(result)))
    if not result.findings.is_empty():
        st.markdown("**Avstämning av tryckta summor**")
        table(documents.findings_table(result.findings), key="imp_findings")
    if not result.figures.is_empty():
        st.markdown("**Förhandsvisning**")
        preview = result.figures.select(
            pl.col("source_row").cast(pl.String).alias("Rad"),
            pl.col("line_label").alias("Rad i filen"),
            pl.col("column_label").alias("Kolumn"),
            pl.col("value_printed").alias("Tryckt"),
            pl.col("version").alias("Version"),
            pl.col("year").cast(pl.String).alias("År"),
        )
        table(preview, key="imp_preview", height=300)


def confirm(raw: RawTable, data: bytes, result: documents.DocImport, actor) -> None:
    if actor is None:
        st.info("Logga in (i sidofältet) för att kunna spara.")
    if not st.button(
        "Spara dokumentet",
        key="imp_confirm",
        type="primary",
        disabled=actor is None,
        icon=":material/cloud_upload:",
    ):
        return
    try:
        stored = doc_store.commit(raw, data, result, actor)
    except (UploadRefusedError, access.AccessDeniedError) as exc:
        st.error(str(exc))
        return
    replaced = f" Ersätter {', '.join(stored.replaces)}." if stored.replaces else ""
    st.session_state[FLASH] = (
        f"Sparat som dokument {stored.doc_id} (inläsning nr {stored.seq}).{replaced}"
    )
    st.session_state[FILE_COUNTER] = st.session_state.get(FILE_COUNTER, 0) + 1
    st.rerun()


def history(org_id: str, actor) -> None:
    docs = query("imp_documents_for_org", org_id=org_id)
    if docs.is_empty():
        st.info("Inga dokument är inlästa för organisationen ännu.")
        return
    shown = docs.select(
        pl.col("seq").cast(pl.String).alias("Nr"),
        pl.col("title").alias("Dokument"),
        pl.col("kind").alias("Typ"),
        pl.col("rows").cast(pl.String).alias("Rader"),
        pl.col("imported_by").alias("Inläst av"),
        pl.col("imported_at").dt.strftime("%Y-%m-%d %H:%M").alias("När (UTC)"),
        pl.col("status")
        .replace_strict(doc_store.STATUS_LABELS, default=pl.col("status"))
        .alias("Status"),
        pl.col("sha256").str.slice(0, 12).alias("sha256"),
    )
    table(shown, key="imp_history")
    labels = {r["doc_id"]: f"nr {r['seq']}: {r['title']}" for r in docs.iter_rows(named=True)}
    left, right = st.columns(2)
    active = docs.filter(pl.col("status") == doc_store.ACTIVE)["doc_id"].to_list()
    undone = docs.filter(pl.col("status") == doc_store.UNDONE)["doc_id"].to_list()
    for column, ids, verb, action, key in (
        (left, active, "Ångra", doc_store.undo, "imp_undo"),
        (right, undone, "Återställ", doc_store.restore, "imp_restore"),
    ):
        with column:
            if not ids:
                st.caption("Ingen inläsning att " + verb.lower() + ".")
                continue
            chosen = st.selectbox(verb, ids, format_func=labels.__getitem__, key=f"{key}_choice")
            if st.button(verb, key=key, disabled=actor is None):
                try:
                    action(chosen, org_id, actor)
                except (UploadRefusedError, access.AccessDeniedError) as exc:
                    st.error(str(exc))
                    return
                st.session_state[FLASH] = f"{labels[chosen]} är {verb.lower()}d."
                st.rerun()


def organisation_admin(actor) -> None:
    """The register and the form to add a municipality, a board or a förbund."""
    registry = query("org_registry")
    shown = registry.select(
        pl.col("org_name").alias("Organisation"),
        pl.col("org_id").alias("Id"),
        pl.col("kind")
        .replace_strict(orgs.KINDS, default=pl.col("kind"))
        .fill_null("från källdokument")
        .alias("Typ"),
        pl.col("kommunkod").fill_null("").alias("Kommunkod"),
        pl.col("parent_org_id").fill_null("").alias("Överordnad"),
    )
    table(shown, key="imp_orgs")
    if actor is None or access.ADMIN not in actor.roles:
        st.caption("Bara en administratör kan lägga till organisationer.")
    kind = st.radio(
        "Typ", list(orgs.KINDS), format_func=orgs.KINDS.__getitem__, key="imp_org_kind",
        horizontal=True,
    )  # fmt: skip
    municipalities = orgs.kommuner()
    kommunkod = parent = None
    if kind == orgs.KOMMUN:
        kommunkod = st.selectbox(
            "Kommun",
            options=list(municipalities),
            format_func=lambda k: f"{municipalities[k]} ({k})",
            index=None,
            key="imp_org_kommun",
            placeholder="Välj bland Sveriges 290 kommuner",
        )
        default_name = municipalities.get(kommunkod, "") if kommunkod else ""
    else:
        ids = registry["org_id"].to_list()
        names = dict(zip(ids, registry["org_name"].to_list(), strict=True))
        parent = st.selectbox(
            "Överordnad organisation",
            options=ids,
            format_func=names.__getitem__,
            index=None,
            key="imp_org_parent",
        )
        default_name = ""
    name = st.text_input("Namn", value=default_name, key=f"imp_org_name_{kind}_{kommunkod}")
    org_id = st.text_input(
        "Id (i länken, t.ex. ?org=…)",
        value=orgs.slug(name) if name else "",
        key=f"imp_org_id_{kind}_{kommunkod}_{orgs.slug(name)}",
        help="Små bokstäver a–z, siffror, _ och -.",
    )
    if st.button("Lägg till organisationen", key="imp_org_add", disabled=actor is None):
        new = orgs.NewOrganisation(org_id.strip(), name, kind, kommunkod, parent)
        try:
            added = org_writes.add(new, actor, registry)
        except (orgs.OrganisationRefusedError, access.AccessDeniedError) as exc:
            st.error(str(exc))
            return
        st.session_state[FLASH] = f"Organisationen {added.name} ({added.org_id}) är tillagd."
        st.rerun()
