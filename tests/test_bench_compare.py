"""The before/after comparison of ``make bench``: ratios, noise and the two claims."""

from __future__ import annotations

from bench import store_compare as sc


def _round(times: dict[tuple[str, str], list[float]], uncached: float = 100.0) -> dict:
    pages = [
        {"title": t, "org": o, "error": None, "warm_ms": ms, "uncached_ms": [uncached]}
        for (t, o), ms in times.items()
    ]
    return {"pages": {"seed": pages, "national": pages}}


def test_a_page_slower_beyond_its_noise_breaks_both_claims() -> None:
    before = [
        _round({("Översikt", "a"): [10, 10, 10], ("Mål", "a"): [20, 20]}),
        _round({("Översikt", "a"): [10, 11, 10], ("Mål", "a"): [20, 22]}),
    ]
    after = [
        _round({("Översikt", "a"): [13, 13, 13], ("Mål", "a"): [19, 19]}),
        _round({("Översikt", "a"): [13, 13, 14], ("Mål", "a"): [21, 21]}),
    ]
    pages = sc.compare_pages(before, after)
    row = next(r for r in pages["seed"]["pages"] if r["page"] == "Översikt")
    assert row["warm"]["before_ms"] == 10.0 and row["warm"]["after_ms"] == 13.0
    assert row["warm"]["ratio"] == 1.3
    assert row["warm"]["round_ratios"] == [1.3, 1.3]
    assert row["warm"]["noise"] == 0.0  # each tree's round medians were equal

    verdict = sc.verdicts(pages)["warm"]
    assert verdict["worst"]["page"] == "Översikt" and verdict["worst"]["ratio"] == 1.3
    assert not verdict["no_page_over_limit"]
    assert verdict["over_limit"] == ["Översikt (a, seed)", "Översikt (a, national)"]
    assert not verdict["no_page_slower"]
    # Mål: 20 -> 20 pooled (19, 19, 21, 21 against 20, 20, 20, 22): not slower.
    assert verdict["slower_beyond_noise"] == ["Översikt (a, seed)", "Översikt (a, national)"]


def test_a_ratio_over_one_inside_the_noise_is_said_to_be_noise() -> None:
    before = [_round({("Mål", "a"): [20, 20]}), _round({("Mål", "a"): [30, 30]})]
    after = [_round({("Mål", "a"): [26, 26]}), _round({("Mål", "a"): [26, 26]})]
    verdict = sc.verdicts(sc.compare_pages(before, after))["warm"]
    assert verdict["worst"]["ratio"] == 1.04  # 26 / 25
    assert verdict["no_page_over_limit"] and not verdict["no_page_slower"]
    assert verdict["slower_beyond_noise"] == []  # before's own rounds differ by 50 %
    assert verdict["noise_max"] == 0.5


def test_pages_only_one_tree_has_are_listed_not_compared() -> None:
    before = [_round({("Mål", "a"): [20]})]
    after = [_round({("Mål", "a"): [20], ("Inläsning", "a"): [5]})]
    pages = sc.compare_pages(before, after)
    assert [r["page"] for r in pages["seed"]["pages"]] == ["Mål"]
    assert pages["seed"]["only_after"] == ["Inläsning (a)"]
    assert sc.verdicts(pages)["warm"]["no_page_slower"]
