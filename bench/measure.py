"""Server-side measurements: full page runs (AppTest), raw queries, slider, upload.

* A page run is ``AppTest`` on ``app.py`` switched to the page, timed around
  ``at.run()``: the whole script the server runs for a visitor, router included, but no
  network and no browser. *Warm* runs reuse the data caches (what every rerun and
  every later visitor of the same page and organisation gets); *uncached* runs clear
  the query cache (``ui.data.QUERIES``) and ``st.cache_data`` first, so every query
  runs (what the first visitor after a new publication gets).
* The page's main queries are the ones it actually ran (recorded from
  ``db.Warehouse.run_query`` during an uncached run), run again directly in a fresh
  DuckDB connection on the same Parquet files, result fetched as Arrow: the ratio
  app / raw is the app's own overhead.
* The slider: AppTest does not run fragments, so a slider change reruns the whole page
  there; that time is an upper bound for the fragment (the browser measures the
  fragment itself, see ``bench.browser``).
* Upload: the 100 000-row Windows-1252 export of ``bench/upload_bench.py``, read,
  validated and stored through ``budgetrummet.upload`` into the warehouse of that scale.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from budgetrummet import access, db, store
from budgetrummet.upload import catalogue, kinds, reading, storing
from budgetrummet.upload.validation import Settings, validate
from tests.e2e.harness import REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def p95_ms(values: list[float]) -> float:
    """95th percentile (linear interpolation between the closest ranks)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return round(ordered[0] * 1000, 1)
    rank = 0.95 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    value = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
    return round(value * 1000, 1)


@dataclass
class PageResult:
    page: str
    title: str
    org: str
    first_ms: float = 0.0
    warm: list[float] = field(default_factory=list)
    uncached: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    queries: list[tuple[str, dict]] = field(default_factory=list)
    charts: int = 0
    error: str | None = None

    def summary(self) -> dict:
        out = {
            "page": self.page,
            "title": self.title,
            "org": self.org,
            "charts": self.charts,
            "error": self.error,
        }
        if self.error:
            return out
        raw = statistics.median(self.raw) if self.raw else 0.0
        uncached = statistics.median(self.uncached)
        return out | {
            "first_run_ms": round(self.first_ms * 1000, 1),
            "warm_median_ms": median_ms(self.warm),
            "warm_p95_ms": p95_ms(self.warm),
            "warm_runs": len(self.warm),
            "uncached_median_ms": median_ms(self.uncached),
            "uncached_p95_ms": p95_ms(self.uncached),
            "uncached_runs": len(self.uncached),
            "queries": [name for name, _ in self.queries],
            "raw_median_ms": round(raw * 1000, 1),
            "ratio_uncached_to_raw": round(uncached / raw, 2) if raw else None,
            "overhead_ms": round((uncached - raw) * 1000, 1),
        }


