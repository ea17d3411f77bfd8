"""Browser-side measurements against ``streamlit run app.py``: first chart, slider, memory.

* Cold load: a new browser context (empty cache, new session) opens a page and the
  clock stops when the first Plotly chart has drawn its SVG. The first load of a page
  after the server started also fills the server's data cache; later loads reuse it.
* Slider: the thumb of a lever gets focus and ArrowRight. Two times per press: the
  fragment's own rerun, from the browser's rerun request to the server's "fragment
  finished" message (read from the websocket, so it is server time plus loopback), and
  the time until the new savings figure is on screen.
* Fragment floor: the same on a minimal app (``bench/fragment_floor_app.py``): what a
  fragment rerun costs in Streamlit itself, with 10 and with 125 elements.
* Memory: a fresh server, one warm-up visit, then 20 browser contexts (one Chromium)
  each open a page for a different organisation at once and then move to another
  page through the sidebar, like 20 people in a meeting clicking around. The server's
  peak resident memory (VmHWM, which the kernel keeps) is read afterwards.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from pathlib import Path

from bench.measure import median_ms, p95_ms
from tests.e2e import harness

# True once the savings line (the markdown that starts "Effektiviseringskrav (") differs
# from the text it had before the key press.
CHANGED = (
    "([old]) => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
    ".some(e => e.innerText.startsWith('Effektiviseringskrav (') && e.innerText !== old)"
)


def _context(browser):
    context = browser.new_context(viewport=harness.VIEWPORT, locale="sv-SE")
    context.set_default_timeout(60_000)
    return context


def warm_up(browser, url: str) -> None:
    """One visit to the start page (the server's first session; see test_navigation)."""
    context = _context(browser)
    try:
        harness.goto(context.new_page(), f"{url}/", timeout=180)
    finally:
        context.close()


def cold_loads(browser, url: str, targets: list[tuple[str, str, str]], repeat: int) -> list[dict]:
    """(title, url_path, org) -> time to the first drawn chart, ``repeat`` fresh visits.

    Also when the server said the script run was finished (read from the websocket),
    which splits the wait into server and browser: the rest is loading Streamlit's and
    Plotly's JavaScript into an empty cache and drawing.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: TID251

    out = []
    for title, url_path, org in targets:
        times, finished = [], []
        for _ in range(repeat):
            context = _context(browser)
            done: list[float] = []

            def on_socket(ws, done=done) -> None:
                def received(payload) -> None:
                    if isinstance(payload, bytes | bytearray):
                        msg = ForwardMsg()
                        msg.ParseFromString(payload)
                        if msg.WhichOneof("type") == "script_finished":
                            done.append(time.perf_counter())

                ws.on("framereceived", received)

            try:
                page = context.new_page()
                page.on("websocket", on_socket)
                start = time.perf_counter()
                page.goto(harness.page_url(url, url_path, org), wait_until="commit")
                page.locator(harness.CHART).first.wait_for(state="visible")
                times.append(time.perf_counter() - start)
                if done:
                    finished.append(done[0] - start)
            finally:
                context.close()
        out.append(
            {
                "page": title,
                "org": org,
                "first_ms": round(times[0] * 1000),
                "later_median_ms": round(statistics.median(times[1:]) * 1000)
                if len(times) > 1
                else None,
                "script_finished_median_ms": round(statistics.median(finished) * 1000)
                if finished
                else None,
                "loads": len(times),
            }
        )
    return out


class FragmentClock:
    """Times fragment reruns from the websocket: request sent -> "fragment finished".

    Attach it to a page before the page opens its websocket (``page.on("websocket",
    clock.on_socket)``); ``press`` then moves a slider with the keyboard and waits for
    the watched text to change.
    """

    def __init__(self) -> None:
        self.sent: list[float] = []
        self.done: list[float] = []

    def on_socket(self, ws) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: TID251
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: TID251

        def sent(payload) -> None:
            if isinstance(payload, bytes | bytearray):
                msg = BackMsg()
                msg.ParseFromString(payload)
                if msg.WhichOneof("type") == "rerun_script" and msg.rerun_script.fragment_id:
                    self.sent.append(time.perf_counter())

        def received(payload) -> None:
            if isinstance(payload, bytes | bytearray):
                msg = ForwardMsg()
                msg.ParseFromString(payload)
                if (
                    msg.WhichOneof("type") == "script_finished"
                    and msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                ):
                    self.done.append(time.perf_counter())

        ws.on("framesent", sent)
        ws.on("framereceived", received)

    def press(self, page, thumb, watched, changed_js: str, presses: int) -> dict:
        """``presses`` key presses (right, then back left); the two times per press."""
        visible = []
        for i in range(presses):
            before = watched.inner_text()
            harness.focus(thumb)
            start = time.perf_counter()
            page.keyboard.press("ArrowRight" if i < (presses + 1) // 2 else "ArrowLeft")
            page.wait_for_function(changed_js, arg=[before], polling="raf")
            visible.append(time.perf_counter() - start)
            page.wait_for_timeout(400)  # let the fragment finish before the next key
        runs = [done - sent for sent, done in zip(self.sent, self.done, strict=False)]
        runs = [r for r in runs if r >= 0]
        return {
            "presses": presses,
            "fragment_runs": len(runs),
            "fragment_median_ms": median_ms(runs) if runs else None,
            "fragment_p95_ms": p95_ms(runs) if runs else None,
            "to_screen_median_ms": median_ms(visible),
            "to_screen_p95_ms": p95_ms(visible),
        }


def slider(browser, url: str, url_path: str, org: str, presses: int) -> dict:
    """Keyboard on the 2026 requirement lever of Scenarier: fragment and screen times."""
    context = _context(browser)
    clock = FragmentClock()
    try:
        page = context.new_page()
        page.on("websocket", clock.on_socket)
        harness.goto(page, harness.page_url(url, url_path, org), timeout=180)
        watched = (
            page.locator('[data-testid="stMarkdownContainer"]')
            .filter(has_text="Effektiviseringskrav (")
            .first
        )
        thumb = page.locator('[data-testid="stSlider"] input[type="range"]').nth(1)
        return {"org": org} | clock.press(page, thumb, watched, CHANGED, presses)
    finally:
        context.close()


FLOOR_CHANGED = (
    "([old]) => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
    ".some(e => e.innerText.startsWith('Rad 0:') && e.innerText !== old)"
)


def fragment_floor(
    playwright,
    data_dir: Path,
    log_path: Path,
    variants: tuple[tuple[int, bool], ...],
    presses: int,
):
    """The same measurement on ``bench/fragment_floor_app.py``: a fragment with only a
    slider and ``n`` markdown lines (and, where asked, one small Plotly chart, as the
    Scenarier fragment has), i.e. Streamlit's own cost of a fragment rerun."""
    server = harness.Server(data_dir, log_path, script="bench/fragment_floor_app.py")
    server.start(timeout=120)
    browser = harness.launch(playwright)
    try:
        out = []
        for n, chart in variants:
            context = _context(browser)
            clock = FragmentClock()
            try:
                page = context.new_page()
                page.on("websocket", clock.on_socket)
                harness.goto(page, f"{server.url}/?n={n}" + ("&chart=1" if chart else ""))
                watched = (
                    page.locator('[data-testid="stMarkdownContainer"]')
                    .filter(has_text="Rad 0:")
                    .first
                )
                thumb = page.get_by_role("slider")
                out.append(
                    {"elements": n + 1, "chart": chart}
                    | clock.press(page, thumb, watched, FLOOR_CHANGED, presses)
                )
            finally:
                context.close()
        return out
    finally:
        browser.close()
        server.stop()


def _settled(tab, broken: dict[int, list[str]], i: int, until: float) -> bool:
    """Wait (at most until the monotonic time ``until``) for the session's script run to
    finish; a run that does not finish in time is counted as an error, not waited for."""
    timeout = max(5.0, until - time.monotonic())
    try:
        harness.wait_idle(tab, timeout=timeout)
    except TimeoutError:
        broken[i] = [f"körningen blev inte klar inom tidsgränsen: {tab.url}"]
        return False
    return True


class _Sampler(threading.Thread):
    """Reads the server's resident memory every 100 ms (the peak comes from VmHWM)."""

    def __init__(self, server: harness.Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.samples: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.1):
            try:
                self.samples.append(self.server.rss_kib()[0])
            except OSError:
                return


def concurrent_sessions(
    playwright,
    data_dir: Path,
    log_path: Path,
    pages: list[tuple[str, str]],
    orgs: list[str],
    sessions: int,
    views: int = 2,
    budget_s: float = 240,
    replicas: int = 1,
) -> dict:
    """Peak server memory while ``sessions`` browsers each visit ``views`` pages.

    With ``replicas`` servers (each its own ``streamlit run`` process) on the same data
    directory the sessions are spread over them in turn (as a load balancer would); each
    server's memory is reported (the top-level figures are the first server's), and after
    the load one replica commits an upload through its Uppladdning page while a session
    on another replica waits to see it (``replica_commit``). All waiting together is
    bounded by ``budget_s`` (the benchmark's ten minutes): a session still running then
    is reported, not waited for."""
    servers = [
        harness.Server(
            data_dir, log_path if k == 0 else log_path.with_name(f"{log_path.stem}_{k}.log")
        )
        for k in range(replicas)
    ]
    for replica in servers:
        replica.start(timeout=180)
    server = servers[0]
    browser = harness.launch(playwright)
    samplers = [_Sampler(replica) for replica in servers]
    sampler = samplers[0]
    contexts = []
    try:
        for replica in servers:
            warm_up(browser, replica.url)
        baselines = [replica.rss_kib()[0] for replica in servers]
        baseline = baselines[0]
        for each in samplers:
            each.start()
        start = time.perf_counter()
        until = time.monotonic() + budget_s
        tabs = []
        for i in range(sessions):
            context = _context(browser)
            contexts.append(context)
            tab = context.new_page()
            _title, url_path = pages[i % len(pages)]
            url = servers[i % replicas].url
            tab.goto(harness.page_url(url, url_path, orgs[i % len(orgs)]), wait_until="commit")
            tabs.append(tab)
        first = []
        broken: dict[int, list[str]] = {}
        for i, tab in enumerate(tabs):
            if not _settled(tab, broken, i, until):
                continue
            first.append(time.perf_counter() - start)
            problems = harness.problems_on_page(tab)
            if problems or tab.locator('[data-testid="stSidebarNav"]').count() == 0:
                broken[i] = problems or ["ingen sidomeny: appen kraschade"]
        # One more page each, through the sidebar (same session, as a user clicks). A
        # session whose page failed is counted and left alone.
        for step in range(1, views):
            for i, tab in enumerate(tabs):
                if i in broken:
                    continue
                title, _url = pages[(i + step) % len(pages)]
                tab.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
            for i, tab in enumerate(tabs):
                if i in broken or not _settled(tab, broken, i, until):
                    continue
                problems = harness.problems_on_page(tab)
                if problems:
                    broken[i] = problems
        elapsed = time.perf_counter() - start
        errors = [
            line.strip()
            for replica in servers
            for line in replica.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
            if "Error:" in line and not line.startswith(" ")
        ]
        for each in samplers:
            each.stop.set()
            each.join(timeout=5)
        current, peak = server.rss_kib()
        memory = [replica.rss_kib() for replica in servers]
        result = {
            "replicas": replicas,
            "sessions": sessions,
            "page_views": sessions * views,
            "organisations": len(set(orgs[:sessions])),
            "seconds": round(elapsed, 1),
            "first_page_all_done_s": round(max(first), 1) if first else None,
            "baseline_rss_mib": round(baseline / 1024),
            "peak_rss_mib": round(peak / 1024),
            "peak_sampled_during_mib": round(max(sampler.samples, default=0) / 1024),
            "rss_after_mib": round(current / 1024),
            "sessions_with_errors": len(broken),
            "session_errors": {str(i): p[:2] for i, p in sorted(broken.items())},
            "server_errors": sorted(set(errors))[:5],
        }
        if replicas > 1:
            result["pids"] = [replica.proc.pid for replica in servers if replica.proc]
            result["ports"] = [replica.port for replica in servers]
            result["baseline_rss_mib_per_replica"] = [round(b / 1024) for b in baselines]
            result["peak_rss_mib_per_replica"] = [round(p / 1024) for _c, p in memory]
            result["rss_after_mib_per_replica"] = [round(c / 1024) for c, _p in memory]
            result["sessions_per_replica"] = [
                len(range(k, sessions, replicas)) for k in range(replicas)
            ]
            try:
                result["commit_seen_by_other"] = replica_commit(
                    browser, servers[0].url, servers[1].url, orgs[0]
                )
            except Exception as exc:  # a failed check is a result, not a stop
                result["commit_seen_by_other"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        return result
    finally:
        for each in samplers:
            each.stop.set()
        for context in contexts:
            context.close()
        browser.close()
        for replica in servers:
            replica.stop()


def _open(browser, url: str):
    context = _context(browser)
    page = context.new_page()
    harness.goto(page, url, timeout=120)
    harness.wait_idle(page)
    return context, page


def _navigate(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    harness.wait_idle(page)


def _history_text(page) -> str:
    """The Uppladdning page's history tab (its tables render only when the tab shows)."""
    page.get_by_role("tab", name="Historik och ångra").click()
    harness.wait_idle(page)
    return page.locator(harness.MAIN).text_content() or ""


def replica_commit(browser, writer_url: str, reader_url: str, org: str) -> dict:
    """An upload saved on one replica's Uppladdning page, seen on another replica's.

    A session on the reading replica has Uppladdning open (history tab rendered) before
    the commit. After the writer's page confirms "Uppladdning nr N är sparad", the reader
    moves to Översikt and back through the sidebar (reruns in the same session on a
    server that was not restarted) and opens the history tab, until the tab lists the
    new file; the clock runs from the confirmation to that moment (two page runs and a
    tab switch included). At most ``tries`` round trips."""
    tries = 5
    name = f"replik_{int(time.time())}.csv"
    # Four verksamheter of the organisation's own catalogue, a month of the last year the
    # warehouse has (the page asks whether to replace or correct a loaded period).
    body = "Verksamhet;Period;Belopp\n" + "".join(
        f"{code};2026-01;-{100 + i + int(time.time()) % 1000}\n"
        for i, code in enumerate(("10", "11", "12", "22"))
    )
    reader_ctx, reader = _open(browser, harness.page_url(reader_url, "uppladdning", org))
    writer_ctx, writer = _open(browser, harness.page_url(writer_url, "uppladdning", org))
    try:
        # The same round trip before the commit: what the reader's reruns cost anyway.
        start = time.perf_counter()
        _navigate(reader, "Översikt")
        _navigate(reader, "Uppladdning")
        before = _history_text(reader)
        round_trip = time.perf_counter() - start
        box = writer.get_by_role("textbox", name="Ditt namn")
        if box.count():
            box.fill("Mätning")
            box.press("Enter")
            harness.wait_idle(writer)
        chooser = writer.locator('[data-testid="stFileUploader"] input[type="file"]')
        chooser.set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": body.encode("cp1252")}
        )
        writer.get_by_text("Beloppen i filen är i", exact=True).wait_for()
        harness.wait_idle(writer)
        writer.get_by_text("kronor (kr)", exact=True).click()
        harness.wait_idle(writer)
        replace = writer.get_by_text("Ersätt hela perioden", exact=True)
        if replace.count():
            replace.click()
            harness.wait_idle(writer)
        writer.get_by_role("button", name="Spara uppladdningen").click()
        saved = writer.locator('[data-testid="stAlertContentSuccess"]').filter(
            has_text="Uppladdning nr"
        )
        saved.wait_for(timeout=60_000)
        committed = time.perf_counter()
        found = re.search(r"Uppladdning nr (\d+)", saved.inner_text())
        if not found:
            return {"error": f"inget uppladdningsnummer: {saved.inner_text()[:200]}"}
        seq = found[1]
        if name in before:
            return {"error": f"läsaren visade {name} redan före skrivningen"}
        for attempt in range(1, tries + 1):
            _navigate(reader, "Översikt")
            _navigate(reader, "Uppladdning")
            if name in _history_text(reader):
                return {
                    "upload": int(seq),
                    "seen": True,
                    "reruns": attempt,
                    "seconds_to_seen": round(time.perf_counter() - committed, 2),
                    "seconds_round_trip_before": round(round_trip, 2),
                    "problems": harness.problems_on_page(reader)[:2],
                }
        return {"upload": int(seq), "seen": False, "reruns": tries}
    finally:
        writer_ctx.close()
        reader_ctx.close()
