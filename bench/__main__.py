"""``python -m bench``: see bench/runner.py."""

from bench.runner import main

raise SystemExit(main())
