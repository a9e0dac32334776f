# Two commands for a newcomer: `make demo` (set up, analyse the sample) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench-parse bench-perf bench-quality clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/decompose analyze sample_monolith

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

bench-parse: $(VENV)/.installed
	$(BIN)/python bench/parse_choice.py

bench-perf: $(VENV)/.installed
	$(BIN)/pip install --quiet grimp pydeps
	$(BIN)/python bench/perf.py

bench-quality: $(VENV)/.installed
	$(BIN)/pip install --quiet scikit-learn -e ".[leiden]"
	$(BIN)/python bench/quality.py

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
