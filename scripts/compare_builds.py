#!/usr/bin/env python3
"""Run two builds of lpsim on every shipped device × workload × precision plan × output mode and
report where their outputs differ: the check that a refactor moved no figure it did not mean to.

    python3 scripts/compare_builds.py BASE_REV [--head REV] [--plans bf16,fp8,...] [--jobs 2]

BASE_REV (and HEAD REV, if given) is built in a temporary worktree (release); without --head the
working tree is the other build. Devices
and workloads are the ones both trees ship. For each combination it compares exit status, stderr and
stdout; for --json it also names the fields that differ (ops[*].x for per-op fields) and the fields
only the new build writes (new outputs, not changed figures). Exit status 0 whatever it finds: it
reports, the reader judges; the summary's last line counts identical and differing runs.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PLANS = "bf16,fp8,int8,int4,w4a16,mxfp4,nvfp4,fp16,tf32,mxint8"


def build(tree):
    subprocess.run(["swift", "build", "-c", "release", "--product", "lpsim"], cwd=tree, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=tree, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "lpsim")


def run(binary, tree, args):
    p = subprocess.run([binary] + args, cwd=tree, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def fields(a, b, path=""):
    """Paths whose values differ, and paths only b has."""
    changed, added = set(), set()
    if isinstance(a, dict) and isinstance(b, dict):
        for k in b:
            p = f"{path}.{k}" if path else k
            if k not in a:
                added.add(p)
            else:
                c, d = fields(a[k], b[k], p)
                changed |= c
                added |= d
        changed |= {f"{path}.{k}" if path else k for k in a if k not in b}
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for x, y in zip(a, b):
            c, d = fields(x, y, path + "[*]")
            changed |= c
            added |= d
    elif a != b:
        changed.add(path)
    return changed, added


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--head")
    parser.add_argument("--plans", default=PLANS)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base_tree = os.path.join(scratch, "base")
        subprocess.run(["git", "worktree", "add", "--detach", base_tree, options.base], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        head_tree = ROOT
        if options.head:
            head_tree = os.path.join(scratch, "head")
            subprocess.run(["git", "worktree", "add", "--detach", head_tree, options.head], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            old, new = build(base_tree), build(head_tree)
            devices = sorted(set(os.listdir(os.path.join(base_tree, "hardware"))) & set(os.listdir(os.path.join(head_tree, "hardware"))))
            devices = [d for d in devices if d.endswith(".yaml")]
            loads = sorted(set(os.listdir(os.path.join(base_tree, "workloads"))) & set(os.listdir(os.path.join(head_tree, "workloads"))))
            loads = [w for w in loads if w.endswith((".yaml", ".jsonl"))]
            jobs = []
            for d in devices:
                for w in loads:
                    for p in options.plans.split(","):
                        for mode in ([], ["--json"], ["--csv"]):
                            jobs.append((d, w, p, mode))

            def compare(job):
                d, w, p, mode = job
                args = ["simulate", "--hardware", f"hardware/{d}", "--workload", f"workloads/{w}", "--precision", p] + mode
                a, b = run(old, base_tree, args), run(new, head_tree, args)
                if a == b:
                    return job, None
                if a[0] != b[0]:
                    return job, f"exit {a[0]} → {b[0]}: {(b[2] or a[2]).strip()[:160]}"
                if mode == ["--json"] and a[0] == 0:
                    changed, added = fields(json.loads(a[1]), json.loads(b[1]))
                    return job, ("changed " + ",".join(sorted(changed)) if changed else "") + \
                        (" added " + ",".join(sorted(added)) if added else "")
                return job, "text differs"

            differences = collections.defaultdict(list)
            same = 0
            with concurrent.futures.ThreadPoolExecutor(options.jobs) as pool:
                for job, why in pool.map(compare, jobs):
                    if why is None:
                        same += 1
                    else:
                        differences[(job[0], job[2], " ".join(job[3]) or "table")].append((job[1], why))
            for (d, p, mode), items in sorted(differences.items()):
                print(f"{d} {p} {mode}:")
                for w, why in items:
                    print(f"    {w}: {why}")
            print(f"{same} identical, {sum(len(v) for v in differences.values())} differing of {len(jobs)} runs")
        finally:
            for tree in {base_tree, head_tree} - {ROOT}:
                subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
