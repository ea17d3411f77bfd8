"""Protokollsbilaga: the PDF's text, size and metadata; frozen scenarios stay as shown."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image
from pypdf import PdfReader

from budgetrummet import access, build, frozen, store, tables
from budgetrummet import minutes as mn
from budgetrummet import scenarios as sc
from budgetrummet.writes import frozen as frozen_writes

ADMIN = access.Actor("Anna Andersson", frozenset({access.ADMIN}))
READER = access.Actor("Leo Läsare", frozenset({"läsare"}))


def fake_png(figure: object, width: int, height: int) -> bytes:
    """A plain image in place of kaleido (the real one is tested in the browser suite)."""
    out = io.BytesIO()
    Image.new("RGB", (width // 4, height // 4), (31, 78, 121)).save(out, format="PNG")
    return out.getvalue()


def document(**changes) -> mn.Minutes:
    base = dict(
        title="Protokollsbilaga: Scenario",
        organisation="Askersund",
        data=mn.DataVersion("abc123def456", datetime(2025, 3, 1, 8, 30, tzinfo=UTC)),
        made_by="Anna Andersson",
        made_at=datetime(2025, 3, 4, 13, 5, tzinfo=UTC),
        note="Länk till scenariot: http://localhost/scenarier?org=askersund&krav_2026=2.5",
        sections=[
            mn.Section("Reglage", lines=["Reglage: Krav 2026 2,5 %; index 2027 +1,0 %."]),
            mn.Section(
                "Nyckeltal",
                tables=[
                    mn.Table(
                        ["Nyckeltal", "Budget 2025", "Plan 2026"],
                        [["Nettokostnad", "−116\u00a0013\u00a0tkr", "−116\u00a0697\u00a0tkr"]],
                    )
                ],
                charts=[mn.Chart(go.Figure(go.Bar(x=["a"], y=[1])), 1000, 440)],
            ),
        ],
    )
    return mn.Minutes(**(base | changes))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_is_a4_and_holds_what_the_page_showed() -> None:
    pdf = mn.render(document(), png=fake_png)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in pt
    text = text_of(pdf).replace("\u00a0", " ")
    for expected in (
        "Protokollsbilaga: Scenario – Askersund",
        "Dataversion: abc123def456, publicerad 2025-03-01 09:30",  # Swedish time
        "Gjord: 2025-03-04 14:05 av Anna Andersson",
        "Krav 2026 2,5 %; index 2027 +1,0 %",
        "−116 013 tkr",  # the real minus sign survives
        "Sida 1 av 1",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "Protokollsbilaga: Scenario – Askersund"


def test_a_chart_is_drawn_as_an_image() -> None:
    calls = []

    def png(figure, width, height):
        calls.append((width, height))
        return fake_png(figure, width, height)

    pdf = mn.render(document(), png=png)
    assert calls == [(1000, 440)]
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1


def test_the_data_version_follows_the_published_data(warehouse_dir: Path) -> None:
    version = mn.data_version(warehouse_dir)
    assert len(version.id) == 12 and version.published is not None
    assert mn.data_version(warehouse_dir) == version


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build.build(tmp_path, who="pytest")
    monkeypatch.setenv(store.ENV_DATA_DIR, str(tmp_path))
    return tmp_path


def test_a_frozen_scenario_reopens_unchanged_after_new_data(private: Path) -> None:
    doc = document(data=mn.data_version(private))
    before = mn.data_version(private)
    frozen_id = frozen_writes.freeze(
        "askersund", "Presenterat i KS", "{}", doc, ADMIN, root=private
    )
    # saving or freezing a scenario is no new data
    assert mn.data_version(private) == before
    # new data arrives: a goal assessment is published
    store.append_rows(
        "goal_status",
        pl.DataFrame(
            [
                {
                    "status_id": "s1",
                    "org_id": "askersund",
                    "doc_id": "d",
                    "goal_key": "d:1:1",
                    "followup_date": datetime(2025, 5, 31).date(),
                    "status": "rod",
                    "comment": "c",
                    "set_by": "B",
                    "set_at": datetime(2025, 5, 1, tzinfo=UTC),
                }
            ],
            schema=tables.USER_TABLES["goal_status"],
        ),
        action="test",
        who="pytest",
        root=private,
    )
    assert mn.data_version(private).id != before.id
    rows = frozen_writes.list_frozen("askersund", private)
    assert rows["frozen_id"].to_list() == [frozen_id]
    reopened = frozen.document_from_json(rows["document_json"][0])
    assert reopened.data == doc.data
    assert [s.heading for s in reopened.sections] == ["Reglage", "Nyckeltal"]
    assert reopened.sections[1].tables[0].rows == [tuple(doc.sections[1].tables[0].rows[0])]
    assert reopened.sections[0].lines == tuple(doc.sections[0].lines)
    assert go.Figure(reopened.sections[1].charts[0].figure).data[0].type == "bar"
    # the PDF of the reopened scenario reads as the one made when it was presented
    assert text_of(mn.render(reopened, png=fake_png)) == text_of(mn.render(doc, png=fake_png))
    audit = [
        e for e in store.read_audit(private) if e.get("action") == "frys scenario som presenterat"
    ]
    assert audit and audit[-1]["who"] == "Anna Andersson"


def test_freezing_is_refused_without_the_right_or_a_name(private: Path) -> None:
    with pytest.raises(access.AccessDeniedError):
        frozen_writes.freeze("askersund", "Namn", "{}", document(), READER, root=private)
    with pytest.raises(sc.ScenarioInputError):
        frozen_writes.freeze("askersund", "  ", "{}", document(), ADMIN, root=private)
    assert frozen_writes.list_frozen("askersund", private).is_empty()


def test_a_table_too_wide_for_the_page_keeps_every_cell() -> None:
    columns = ["Rang", "Projekt"] + [f"Belopp {i}" for i in range(8)] + ["Orsak", "Datakvalitet"]
    row = ["1", "Närlundaskolan, etapp 2"] + ["−12\u00a0150\u00a0tkr"] * 8 + ["ord " * 120] * 2
    doc = document(sections=[mn.Section("Bred tabell", tables=[mn.Table(columns, [row])])])
    text = text_of(mn.render(doc, png=fake_png)).replace("\u00a0", " ")
    assert "Närlundaskolan, etapp 2" in text and "Belopp 7: −12 150 tkr" in text
