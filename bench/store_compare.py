"""Before and after in one run on one machine: every page, upload and the slider.

    python -m bench.store_compare [--before REF] [--rounds N] [--quick] [--no-slider]

BEFORE is the tree at ``REF`` (default ``01f35cc``: the product before the Delta Lake
store and before the middle-layer rework, on the old manifest + Parquet store), exported
with ``git archive`` to a temporary directory; AFTER is this working tree. The same
measurement code (this file, ``measure.py``, ``national.py``, ``upload_bench.py`` and
``browser.py``, copied into the exported tree) runs in each tree in its own processes:

* once per tree: the seed build and the national scale (``bench/national.py``), each
  through that tree's own store;
* ``--rounds`` rounds (default 2) of every page × both seed organisations at both scales,
  warm and uncached (AppTest, as ``bench/run.py``), and an upload of 100 000 rows at both
  scales. Rounds alternate the order (before, after, after, before, …) so a drift of the
  machine's load hits both sides alike; the spread between a tree's own rounds is the
  noise the report states beside each ratio;
* the slider in the browser (fragment rerun and time until the number is on screen) at
  both scales, before then after (``bench/browser.py``); not started when the comparison
  has already taken ``SLIDER_DEADLINE_S`` (the report then quotes the figure the BEFORE
  tree's own make bench recorded).

The old tree runs with this ``.venv`` when its ``uv.lock`` asks for nothing this
environment lacks (``uv sync --dry-run`` installs nothing); otherwise it gets its own
environment from its own lock, cached under ``.tools/bench-venvs/``.

Writes ``bench/results/compare.md`` and ``compare.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
UV = REPO / ".tools" / "bin" / "uv"
ORGS = ["askersund", "lerum"]
SCALES = ("seed", "national")
DEFAULT_BEFORE = "01f35cc"
# The measurement code both trees run (copied into the exported tree).
SHARED = ("store_compare.py", "measure.py", "national.py", "upload_bench.py", "browser.py")
LIMIT_RATIO = 1.2
# No browser part starts after this many seconds of the comparison (make bench runs
# bench.run first, about six minutes; the whole make bench stays under 15 minutes).
SLIDER_DEADLINE_S = 390
# The slider as recorded by make bench in the BEFORE tree's own results (2026-11-23):
# to-screen median, ms. Quoted when the browser part cannot run.
RECORDED_SLIDER_MS = {"seed": 271.1, "national": 309.1}


# --- inside one tree ----------------------------------------------------------------------


def measure_here(out: Path, data: Path, *, prepare: bool, warm: int, uncached: int) -> None:
    """Run inside a tree (its own ``bench`` and ``budgetrummet``): write the figures."""
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    from bench import measure, national
    from budgetrummet import build
    from tests.e2e import harness

    result: dict = {"pages": {}, "upload": {}}
    roots = {scale: data / scale for scale in SCALES}
    if prepare:
        t0 = time.perf_counter()
        build.build(roots["seed"], who="benchmark")
        result["seed_build_s"] = round(time.perf_counter() - t0, 1)
        generated = national.generate(roots["national"])
        result["national_generate_s"] = round(generated.seconds_generate, 1)
        result["national_publish_s"] = round(generated.seconds_publish, 1)
        result["bytes"] = {
            scale: sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
            for scale, root in roots.items()
        }
    pages = harness.registered_pages()
    for scale, root in roots.items():
        found = measure.measure_pages(
            root, pages, ORGS, warm=warm, uncached=uncached, raw_repeat=0,
            log=lambda _text: None,
        )  # fmt: skip
        result["pages"][scale] = [
            r.summary()
            | {
                "warm_ms": [round(t * 1000, 2) for t in r.warm],
                "uncached_ms": [round(t * 1000, 2) for t in r.uncached],
            }
            for r in found
        ]
    with tempfile.TemporaryDirectory(prefix="compare_upload_") as tmp:
        for scale, root in roots.items():
            result["upload"][scale] = measure.measure_upload(root, Path(tmp))
    out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


def slider_here(out: Path, data: Path, presses: int) -> None:
    """Run inside a tree: the Scenarier slider in the browser at both scales."""
    from playwright.sync_api import sync_playwright

    from bench import browser as browser_bench
    from tests.e2e import harness

    result: dict = {}
    if not harness.chromium_available():
        result["skipped"] = f"{harness.CHROMIUM} saknas"
    else:
        url_path = next(
            url for file, _t, _i, url in harness.registered_pages() if file.endswith("scenarios.py")
        )
        logs = harness.ARTIFACTS / "bench"
        with sync_playwright() as playwright:
            for scale in SCALES:
                # One more attempt after a failure (a browser timeout on a loaded
                # machine); a page that fails twice is reported as failed.
                for attempt in (1, 2):
                    server = harness.Server(data / scale, logs / f"streamlit_compare_{scale}.log")
                    server.start(timeout=180)
                    browser = harness.launch(playwright)
                    try:
                        browser_bench.warm_up(browser, server.url)
                        result[scale] = browser_bench.slider(
                            browser, server.url, url_path, "askersund", presses
                        ) | {"attempts": attempt}
                    except Exception as exc:  # a broken page is a result, not a stop
                        result[scale] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
                    finally:
                        browser.close()
                        server.stop()
                    if "error" not in result[scale]:
                        break
    out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


# --- the driver -----------------------------------------------------------------------------


def describe(ref: str) -> dict:
    line = subprocess.run(
        ["git", "log", "-1", "--format=%H%x00%cs%x00%s", ref],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    sha, date, subject = line.split("\0")
    return {"ref": ref, "commit": sha, "date": date, "subject": subject}


def export(ref: str, target: Path) -> Path:
    archive = target / "tree.tar"
    subprocess.run(["git", "archive", "-o", str(archive), ref], cwd=REPO, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target / "tree", filter="data")
    archive.unlink()
    return target / "tree"


def python_for(tree: Path) -> tuple[str, str]:
    """The interpreter the old tree runs with, and why.

    This ``.venv`` when the old lock would install nothing into it (packages it holds
    beyond the old lock do not matter); else an environment from the old lock, cached
    by the lock's hash."""
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(REPO / ".venv")}
    dry = subprocess.run(
        [str(UV), "sync", "--frozen", "--dry-run"],
        cwd=tree, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    output = dry.stdout + dry.stderr
    missing = [line.strip() for line in output.splitlines() if line.strip().startswith("+ ")]
    if dry.returncode == 0 and not missing:
        return sys.executable, "samma .venv (det gamla låset kräver inget som saknas i den)"
    digest = hashlib.sha256((tree / "uv.lock").read_bytes()).hexdigest()[:12]
    venv = REPO / ".tools" / "bench-venvs" / digest
    if not (venv / ".synced").exists():
        env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)}
        subprocess.run(
            [str(UV), "sync", "--frozen", "--python", f"python{sys.version_info[0]}."
             f"{sys.version_info[1]}"],
            cwd=tree, env=env, check=True,
        )  # fmt: skip
        (venv / ".synced").touch()
    reason = f"egen miljö ur trädets uv.lock ({venv.relative_to(REPO)}); saknades: {missing[:5]}"
    return str(venv / "bin" / "python"), reason


