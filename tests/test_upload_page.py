"""The Uppladdning page as finance staff use it: upload -> report -> confirm -> history -> undo."""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import store
from budgetrummet.upload import rules, storing
from tests.test_access import sign_in

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "upload"
PAGE = str(ROOT / "views" / "upload.py")


@pytest.fixture
def private_wh(warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    return root


def page(org: str = "askersund") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["org"] = org
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes | None = None, unit: str | None = "kr") -> AppTest:
    content = data if data is not None else (FIXTURES / name).read_bytes()
    at.file_uploader[0].set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    if unit is not None:
        at.radio(key="upl_unit").set_value(unit).run()
        assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


# AppTest does not expose a dataframe's key, so a table is found by its columns.
TABLES = {
    "problems": ({"Rad", "Regel", "Beskrivning"}, set()),
    "counts": ({"Regel", "Antal"}, {"Rad"}),
    "by_verksamhet": ({"Verksamhet", "Rader"}, {"Typ", "Regel"}),
    "replaced": ({"Period", "Uppladdning", "Summa"}, {"Typ"}),
    "changes": ({"Period", "Ändring", "Före", "Efter"}, set()),
    "skipped": ({"Rad", "Varför", "Text", "Belopp"}, set()),
    "history": ({"Nr", "Uppladdad av", "Status"}, set()),
}


def frame(at: AppTest, name: str):
    needed, absent = TABLES[name]
    found = [
        d.value
        for d in at.dataframe
        if needed <= set(d.value.columns) and not absent & set(d.value.columns)
    ]
    assert len(found) == 1, f"{name}: {len(found)} tables"
    return found[0]


def test_the_page_opens_without_a_file(private_wh: Path) -> None:
    at = page()
    assert at.title[0].value == "Uppladdning – Askersund"
    assert "Välj en fil" in texts(at.info)
    assert {b.label for b in at.get("download_button")} == {"Mall (Excel)", "Mall (CSV)"}
    assert "verksamhetskoderna i organisationens budgetdokument (23 st)" in texts(at.caption)


def test_a_file_with_problems_gets_the_full_report_and_nothing_is_stored(private_wh: Path) -> None:
    at = upload(page(), "alla_fel.csv")
    assert "Filen har 6 fel och har inte sparats" in texts(at.error)
    problems = frame(at, "problems")
    assert problems["Rad"].tolist() == ["3", "4", "5", "7", "8", "9"]
    assert problems["Regel"].tolist()[1] == rules.RULES[rules.AMOUNT]
    counts = frame(at, "counts")
    assert counts["Antal"].sum() == 6
    assert any(b.label == "Ladda ner felrapporten (CSV)" for b in at.get("download_button"))
    assert not any(b.key == "upl_confirm" for b in at.button)
    assert storing.load(private_wh)[0].is_empty()


