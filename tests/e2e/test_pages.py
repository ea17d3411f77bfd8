"""Every registered page, for both organisations, as a visitor's browser shows it.

AppTest runs the scripts but draws nothing; here Chromium renders each page from
``streamlit run app.py``: the page's own title, no exception, no error box, no
uncaught JavaScript error, and every Plotly chart actually drawn. A full-page
screenshot of each is kept under ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ORGS = {"askersund": "Askersund", "lerum": "Lerum"}
PAGES = harness.registered_pages()
# The first page is the default: Streamlit serves it at "/" and ignores its url_path
# (a link to "/oversikt" gets "Page not found"), so it is opened the way users open it.
ADDRESS = {url: "" if i == 0 else url for i, (*_rest, url) in enumerate(PAGES)}


@pytest.mark.parametrize("org", list(ORGS))
@pytest.mark.parametrize(
    ("file", "title", "url_path"),
    [(file, title, url) for file, title, _icon, url in PAGES],
    ids=[url for *_rest, url in PAGES],
)
def test_page_loads_cleanly(page, app_url, artifacts, file, title, url_path, org) -> None:
    harness.goto(page, harness.page_url(app_url, ADDRESS[url_path], org))
    assert harness.heading(page) == f"{title} – {ORGS[org]}"
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        # A chart in a tab that is not shown is drawn too; wait for its SVG to exist.
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached", timeout=15_000)
    harness.screenshot(page, artifacts / f"{url_path}_{org}.png")
    assert harness.problems_on_page(page) == [], file


def test_the_start_page_is_the_overview(page, app_url) -> None:
    harness.goto(page, f"{app_url}/")
    assert harness.heading(page) == "Översikt – Askersund"
