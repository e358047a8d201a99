#!/usr/bin/env python3
"""lpsim's hostile-input corpus: builds every case in a fresh sandbox directory,
runs lpsim on it under a time and a memory bound, and checks the answer.

    scripts/hostile/corpus.py --lpsim .build/release/lpsim [--only SUBSTRING] [--list]

A case passes when lpsim
  - exits cleanly: 0 with the expected output, or non-zero with a message in
    lpsim's form (FILE:LINE:COLUMN: error: … where the input has positions,
    FILE: error: … or lpsim: error: … where it has none), at most 4 KiB of it,
    without Swift type names or a crash report;
  - is not ended by a signal, stays within its time (seconds) and address-space
    bound (RLIMIT_AS), and
  - changes, creates and leaves no file of its sandbox but the ones the case
    names (temporary files included), and no special file outside it
    (/dev/null stays a character device).
Large and special files (FIFOs, symbolic links, read-only files, 100 MB
inputs) are made by each case's setup, never committed. Exit status 1 if any
case fails; one line per failing case, then a summary.
"""
import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import struct
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(rel):
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()


H100 = read("hardware/nvidia-h100-sxm5.yaml")
SYSTOLIC = read("docs/examples/hardware/minimal-systolic.yaml")
RESNET = read("workloads/resnet18.yaml")
CONFIG = read("workloads/configs/llama-2-7b/config.json")
PLAN = read("workloads/plans/fp6-e2m3.yaml")
CSV = b"Layer, M, N, K,\nQKV, 512, 2304, 768,\nFFN1, 512, 3072, 768,\n"
HEADER = b'{"lpsim_trace": 1, "name": "t"}\n'
GEMM = b'{"name": "g", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'
YTRACE = b"name: t\nops:\n  - {name: g, kind: gemm, m: 8, n: 8, k: 8}\n"

POSITIONED = re.compile(r"^[^\n]+?:\d+:\d+: error: ", re.M)
ANY_ERROR = re.compile(r"^([^\n]+?: error: |lpsim: error: |Error: )", re.M)
FORBIDDEN = ["CodingKeys", "Fatal error", "Swift/", "Stack dump", "Illegal instruction", "AddressSanitizer"]


class Case:
    def __init__(self, name, args, files=None, stdin=None, expect="error", positioned=None, contains=None,
                 changes=(), setup=None, check=None, seconds=60, memory_mb=2048, signal_after=None, stdout_check=None,
                 preexec=None, signal_at_start=False):
        self.name, self.args, self.files = name, args, files or {}
        self.stdin, self.expect, self.contains = stdin, expect, contains
        # An error is expected at a position wherever the case gives an input file with lines.
        self.positioned = positioned if positioned is not None else expect == "error"
        self.changes, self.setup, self.check = set(changes), setup, check
        self.seconds, self.memory_mb, self.signal_after = seconds, memory_mb, signal_after
        self.stdout_check = stdout_check
        # Run in the child between fork and exec, where os.getpid() is lpsim's own process id.
        self.preexec = preexec
        # Signal `signal_after` seconds after the start instead of after a temporary file appears
        # (a scratch file is unlinked as soon as it is made: there is nothing to wait for).
        self.signal_at_start = signal_at_start


CASES = []


def case(*a, **k):
    CASES.append(Case(*a, **k))


# --- helpers building inputs -------------------------------------------------------------------

def ytrace(m):
    return b"name: t\nops:\n  - {name: g, kind: gemm, m: " + m + b", n: 8, k: 8}\n"


def jline(m):
    return b'{"name": "g", "kind": "gemm", "m": ' + m + b', "n": 8, "k": 8}\n'


def csv_cell(m):
    return b"Layer, M, N, K,\nQKV, " + m + b", 1, 1,\n"


def config_with(key, raw):
    text = CONFIG.decode()
    text = re.sub(r'"%s": [^,\n]+' % key, '"%s": %s' % (key, raw), text)
    return text.encode()


def hardware_with(old, new, base=H100):
    assert old in base, old
    return base.replace(old, new, 1)


def results_json():
    return RESULTS


