#!/usr/bin/env python3
"""Checks that each comparison report's summary sentences agree with its results table,
re-deriving every claim from the table as a reader would (not from lpsim's code):

- one device area per device, the same on every row of that device;
- "Smallest device" only when devices differ, naming the smallest area in the table;
- "Fastest" / "Least energy" name the row with the least latency / energy, ahead of the
  next by more than the stated margin; "Latency" / "Energy" ties name every row within it;
- "Memory-bound" / "Latency-bound" / "Compute-bound" name exactly the rows whose largest share of time is
  in that kind of op (the memory- and latency-bound columns; compute is the rest; ties go to compute,
  then memory);
- "Not run" names exactly the rows marked not run; exactly one row is the baseline.

With --readme BIN, also runs the README's first command with BIN and checks that the
README's excerpt (summary lines verbatim, table cells in order, "…" for elided columns)
is what it writes.

    scripts/check_statements.py reports/*.md [--readme .build/debug/lpsim]
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

MARGIN = 0.05          # Statements.margin
ROUNDING = 0.006       # figures print to three significant digits

UNITS = {"s": 1, "ms": 1e-3, "µs": 1e-6, "J": 1, "mJ": 1e-3, "µJ": 1e-6}


def quantity(cell):
    number, unit = cell.split()
    return float(number) * UNITS[unit]


def cells(line):
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def sections(md):
    """The summary bullets and the results table (header, rows) of a report."""
    summary = re.search(r"^## Summary\n\n(.*?)\n\n", md, re.S | re.M).group(1).split("\n")
    table = re.search(r"^## Results\n\n(.*?)\n\n", md, re.S | re.M).group(1).split("\n")
    return [s[2:] for s in summary], cells(table[0]), [cells(r) for r in table[2:]]


def names(text):
    return set(n for part in text.split(", ") for n in part.split(" and "))


def check(path):
    errors = []
    md = open(path, encoding="utf-8").read()
    summary, header, rows = sections(md)
    col = {h: i for i, h in enumerate(header)}
    latency = next(h for h in header if h.startswith("latency / "))
    energy = next(h for h in header if h.startswith("energy / ") and h != "energy / token")
    devices = sorted(set(r[0] for r in rows))
    label = (lambda r: r[1]) if len(devices) == 1 else (lambda r: f"{r[1]} on {r[0]}")
    ran = [r for r in rows if "**not run**" not in r[col["note"]]]
    not_run = [r for r in rows if "**not run**" in r[col["note"]]]
    said = {s.split(":**")[0].lstrip("*"): s for s in summary}

    for d in devices:
        areas = set(r[col["device area (mm²)"]] for r in rows if r[0] == d)
        if len(areas) != 1:
            errors.append(f"{d}: {len(areas)} device areas {sorted(areas)}, expected one")
    area = {r[0]: float(r[col["device area (mm²)"]]) for r in rows if r[col["device area (mm²)"]] != "–"}
    if len(devices) == 1 and "Smallest device" in said:
        errors.append("a 'Smallest device' line for one device")
    if "Smallest device" in said:
        m = re.match(r"\*\*Smallest device:\*\* (.*?), ([\d.]+) mm²", said["Smallest device"])
        if m.group(1) != min(area, key=area.get) or abs(float(m.group(2)) - min(area.values())) > 1e-9:
            errors.append(f"'Smallest device' names {m.group(1)}, the table's smallest is {min(area, key=area.get)}")

    for figure, lead, tie in [(latency, "Fastest", "Latency"), (energy, "Least energy", "Energy")]:
        if len(ran) < 2:
            if lead in said or tie in said:
                errors.append(f"a '{lead}' or '{tie}' line for one run")
            continue
        ordered = sorted(ran, key=lambda r: quantity(r[col[figure]]))
        best, second = quantity(ordered[0][col[figure]]), quantity(ordered[1][col[figure]])
        if lead in said:
            named = re.match(rf"\*\*{lead}:\*\* (.*?), ", said[lead]).group(1)
            if quantity(next(r for r in ran if label(r) == named)[col[figure]]) != best:
                errors.append(f"'{lead}' names {named}, not the row with the least {figure}")
            if second <= best * (1 + MARGIN) * (1 - ROUNDING):
                errors.append(f"'{lead}': the next is within the {MARGIN:.0%} margin")
        elif tie in said:
            named = names(re.match(rf"\*\*{tie}:\*\* (.*?) are ", said[tie]).group(1))
            within = set(label(r) for r in ran if quantity(r[col[figure]]) <= best * (1 + MARGIN) * (1 + ROUNDING))
            if not named <= within or label(ordered[0]) not in named:
                errors.append(f"'{tie}' names {sorted(named)}, the table has {sorted(within)} within the margin")
        else:
            errors.append(f"neither '{lead}' nor '{tie}' for {len(ran)} runs")

    def bound(r):
        memory = float(r[col["memory-bound time"]].rstrip("%")) / 100
        latency = float(r[col["latency-bound time"]].rstrip("%")) / 100
        compute = 1 - memory - latency
        if compute >= memory and compute >= latency:
            return "Compute-bound"
        return "Memory-bound" if memory >= latency else "Latency-bound"

    for kind in ["Memory-bound", "Latency-bound", "Compute-bound"]:
        expected = set(label(r) for r in ran if bound(r) == kind)
        if kind in said:
            text = re.match(rf"\*\*{kind}:\*\* (.*?) spends? ", said[kind]).group(1)
            named = set(label(r) for r in ran) if text == "every run" else names(text)
        else:
            named = set()
        if named != expected:
            errors.append(f"'{kind}' names {sorted(named)}, the table has {sorted(expected)}")

    if bool(not_run) != ("Not run" in said) or any(label(r) not in said.get("Not run", "") for r in not_run):
        errors.append(f"'Not run' line disagrees with the {len(not_run)} rows marked not run")
    baselines = [r for r in rows if "baseline" in r[col["note"]].split("; ")]
    if len(baselines) != 1 or baselines[0][col["speed-up"]] != "1.00×":
        errors.append(f"{len(baselines)} baseline rows, expected one at 1.00×")
    return [f"{path}: {e}" for e in errors]


def check_readme(binary):
    readme = open("README.md", encoding="utf-8").read()
    command = re.search(r"```sh\n(.*?)\n", readme).group(1)
    excerpt = re.search(r"An excerpt\b.*?```text\n(.*?)```", readme, re.S).group(1).split("\n")
    args = shlex.split(command)
    if args[:3] != ["swift", "run", "lpsim"] or "--output" not in args:
        return [f"README.md: the first command is not 'swift run lpsim … --output FILE': {command}"]
    with tempfile.TemporaryDirectory() as d:
        args[args.index("--output") + 1] = os.path.join(d, "report.md")
        subprocess.run([binary] + args[3:], check=True)
        written = open(os.path.join(d, "report.md"), encoding="utf-8").read().split("\n")
    errors = []
    rows = {tuple(cells(line)[:2]): cells(line) for line in written if line.startswith("| ")}
    for line in excerpt:
        if line.startswith("| "):
            want = cells(line)
            have = iter(rows.get(tuple(want[:2]), []))
            if not all(w == "…" or any(w == h for h in have) for w in want):
                errors.append(f"README.md: excerpt row not in the report (in order): {line}")
        elif line and line not in written:
            errors.append(f"README.md: excerpt line not in the report: {line}")
    return errors


def main(argv):
    binary = None
    if "--readme" in argv:
        binary = argv[argv.index("--readme") + 1]
        argv = argv[:argv.index("--readme")] + argv[argv.index("--readme") + 2:]
    errors = []
    for path in argv:
        if os.path.basename(path) in ("README.md", "model-validation.md"):
            continue
        if "\n## Summary\n" not in open(path, encoding="utf-8").read():
            continue   # not a comparison (fpga-mappings.md is a dataflow study)
        errors += check(path)
    if binary:
        errors += check_readme(binary)
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
