"""The benchmark's results as Markdown, and each performance target judged against them.

Numbers in the tables are milliseconds unless the heading says otherwise; the text is
Swedish like the rest of the project's documentation.
"""

from __future__ import annotations

SEED_PAGE_MS = 150
NATIONAL_PAGE_MS = 500
SLIDER_MS = 50
RATIO_FACTOR, RATIO_PLUS_MS = 2, 30
UPLOAD_ROWS_PER_S = 100_000
MEMORY_MIB = 1024


def _ms(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}".replace(",", " ") if value >= 100 else f"{value:.1f}".replace(".", ",")


def _s(value) -> str:
    """Seconds with a decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def _n(value) -> str:
    return f"{value:,}".replace(",", " ")


SCALES = {"seed": "seed", "national": "nationell"}


def _yes(met: bool | None) -> str:
    return "–" if met is None else ("ja" if met else "**nej**")


def targets(results: dict) -> list[dict]:
    """One row per target: what was required, what was measured, met or not."""
    rows = []
    for scale, limit in (("seed", SEED_PAGE_MS), ("national", NATIONAL_PAGE_MS)):
        for page in results.get("pages", {}).get(scale, []):
            if page.get("error"):
                rows.append(
                    {
                        "page": page["title"],
                        "org": page["org"],
                        "scale": scale,
                        "target": f"sida {page['title']} ({page['org']}), {SCALES[scale]}",
                        "limit": f"≤ {limit} ms",
                        "measured": f"fel: {page['error']}",
                        "met": False,
                        "met_uncached": False,
                    }
                )
                continue
            rows.append(
                {
                    "page": page["title"],
                    "org": page["org"],
                    "scale": scale,
                    "target": f"sida {page['title']} ({page['org']}), {SCALES[scale]}, varm median",
                    "limit": f"≤ {limit} ms",
                    "measured": f"{_ms(page['warm_median_ms'])} ms (p95 "
                    f"{_ms(page['warm_p95_ms'])}, utan cache {_ms(page['uncached_median_ms'])})",
                    "met": page["warm_median_ms"] <= limit,
                    "met_uncached": page["uncached_median_ms"] <= limit,
                }
            )
            allowed = RATIO_FACTOR * page["raw_median_ms"] + RATIO_PLUS_MS
            rows.append(
                {
                    "page": page["title"],
                    "org": page["org"],
                    "scale": scale,
                    "target": f"appens tid mot rå SQL, {page['title']} ({page['org']}), "
                    f"{SCALES[scale]}",
                    "limit": f"≤ 2 × {_ms(page['raw_median_ms'])} + 30 = {allowed:.0f} ms",
                    "measured": f"{_ms(page['uncached_median_ms'])} ms utan cache "
                    f"({_s(page['ratio_uncached_to_raw'])} ×)",
                    "met": page["uncached_median_ms"] <= allowed,
                }
            )
    browser = results.get("browser", {})
    for scale, slider in (browser.get("slider") or {}).items():
        if isinstance(slider, dict) and slider.get("fragment_median_ms") is not None:
            rows.append(
                {
                    "target": f"reglagets omkörning (fragmentet), {SCALES[scale]}",
                    "limit": f"≤ {SLIDER_MS} ms",
                    "measured": f"{_ms(slider['fragment_median_ms'])} ms median "
                    f"(p95 {_ms(slider['fragment_p95_ms'])})",
                    "met": slider["fragment_median_ms"] <= SLIDER_MS,
                }
            )
    for scale, upload in results.get("upload", {}).items():
        if "rows_per_s" in upload:
            rows.append(
                {
                    "target": f"uppladdning 100 000 rader, {SCALES[scale]}",
                    "limit": f"≥ {_n(UPLOAD_ROWS_PER_S)} rader/s",
                    "measured": f"{_n(upload['rows_per_s'])} rader/s",
                    "met": upload["rows_per_s"] >= UPLOAD_ROWS_PER_S,
                }
            )
    conc = browser.get("concurrency")
    if isinstance(conc, dict):
        rows.append(
            {
                "target": f"serverns minne med {conc['sessions']} samtidiga sessioner",
                "limit": f"≤ {MEMORY_MIB} MiB",
                "measured": f"{conc['peak_rss_mib']} MiB (topp, VmHWM; "
                f"{conc['sessions_with_errors']} sessioner med fel)",
                "met": conc["peak_rss_mib"] <= MEMORY_MIB and conc["sessions"] >= 20,
            }
        )
    two = browser.get("concurrency_two_replicas")
    if isinstance(two, dict):
        rows.append(
            {
                "target": f"två repliker (`streamlit run`) under {two['sessions']} sessioner",
                "limit": "inga fel",
                "measured": f"{two['sessions_with_errors']} sessioner med fel på "
                f"{_s(two['seconds'])} s",
                "met": two["sessions_with_errors"] == 0 and two["sessions"] >= 20,
            }
        )
        seen = two.get("commit_seen_by_other")
        if isinstance(seen, dict):
            rows.append(
                {
                    "target": "uppladdning på en replik syns på den andra utan omstart",
                    "limit": "vid nästa omkörning",
                    "measured": f"efter {_s(seen['seconds_to_seen'])} s, {seen['reruns']} "
                    "omkörning(ar)"
                    if seen.get("seen")
                    else str(seen)[:200],
                    "met": bool(seen.get("seen")) and seen.get("reruns") == 1,
                }
            )
    return rows


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Prestanda: resultat från `make bench`",
        "",
        f"Taget {results['taken_at']} på {m['cpu'] or 'okänd processor'}, {m['cores']} kärnor, "
        f"{_s(m['memory_gib'])} GiB minne, {m['os']}, Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
        + f". Hela körningen tog {results.get('seconds_total', '–')} s"
        + (
            f"; maskinens belastning (load average) {_s(m['load_average_start'])} vid start och "
            f"{_s(results.get('load_average_end', 0))} vid slut."
            if "load_average_start" in m
            else "."
        ),
        "",
        results["note"],
        "",
        "## Data",
        "",
        "| tabell | seed | nationell |",
        "|---|---:|---:|",
    ]
    data = results["data"]
    for table in ("outcome", "uploads", "figures", "reconciliation", "goals", "goal_status",
                  "texts", "sources", "organisations"):  # fmt: skip
        lines.append(
            f"| {table} | {_n(data['seed']['rows'].get(table, 0))} "
            f"| {_n(data['national']['rows'].get(table, 0))} |"
        )
    nat = data["national"]
    lines += [
        "",
        f"Nationell skala: {nat['organisations']} kommuner, genererad på {_s(nat['generate_s'])} s "
        f"och publicerad på {_s(nat['publish_s'])} s genom `store.publish` "
        f"({_s(nat['parquet_mib'])} MiB "
        "Parquet). Se `bench/national.py` för hur den byggs.",
        "",
        "## Sidor: serverns tid för en hel sidkörning (ms)",
        "",
        "Varm = datacachen fylld (varje omkörning och senare besökare); utan cache = "
        "frågecachen (`ui/data.QUERIES`) och `st.cache_data` tömda före körningen "
        "(första besökaren efter en ny publicering); "
        "rå SQL = sidans egna frågor direkt i ett nytt lager (DuckDB med trädets egna "
        "vyer) på samma Parquet-filer.",
        "",
        "| sida | org | seed varm median | seed p95 | seed utan cache | seed rå SQL "
        "| nationell varm median | nationell p95 | nationell utan cache | nationell rå SQL |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    pages = results["pages"]
    for seed, nat_page in zip(pages["seed"], pages["national"], strict=True):
        cells = []
        for p in (seed, nat_page):
            if p.get("error"):
                cells += ["fel", "", "", ""]
            else:
                cells += [
                    _ms(p["warm_median_ms"]),
                    _ms(p["warm_p95_ms"]),
                    _ms(p["uncached_median_ms"]),
                    _ms(p["raw_median_ms"]),
                ]
        lines.append(f"| {seed['title']} | {seed['org']} | " + " | ".join(cells) + " |")
    lines += ["", "## Reglaget, uppladdning, webbläsare", ""]
    browser = results.get("browser", {})
    for scale in ("seed", "national"):
        s = (browser.get("slider") or {}).get(scale)
        a = results.get("slider_apptest", {}).get(scale, {})
        if isinstance(s, dict) and "error" in s:
            lines.append(f"- Reglage ({SCALES[scale]}): mätningen misslyckades: {s['error']}")
        elif isinstance(s, dict):
            lines.append(
                f"- Reglage ({SCALES[scale]}, Askersund, krav 2026 med piltangent): "
                "fragmentets omkörning "
                f"{_ms(s['fragment_median_ms'])} ms median (p95 {_ms(s['fragment_p95_ms'])}), "
                f"ny siffra på skärmen efter {_ms(s['to_screen_median_ms'])} ms; hela sidan "
                f"om (AppTest, övre gräns) {_ms(a.get('full_rerun_median_ms'))} ms."
            )
    floor = browser.get("fragment_floor")
    if isinstance(floor, list):
        parts = [
            f"{f['elements']} element{' och ett diagram' if f.get('chart') else ''} "
            f"{_ms(f['fragment_median_ms'])} ms "
            f"(på skärmen {_ms(f['to_screen_median_ms'])} ms)"
            for f in floor
        ]
        lines.append(
            "- Streamlits eget golv för en fragmentomkörning (minimal app med reglage och "
            "rader, ibland ett diagram, `bench/fragment_floor_app.py`): " + "; ".join(parts) + "."
        )
    for scale, u in results.get("upload", {}).items():
        if "rows_per_s" in u:
            lines.append(
                f"- Uppladdning ({SCALES[scale]}, {_n(u['rows'])} rader Windows-1252 in i "
                f"{_n(u['outcome_rows_before'])} befintliga): läsa {_s(u['read_s'])} s, "
                f"kontrollera {_s(u['validate_s'])} s, lagra {_s(u['store_s'])} s = "
                f"**{_n(u['rows_per_s'])} rader/s** "
                f"(läsa + kontrollera {_n(u['read_validate_rows_per_s'])} rader/s)."
            )
        else:
            lines.append(f"- Uppladdning ({SCALES[scale]}): {u.get('error')}")
    for scale, loads in (browser.get("cold_load") or {}).items():
        if isinstance(loads, list):
            parts = [
                f"{x['page']} {_ms(x['first_ms'])} ms (senare {_ms(x['later_median_ms'])}, "
                f"servern klar efter {_ms(x.get('script_finished_median_ms'))})"
                for x in loads
            ]
            lines.append(
                f"- Kall webbläsare till första ritade diagrammet ({SCALES[scale]}, Askersund; "
                "första laddningen efter serverstart, i parentes median av senare laddningar "
                "och när servern hade skickat hela sidan – resten är webbläsarens hämtning och "
                "tolkning av Streamlits och Plotlys JavaScript och ritandet): "
                + "; ".join(parts)
                + "."
            )
    conc = browser.get("concurrency")
    if isinstance(conc, dict):
        lines.append(
            f"- {conc['sessions']} samtidiga webbläsarsessioner (nationell skala, "
            f"{conc['organisations']} olika kommuner, {conc['page_views']} sidvisningar på "
            f"{_s(conc['seconds'])} s): serverns minne {conc['baseline_rss_mib']} MiB före, "
            f"**topp {conc['peak_rss_mib']} MiB**, {conc['rss_after_mib']} MiB efter; "
            f"sessioner med fel: {conc['sessions_with_errors']}"
            + (f" ({'; '.join(conc['server_errors'])})" if conc["server_errors"] else "")
            + "."
        )
    elif conc:
        lines.append(f"- Samtidiga sessioner: {conc}")
    two = browser.get("concurrency_two_replicas")
    if isinstance(two, dict):
        lines.append(
            f"- Samma last på {two['replicas']} repliker (två `streamlit run` över samma "
            f"datakatalog, sessionerna fördelade i tur och ordning): {two['sessions']} "
            f"sessioner, {two['page_views']} sidvisningar på {_s(two['seconds'])} s (en "
            f"server: {_s(conc['seconds']) if isinstance(conc, dict) else '–'} s); "
            + (
                "minne topp per replik "
                + " och ".join(f"{m} MiB" for m in two["peak_rss_mib_per_replica"])
                + " (sessioner per replik "
                + "/".join(str(n) for n in two.get("sessions_per_replica", []))
                + ")"
                if two.get("peak_rss_mib_per_replica")
                else f"första replikens minne topp {two['peak_rss_mib']} MiB"
            )
            + f"; sessioner med fel: {two['sessions_with_errors']}"
            + (f" ({'; '.join(two['server_errors'])})" if two["server_errors"] else "")
            + "."
        )
        seen = two.get("commit_seen_by_other")
        if isinstance(seen, dict) and seen.get("seen"):
            lines.append(
                f"- En uppladdning sparad på den ena replikens Uppladdning (nr {seen['upload']}) "
                f"syntes på den andra utan omstart efter {_s(seen['seconds_to_seen'])} s "
                f"({seen['reruns']} omkörning{'ar' if seen['reruns'] != 1 else ''} av "
                "sessionen där: Översikt, Uppladdning och historikfliken; samma väg före "
                f"skrivningen tog {_s(seen.get('seconds_round_trip_before', 0))} s)."
            )
        elif seen:
            lines.append(f"- Skrivning på en replik, sedd på den andra: **{seen}**")
    elif two:
        lines.append(f"- Två repliker: {two}")
    if browser.get("skipped"):
        lines.append(f"- Webbläsardelen kördes inte: {browser['skipped']}.")
    lines += [
        "",
        "## Prestandamålen",
        "",
        f"Sidor: varm median ≤ {SEED_PAGE_MS} ms i seed-skala och ≤ {NATIONAL_PAGE_MS} ms i "
        "nationell skala (även utan cache visas); appens tid utan cache ≤ 2 × rå SQL + 30 ms.",
        "",
        "| sida | org | seed varm | seed utan cache | seed mot rå SQL "
        "| nationell varm | nationell utan cache | nationell mot rå SQL |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_page: dict[tuple[str, str], dict[str, list[str]]] = {}
    for t in results.get("targets", []):
        if t.get("page"):
            by_page.setdefault((t["page"], t["org"]), {}).setdefault(t["scale"], []).extend(
                _yes(t.get(k)) for k in ("met", "met_uncached") if k in t
            )
    for (page, org), scales in by_page.items():
        cells = [c for scale in ("seed", "national") for c in scales.get(scale, ["–"] * 3)]
        lines.append(f"| {page} | {org} | " + " | ".join(cells) + " |")
    lines += ["", "| mål | krav | uppmätt | nått |", "|---|---|---|---|"]
    for t in results.get("targets", []):
        if not t.get("page"):
            lines.append(f"| {t['target']} | {t['limit']} | {t['measured']} | {_yes(t['met'])} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    # Re-render results.md from results.json (e.g. after a change to this module).
    import json
    import sys
    from pathlib import Path

    source = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/results.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    data["targets"] = targets(data)
    source.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    source.with_name("results.md").write_text(markdown(data), encoding="utf-8")
