#!/usr/bin/env python3
"""Time numpy + ml_dtypes `astype` on the same work as FormatsBenchmarks.

1 M float32 values from a normal distribution (σ = 1): fp32 → float8_e4m3fn
and float8_e4m3fn → fp32. Prints the best of 20 runs in M values/s, the
figure to set beside `swift package benchmark` (run both in one go with
Benchmarks/run.sh).

    pip install ml-dtypes numpy
"""
import time

import ml_dtypes
import numpy as np

N = 1 << 20


def best_of(fn, runs=20):
    fn()
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    x = np.random.default_rng(1).standard_normal(N).astype(np.float32)
    codes = x.astype(ml_dtypes.float8_e4m3fn)
    encode = best_of(lambda: x.astype(ml_dtypes.float8_e4m3fn))
    decode = best_of(lambda: codes.astype(np.float32))
    print(f"ml_dtypes {ml_dtypes.__version__}, numpy {np.__version__}")
    print(f"fp32 -> float8_e4m3fn encode: {encode * 1e3:.2f} ms, {N / encode / 1e6:.0f} M values/s")
    print(f"float8_e4m3fn -> fp32 decode: {decode * 1e3:.2f} ms, {N / decode / 1e6:.0f} M values/s")


if __name__ == "__main__":
    main()
