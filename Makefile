# Custodian — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
TEST_WORKERS ?= auto  # pytest-xdist processes (one per core); TEST_WORKERS=0 runs in one process

.PHONY: install demo test lint bench bench-legal screenshots serve clean
WEB_LOAD_SECONDS ?= 60

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q src/custodian >/dev/null  # bytecode now, as a wheel install would
	touch $(STAMP)

install: $(STAMP)  ## create the virtualenv and install pinned dependencies

demo: install  ## init, build the synthetic provider, serve on http://$(HOST):$(PORT)
	$(BIN)/custodian init
	$(BIN)/custodian demo --host $(HOST) --port $(PORT)

test: install  ## the whole suite (PostgreSQL too when CUSTODIAN_TEST_DATABASE_URL is set)
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: install  ## ruff, mypy strict on pure modules, import-linter contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install  ## every benchmark: ingest, legal production, customer export, access decisions, audit chain, retention, consent decisions and suppression lists, disclosure gate, CLI start-up, web load (WEB_LOAD_SECONDS=10 for a quick run)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[bench]'
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/legal_production.py
	$(BIN)/python bench/dsr_export.py
	$(BIN)/python bench/access.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/retention.py
	$(BIN)/python bench/consent.py
	$(BIN)/python bench/consent_suppression.py
	$(BIN)/python bench/disclosures.py
	$(BIN)/python bench/cli_startup.py
	$(BIN)/python bench/web_load.py --seconds $(WEB_LOAD_SECONDS)

bench-legal: install  ## legal production benchmark: 10,000,000 call records, one number over two months (PostgreSQL too with CUSTODIAN_BENCH_DATABASE_URL)
	$(BIN)/python bench/legal_production.py

screenshots: install  ## the user guides' pictures, taken in Chromium over the demo provider, into docs/images
	CUSTODIAN_SCREENSHOTS_DIR=$(CURDIR)/docs/images CUSTODIAN_REQUIRE_BROWSER=1 $(BIN)/pytest -q \
	  tests/web/test_guide_screenshots.py

serve: install
	$(BIN)/custodian serve --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) .custodian .pytest_cache .mypy_cache .ruff_cache
