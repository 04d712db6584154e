# Two commands for a newcomer: `make run` and `make test`. Both create .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core from the npm registry, injected into Chromium by the booking page's tests.
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js

.PHONY: run test lint unit system format benchmarks screenshots catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(AXE): tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --silent
	touch $(AXE)

run: $(STAMP)
	$(BIN)/inviteonce --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/vulture
	$(BIN)/mypy
	$(BIN)/lint-imports

# The Debian packages the tests need (Chromium, PostgreSQL's server, Qt's libraries):
# installed when root, else the one command to run is printed.
system:
	@bash scripts/system_packages.sh

# Only the tests run offscreen. The PostgreSQL tests use the server at the URL when it
# answers, else the test session starts a throwaway one of its own.
unit: export INVITEONCE_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
unit: export QT_QPA_PLATFORM ?= offscreen
# Every test process, relay worker and sync the tests start imports the project: its
# compiled modules (and pytest's rewritten tests) are kept in __pycache__ between runs,
# even where the environment turns Python's bytecode cache off.
unit: export PYTHONDONTWRITEBYTECODE =
# A file's tests run in one worker (its module's relays and servers start once), the
# files handed out in the order tests/conftest.py sorts them: the long ones first.
unit: system $(STAMP) $(AXE)
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

test: system lint unit

format: $(STAMP)
	$(BIN)/ruff format inviteonce_desktop tests benchmarks

benchmarks: $(STAMP)
	@for b in benchmarks/*.py; do echo "$$b"; $(BIN)/python "$$b"; done

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

# The .po catalogs of the booking page and the emails, with every text the code and
# templates pass to _() / gettext; translations already made are kept.
catalogs: $(STAMP)
	$(BIN)/python scripts/catalogs.py
