# OKR Pulse: a few commands do all set-up on a fresh machine with python3 and make.
#   make run   - create .venv, install, start the app on the bundled sample (or the store)
#   make check - the dev loop (under a minute): ruff, mypy, every test but browser and slow
#                (slow: tests/slow_tests.txt and the tests marked so)
#   make test  - the full suite CI runs: also Debian's chromium, the slow tests on 2 workers,
#                then the browser tests
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501

.PHONY: run check test static lint bench load sample clean chromium

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.stamp-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.stamp-run $@

run: $(VENV)/.stamp-run
	$(BIN)/streamlit run app.py --server.port $(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

static: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: static
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not browser and not slow" $(PYTEST_ARGS)

test: static chromium
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not browser" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -q -m browser $(PYTEST_ARGS)

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.stamp-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# sessions one app process (and 3 replicas) holds, over Streamlit's websocket: bench/LOAD.md
load: $(VENV)/.stamp-dev
	$(BIN)/python -m bench.load $(LOAD_ARGS)

sample: $(VENV)/.stamp-run
	$(BIN)/python -m okrdata sample --out sample_data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