def test_upload_report_confirm_history_undo_restore(private_wh: Path) -> None:
    at = upload(page(), "cp1252_semikolon.csv")
    detected = texts(at.markdown)
    assert "CSV, teckenkodning Windows-1252, fältavgränsare semikolon" in detected
    assert "Decimaltecken: decimalkomma" in detected
    assert "Filen är felfri. 1\u00a0summarad stämmer" in texts(at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Rader som sparas": "5",
        "Perioder": "2",
        "Summa": "258\u00a0645,25\u00a0kr",
    }
    by_v = frame(at, "by_verksamhet")
    assert by_v["Verksamhet"].tolist()[0] == "10 Nämnder/Styrelser"
    assert not at.button(key="upl_confirm").disabled, "local mode: the local user is admin"
    sign_in(at, None).run()
    confirm = at.button(key="upl_confirm")
    assert confirm.disabled, "signed out, no write"
    assert "Logga in (i sidofältet) för att kunna spara." in texts(at.info)

    sign_in(at, "Anna Ek", {"ekonom"}).run()
    at.button(key="upl_confirm").click().run()
    assert not at.exception, at.exception
    saved = "Uppladdning nr 1 är sparad: 5\u00a0rader, 2\u00a0perioder (2025-01, 2025-02)"
    assert saved in texts(at.success)
    assert "Välj en fil" in texts(at.info), "the uploader is cleared after a commit"
    history = frame(at, "history")
    assert history[["Nr", "Fil", "Uppladdad av", "Status"]].values.tolist() == [
        ["1", "cp1252_semikolon.csv", "Anna Ek", "Gäller"]
    ]

    # The same file again is refused, naming the earlier upload.
    at = upload(at, "cp1252_semikolon.csv")
    assert "Exakt samma fil är redan uppladdad: uppladdning nr 1" in texts(at.error)

    # A corrected February replaces that period as a new version.
    fix = "Verksamhet;Konto;Period;Utfall\n91;5010;202502;-3 000\n".encode("cp1252")
    at = upload(at, "feb_rattad.csv", fix)
    assert "1 av perioderna finns redan; den här filen blir en ny version" in texts(at.warning)
    lost = "Perioden 2025-02 har 2\u00a0rader som gäller nu men som filen inte har"
    assert lost in texts(at.warning)
    assert frame(at, "replaced")["Uppladdning"].tolist() == ["nr 1"]
    assert at.button(key="upl_confirm").disabled, "nothing is dropped without the choice"
    mode = at.radio(key="upl_mode")
    assert mode.options == ["Ersätt hela perioden", "Rätta bara raderna i filen"]
    mode.set_value(storing.REPLACE).run()
    changes = frame(at, "changes")
    assert set(changes["Ändring"]) == {"Tas bort", "Ändras"}
    at.button(key="upl_confirm").click().run()
    assert "Ersätter tidigare version i nr 1" in texts(at.success)
    history = frame(at, "history")
    assert history["Ersätter"].tolist() == ["nr 1", ""]
    assert history["Status"].tolist() == ["Gäller", "Delvis ersatt (3 av 5 rader gäller)"]

    # Undo the correction: February's first version is current again; then restore.
    assert at.selectbox(key="upl_undo_choice").value == history_ids(private_wh)[2], "newest first"
    at.button(key="upl_undo").click().run()
    assert not at.exception, at.exception
    assert "Uppladdning nr 2 är ångrad" in texts(at.success)
    status = frame(at, "history")["Status"].tolist()
    assert status[0].startswith("Ångrad av Anna Ek") and status[1] == "Gäller"
    at.button(key="upl_restore").click().run()
    assert "Uppladdning nr 2 är återställd" in texts(at.success)
    assert frame(at, "history")["Status"].tolist()[0] == "Gäller"
    assert [e["action"] for e in store.read_audit(private_wh)[-4:]] == [
        "uppladdning",
        "uppladdning",
        "ångra uppladdning",
        "återställ uppladdning",
    ]


def history_ids(root: Path) -> dict[int, str]:
    uploads = storing.load(root)[0]
    return dict(zip(uploads["seq"].to_list(), uploads["upload_id"].to_list(), strict=True))


def test_tkr_is_converted_and_the_conversion_shown(private_wh: Path) -> None:
    at = page()
    at.radio(key="upl_kind").set_value("prognos").run()
    at = upload(at, "prognos_tkr.csv", unit="tkr")
    assert at.number_input(key="upl_year").value == 2024, "the year is read from the file"
    assert "lagras i kronor (× 1 000), t.ex. rad 2: \u22121\u00a0500\u00a0tkr" in texts(at.caption)
    assert {m.label: m.value for m in at.metric}["Summa"] == "\u221231\u00a0349\u00a0500\u00a0kr"


def test_the_unit_must_be_stated(private_wh: Path) -> None:
    at = upload(page(), "ar_manad.csv", unit=None)
    assert "Ange om beloppen i filen är i kronor, tusental kronor (tkr) eller" in texts(at.info)
    assert not at.error


