# The two commands: `make run` (demo dashboard) and `make test` (everything CI runs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.duckdb
STAMP := $(VENV)/.installed

.PHONY: setup run test browser demo bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

$(DEMO_DB): | $(STAMP)
	$(BIN)/market-oversight demo --db $(DEMO_DB)

demo: $(DEMO_DB)

run: setup $(DEMO_DB)
	MARKET_OVERSIGHT_DB=$(CURDIR)/$(DEMO_DB) MARKET_OVERSIGHT_DEMO=1 \
		$(BIN)/streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: setup browser
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache test-output
