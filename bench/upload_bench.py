"""Upload benchmark: rows per second to read, validate and store a 100 000-row export.

Not a test (timings are machine-dependent); run ``python bench/upload_bench.py``. It
builds a private warehouse in a temp directory, writes a realistic Windows-1252 export
(semicolons, decimal comma, space thousands, code and name in one cell, 12 months of
Askersund's 23 verksamheter), then times each step of the real pipeline once.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgetrummet import access, build, db, fmt  # noqa: E402
from budgetrummet.upload import catalogue, kinds, reading, storing  # noqa: E402
from budgetrummet.upload.validation import Settings, validate  # noqa: E402

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


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "wh"
        build.build(root, who="bench")
        wh = db.Warehouse(root)
        known = wh.run_query("upl_verksamheter", org_id="askersund")
        cat = catalogue.catalogue_for("askersund", known)
        labels = sorted(set(known.filter(known["line_key"].str.starts_with("vh"))["line_label"]))
        labels = list({label.split()[0]: label for label in labels}.values())
        data = export(ROWS, labels)
        size = fmt.number(len(data) / 1e6, 1)
        print(f"Fil: {fmt.number(ROWS)} rader, {size} MB (Windows-1252, semikolon)")

        t0 = time.perf_counter()
        raw = reading.read_upload(data, "bench.csv")
        t1 = time.perf_counter()
        mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
        result = validate(raw, Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping), cat)
        t2 = time.perf_counter()
        assert result.ok, result.counts
        done = storing.commit(
            raw, data, result, access.Actor("Bench", frozenset({"ekonom"})), root=root
        )
        t3 = time.perf_counter()
        assert done.rows == ROWS
        out = wh.run_query("upl_outcome_by_month", org_id="askersund", year=2025)
        t4 = time.perf_counter()

    def rate(seconds: float) -> str:
        return f"{fmt.number(seconds, 2):>6} s  {fmt.number(ROWS / seconds):>10} rader/s"

    print(f"läsa (typ, kodning, avgränsare, celler)  {rate(t1 - t0)}")
    print(f"kontrollera (alla regler)                {rate(t2 - t1)}")
    print(f"lagra (originalfil, logg, belopp, swap)  {rate(t3 - t2)}")
    print(f"totalt läsa + kontrollera + lagra        {rate(t3 - t0)}")
    query_time = fmt.number(t4 - t3, 2)
    print(f"fråga upl_outcome_by_month efteråt       {query_time:>6} s  ({out.height} rader)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
