"""Fixtures of the browser suite: a private warehouse, ``streamlit run app.py``, Chromium.

The app and the browser are started once for the package and always stopped after its
last test (package scope), so the rest of the suite never runs beside an idle server and
no process outlives the run. Each test gets a fresh browser context (no cookies, no
session), like a new visitor.

Without ``/usr/bin/chromium`` the browser tests are skipped with a loud message, except
under CI (``CI=true``), where a missing browser fails them: CI must never pass by
skipping. ``scripts/ensure_chromium.sh`` (run by ``make test``) installs the browser
where it can.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from budgetrummet import build
from tests.e2e import harness

BROWSER_MISSING = (
    f"E2E-TESTERNA KÖRDES INTE: {harness.CHROMIUM} saknas. Installera Debians chromium "
    "(`sudo apt-get install chromium`, eller kör `make test` som root) – se tests/e2e/README.md."
)
_skipped_for_browser: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    if _skipped_for_browser:
        terminalreporter.section("webbläsartester", sep="!", red=True, bold=True)
        terminalreporter.line(BROWSER_MISSING, red=True, bold=True)
        terminalreporter.line("Alla webbläsartester (markerade e2e) hoppades över.", red=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture(scope="package")
def chromium(request: pytest.FixtureRequest) -> Path:
    """The browser binary; skip (loudly) or, under CI, fail when it is missing."""
    if harness.chromium_available():
        return harness.CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"CI=true men {harness.CHROMIUM} saknas: webbläsartesterna får inte hoppas över i CI."
        )
    _skipped_for_browser.append(request.node.nodeid)
    pytest.skip(BROWSER_MISSING)


@pytest.fixture(scope="package")
def artifacts() -> Path:
    """Where screenshots and the server log go (gitignored ``test-artifacts/e2e``)."""
    path = harness.ARTIFACTS / "e2e"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="package")
def e2e_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse of its own, built from the seed files, that the uploads may change."""
    root = tmp_path_factory.mktemp("e2e_warehouse")
    build.build(root, who="e2e")
    return root


@pytest.fixture(scope="package")
def server(chromium: Path, e2e_data_dir: Path, artifacts: Path) -> Iterator[harness.Server]:
    srv = harness.Server(e2e_data_dir, artifacts / "streamlit.log").start(timeout=90)
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="package")
def browser(chromium: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = harness.launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser, app_url: str, artifacts: Path):
    """A fresh visitor (``harness.fresh_tab``); tests assert on ``page.js_errors``."""
    with harness.fresh_tab(browser, request, artifacts) as tab:
        yield tab


@pytest.fixture(scope="package")
def app_url(server: harness.Server, browser) -> str:
    """The app's address, after one visit to the start page.

    The first session of a fresh server is special (see test_navigation's test of a
    link opened first after a restart); the other tests are about the pages, so they
    start from a server that has served its start page once, as in production.
    """
    context = browser.new_context(viewport=harness.VIEWPORT)
    try:
        harness.goto(context.new_page(), f"{server.url}/")
    finally:
        context.close()
    return server.url
