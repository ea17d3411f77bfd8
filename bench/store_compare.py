"""The store before and after Delta Lake, in one run on one machine: pages and upload.

    python -m bench.store_compare [--before REF] [--quick]

``REF`` (default: the parent of the first commit whose ``budgetrummet/store.py`` uses
``deltalake``) is exported with ``git archive`` to a temporary directory; the same
measurement then runs in that tree and in this one, one after the other, each in its own
process: the seed build, the national scale (``bench/national.py``), every page warm and
uncached (AppTest, as ``bench/run.py``) and an upload of 100 000 rows at both scales.
Writes ``bench/results/store_compare.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
ORGS = ["askersund", "lerum"]


def before_ref() -> str:
    """The last commit before the store moved to Delta Lake."""
    commits = subprocess.run(
        ["git", "rev-list", "--reverse", "HEAD", "--", "budgetrummet/store.py"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for commit in commits:
        text = subprocess.run(
            ["git", "show", f"{commit}:budgetrummet/store.py"],
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        if "deltalake" in text:
            return f"{commit}~1"
    raise SystemExit("ingen commit med Delta Lake-lagret hittades")


def export(ref: str, target: Path) -> Path:
    archive = target / "tree.tar"
    subprocess.run(["git", "archive", "-o", str(archive), ref], cwd=REPO, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target / "tree", filter="data")
    return target / "tree"


def measure_here(out: Path, quick: bool) -> None:
    """Run inside a tree (its own ``bench`` and ``budgetrummet``): write the figures."""
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    from bench import measure, national
    from budgetrummet import build
    from tests.e2e import harness

    warm, uncached, raw = (3, 1, 1) if quick else (8, 3, 3)
    result: dict = {"pages": {}, "upload": {}}
    with tempfile.TemporaryDirectory(prefix="store_compare_") as tmp:
        work = Path(tmp)
        roots = {"seed": work / "seed", "national": work / "national"}
        build.build(roots["seed"], who="benchmark")
        t0 = time.perf_counter()
        generated = national.generate(roots["national"])
        result["national_publish_s"] = round(generated.seconds_publish, 1)
        result["national_generate_s"] = round(time.perf_counter() - t0, 1)
        pages = harness.registered_pages()
        for scale, root in roots.items():
            found = measure.measure_pages(
                root, pages, ORGS, warm=warm, uncached=uncached, raw_repeat=raw,
                log=lambda _text: None,
            )  # fmt: skip
            result["pages"][scale] = [r.summary() for r in found]
        for scale, root in roots.items():
            result["upload"][scale] = measure.measure_upload(root, work)
        result["bytes"] = {
            scale: sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
            for scale, root in roots.items()
        }
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


def run_tree(tree: Path, out: Path, quick: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", "bench.store_compare", "--measure-here", str(out)]
    if quick:
        command.append("--quick")
    # The same measurement code in both trees: this one's driver and data generator
    # (both use only the store functions the two stores share: publish, read_table,
    # read_manifest).
    if tree != REPO:
        for name in ("store_compare.py", "national.py", "measure.py"):
            source = REPO / "bench" / name
            (tree / "bench" / name).write_text(source.read_text(encoding="utf-8"))
    subprocess.run(command, cwd=tree, env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _pages(result: dict, scale: str, key: str) -> dict[tuple[str, str], float]:
    return {(p["title"], p["org"]): p[key] for p in result["pages"][scale] if not p.get("error")}


def report(before: dict, after: dict, ref: str) -> str:
    lines = [
        "# Lagret före och efter Delta Lake",
        "",
        f"Samma körning, samma maskin: före = `{ref}` (manifest + Parquet), efter = Delta "
        "Lake. Sidor: AppTest runt hela sidkörningen, median per sida och organisation.",
        "",
        "| skala | mått | före | efter | efter/före |",
        "|---|---|---|---|---|",
    ]
    for scale in ("seed", "national"):
        for key, label in (("warm_median_ms", "varm"), ("uncached_median_ms", "utan cache")):
            b, a = _pages(before, scale, key), _pages(after, scale, key)
            common = sorted(b.keys() & a.keys())
            ratios = [a[k] / b[k] for k in common if b[k]]
            lines.append(
                f"| {scale} | sidor {label}, median av {len(common)} (ms) | "
                f"{statistics.median(b[k] for k in common):.1f} | "
                f"{statistics.median(a[k] for k in common):.1f} | "
                f"median {statistics.median(ratios):.2f}, högst {max(ratios):.2f} |"
            )
        ub, ua = before["upload"][scale], after["upload"][scale]
        lines.append(
            f"| {scale} | uppladdning 100 000 rader (rader/s) | {ub.get('rows_per_s')} | "
            f"{ua.get('rows_per_s')} | {ua.get('rows_per_s', 0) / ub.get('rows_per_s', 1):.2f} |"
        )
        lines.append(
            f"| {scale} | datakatalog (MiB) | {before['bytes'][scale] / 2**20:.1f} | "
            f"{after['bytes'][scale] / 2**20:.1f} | |"
        )
    lines += [
        "",
        f"Publicering av nationell skala: före {before['national_publish_s']} s, "
        f"efter {after['national_publish_s']} s.",
        "",
        "Sidor där efter/före är högst (varm, nationell):",
        "",
    ]
    b, a = _pages(before, "national", "warm_median_ms"), _pages(after, "national", "warm_median_ms")
    worst = sorted((a[k] / b[k], k) for k in b.keys() & a.keys() if b[k])[-5:]
    lines += [f"- {t} ({o}): {b[(t, o)]:.1f} → {a[(t, o)]:.1f} ms" for _, (t, o) in reversed(worst)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--measure-here", type=Path)
    args = parser.parse_args(argv)
    if args.measure_here:
        measure_here(args.measure_here, args.quick)
        return 0
    ref = args.before or before_ref()
    with tempfile.TemporaryDirectory(prefix="store_before_") as tmp:
        work = Path(tmp)
        tree = export(ref, work)
        print(f"Före: {ref} i {tree}", flush=True)
        before = run_tree(tree, work / "before.json", args.quick)
        print("Efter: den här katalogen", flush=True)
        after = run_tree(REPO, work / "after.json", args.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = report(before, after, ref)
    (RESULTS / "store_compare.md").write_text(text, encoding="utf-8")
    body = {"before_ref": ref, "before": before, "after": after}
    (RESULTS / "store_compare.json").write_text(json.dumps(body, indent=1, default=str))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
