"""The words every layer shares, defined once.

Traffic lights, reconciliation classes, versions and their labels, units and their
decimals, and the exact decimal type figures are held in. Domain modules, presenters,
charts and pages all read these names from here, so a light or a version is spelled the
same way from the stored row to the badge on screen.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

# --------------------------------------------------------------------------- lights
# Keys are ASCII because they are stored (goal_status.status) and used as widget values.
GREEN, YELLOW, RED, GREY = "gron", "gul", "rod", "gra"
LIGHTS = (RED, YELLOW, GREEN, GREY)
LIGHT_SHORT = {GREEN: "Grön", YELLOW: "Gul", RED: "Röd", GREY: "Grå"}

# ----------------------------------------------------------- reconciliation classes
OK = "stämmer"
ROUNDING = "avrundning"
ERRATUM = "erratum"
CONTRADICTION = "motsägelse"
CLASS_ORDER = {CONTRADICTION: 0, ERRATUM: 1, ROUNDING: 2, OK: 3}

# ------------------------------------------------------------------------- versions
# The council's budget and the budget as adjusted later in the year.
BUDGET_VERSIONS = ("budget_justerad", "budget_kf")
VERSION_LABELS = {
    "bokslut": "Bokslut",
    "budget_kf": "Budget",
    "budget_justerad": "Budget (justerad)",
    "plan": "Plan",
    "prognos": "Prognos",
    "utfall": "Utfall",
}
VERSION_ORDER = {
    "bokslut": 0,
    "utfall": 1,
    "budget_kf": 2,
    "budget_justerad": 2,
    "prognos": 3,
    "plan": 4,
}
# A year is named by what its figure is (Bokslut 2023, Budget 2025, Plan 2026), the
# adjusted budget included: a column heading names the year, not the adjustment.
YEAR_NAMES = {
    "bokslut": "Bokslut",
    "budget_kf": "Budget",
    "budget_justerad": "Budget",
    "plan": "Plan",
}

# ---------------------------------------------------------------------------- units
UNIT_TO_TKR = {"tkr": Decimal(1), "mkr": Decimal(1000)}


def decimals(unit: str) -> int:
    """Decimals a money figure is shown with: one for mkr, none for tkr and kr."""
    return 1 if unit == "mkr" else 0


def quantum(unit: str) -> Decimal:
    """The smallest step shown in ``unit`` (0.1 for mkr, 1 otherwise)."""
    return Decimal(1).scaleb(-decimals(unit))


# -------------------------------------------------------------------------- figures
# Every figure is an exact decimal: 18 digits, 3 after the point (a tkr to the krona).
DECIMAL = pl.Decimal(18, 3)

# -------------------------------------------------------------- uploads and imports
# The state of an upload or a document import in its log (``uploads.status``,
# ``imports.status``), and how the pages name it.
UPLOAD_ACTIVE = "aktiv"
UPLOAD_UNDONE = "ångrad"
UPLOAD_REPLACED = "ersatt"
UPLOAD_STATUS_LABELS = {UPLOAD_ACTIVE: "Aktiv", UPLOAD_REPLACED: "Ersatt", UPLOAD_UNDONE: "Ångrad"}
