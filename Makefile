# Developer entry points for Autoencoder Lab: make venv | run | test | lint | bench.
# Everything runs from the repo-local virtualenv .venv (plain pip, default index).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= localhost
PORT   ?= 8501
PYTEST_ARGS ?=
TEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help venv run test test-seeds lint bench lock

help:
	@echo "make venv   create/refresh .venv: torch by version, the rest from the hashed requirements-dev.lock, aecore (-e)"
	@echo "make run    start the app on http://$(HOST):$(PORT) (HOST=, PORT= to change)"
	@echo "make test   full test suite incl. browser tests (PYTEST_ARGS=... to filter)"
	@echo "make test-seeds  the same with every claims-across-seeds test on seeds 0-4"
	@echo "make lint   ruff check . and ruff format --check ."
	@echo "make bench  python -m aecore bench"

# Re-install only when a requirements, lock or project file changed. torch is installed by
# version on its own (pip takes the machine's local CPU wheel; the locks leave torch out, since
# its CPU and CUDA wheels differ), then everything else from the hashed lock
# (requirements-dev.lock, made by tools/lock.sh with pip-compile --generate-hashes), then aecore
# itself, editable and with --no-deps (nothing re-resolved: no CUDA torch), so that exported
# scripts and `python -m aecore` run from any folder with this environment's python.
TORCH := $(shell sed -n 's/^torch==\([^[:space:]]*\).*/\1/p' requirements.txt)
$(VENV)/.stamp: requirements.txt requirements-dev.txt requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install "torch==$(TORCH)"
	$(BIN)/python -m pip install --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --no-deps -e .
	touch $@

venv: $(VENV)/.stamp

run: venv
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

# Two runs: everything but the browser tests on one pytest-xdist worker per core (each test
# uses one torch thread), then the browser tests one at a time against one live server.
# Both always run; the target fails if either failed (pytest's 5, "no test selected", is
# not a failure: PYTEST_ARGS may pick tests of one kind only).
test: venv
	mkdir -p artifacts
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not browser" --junitxml=artifacts/junit.xml $(PYTEST_ARGS); \
	a=$$?; [ $$a -eq 5 ] && a=0; \
	$(BIN)/python -m pytest -m browser --junitxml=artifacts/junit-browser.xml $(PYTEST_ARGS); \
	b=$$?; [ $$b -eq 5 ] && b=0; \
	[ $$a -eq 0 ] && [ $$b -eq 0 ]

test-seeds:
	AE_TEST_SEEDS=5 $(MAKE) test

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv
	$(BIN)/python -m aecore bench

lock:
	bash tools/lock.sh
