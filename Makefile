# Studieväg: the two commands a newcomer needs are `make demo` and `make test`.
# Everything else is a step they depend on, or for developers.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
SCALE  ?= 60000
# The PostgreSQL server the suite (and the benchmark) uses when one answers.
PG_URL ?= postgres://postgres@127.0.0.1:5432/studievag
# The benchmark's own database (created when missing; the national data set is kept there).
BENCH_URL ?= postgres://postgres@127.0.0.1:5432/studievag_bench
DEMO_DB := var/demo.sqlite3

export STUDIEVAG_DEBUG ?= 1

.PHONY: assets demo test test-sqlite test-postgres test-container bench lint messages system-deps venv clean

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## Compile the translation catalogues (.po -> .mo) with polib; no gettext needed.
messages: venv
	$(BIN)/python scripts/compile_messages.py

## Front-end libraries from the npm registry, copied where Django serves static files.
VENDOR := studievag/static/vendor
assets: $(VENDOR)/.installed
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)/chart.js
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chart.js/
	cp node_modules/chart.js/LICENSE.md $(VENDOR)/chart.js/
	touch $@

## Debian packages for browser tests and PDFs (Chromium, Pango, fonts), when root and missing.
system-deps:
	@scripts/system-deps

## Start the application on 127.0.0.1:$(PORT) with the demo data set on SQLite.
demo: venv messages assets
	mkdir -p var
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py migrate --no-input -v 0
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py demo_seed
	@echo "Studieväg runs on http://127.0.0.1:$(PORT)/ with its job worker and scheduler (Ctrl-C stops all three)"
	@export DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB); \
	$(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	$(BIN)/python manage.py jobs_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

## The whole suite: on SQLite, and on PostgreSQL as well when one is reachable (there
## only the tests that use the database, and not the browser journeys or the checks of
## the demo data set: those gave their answer on SQLite; see studievag/conftest.py).
test: venv messages assets system-deps
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(CURDIR) $(BIN)/lint-imports
	$(BIN)/mypy
	$(MAKE) --no-print-directory test-sqlite
	@if scripts/pg-up "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres PYTEST_ARGS="--database-tests-only $(PYTEST_ARGS)"; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL): CI must test on PostgreSQL too."; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(PG_URL): the suite ran on SQLite only."; \
	fi

test-sqlite: venv
	@echo "== Test suite on SQLite =="
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

test-postgres: venv
	@echo "== Test suite on PostgreSQL ($(PG_URL)) =="
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

## The container image: build it, migrate, serve, health check (needs a running docker).
## CONTAINER_BASE= builds on another Debian bookworm + Python 3.11 image than python:3.11-slim.
test-container: venv
	STUDIEVAG_CONTAINER_TEST=1 STUDIEVAG_CONTAINER_BASE=$(CONTAINER_BASE) \
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest -m container -p no:xdist $(PYTEST_ARGS)

## Benchmarks on PostgreSQL: one figure a line, `name: value unit`.
bench: venv
	@scripts/pg-up "$(BENCH_URL)" || (echo "make bench needs PostgreSQL at $(BENCH_URL)"; exit 1)
	$(BIN)/python scripts/pg_createdb.py "$(BENCH_URL)"
	DATABASE_URL=$(BENCH_URL) STUDIEVAG_DEBUG=0 STUDIEVAG_SECURE_COOKIES=0 \
	STUDIEVAG_ALLOWED_HOSTS=127.0.0.1,testserver \
	STUDIEVAG_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	$(BIN)/python manage.py bench --scale $(SCALE) $(BENCH_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(CURDIR) $(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var staticfiles
