# `make outreach` and `make test` work on a fresh clone with only Python and pip.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

CONNECTIONS ?= sample_data/linkedin_export
ALUMNI      ?= sample_data/alumni_directory.xlsx sample_data/alumni_career_office.csv
PROFILE     ?= sample_data/profile.toml
OUT         ?= outreach.xlsx
ARGS        ?=

RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP     := $(VENV)/.installed-dev

.PHONY: outreach test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(RUNTIME_STAMP)

outreach: $(RUNTIME_STAMP)
	$(BIN)/outreach run \
	  $(foreach c,$(CONNECTIONS),--connections "$(c)") \
	  $(foreach a,$(ALUMNI),--alumni "$(a)") \
	  --profile "$(PROFILE)" --out "$(OUT)" $(ARGS)
	@echo "Workbook: $(abspath $(OUT))"

test: $(DEV_STAMP)
	$(BIN)/python -m pytest $(ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy pipeline devtools bench

bench: $(DEV_STAMP)
	$(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
