# The two commands of the README. Each bootstraps .venv on a fresh machine with only python3 and
# make; the install is redone only when pyproject.toml changes, so later runs start at once.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: test figures bench clean

test: $(STAMP)
	$(PY) -m pytest

figures: $(STAMP)
	MPLBACKEND=Agg $(PY) scripts/make_figures.py

bench: $(BENCH_STAMP)
	$(PY) benchmarks/run_all.py

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The benchmark peers (PyTorch CPU, JAX, profilers) go into the same .venv, only for `make bench`.
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
