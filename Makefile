# MK Directory: `make run` to try it, `make test` to test it.
# Nothing here calls apt or needs root; Chromium for the browser tests is optional
# locally (those tests are skipped with a reason when it is missing).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Stamps record a finished install, so a second `make install` does nothing
# unless pyproject.toml or package-lock.json changed since.
PY_STAMP := $(VENV)/.mk-installed
NODE_STAMP := node_modules/.mk-installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test lint check

help:
	@echo "make run     install, migrate, load the demo data, serve http://127.0.0.1:8000"
	@echo "make test    install, then run the whole test suite (PYTEST_ARGS='...' to pass options)"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make check   manage.py check and makemigrations --check"

install: $(PY_STAMP) $(NODE_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# axe-core, injected into pages by the browser tests. npm ci removes node_modules
# first, so the stamp inside it is always written after a complete install.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "npm not found: install Node.js and npm to get axe-core for the browser tests" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) create_demo_accounts
	$(MANAGE) runserver 127.0.0.1:8000

# pytest exits 5 when it collected no tests: that is a failure, and says so.
test: install
	@$(VENV)/bin/pytest $(PYTEST_ARGS) || { status=$$?; \
		if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
		exit $$status; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
