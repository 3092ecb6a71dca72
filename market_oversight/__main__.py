import sys

from market_oversight.cli import main

sys.exit(main())
