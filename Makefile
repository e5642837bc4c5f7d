# Two commands for a newcomer: `make demo` and `make test`.  Both install everything
# they need (a virtual environment in .venv/, the local Kafka/Redis/Prometheus stack).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STACK := deploy/local/stack
WITH_STACK := deploy/local/with-stack
PYTEST_ARGS ?=

.PHONY: help install demo test test-clock-ahead lint typecheck unit integration stack-up stack-down stack-status bench clean

help:
	@echo "make demo    run the main job end to end on the local stack"
	@echo "make test    lint, type-check and run every test against the real local stack"
	@echo "make lint | typecheck | unit | bench | stack-up | stack-down | stack-status | clean"

$(STAMP): pyproject.toml tools/pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,rocksdb]' -e tools/
	$(BIN)/python -m streams.detection.registry
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(WITH_STACK) -- $(BIN)/opguard demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -m "not integration" $(PYTEST_ARGS)

# The pipeline's tests once more with the system clock 400 days ahead (libfaketime, its
# monotonic option left off: it makes time.sleep fail): event time decides, so nothing
# may change (docs/POLICY.md, "Time").
CLOCK_SHIFTED_TESTS := tests/test_event_time.py tests/test_pipeline_unit.py \
	tests/integration/test_pipeline.py tests/integration/test_backfill.py \
	tests/integration/test_redis_state.py

test: lint typecheck
	$(STACK) require faketime
	$(WITH_STACK) -- bash -c '$(BIN)/pytest $(PYTEST_ARGS) && \
	  faketime -f "+400d" $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) $(CLOCK_SHIFTED_TESTS)'

test-clock-ahead: install
	$(STACK) require faketime
	$(WITH_STACK) -- faketime -f "+400d" $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) $(CLOCK_SHIFTED_TESTS)

bench: install
	$(WITH_STACK) --services "kafka redis" -- bash -c '$(BIN)/opguard bench detector && $(BIN)/opguard bench pipeline'

stack-up:
	$(STACK) up

stack-down:
	$(STACK) down

stack-status:
	$(STACK) status

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist *.egg-info tools/*.egg-info
