"""Protokollsbilaga and frozen scenarios in the browser.

A budget committee compares the current levers with a saved scenario and downloads the
comparison as PDF: its text holds the levers and the key numbers (read with pypdf; a
page is also rendered to PNG with pdftoppm, where installed, for a person to look at).
Then the scenario is frozen "as presented", new data is uploaded, and the frozen
scenario reopens exactly as it was, from the data version it was made with.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfReader

from budgetrummet import minutes as mn
from tests.e2e import harness
from tests.e2e.test_upload import GOOD, choose_file, identify, open_upload

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def scenarios(page, app_url: str, **levers: str) -> None:
    harness.goto(page, harness.page_url(app_url, "scenarier", "askersund", **levers))
    assert harness.heading(page) == "Scenarier – Askersund"


def grid_text(locator) -> str:
    locator.locator('[role="gridcell"]').first.wait_for(state="attached")
    return plain(" | ".join(locator.locator('[role="gridcell"]').all_text_contents()))


def choose(page, picker, name: str, attempts: int = 5) -> None:
    """Pick ``name`` in a multiselect (its list may close again while the page reruns)."""
    option = page.get_by_role("option", name=name)
    for _ in range(attempts):
        harness.wait_idle(page)
        picker.click()
        try:
            option.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        option.click()
        harness.wait_idle(page)
        return
    raise AssertionError(f"{name!r} kunde inte väljas")


def test_a_comparison_as_pdf_and_a_frozen_scenario_after_new_data(
    browser, app_url, e2e_data_dir, artifacts, tmp_path
) -> None:
    context = browser.new_context(viewport=harness.VIEWPORT, locale="sv-SE", accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        # A saved scenario to compare with: 2,5 % in 2026.
        scenarios(page, app_url, krav_2026="2.5")
        page.get_by_role("textbox", name="Scenariots namn").fill("KS förslag")
        page.get_by_role("button", name="Spara scenario").click()
        page.get_by_text("Scenariot ”KS förslag” är sparat.").wait_for()

        # The current levers: 1,0 % in 2026, compared side by side with the saved one.
        scenarios(page, app_url, krav_2026="1")
        picker = page.get_by_role("combobox", name="Välj två eller fler")
        for name in ("Aktuella reglage", "KS förslag"):
            choose(page, picker, name)
        page.keyboard.press("Escape")
        # The comparison's button comes before the current scenario's (under Dela).
        button = page.get_by_role("button", name="Protokollsbilaga (PDF)").first
        with page.expect_download() as download:
            button.click()
        pdf = download.value.path().read_bytes()
        (artifacts / "protokollsbilaga_jamforelse.pdf").write_bytes(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        text = plain("\n".join(p.extract_text() for p in reader.pages))
        for expected in (
            "Protokollsbilaga: jämförelse av scenarier – Askersund",
            "Aktuella reglage: Krav 2026 1,0 %.",
            "KS förslag: Krav 2026 2,5 %.",
            "−118 423 tkr",  # net cost 2026 at 1,0 %: 119 573 − 1 150
            "−116 697 tkr",  # net cost 2026 at 2,5 %: 119 573 − 2 876
            "Dataversion: " + mn.data_version(e2e_data_dir).id,
        ):
            assert expected in text, expected
        if shutil.which("pdftoppm"):
            out = artifacts / "protokollsbilaga_jamforelse"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "70",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    str(artifacts / "protokollsbilaga_jamforelse.pdf"),
                    str(out),
                ],
                check=True,
            )
            assert list(artifacts.glob("protokollsbilaga_jamforelse*.png"))

        # Freeze the current scenario as presented.
        page.get_by_role("textbox", name="Namn på det frysta scenariot").fill("Presenterat i KS")
        page.get_by_role("button", name="Frys scenariot").click()
        page.get_by_text("Scenariot är fryst som presenterat.").wait_for()
        harness.wait_idle(page)
        frozen = page.locator('[data-testid="stExpander"]').filter(has_text="Presenterat i KS")
        before_tables = [grid_text(g) for g in frozen.locator('[data-testid="stDataFrame"]').all()]
        before_caption = plain(
            frozen.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        )
        assert "−118 423 tkr" in before_tables[0]
        version = mn.data_version(e2e_data_dir).id
        assert f"dataversion {version}" in before_caption

        # New data arrives: an upload publishes a new version of the data.
        open_upload(page, app_url)
        identify(page, "Anna Ek")
        # A file of its own (one more line end than the upload fixture), so that it is
        # new data whichever test uploaded the fixture before.
        fresh = tmp_path / GOOD.name
        fresh.write_bytes(GOOD.read_bytes().rstrip(b"\r\n") + b"\r\n\r\n")
        choose_file(page, fresh)
        page.get_by_role("button", name="Spara uppladdningen").click()
        page.locator('[data-testid="stAlertContentSuccess"]').filter(
            has_text="Uppladdning nr"
        ).wait_for()
        assert mn.data_version(e2e_data_dir).id != version

        # The frozen scenario reopens as it was presented.
        scenarios(page, app_url)
        frozen = page.locator('[data-testid="stExpander"]').filter(has_text="Presenterat i KS")
        frozen.first.wait_for()
        frozen.first.scroll_into_view_if_needed()
        frozen.locator('[data-testid="stDataFrame"]').first.wait_for()
        after_tables = [grid_text(g) for g in frozen.locator('[data-testid="stDataFrame"]').all()]
        after_caption = plain(
            frozen.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        )
        assert after_tables == before_tables
        assert after_caption == before_caption
        harness.screenshot(page, artifacts / "scenarier_fryst_efter_uppladdning.png")
        assert harness.problems_on_page(page) == []
    finally:
        context.close()
