#!/usr/bin/env python3
"""Record what SCALE-Sim v3 REPORTS for GEMM and convolution layers: its COMPUTE_REPORT
(`Total Cycles (incl. prefetch)`, `Total Cycles`, `Stall Cycles`), DETAILED_ACCESS_REPORT (SRAM and
DRAM reads/writes per operand) and BANDWIDTH_REPORT (average words/cycle per operand).

Every case is one SCALE-Sim run through its Python API (`scalesim.scale_sim.scalesim`, with
save_disk_space=True so no traces are written): this script writes a `.cfg` and a one-layer topology
CSV into a temporary directory, runs SCALE-Sim, and parses the three report CSVs it wrote. Nothing is
re-derived here: the oracle is SCALE-Sim's reported output.

Five fixture files come out of it:
- Tests/SimulatorTests/Fixtures/scalesim-cycles.json: `InterfaceBandwidth: CALC` runs on 8x8, 32x32
  and 128x128 arrays in os, ws and is (cases whose demand matrices exceed ROW_LIMIT rows are skipped:
  SCALE-Sim services memory one demand row at a time in Python, about 0.1 ms per row).
- Tests/SimulatorTests/Fixtures/scalesim-user.json: `InterfaceBandwidth: USER` runs over three
  dataflows x two arrays x two SRAM sizes x two bandwidth settings x small GEMMs (a decode-like
  1xNxK among them) and convolutions.
- Tests/SimulatorTests/Fixtures/scalesim-sparse.json: CALC runs with N:M structured sparsity.
- Tests/SimulatorTests/Fixtures/scalesim-cycles-large.json: CALC convolutions of 8-15 M SRAM ifmap
  requests on 32x32 (LARGE_CALC; each 100-650 s of SCALE-Sim), one per exact-count path and dataflow.
- Tests/WorkloadTests/Fixtures/scalesim-topologies.json: for every topology CSV under SCALE-Sim's
  `topologies/` that its own parser (`topology_utils.topologies.load_arrays`) accepts, the layer
  count and SCALE-Sim's MAC total (`topo_calc_hyperparams`' num_mac summed).

    python3 -m venv /tmp/ss && /tmp/ss/bin/pip install scalesim "numpy<2"
    /tmp/ss/bin/python scripts/generate_scalesim_cycles.py [--topologies DIR] [--only calc|user|topo|sparse|large]

(numpy < 2 matters: under numpy 2 SCALE-Sim 3.0.0 fails in `int(max(...))` of one-element arrays.)
"""
import argparse
import contextlib
import csv
import io
import json
import math
import os
import shutil
import signal
import sys
import tempfile
import time

from scalesim.scale_sim import scalesim
from scalesim.topology_utils import topologies

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
ROW_LIMIT = 40_000

# name, kind, dims. GEMM: M x K times K x N. Conv: SCALE-Sim form (ifmap includes padding).
CALC_LAYERS = [
    ("gemm_1x4096x4096", "gemm", dict(m=1, n=4096, k=4096)),
    ("gemm_16x4096x4096", "gemm", dict(m=16, n=4096, k=4096)),
    ("gemm_128x256x512", "gemm", dict(m=128, n=256, k=512)),
    ("gemm_128x1024x1024", "gemm", dict(m=128, n=1024, k=1024)),
    ("gemm_512x768x768", "gemm", dict(m=512, n=768, k=768)),
    ("gemm_64x64x64", "gemm", dict(m=64, n=64, k=64)),
    ("gemm_100x37x300", "gemm", dict(m=100, n=37, k=300)),
    ("gemm_1x1000x2048", "gemm", dict(m=1, n=1000, k=2048)),
    ("gemm_7x5x3", "gemm", dict(m=7, n=5, k=3)),
    ("gemm_33x65x17", "gemm", dict(m=33, n=65, k=17)),
    ("resnet_conv1", "conv", dict(h=230, w=230, r=7, s=7, c=3, k=64, stride=2)),
    ("resnet_conv2_x", "conv", dict(h=58, w=58, r=3, s=3, c=64, k=64, stride=1)),
    ("resnet_conv3_1", "conv", dict(h=58, w=58, r=3, s=3, c=64, k=128, stride=2)),
    ("resnet_conv4_x", "conv", dict(h=16, w=16, r=3, s=3, c=256, k=256, stride=1)),
    ("resnet_conv5_x", "conv", dict(h=9, w=9, r=3, s=3, c=512, k=512, stride=1)),
    ("resnet50_1x1_reduce", "conv", dict(h=56, w=56, r=1, s=1, c=256, k=64, stride=1)),
    ("resnet50_1x1_expand", "conv", dict(h=14, w=14, r=1, s=1, c=256, k=1024, stride=1)),
    ("alexnet_conv2", "conv", dict(h=31, w=31, r=5, s=5, c=96, k=256, stride=1)),
    ("alexnet_conv3", "conv", dict(h=15, w=15, r=3, s=3, c=256, k=384, stride=1)),
    ("alexnet_conv5", "conv", dict(h=15, w=15, r=3, s=3, c=384, k=256, stride=1)),
    ("alexnet_fc6", "gemm", dict(m=1, n=4096, k=9216)),
    ("odd_conv", "conv", dict(h=20, w=17, r=3, s=5, c=7, k=11, stride=2)),
    ("small_conv", "conv", dict(h=12, w=10, r=3, s=3, c=8, k=20, stride=1)),
]
CALC_ARRAYS = [(8, 8), (32, 32), (128, 128), (16, 8)]

