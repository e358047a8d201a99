#!/usr/bin/env bash
# Issue 19 item 7: per-tensor QSNR of a 7 B-parameter checkpoint for three formats, whole process.
# Generates a seeded bf16 .safetensors file of about PARAMETERS parameters (Llama-7B-shaped decoder
# layers, Benchmarks/generate_checkpoint.py: written in 16 MB slabs, so memory stays bounded) in a
# temporary directory, times `lpsim error --tensors` on it (release build, /usr/bin/time), and removes
# the directory on exit (also on error or Ctrl-C). The bar: under 60 s wall on a 2-core machine.
#
#   Benchmarks/checkpoint_7b.sh [PARAMETERS] [FORMATS]     # defaults: 7000000000 mxfp4,nvfp4,int8
#
# The file takes 2 bytes per parameter (7 B: about 14 GB, 35 layers, 7.08 × 10^9 parameters) in $TMPDIR
# (default /tmp); the script refuses to start when the file system has less free space than that plus 1 GB.
# Run it on an otherwise idle machine: the first lpsim pass reads the file from the page cache, which the
# script fills first (`cat FILE > /dev/null`) so the timing is of lpsim, not of the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
parameters=${1:-7000000000}
formats=${2:-mxfp4,nvfp4,int8}
case $parameters in ''|*[!0-9]*) echo "checkpoint_7b.sh: PARAMETERS must be a positive integer, got '$parameters'" >&2; exit 2;; esac
tmp=${TMPDIR:-/tmp}
need_kb=$(( parameters * 2 / 1024 + 1024 * 1024 ))
free_kb=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
if [ "$free_kb" -lt "$need_kb" ]; then
    echo "checkpoint_7b.sh: $tmp has $((free_kb / 1024)) MB free, the file needs about $((need_kb / 1024)) MB" >&2
    exit 1
fi
swift build -c release --product lpsim 2>&1 | tail -1
bin="$(swift build -c release --show-bin-path)/lpsim"
dir=$(mktemp -d "$tmp/lpsim-checkpoint.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
file="$dir/checkpoint.safetensors"
/usr/bin/time -f "generate: %e s wall, %M KB peak" python3 Benchmarks/generate_checkpoint.py "$file" "$parameters"
cat "$file" > /dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "lpsim error --tensors ($formats): %e s wall, %U s user, %S s system, %P CPU, %M KB peak" \
    "$bin" error --tensors "$file" --format "$formats" > "$dir/out.txt"
grep -E "^overall" "$dir/out.txt"
