# Two commands do everything on a fresh clone: `make verify` and `make test`.
# Each creates .venv and installs the project into it when missing.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install verify verify-deep verify-activations test bench quick clean atlas atlas-ranks

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,distributed]'
	@rm -f $(VENV)/.installed-* && touch $@

verify: install
	$(PY) -m verify sweep --report report

verify-deep: install
	$(PY) -m verify sweep --catalogue verify/run/catalogue-deep.toml --report report/deep

# Issue 22: general polynomial activations and biases next to the monomial of the same degree
# (verify/run/catalogue-activations.toml); report/activations/ACTIVATIONS.md compares them.
verify-activations: install
	$(PY) -m verify sweep --catalogue verify/run/catalogue-activations.toml --report report/activations

quick: install
	$(PY) -m verify sweep --quick --report report/quick

test: install
	$(PY) -m pytest -q

# The atlas (issue 14): every architecture with at most N weights, resumable (cache in
# the report folder; a second run only reads it).  ATLAS_JOBS cases at once (default 2,
# the machine the timings in README.md were measured on); ATLAS_FLAGS adds options, e.g.
# --timeout 120 to rerun the converse cases stopped at the tier's 20 s.  The atlas keeps its
# partial records (--keep-partial: cases stopped at the tier's timeout, listed in ATLAS.md as
# not finished) so that a second run only reads the cache; without it they are rerun.
ATLAS_JOBS ?= 2
atlas: install
	$(PY) -m verify atlas --tier converse --max-params 24 --degrees 2-6 --report report/atlas --jobs $(ATLAS_JOBS) --keep-partial $(ATLAS_FLAGS)

atlas-ranks: install
	$(PY) -m verify atlas --tier ranks --max-params 40 --degrees 2-8 --report report/atlas-ranks --jobs $(ATLAS_JOBS) --keep-partial $(ATLAS_FLAGS)

bench: install
	$(PY) bench/run.py

clean:
	rm -rf report .pytest_cache