def run_in(tree: Path, python: str, args: list[str]) -> None:
    if tree != REPO:
        for name in SHARED:
            shutil.copyfile(REPO / "bench" / name, tree / "bench" / name)
    env = {**os.environ, "PYTHONPATH": str(tree), "STREAMLIT_LOGGER_LEVEL": "error"}
    subprocess.run([python, "-m", "bench.store_compare", *args], cwd=tree, env=env, check=True)


def _key(page: dict) -> tuple[str, str]:
    return (page["title"], page["org"])


def _ratio(after: float, before: float) -> float | None:
    return round(after / before, 3) if before else None


def compare_pages(before: list[dict], after: list[dict]) -> dict:
    """Per scale and page: pooled medians, the ratio, each round's ratio, and the noise
    (how far a tree's own rounds differ from each other)."""
    out: dict = {}
    for scale in SCALES:
        rows = []
        b_rounds = [{_key(p): p for p in r["pages"][scale] if not p.get("error")} for r in before]
        a_rounds = [{_key(p): p for p in r["pages"][scale] if not p.get("error")} for r in after]
        b_keys = set.intersection(*(set(r) for r in b_rounds))
        a_keys = set.intersection(*(set(r) for r in a_rounds))
        for key in sorted(b_keys & a_keys):
            row: dict = {"page": key[0], "org": key[1]}
            for kind in ("warm", "uncached"):
                b_all = [t for r in b_rounds for t in r[key][f"{kind}_ms"]]
                a_all = [t for r in a_rounds for t in r[key][f"{kind}_ms"]]
                b_med = [statistics.median(r[key][f"{kind}_ms"]) for r in b_rounds]
                a_med = [statistics.median(r[key][f"{kind}_ms"]) for r in a_rounds]
                noise = max(
                    (max(m) / min(m) - 1 for m in (b_med, a_med) if len(m) > 1 and min(m)),
                    default=None,
                )
                row[kind] = {
                    "before_ms": round(statistics.median(b_all), 1),
                    "after_ms": round(statistics.median(a_all), 1),
                    "ratio": _ratio(statistics.median(a_all), statistics.median(b_all)),
                    "round_ratios": [_ratio(a, b) for a, b in zip(a_med, b_med, strict=False)],
                    "noise": round(noise, 3) if noise is not None else None,
                }
            rows.append(row)
        out[scale] = {
            "pages": rows,
            "only_before": sorted(f"{t} ({o})" for t, o in b_keys - a_keys),
            "only_after": sorted(f"{t} ({o})" for t, o in a_keys - b_keys),
            "errors": {
                side: sorted(
                    {
                        f"{p['title']} ({p['org']}): {p['error'][:200]}"
                        for r in rounds
                        for p in r["pages"][scale]
                        if p.get("error")
                    }
                )
                for side, rounds in (("before", before), ("after", after))
            },
        }
    return out