# CALC runs on scale.cfg's 32x32 array above 8 M SRAM ifmap requests, where lpsim once fell back to its per-fold
# estimate (a request limit) and now counts exactly within a step allowance: one or more per exact path of
# `ScaleSimIfmapReplay.Path` (os with C > 1 and with C = 1; ws; is with C a multiple of R, with gcd(R, C) > 1
# and with gcd(R, C) = 1). SCALE-Sim takes 2-10 minutes and 1-4 GB for each (--only large).
LARGE_CALC = [
    ("alexnet_conv2", "conv", dict(h=31, w=31, r=5, s=5, c=96, k=256, stride=1), "os"),
    ("alexnet_conv2", "conv", dict(h=31, w=31, r=5, s=5, c=96, k=256, stride=1), "ws"),
    ("conv_200x200x7x7x1x256_s1", "conv", dict(h=200, w=200, r=7, s=7, c=1, k=256, stride=1), "os"),
    ("conv_100x100x3x3x96x8", "conv", dict(h=100, w=100, r=3, s=3, c=96, k=8, stride=1), "is"),
    ("conv_140x140x3x3x48x8", "conv", dict(h=140, w=140, r=3, s=3, c=48, k=8, stride=1), "is"),
    ("conv_250x250x7x7x3x8", "conv", dict(h=250, w=250, r=7, s=7, c=3, k=8, stride=1), "is"),
]

USER_LAYERS = [
    ("decode_1x512x256", "gemm", dict(m=1, n=512, k=256)),
    ("gemm_64x64x64", "gemm", dict(m=64, n=64, k=64)),
    ("gemm_100x37x300", "gemm", dict(m=100, n=37, k=300)),
    ("gemm_8x8x8", "gemm", dict(m=8, n=8, k=8)),
    ("conv_16x16x3x3x16x32", "conv", dict(h=16, w=16, r=3, s=3, c=16, k=32, stride=1)),
    ("conv_odd", "conv", dict(h=20, w=17, r=3, s=5, c=7, k=11, stride=2)),
]
USER_ARRAYS = [(8, 8), (16, 16)]
USER_SRAM_KB = [4, 16]
# A run SCALE-Sim has not finished in this many seconds is skipped (and listed as skipped).
USER_TIMEOUT_S = 30
# (ifmap, filter, ofmap) words per cycle: [layout] IfmapSRAMBankBandwidth, FilterSRAMBankBandwidth,
# [architecture_presets] Bandwidth (single_layer_sim.run's USER branch).
USER_BANDWIDTHS = [(2, 2, 2), (10, 4, 8)]

