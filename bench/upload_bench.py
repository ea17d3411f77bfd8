"""Upload benchmark: rows per second to read, validate and store a 100 000-row export.

Not a test (timings are machine-dependent); run ``python bench/upload_bench.py``. The
export is realistic: Windows-1252, semicolons, decimal comma, space thousands, code and
name in one cell, 12 months of Askersund's 23 verksamheter. Each run times every step
of the real pipeline (``bench.measure.measure_upload``) into a private copy of the
warehouse; the medians of ``--runs`` runs are printed, since a shared machine varies.

    python bench/upload_bench.py                      # seed scale (built in a temp dir)
    python bench/upload_bench.py --root DIR --runs 5  # e.g. a national warehouse
                                                      # (python -m bench.national DIR)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgetrummet import build, fmt  # noqa: E402

ROWS = 100_000


def export(rows: int, labels: list[str]) -> bytes:
    lines = ["Verksamhet;Ansvar;Konto;Period;Utfall"]
    n = len(labels)
    for i in range(rows):
        label = labels[i % n]
        month = (i // n) % 12 + 1
        account = 4000 + i // (n * 12)
        amount = ((i * 7919) % 2_000_000 - 1_000_000) / 100
        text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
        lines.append(f"{label};0{180 + i % 7};{account} Lön månadsavlönade;2025{month:02d};{text}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def main(argv: list[str] | None = None) -> int:
    from bench.measure import measure_upload

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="lagret att kopiera (standard: seed-skala)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = args.root
        if root is None:
            root = work / "seed"
            build.build(root, who="bench")
        runs = [measure_upload(root, work, rows=args.rows) for _ in range(args.runs)]
    failed = [r["error"] for r in runs if "error" in r]
    if failed:
        print(failed[0], file=sys.stderr)
        return 1
    first = runs[0]
    size = fmt.number(first["bytes"] / 1e6, 1)
    print(
        f"Fil: {fmt.number(args.rows)} rader, {size} MB (Windows-1252, semikolon); "
        f"{fmt.number(first['outcome_rows_before'])} utfallsrader i lagret före; "
        f"median av {len(runs)} körningar"
    )

    def line(label: str, key: str) -> str:
        seconds = statistics.median(r[key] for r in runs)
        spread = ", ".join(fmt.number(r[key], 2) for r in runs)
        rate = fmt.number(args.rows / seconds) if seconds else "–"
        return f"{label:41} {fmt.number(seconds, 2):>6} s  {rate:>10} rader/s  ({spread})"

    print(line("läsa (typ, kodning, avgränsare, celler)", "read_s"))
    print(line("kontrollera (alla regler)", "validate_s"))
    print(line("lagra (originalfil, logg, belopp, swap)", "store_s"))
    print(line("totalt läsa + kontrollera + lagra", "total_s"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
