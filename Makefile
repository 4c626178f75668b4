# Two commands do everything on a fresh machine: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup browser postgres label-studio demo test bench bench-serving clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,transformer,postgres]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: setup
	HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 $(BIN)/rcrp demo

# The report tests look at pages in a real browser: Debian's chromium, driven by Playwright.
browser:
	@test -x /usr/bin/chromium || { echo "installing Debian's chromium for the browser tests"; \
	  $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get update -qq && \
	  $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get install -y -qq chromium >/dev/null; }

# The audit store is also tested on a real PostgreSQL server: Debian's, started by the tests on loopback.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "installing Debian's PostgreSQL for the audit tests"; \
	  $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get update -qq && \
	  $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get install -y -qq postgresql >/dev/null; }

# Label Studio runs as a separate service from its own virtualenv (it pins Django, numpy and more).
LS_VENV := .venv-label-studio
label-studio: $(LS_VENV)/bin/label-studio

$(LS_VENV)/bin/label-studio:
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LS_VENV)/bin/python -m pip install --quiet 'label-studio==1.23.0'

test: setup browser postgres label-studio
	HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -n 2 --dist loadfile --durations=15

bench: setup
	HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 $(BIN)/python -m rcrp.training.synth.bench
	HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 $(BIN)/python -m rcrp.training.bench

# The serving benchmark needs a champion in the registry (make demo) and Debian's wrk as the load generator.
bench-serving: setup
	@command -v wrk >/dev/null || { echo "installing Debian's wrk for the serving benchmark"; \
	  $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get update -qq && \
	  $$(command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo) apt-get install -y -qq wrk >/dev/null; }
	HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 $(BIN)/python -m rcrp.serving.bench --data-dir data

clean:
	rm -rf data/synthetic data/reports data/hf-cache .pytest_cache test-artifacts
