# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist): 0 runs in this one. `make test JOBS=2` spreads test files over
# two processes, each with its own servers (and, with --database=postgresql, its own cluster).
# An in-process test server shares the GIL with its test, so one process uses about one core, and
# the reliability tests mostly wait on real processes: CI (.ci/run) uses JOBS=2 on 2 cores. On a
# machine whose cores are busy with other work it is slower.
JOBS ?= 0
PYTEST := $(BIN)/pytest -n $(JOBS) --dist loadfile

.PHONY: run test quick test-browser test-postgresql lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Start the app with demo data on http://127.0.0.1:8000 (demo data is off unless FOTFESTE_DEMO=1)
run: $(STAMP)
	$(BIN)/fotfeste migrate
	FOTFESTE_DEMO=1 $(BIN)/fotfeste serve --host 127.0.0.1 --port 8000

## Run every test (unit, API over HTTP, browser in Chromium, slow reliability runs): as CI does
test: $(STAMP)
	$(PYTEST)

## The development loop: unit and API tests, without the browser and the `slow` ones
quick: $(STAMP)
	$(PYTEST) -m "not slow and not browser" -q

## Only the PWA in Chromium
test-browser: $(STAMP)
	$(PYTEST) tests/browser

## The API and reliability suites on PostgreSQL (a throwaway cluster; needs Debian's postgresql):
## CI runs it after `make test`, so both suites run on both engines (the browser suite on SQLite)
test-postgresql: $(STAMP)
	$(PYTEST) tests/api tests/reliability --database=postgresql

lint: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) var
