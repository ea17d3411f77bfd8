"""scripts/ensure_chromium.sh decides correctly when to install the browser, and how.

The script runs against a fake browser path and, where it would install, a fake
``apt-get`` first in PATH, so these tests never touch the machine's packages. They are
not browser tests (no e2e marker): they run everywhere, fast.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.e2e import harness

SCRIPT = harness.REPO_ROOT / "scripts" / "ensure_chromium.sh"
INSTALL = (
    "env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
    "chromium fonts-dejavu-core poppler-utils"
)


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "ENSURE_CHROMIUM_AS")}
    base["BUDGETRUMMET_CHROMIUM"] = str(tmp_path / "bin" / "chromium")
    return subprocess.run(
        ["sh", str(SCRIPT), *args],
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_installed_browser_is_left_alone(tmp_path: Path) -> None:
    executable(tmp_path / "bin" / "chromium", "#!/bin/sh\n")
    done = run(tmp_path, ENSURE_CHROMIUM_AS="root")
    assert done.returncode == 0, done.stderr
    assert "chromium finns" in done.stdout
    assert "apt-get" not in done.stdout


@pytest.mark.parametrize(("how", "prefix"), [("root", ""), ("sudo", "sudo -n ")])
def test_a_missing_browser_is_installed_after_apt_get_update(tmp_path, how, prefix) -> None:
    done = run(tmp_path, "--dry-run", ENSURE_CHROMIUM_AS=how)
    assert done.returncode == 0, done.stderr
    commands = [line.split("kör: ", 1)[1] for line in done.stdout.splitlines() if "kör: " in line]
    assert commands == [f"{prefix}apt-get update", f"{prefix}{INSTALL}"]


def test_the_install_really_runs_apt_get_and_checks_the_result(tmp_path: Path) -> None:
    browser = tmp_path / "bin" / "chromium"
    browser.parent.mkdir()
    calls = tmp_path / "calls.txt"
    fake = executable(
        tmp_path / "fakebin" / "apt-get",
        f'#!/bin/sh\necho "apt-get $*" >> "{calls}"\n'
        f'case "$1" in install) printf "#!/bin/sh\\n" > "{browser}"; chmod +x "{browser}";; esac\n',
    )
    path = f"{fake.parent}:{os.environ['PATH']}"
    done = run(tmp_path, ENSURE_CHROMIUM_AS="root", PATH=path)
    assert done.returncode == 0, done.stderr
    assert calls.read_text().splitlines() == [
        "apt-get update",
        "apt-get install -y --no-install-recommends chromium fonts-dejavu-core poppler-utils",
    ]
    assert "chromium installerad" in done.stdout


def test_an_install_that_leaves_no_browser_fails(tmp_path: Path) -> None:
    fake = executable(tmp_path / "fakebin" / "apt-get", "#!/bin/sh\nexit 0\n")
    done = run(tmp_path, ENSURE_CHROMIUM_AS="root", PATH=f"{fake.parent}:{os.environ['PATH']}")
    assert done.returncode == 1
    assert "finns inte" in done.stderr


def test_without_rights_it_warns_loudly_and_leaves_the_skip_to_pytest(tmp_path: Path) -> None:
    done = run(tmp_path, ENSURE_CHROMIUM_AS="none")
    assert done.returncode == 0
    assert "!!!!" in done.stderr and "hoppas över" in done.stderr
    assert "kör:" not in done.stdout


def test_without_rights_under_ci_it_fails(tmp_path: Path) -> None:
    done = run(tmp_path, ENSURE_CHROMIUM_AS="none", CI="true")
    assert done.returncode == 1
    assert "CI=true" in done.stderr


def test_it_detects_how_it_may_install(tmp_path: Path) -> None:
    done = run(tmp_path, "--dry-run")
    if os.getuid() == 0:
        assert "(root)" in done.stdout
        assert "kör: apt-get update" in done.stdout
    else:
        # Not root: sudo only without a password, else nothing is run.
        assert ("(sudo)" in done.stdout) or ("hoppas över" in done.stderr)


def test_an_unknown_argument_is_refused(tmp_path: Path) -> None:
    assert run(tmp_path, "--yes").returncode == 2
