# One task runner for README, CI and developers. A fresh machine needs only
# python3.11 and make: the first target bootstraps uv into .tools/ from PyPI and
# installs the locked dependencies (uv.lock) into .venv/.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test test-fast lint format warehouse setup clean bench

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced

warehouse: setup
	$(PY) -m budgetrummet.build

run: warehouse
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: setup lint
	sh scripts/ensure_chromium.sh
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not e2e"

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Performance at seed and national scale, before (01f35cc) and after in the same run
# (bench/README.md); under 15 min on 2 cores.
bench: setup
	sh scripts/ensure_chromium.sh
	$(PY) -m bench.run
	$(PY) -m bench.store_compare

clean:
	rm -rf .venv .tools data/warehouse .pytest_cache .ruff_cache test-artifacts
