# MK Directory: `make run` to try it, `make test` to test it.
# `make run` needs only Python. `make test` also installs axe-core with npm for the browser
# tests; nothing here calls apt or needs root. Locally, a missing Chromium or npm skips the
# browser tests with the reason; under CI=true it fails them.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Stamps record a finished install, so a second `make install` does nothing
# unless pyproject.toml or package-lock.json changed since.
APP_STAMP := $(VENV)/.mk-app-installed
DEV_STAMP := $(VENV)/.mk-dev-installed
NODE_STAMP := node_modules/.mk-installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test lint check

help:
	@echo "make run     install, migrate, load the demo data, serve http://127.0.0.1:8000"
	@echo "make test    install with the test tools, then run the whole test suite (PYTEST_ARGS='...')"
	@echo "make install install the project with its test and lint tools (Python only)"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make check   manage.py check and makemigrations --check"

install: $(DEV_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# What the site needs to run, and no more: `make run` stops here.
$(APP_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

# The test and lint tools (pytest, Playwright's Python package, ruff, ...), with the site.
$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(APP_STAMP)

# axe-core, injected into pages by the browser tests only. npm ci removes node_modules
# first, so the stamp inside it is always written after a complete install. Without npm
# no stamp is written, so the next `make test` tries again.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund && touch $@; \
	elif [ "$$CI" = "true" ]; then \
		echo "npm not found: install Node.js and npm to get axe-core for the browser tests" >&2; exit 1; \
	else \
		echo "npm not found: the browser tests will be skipped (install Node.js and npm to run them)" >&2; \
	fi

run: $(APP_STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) create_demo_accounts
	$(MANAGE) runserver 127.0.0.1:8000

# pytest exits 5 when it collected no tests: that is a failure, and says so.
test: install $(NODE_STAMP)
	@$(VENV)/bin/pytest $(PYTEST_ARGS) || { status=$$?; \
		if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
		exit $$status; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
