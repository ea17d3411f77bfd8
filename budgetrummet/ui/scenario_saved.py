"""Scenarier's "Spara, jämför och dela": save under a name, load, delete, compare saved
scenarios, the share link, the PDF and freezing a scenario as presented."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from budgetrummet import access, fmt
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.charts import scenarios as charts
from budgetrummet.fmt import person, plain
from budgetrummet.ui import frozen as frozen_ui
from budgetrummet.ui import minutes as minutes_ui
from budgetrummet.ui.auth import current_actor, who_caption
from budgetrummet.ui.data import query
from budgetrummet.ui.org import current_org_name
from budgetrummet.ui.scenario_tables import change_chart, net_chart, plot, show, year_table
from budgetrummet.ui.scenarios import (
    CURRENT,
    CURRENT_LABEL,
    NAME_KEY,
    Keys,
    _amount,
    current_params,
    set_state,
    share_link,
)
from budgetrummet.writes import scenarios as sc_writes

if TYPE_CHECKING:
    from budgetrummet.ui.scenario_view import DetailSlots


def _say(org_id: str, kind: str, text: str) -> None:
    st.session_state[Keys(org_id).message] = (kind, text)


def _save(b: sc.Baseline) -> None:
    ss = st.session_state
    try:
        name = sc.clean_name(ss.get(NAME_KEY, ""))
        sc_writes.save_scenario(b, current_params(b), name, current_actor())
    except (sc.ScenarioInputError, access.AccessDeniedError) as exc:
        _say(b.org_id, "error", str(exc))
        return
    ss[NAME_KEY] = ""
    _say(b.org_id, "success", f"Scenariot ”{name}” är sparat.")


def _saved(b: sc.Baseline) -> pl.DataFrame:
    return query("scen_saved", org_id=b.org_id)


def _load(b: sc.Baseline) -> None:
    k = Keys(b.org_id)
    chosen = st.session_state.get(k.chosen)
    hit = _saved(b).filter(pl.col("scenario_id") == chosen)
    if hit.is_empty():
        _say(b.org_id, "error", "Välj ett sparat scenario.")
        return
    row = hit.row(0, named=True)
    try:
        params = sc.params_from_json(b, row["params_json"])
    except sc.ScenarioInputError as exc:
        _say(b.org_id, "error", f"”{row['name']}” kan inte laddas: {exc}")
        return
    set_state(b, params)
    _say(b.org_id, "success", f"Scenariot ”{row['name']}” är laddat.")


def _delete(b: sc.Baseline) -> None:
    k = Keys(b.org_id)
    ss = st.session_state
    chosen = ss.get(k.chosen)
    hit = _saved(b).filter(pl.col("scenario_id") == chosen)
    if hit.is_empty():
        _say(b.org_id, "error", "Välj ett sparat scenario.")
        return
    if not ss.get(k.confirm):
        _say(b.org_id, "error", "Kryssa i att du vill ta bort scenariot.")
        return
    name = hit["name"][0]
    try:
        sc_writes.delete_scenario(b.org_id, chosen, current_actor())
    except (sc.ScenarioInputError, access.AccessDeniedError) as exc:
        _say(b.org_id, "error", str(exc))
        return
    ss[k.confirm] = False
    _say(b.org_id, "success", f"Scenariot ”{name}” är borttaget.")


def _compare_names(saved: pl.DataFrame) -> dict[str, str]:
    names = {CURRENT: CURRENT_LABEL}
    for sid, name in saved.select("scenario_id", "name").iter_rows():
        names[sid] = name if name != CURRENT_LABEL else f"{name} (sparat)"
    return names


def compare_table(b: sc.Baseline, frame: pl.DataFrame) -> pl.DataFrame:
    """Scenarios side by side: per scenario its net cost, the difference against the first
    and the result, one column per year."""
    names = frame["scenario"].unique(maintain_order=True).to_list()
    first = names[0]
    rows = []
    for name in names:
        part = frame.filter(pl.col("scenario") == name).sort("year")
        labels = [b.year_labels[y] for y in part["year"]]
        measures = [("Nettokostnad", [_amount(b, v) for v in part["scenario_net"]])]
        if name != first:
            measures.append(
                (f"Mot {first}", [_amount(b, v, signed=True) for v in part["difference"]])
            )
        if part["result_percent"].null_count() == 0:
            measures.append(("Resultat", [fmt.percent(v, 2) for v in part["result_percent"]]))
        for measure, values in measures:
            rows.append(
                {"Scenario": name, "Mått": measure, **dict(zip(labels, values, strict=True))}
            )
    return pl.DataFrame(rows)


def saved_layout(b: sc.Baseline) -> tuple[DeltaGenerator, DeltaGenerator, DeltaGenerator]:
    """Save under a name, load, delete (full run); containers for what follows the
    levers, drawn by the fragment (``saved_live``): the description of the levers to
    save, the comparison and the share link."""
    k = Keys(b.org_id)
    ss = st.session_state
    st.subheader("Spara, jämför och dela")
    message = ss.pop(k.message, None)
    if message:
        (st.success if message[0] == "success" else st.error)(plain(message[1]))
    saved = _saved(b)
    col_save, col_saved = st.columns([1, 1], gap="large")
    with col_save:
        st.markdown("**Spara aktuella reglage**")
        save_caption = st.container()
        st.text_input("Scenariots namn", key=NAME_KEY, max_chars=sc.NAME_MAX)
        st.caption(who_caption())
        st.button("Spara scenario", key="scen_save", on_click=_save, args=(b,), type="primary")
    with col_saved:
        st.markdown("**Sparade scenarier**")
        if saved.is_empty():
            st.info("Inga sparade scenarier för organisationen ännu.")
        else:
            ids = saved["scenario_id"].to_list()
            names = dict(saved.select("scenario_id", "name").iter_rows())
            if ss.get(k.chosen) not in ids:
                ss[k.chosen] = ids[0]
            st.selectbox("Scenario", options=ids, format_func=names.__getitem__, key=k.chosen)
            row = saved.filter(pl.col("scenario_id") == ss[k.chosen]).row(0, named=True)
            try:
                summary = sc.describe(b, sc.params_from_json(b, row["params_json"]))
            except sc.ScenarioInputError as exc:
                summary = f"kan inte läsas: {exc}"
            st.caption(
                plain(
                    f"Sparat av {person(row['saved_by'])} {fmt.iso_date(row['saved_at'])}: "
                    f"{summary}."
                )
            )
            cols = st.columns([1, 1, 1])
            cols[0].button("Ladda", key="scen_load", on_click=_load, args=(b,))
            cols[1].checkbox("Bekräfta", key=k.confirm, help="Krävs för att ta bort.")
            cols[2].button("Ta bort", key="scen_delete", on_click=_delete, args=(b,))

    st.markdown("**Jämför scenarier**")
    compare = st.container()
    st.markdown("**Dela**")
    st.caption(
        "Länken bär reglagen som vanliga parametrar; den som öppnar den ser samma scenario. "
        "Adressfältet uppdateras också när ni ändrar ett reglage."
    )
    share = st.container()
    frozen_ui.section(b.org_id, lambda: _presented(b))
    return save_caption, compare, share


def _presented(b: sc.Baseline) -> tuple[str, mn.Minutes]:
    """The levers in use and the document of what the page shows for them (called when
    a scenario is frozen)."""
    params = current_params(b)
    result = sc.compute(b, params)
    return sc.params_to_json(b, params), minutes_ui.scenario_document(
        b,
        params,
        result,
        organisation=current_org_name(),
        made_by=minutes_ui.made_by(),
        year_table=year_table(b, result),
        charts=[
            mn.Chart(net_chart(b, result, False)),
            mn.Chart(change_chart(b, result)),
        ],
        title="Scenario som presenterat",
        note=f"Länk till scenariot: {share_link(b, params)}",
    )


def saved_live(
    b: sc.Baseline, params: sc.ScenarioParams, result: sc.ScenarioResult, slots: DetailSlots
) -> None:
    """The parts of "Spara, jämför och dela" that show the levers in use (fragment)."""
    k = Keys(b.org_id)
    with slots.save_caption:
        st.caption(plain(sc.sentence(sc.describe(b, params))))
    with slots.compare:
        saved = _saved(b)
        names = _compare_names(saved)
        chosen = st.multiselect(
            "Välj två eller fler",
            options=list(names),
            format_func=names.__getitem__,
            key=k.compare,
            select_all=False,  # Streamlit's "Select all" entry is English
            placeholder="Aktuella reglage och sparade scenarier",
        )
        if len(chosen) < 2:
            st.caption("Välj minst två scenarier för att se dem sida vid sida.")
        else:
            named = []
            for sid in chosen:
                if sid == CURRENT:
                    named.append((names[sid], params))
                    continue
                row = saved.filter(pl.col("scenario_id") == sid).row(0, named=True)
                try:
                    named.append((names[sid], sc.params_from_json(b, row["params_json"])))
                except sc.ScenarioInputError as exc:
                    st.error(plain(f"”{row['name']}” kan inte jämföras: {exc}"))
            if len(named) >= 2:
                frame = sc.compare(b, named)
                table = compare_table(b, frame)
                show(table)
                labelled = frame.with_columns(
                    pl.col("year")
                    .replace_strict(b.year_labels, return_dtype=pl.String)
                    .alias("column_label")
                )
                figure = charts.compare_chart(labelled, unit=b.unit)
                plot(figure, "scen_cmp")
                organisation, author = current_org_name(), minutes_ui.made_by()
                minutes_ui.download(
                    lambda: minutes_ui.comparison_document(
                        b,
                        named,
                        organisation=organisation,
                        made_by=author,
                        table=table,
                        chart=mn.Chart(figure),
                    ),
                    key="scen_cmp_pdf",
                    name_hint=("jamforelse", organisation),
                    help="Jämförelsen som A4-dokument: reglagen, nyckeltalen per år och "
                    "diagrammet, med organisation och dataversion.",
                )
    with slots.share:
        link = share_link(b, params)
        st.code(link, language=None, wrap_lines=True)
        organisation, author = current_org_name(), minutes_ui.made_by()
        minutes_ui.download(
            lambda: minutes_ui.scenario_document(
                b,
                params,
                result,
                organisation=organisation,
                made_by=author,
                year_table=year_table(b, result),
                charts=[
                    mn.Chart(net_chart(b, result, False)),
                    mn.Chart(change_chart(b, result)),
                ],
                note=f"Länk till scenariot: {link}",
            ),
            key="scen_pdf",
            name_hint=("scenario", organisation),
            help="Det aktuella scenariot som A4-dokument: reglagen, nyckeltalen, "
            "tabellen per år och diagrammen, med organisation och dataversion.",
        )
