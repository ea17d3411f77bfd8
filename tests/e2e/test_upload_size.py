"""A file above the app's 10 MB cap, chosen in the browser: Streamlit sends it (its own
limit lies above the cap) and the page refuses it in Swedish, not with Streamlit's
English "File must be … or smaller"."""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_too_large_file_is_refused_in_swedish(page, app_url, e2e_data_dir) -> None:
    harness.goto(page, f"{app_url}/uppladdning?org=askersund")
    picker = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    picker.wait_for(state="attached")
    harness.wait_idle(page)
    big = b"Konto;Belopp\n" + b"4010;1\n" * (11 * 1024 * 1024 // 7)
    picker.set_input_files({"name": "stor.csv", "mimeType": "text/csv", "buffer": big})
    page.get_by_text("största tillåtna storlek", exact=False).first.wait_for(timeout=60_000)
    harness.wait_idle(page)
    text = harness.main_text(page)
    assert "or smaller" not in text and "File must be" not in text