CFG = """[general]
run_name = run

[architecture_presets]
ArrayHeight: {rows}
ArrayWidth: {cols}
IfmapSramSzkB: {ifmap_kb}
FilterSramSzkB: {filter_kb}
OfmapSramSzkB: {ofmap_kb}
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth : {ofmap_bw}
Dataflow : {df}
MemoryBanks: 1
ReadRequestBuffer: 32
WriteRequestBuffer: 32

[layout]
# One bank: read_buffer.set_params asserts that the bandwidth divides among the banks; banks only matter
# with custom layouts, which are off.
IfmapCustomLayout: False
IfmapSRAMBankBandwidth: {ifmap_bw}
IfmapSRAMBankNum: 1
IfmapSRAMBankPort: 2
FilterCustomLayout: False
FilterSRAMBankBandwidth: {filter_bw}
FilterSRAMBankNum: 1
FilterSRAMBankPort: 2

[sparsity]
SparsitySupport : {sparse}
SparseRep : ellpack_block
OptimizedMapping : false
BlockSize : 8
RandomNumberGeneratorSeed : 40

[run_presets]
InterfaceBandwidth: {mode}
UseRamulatorTrace: False
"""


def mnk(kind, d):
    if kind == "gemm":
        return d["m"], d["n"], d["k"]
    p = math.ceil((d["h"] - d["r"] + d["stride"]) / d["stride"])
    q = math.ceil((d["w"] - d["s"] + d["stride"]) / d["stride"])
    return p * q, d["k"], d["r"] * d["s"] * d["c"]


def estimated_rows(M, N, K, R, C, df):
    """An upper bound on the demand rows SCALE-Sim will service, to skip runs that take it minutes."""
    sr, sc, t = {"os": (M, N, K), "ws": (K, N, M), "is": (K, M, N)}[df]
    return math.ceil(sr / R) * math.ceil(sc / C) * (t + 2 * R + C)


