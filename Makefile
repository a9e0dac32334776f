# Two commands for a newcomer: `make demo` (set up, analyse the sample) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint docs bench-parse bench-perf bench-quality bench-report clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/decompose analyze sample_monolith
	@echo "Open $(CURDIR)/reports/sample_monolith/index.html in a browser to read the proposal."

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n auto

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

docs: $(VENV)/.installed
	$(BIN)/python docs/generate.py

bench-parse: $(VENV)/.installed
	$(BIN)/python bench/parse_choice.py

bench-perf: $(VENV)/.installed
	$(BIN)/pip install --quiet grimp pydeps
	$(BIN)/python bench/perf.py

bench-quality: $(VENV)/.installed
	$(BIN)/pip install --quiet scikit-learn
	$(BIN)/python bench/quality.py

bench-report: $(VENV)/.installed
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