def verdicts(pages: dict) -> dict:
    """The worst page and the two claims, for warm and for uncached runs."""
    out = {}
    for kind in ("warm", "uncached"):
        rows = [(scale, r) for scale in SCALES for r in pages[scale]["pages"] if r[kind]["ratio"]]
        if not rows:
            out[kind] = {"error": "inga sidor att jämföra"}
            continue
        scale, worst = max(rows, key=lambda sr: sr[1][kind]["ratio"])
        over_limit = [f"{r['page']} ({r['org']}, {s})" for s, r in rows
                      if r[kind]["ratio"] > LIMIT_RATIO]  # fmt: skip
        slower = [(s, r) for s, r in rows if r[kind]["ratio"] > 1]
        beyond_noise = [
            f"{r['page']} ({r['org']}, {s})"
            for s, r in slower
            if r[kind]["noise"] is None or r[kind]["ratio"] - 1 > r[kind]["noise"]
        ]
        noises = [r[kind]["noise"] for _s, r in rows if r[kind]["noise"] is not None]
        out[kind] = {
            "worst": {"scale": scale, "page": worst["page"], "org": worst["org"]} | worst[kind],
            "pages_compared": len(rows),
            "no_page_over_limit": not over_limit,
            "over_limit": over_limit,
            "no_page_slower": not slower,
            "slower": [f"{r['page']} ({r['org']}, {s})" for s, r in slower],
            "slower_beyond_noise": beyond_noise,
            "noise_median": round(statistics.median(noises), 3) if noises else None,
            "noise_max": round(max(noises), 3) if noises else None,
        }
    return out


