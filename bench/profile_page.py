"""Where a page run spends its time: cProfile of warm AppTest runs of one page.

``python -m bench.profile_page views/drift.py askersund [data_dir] [--uncached]``
prints the functions with the most cumulative time, own code and libraries alike.
AppTest runs the script in a thread of its own, so the profiler is switched on inside
that thread (``threading.setprofile``), not in the caller.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import tempfile
import threading
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from budgetrummet import build, store  # noqa: E402
from tests.e2e.harness import REPO_ROOT  # noqa: E402


def profile(page: str, org: str, root: Path, runs: int = 10, uncached: bool = False) -> str:
    import streamlit as st  # noqa: TID251
    from streamlit.testing.v1 import AppTest  # noqa: TID251

    from bench.measure import _quiet
    from budgetrummet.ui import data

    _quiet()  # as make bench measures: the local user, no mock connection
    os.environ[store.ENV_DATA_DIR] = str(root)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    at.query_params["org"] = org
    at.run()
    at.switch_page(page).run()
    if at.exception:
        return "\n".join(str(e.value) for e in at.exception)
    profiler = cProfile.Profile()

    def start(frame, event, arg):
        # First event in a new thread: hand that thread over to cProfile.
        sys.setprofile(None)
        profiler.enable()

    threading.setprofile(start)
    try:
        for _ in range(runs):
            if uncached:
                st.cache_data.clear()
                data.QUERIES.clear()
            at.run()
    finally:
        threading.setprofile(None)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    return out.getvalue()


def main(argv: list[str]) -> int:
    flags = {a for a in argv if a.startswith("--")}
    args = [a for a in argv if not a.startswith("--")]
    page, org = args[0], args[1]
    if len(args) > 2:
        root = Path(args[2])
    else:
        root = Path(tempfile.mkdtemp(prefix="profile_"))
        build.build(root, who="profil")
    print(profile(page, org, root, uncached="--uncached" in flags))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
