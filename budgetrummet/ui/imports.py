"""Inläsning's loader and its Streamlit forms: document files and the organisation register.

The page's queries run through the one query cache; the texts and tables come from
``budgetrummet.presenters.imports``; the forms both file pages share (file picker,
templates, problem report, name mapping, undo and restore) from
``budgetrummet.ui.file_forms``. The work is done by ``budgetrummet.upload.documents`` /
``doc_store`` and ``budgetrummet.orgs`` (pure or store-only, tested without Streamlit),
and the command line (``budgetrummet.cli``) calls the same functions. Widget keys start
with ``imp_``.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from budgetrummet import access, clock, orgs
from budgetrummet.presenters import imports as pr
from budgetrummet.ui import file_forms as forms
from budgetrummet.ui.auth import plain
from budgetrummet.ui.data import query
from budgetrummet.ui.file_forms import set_flash, table
from budgetrummet.upload import doc_store, documents
from budgetrummet.upload.catalogue import Catalogue
from budgetrummet.upload.reading import RawTable
from budgetrummet.upload.rules import UploadRefusedError
from budgetrummet.writes import orgs as org_writes

PREFIX = "imp"
# Example years follow the calendar.
_Y = clock.today().year
UNIT_LABELS = {"": "som kolumnrubriken säger", "kr": "kr", "tkr": "tkr", "mkr": "mkr"}

# ---------------------------------------------------------------------------- loader


def documents_of(org_id: str) -> pl.DataFrame:
    """Every document file imported for the organisation, newest first."""
    return query("imp_documents_for_org", org_id=org_id)


# ----------------------------------------------------------------------------- forms


def kind_selector() -> str:
    return forms.kind_selector(
        "Vad läser du in?",
        {k: spec.label for k, spec in documents.DOC_KINDS.items()},
        {k: spec.description for k, spec in documents.DOC_KINDS.items()},
        PREFIX,
    )


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
            # A heading of the file: shown as text, never as Markdown.
            given = st.text_input(plain(heading), key=f"imp_col_{i}").strip()
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


def sign_missing(settings: documents.DocSettings) -> bool:
    """A file of amounts per version and year needs the sign of its costs before it is
    checked (the page asks; the command line reports it as a problem)."""
    return documents.DOC_KINDS[settings.kind].wide and settings.sign is None


def check(raw: RawTable, settings: documents.DocSettings, known: Catalogue) -> documents.DocImport:
    return documents.parse(raw, settings, known)


def show_result(
    result: documents.DocImport, org_id: str, known: Catalogue, actor: access.Actor | None
) -> None:
    """The problems (with the name-mapping form), or what a valid file will store."""
    if not result.ok:
        forms.name_choices(org_id, result.problems, known, actor, PREFIX, leave_out=False)
        forms.show_problems(result.problems, PREFIX, known)
        return
    st.markdown("  \n".join(plain(line) for line in documents.summary_lines(result)))
    if not result.findings.is_empty():
        st.markdown("**Avstämning av tryckta summor**")
        table(documents.findings_table(result.findings), key="imp_findings")
    if not result.figures.is_empty():
        st.markdown("**Förhandsvisning**")
        table(pr.preview_table(result.figures), key="imp_preview", height=300)


def confirm(
    raw: RawTable, data: bytes, result: documents.DocImport, actor, docs: pl.DataFrame
) -> None:
    """The confirm button; stores the document and reruns to show it in the history."""
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
        st.error(plain(str(exc)))
        return
    set_flash(PREFIX, pr.saved_message(result.source["title"], stored.seq, stored.replaces, docs))
    forms.next_file(PREFIX)
    forms.forget_choices(PREFIX)
    st.rerun()


def history(org_id: str, docs: pl.DataFrame, actor) -> None:
    """The imported documents, and undo or restore of one of them."""
    if docs.is_empty():
        st.info("Inga dokument är inlästa för organisationen ännu.")
        return
    table(pr.history_table(docs), key="imp_history")
    labels = pr.choice_labels(docs)
    forms.undo_restore(
        docs.filter(pl.col("status") == doc_store.ACTIVE)["doc_id"].to_list(),
        docs.filter(pl.col("status") == doc_store.UNDONE)["doc_id"].to_list(),
        labels,
        actor,
        PREFIX,
        noun="inläsning",
        undo=lambda doc_id: doc_store.undo(doc_id, org_id, actor),
        restore=lambda doc_id: doc_store.restore(doc_id, org_id, actor),
        message=lambda doc_id, verb: pr.status_message(labels[doc_id], verb),
    )


def organisation_admin(actor) -> None:
    """The register and the form to add a municipality, a board or a förbund."""
    registry = query("org_registry")
    table(pr.registry_table(registry), key="imp_orgs")
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
            st.error(plain(str(exc)))
            return
        set_flash(PREFIX, pr.added_message(added.name))
        st.rerun()