def big_file(path, size, line):
    with open(path, "wb") as f:
        chunk = line * (1 << 16 // max(1, len(line)) + 1)
        written = 0
        while written < size:
            f.write(chunk)
            written += len(chunk)


def sim(workload, *extra):
    return ["simulate", "--hardware", "h.yaml", "--workload", workload] + list(extra)


def gemm_trace(d, name, ops):
    """A JSON Lines trace of `ops` 8×8×8 GEMMs, written in chunks (10 M ops are 540 MB)."""
    with open(os.path.join(d, name), "wb") as f:
        f.write(HEADER)
        chunk = GEMM * 100_000
        for _ in range(ops // 100_000):
            f.write(chunk)
        f.write(GEMM * (ops % 100_000))


def tmpdir_is_sandbox(d):
    """lpsim's scratch file goes to the sandbox, where the snapshot sees anything left behind."""
    os.environ["TMPDIR"] = d


def lines_are(name, expected):
    def check(sandbox, proc):
        n = 0
        with open(os.path.join(sandbox, name), "rb") as f:
            while block := f.read(1 << 24):
                n += block.count(b"\n")
        return None if n == expected else f"{name}: {n} lines, expected {expected}"
    return check


def json_ops_are(expected):
    """out.json: the totals first (MACs of every op), then `expected` op objects, then the end of the object."""
    def check(sandbox, proc):
        path = os.path.join(sandbox, "out.json")
        with open(path, "rb") as f:
            head = f.read(4096)
            f.seek(max(0, os.path.getsize(path) - 4096))
            tail = f.read()
            f.seek(0)
            # Each op object opens a line of its own at the ops array's indent; the carried tail of a block is
            # one byte shorter than the pattern, so no match is counted twice.
            pattern, n, carry = b"\n    {\n", 0, b""
            while block := f.read(1 << 24):
                n += (carry + block).count(pattern)
                carry = block[-(len(pattern) - 1):]
        macs = b'"macs": %d,' % (512 * expected)
        if not head.startswith(b"{\n") or macs not in head.split(b'"ops"')[0]:
            return "totals not first or wrong"
        if not tail.endswith(b"\n  ]\n}\n"):
            return "not a whole JSON object at its end"
        return None if n == expected else f"{n} ops, expected {expected}"
    return check


# --- 1. one number grammar across every reader --------------------------------------------------
# (spelling, expected for a positive integer field)
INTEGERS = [
    (b"64", "ok"), (b"1e5", "error"), (b"100000.0", "error"), (b'"64"', "error"), (b"+5", "error"),
    (b"007", "error"), (b"0x10", "error"), (b"1_000", "error"), (b"9223372036854775808", "error"),
    (b"-1", "error"), (b"0", "error"), (b"9007199254740993", "ok"), (b"64.5", "error"), (b"six", "error"),
]
for i, (spelling, expected) in enumerate(INTEGERS):
    tag = "int%02d" % i
    case(f"grammar-yaml-{tag}", ["validate", "t.yaml"], {"t.yaml": ytrace(spelling)}, expect=expected)
    case(f"grammar-jsonl-general-{tag}", ["validate", "t.jsonl"], {"t.jsonl": jline(spelling)}, expect=expected)
    case(f"grammar-jsonl-fast-{tag}", ["validate", "t.jsonl"], {"t.jsonl": HEADER + GEMM + jline(spelling)}, expect=expected)
    if spelling != b'"64"':
        case(f"grammar-csv-{tag}", ["validate", "t.csv"], {"t.csv": csv_cell(spelling)}, expect=expected)
    # config.json bounds sizes to 2^40, so 2^53 + 1 is a (positioned) range error there.
    case(f"grammar-config-{tag}", ["validate", "config.json"], {"config.json": config_with("num_hidden_layers", spelling.decode())},
         expect="error" if spelling == b"9007199254740993" else expected)
    case(f"grammar-hardware-{tag}", ["validate", "h.yaml"], {"h.yaml": hardware_with(b"sms: 132", b"sms: " + spelling)},
         expect="clean" if expected == "ok" else "error")


def exact_2_53_plus_1(sandbox, proc):
    out = open(os.path.join(sandbox, "out.jsonl")).read()
    return None if '"m": 9007199254740993' in out else "2^53+1 not kept exactly"


for path, files in [("fast", {"t.jsonl": HEADER + GEMM + jline(b"9007199254740993")}),
                    ("general", {"t.jsonl": jline(b"9007199254740993") + GEMM})]:
    case(f"grammar-exact-int64-jsonl-{path}", ["trace", "import", "t.jsonl", "-o", "out.jsonl"], files, expect="ok",
         changes=["out.jsonl"], check=exact_2_53_plus_1)
case("grammar-exact-int64-yaml", ["trace", "import", "t.yaml", "-o", "out.jsonl"], {"t.yaml": ytrace(b"9007199254740993")},
     expect="ok", changes=["out.jsonl"], check=exact_2_53_plus_1)

REALS = [(b"1830 MHz", "ok"), (b"1830.0 MHz", "ok"), (b"1.83e3 MHz", "ok"), (b"1e400 MHz", "error"),
         (b"+1830 MHz", "error"), (b".5 GHz", "error"), (b"inf GHz", "error"), (b"nan GHz", "error"),
         (b"0x10 MHz", "error"), (b"1830.MHz", "error")]
for i, (spelling, expected) in enumerate(REALS):
    case(f"grammar-quantity-real{i:02d}", ["validate", "h.yaml"], {"h.yaml": hardware_with(b"clock: 1830 MHz", b"clock: " + spelling)},
         expect=expected)
case("grammar-config-real-1e400", ["validate", "config.json"], {"config.json": config_with("rms_norm_eps", "1e400")})
case("grammar-jsonl-real-1e400", ["validate", "t.jsonl"], {"t.jsonl": jline(b"1e400")})

# --- 2. BOM, NUL, invalid UTF-8 in every reader ---------------------------------------------------
BOM = b"\xef\xbb\xbf"
READERS = {
    "yaml": ("t.yaml", YTRACE), "jsonl": ("t.jsonl", HEADER + GEMM), "jsonl-noheader": ("t.jsonl", GEMM + GEMM),
    "csv": ("t.csv", CSV), "config": ("config.json", CONFIG), "hardware": ("h.yaml", SYSTOLIC), "plan": ("plan.yaml", PLAN),
}
for reader, (name, content) in READERS.items():
    case(f"bom-{reader}", ["validate", name], {name: BOM + content}, expect="ok")
    middle = len(content) // 2
    case(f"nul-{reader}", ["validate", name], {name: content[:middle] + b"\x00" + content[middle:]})
    case(f"invalid-utf8-{reader}", ["validate", name], {name: content[:middle] + b"\xff\xfe" + content[middle:]})
case("bom-results", ["report", "r.json", "-o", "r.md"], {}, setup=lambda d: write(d, "r.json", BOM + RESULTS),
     expect="ok", changes=["r.md", "r-pareto.svg", "r-energy.svg"])
case("nul-results", ["report", "r.json", "-o", "r.md"], setup=lambda d: write(d, "r.json", RESULTS[:50] + b"\x00" + RESULTS[50:]))

# --- 3. empty traces are errors in every format ---------------------------------------------------
for name, content in [("t.yaml", b"name: t\nops: []\n"), ("t.jsonl", b""), ("t.jsonl", HEADER), ("t.csv", b"Layer, M, N, K,\n"),
                      ("t.jsonl", b"\n  \n\t\n")]:
    tag = name.split(".")[1] + "-" + hashlib.sha1(content).hexdigest()[:6]
    case(f"empty-trace-validate-{tag}", ["validate", name], {name: content})
    case(f"empty-trace-simulate-{tag}", sim(name), {name: content, "h.yaml": H100})

# --- 4. duplicate keys are errors in every JSON and YAML reader -----------------------------------
case("dup-jsonl", ["validate", "t.jsonl"], {"t.jsonl": b'{"name": "g", "kind": "gemm", "m": 8, "m": 9, "n": 8, "k": 8}\n'})
case("dup-jsonl-fast", ["validate", "t.jsonl"], {"t.jsonl": HEADER + b'{"name": "g", "kind": "gemm", "m": 8, "m": 9, "n": 8, "k": 8}\n'})
case("dup-config", ["validate", "config.json"], {"config.json": CONFIG.replace(b'"vocab_size": 32000', b'"vocab_size": 32000, "vocab_size": 1')})
case("dup-results", ["report", "r.json", "-o", "r.md"],
     setup=lambda d: write(d, "r.json", RESULTS.replace(b'{\n  "', b'{\n  "version": "x",\n  "', 1)))
case("dup-yaml-trace", ["validate", "t.yaml"], {"t.yaml": b"name: t\nops:\n  - {name: g, kind: gemm, m: 8, m: 9, n: 8, k: 8}\n"})
case("dup-hardware", ["validate", "h.yaml"], {"h.yaml": SYSTOLIC + b"clock: 900 MHz\n"})
case("dup-plan", ["validate", "plan.yaml"], {"plan.yaml": PLAN + b"name: again\n"})

# --- 5. JSON strings: every escape, surrogate pairs ------------------------------------------------


def output_contains(text):
    def check(sandbox, proc):
        out = open(os.path.join(sandbox, "out.jsonl"), encoding="utf-8").read()
        return None if text in out else f"output lacks {text!r}"
    return check


case("json-surrogate-pair", ["trace", "import", "t.jsonl", "-o", "out.jsonl"],
     {"t.jsonl": b'{"name": "g\\ud83d\\ude00", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'}, expect="ok", changes=["out.jsonl"],
     check=output_contains("g\U0001F600"))
case("json-printable-escapes", ["trace", "import", "t.jsonl", "-o", "out.jsonl"],
     {"t.jsonl": b'{"name": "a\\"\\\\\\/\\u00e9", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'}, expect="ok",
     changes=["out.jsonl"], check=output_contains("\u00e9"))
# Escaped control characters decode, and a name holding them is refused at the name (NameRule).
case("json-control-escapes", ["trace", "import", "t.jsonl", "-o", "out.jsonl"],
     {"t.jsonl": b'{"name": "a\\b\\f\\n\\r\\t\\u00e9", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'})
case("json-lone-high-surrogate", ["validate", "t.jsonl"], {"t.jsonl": b'{"name": "\\ud83d", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'})
case("json-lone-low-surrogate", ["validate", "t.jsonl"], {"t.jsonl": b'{"name": "\\ude00", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'})
case("json-bad-escape", ["validate", "t.jsonl"], {"t.jsonl": b'{"name": "\\x41", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'})
case("json-short-unicode-escape", ["validate", "t.jsonl"], {"t.jsonl": b'{"name": "\\u12", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'})
case("config-surrogate-name", ["validate", "config.json"],
     {"config.json": CONFIG.replace(b'"meta-llama/Llama-2-7b-hf"', b'"\\ud83d\\ude00"')}, expect="ok")
case("json-deep-nesting", ["validate", "t.jsonl"], {"t.jsonl": b"[" * 100000 + b"]" * 100000 + b"\n"})
case("config-deep-nesting", ["validate", "config.json"], {"config.json": b'{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}"})
case("results-deep-nesting", ["report", "r.json", "-o", "r.md"], {"r.json": b"[" * 100000 + b"]" * 100000})
case("json-trailing-text", ["validate", "t.jsonl"], {"t.jsonl": GEMM.rstrip() + b" x\n"})
case("json-line-1-over-1mib", ["validate", "t.jsonl"],
     setup=lambda d: write(d, "t.jsonl", b'{"name": "' + b"a" * (3 << 19) + b'", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'))
case("json-line-2-over-1mib", ["validate", "t.jsonl"],
     setup=lambda d: write(d, "t.jsonl", HEADER + b'{"name": "' + b"a" * (3 << 19) + b'", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'))
case("json-line-3-over-1mib", ["validate", "t.jsonl"],
     setup=lambda d: write(d, "t.jsonl", HEADER + GEMM + b'{"name": "' + b"a" * (3 << 19) + b'", "kind": "gemm", "m": 8, "n": 8, "k": 8}\n'))

# --- 6. convert: exactly its documented spellings ----------------------------------------------------
CONVERT_BAD = [b"infinity", b"+inf", b"-nan", b"snan", b"nan(0x1)", b"Inf", b"NaN", b"1e400", b"-1e400", b"0x1p2000",
               b"1.5x", b"1,5", b"0x", b"1e", b"--1", b"1 2", b"\xff", b"2\x003", b"\x00", b"0b101", b"1_000"]
for i, token in enumerate(CONVERT_BAD):
    case(f"convert-bad-{i:02d}", ["convert", "--format", "bf16"], stdin=b"1\n" + token + b"\n")
CONVERT_GOOD = [b"1", b"-2e-3", b"0x1.8p-3", b"inf", b"-inf", b"nan", b".5", b"5.", b"1e-400", b"  7  ", b"# comment", b""]
for i, token in enumerate(CONVERT_GOOD):
    case(f"convert-good-{i:02d}", ["convert", "--format", "fp8_e4m3"], stdin=token + b"\n", expect="ok")


def column_is(expected):
    def check(sandbox, proc):
        return None if f":{expected}:" in proc.stderr.decode(errors="replace") else f"expected column {expected}: {proc.stderr[:200]!r}"
    return check


case("convert-utf8-column", ["convert", "--format", "bf16"], stdin=b"1\n1.5\xff\n", check=column_is("2:4"))
case("convert-endless-stdin", ["convert", "--format", "bf16"], setup=None, stdin="/dev/zero", memory_mb=512)
case("convert-dev-zero-input", ["convert", "--format", "bf16", "--input", "/dev/zero"], memory_mb=512, positioned=True)
case("convert-long-line", ["convert", "--format", "bf16"], stdin=b"1" * 200000 + b"\n")
case("convert-fifo-input", ["convert", "--format", "bf16", "--input", "fifo"], expect="ok",
     setup=lambda d: fifo_feeding(d, "fifo", b"1\n2\n"))
case("convert-block-streams", ["convert", "--format", "mxfp8_e4m3"], stdin=b"1\n2\n" * 64, expect="ok")
case("convert-nvfp4", ["convert", "--format", "nvfp4"], stdin=b"1\n2\n3\n", expect="ok")
case("convert-dev-stdin-input", ["convert", "--format", "bf16", "--input", "/dev/stdin"], stdin=b"1\n", expect="ok")

# --- 7. outputs: never over an input, never two on one file, never replacing what is not a file ----


def write(d, name, data, mode=None):
    p = os.path.join(d, name)
    with open(p, "wb") as f:
        f.write(data)
    if mode is not None:
        os.chmod(p, mode)


def fifo_feeding(d, name, data):
    p = os.path.join(d, name)
    os.mkfifo(p)

    def feed():
        with open(p, "wb") as f:
            f.write(data)
    threading.Thread(target=feed, daemon=True).start()


def fifo_draining(d, name):
    p = os.path.join(d, name)
    os.mkfifo(p)

    def drain():
        with open(p, "rb") as f:
            while f.read(65536):
                pass
    threading.Thread(target=drain, daemon=True).start()


def still(path_kind):
    def check(sandbox, proc):
        p, kind = path_kind
        st = os.lstat(p if os.path.isabs(p) else os.path.join(sandbox, p))
        ok = {"chr": stat.S_ISCHR, "link": stat.S_ISLNK, "fifo": stat.S_ISFIFO}[kind](st.st_mode)
        return None if ok else f"{p} is no longer a {kind}"
    return check


def all_of(*checks):
    def check(sandbox, proc):
        for c in checks:
            r = c(sandbox, proc)
            if r:
                return r
        return None
    return check


BASE = {"h.yaml": H100, "w.yaml": RESNET}
case("out-simulate-onto-workload", sim("w.yaml", "-o", "w.yaml"), BASE, positioned=False)
case("out-simulate-onto-hardware", sim("w.yaml", "-o", "h.yaml"), BASE, positioned=False)
case("out-simulate-onto-workload-other-spelling", sim("w.yaml", "-o", "./sub/../w.yaml"), BASE, positioned=False,
     setup=lambda d: os.mkdir(os.path.join(d, "sub")))
case("out-simulate-onto-workload-hardlink", sim("w.yaml", "-o", "hard.yaml"), BASE, positioned=False,
     setup=lambda d: os.link(os.path.join(d, "w.yaml"), os.path.join(d, "hard.yaml")))
case("out-simulate-onto-workload-symlink", sim("w.yaml", "-o", "link.yaml"), BASE, positioned=False,
     setup=lambda d: os.symlink("w.yaml", os.path.join(d, "link.yaml")))
case("out-compare-json-onto-hardware", ["compare", "--hardware", "h.yaml", "--workload", "w.yaml", "--precisions", "bf16",
                                        "-o", "r.md", "--json", "h.yaml"], BASE, positioned=False)
case("out-compare-md-onto-workload", ["compare", "--hardware", "h.yaml", "--workload", "w.md", "--precisions", "bf16",
                                      "-o", "w.md"], {"h.yaml": H100, "w.md": RESNET}, positioned=False)
case("out-compare-json-equals-md", ["compare", "--hardware", "h.yaml", "--workload", "w.yaml", "--precisions", "bf16",
                                    "-o", "r.md", "--json", "r.md"], BASE, positioned=False)
case("out-compare-json-equals-svg", ["compare", "--hardware", "h.yaml", "--workload", "w.yaml", "--precisions", "bf16",
                                     "-o", "r.md", "--json", "r-pareto.svg"], BASE, positioned=False)
case("out-report-onto-itself", ["report", "X.md", "-o", "X.md"], positioned=False, setup=lambda d: write(d, "X.md", RESULTS))
case("out-trace-import-onto-input", ["trace", "import", "w.yaml", "-o", "w.yaml"], BASE, positioned=False)
case("out-transformer-onto-config", ["trace", "transformer", "--config", "c.yaml", "-o", "c.yaml"],
     {"c.yaml": CONFIG}, positioned=False)
def device(name, minor):
    """A character device of the sandbox's own (mknod, as root): a broken lpsim replaces it, never the system's."""
    def make(d):
        try:
            os.mknod(os.path.join(d, name), stat.S_IFCHR | 0o666, os.makedev(1, minor))
        except PermissionError:
            raise Skip("mknod needs root")
    return make


class Skip(Exception):
    pass


case("out-dev-null", ["trace", "import", "w.yaml", "-o", "null"], BASE, expect="ok", setup=device("null", 3), check=still(("null", "chr")))
case("out-dev-null-simulate", sim("w.yaml", "--json", "-o", "null"), BASE, expect="ok", setup=device("null", 3),
     check=still(("null", "chr")))
case("out-dev-null-compare-json", ["compare", "--hardware", "h.yaml", "--workload", "w.yaml", "--precisions", "bf16",
                                   "-o", "r.md", "--json", "null"], BASE, expect="ok", setup=device("null", 3),
     changes=["r.md", "r-pareto.svg", "r-energy.svg"], check=still(("null", "chr")))
case("out-dev-stdout", ["trace", "import", "w.yaml", "-o", "/dev/stdout"], BASE, expect="ok",
     stdout_check=lambda out: None if out.startswith(b"name:") else "nothing on standard output")
case("out-dev-full", ["trace", "import", "w.yaml", "-o", "full"], BASE, positioned=False, setup=device("full", 7),
     check=still(("full", "chr")))
case("out-fifo", ["trace", "import", "w.yaml", "-o", "pipe"], BASE, expect="ok", setup=lambda d: fifo_draining(d, "pipe"),
     check=still(("pipe", "fifo")))
case("out-symlink-written-through", ["trace", "import", "w.yaml", "-o", "link.jsonl"], BASE, expect="ok",
     setup=lambda d: (write(d, "real.jsonl", b"old\n"), os.symlink("real.jsonl", os.path.join(d, "link.jsonl"))),
     changes=["real.jsonl"], check=all_of(still(("link.jsonl", "link")),
                                         lambda s, p: None if open(os.path.join(s, "real.jsonl")).read().startswith('{"lpsim_trace"') else "target not written"))
case("out-dangling-symlink", ["trace", "import", "w.yaml", "-o", "dangling.jsonl"], BASE, positioned=False,
     setup=lambda d: os.symlink("nowhere.jsonl", os.path.join(d, "dangling.jsonl")))
case("out-read-only", ["trace", "import", "w.yaml", "-o", "ro.jsonl"], BASE, positioned=False,
     setup=lambda d: write(d, "ro.jsonl", b"keep\n", mode=0o444))
case("out-mode-kept", ["trace", "import", "w.yaml", "-o", "m.jsonl"], BASE, expect="ok", changes=["m.jsonl"],
     setup=lambda d: write(d, "m.jsonl", b"old\n", mode=0o640),
     check=lambda s, p: None if stat.S_IMODE(os.stat(os.path.join(s, "m.jsonl")).st_mode) == 0o640 else "mode not kept")
case("out-trailing-slash", ["trace", "import", "w.yaml", "-o", "out.jsonl/"], BASE, positioned=False)
case("out-directory", ["trace", "import", "w.yaml", "-o", "dir.jsonl"], BASE, positioned=False,
     setup=lambda d: os.mkdir(os.path.join(d, "dir.jsonl")))
case("out-missing-directory", ["trace", "import", "w.yaml", "-o", "no/such/out.jsonl"], BASE, positioned=False)
case("out-name-250-chars", ["trace", "import", "w.yaml", "-o", "a" * 244 + ".jsonl"], BASE, expect="ok", changes=["a" * 244 + ".jsonl"])
case("out-name-255-chars", ["trace", "import", "w.yaml", "-o", "b" * 249 + ".jsonl"], BASE, expect="ok", changes=["b" * 249 + ".jsonl"])
case("out-planted-temporary-links", ["trace", "import", "w.yaml", "-o", "out.jsonl"], BASE, expect="ok", changes=["out.jsonl"],
     setup=lambda d: [os.symlink("victim", os.path.join(d, f".out.jsonl.{pid}.tmp")) for pid in range(2, 400)] and
     write(d, "victim", b"precious\n"),
     check=lambda s, p: None if open(os.path.join(s, "victim"), "rb").read() == b"precious\n" else "victim overwritten")
def plant_for_own_pid(d):
    """The predictable temporary name of old (.NAME.PID.tmp), planted as a link for lpsim's own PID."""
    os.symlink("victim", os.path.join(d, ".out.jsonl.%d.tmp" % os.getpid()))


case("out-planted-temporary-link-own-pid", ["trace", "import", "w.yaml", "-o", "out.jsonl"], BASE, expect="ok",
     changes=["out.jsonl", r"re:\.out\.jsonl\.\d+\.tmp"], setup=lambda d: write(d, "victim", b"precious\n"), preexec=plant_for_own_pid,
     check=lambda s, p: None if open(os.path.join(s, "victim"), "rb").read() == b"precious\n" else "victim overwritten")
case("out-simulate-streams-to-file", sim("w.yaml", "--csv", "-o", "r.csv"), BASE, expect="ok", changes=["r.csv"])
case("out-sigterm-mid-write", ["trace", "import", "big.jsonl", "-o", "out.jsonl"], positioned=False, expect="signal-cleanup",
     setup=lambda d: write(d, "big.jsonl", HEADER + GEMM * 3_000_000), signal_after=0.05, seconds=120)
case("out-sigint-mid-write", ["trace", "import", "big.jsonl", "-o", "out2.jsonl"], positioned=False, expect="signal-cleanup",
     setup=lambda d: write(d, "big.jsonl", HEADER + GEMM * 3_000_000), signal_after=0.05, seconds=120)
case("out-sweep-onto-existing-ok", ["trace", "sweep", "-o", "s.jsonl"], expect="ok", changes=["s.jsonl"],
     setup=lambda d: write(d, "s.jsonl", b"old\n"))

# --- 8. no crash, bounded memory -------------------------------------------------------------------
CONV = b'{"name": "c", "kind": "conv2d", "c": 3, "h": 8, "w": 8, "k": 4, "r": 3, "s": 3, "padding": %s}\n'
case("crash-conv-padding-overflow", ["validate", "t.jsonl"], {"t.jsonl": CONV % b"4611686018427387904"})
case("crash-conv-padding-overflow-fast", ["validate", "t.jsonl"], {"t.jsonl": HEADER + CONV % b"4611686018427387904"})
case("crash-conv-padding-max", ["validate", "t.jsonl"], {"t.jsonl": CONV % b"9223372036854775807"})
case("crash-conv-padding-simulate", sim("t.jsonl"), {"t.jsonl": CONV % b"4611686018427387904", "h.yaml": H100})
case("crash-conv-dilation-overflow", ["validate", "t.yaml"],
     {"t.yaml": b"ops:\n  - {kind: conv2d, c: 3, h: 8, w: 8, k: 4, r: 3, s: 3, dilation: 9223372036854775807}\n"})
case("crash-conv-stride-ceil-overflow", ["validate", "t.yaml"],
     {"t.yaml": b"ops:\n  - {kind: conv2d, c: 3, h: 8, w: 8, k: 4, r: 3, s: 3, ceil_mode: 1, stride: 9223372036854775807}\n"})
case("crash-norm-affine-overflow", ["validate", "t.yaml"],
     {"t.yaml": b"ops:\n  - {kind: norm, rows: 1, columns: 4294967296, affine: 4294967296}\n"})
case("crash-gemm-bias-overflow", ["validate", "t.yaml"],
     {"t.yaml": b"ops:\n  - {kind: gemm, m: 1, n: 3037000499, k: 3037000499, bias: 1}\n"}, expect="clean")
case("crash-repeat-overflow", ["validate", "t.yaml"],
     {"t.yaml": b"ops:\n  - {kind: gemm, m: 1024, n: 1024, k: 1024, repeat: 9223372036854775807}\n"})
case("crash-huge-hardware-extends", ["validate", "child.yaml"], positioned=False, memory_mb=1024,
     setup=lambda d: (write(d, "child.yaml", b"extends: huge.yaml\nname: x\n"),
                      big_file(os.path.join(d, "huge.yaml"), 100 << 20, b"# padding padding padding padding\n")))
case("crash-huge-yaml-trace", ["validate", "t.yaml"], positioned=False, memory_mb=1024,
     setup=lambda d: big_file(os.path.join(d, "t.yaml"), 40 << 20, b"# padding padding padding padding\n"))



# Found by a hostile-input probe (session 12): overflows that trapped, a zip that took hours, a deep chain.
def extends_chain(d, depth):
    write(d, "base.yaml", SYSTOLIC)
    for i in range(depth):
        parent = f"c{i + 1}.yaml" if i + 1 < depth else "base.yaml"
        write(d, f"c{i}.yaml", f"extends: {parent}\nname: c{i}\n".encode())


def safetensors_bytes(header, data=16):
    return struct.pack("<Q", len(header)) + header + bytes(data)


def npy_bytes(shape):
    h = ("{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape).encode()
    h += b" " * (63 - (10 + len(h)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + bytes(16)


case("crash-extends-chain-5000", ["validate", "c0.yaml"], setup=lambda d: extends_chain(d, 5000), seconds=60)
case("crash-sweep-shard-count-max", ["sweep", "run", "spec.yaml", "--shard", "0/9223372036854775807", "-o", "out"],
     {"spec.yaml": b"name: tiny\nhardware: base.yaml\naxes:\n  - systolic.rows: [16, 32]\n  - workload: [w.yaml]\n"
                   b"  - precision: [int8]\n", "base.yaml": SYSTOLIC,
      "w.yaml": b"ops:\n  - {kind: gemm, m: 64, n: 64, k: 64}\n"}, expect="ok",
     changes=["out", "out/points.csv", "out/points.jsonl", "out/sweep.json"])
case("crash-gemm-tile-dot-length-max", ["error", "--format", "fp8_e4m3", "--gemm-tile", "2", "--dot-length",
                                         "9223372036854775807"], positioned=False)
case("crash-units-clock-1e20", ["units", "--format", "bf16", "--clock-ghz", "1e20"], positioned=False)
case("crash-safetensors-shape-2-62", ["error", "--format", "bf16", "--tensors", "x.safetensors"],
     {"x.safetensors": safetensors_bytes(
         b'{"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,16]}}')}, positioned=False)
case("crash-safetensors-offsets-max", ["error", "--format", "bf16", "--tensors", "x.safetensors"],
     {"x.safetensors": safetensors_bytes(
         b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775803,9223372036854775807]}}')},
     positioned=False)
for target, setup in [("d.md", lambda d: os.mkdir(os.path.join(d, "d.md"))),
                      ("ro.md", lambda d: write(d, "ro.md", b"k\n", mode=0o444))]:
    # A report whose own file cannot be written leaves no charts behind it.
    case(f"output-compare-charts-{target}", ["compare", "--hardware", "h.yaml", "--workload", "t.yaml",
                                             "--precisions", "int8", "-o", target],
         {"h.yaml": SYSTOLIC, "t.yaml": b"ops:\n  - {kind: gemm, m: 8, n: 8, k: 8}\n"}, setup=setup,
         positioned=False)
case("crash-npy-shape-overflow", ["error", "--format", "bf16", "--tensors", "x.npy"],
     {"x.npy": npy_bytes("(4294967296, 4294967296)")}, positioned=False)

def many_keys(d, name, size, prefix=b""):
    with open(os.path.join(d, name), "wb") as f:
        f.write(prefix)
        i = 0
        while f.tell() < size:
            f.write(b"".join(b"k%d: %d\n" % (j, j) for j in range(i, i + 10000)))
            i += 10000


case("crash-huge-hardware-extends-keys", ["validate", "child.yaml"], positioned=False, memory_mb=1024,
     setup=lambda d: (write(d, "child.yaml", b"extends: huge.yaml\nname: x\n"), many_keys(d, "huge.yaml", 100 << 20)))
case("crash-yaml-many-keys", ["validate", "t.yaml"], memory_mb=1536, seconds=60,
     setup=lambda d: many_keys(d, "t.yaml", 3 << 20, b"ops: []\n"))
case("crash-sweep-yaml-over-limit", ["trace", "sweep", "--m", ",".join(map(str, range(1, 101))), "--n",
                                     ",".join(map(str, range(1, 101))), "--k", ",".join(map(str, range(1, 101))), "-o", "s.yaml"],
     positioned=False)
case("ok-sweep-jsonl-1m", ["trace", "sweep", "--m", ",".join(map(str, range(1, 101))), "--n",
                           ",".join(map(str, range(1, 101))), "--k", ",".join(map(str, range(1, 101))), "-o", "s.jsonl"],
     expect="ok", changes=["s.jsonl"], memory_mb=512, seconds=120)
case("crash-sweep-cross-product", ["trace", "sweep", "--m", ",".join(map(str, range(1, 301))), "--n",
                                   ",".join(map(str, range(1, 301))), "--k", ",".join(map(str, range(1, 301)))],
     positioned=False, memory_mb=512)
case("crash-transformer-hidden-2-40", ["trace", "transformer", "--config", "c.json", "-o", "t.jsonl"], positioned=False,
     files={"c.json": config_with("hidden_size", "1099511627776").replace(b'"intermediate_size": 11008', b'"intermediate_size": 1099511627776')})
case("crash-transformer-layers-2-40", ["trace", "transformer", "--config", "c.json", "-o", "t.jsonl"], positioned=False,
     files={"c.json": config_with("num_hidden_layers", "1099511627776")})
case("crash-transformer-vocab-2-40-batch", ["trace", "transformer", "--config", "c.json", "--batch", "1048576"], positioned=False,
     files={"c.json": config_with("vocab_size", "1099511627776")})
case("crash-transformer-heads-2-40", ["trace", "transformer", "--config", "c.json"], positioned=False,
     files={"c.json": config_with("num_attention_heads", "1099511627776").replace(b'"num_key_value_heads": 32', b'"num_key_value_heads": 1')})
case("mem-import-streams", ["trace", "import", "big.jsonl", "-o", "out.jsonl"], expect="ok", changes=["out.jsonl"],
     setup=lambda d: write(d, "big.jsonl", HEADER + GEMM * 400_000), memory_mb=200, seconds=240)
case("mem-validate-streams", ["validate", "big.jsonl"], expect="ok",
     setup=lambda d: write(d, "big.jsonl", HEADER + GEMM * 400_000), memory_mb=200, seconds=240)
case("mem-convert-streams", ["convert", "--format", "bf16", "--input", "n.txt"], expect="ok",
     setup=lambda d: write(d, "n.txt", b"1.5\n-2e-3\n" * 1_500_000), memory_mb=200, seconds=240)
case("mem-compare-over-held-limit", ["compare", "--hardware", "h.yaml", "--workload", "big.jsonl", "--precisions", "bf16",
                                     "-o", "r.md"], {"h.yaml": H100}, positioned=False, memory_mb=3072, seconds=300,
     setup=lambda d: gemm_trace(d, "big.jsonl", (1 << 21) + 10),
     check=lambda s, p: None if b"more than 2097152 ops: compare holds" in p.stderr else "not the held-ops limit")
# simulate streams (issue 16): 10 M ops, five times the held-ops limit, in the memory validate needs; the scratch
# file of results is made in the sandbox ($TMPDIR) and must leave nothing behind.
TEN_M = 10_000_000
case("mem-simulate-json-10m", sim("big.jsonl", "--json", "-o", "out.json"), {"h.yaml": H100}, expect="ok",
     changes=["out.json"], memory_mb=256, seconds=900, preexec=tmpdir_is_sandbox,
     setup=lambda d: gemm_trace(d, "big.jsonl", TEN_M), check=json_ops_are(TEN_M))
case("mem-import-streams-10m", ["trace", "import", "big.jsonl", "-o", "out.jsonl"], expect="ok", changes=["out.jsonl"],
     memory_mb=256, seconds=600, setup=lambda d: gemm_trace(d, "big.jsonl", TEN_M), check=lines_are("out.jsonl", TEN_M + 1))
case("mem-simulate-csv-10m", sim("big.jsonl", "--csv", "-o", "out.csv"), {"h.yaml": H100}, expect="ok",
     changes=["out.csv"], memory_mb=256, seconds=600, preexec=tmpdir_is_sandbox,
     setup=lambda d: gemm_trace(d, "big.jsonl", TEN_M), check=lines_are("out.csv", TEN_M + 1))
case("mem-simulate-table-3m", sim("big.jsonl"), {"h.yaml": H100}, expect="ok", memory_mb=256, seconds=300,
     preexec=tmpdir_is_sandbox, setup=lambda d: gemm_trace(d, "big.jsonl", 3_000_000),
     stdout_check=lambda out: None if b"2999985 more ops" in out else "not the 3 M-op table")
# A signal while the ops stream through the simulator (before any output exists), and one while the output is
# written from the scratch file: no temporary file, no scratch file, no partial output (standard output empty).
case("out-sigterm-simulate-mid-stream", sim("big.jsonl", "--json", "-o", "out.json"), {"h.yaml": H100},
     positioned=False, expect="signal-cleanup", seconds=300, preexec=tmpdir_is_sandbox, signal_after=1.0,
     signal_at_start=True, setup=lambda d: gemm_trace(d, "big.jsonl", 3_000_000))
case("out-sigterm-simulate-stdout-mid-stream", sim("big.jsonl", "--csv"), {"h.yaml": H100}, positioned=False,
     expect="signal-cleanup", seconds=300, preexec=tmpdir_is_sandbox, signal_after=1.0, signal_at_start=True,
     setup=lambda d: gemm_trace(d, "big.jsonl", 3_000_000),
     stdout_check=lambda out: None if out == b"" else f"{len(out)} bytes of partial output")
case("out-sigterm-simulate-mid-write", sim("big.jsonl", "--json", "-o", "out.json"), {"h.yaml": H100},
     positioned=False, expect="signal-cleanup", seconds=300, signal_after=0.05,
     setup=lambda d: gemm_trace(d, "big.jsonl", 1_000_000))
case("out-sigint-simulate-mid-write", sim("big.jsonl", "--csv", "-o", "out.csv"), {"h.yaml": H100},
     positioned=False, expect="signal-cleanup", seconds=300, signal_after=0.02,
     setup=lambda d: gemm_trace(d, "big.jsonl", 1_000_000))
case("out-simulate-tmpdir-missing", sim("w.yaml", "--json", "-o", "out.json"), BASE, positioned=False,
     preexec=lambda d: os.environ.__setitem__("TMPDIR", os.path.join(d, "missing")))
case("out-simulate-tmpdir-not-a-directory", sim("w.yaml", "--csv"), BASE, positioned=False,
     preexec=lambda d: os.environ.__setitem__("TMPDIR", "/dev/null"),
     stdout_check=lambda out: None if out == b"" else "output despite no scratch file")
case("input-dev-zero-workload", sim("/dev/zero"), {"h.yaml": H100}, positioned=False)
case("input-dev-zero-hardware", ["validate", "/dev/zero"], positioned=False)
case("input-fifo-workload", ["validate", "p.jsonl"], expect="ok", setup=lambda d: fifo_feeding(d, "p.jsonl", HEADER + GEMM))
case("input-fifo-hardware", ["validate", "p.yaml"], expect="ok", setup=lambda d: fifo_feeding(d, "p.yaml", SYSTOLIC))
case("input-extends-dev-stdin", ["validate", "child.yaml"], stdin=SYSTOLIC, expect="ok",
     files={"child.yaml": b"extends: /dev/stdin\nname: x\n"})
case("input-directory", ["validate", "d.yaml"], positioned=False, setup=lambda d: os.mkdir(os.path.join(d, "d.yaml")))
case("input-missing", ["validate", "missing.yaml"], positioned=False)
case("input-unknown-extension", sim("w.txt"), {"h.yaml": H100, "w.txt": RESNET}, positioned=False)
case("input-extends-cycle", ["validate", "a.yaml"], {"a.yaml": b"extends: b.yaml\nname: a\n", "b.yaml": b"extends: a.yaml\nname: b\n"},
     expect="error", positioned=None)

# --- 9. positions and messages -----------------------------------------------------------------------
for size, tag in ((10 << 20, "10mb"), (3 << 20, "3mb")):
    # 10 MB is over the YAML limit (a file-level refusal); 3 MB is read and the key quoted, shortened.
    case(f"msg-huge-key-yaml-{tag}", ["validate", "t.yaml"], positioned=size < (4 << 20),
         setup=lambda d, n=size: write(d, "t.yaml", b"ops:\n  - {kind: gemm, m: 8, n: 8, k: 8, " + b"x" * n + b": 1}\n"))
    case(f"msg-huge-key-hardware-{tag}", ["validate", "h.yaml"], positioned=size < (4 << 20),
         setup=lambda d, n=size: write(d, "h.yaml", SYSTOLIC + b"y" * n + b": 1\n"))
case("msg-huge-kind-jsonl", ["validate", "t.jsonl"], setup=lambda d: write(d, "t.jsonl", b'{"kind": "' + b"k" * (1 << 19) + b'", "m": 8}\n'))
case("msg-huge-token-convert", ["convert", "--format", "bf16"], stdin=b"9" * 60000 + b"x\n")
case("msg-report-missing-key", ["report", "r.json", "-o", "r.md"], setup=lambda d: write(d, "r.json", drop_key(RESULTS, "title")))
case("msg-report-wrong-type", ["report", "r.json", "-o", "r.md"],
     setup=lambda d: write(d, "r.json", re.sub(rb'"title" : "[^"]*"|"title": "[^"]*"', b'"title": 5', RESULTS, count=1)))
case("msg-report-not-object", ["report", "r.json", "-o", "r.md"], {"r.json": b"[1, 2]\n"})
case("msg-report-empty", ["report", "r.json", "-o", "r.md"], {"r.json": b""})
case("msg-report-garbage", ["report", "r.json", "-o", "r.md"], {"r.json": b"{\"title\": }\n"})
case("msg-config-heads-position", ["validate", "c.json"], {"c.json": config_with("num_attention_heads", "33")},
     check=lambda s, p: None if b"c.json:1:1:" not in p.stderr else "points at 1:1")
case("msg-csv-cell-column", ["validate", "t.csv"], {"t.csv": b"Layer, M, N, K,\nQKV, 512, x, 768,\n"}, check=column_is("2:11"))
case("msg-jsonl-column-unicode", ["validate", "t.jsonl"], {"t.jsonl": '{"name": "é€😀", "kind": "gemm", "m": 8, "n": 8, "k": "8"}\n'.encode()},
     check=column_is("1:54"))

# --- 10. options -----------------------------------------------------------------------------------
case("opt-precisions-empty-item", ["compare", "--hardware", "h.yaml", "--workload", "w.yaml", "--precisions", "bf16,,fp8", "-o", "r.md"],
     BASE, positioned=False)
case("opt-precisions-trailing-comma", ["compare", "--hardware", "h.yaml", "--workload", "w.yaml", "--precisions", "bf16,", "-o", "r.md"],
     BASE, positioned=False)
case("opt-sweep-empty-item", ["trace", "sweep", "--m", "1,,2"], positioned=False)
case("opt-sweep-empty", ["trace", "sweep", "--m", ""], positioned=False)
case("opt-sweep-not-integer", ["trace", "sweep", "--m", "1e3"], positioned=False)
case("opt-sweep-ok", ["trace", "sweep", "--m", "1,2", "--n", "3", "--k", "4"], expect="ok")

# --- 11. glob overrides, linear time -----------------------------------------------------------------


def glob_setup(d):
    names = ("op_" + "a" * 60 + "%07d") 
    with open(os.path.join(d, "t.jsonl"), "w") as f:
        f.write('{"lpsim_trace": 1, "name": "t"}\n')
        for i in range(20000):
            f.write('{"name": "%s", "kind": "elementwise", "elements": 8, "operands": 1, "flops": 1}\n' % ("a" * 500 + str(i)))
    with open(os.path.join(d, "plan.yaml"), "w") as f:
        f.write("name: globs\ndefault: {weight: bf16, input: bf16, output: bf16, accumulator: fp32}\noverrides:\n")
        for i in range(40):
            f.write("  - {name: '%s', formats: {weight: fp16}}\n" % ("*a" * 20 + "*b"))


case("glob-adversarial-patterns", ["trace", "summary", "t.jsonl", "--precision", "plan.yaml"], expect="ok", setup=glob_setup, seconds=30)

# --- 12. more hostile inputs, one reader at a time -------------------------------------------------
MORE = [
    ("yaml-alias-bomb", "t.yaml", b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nops: [*d, *d, *d, *d, *d, *d, *d]\n"),
    ("yaml-tab-indent", "t.yaml", b"ops:\n\t- {kind: gemm, m: 8, n: 8, k: 8}\n"),
    ("yaml-ops-mapping", "t.yaml", b"ops: {kind: gemm}\n"),
    ("yaml-op-scalar", "t.yaml", b"ops:\n  - gemm\n"),
    ("yaml-unknown-top-key", "t.yaml", b"opz: []\n"),
    ("yaml-deep-flow", "t.yaml", b"ops: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    ("yaml-kv-heads-zero", "t.yaml", b"ops:\n  - {kind: attention_qk, batch: 1, heads: 8, kv_heads: 0, seq_q: 1, seq_kv: 8, head_dim: 8}\n"),
    ("jsonl-header-twice", "t.jsonl", HEADER + HEADER + GEMM),
    ("jsonl-header-version-2", "t.jsonl", b'{"lpsim_trace": 2}\n' + GEMM),
    ("jsonl-array-line", "t.jsonl", b"[1, 2]\n"),
    ("jsonl-crlf", "t.jsonl", HEADER.replace(b"\n", b"\r\n") + GEMM.replace(b"\n", b"\r\n")),
    ("jsonl-no-final-newline", "t.jsonl", HEADER + GEMM.rstrip()),
    ("jsonl-formats-unknown", "t.jsonl", b'{"kind": "gemm", "m": 8, "n": 8, "k": 8, "formats": {"weight": "fp9"}}\n'),
    ("jsonl-formats-dup-role", "t.jsonl", HEADER + b'{"kind": "gemm", "m": 8, "n": 8, "k": 8, "formats": {"weight": "bf16", "weight": "fp8"}}\n'),
    ("jsonl-number-leading-plus", "t.jsonl", jline(b"+8")),
    ("jsonl-number-minus-only", "t.jsonl", jline(b"-")),
    ("jsonl-true-dimension", "t.jsonl", jline(b"true")),
    ("jsonl-null-dimension", "t.jsonl", jline(b"null")),
    ("csv-conv-negative", "t.csv", b"Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
     b"c, 8, 8, 3, 3, -3, 4, 1,\n"),
    ("csv-short-row", "t.csv", b"Layer, M, N, K,\nQKV, 512,\n"),
    ("csv-huge-cell", "t.csv", b"Layer, M, N, K,\nQKV, 99999999999999999999999, 8, 8,\n"),
    ("config-not-object", "c.json", b"[]"),
    ("config-string-number", "c.json", None),
    ("config-fraction", "c.json", None),
    ("plan-unknown-format", "plan.yaml", b"name: p\ndefault: {weight: fp9, input: bf16, output: bf16, accumulator: fp32}\n"),
    ("plan-quoted-number-key", "plan.yaml", b"name: p\ndefault: {weight: bf16, input: bf16, output: bf16, accumulator: fp32}\noverrides: 5\n"),
    ("hardware-quoted-bits", "h.yaml", SYSTOLIC.replace(b"bits: 32", b'bits: "32"')),
    ("hardware-exp-bits", "h.yaml", SYSTOLIC.replace(b"bits: 32", b"bits: 3.2e1")),
    ("hardware-rows-zero", "h.yaml", SYSTOLIC.replace(b"rows: 64", b"rows: 0")),
    ("hardware-rows-huge", "h.yaml", SYSTOLIC.replace(b"rows: 64", b"rows: 9223372036854775807")),
    ("hardware-columns-underscore", "h.yaml", SYSTOLIC.replace(b"columns: 64", b"columns: 6_4")),
]
for name, fname, content in MORE:
    if content is None:
        content = config_with("hidden_size", '"4096"') if name == "config-string-number" else config_with("hidden_size", "4096.0")
    expected = "ok" if name in ("jsonl-crlf", "jsonl-no-final-newline") else ("clean" if name == "hardware-rows-huge" else "error")
    case(f"more-{name}", ["validate", fname], {fname: content}, expect=expected, positioned=None if expected == "error" else False)


def drop_key(data, key):
    obj = json.loads(data)
    obj.pop(key)
    return json.dumps(obj, indent=2).encode()


# --- running ------------------------------------------------------------------------------------------

def snapshot(d):
    out = {}
    for base, dirs, files in os.walk(d):
        for n in dirs + files:
            p = os.path.join(base, n)
            rel = os.path.relpath(p, d)
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(p, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                out[rel] = ("file", stat.S_IMODE(st.st_mode), h.hexdigest())
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            else:
                out[rel] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode))
    return out


def run_case(c, lpsim, scratch):
    d = tempfile.mkdtemp(prefix="case-", dir=scratch)
    try:
        for name, data in c.files.items():
            write(d, name, data)
        if c.setup:
            try:
                c.setup(d)
            except Skip as why:
                return None, 0.0, None, 0
        before = snapshot(d)
        specials = {p: os.lstat(p).st_mode for p in ("/dev/null", "/dev/full") if os.path.exists(p)}
        stdin = subprocess.DEVNULL
        if isinstance(c.stdin, str):
            stdin = open(c.stdin, "rb")
        elif c.stdin is not None:
            stdin = subprocess.PIPE
        limit = c.memory_mb << 20

        def bound():
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if c.preexec:
                c.preexec(d)
        start = time.monotonic()
        proc = subprocess.Popen([lpsim] + c.args, cwd=d, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=bound)
        outputs = {}

        def collect(name, stream):
            outputs[name] = stream.read()
        threads = [threading.Thread(target=collect, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
        for t in threads:
            t.start()
        if stdin is subprocess.PIPE:
            try:
                proc.stdin.write(c.stdin)
                proc.stdin.close()
            except BrokenPipeError:
                pass
        timed_out = False
        if c.signal_after is not None:
            # Wait until a temporary file (a new hidden file) exists, so the signal comes mid-write.
            waited = time.monotonic()
            while not c.signal_at_start and time.monotonic() - waited < c.seconds - 5:
                if any(n.startswith(".") and n not in before for n in os.listdir(d)):
                    break
                time.sleep(0.002)
            time.sleep(c.signal_after)
            # os.kill, not Popen.send_signal: that polls first and could reap the child wait4 must see.
            os.kill(proc.pid, signal.SIGTERM if "sigterm" in c.name else signal.SIGINT)
        deadline = start + c.seconds
        status = usage = None
        while time.monotonic() < deadline:
            pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                status, usage = st, ru
                break
            time.sleep(0.01)
        if status is None:
            timed_out = True
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        elapsed = time.monotonic() - start
        for t in threads:
            t.join()
        if not isinstance(c.stdin, (bytes, type(None))):
            stdin.close()

        class P:
            pass
        p = P()
        p.returncode, p.stdout, p.stderr = code, outputs.get("out", b""), outputs.get("err", b"")
        err = p.stderr.decode(errors="replace")
        problems = []
        if timed_out:
            problems.append(f"over {c.seconds} s")
        if c.expect == "signal-cleanup":
            # Ended by the signal itself (so it came mid-write), its temporary file gone (the snapshot below).
            if code != -(signal.SIGTERM if "sigterm" in c.name else signal.SIGINT):
                problems.append(f"exit {code}, not the signal")
        elif code is not None and code < 0:
            problems.append(f"killed by signal {-code}")
        if any(f in err for f in FORBIDDEN):
            problems.append("crash report or Swift type name in the message")
        if len(p.stderr) > 4096:
            problems.append(f"a {len(p.stderr)}-byte message")
        if c.expect == "ok" and code != 0:
            problems.append(f"expected success, exit {code}: {err[:300]!r}")
        if c.expect == "error":
            if code == 0:
                problems.append("accepted what should be refused")
            elif c.positioned and not POSITIONED.search(err):
                problems.append(f"no FILE:LINE:COLUMN message: {err[:300]!r}")
            elif not ANY_ERROR.search(err):
                problems.append(f"no lpsim-style message: {err[:300]!r}")
        if c.expect == "clean" and code != 0 and not ANY_ERROR.search(err):
            problems.append(f"no lpsim-style message: {err[:300]!r}")
        if c.check and not problems and (c.expect != "error" or code != 0):
            r = c.check(d, p)
            if r:
                problems.append(r)
        if c.stdout_check and not problems:
            r = c.stdout_check(p.stdout)
            if r:
                problems.append(r)
        after = snapshot(d)
        for rel in sorted(set(before) | set(after)):
            if rel in c.changes or any(x.startswith("re:") and re.fullmatch(x[3:], rel) for x in c.changes):
                continue
            if before.get(rel) != after.get(rel):
                what = "created" if rel not in before else "removed" if rel not in after else "changed"
                problems.append(f"{rel[:60]} {what}")
        for path, mode in specials.items():
            if os.lstat(path).st_mode != mode:
                problems.append(f"{path} replaced")
        return problems, elapsed, code, usage.ru_maxrss >> 10
    finally:
        shutil.rmtree(d, ignore_errors=True)


def make_results(lpsim, scratch):
    d = tempfile.mkdtemp(prefix="results-", dir=scratch)
    write(d, "h.yaml", H100)
    write(d, "w.yaml", RESNET)
    subprocess.run([lpsim, "compare", "--hardware", "h.yaml", "--workload", "w.yaml", "--precisions", "bf16,fp8",
                    "-o", "r.md", "--json", "r.json"], cwd=d, check=True, capture_output=True)
    with open(os.path.join(d, "r.json"), "rb") as f:
        data = f.read()
    shutil.rmtree(d)
    return data


def main():
    global RESULTS
    ap = argparse.ArgumentParser()
    ap.add_argument("--lpsim", default=os.path.join(ROOT, ".build/release/lpsim"))
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    verbose = args.verbose
    cases = [c for c in CASES if args.only in c.name]
    if args.list:
        for c in cases:
            print(c.name)
        print(f"{len(cases)} cases")
        return 0
    lpsim = os.path.abspath(args.lpsim)
    scratch = tempfile.mkdtemp(prefix="lpsim-hostile-")
    try:
        RESULTS = make_results(lpsim, scratch)
        failures = skipped = 0
        slowest = []
        for c in cases:
            problems, elapsed, code, peak = run_case(c, lpsim, scratch)
            if problems is None:
                skipped += 1
                print(f"skip {c.name}")
                continue
            slowest.append((elapsed, c.name))
            if problems:
                failures += 1
                print(f"FAIL {c.name} (exit {code}, {elapsed:.1f} s, {peak} MB): " + "; ".join(problems))
            elif verbose:
                print(f"ok   {c.name} (exit {code}, {elapsed:.1f} s, {peak} MB)")
        slowest.sort(reverse=True)
        print(f"{len(cases) - failures - skipped}/{len(cases) - skipped} hostile cases clean ({skipped} skipped); slowest: "
              + ", ".join(f"{n} {t:.1f} s" for t, n in slowest[:3]))
        return 1 if failures else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


RESULTS = b""
if __name__ == "__main__":
    sys.exit(main())
