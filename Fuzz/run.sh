#!/usr/bin/env bash
# Fuzzes every reader of user input with libFuzzer (address sanitizer on).
#   Fuzz/run.sh [SECONDS_PER_TARGET] [--scratch]   # default 90; targets run two at a time
#   LPSIM_FUZZ_TARGETS="hardware plan" Fuzz/run.sh 600   # only these targets
# Seed corpora come from the shipped files; new crashes land in Fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-90}
# --scratch (CI): fuzz copies of the committed corpora in a temporary directory, so
# the run changes nothing in the repository; findings are reported, not kept.
if [ "${2:-}" = "--scratch" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir -p corpus && cp -R corpus "$work/corpus"
    corpus_root="$work/corpus"; artifacts_root="$work/artifacts"; keep=false
else
    corpus_root=corpus; artifacts_root=artifacts; keep=true
fi
swift build -c debug -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|Compiling LPSimFuzz|Build" | tail -3
bin="$(swift build -c debug -Xswiftc -sanitize=fuzzer,address --show-bin-path)/LPSimFuzz"
# Known LeakSanitizer false positives, each explained in the file.
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p "$corpus_root" "$artifacts_root"
seed() {  # target, files...
    local t=$1; shift
    mkdir -p "$corpus_root/$t"
    for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus_root/$t/$(basename "$f")"; done
    return 0
}
seed hardware ../hardware/*.yaml ../docs/examples/hardware/*.yaml ../Tests/HardwareTests/Broken/*.yaml
seed trace-yaml ../workloads/*.yaml ../Tests/WorkloadTests/Bad/*.yaml
seed trace-jsonl ../workloads/*.jsonl ../Tests/WorkloadTests/Bad/*.jsonl
seed csv ../Tests/WorkloadTests/Fixtures/*.csv ../Tests/WorkloadTests/Bad/*.csv
seed plan ../workloads/plans/*.yaml ../Tests/WorkloadTests/Bad/plan-*.yaml
seed config ../workloads/configs/*/config.json ../Tests/WorkloadTests/Bad/config-*.json
seed onnx ../Tests/ONNXImportTests/Fixtures/*.onnx
mkdir -p "$corpus_root/convert" && printf '1\n464\n0x1.8p-3\ninf\n-nan\n1e-30\n' > "$corpus_root/convert/seed.txt"
mkdir -p "$corpus_root/glob" && printf 'layers.*.attn.?_proj\nlayers.3.attn.q_proj\nconv1\n' > "$corpus_root/glob/seed.txt"
# Hostile seeds of issue 16 (surrogate pairs, BOMs, huge paddings, 2^53 + 1) join the trace and config corpora.
seed trace-jsonl ../Fuzz/seeds/*.jsonl
seed trace-yaml ../Fuzz/seeds/*.yaml
seed config ../Fuzz/seeds/*.json
# The corpus kept in git is the minimal set covering what the run reached (libFuzzer -merge=1).
minimize() {
    $keep || return 0
    rm -rf "corpus/$1.min" && mkdir -p "corpus/$1.min"
    LPSIM_FUZZ_TARGET=$1 "$bin" -merge=1 "corpus/$1.min" "corpus/$1" > "artifacts/$1.merge.log" 2>&1 \
        && rm -rf "corpus/$1" && mv "corpus/$1.min" "corpus/$1"
}
run() {
    LPSIM_FUZZ_TARGET=$1 "$bin" "$corpus_root/$1" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -artifact_prefix="$artifacts_root/$1-" -print_final_stats=1 > "$artifacts_root/$1.log" 2>&1 \
        && minimize "$1" && echo "$1: $(grep -E 'stat::number_of_executed_units|cov:' "$artifacts_root/$1.log" | tail -2 | tr '\n' ' ')" \
        || { echo "$1: FAILED"; tail -40 "$artifacts_root/$1.log"; return 1; }
}
status=0
targets=(${LPSIM_FUZZ_TARGETS:-hardware trace-yaml trace-jsonl csv plan config convert onnx glob})
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" & p1=$!
    if [ $((i + 1)) -lt ${#targets[@]} ]; then run "${targets[i + 1]}" & p2=$!; else p2=; fi
    wait $p1 || status=1
    [ -n "$p2" ] && { wait $p2 || status=1; }
done
exit $status
