# Two commands on a fresh machine:
#   make run    set up .venv, install, process corpus/ into out/corpus.jsonl
#   make test   set up .venv with the test extras, run the test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench golden eval clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ja-article batch corpus/ -o out/corpus.jsonl

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/bench_pipeline.py

golden: $(STAMP)
	$(PY) scripts/regen_golden.py

clean-venv:
	rm -rf $(VENV)
