"""Moving around as a user does: the organisation switch, the sidebar, shared links."""

from __future__ import annotations

import re

import pytest

from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def without_names(text: str) -> str:
    return text.replace("Askersund", "").replace("Lerum", "")


def choose_organisation(page, name: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name=name, exact=True).click()
    harness.wait_idle(page)


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_switching_organisation_changes_what_is_shown(page, app_url) -> None:
    harness.goto(page, f"{app_url}/?org=askersund")
    assert harness.heading(page) == "Översikt – Askersund"
    askersund = harness.main_text(page)

    choose_organisation(page, "Lerum")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMain] h2')?.innerText.includes('Lerum')"
    )
    assert harness.heading(page) == "Översikt – Lerum"
    assert "org=lerum" in page.url, "the choice goes into the address, so a link keeps it"
    # Not just the name: the tiles show Lerum's documents (no forecast, other goals).
    assert without_names(harness.main_text(page)) != without_names(askersund)

    # The choice follows the user to another page through the sidebar.
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Datakvalitet").click()
    page.wait_for_url(re.compile(r"/datakvalitet\?org=lerum"))
    harness.wait_idle(page)
    assert harness.heading(page) == "Datakvalitet – Lerum"
    assert metric(page, "Motsägelser") == "0"

    choose_organisation(page, "Askersund")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMain] h1')?.innerText.includes('Askersund')"
    )
    assert metric(page, "Motsägelser") == "15"
    assert harness.problems_on_page(page) == []


def test_a_link_opened_first_after_a_restart_shows_its_page_and_organisation(
    browser, e2e_data_dir, artifacts
) -> None:
    server = harness.Server(e2e_data_dir, artifacts / "streamlit_restart.log").start(timeout=90)
    context = browser.new_context(viewport=harness.VIEWPORT, locale="sv-SE")
    try:
        page = context.new_page()
        for url_path, title in (("drift", "Driftbudget"), ("mal", "Mål")):
            harness.goto(page, harness.page_url(server.url, url_path, "lerum"))
            assert (harness.heading(page), harness.problems_on_page(page)) == (
                f"{title} – Lerum",
                [],
            )
    finally:
        context.close()
        server.stop()


def test_the_browser_fetches_nothing_from_outside_the_server(page, app_url) -> None:
    """No fonts, icons or scripts from the internet: a municipal network may block them,
    and a visit to the budget room should not be announced to anyone else."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^\w+://([^/:]+).*$", r"\1", request.url)))
    for url_path in ("", "drift", "scenarier"):
        harness.goto(page, f"{app_url}/{url_path}?org=askersund")
        page.wait_for_timeout(1500)  # let late requests (favicon, fonts) go out
    hosts.discard("")  # data: and blob: URLs
    assert {h for h in hosts if not h.startswith(("data", "blob"))} == {"127.0.0.1"}


def test_the_overview_answers_at_its_own_address_and_at_the_root(page, app_url) -> None:
    """Streamlit serves its default page only at ``/``; ``/oversikt`` (the menu's address
    for Översikt) must show the overview too, without "Page not found"."""
    for path in ("oversikt", ""):
        harness.goto(page, f"{app_url}/{path}?org=lerum")
        assert harness.heading(page) == "Översikt – Lerum", path
        assert "/oversikt?org=lerum" in page.url
        assert not page.get_by_text("Page not found").count()
        assert harness.problems_on_page(page) == []
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Översikt")
    assert link.get_attribute("href").endswith("/oversikt")


def test_the_organisation_in_a_link_is_matched_without_case_or_named(page, app_url) -> None:
    harness.goto(page, f"{app_url}/drift?org=LERUM")
    assert harness.heading(page) == "Driftbudget – Lerum"
    harness.goto(page, f"{app_url}/drift?org=xyz")
    assert harness.heading(page) == "Driftbudget – Askersund"
    assert page.get_by_text("Länken anger organisationen ”xyz”").is_visible()
