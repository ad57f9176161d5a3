# Consult: `make run` to use it, `make test` to check it. Both work on a fresh clone.
# `make serve` runs it as a server does (README: Serving).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SERVER_INSTALLED := $(VENV)/.installed-server
HOST ?= 127.0.0.1
PORT ?= 8000
# gunicorn: its documentation's (2 x cores) + 1 worker processes; a worker silent for
# TIMEOUT seconds (stuck: documents are made by the task worker) is killed and replaced.
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
TIMEOUT ?= 60
# Task workers under `make serve`: two, so a short paper is made while a long one is
# laid out (`make bench`: bench_queue.py). Each lays out at most one paper at a time.
TASK_WORKERS ?= 2

# Debian packages: Chromium for the browser tests, poppler (to read PDFs back, and on
# a server too: pdftoppm draws an uploaded SVG logo as PNG),
# HarfBuzz's subsetter so WeasyPrint subsets fonts quickly, Pango for WeasyPrint.
DEBIAN_PACKAGES := chromium poppler-utils libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libreoffice-writer-nogui
# `make cluster` alone: nginx as the load balancer.
CLUSTER_PACKAGES := nginx
SYSTEM_PACKAGES ?= $(DEBIAN_PACKAGES)

.PHONY: install install-server check-wheels system-deps run serve test test-all lint bench \
	loadtest faults cluster cluster-faults mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(INSTALLED)

# What a server needs and nothing more (no browser, load tester or test tools). A
# .venv that `make install` made already has it all: it is brought up to date as it is.
$(SERVER_INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	if [ -f $(INSTALLED) ]; then \
	  $(MAKE) --no-print-directory $(INSTALLED); \
	else \
	  $(BIN)/python -m pip install --quiet -c constraints.txt .; \
	fi
	touch $@

install-server: $(SERVER_INSTALLED)

# CI runs Debian 12's Python 3.11; this shows every pin has a wheel for 3.12 and 3.13.
check-wheels: | $(BIN)/python
	$(BIN)/python bin/check-wheels 3.12 3.13

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install these Debian packages first:$$missing" >&2; exit 1; \
	  fi; \
	fi

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed
	DEBUG=1 $(BIN)/python manage.py create_demo_users
	@echo
	@echo "Consult is at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo
	DEBUG=1 TASK_WORKERS=1 bin/together $(BIN)/python manage.py db_worker --no-reload \
	  -- $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# A server: SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS from the environment. gunicorn
# loads the application once and forks its workers from it (--preload: they share its
# memory), and replaces each after about 500 requests, returning what renders took.
serve: install-server
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	TASK_WORKERS=$(TASK_WORKERS) bin/together $(BIN)/python manage.py db_worker \
	  -- $(BIN)/gunicorn consult.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
	     --timeout $(TIMEOUT) --max-requests 500 --max-requests-jitter 50 --preload \
	     --access-logfile - --no-control-socket \
	     --access-logformat '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# The tests run in parallel, a worker per core (TEST_WORKERS), each with its own test
# database (tests/conftest.py keeps a module's tests together where they share work). On
# PostgreSQL (DATABASE_URL) `make test` runs the tests that use the database and the
# browser's sign-off journey; `make test-all` runs every test on SQLite, then on the
# PostgreSQL at TEST_ALL_DATABASE_URL. HYPOTHESIS_PROFILE=full tries every example.
TEST_WORKERS ?= auto
TEST_ALL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/consult
PYTEST := SECRET_KEY=$${SECRET_KEY:-insecure-key-for-tests-only} $(BIN)/pytest \
	-n $(TEST_WORKERS) --durations=15

test: install system-deps
	$(PYTEST)

test-all: install system-deps
	env -u DATABASE_URL $(PYTEST)
	DATABASE_URL=$(TEST_ALL_DATABASE_URL) $(PYTEST) --every-test

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

bench: install
	$(BIN)/python -W ignore tests/bench/bench_save.py
	$(BIN)/python -W ignore tests/bench/bench_response_page.py
	$(BIN)/python -W ignore tests/bench/bench_editor.py
	$(BIN)/python -W ignore tests/bench/bench_pdf.py
	$(BIN)/python -W ignore tests/bench/bench_documents.py
	$(BIN)/python -W ignore tests/bench/bench_queue.py
	$(BIN)/python -W ignore tests/bench/bench_import.py
	$(BIN)/python -W ignore tests/bench/bench_dashboard.py

# Load, and faults under load, against the server as `make serve` runs it, on a
# PostgreSQL cluster of their own at 127.0.0.1 (initdb as root or the postgres user).
loadtest: install
	$(BIN)/python tests/load/run.py

faults: install
	$(BIN)/python tests/load/run.py --faults

# Two app servers and two task workers behind nginx on 127.0.0.1, against one of each
# in the same run; FAULTS=1 kills one app server and one task worker mid-load instead
# (docs/deploy/scale.md).
cluster: install
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(CLUSTER_PACKAGES)"
	$(BIN)/python tests/load/cluster.py $(if $(filter 1,$(FAULTS)),--faults)

cluster-faults:
	@$(MAKE) --no-print-directory cluster FAULTS=1

# A new sample each run, its seed printed: `make mutation SEED=123` draws it again.
mutation: install
	$(BIN)/python tests/mutation/run.py $(if $(SEED),--seed $(SEED)) \
	  $(if $(PER_MODULE),--per-module $(PER_MODULE)) \
	  $(if $(MUTATION_DATABASE_URL),--database-url $(MUTATION_DATABASE_URL))