def read_report(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    values = [v.strip() for v in rows[1]]
    return {h: float(v) for h, v in zip(header, values) if h and h != "LayerID"}


def run_scalesim(kind, d, rows, cols, df, mode, sram_kb, bw, sparsity=None):
    work = tempfile.mkdtemp(prefix="ss-")
    try:
        cfg = os.path.join(work, "run.cfg")
        with open(cfg, "w") as f:
            f.write(CFG.format(rows=rows, cols=cols, df=df, mode=mode, ifmap_kb=sram_kb[0], filter_kb=sram_kb[1],
                               ofmap_kb=sram_kb[2], ifmap_bw=bw[0], filter_bw=bw[1], ofmap_bw=bw[2],
                               sparse="true" if sparsity else "false"))
        topo = os.path.join(work, "layer.csv")
        with open(topo, "w") as f:
            if kind == "gemm":
                f.write("Layer, M, N, K,\nlayer, {m}, {n}, {k},".format(**d))
            else:
                f.write("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
                        "Strides,\nlayer, {h}, {w}, {r}, {s}, {c}, {k}, {stride},".format(**d))
            # The optional last column: N:M structured sparsity (`topology_utils.load_arrays_*`).
            f.write(" {},\n".format(sparsity) if sparsity else "\n")
        layout = os.path.join(work, "layout.csv")
        with open(layout, "w") as f:
            f.write("Layer name,\n")   # custom layouts are off; SCALE-Sim still opens a layout file
        with contextlib.redirect_stdout(io.StringIO()):
            sim = scalesim(save_disk_space=True, verbose=False, config=cfg, topology=topo, layout=layout,
                           input_type_gemm=(kind == "gemm"))
            sim.run_scale(top_path=os.path.join(work, "out"))
        out = os.path.join(work, "out", "run")
        compute = read_report(os.path.join(out, "COMPUTE_REPORT.csv"))
        access = read_report(os.path.join(out, "DETAILED_ACCESS_REPORT.csv"))
        bandwidth = read_report(os.path.join(out, "BANDWIDTH_REPORT.csv"))
    finally:
        shutil.rmtree(work)
    return dict(
        cycles_incl_prefetch=int(compute["Total Cycles (incl. prefetch)"]),
        cycles=int(compute["Total Cycles"]),
        stall_cycles=int(compute["Stall Cycles"]),
        mapping_efficiency=compute["Mapping Efficiency %"],
        compute_util=compute["Compute Util %"],
        # SCALE-Sim scales ws's ifmap reads by M/N under sparsity and prints a float (24575.999999999993).
        sram_ifmap_reads=round(access["SRAM IFMAP Reads"]),
        sram_filter_reads=int(access["SRAM Filter Reads"]),
        sram_ofmap_writes=int(access["SRAM OFMAP Writes"]),
        dram_ifmap_reads=int(access["DRAM IFMAP Reads"]),
        dram_filter_reads=int(access["DRAM Filter Reads"]),
        dram_ofmap_writes=int(access["DRAM OFMAP Writes"]),
        dram_ifmap_start=int(access["DRAM IFMAP Start Cycle"]),
        dram_ifmap_stop=int(access["DRAM IFMAP Stop Cycle"]),
        dram_filter_start=int(access["DRAM Filter Start Cycle"]),
        dram_filter_stop=int(access["DRAM Filter Stop Cycle"]),
        dram_ofmap_start=int(access["DRAM OFMAP Start Cycle"]),
        dram_ofmap_stop=int(access["DRAM OFMAP Stop Cycle"]),
        avg_dram_ifmap_bw=bandwidth["Avg IFMAP DRAM BW"],
        avg_dram_filter_bw=bandwidth["Avg FILTER DRAM BW"],
        avg_dram_ofmap_bw=bandwidth["Avg OFMAP DRAM BW"],
    )


def _timeout(signum, frame):
    raise TimeoutError()


signal.signal(signal.SIGALRM, _timeout)


def write(rows, path):
    with open(path, "w") as f:
        json.dump(rows, f, indent=1, sort_keys=True)
        f.write("\n")
    print(len(rows), "cases ->", os.path.relpath(path, ROOT))


def calc_cases():
    rows = []
    for name, kind, d in CALC_LAYERS:
        M, N, K = mnk(kind, d)
        for R, C in CALC_ARRAYS:
            for df in ["os", "ws", "is"]:
                if estimated_rows(M, N, K, R, C, df) > ROW_LIMIT:
                    continue
                start = time.time()
                report = run_scalesim(kind, d, R, C, df, "CALC", (64, 64, 64), (10, 10, 10))
                rows.append(dict(layer=name, kind=kind, dims=d, rows=R, columns=C, dataflow=df, mode="CALC",
                                 sram_kb=[64, 64, 64], bandwidth=[10, 10, 10], **report))
                print(name, R, C, df, report["cycles"], f"{time.time() - start:.1f}s", flush=True)
    write(rows, os.path.join(ROOT, "Tests", "SimulatorTests", "Fixtures", "scalesim-cycles.json"))


def large_calc_cases():
    rows = []
    for name, kind, d, df in LARGE_CALC:
        start = time.time()
        report = run_scalesim(kind, d, 32, 32, df, "CALC", (64, 64, 64), (10, 10, 10))
        rows.append(dict(layer=name, kind=kind, dims=d, rows=32, columns=32, dataflow=df, mode="CALC",
                         sram_kb=[64, 64, 64], bandwidth=[10, 10, 10], **report))
        print(name, df, report["cycles"], report["sram_ifmap_reads"], f"{time.time() - start:.1f}s", flush=True)
    write(rows, os.path.join(ROOT, "Tests", "SimulatorTests", "Fixtures", "scalesim-cycles-large.json"))


def user_cases():
    rows = []
    for name, kind, d in USER_LAYERS:
        for R, C in USER_ARRAYS:
            for kb in USER_SRAM_KB:
                for bw in USER_BANDWIDTHS:
                    for df in ["os", "ws", "is"]:
                        start = time.time()
                        signal.alarm(USER_TIMEOUT_S)
                        try:
                            report = run_scalesim(kind, d, R, C, df, "USER", (kb, kb, kb), bw)
                        except TimeoutError:
                            print("skipped (over", USER_TIMEOUT_S, "s):", name, R, C, kb, bw, df, flush=True)
                            continue
                        finally:
                            signal.alarm(0)
                        rows.append(dict(layer=name, kind=kind, dims=d, rows=R, columns=C, dataflow=df, mode="USER",
                                         sram_kb=[kb, kb, kb], bandwidth=list(bw), **report))
                        print(name, R, C, kb, bw, df, report["cycles"], report["stall_cycles"],
                              f"{time.time() - start:.1f}s", flush=True)
    write(rows, os.path.join(ROOT, "Tests", "SimulatorTests", "Fixtures", "scalesim-user.json"))


# Structured sparsity (`[sparsity] SparsitySupport: true`, `OptimizedMapping: false`; the N:M ratio from the
# topology's last column): SCALE-Sim prunes the filter's K rows in the N-of-M pattern, condenses them and drops
# the ifmap's matching columns (`operand_matrix.create_filter_matrix` / `create_ifmap_matrix`). Its optimized
# mapping (`OptimizedMapping: true`, ellpack blocks of `BlockSize`) runs in v3.0.0 only for ws (os and is stop
# with "Dimension mismatch between operands"); it is not recorded, and lpsim models the plain mapping only.
SPARSE_LAYERS = [
    ("gemm_64x48x64", "gemm", dict(m=64, n=48, k=64)),
    ("gemm_33x65x17", "gemm", dict(m=33, n=65, k=17)),
    ("gemm_100x37x300", "gemm", dict(m=100, n=37, k=300)),
    ("decode_1x96x128", "gemm", dict(m=1, n=96, k=128)),
]
SPARSE_RATIOS = ["2:4", "1:4", "3:8", "5:8"]


def sparse_cases():
    rows = []
    for name, kind, d in SPARSE_LAYERS:
        for R, C in [(8, 8), (16, 16)]:
            for ratio in SPARSE_RATIOS:
                for df in ["os", "ws", "is"]:
                    start = time.time()
                    try:
                        report = run_scalesim(kind, d, R, C, df, "CALC", (64, 64, 64), (10, 10, 10), sparsity=ratio)
                    except Exception as e:   # listed, not recorded
                        print("failed:", name, R, C, ratio, df, type(e).__name__, e, flush=True)
                        continue
                    rows.append(dict(layer=name, kind=kind, dims=d, rows=R, columns=C, dataflow=df, mode="CALC",
                                     sram_kb=[64, 64, 64], bandwidth=[10, 10, 10], sparsity=ratio, **report))
                    print(name, R, C, ratio, df, report["cycles"], f"{time.time() - start:.1f}s", flush=True)
    write(rows, os.path.join(ROOT, "Tests", "SimulatorTests", "Fixtures", "scalesim-sparse.json"))


def topology_cases(directory):
    """Every CSV under `directory` that SCALE-Sim's parser accepts, with SCALE-Sim's MAC total."""
    rows = []
    for base, _, files in sorted(os.walk(directory)):
        for name in sorted(files):
            if not name.endswith(".csv"):
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, directory)
            # SCALE-Sim is told the kind (-i gemm / conv); a file is taken as a convolution when its conv
            # parser accepts it, else as a GEMM when the GEMM parser does (rows of fewer than 8 cells make
            # the conv parser fail on the stride column).
            t, gemm, error = None, None, None
            for mnk_inputs in (False, True):
                cand = topologies()
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        cand.load_arrays(topofile=path, mnk_inputs=mnk_inputs)
                        cand.topo_calc_hyperparams(path)
                except Exception as e:
                    error = e
                    continue
                t, gemm = cand, mnk_inputs
                break
            if t is None:   # SCALE-Sim's parser refuses it: not part of the acceptance set
                print("refused", rel, type(error).__name__, error)
                continue
            if t.num_layers == 0:
                print("refused", rel, "no layers")
                continue
            macs = sum(h[2] for h in t.layers_calculated_hyperparams)
            rows.append(dict(file=rel, gemm=gemm, layers=t.num_layers, macs=macs))
    write(rows, os.path.join(ROOT, "Tests", "WorkloadTests", "Fixtures", "scalesim-topologies.json"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--only", choices=["calc", "large", "user", "topo", "sparse"])
    p.add_argument("--topologies", default=os.path.join(ROOT, "Tests", "WorkloadTests", "Fixtures",
                                                        "scalesim-topologies"))
    a = p.parse_args()
    if a.only in (None, "topo"):
        topology_cases(a.topologies)
    if a.only in (None, "user"):
        user_cases()
    if a.only in (None, "calc"):
        calc_cases()
    if a.only in (None, "sparse"):
        sparse_cases()
    if a.only in (None, "large"):
        large_calc_cases()


if __name__ == "__main__":
    sys.exit(main())
