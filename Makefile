# One entry point for people and CI. `make check` is the test command (.ci/run calls it).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup demo check lint types compose test schema

$(BIN)/newsingest: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/newsingest

# Ingest the bundled demo world; starts an embedded Redis when none answers.
demo: setup
	$(BIN)/newsingest demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check service workers schemas

types: setup
	$(BIN)/mypy

test: setup
	$(BIN)/pytest -q

# docker-compose.yml validated by a real Compose implementation (no engine needed).
compose:
	bash .ci/compose-check

check: lint types compose test

schema: setup
	$(BIN)/newsingest schema --out schemas/article-event.v1.schema.json

# Benchmarks against reader, newspaper4k, a trafilatura script and the bare-aiohttp limit
# (bench/, BENCHMARKS.md). `bench` runs the real sizes (about 40 minutes on 2 cores) and
# prints one table; `bench-smoke` runs tiny sizes once, in about two minutes.
.PHONY: bench bench-smoke
bench: setup
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench

bench-smoke: setup
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench --smoke
