"""A file above the app's size cap gets the app's Swedish refusal, not Streamlit's English
one: the browser's and the server's limit (Streamlit) lie above the app's own cap."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from budgetrummet.ui.components import UPLOAD_LIMIT_MB
from budgetrummet.upload.reading import read_upload
from budgetrummet.upload.rules import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def test_streamlits_limit_lies_above_the_apps_cap() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == UPLOAD_LIMIT_MB
    assert UPLOAD_LIMIT_MB * MB >= 2 * MAX_BYTES


def test_every_file_picker_lets_a_too_large_file_reach_the_app(warehouse_dir: Path) -> None:
    for view in ("upload.py", "imports.py"):
        at = AppTest.from_file(str(ROOT / "views" / view), default_timeout=30)
        at.session_state["org"] = "askersund"
        at.run()
        assert not at.exception, at.exception
        pickers = at.get("file_uploader")
        assert pickers, view
        assert {p.proto.max_upload_size_mb for p in pickers} == {UPLOAD_LIMIT_MB}, view


def test_a_file_above_the_cap_is_refused_in_swedish() -> None:
    raw = read_upload(b"a;b\n" * (MAX_BYTES // 4 + 1), "stor.csv")
    (problem,) = raw.problems
    assert "största tillåtna storlek är 10,0\u00a0MB" in problem.message
