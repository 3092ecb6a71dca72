# The two commands: `make run` (demo dashboard) and `make test` (everything CI runs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.duckdb
DEMO_READY := var/demo.ready
STAMP := $(VENV)/.installed

.PHONY: setup run test test-fast browser demo bench docs docs-img clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# The demo warehouse, scored monthly over its last six months (the watchlist's "new" markers
# and the alert e-mails compare scores), with a backtest of its history stored for the "How
# reliable are these flags?" page (about 10 s). The stamp is written last, so a failed build is
# redone; a new migration or new default thresholds rebuild it (the demo holds nothing of anyone's).
$(DEMO_READY): $(wildcard sql/migrations/*.sql) market_oversight/risk/thresholds.toml | $(STAMP)
	rm -rf var/demo.*
	$(BIN)/market-oversight demo --db $(DEMO_DB)
	$(BIN)/market-oversight score --db $(DEMO_DB) --from 2026-05-31 --to 2026-10-31
	$(BIN)/market-oversight backtest --db $(DEMO_DB) --save
	touch $(DEMO_READY)

demo: $(DEMO_READY)

run: setup $(DEMO_READY)
	MARKET_OVERSIGHT_DB=$(CURDIR)/$(DEMO_DB) MARKET_OVERSIGHT_DEMO=1 \
		$(BIN)/streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The whole suite, on every core (pytest-xdist), in a random order: pytest-randomly prints the seed,
# and `make test PYTEST_ARGS=--randomly-seed=N` repeats an order. The demo warehouse the tests share
# is built once and kept in var/test-cache (tests/demo_cache.py).
# One worker more than the cores: the browser tests and the CLI jobs wait on other processes
# (Streamlit, chromium, the job), and the extra worker keeps the cores busy meanwhile.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: setup browser
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The inner loop: everything but the slow and browser tests.
test-fast: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not slow and not browser" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench.run

# Retake the pictures of each page in docs/app.md (docs/img/) from the demo, in chromium.
docs-img: setup browser
	MARKET_OVERSIGHT_DOCS_IMG=1 $(BIN)/pytest -p no:randomly -n 0 tests/browser/test_docs_screenshots.py

# Regenerate docs/data_dictionary.md from sql/marts/ (a test fails when it is stale).
docs: setup
	$(BIN)/market-oversight docs

clean:
	rm -rf $(VENV) var .pytest_cache test-output
