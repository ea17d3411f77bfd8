"""DNS rebinding against the local-mode server, for real.

A web page on ``evil.example`` can make its own name resolve to 127.0.0.1 and then talk
to a server on this machine as if it were same-origin: the browser sends
``Host: evil.example:<port>`` and ``Origin: http://evil.example:<port>``. Two layers stop
it, and each is tried here against ``streamlit run app.py``:

1. ``server.allowedHosts`` in .streamlit/config.toml: Streamlit refuses the websocket
   (``/_stcore/stream``) for a foreign Host, so the page never gets a session. Tried
   with a raw websocket client (the handshake a rebinding browser sends) and with
   Chromium resolving ``evil.example`` to 127.0.0.1.
2. With that list opened to any host (``--server.allowedHosts "*"``, as a careless
   deployment might), the app still judges the connection itself: the visitor only
   reads and the sidebar says why.

A normal loopback visit still gets a session and is the local admin.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from budgetrummet import build
from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EVIL = "evil.example"
SIDEBAR = '[data-testid="stSidebarContent"]'
STREAM = "/_stcore/stream"
SCENARIOS = next(p for p in harness.registered_pages() if p[0] == "views/scenarios.py")


def _handshake(port: int, host: str) -> int:
    """Open the app's websocket on 127.0.0.1:``port`` as a browser at ``host`` would
    (Host and a same-origin Origin naming ``host``); the HTTP status of the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        with connect(
            f"ws://{host}:{port}{STREAM}",
            sock=sock,
            origin=f"http://{host}:{port}",
            subprotocols=["streamlit"],
            open_timeout=10,
        ) as ws:
            assert ws.response is not None
            return ws.response.status_code
    except InvalidStatus as exc:
        return exc.response.status_code
    finally:
        sock.close()


def test_a_websocket_with_a_foreign_host_is_refused(server: harness.Server) -> None:
    assert _handshake(server.port, EVIL) == 403
    assert _handshake(server.port, f"127.0.0.1.{EVIL}") == 403
    # The same handshake with this machine's names is accepted (101 Switching Protocols).
    assert _handshake(server.port, "127.0.0.1") == 101
    assert _handshake(server.port, "localhost") == 101


@pytest.fixture(scope="module")
def rebinding_browser(browser):
    """Chromium that resolves evil.example to 127.0.0.1, as after a rebinding attack
    (started through the suite's Playwright, which allows one instance per thread)."""
    rebound = browser.browser_type.launch(
        executable_path=str(harness.CHROMIUM),
        args=[*harness.LAUNCH_ARGS, f"--host-resolver-rules=MAP {EVIL} 127.0.0.1"],
        headless=True,
    )
    try:
        yield rebound
    finally:
        rebound.close()


def _sidebar(tab) -> str:
    return tab.locator(SIDEBAR).inner_text()


def test_a_rebinding_page_gets_no_session(
    server: harness.Server, rebinding_browser, request, artifacts: Path
) -> None:
    with harness.fresh_tab(rebinding_browser, request, artifacts) as tab:
        # The HTML comes (plain HTTP), but the websocket is refused: nothing of the app
        # renders, in particular not "du är administratör".
        tab.goto(f"http://{EVIL}:{server.port}/", wait_until="domcontentloaded")
        tab.wait_for_timeout(5000)
        assert tab.locator(SIDEBAR).count() == 0
        assert "administratör" not in tab.locator("body").inner_text()


def test_a_loopback_visit_is_the_local_admin(page, app_url: str) -> None:
    harness.goto(page, f"{app_url}/")
    assert "Lokalt läge – du är administratör" in _sidebar(page)
    assert not harness.problems_on_page(page)


@pytest.fixture(scope="module")
def open_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> Iterator[harness.Server]:
    """A server whose Host check is switched off, to try the app's own judgement."""
    root = tmp_path_factory.mktemp("rebinding_warehouse")
    build.build(root, who="e2e")
    srv = harness.Server(
        root, artifacts / "streamlit_any_host.log", extra_args=("--server.allowedHosts", "*")
    ).start(timeout=90)
    try:
        yield srv
    finally:
        srv.stop()


def test_with_any_host_allowed_a_rebinding_visitor_only_reads(
    open_server: harness.Server, rebinding_browser, request, artifacts: Path
) -> None:
    assert _handshake(open_server.port, EVIL) == 101, "the server's Host check is off here"
    with harness.fresh_tab(rebinding_browser, request, artifacts) as tab:
        evil_url = f"http://{EVIL}:{open_server.port}"
        harness.goto(tab, harness.page_url(evil_url, SCENARIOS[3], "askersund"))
        sidebar = _sidebar(tab)
        assert "Lokalt läge – du kan bara läsa" in sidebar, sidebar
        assert EVIL in sidebar and "administratör" not in sidebar
        assert "Du når appen utan lokal åtkomst" in harness.main_text(tab)
    with harness.fresh_tab(rebinding_browser, request, artifacts) as tab:
        harness.goto(tab, f"{open_server.url}/")
        assert "Lokalt läge – du är administratör" in _sidebar(tab)
