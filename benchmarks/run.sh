#!/bin/sh
# Run the benchmarks and rewrite docs/benchmarks.md; arguments go to run.py (try --help).
exec python3 "$(dirname "$0")/run.py" "$@"
