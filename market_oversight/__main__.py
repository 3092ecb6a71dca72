from market_oversight.cli import run

run()
