# ntm-analysis: every target sets itself up on a fresh machine (Python >= 3.11).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all setup build notebooks test fuzz bench lab clean

all: build notebooks  ## set up, build tables + figures, export notebooks to reports/

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# strip notebook outputs on commit (git filter); harmless outside a git checkout
	-@git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install >/dev/null 2>&1 || true
	@touch $(STAMP)

setup: $(STAMP)

build: setup  ## data/raw -> data/processed + figures (incremental; FORCE=1 rebuilds)
	$(BIN)/ntm-analysis build $(if $(FORCE),--force,)

notebooks: build  ## execute the four notebooks and export them to reports/*.html
	$(BIN)/python -m ntm_analysis.notebooks --execute --html reports

test: setup  ## the whole test suite (notebooks included)
	$(BIN)/python -m pytest

fuzz: setup  ## the fuzz test run long (NTM_FUZZ_EXAMPLES, default 5000) with a summary of what it found
	NTM_FUZZ_EXAMPLES=$${NTM_FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest tests/test_fuzz.py -q -s -p no:cacheprovider

bench: setup  ## benchmarks -> benchmarks/results.md (hostile corpus included)
	$(BIN)/python benchmarks/run.py

lab: setup  ## open JupyterLab on notebooks/
	$(BIN)/jupyter lab notebooks

clean:  ## delete every generated output (make all rebuilds them)
	rm -rf data/processed/*.csv data/processed/*.xlsx data/processed/*.json figures/*.png figures/*.svg reports/*.html