class QueryRecorder:
    """Records the named queries run through ``db.Warehouse`` while active."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.active = False
        self._original = db.Warehouse.run_query

    def __enter__(self) -> QueryRecorder:
        recorder, original = self, self._original

        def recording(wh, name: str, **params: object):
            if recorder.active:
                recorder.calls.append((name, dict(params)))
            return original(wh, name, **params)

        db.Warehouse.run_query = recording
        return self

    def __exit__(self, *exc) -> None:
        db.Warehouse.run_query = self._original


class RawRunner:
    """The same SQL files through a fresh warehouse on the same published files: the
    tree's own DuckDB path (its views, and where the tree has them, the organisation's
    own views for a query about one organisation), without the page around it."""

    def __init__(self, root: Path) -> None:
        self.warehouse = db.Warehouse(root)

    def time(self, calls: list[tuple[str, dict]], repeat: int) -> list[float]:
        run = self.warehouse.run_query
        for name, params in calls:  # one warm-up round: file metadata, views, plans
            run(name, **params)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            for name, params in calls:
                run(name, **params)
            times.append(time.perf_counter() - start)
        return times

    def close(self) -> None:
        pass


class CompiledOnce:
    """Share compiled scripts between AppTest runs, as the server does.

    AppTest makes a new ``ScriptCache`` for every run, so every run parses app.py and
    the page and applies Streamlit's "magic" AST pass again (about 20 ms per script on
    this machine); the server compiles each script once per process. With this active,
    a warm AppTest run costs what a rerun costs the server.
    """

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner import script_cache  # noqa: TID251

        self._cls = script_cache.ScriptCache
        self._original = self._cls.get_bytecode
        self._compiled: dict[tuple[str, int], object] = {}

    def __enter__(self) -> CompiledOnce:
        compiled, original = self._compiled, self._original

        def get_bytecode(cache, script_path: str):
            path = os.path.abspath(script_path)
            key = (path, os.stat(path).st_mtime_ns)
            if key not in compiled:
                compiled[key] = original(cache, script_path)
            return compiled[key]

        self._cls.get_bytecode = get_bytecode
        return self

    def __exit__(self, *exc) -> None:
        self._cls.get_bytecode = self._original


def _quiet() -> None:
    """Streamlit's bare-mode warnings (cache use outside a server) are not results.

    AppTest has no browser connection: its stand-in for the server is a ``MagicMock``,
    and reading the peer address through it (``st.context.ip_address``) builds mock
    objects, about 8 ms per read against microseconds in the server. The pages are
    measured as the local user on this machine, as the tests run them
    (``tests/conftest.py``); a tree that does not read the connection is unaffected."""
    from streamlit import config, logger  # noqa: TID251

    config.set_option("logger.level", "error")  # loggers created later
    logger.set_log_level("error")  # loggers that exist already
    try:
        from budgetrummet.ui import auth
    except ImportError:
        return
    if hasattr(auth, "visit"):
        auth.visit = lambda: (None, {"host": ["localhost"]})


def _clear_caches() -> None:
    import streamlit as st  # noqa: TID251  (the benchmark drives the UI layer)

    from budgetrummet.ui import data

    st.cache_data.clear()
    data.QUERIES.clear()


def measure_pages(
    root: Path,
    pages: list[tuple[str, str, str, str]],
    orgs: list[str],
    *,
    warm: int,
    uncached: int,
    raw_repeat: int,
    log: Callable[[str], None] = print,
) -> list[PageResult]:
    """Every page × organisation: first, warm and uncached runs, and the raw queries."""
    from streamlit.testing.v1 import AppTest  # noqa: TID251

    _quiet()
    os.environ[store.ENV_DATA_DIR] = str(root)
    raw = RawRunner(root)
    results = []
    with QueryRecorder() as recorder, CompiledOnce():
        for file, title, _icon, _url in pages:
            for org in orgs:
                result = PageResult(page=file, title=title, org=org)
                results.append(result)
                at = AppTest.from_file(APP, default_timeout=300)
                at.query_params["org"] = org
                at.run()
                at.switch_page(file)
                start = time.perf_counter()
                at.run()
                result.first_ms = time.perf_counter() - start
                if at.exception:
                    result.error = "; ".join(str(e.value)[:300] for e in at.exception)
                    log(f"  {file} {org}: UNDANTAG {result.error}")
                    continue
                result.charts = len(at.get("plotly_chart"))
                for _ in range(warm):
                    start = time.perf_counter()
                    at.run()
                    result.warm.append(time.perf_counter() - start)
                for i in range(uncached):
                    _clear_caches()
                    recorder.calls, recorder.active = [], i == 0
                    start = time.perf_counter()
                    at.run()
                    result.uncached.append(time.perf_counter() - start)
                    recorder.active = False
                    if i == 0:
                        result.queries = recorder.calls
                result.raw = raw.time(result.queries, raw_repeat)
                s = result.summary()
                log(
                    f"  {title:18} {org:10} varm {s['warm_median_ms']:7.1f} ms "
                    f"(p95 {s['warm_p95_ms']:7.1f})  utan cache {s['uncached_median_ms']:7.1f} ms  "
                    f"rå SQL {s['raw_median_ms']:6.1f} ms ({len(result.queries)} frågor)"
                )
    raw.close()
    return results


def measure_slider(root: Path, org: str, runs: int) -> dict:
    """Full-page AppTest rerun after a change of the 2026 efficiency-requirement slider."""
    from streamlit.testing.v1 import AppTest  # noqa: TID251

    _quiet()
    os.environ[store.ENV_DATA_DIR] = str(root)
    with CompiledOnce():
        return _slider_runs(AppTest.from_file(APP, default_timeout=300), org, runs)


def _slider_runs(at, org: str, runs: int) -> dict:
    at.query_params["org"] = org
    at.run()
    at.switch_page("views/scenarios.py").run()
    if at.exception:
        return {"error": "; ".join(str(e.value)[:300] for e in at.exception)}
    keys = sorted(
        w.key for w in at.select_slider if w.key and w.key.startswith(f"scen_{org}_krav_")
    )
    if len(keys) < 2:
        return {"error": f"hittade inte kravreglagen ({keys})"}
    slider_key = keys[1]
    times = []
    for i in range(runs):
        at.select_slider(key=slider_key).set_value(1 + i % 10)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            return {"error": "; ".join(str(e.value)[:300] for e in at.exception)}
    return {
        "slider": slider_key,
        "org": org,
        "runs": runs,
        "full_rerun_median_ms": median_ms(times),
        "full_rerun_p95_ms": p95_ms(times),
    }


def _private_copy(root: Path, target: Path) -> Path:
    """A writable copy of a warehouse: the immutable Parquet files are hard links,
    the manifest and the audit log real copies (they are replaced or appended to)."""
    if target.exists():
        shutil.rmtree(target)

    def link_or_copy(src: str, dst: str) -> None:
        if src.endswith(".parquet"):
            os.link(src, dst)
        else:
            shutil.copy2(src, dst)

    shutil.copytree(root, target, copy_function=link_or_copy)
    return target


def measure_upload(root: Path, workdir: Path, rows: int = 100_000) -> dict:
    """Read, validate and store the ``bench/upload_bench.py`` export into a copy of ``root``."""
    from bench.upload_bench import export

    target = _private_copy(root, workdir / "upload_wh")
    wh = db.Warehouse(target)
    known = wh.run_query("upl_verksamheter", org_id="askersund")
    cat = catalogue.catalogue_for("askersund", known)
    labels = sorted(set(known.filter(known["line_key"].str.starts_with("vh"))["line_label"]))
    labels = list({label.split()[0]: label for label in labels}.values())
    data = export(rows, labels)
    outcome_before = store.read_manifest(target).tables["outcome"].rows

    t0 = time.perf_counter()
    raw = reading.read_upload(data, "bench.csv")
    t1 = time.perf_counter()
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    result = validate(raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping), cat)
    t2 = time.perf_counter()
    if not result.ok:
        return {"error": f"filen godtogs inte: {result.counts}"}
    actor = access.Actor("Benchmark", frozenset({access.ADMIN}))
    # Replace the file's periods; a tree from before the replace-or-correct choice
    # (``bench.store_compare --before``) always replaced them and has no ``mode``.
    replace = {"mode": storing.REPLACE} if hasattr(storing, "REPLACE") else {}
    done = storing.commit(raw, data, result, actor, root=target, **replace)
    t3 = time.perf_counter()
    if done.rows != rows:
        return {"error": f"{done.rows} rader lagrades, väntade {rows}"}
    shutil.rmtree(target)
    return {
        "rows": rows,
        "bytes": len(data),
        "outcome_rows_before": outcome_before,
        "read_s": round(t1 - t0, 3),
        "validate_s": round(t2 - t1, 3),
        "store_s": round(t3 - t2, 3),
        "total_s": round(t3 - t0, 3),
        "rows_per_s": round(rows / (t3 - t0)),
        "read_validate_rows_per_s": round(rows / (t2 - t0)),
    }
