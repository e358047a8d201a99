#!/usr/bin/env bash
# Runs lpsim's benchmarks and, in the same run, the ml_dtypes baseline.
#   Benchmarks/run.sh            # from anywhere
set -euo pipefail
cd "$(dirname "$0")"
swift package benchmark --format markdown "$@"
if python3 -c "import ml_dtypes" 2>/dev/null; then
    echo "## ml_dtypes baseline (same data, same machine)"
    python3 compare_ml_dtypes.py
else
    echo "(ml_dtypes not installed: pip install ml-dtypes numpy, for the baseline)"
fi
