# OKR Pulse: a few commands do all set-up on a fresh machine with python3 and make.
#   make run   - create .venv, install, start the app on the bundled sample (or the store)
#   make check - the dev loop (under a minute): ruff, mypy, every test but browser and slow
#                (slow: tests/slow_tests.txt and the tests marked so)
#   make test  - the full suite CI runs: also Debian's chromium, the slow tests on 2 workers,
#                then the browser tests (also on 2 workers: a server and a browser per worker)
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501

# Python keeps the bytecode of the project's own modules (__pycache__, ignored by git) even
# where PYTHONDONTWRITEBYTECODE is set, as on the CI machine: without it every test worker, app
# server and command compiled okrdata, pages and the tests again (collecting the suite took
# 6.1 s instead of 2.8 s, in each of the six pytest processes of `make test`).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run check test ruff static lint bench load sample clean chromium lock

# the venv, with uv (pinned with its hashes in requirements-uv.lock) to install the rest: it
# installs the locked tree in seconds where pip takes about a minute
$(BIN)/python:
	$(PY) -m venv $(VENV)

$(BIN)/uv: requirements-uv.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements-uv.lock
	touch $@

# installs come from the lock files (every package of the tree, pinned with its hashes); a
# changed lock re-installs. requirements*.txt are the lists people edit: `make lock` after.
# `make run`'s install compiles the packages' bytecode (--compile-bytecode): uv, unlike pip,
# leaves the .pyc to the first import, and where PYTHONDONTWRITEBYTECODE is set (as on the CI
# machine) no process writes them: importing pandas, Streamlit, Plotly and DuckDB took 3.4 s
# instead of 0.85 s in every run of `.venv/bin/python -m okrdata …` outside make (make's own
# commands unset the variable, above the settings). The tests' install does not: compiling
# every package took 11.7 s of the set-up (23 CPU-seconds), while the first run of the tests
# writes the .pyc of what they import, which is what the app and the commands import, in
# about 4.4 s more than a run that finds them.
INSTALL := $(BIN)/uv pip install -q --python $(BIN)/python --require-hashes
$(VENV)/.stamp-run: requirements.lock | $(BIN)/uv
	$(INSTALL) --compile-bytecode -r requirements.lock
	touch $@

$(VENV)/.stamp-dev: requirements.lock requirements-dev.lock | $(BIN)/uv
	$(INSTALL) -r requirements-dev.lock
	touch $(VENV)/.stamp-run $@

run: $(VENV)/.stamp-run
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Debian's chromium for the browser tests, where it is missing (a shell command: `test` runs
# it beside its first run). Without its recommended packages (107 packages instead of 19 on
# Debian 12: printing, Samba, Avahi, udev, Perl's web modules; 15 s and 19 CPU-seconds to
# unpack and configure instead of 9 s and 12, downloads aside) but with the fonts it
# recommends, which the pages are drawn with.
CHROMIUM := if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then \
	echo "installing Debian's chromium for the browser tests"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends chromium fonts-liberation >/dev/null; \
	fi

chromium:
	@$(CHROMIUM)

ruff: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

static: ruff
	$(BIN)/mypy

# mypy (about 17 s of one core from a clean clone) runs beside the first pytest run instead of
# before it, and its report is printed after it; either failing fails the target.
# $(1): the pytest arguments.
define beside_mypy
	$(BIN)/mypy > $(VENV)/mypy.log 2>&1 & typing=$$!; \
	$(BIN)/python -m pytest $(1); tests=$$?; \
	wait $$typing; typed=$$?; cat $(VENV)/mypy.log; [ $$tests = 0 ] && [ $$typed = 0 ]
endef

# a module's tests stay on one worker; modules go to the workers longest first (tests/conftest.py)
XDIST := --dist loadfile --no-loadscope-reorder

check: ruff
	$(call beside_mypy,-q -n 2 $(XDIST) -m "not browser and not slow" $(PYTEST_ARGS))

# the browser tests all live in tests/browser (tests/conftest.py refuses one elsewhere): the
# second run collects only that folder. Debian's chromium is installed from the start, where it
# is missing: its downloads and unpacking overlap the set-up (a venv and its packages, about
# 10 s on one core) and then the first run; its output is printed after that run, and a failed
# install fails the target before the browser tests.
test:
	@mkdir -p $(VENV)
	{ $(CHROMIUM); } > $(VENV)/chromium.log 2>&1 & browser=$$!; \
	$(MAKE) --no-print-directory ruff && \
	{ $(call beside_mypy,-q -n 2 $(XDIST) -m "not browser" $(PYTEST_ARGS)); }; first=$$?; \
	wait $$browser; installed=$$?; cat $(VENV)/chromium.log; \
	[ $$first = 0 ] && [ $$installed = 0 ]
	$(BIN)/python -m pytest -q -n 2 $(XDIST) -m browser tests/browser $(PYTEST_ARGS)

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.stamp-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# sessions one app process (and 3 replicas) holds, over Streamlit's websocket: bench/LOAD.md
load: $(VENV)/.stamp-dev
	$(BIN)/python -m bench.load $(LOAD_ARGS)

# the lock files, from requirements.txt and requirements-dev.txt, by pip-tools in a venv of its
# own (not the app's): resolved for CPython 3.11, each version with the hash of every file PyPI has
PIPTOOLS := $(VENV)/piptools
LOCK_ENV := PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_CONSTRAINT=
LOCK_ARGS := --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --quiet
lock:
	[ -x $(PIPTOOLS)/bin/pip-compile ] || ($(PY) -m venv $(PIPTOOLS) && $(PIPTOOLS)/bin/pip install -q pip-tools==7.7.0)
	$(LOCK_ENV) $(PIPTOOLS)/bin/pip-compile $(LOCK_ARGS) -o requirements.lock requirements.txt
	$(LOCK_ENV) $(PIPTOOLS)/bin/pip-compile $(LOCK_ARGS) -o requirements-dev.lock requirements-dev.txt
	$(LOCK_ENV) $(PIPTOOLS)/bin/pip-compile $(LOCK_ARGS) -o requirements-uv.lock requirements-uv.txt

sample: $(VENV)/.stamp-run
	$(BIN)/python -m okrdata sample --out sample_data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
