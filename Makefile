# Two commands do all the set-up (README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LDBC_DIR ?= ../shared/data/ldbc-snb/sf0.1

.PHONY: run test check lint bench bench-cpu bench-huge bench-load soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: seed reference data, import the LDBC sample once, serve on http://127.0.0.1:8000/graphql
run: $(STAMP)
	$(VENV)/bin/expecs seed
	$(VENV)/bin/expecs import ldbc $(LDBC_DIR) --skip-if-loaded
	$(VENV)/bin/expecs serve

## test: lint and type-check, then the whole suite on both stores (starts a local Neo4j; see README)
test: lint
	PYTHONNEO4JDEBUG=1 $(PY) -m pytest -q $(PYTEST_ARGS)

## check: exactly what CI runs
check: test

## lint: ruff, then mypy (strict; its files and per-package leniency are in pyproject.toml)
lint: $(STAMP)
	$(VENV)/bin/ruff check graph_api schema resolvers graph_db devtools tests bench
	$(VENV)/bin/mypy

BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

## bench: generate, load and measure everything; writes BENCHMARKS.md and the chart (starts its own
## Neo4j and @neo4j/graphql). BENCH_PEOPLE=10000 BENCH_SMALL=2000 for a quick run.
BENCH_PEOPLE ?= 100000
BENCH_SMALL ?= 10000
bench: $(BENCH_STAMP)
	BENCH_PEOPLE=$(BENCH_PEOPLE) BENCH_SMALL=$(BENCH_SMALL) $(PY) -m bench run $(BENCH_ARGS)
	$(PY) -m bench analytics

## bench-huge: generate 1,000,000 people (~10M connections), load them into each store (Neo4j only
## if its load fits in 10 minutes) and measure the mix; a section of BENCHMARKS.md
BENCH_HUGE ?= 1000000
bench-huge: $(BENCH_STAMP)
	BENCH_HUGE=$(BENCH_HUGE) $(PY) -m bench load --measure $(BENCH_ARGS)

## bench-cpu: CPU ms per request by process (API, Neo4j, load driver) for the mix on Neo4j,
## ours and @neo4j/graphql: where the time goes (BENCHMARKS.md section)
bench-cpu: $(BENCH_STAMP)
	$(PY) -m bench cpu --people $(BENCH_PEOPLE) $(BENCH_ARGS)

## bench-load: time the generator and the bulk load of BENCH_PEOPLE people into each store
bench-load: $(BENCH_STAMP)
	$(PY) -m bench load --people $(BENCH_PEOPLE) $(BENCH_ARGS)

## soak: the query mix with 16 clients for 10 minutes on each store; 5xx, p95 over time and
## server memory into BENCHMARKS.md (SOAK_SECONDS=60 for a short run)
SOAK_SECONDS ?= 600
soak: $(BENCH_STAMP)
	SOAK_SECONDS=$(SOAK_SECONDS) $(PY) -m bench soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
