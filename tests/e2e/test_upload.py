"""Finance staff upload a real-looking export in the browser, and the drift page shows it.

The files are the upload fixtures (``tests/fixtures/upload``): a Windows-1252 export
with semicolons, decimal comma and space thousands (January and February 2025, five
rows, 258 645,25 kr), and a file with one error per validation rule.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from budgetrummet import store
from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FIXTURES = harness.REPO_ROOT / "tests" / "fixtures" / "upload"
GOOD = FIXTURES / "cp1252_semikolon.csv"
BROKEN = FIXTURES / "alla_fel.csv"


def open_upload(page, app_url: str) -> None:
    harness.goto(page, f"{app_url}/uppladdning?org=askersund")
    assert harness.heading(page) == "Uppladdning – Askersund"


def identify(page, name: str) -> str | None:
    """Say who is uploading: type the name where the page asks for one; where the app
    knows the user (sign-in, or the local administrator) there is nothing to type and
    None comes back."""
    box = page.get_by_role("textbox", name="Ditt namn")
    if box.count() == 0:
        return None
    box.fill(name)
    box.press("Enter")
    harness.wait_idle(page)
    return name


def choose_file(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(path)
    page.get_by_text("Beloppen i filen är i", exact=True).wait_for()
    harness.wait_idle(page)
    page.get_by_text("kronor (kr)", exact=True).click()
    harness.wait_idle(page)


def state_of(root: Path) -> dict:
    """Everything an upload could change: the manifest, the audit log, kept raw files."""
    raw = root / "raw"
    return {
        "manifest": store.read_manifest(root).to_json(),
        "audit": len(store.read_audit(root)),
        "raw": sorted(p.name for p in raw.rglob("*")) if raw.exists() else [],
    }


def test_a_broken_file_gets_the_report_and_changes_nothing(page, app_url, e2e_data_dir) -> None:
    before = state_of(e2e_data_dir)
    open_upload(page, app_url)
    identify(page, "Eva Ekonom")
    choose_file(page, BROKEN)

    error = page.locator(harness.ERROR_ALERT).first
    error.wait_for()
    assert "Filen har 6 fel och har inte sparats" in error.inner_text()
    assert page.get_by_text("Alla fel, rad för rad").is_visible()
    assert page.get_by_text("Fel per regel").is_visible()
    assert page.get_by_role("button", name="Ladda ner felrapporten (CSV)").is_visible()
    assert page.get_by_role("button", name="Spara uppladdningen").count() == 0
    assert page.locator(harness.EXCEPTION).count() == 0
    assert state_of(e2e_data_dir) == before


def test_a_windows_1252_export_is_stored_and_its_months_appear_on_drift(
    page, app_url, e2e_data_dir, artifacts
) -> None:
    open_upload(page, app_url)
    typed = identify(page, "Anna Ek")
    choose_file(page, GOOD)

    main = harness.main_text(page)
    assert "teckenkodning Windows-1252" in main
    assert "fältavgränsare semikolon" in main
    page.locator('[data-testid="stAlertContentSuccess"]').filter(
        has_text="Filen är felfri"
    ).wait_for()
    harness.screenshot(page, artifacts / "uppladdning_forhandsvisning.png")
    page.get_by_role("button", name="Spara uppladdningen").click()

    saved = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Uppladdning nr")
    saved.wait_for(timeout=30_000)
    assert re.search(r"är sparad: 5\s+rader, 2\s+perioder \(2025-01, 2025-02\)", saved.inner_text())
    # Other browser tests of this package may upload into the same data directory first.
    uploads = store.read_table("uploads", e2e_data_dir)
    uploads = uploads.filter(sha256=hashlib.sha256(GOOD.read_bytes()).hexdigest())
    assert uploads.select("file_name", "encoding", "rows").rows() == [
        ("cp1252_semikolon.csv", "Windows-1252", 5)
    ]
    who = uploads["uploaded_by"][0]
    assert who == typed if typed else who.strip()
    audit = store.read_audit(e2e_data_dir)[-1]
    assert (audit["action"], audit["who"]) == ("uppladdning", who), json.dumps(audit)

    # The drift page's monthly tab now has January and February 2025.
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Driftbudget").click()
    page.wait_for_url(re.compile(r"/drift"))
    harness.wait_idle(page)
    page.get_by_role("tab", name="Utfall per månad").click()
    harness.wait_idle(page)
    panel = page.get_by_role("tabpanel", name="Utfall per månad")
    label = panel.locator('[data-testid="stMetricLabel"]').filter(has_text="Ackumulerat utfall")
    assert label.first.inner_text().strip() == "Ackumulerat utfall t.o.m. månad 2"
    chart = panel.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".xtick").first.wait_for()
    assert chart.locator(".xtick text").all_text_contents() == ["jan", "feb"]
    harness.screenshot(page, artifacts / "drift_askersund_utfall_per_manad.png")
    assert harness.problems_on_page(page) == []


def test_a_partial_correction_offers_replace_or_correct_and_keeps_the_other_rows(
    page, app_url, e2e_data_dir, tmp_path, artifacts
) -> None:
    full = tmp_path / "januari_hel.csv"
    full.write_bytes(
        b"Verksamhet;Period;Belopp\n"
        b"10;2026-01;-100\n11;2026-01;-200\n12;2026-01;-300\n22;2026-01;-400\n44;2026-01;-500\n"
    )
    fix = tmp_path / "januari_rattelse.csv"
    fix.write_bytes(b"Verksamhet;Period;Belopp\n11;2026-01;-250\n44;2026-01;-550\n")
    open_upload(page, app_url)
    identify(page, "Anna Ek")
    choose_file(page, full)
    page.get_by_role("button", name="Spara uppladdningen").click()
    page.locator('[data-testid="stAlertContentSuccess"]').filter(
        has_text=re.compile(r"är sparad: 5\s+rader")
    ).wait_for(timeout=30_000)

    choose_file(page, fix)
    warning = page.locator('[data-testid="stAlertContentWarning"]').filter(
        has_text="rader som gäller nu men som filen inte har"
    )
    warning.wait_for()
    assert re.search(r"Perioden 2026-01 har 3\s+rader", warning.inner_text())
    replace = page.get_by_text("Ersätt hela perioden", exact=True)
    correct = page.get_by_text("Rätta bara raderna i filen", exact=True)
    assert replace.is_visible() and correct.is_visible()
    assert page.get_by_role("button", name="Spara uppladdningen").is_disabled()
    correct.click()
    harness.wait_idle(page)
    harness.screenshot(page, artifacts / "uppladdning_ratta_eller_ersatt.png")
    page.get_by_role("button", name="Spara uppladdningen").click()
    saved = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Uppladdning nr")
    saved.wait_for(timeout=30_000)
    assert "övriga rader står kvar" in saved.inner_text()
    _, outcome = __import__("budgetrummet.upload.storing", fromlist=["load"]).load(e2e_data_dir)
    now = outcome.filter(outcome["current"] & (outcome["period"] == "2026-01"))
    amounts = dict(zip(now["line_key"].to_list(), now["amount_kr"].to_list(), strict=True))
    assert {k: int(v) for k, v in amounts.items()} == {
        "vh10": -100, "vh11": -250, "vh12": -300, "vh22": -400, "vh44": -550,
    }  # fmt: skip
    assert harness.problems_on_page(page) == []


def test_the_file_picker_speaks_swedish(page, app_url, artifacts) -> None:
    open_upload(page, app_url)
    uploader = page.locator('[data-testid="stFileUploader"]')
    uploader.wait_for()
    harness.wait_idle(page)
    harness.screenshot(page, artifacts / "uppladdning_filvaljare.png")
    text = uploader.inner_text()
    assert "Välj fil" in text or "Fil att ladda upp" in text
    assert "per file" not in text and "Drag and drop" not in text
    assert page.get_by_text("Dra filen hit eller klicka på Välj fil", exact=False).is_visible()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(GOOD)
    page.get_by_text("Vald fil: cp1252_semikolon.csv", exact=False).wait_for()
    assert "KB" not in page.locator('[data-testid="stFileChip"]').inner_text()
