"""The real app in a real browser: start ``streamlit run app.py``, drive Debian's Chromium.

Shared by the end-to-end suite (``tests/e2e``) and the benchmark (``bench/``), so both
measure and test the same thing: the server is started exactly as ``make run`` starts
it (plus a private data directory, a free loopback port and no file watcher), and the
browser is Debian's ``/usr/bin/chromium`` launched through Playwright with the flags
STACK.md lists (``playwright install`` needs the internet and does not work here).

Every server this module starts runs in its own process group and is stopped with
``Server.stop`` (terminate, then kill), so a test or a benchmark never leaves a
process behind.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BUDGETRUMMET_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("BUDGETRUMMET_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The router under test; another file only to try an unregistered page (scratch router).
APP = os.environ.get("BUDGETRUMMET_E2E_APP", "app.py")
VIEWPORT = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Streamlit's own test ids (checked against streamlit 1.67's frontend bundle).
EXCEPTION = '[data-testid="stException"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'
CHART = '[data-testid="stPlotlyChart"] .main-svg'
MAIN = '[data-testid="stMain"]'
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def free_port() -> int:
    """A free TCP port on the loopback interface (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when the parent dies, so a
    server outlives neither a killed test run nor a killed benchmark (teardown covers
    every normal exit)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class ServerError(RuntimeError):
    """The app did not come up; the message carries the end of its log."""


@dataclass
class Server:
    """One ``streamlit run app.py`` on 127.0.0.1 over the data directory ``data_dir``."""

    data_dir: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    script: str = APP
    proc: subprocess.Popen | None = None
    # More ``streamlit run`` options, e.g. ``("--secrets.files", "/tmp/x/secrets.toml")``
    # for a server with sign-in configured (tests/e2e/test_login.py).
    extra_args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        env = dict(os.environ)
        env["BUDGETRUMMET_DATA_DIR"] = str(self.data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            # No reruns when a file in the tree changes while the suite runs.
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
            *self.extra_args,
        ]
        if "--secrets.files" not in self.extra_args:
            # Local mode whatever a developer keeps in the repo's .streamlit/secrets.toml:
            # a secrets file that does not exist means no [auth] section.
            command += ["--secrets.files", str(self.data_dir / "ingen_secrets.toml")]
        self.proc = spawn(command, env, self.log_path)
        try:
            wait_until_answering(
                f"{self.url}/_stcore/health", self.proc, timeout, "streamlit", self.log_tail
            )
        except BaseException:
            self.stop()
            raise
        return self

    def log_tail(self, lines: int = 40) -> str:
        return tail(self.log_path, lines)

    def rss_kib(self) -> tuple[int, int]:
        """(current, peak) resident memory of the server process in KiB (VmRSS, VmHWM)."""
        if self.proc is None:
            return (0, 0)
        fields = {}
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as fh:
            for line in fh:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0])
        return fields.get("VmRSS", 0), fields.get("VmHWM", 0)

    def stop(self) -> None:
        """Terminate the server's process group, then kill it if it does not stop."""
        proc, self.proc = self.proc, None
        stop_group(proc)


def tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a log file ("" when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def spawn(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """Start ``command`` in the repository, in a process group of its own (so stopping it
    stops its children) that dies with this process, output to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def wait_until_answering(
    url: str,
    proc: subprocess.Popen,
    timeout: float,
    name: str,
    log_tail: Callable[[], str],
) -> None:
    """Poll ``url`` until it answers 200; raise ``ServerError`` with the log's end if the
    process exits or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"{name} avslutades med kod {proc.returncode}:\n{log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    raise ServerError(f"{name} svarade inte på {url} inom {timeout:.0f} s:\n{log_tail()}")


def stop_group(proc: subprocess.Popen | None) -> None:
    """Terminate a process started with ``start_new_session``, then kill it if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@dataclass
class OidcProvider:
    """A local OpenID Connect provider (``oidc-provider-mock``) on 127.0.0.1.

    Any client id and secret are accepted. Its authorize page offers one button per
    predefined user (``users``: claims with ``sub``, e.g. ``email`` and ``name``); a
    click sends the browser back to the client's ``redirect_uri`` with a code. Runs in
    its own process group like ``Server`` and is stopped with ``stop``.
    """

    log_path: Path
    users: tuple[dict[str, str], ...] = ()
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def start(self, timeout: float = 30.0) -> OidcProvider:
        command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1"]
        command += ["--port", str(self.port)]
        for claims in self.users:
            command += ["--user-claims", json.dumps(claims, ensure_ascii=False)]
        env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        self.proc = spawn(command, env, self.log_path)
        try:
            wait_until_answering(
                self.metadata_url,
                self.proc,
                timeout,
                "oidc_provider_mock",
                lambda: tail(self.log_path),
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        stop_group(proc)


def launch(playwright, **kwargs):
    """Debian's Chromium through Playwright, headless, with the flags from STACK.md."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True, **kwargs
    )


def script_state(page) -> str | None:
    """Streamlit's script state on the app root: initial, running, notRunning, …"""
    return page.get_attribute('[data-testid="stApp"]', "data-test-script-state")


def wait_idle(page, timeout: float = 60.0, quiet: float = 0.5) -> None:
    """Wait until the script run has finished: the app root reports ``notRunning`` and
    has kept reporting it for ``quiet`` seconds (a rerun triggered by a widget starts
    within that time)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    calm_since = None
    while time.monotonic() < deadline:
        if script_state(page) == "notRunning":
            calm_since = calm_since or time.monotonic()
            if time.monotonic() - calm_since >= quiet:
                return
        else:
            calm_since = None
        time.sleep(0.05)
    raise TimeoutError(
        f"sidan blev inte klar inom {timeout:.0f} s: {page.url} ({script_state(page)})"
    )


def registered_pages(app: Path = REPO_ROOT / APP) -> list[tuple[str, str, str, str]]:
    """The router's ``PAGES`` (file, title, icon, url path), read from app.py's source, so
    the suite follows whatever is registered without importing Streamlit code."""
    tree = ast.parse(app.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            return [tuple(p) for p in ast.literal_eval(node.value)]
    raise LookupError("app.py har ingen PAGES-lista")


def page_url(base: str, url_path: str, org: str, **params: str) -> str:
    query = urllib.parse.urlencode({"org": org, **params})
    return f"{base}/{url_path}?{query}"


def goto(page, url: str, timeout: float = 60.0) -> None:
    """Open ``url`` and wait until the script run has finished."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    wait_idle(page, timeout)


def heading(page) -> str:
    """The page's own title (the sidebar's "Budgetrummet" is not part of it)."""
    return page.locator(f"{MAIN} h1, {MAIN} h2").first.inner_text().strip()


def main_text(page) -> str:
    return page.locator(MAIN).inner_text()


def problems_on_page(page) -> list[str]:
    """Exceptions, error boxes and uncaught JavaScript errors on the page."""
    found = [f"undantag: {t}" for t in page.locator(EXCEPTION).all_inner_texts()]
    found += [f"felruta: {t}" for t in page.locator(ERROR_ALERT).all_inner_texts()]
    found += [f"javascript: {t}" for t in getattr(page, "js_errors", [])]
    found += [
        f"dialogruta: {t}"
        for t in page.locator('[role="dialog"]').all_inner_texts()
        if "not found" in t or "Error" in t
    ]
    text = main_text(page)
    found += [f"text: {w}" for w in ("Traceback", "Exception:", "Error:") if w in text]
    return found


def screenshot(page, path: Path, max_height: int = 9000) -> None:
    """The whole page as one image. Streamlit scrolls inside its main container, so a
    "full page" screenshot stops at the window: the window is made as tall as the
    content for the picture, then put back."""
    size = page.viewport_size or VIEWPORT
    height = page.evaluate(
        "sel => Math.max(...[...document.querySelectorAll(sel)].map(e => e.scrollHeight))",
        f"{MAIN}, [data-testid='stSidebarContent']",
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), max_height)}
    )
    try:
        page.wait_for_timeout(300)
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path)
    finally:
        page.set_viewport_size(size)


def focus(locator, timeout: float = 20.0) -> None:
    """Give ``locator`` keyboard focus and make sure it kept it.

    Right after a script run Streamlit may still re-render parts of the page, which can
    take focus away again; a key pressed then would go nowhere."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        locator.focus()
        if locator.evaluate("element => element === document.activeElement"):
            return
        time.sleep(0.2)
    raise TimeoutError("elementet fick inte behålla fokus")


@contextlib.contextmanager
def fresh_tab(browser, request, artifacts: Path):
    """A fresh visitor: a new context (no session, no cookies) at laptop size, Swedish
    locale. Uncaught JavaScript errors are collected in ``tab.js_errors``. A failed test
    leaves a screenshot of what the browser showed (``FEL_<test>.png``)."""
    context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    tab.js_errors = []
    tab.on("pageerror", lambda error: tab.js_errors.append(str(error)))
    try:
        yield tab
        if getattr(request.node, "e2e_failed", False):
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            tab.screenshot(path=artifacts / f"FEL_{name}.png", full_page=True)
    finally:
        context.close()
