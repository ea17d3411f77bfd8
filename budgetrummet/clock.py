"""Today's date for the pages, injectable for tests and demonstrations.

Pages that say how old the data is ("Senaste budget gäller …") ask :func:`today`. It is
the system date unless ``BUDGETRUMMET_TODAY`` holds an ISO date (``ÅÅÅÅ-MM-DD``), which
lets a test or a demonstration show the app as it looks on another day. An unreadable
value is ignored.
"""

from __future__ import annotations

import os
from datetime import date

ENV_TODAY = "BUDGETRUMMET_TODAY"


def today() -> date:
    value = os.environ.get(ENV_TODAY, "").strip()
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return date.today()