def test_a_file_over_the_size_cap_is_refused_by_the_server(private_wh: Path) -> None:
    big = b"Vht;Belopp\n" + b"10;1\n" * (rules.MAX_BYTES // 5 + 1)
    at = upload(page(), "stor.csv", big, unit=None)
    assert "största tillåtna storlek är 10,0\u00a0MB" in texts(at.error)
    assert frame(at, "problems")["Regel"].tolist() == [rules.RULES[rules.SIZE]]


def test_the_real_export_is_explained(private_wh: Path) -> None:
    at = upload(page(), "orebro_2016-03_utfall_per_forvaltning_konto.csv")
    assert at.selectbox(key="upl_map_ansvar").value == 0
    assert at.selectbox(key="upl_map_konto").value == 1
    assert at.selectbox(key="upl_map_belopp").value == 2
    assert "Filen har 2 fel" in texts(at.error)
    described = " ".join(frame(at, "problems")["Beskrivning"])
    assert "Kolumnen Verksamhet (kod och/eller namn) saknas" in described
    assert "ange vilken månad hela filen avser" in described
    # Mapping the förvaltning column as verksamhet: every row names an unknown unit.
    at.selectbox(key="upl_map_ansvar").select_index(0).run()
    at.selectbox(key="upl_map_verksamhet").set_value(0).run()
    at.selectbox(key="upl_month").set_value(3).run()
    assert "Filen har 1\u00a0403 fel" in texts(at.error)
    assert frame(at, "counts").values.tolist() == [[rules.RULES[rules.UNKNOWN_VERKSAMHET], 1403]]


def test_a_manual_mapping_is_remembered_for_the_organisation(private_wh: Path) -> None:
    data = "Org;Mån;Summa\n10;jan;5\n11;jan;6\n".encode()
    at = upload(page(), "egen.csv", data)
    at.selectbox(key="upl_map_verksamhet").set_value(0).run()
    assert at.button(key="upl_confirm")
    sign_in(at, "Anna Ek", {"ekonom"}).run()
    at.button(key="upl_confirm").click().run()
    assert "Uppladdning nr 1 är sparad" in texts(at.success)
    at = upload(at, "egen_feb.csv", "Org;Mån;Summa\n10;feb;7\n".encode())
    assert at.selectbox(key="upl_map_verksamhet").value == 0, "remembered from the last upload"
    assert "Filen är felfri" in texts(at.success)


def test_lerum_uploads_against_its_produktionsomraden(private_wh: Path) -> None:
    at = upload(page("lerum"), "lerum_produktionsomraden.csv")
    assert at.title[0].value == "Uppladdning – Lerum"
    assert "produktionsområdena" in texts(at.caption)
    assert frame(at, "by_verksamhet")["Verksamhet"].tolist() == [
        "270 Räddningstjänst (SCB)",
        "Ekonomi",
        "HR",
        "Räddningstjänst",
    ]


def test_a_real_table_with_near_miss_names_is_mapped_on_the_page_and_remembered(
    private_wh: Path,
) -> None:
    """Simrishamn's driftredovisning for an organisation that uses SCB's codes: the unit
    and year come from the headings, near misses are suggested with their code, the
    user confirms them and leaves two rows out, and the next upload knows the names."""
    name = "simrishamn_kfn_driftredovisning_2025.csv"
    at = upload(page("lerum"), name, unit=None)
    assert at.radio(key="upl_unit").value == "tkr", "found in ”Verksamheter (tkr)”"
    # (shown as text: Markdown characters escaped)
    assert "enligt kolumnrubriken ”Verksamheter \\(tkr\\)”" in texts(at.caption)
    assert at.number_input(key="upl_year").value == 2025, "from ”Utfall 2025”"
    at.selectbox(key="upl_month").set_value(0).run()  # hela året (helår)
    assert "Filen har 7 fel" in texts(at.error)
    boxes = {b.label: b for b in at.selectbox if b.key and b.key.startswith("upl_name_")}
    assert boxes["Idrotts- och fritidsanläggning"].value == "scb:340", "the suggestion first"
    assert boxes["Museum/konsthall"].value is None, "no suggestion, no guess"
    boxes["Fritidsgårdsverksamhet"].set_value("scb:350")  # chosen from the whole list
    boxes["Museum/konsthall"].set_value("__utanfor__")
    boxes["Gem adm kultur och fritid"].set_value("__utanfor__").run()
    at.button(key="upl_names_apply").click().run()
    assert not at.exception, at.exception
    applied = "5\u00a0namn kopplade och sparade för organisationen; 2\u00a0namn lämnas utanför"
    assert applied in texts(at.success)
    assert "Filen är felfri" in texts(at.success)
    left_out = "2\u00a0rader lämnas utanför på ditt val, sammanlagt \u221211\u00a0029\u00a0tkr"
    assert left_out in texts(at.info)
    assert frame(at, "skipped")["Varför"].tolist() == [
        "Lämnas utanför på ditt val", "Lämnas utanför på ditt val",
        "Summarad (stäms av mot raderna, sparas inte)",
    ]  # fmt: skip
    assert any("ryms i avrundningen" in m.value for m in at.markdown)
    at.button(key="upl_confirm").click().run()
    assert "Uppladdning nr 1 är sparad: 10\u00a0rader, 1\u00a0period (2025)" in texts(at.success)
    assert [e["action"] for e in store.read_audit(private_wh)[-2:]] == [
        "koppla verksamhetsnamn",
        "uppladdning",
    ]
    # The next file with the same names needs no mapping.
    data = (FIXTURES / name).read_bytes().replace(b"2025", b"2024")
    at = upload(at, "simrishamn_2024.csv", data, unit=None)
    at.selectbox(key="upl_month").set_value(0).run()
    described = " ".join(frame(at, "problems")["Värde"])
    assert "Idrotts- och fritidsanläggning" not in described
    assert set(frame(at, "problems")["Värde"]) == {"Museum/konsthall", "Gem adm kultur och fritid"}
