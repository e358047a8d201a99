#!/usr/bin/env python3
"""Runs `lpsim simulate` of two builds over every shipped device × workload ×
output (table, --json, --csv; standard output and -o FILE) and reports any
difference in standard output, standard error, exit status or the written
file. Used to check that streaming simulate changed no byte (issue 16).

    scripts/compare_simulate_outputs.py --reference OLD_LPSIM --candidate NEW_LPSIM
        [--plans bf16,int8] [--jobs 2] [--cache DIR]

--cache keeps the reference's answers in DIR (one file per run), so a second
candidate is compared without running the reference again.
"""
import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runs(plans):
    devices = sorted(glob.glob("hardware/*.yaml"))
    workloads = sorted(glob.glob("workloads/*.yaml") + glob.glob("workloads/*.jsonl") + glob.glob("workloads/finn/*.yaml"))
    for d in devices:
        for w in workloads:
            for p in plans:
                for out in ("table", "json", "csv"):
                    # -o FILE with the first plan, for the table and CSV (a JSON run costs ~1 s of numerics
                    # emulation; the writer is the same code for every format, and CLITests checks that a
                    # JSON written with -o is the bytes standard output gets).
                    for to_file in ((False, True) if p == plans[0] and out != "json" else (False,)):
                        yield d, w, p, out, to_file


def answer(lpsim, run):
    d, w, p, out, to_file = run
    args = [lpsim, "simulate", "--hardware", d, "--workload", w, "--precision", p]
    if out != "table":
        args.append("--" + out)
    with tempfile.TemporaryDirectory(prefix="cmp-sim-") as scratch:
        target = os.path.join(scratch, "out")
        if to_file:
            args += ["-o", target]
        r = subprocess.run(args, cwd=ROOT, capture_output=True)
        written = open(target, "rb").read() if to_file and os.path.exists(target) else None
        left = sorted(os.listdir(scratch))
    digest = lambda b: None if b is None else hashlib.sha256(b).hexdigest()
    return {"rc": r.returncode, "stdout": digest(r.stdout), "stderr": r.stderr.decode(errors="replace"),
            "file": digest(written), "left": left, "bytes": len(r.stdout) + len(written or b"")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True)
    ap.add_argument("--candidate", required=True, help="'-' only fills --cache with the reference's answers")
    ap.add_argument("--plans", default="bf16,int8")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache")
    a = ap.parse_args()
    plans = a.plans.split(",")
    all_runs = list(runs(plans))

    def reference(run):
        if a.cache:
            key = os.path.join(a.cache, hashlib.sha256(repr(run).encode()).hexdigest() + ".json")
            if os.path.exists(key):
                return json.load(open(key))
            r = answer(a.reference, run)
            os.makedirs(a.cache, exist_ok=True)
            json.dump(r, open(key, "w"))
            return r
        return answer(a.reference, run)

    def both(run):
        ref = reference(run)
        return run, ref, ref if a.candidate == "-" else answer(a.candidate, run)
    differ = ok = errors = total_bytes = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for run, ref, new in pool.map(both, all_runs):
            if ref != new:
                differ += 1
                diffs = [k for k in ref if ref[k] != new[k]]
                print(f"DIFFERS {' '.join(map(str, run))}: {diffs} ref={ref['stderr'][:200]!r} new={new['stderr'][:200]!r}")
            elif ref["rc"] == 0:
                ok += 1
                total_bytes += ref["bytes"]
            else:
                errors += 1
    print(f"{len(all_runs)} runs: {ok} succeeded identically ({total_bytes} bytes of output), "
          f"{errors} failed identically (same status and message), {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
