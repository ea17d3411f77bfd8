"""The transcription is checked against the source documents line by line."""

import csv
import shutil
from pathlib import Path

from budgetrummet import seed


def test_every_seed_row_stands_on_its_cited_source_line() -> None:
    assert seed.validate_all() == []


def test_sources_are_the_unchanged_documents() -> None:
    import hashlib

    for src in seed.read_csv(seed.SOURCES_DIR / "sources.csv", seed.SOURCE_COLUMNS):
        data = (seed.SOURCES_DIR / src["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == src["sha256"], src["file"]


def _copy_seed(tmp_path: Path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(seed.SEED_DIR, target)
    return target


def _mutate(path: Path, match: str, column: str, new: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hits = [r for r in rows if r["value_printed"] == match]
    assert hits, match
    hits[0][column] = new
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=seed.FIGURE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_mistyped_figure_is_caught(tmp_path: Path) -> None:
    copy = _copy_seed(tmp_path)
    _mutate(copy / "figures" / "askersund_budget_2025.csv", "-116 013", "value_printed", "-116 031")
    problems = seed.validate_all(copy)
    assert len(problems) >= 1
    assert "står inte på rad" in str(problems[0])


def test_a_wrong_source_line_is_caught(tmp_path: Path) -> None:
    copy = _copy_seed(tmp_path)
    _mutate(copy / "figures" / "lerum_vp_2023.csv", "-256,8", "source_line", "312")
    assert any("-256,8" in str(p) for p in seed.validate_all(copy))


def test_a_partial_number_is_not_accepted_as_a_figure(tmp_path: Path) -> None:
    copy = _copy_seed(tmp_path)
    # "15 021" stands inside "115 021" on the same line, but is not a figure there.
    _mutate(copy / "figures" / "askersund_budget_2025.csv", "115 021", "value_printed", "15 021")
    assert seed.validate_all(copy)


def _edit_config(seed_dir: Path, kind: str, doc: str, column: str, new: str) -> None:
    path = seed_dir / "config" / kind / f"{doc}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0][column] = new
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=seed.CONFIG_COLUMNS[kind], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_config_with_an_unknown_line_key_is_refused(tmp_path: Path) -> None:
    seed_dir = _copy_seed(tmp_path)
    _edit_config(seed_dir, "aliases", "askersund_budget_2025", "line_key", "finns_inte")
    (problem,) = seed.validate_config(seed_dir)
    assert "finns_inte" in str(problem) and "config/aliases" in str(problem)


def test_config_for_an_unknown_document_is_refused(tmp_path: Path) -> None:
    seed_dir = _copy_seed(tmp_path)
    _edit_config(seed_dir, "key_matches", "askersund_delar_2024", "match_doc_id", "okand_2099")
    problems = [str(p) for p in seed.validate_config(seed_dir)]
    assert problems and "okand_2099" in problems[0]
    _edit_config(seed_dir, "rules", "lerum_vp_2023", "doc_id", "okand_2099")
    assert any("okänt dokument 'okand_2099'" in p for p in map(str, seed.validate_config(seed_dir)))


def test_a_rule_needs_exactly_one_target_and_a_missing_folder_is_refused(tmp_path: Path) -> None:
    seed_dir = _copy_seed(tmp_path)
    _edit_config(seed_dir, "rules", "askersund_budget_2025", "role", "term")
    assert any("har 0 mål" in str(p) for p in seed.validate_config(seed_dir))
    shutil.rmtree(seed_dir / "config" / "aliases")
    assert any(str(p).startswith("config/aliases") for p in seed.validate_config(seed_dir))
