# One entry point for developers and CI. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install system-deps run test test-unit test-integration test-e2e lint dashboard deploy-files settings-docs bench eval clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,eval]'
	touch $(STAMP)

# The detection core compiled with Cython (detectors/compiled.py); rebuilt when a source changes, and until
# then the edited sources run as they are. A failed build fails, unless PANTAU_PURE=1 asks for the sources.
COMPILED := build/compiled/manifest.json
$(COMPILED): $(STAMP) $(wildcard detectors/*.py detectors/*.pxd)
	$(BIN)/pantau compile || test -n "$$PANTAU_PURE"
	test ! -f $@ || touch $@

install: $(STAMP) $(COMPILED)  ## create .venv/, install the service (.venv/bin/pantau) and compile its core

# The real parts the tests run (no mocks): Alertmanager, Prometheus with promtool, and Chromium for the console.
SYSTEM_TOOLS := /usr/bin/prometheus-alertmanager /usr/bin/promtool /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
system-deps:  ## install the Debian packages the tests run for real, if missing (apt-get)
	@missing=""; for tool in $(SYSTEM_TOOLS); do test -x $$tool || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages for$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    prometheus-alertmanager prometheus chromium; \
	fi

run: install  ## embedded broker + worker + demo feed; prints alerts; Ctrl-C stops all
	$(BIN)/pantau run

test: install system-deps  ## lint and types, then unit, integration (embedded broker) and e2e tests
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

test-unit: install  ## unit tests and doctests only
	$(BIN)/python -m pytest -q tests/unit detectors schemas streams

test-integration: install system-deps  ## integration tests against the embedded broker
	$(BIN)/python -m pytest -q tests/integration

test-e2e: install system-deps  ## the whole service as processes
	$(BIN)/python -m pytest -q tests/e2e

dashboard: install  ## render the Grafana dashboard (observability/dashboard.py) to deploy/grafana/pantau.json
	$(BIN)/python -m observability.dashboard deploy/grafana/pantau.json

deploy-files: dashboard settings-docs  ## regenerate what deploy/ derives: the dashboard, the k8s PrometheusRule from rules.yml, the env example
	$(BIN)/python deploy/k8s/sync_rules.py

settings-docs: install  ## write deploy/pantau.env.example and the README's settings table from streams/config.py
	$(BIN)/python -m streams.settings_docs

lint: install  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:  ## remove the virtual environment and run files
	rm -rf $(VENV) .run build *.egg-info

bench: install  ## seeded benchmarks; the last line printed is one JSON object
	$(BIN)/python -m bench.run

SHARED_DEV ?= ../shared/data/dev
eval: install  ## score the detector on the labelled dev streams and the demo day (out/*.eval.json, out/*.png)
	mkdir -p out
	$(BIN)/pantau demo --out out/demo.posts.jsonl --events-out out/demo.events.jsonl
	$(BIN)/pantau eval out/demo.posts.jsonl out/demo.events.jsonl
	for s in pheme crisislex-t6; do $(BIN)/pantau eval $(SHARED_DEV)/$$s.posts.jsonl $(SHARED_DEV)/$$s.events.jsonl || exit 1; done
