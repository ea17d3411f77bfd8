"""A manager opens Mål: the red goals are on the first screen, in colour.

On a laptop (1366×768) the first screen, before any scrolling, must show what needs
attention: the red goals of the interim report, each with a red badge, and the overdue
follow-ups. The colour is checked in the browser (the badge's computed background), not
only the word.
"""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

RED_GOALS = (
    "Mål 3: Deltagarna inom arbetsmarknadsenheten",
    "Mål 4: Kommunens nya invånare ska lära sig god svenska",
)


def in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def is_red(rgb: str) -> bool:
    """``rgb(r, g, b)`` or ``rgba(r, g, b, a)``: clearly more red than green and blue."""
    r, g, b = (float(v) for v in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
    return r > 120 and r > g + 60 and r > b + 60


def test_the_managers_first_screen_shows_the_red_goals_in_colour(page, app_url) -> None:
    harness.goto(page, harness.page_url(app_url, "mal", "askersund"))
    assert harness.heading(page) == "Mål – Askersund"
    heading = page.get_by_role("heading", name="Behöver uppmärksamhet")
    assert in_first_screen(page, heading)
    for title in RED_GOALS:
        item = page.locator(f"{harness.MAIN} li").filter(has_text=title)
        assert in_first_screen(page, item), title
        badge = item.locator(".stMarkdownBadge").filter(has_text="Röd")
        # The badge's text is red (its background a light red).
        colour = badge.evaluate("e => getComputedStyle(e).color")
        assert is_red(colour), colour
    overdue = page.get_by_text("uppföljningar försenade").first
    assert in_first_screen(page, overdue)
    assert harness.problems_on_page(page) == []
