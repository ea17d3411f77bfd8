"""``make bench``: every page at seed and national scale, the slider, uploads, the browser.

Run from the repository root: ``python -m bench.run`` (``--quick`` for a short smoke
run while developing). Writes ``bench/results/results.json`` (every number) and
``bench/results/results.md`` (the tables the README quotes), and prints progress.

The whole run is bounded to stay under ten minutes on a 2-core machine: fixed repeat
counts, one browser, bounded waits, and a deadline after which the remaining browser
parts are reported as not measured rather than run. Timings on a shared machine are
noisy; medians (and p95) are reported, never single runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

# Streamlit's own log lines (bare-mode cache warnings from AppTest) are not results.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from bench import browser as browser_bench  # noqa: E402
from bench import measure, national  # noqa: E402
from bench.report import markdown, targets  # noqa: E402
from budgetrummet import build, store  # noqa: E402
from tests.e2e import harness  # noqa: E402

RESULTS = harness.REPO_ROOT / "bench" / "results"
ORGS = ["askersund", "lerum"]
BUDGET_SECONDS = 7 * 60  # no new browser part starts after this (make bench < 10 min)


@dataclass(frozen=True)
class Plan:
    """How many repetitions of each measurement (fixed, so the run time is bounded)."""

    warm: int
    uncached: int
    raw: int
    slider: int
    presses: int
    loads: int
    sessions: int


FULL = Plan(warm=12, uncached=4, raw=5, slider=12, presses=10, loads=2, sessions=20)
QUICK = Plan(warm=3, uncached=2, raw=2, slider=3, presses=4, loads=2, sessions=4)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kib = 0
    versions = {
        name: metadata.version(name)
        for name in ("streamlit", "duckdb", "polars", "pyarrow", "plotly", "playwright")
    }
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": str(harness.CHROMIUM) if harness.chromium_available() else None,
        # Other work on the machine at the start (1-minute load average; 2 = both cores busy).
        "load_average_start": round(os.getloadavg()[0], 2),
        "versions": versions,
    }


_START = time.perf_counter()


def log(text: str) -> None:
    print(f"[{time.perf_counter() - _START:6.1f} s] {text}", flush=True)


def run(plan: Plan, out_dir: Path) -> dict:
    started = time.perf_counter()
    deadline = started + BUDGET_SECONDS
    results: dict = {
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "plan": plan.__dict__,
        "note": (
            "Mätt på en delad maskin där andra processer körde samtidigt; medianer och p95 "
            "redovisas. Sidtider: AppTest runt at.run() (hela skriptet med router, utan "
            "nätverk och webbläsare)."
        ),
    }
    pages = harness.registered_pages()
    with tempfile.TemporaryDirectory(prefix="budgetrummet_bench_") as tmp:
        work = Path(tmp)
        logs = harness.ARTIFACTS / "bench"  # server logs stay after the run (gitignored)
        logs.mkdir(parents=True, exist_ok=True)
        roots = {"seed": work / "seed", "national": work / "national"}

        log("Bygger lagret i seed-skala …")
        t0 = time.perf_counter()
        build.build(roots["seed"], who="benchmark")
        seed_build_s = time.perf_counter() - t0
        seed_manifest = store.read_manifest(roots["seed"])
        log("Genererar nationell skala (290 kommuner) …")
        generated = national.generate(roots["national"])
        results["data"] = {
            "seed": {
                "rows": {n: e.rows for n, e in sorted(seed_manifest.tables.items())},
                "organisations": 2,
                "build_s": round(seed_build_s, 1),
            },
            "national": {
                "rows": generated.rows,
                "organisations": len(generated.orgs),
                "generate_s": round(generated.seconds_generate, 1),
                "publish_s": round(generated.seconds_publish, 1),
                "parquet_mib": round(generated.bytes_on_disk / 1024 / 1024, 1),
            },
        }
        log(
            f"  {generated.rows['outcome']:,} utfallsrader, {generated.rows['figures']:,} siffror; "
            f"{generated.seconds_generate:.0f} s att generera, "
            f"{generated.seconds_publish:.0f} s att publicera"
        )

        page_results: dict[str, list[measure.PageResult]] = {}
        for scale, root in roots.items():
            log(f"Sidor, {scale} (AppTest) …")
            page_results[scale] = measure.measure_pages(
                root,
                pages,
                ORGS,
                warm=plan.warm,
                uncached=plan.uncached,
                raw_repeat=plan.raw,
                log=log,
            )
        results["pages"] = {s: [r.summary() for r in rs] for s, rs in page_results.items()}

        results["slider_apptest"] = {}
        for scale, root in roots.items():
            results["slider_apptest"][scale] = measure.measure_slider(
                root, "askersund", plan.slider
            )
            log(f"Reglage (AppTest, hela sidan), {scale}: {results['slider_apptest'][scale]}")

        results["upload"] = {}
        for scale, root in roots.items():
            log(f"Uppladdning 100 000 rader, {scale} …")
            results["upload"][scale] = measure.measure_upload(root, work)
            log(f"  {results['upload'][scale]}")

        results["browser"] = browser_part(plan, roots, page_results, logs, deadline)
    results["targets"] = targets(results)
    results["load_average_end"] = round(os.getloadavg()[0], 2)
    results["seconds_total"] = round(time.perf_counter() - started)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out_dir / "results.md").write_text(markdown(results), encoding="utf-8")
    return results


def browser_part(
    plan: Plan, roots: dict[str, Path], page_results, logs: Path, deadline: float
) -> dict:
    """The browser measurements; each part is skipped (and said so) past the deadline."""
    if not harness.chromium_available():
        log(f"Webbläsardelen hoppas över: {harness.CHROMIUM} saknas.")
        return {"skipped": f"{harness.CHROMIUM} saknas"}
    from playwright.sync_api import sync_playwright

    pages = harness.registered_pages()
    urls = {title: ("" if i == 0 else url) for i, (_f, title, _i, url) in enumerate(pages)}
    out: dict = {"cold_load": {}, "slider": {}, "server_peak_rss_mib": {}}
    late = "ej mätt: tidsgränsen för make bench var nådd"
    with sync_playwright() as playwright:
        log(f"Minne med {plan.sessions} samtidiga webbläsarsessioner, nationell skala …")
        out["concurrency"] = browser_bench.concurrent_sessions(
            playwright,
            roots["national"],
            logs / "streamlit_concurrency.log",
            [(title, urls[title]) for title in urls],
            national.org_ids()[: plan.sessions],
            plan.sessions,
            budget_s=max(60.0, min(240.0, deadline - time.perf_counter())),
        )
        log(f"  {out['concurrency']}")
        # Two replicas run whatever the deadline, like the single server above: the run
        # must report them (and a commit on one replica seen on the other).
        log("Samma last på två repliker över samma datakatalog, nationell skala …")
        out["concurrency_two_replicas"] = browser_bench.concurrent_sessions(
            playwright,
            roots["national"],
            logs / "streamlit_replicas.log",
            [(title, urls[title]) for title in urls],
            national.org_ids()[: plan.sessions],
            plan.sessions,
            budget_s=max(60.0, min(240.0, deadline - time.perf_counter())),
            replicas=2,
        )
        log(f"  {out['concurrency_two_replicas']}")
        for scale, root in roots.items():
            if time.perf_counter() > deadline:
                out["cold_load"][scale] = out["slider"][scale] = late
                continue
            log(f"Webbläsare, {scale}: första diagrammet och reglaget …")
            server = harness.Server(root, logs / f"streamlit_{scale}.log").start(timeout=180)
            browser = harness.launch(playwright)
            try:
                browser_bench.warm_up(browser, server.url)
                targets = [
                    (r.title, urls[r.title], r.org)
                    for r in page_results[scale]
                    if r.org == "askersund" and r.charts and not r.error
                ]
                out["cold_load"][scale] = browser_bench.cold_loads(
                    browser, server.url, targets, plan.loads
                )
                for row in out["cold_load"][scale]:
                    log(f"  {row}")
                # One more attempt after a failure (a key press lost on a loaded machine).
                for _attempt in range(2 if "Scenarier" in urls else 0):
                    try:
                        out["slider"][scale] = browser_bench.slider(
                            browser, server.url, urls["Scenarier"], "askersund", plan.presses
                        )
                    except Exception as exc:  # a broken page must not stop the benchmark
                        out["slider"][scale] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
                    log(f"  reglage: {out['slider'][scale]}")
                    if "error" not in out["slider"][scale]:
                        break
                out["server_peak_rss_mib"][scale] = round(server.rss_kib()[1] / 1024)
            finally:
                browser.close()
                server.stop()
        if time.perf_counter() > deadline:
            out["fragment_floor"] = late
        else:
            log("Streamlits eget golv för en fragmentomkörning (minimal app) …")
            out["fragment_floor"] = browser_bench.fragment_floor(
                playwright,
                roots["seed"],
                logs / "streamlit_floor.log",
                ((10, False), (30, True), (125, False)),
                plan.presses,
            )
            log(f"  {out['fragment_floor']}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where results go")
    args = parser.parse_args(argv)
    results = run(QUICK if args.quick else FULL, args.out)
    log(
        f"Klart på {results['seconds_total']} s. Resultat i {args.out}/results.md och results.json."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
