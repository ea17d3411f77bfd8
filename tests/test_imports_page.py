"""The Inläsning page as finance staff use it: a real table with names the organisation
does not use is mapped on the page, stored as a document, and the page names the
document and the person, never an internal id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import store
from budgetrummet.ui import auth

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "upload" / "simrishamn_kfn_driftredovisning_2025.csv"
PAGE = str(ROOT / "views" / "imports.py")


@pytest.fixture
def private_wh(warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    # The local administrator on a machine where the app runs as the superuser.
    monkeypatch.setattr(auth.getpass, "getuser", lambda: "root")
    return root


def page(org: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["org"] = org
    at.run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    parts = [e.value for kind in (at.success, at.info, at.error, at.warning) for e in kind]
    parts += [e.value for e in (*at.markdown, *at.caption)]
    return " ".join(str(p) for p in parts)


def test_unknown_names_are_mapped_on_the_page_and_the_document_named_by_title(
    private_wh: Path,
) -> None:
    at = page("lerum")
    at.radio(key="imp_kind").set_value("budget").run()
    at.file_uploader[0].set_value((REAL.name, REAL.read_bytes(), "text/csv")).run()
    assert "Ange om kostnaderna står som negativa tal" in " ".join(i.value for i in at.info)
    assert not at.error, "no check before the sign of costs is given"
    at.radio(key="imp_sign").set_value("costs-negative").run()
    assert "Filen har 7 fel" in " ".join(e.value for e in at.error)
    boxes = [b for b in at.selectbox if b.key and b.key.startswith("imp_name_")]
    assert len(boxes) == 7
    assert "__utanfor__" not in boxes[0].options, "a document keeps every row: no leaving out"
    for box in boxes:
        if box.value is None:
            box.set_value(box.options[1])
    at.run()
    at.button(key="imp_names_apply").click().run()
    assert not at.exception, at.exception
    assert "7\u00a0namn kopplade och sparade för organisationen." in at.success[0].value
    assert not at.error, [e.value for e in at.error]
    at.button(key="imp_confirm").click().run()
    assert not at.exception, at.exception
    saved = at.success[0].value
    assert saved.startswith("Sparat som dokument: Driftredovisning 2025"), saved
    assert "imp\\_" not in saved and "imp_" not in saved
    history = at.dataframe[0].value if at.dataframe else None
    assert history is not None and history["Inläst av"].tolist() == ["lokal administratör"]
    assert "root" not in shown_text(at) and "lerum" not in shown_text(at)
    assert [e["action"] for e in store.read_audit(private_wh)[-2:]] == [
        "koppla verksamhetsnamn",
        "inläsning av dokument",
    ]
