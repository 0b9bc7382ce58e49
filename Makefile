# ntm-analysis: every target sets itself up on a fresh machine (Python >= 3.11).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all setup ocr-engine messages build notebooks sync-notebooks deck test fuzz bench lab clean

all: build  ## set up, build tables + figures, then export notebooks to reports/ and write the deck, side by side
	@$(MAKE) --no-print-directory -j2 --output-sync=target BUILT=1 notebooks deck

# what the notebooks and the deck wait for: the build (within `make all`, done already)
AFTER_BUILD = $(if $(BUILT),setup,build)

# set-up says what it does, one line per step (pip's own output only when it fails)
$(BIN)/python:
	@echo "setup: a virtual environment in $(VENV)/ ($$($(PYTHON) --version))"
	@$(PYTHON) -m venv $(VENV)
	@echo "setup: the newest pip"
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml scripts/pip_steps.py | $(BIN)/python
	@echo "setup: ntm-analysis and its dependencies (about 25 s on a fresh machine)"
	@$(BIN)/python scripts/pip_steps.py install -e ".[dev]"
	@# strip notebook outputs on commit (git filter), keeping the cell ids; harmless outside a git checkout
	@echo "setup: the git filter that strips notebook outputs on commit"
	-@git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install >/dev/null 2>&1 \
		&& git config filter.nbstripout.clean '"$(abspath $(BIN))/python" -m nbstripout --keep-id' || true
	@# the kernel the notebooks run in: this venv's Python (ipykernel install --sys-prefix)
	@echo "setup: the notebook kernel (this environment's Python)"
	@$(BIN)/python -c "from ntm_analysis.notebooks.runner import ensure_kernel; ensure_kernel()"
	@touch $(STAMP)

# the Vietnamese message catalogue, compiled (ntm_analysis.i18n compiles it in memory when this is missing)
PO := ntm_analysis/locale/vi/LC_MESSAGES/ntm_analysis.po
MO := $(PO:.po=.mo)
$(MO): $(PO) | $(STAMP)
	@echo "setup: the Vietnamese message catalogue"
	@$(BIN)/pybabel compile --statistics -D ntm_analysis -d ntm_analysis/locale -l vi

# the package's bytecode, compiled as installing a wheel compiles it: an editable install
# does not, and where PYTHONDONTWRITEBYTECODE is set every command would compile the
# package's modules again (about 45 ms of each `validate`)
PYC := $(VENV)/.bytecode
$(PYC): $(wildcard ntm_analysis/*.py ntm_analysis/*/*.py ntm_analysis/*/*/*.py) | $(STAMP)
	@echo "setup: the package's bytecode"
	@$(BIN)/python -m compileall -q ntm_analysis
	@touch $(PYC)

# the OCR engine (scans and images): Tesseract with its Vietnamese data. Installed from apt when this
# runs as root with apt-get (one line says so); otherwise one line says what to install.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-vie
ocr-engine:
	@if tesseract --list-langs 2>/dev/null | grep -qx vie; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "setup: the OCR engine from apt ($(OCR_PACKAGES))"; \
		{ apt-get install -y -qq $(OCR_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && \
		  apt-get install -y -qq $(OCR_PACKAGES) >/dev/null 2>&1; }; } || \
		echo "setup: apt could not install $(OCR_PACKAGES): scans are not read until they are installed"; \
	else echo "setup: no OCR engine: scans and images are not read until Tesseract with Vietnamese is installed" \
		"(apt-get install $(OCR_PACKAGES), or your system's tesseract and its vie data)"; fi

setup: $(STAMP) $(MO) $(PYC) ocr-engine

messages: setup  ## extract the messages from the code and add the new ones to the catalogue (then translate them)
	$(BIN)/pybabel extract -k N_ --no-location --sort-by-file --project ntm-analysis \
		-o ntm_analysis/locale/ntm_analysis.pot ntm_analysis
	$(BIN)/pybabel update --no-fuzzy-matching -D ntm_analysis -d ntm_analysis/locale -l vi \
		-i ntm_analysis/locale/ntm_analysis.pot

build: setup  ## data/raw -> data/processed + figures (incremental; FORCE=1 rebuilds)
	$(BIN)/ntm-analysis build $(if $(FORCE),--force,)

notebooks: $(AFTER_BUILD)  ## execute the notebooks (notebooks/*.py) and export them to reports/*.html (FORCE=1: even the up-to-date ones)
	$(BIN)/python -m ntm_analysis.notebooks.runner $(if $(FORCE),--force,)

sync-notebooks: setup  ## write notebooks/*.ipynb from notebooks/*.py (cell ids kept)
	$(BIN)/python -m ntm_analysis.notebooks.runner --sync

deck: $(AFTER_BUILD)  ## the briefing deck reports/briefing.pptx (DECK_LANG=en: reports/briefing-en.pptx; kept when its tables did not change, FORCE=1 writes it)
	$(BIN)/ntm-analysis deck $(if $(FORCE),--force,) $(if $(DECK_LANG),--lang $(DECK_LANG),)

test: setup  ## lint (ruff, notebooks included), then the whole test suite (notebooks included), one worker per core
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadgroup

fuzz: setup  ## the fuzz test run long (NTM_FUZZ_EXAMPLES, default 5000) with a summary of what it found
	NTM_FUZZ_EXAMPLES=$${NTM_FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest tests/test_fuzz.py -q -s -p no:cacheprovider

bench: setup  ## benchmarks -> benchmarks/results.md (hostile corpus included)
	$(BIN)/python benchmarks/run.py

lab: setup  ## open JupyterLab on notebooks/
	$(BIN)/jupyter lab notebooks

clean:  ## delete every generated output (make all rebuilds them)
	rm -rf data/processed/*.csv data/processed/*.xlsx data/processed/*.json figures/*.png figures/*.svg reports/*.html reports/*.pptx
