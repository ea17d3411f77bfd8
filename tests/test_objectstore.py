"""The store's tables on object storage: copy, read back, concurrent writers, time travel,
against Azurite (Microsoft's Azure Storage emulator) started by the verification script."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from budgetrummet import cli, store
from budgetrummet.seed import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "verify_object_storage.sh"
AZURITE = REPO_ROOT / ".tools" / "azurite" / "node_modules" / ".bin" / "azurite-blob"


def test_copy_to_refuses_a_malformed_option(warehouse_dir: Path) -> None:
    out = io.StringIO()
    code = cli.main(["store", "copy-to", "az://budget/x", "--option", "utan-likhetstecken"], out)
    assert code == cli.USAGE


def test_store_needs_a_subcommand(warehouse_dir: Path) -> None:
    assert cli.main(["store"], io.StringIO()) == cli.USAGE


@pytest.mark.slow
def test_tables_on_azurite(warehouse_dir: Path, tmp_path: Path) -> None:
    if not AZURITE.exists() and not (shutil.which("node") and shutil.which("npm")):
        pytest.skip(
            "node och npm saknas: Azurite kan inte installeras (apt-get install nodejs npm)"
        )
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    env = {**os.environ, "BUDGETRUMMET_DATA_DIR": str(root)}
    done = subprocess.run(
        [str(SCRIPT)], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    copied = next(line for line in lines if line.startswith("Kopierat"))
    assert " 0 rader" not in copied
    assert any("samma antal rader och kontrollsumma" in line for line in lines)
    # Different organisations: each writer commits at its first attempt; the same
    # organisation: one conflict, one retry, and the counter counts both.
    assert (
        "olika organisationer: a: 1 försök, b: 1 försök; räknarna {'a': 1, 'b': 1}" in done.stdout
    )
    assert "samma organisation: a: 1 försök, a: 2 försök; räknarna {'a': 3, 'b': 1}" in done.stdout
    assert any(line.startswith("Tidsresa:") for line in lines)
    copies = [
        e for e in store.read_audit(root) if e["action"] == "kopiera lagret till objektlagring"
    ]
    assert len(copies) == 1 and copies[0]["uri"].startswith("az://budget/prov-")