def _num(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text.replace("-", "\u2212")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{_num(value * 100, 0)} %"


def _ratios(values: list) -> str:
    return " / ".join(_num(v, 2) for v in values)


def _yes(value: bool) -> str:
    return "håller" if value else "**håller inte**"


def report(result: dict) -> str:
    ref, rounds = result["before_ref"], result["rounds"]
    lines = [
        "# Före och efter, samma körning",
        "",
        *(
            ["**Provkörning (`--quick`): få upprepningar, inte ett resultat att citera.**", ""]
            if result.get("quick")
            else []
        ),
        f'Före: `{ref["ref"]}` = {ref["commit"][:12]} ({ref["date"]}, "{ref["subject"]}"). '
        "Efter: arbetsträdet"
        + (f" ({result['after_commit'][:12]} och ändringar)" if result.get("after_commit") else "")
        + f". Samma maskin, samma mätkod, {rounds} omgångar i ordningen "
        + ", ".join(result["order"])
        + ". Python för före: "
        + result["before_python"]
        + ".",
        "",
        "Sidor: AppTest runt hela sidkörningen (`bench/measure.py`), median av alla körningar "
        f"i alla omgångar ({result['plan']['warm']} varma och {result['plan']['uncached']} utan "
        "cache per omgång). Kvot = efter/före; *omgångar* = kvoten i varje omgång; *brus* = hur "
        "mycket ett träds egna omgångar skiljer sig (största/minsta median − 1, det största av "
        "före och efter). En kvot över 1 som är mindre än bruset går inte att skilja från "
        "slumpen.",
        "",
    ]
    for kind, label in (("warm", "varma körningar"), ("uncached", "utan cache")):
        v = result["verdicts"][kind]
        if "error" in v:
            lines += [f"**{label}:** {v['error']}", ""]
            continue
        w = v["worst"]
        lines += [
            f"**Sidor, {label}** ({v['pages_compared']} sida × organisation × skala):",
            "",
            f"- Sämsta sidan: {w['page']} ({w['org']}, {w['scale']}) "
            f"{_num(w['before_ms'])} → {_num(w['after_ms'])} ms, kvot {_num(w['ratio'], 2)} "
            f"(omgångar {_ratios(w['round_ratios'])}, brus {_pct(w['noise'])}).",
            f"- Ingen sida långsammare än {_num(LIMIT_RATIO, 1)}×: {_yes(v['no_page_over_limit'])}"
            + (f" ({', '.join(v['over_limit'])})" if v["over_limit"] else "")
            + ".",
            f"- Ingen sida långsammare: {_yes(v['no_page_slower'])}"
            + (
                f"; kvot över 1: {len(v['slower'])} fall, varav utöver bruset: "
                + (", ".join(v["slower_beyond_noise"]) or "inga")
                if v["slower"]
                else ""
            )
            + ".",
            f"- Brus: median {_pct(v['noise_median'])}, högst {_pct(v['noise_max'])}.",
            "",
        ]
    for scale in SCALES:
        block = result["pages"][scale]
        lines += [
            f"## Sidor, {'seed' if scale == 'seed' else 'nationell'} skala (ms)",
            "",
            "| sida | org | varm före | varm efter | kvot (omgångar) | brus "
            "| utan cache före | efter | kvot (omgångar) | brus |",
            "|---|---|---:|---:|---|---:|---:|---:|---|---:|",
        ]
        for r in block["pages"]:
            cells = []
            for kind in ("warm", "uncached"):
                k = r[kind]
                cells += [
                    _num(k["before_ms"]),
                    _num(k["after_ms"]),
                    f"{_num(k['ratio'], 2)} ({_ratios(k['round_ratios'])})",
                    _pct(k["noise"]),
                ]
            lines.append(f"| {r['page']} | {r['org']} | " + " | ".join(cells) + " |")
        for side, label in (("only_before", "bara före"), ("only_after", "bara efter")):
            if block[side]:
                lines.append(f"\n{label.capitalize()}: {', '.join(block[side])}.")
        for side, label in (("before", "före"), ("after", "efter")):
            if block["errors"][side]:
                lines.append(f"\nFel {label}: " + "; ".join(block["errors"][side]))
        lines.append("")
    lines += [
        "## Uppladdning, 100 000 rader (rader/s)",
        "",
        "| skala | före (omgångar) | efter (omgångar) | kvot av medianerna | mål ≥ 100 000 efter |",
        "|---|---|---|---:|---|",
    ]
    for scale in SCALES:
        up = result["upload"][scale]
        b, a = up["before"], up["after"]
        lines.append(
            f"| {scale} | {' / '.join(_num(x, 0) for x in b) or up['errors']} "
            f"| {' / '.join(_num(x, 0) for x in a) or up['errors']} "
            f"| {_num(up['ratio'], 2)} | {_yes(bool(a) and min(a) >= 100_000)} |"
        )
    lines += [
        "",
        "## Reglaget i webbläsaren (Scenarier, Askersund, kravet 2026, ms)",
        "",
    ]
    slider = result.get("slider")
    if not isinstance(slider, dict) or "before" not in slider:
        lines.append(
            f"Inte mätt här ({slider}). Före-trädets egen inspelade siffra (results.json, "
            f"2026-11-23): till skärmen {_num(RECORDED_SLIDER_MS['seed'])} ms seed, "
            f"{_num(RECORDED_SLIDER_MS['national'])} ms nationell."
        )
    else:
        lines += [
            "| skala | fragmentet före | efter | till skärmen före | efter | kvot till skärmen |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for scale in SCALES:
            b, a = slider["before"].get(scale, {}), slider["after"].get(scale, {})
            if "error" in b or "error" in a or not b or not a:

                def cell(side: dict, name: str) -> str:
                    if name in side:
                        return _num(side[name])
                    return f"fel: {side.get('error', 'inte mätt')}"

                lines.append(
                    f"| {scale} | {cell(b, 'fragment_median_ms')} | "
                    f"{cell(a, 'fragment_median_ms')} | {cell(b, 'to_screen_median_ms')} | "
                    f"{cell(a, 'to_screen_median_ms')} | |"
                )
                continue
            lines.append(
                f"| {scale} | {_num(b['fragment_median_ms'])} | {_num(a['fragment_median_ms'])} "
                f"| {_num(b['to_screen_median_ms'])} | {_num(a['to_screen_median_ms'])} "
                f"| {_num(_ratio(a['to_screen_median_ms'], b['to_screen_median_ms']), 2)} |"
            )
        lines += [
            "",
            f"{slider['presses']} tryck per skala, en omgång (före, sedan efter). Som jämförelse "
            f"före-trädets inspelade siffra (2026-11-23): till skärmen "
            f"{_num(RECORDED_SLIDER_MS['seed'])} ms seed, "
            f"{_num(RECORDED_SLIDER_MS['national'])} ms nationell.",
        ]
    lines += [
        "",
        "## Data",
        "",
        "| | före | efter |",
        "|---|---:|---:|",
    ]
    b0, a0 = result["before"][0], result["after"][0]
    lines += [
        f"| nationell skala: publicering (s) | {_num(b0.get('national_publish_s'))} "
        f"| {_num(a0.get('national_publish_s'))} |",
        *(
            f"| datakatalog {scale} (MiB) | {_num(b0['bytes'][scale] / 2**20)} "
            f"| {_num(a0['bytes'][scale] / 2**20)} |"
            for scale in SCALES
        ),
        "",
        f"Hela jämförelsen tog {result['seconds_total']} s.",
    ]
    return "\n".join(lines) + "\n"


def summarise_upload(before: list[dict], after: list[dict]) -> dict:
    out = {}
    for scale in SCALES:
        b = [r["upload"][scale].get("rows_per_s") for r in before]
        a = [r["upload"][scale].get("rows_per_s") for r in after]
        errors = [
            r["upload"][scale]["error"] for r in before + after if "error" in r["upload"][scale]
        ]
        b, a = [x for x in b if x], [x for x in a if x]
        out[scale] = {
            "before": b,
            "after": a,
            "ratio": _ratio(statistics.median(a), statistics.median(b)) if a and b else None,
            "errors": errors,
        }
    return out


def compare(ref: str, rounds: int, warm: int, uncached: int, presses: int, slider: bool) -> dict:
    started = time.perf_counter()
    result: dict = {
        "before_ref": describe(ref),
        "rounds": rounds,
        "plan": {"warm": warm, "uncached": uncached, "presses": presses},
    }
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    result["after_commit"] = head.stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench_compare_") as tmp:
        work = Path(tmp)
        trees = {"before": export(ref, work), "after": REPO}
        python, why = python_for(trees["before"])
        pythons = {"before": python, "after": sys.executable}
        result["before_python"] = why
        print(f"Före: {ref} ({result['before_ref']['commit'][:12]}), Python: {why}", flush=True)
        figures: dict[str, list[dict]] = {"before": [], "after": []}
        order = []
        for r in range(rounds):
            for side in ("before", "after") if r % 2 == 0 else ("after", "before"):
                t0 = time.perf_counter()
                out = work / f"{side}_{r}.json"
                args = ["--measure-here", str(out), "--data", str(work / f"data_{side}")]
                args += ["--warm", str(warm), "--uncached", str(uncached)]
                run_in(trees[side], pythons[side], args + (["--prepare"] if r == 0 else []))
                figures[side].append(json.loads(out.read_text(encoding="utf-8")))
                order.append("före" if side == "before" else "efter")
                print(
                    f"  omgång {r + 1}, {order[-1]}: {time.perf_counter() - t0:.0f} s", flush=True
                )
        result["order"] = order
        result["before"], result["after"] = figures["before"], figures["after"]
        if slider and time.perf_counter() - started > SLIDER_DEADLINE_S:
            result["slider"] = (
                f"ej mätt: jämförelsen hade redan tagit {time.perf_counter() - started:.0f} s "
                f"(gräns {SLIDER_DEADLINE_S} s, så att make bench håller sig under 15 minuter)"
            )
        elif slider:
            result["slider"] = {"presses": presses}
            for side in ("before", "after"):
                t0 = time.perf_counter()
                out = work / f"slider_{side}.json"
                args = ["--slider-here", str(out), "--data", str(work / f"data_{side}")]
                try:
                    run_in(trees[side], pythons[side], [*args, "--presses", str(presses)])
                    result["slider"][side] = json.loads(out.read_text(encoding="utf-8"))
                except subprocess.CalledProcessError as exc:
                    result["slider"][side] = {"error": str(exc)}
                print(
                    f"  reglaget, {side}: {result['slider'][side]} "
                    f"({time.perf_counter() - t0:.0f} s)",
                    flush=True,
                )
        else:
            result["slider"] = "hoppades över (--no-slider)"
    result["pages"] = compare_pages(result["before"], result["after"])
    result["verdicts"] = verdicts(result["pages"])
    result["upload"] = summarise_upload(result["before"], result["after"])
    result["seconds_total"] = round(time.perf_counter() - started)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE, help="git ref of BEFORE")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke run)")
    parser.add_argument("--no-slider", action="store_true", help="skip the browser part")
    parser.add_argument("--out", type=Path, default=RESULTS)
    # Internal: the part that runs inside one tree.
    parser.add_argument("--measure-here", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--slider-here", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warm", type=int, default=6, help=argparse.SUPPRESS)
    parser.add_argument("--uncached", type=int, default=6, help=argparse.SUPPRESS)
    parser.add_argument("--presses", type=int, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_here:
        measure_here(
            args.measure_here, args.data, prepare=args.prepare, warm=args.warm,
            uncached=args.uncached,
        )  # fmt: skip
        return 0
    if args.slider_here:
        slider_here(args.slider_here, args.data, args.presses)
        return 0
    warm, uncached, presses = (2, 1, 4) if args.quick else (args.warm, args.uncached, args.presses)
    result = compare(args.before, args.rounds, warm, uncached, presses, not args.no_slider)
    result["quick"] = args.quick
    args.out.mkdir(parents=True, exist_ok=True)
    text = report(result)
    (args.out / "compare.md").write_text(text, encoding="utf-8")
    (args.out / "compare.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
