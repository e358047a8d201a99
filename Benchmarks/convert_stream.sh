#!/usr/bin/env bash
# `lpsim convert` streaming, whole process: lines per second and peak memory on
# N lines (default 10 M) of shortest round-trip doubles, from a file and from a
# pipe. Issue 16's bar: at least 2 M lines/s, under 100 MB whatever N.
#   Benchmarks/convert_stream.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-10000000}
swift build -c release --product lpsim 2>&1 | tail -1
bin="$(swift build -c release --show-bin-path)/lpsim"
input=$(mktemp); trap 'rm -f "$input"' EXIT
python3 - "$lines" "$input" <<'PY'
import random, sys
random.seed(1)
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for start in range(0, n, 100000):
        f.write("".join("%r\n" % random.gauss(0, 1) for _ in range(min(100000, n - start))))
PY
for format in bf16 fp8_e4m3 mxfp8_e4m3; do
    /usr/bin/time -f "$format file: %e s wall, %U s user, %M KB peak" "$bin" convert --format "$format" --input "$input" > /dev/null
done
/usr/bin/time -f "bf16 pipe: %e s wall, %U s user, %M KB peak" sh -c "cat '$input' | '$bin' convert --format bf16 > /dev/null"
echo "lines: $lines (divide by the wall or user seconds for lines per second)"
