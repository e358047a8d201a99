#!/usr/bin/env python3
"""Record SCALE-Sim v3's stall-free compute cycles for GEMM and convolution layers on
8x8, 32x32 and 128x128 arrays in all three dataflows, by running SCALE-Sim's own
compute modules (systolic_compute_os/ws/is) and counting the rows of the demand
matrices they generate. Cases with more than 600 folds or 25 M demand-matrix entries are
skipped (SCALE-Sim concatenates folds one by one, so its time grows with folds × size:
those take it minutes to hours); the file lists what ran.

    python3 -m venv /tmp/ss && /tmp/ss/bin/pip install scalesim "numpy<2"
    /tmp/ss/bin/python scripts/generate_scalesim_cycles.py
"""
import json
import math
import os
import time

import numpy as np
from scalesim.compute.systolic_compute_is import systolic_compute_is
from scalesim.compute.systolic_compute_os import systolic_compute_os
from scalesim.compute.systolic_compute_ws import systolic_compute_ws
from scalesim.scale_config import scale_config

# name, kind, dims. GEMM: M x K times K x N. Conv: SCALE-Sim form (ifmap includes padding).
LAYERS = [
    ("gemm_1x4096x4096", "gemm", dict(m=1, n=4096, k=4096)),
    ("gemm_16x4096x4096", "gemm", dict(m=16, n=4096, k=4096)),
    ("gemm_128x1024x1024", "gemm", dict(m=128, n=1024, k=1024)),
    ("gemm_512x768x768", "gemm", dict(m=512, n=768, k=768)),
    ("gemm_1000x1000x1000", "gemm", dict(m=1000, n=1000, k=1000)),
    ("gemm_64x64x64", "gemm", dict(m=64, n=64, k=64)),
    ("gemm_100x37x300", "gemm", dict(m=100, n=37, k=300)),
    ("gemm_1x1000x2048", "gemm", dict(m=1, n=1000, k=2048)),
    ("resnet_conv1", "conv", dict(h=230, w=230, r=7, s=7, c=3, k=64, stride=2)),
    ("resnet_conv2_x", "conv", dict(h=58, w=58, r=3, s=3, c=64, k=64, stride=1)),
    ("resnet_conv3_1", "conv", dict(h=58, w=58, r=3, s=3, c=64, k=128, stride=2)),
    ("resnet_conv4_x", "conv", dict(h=16, w=16, r=3, s=3, c=256, k=256, stride=1)),
    ("resnet_conv5_x", "conv", dict(h=9, w=9, r=3, s=3, c=512, k=512, stride=1)),
    ("resnet50_1x1_reduce", "conv", dict(h=56, w=56, r=1, s=1, c=256, k=64, stride=1)),
    ("resnet50_1x1_expand", "conv", dict(h=14, w=14, r=1, s=1, c=256, k=1024, stride=1)),
    ("alexnet_conv1", "conv", dict(h=227, w=227, r=11, s=11, c=3, k=96, stride=4)),
    ("alexnet_conv2", "conv", dict(h=31, w=31, r=5, s=5, c=96, k=256, stride=1)),
    ("alexnet_conv3", "conv", dict(h=15, w=15, r=3, s=3, c=256, k=384, stride=1)),
    ("alexnet_conv4", "conv", dict(h=15, w=15, r=3, s=3, c=384, k=384, stride=1)),
    ("alexnet_conv5", "conv", dict(h=15, w=15, r=3, s=3, c=384, k=256, stride=1)),
    ("alexnet_fc6", "gemm", dict(m=1, n=4096, k=9216)),
    ("odd_conv", "conv", dict(h=20, w=17, r=3, s=5, c=7, k=11, stride=2)),
]
ARRAYS = [(8, 8), (32, 32), (128, 128)]
LIMIT = 25_000_000
MAX_FOLDS = 600


def mnk(kind, d):
    if kind == "gemm":
        return d["m"], d["n"], d["k"]
    p = math.ceil((d["h"] - d["r"] + d["stride"]) / d["stride"])
    q = math.ceil((d["w"] - d["s"] + d["stride"]) / d["stride"])
    return p * q, d["k"], d["r"] * d["s"] * d["c"]


def cycles(M, N, K, R, C, df):
    cfg = scale_config()
    cfg.array_rows, cfg.array_cols, cfg.df = R, C, df
    cfg.force_valid()
    compute = {"os": systolic_compute_os, "ws": systolic_compute_ws, "is": systolic_compute_is}[df]()
    compute.set_params(config_obj=cfg, ifmap_op_mat=np.zeros((M, K)), filter_op_mat=np.zeros((K, N)),
                       ofmap_op_mat=np.zeros((M, N)))
    compute.create_demand_matrices()
    return int(compute.ifmap_demand_matrix.shape[0])


def estimated_entries(M, N, K, R, C, df):
    sr, sc, t = {"os": (M, N, K), "ws": (K, N, M), "is": (K, M, N)}[df]
    folds = math.ceil(sr / R) * math.ceil(sc / C)
    if folds > MAX_FOLDS:
        return float("inf")
    return folds * (t + 2 * R + C) * max(R, C)


def main():
    rows = []
    for name, kind, d in LAYERS:
        M, N, K = mnk(kind, d)
        for R, C in ARRAYS:
            for df in ["os", "ws", "is"]:
                if estimated_entries(M, N, K, R, C, df) > LIMIT:
                    continue
                start = time.time()
                rows.append(dict(layer=name, kind=kind, dims=d, rows=R, columns=C, dataflow=df,
                                 cycles=cycles(M, N, K, R, C, df)))
                print(name, R, C, df, rows[-1]["cycles"], f"{time.time() - start:.2f}s", flush=True)
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "SimulatorTests", "Fixtures", "scalesim-cycles.json")
    with open(out, "w") as f:
        json.dump(rows, f, indent=1)
        f.write("\n")
    print(len(rows), "cases")


if __name__ == "__main__":
    main()
