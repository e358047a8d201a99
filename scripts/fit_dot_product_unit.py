#!/usr/bin/env python3
"""Fit the lane weights of lpsim's DotProductUnit (Sources/Arithmetic/DotProductUnit.swift)
to Table 5 of Chen et al., arXiv 2510.25602.

A k-lane unit is priced as
  (Table 6 lane gates, weighted) x adder-bit cost + one FP32 accumulator + one block-scale unit,
where the accumulator and scale units are lpsim's cell model (CellLibrary.horowitz45nm), expressed
here in adder-bit equivalents, and the three weights per metric (multiplier gate, shifter gate,
per-lane constant for operand and pipeline registers, all relative to one adder bit) are fitted:
3 constants for 4 ratios per metric, a calibration, not a prediction.

    pip install numpy scipy && python3 scripts/fit_dot_product_unit.py
"""
from math import ceil, log2

import numpy as np
from scipy.optimize import minimize

# CellLibrary.horowitz45nm (Sources/Arithmetic/CellCounts.swift): adder bit, int product cell, mux bit.
ENERGY = {"add": 0.003407, "ip": 0.002587, "fp": 0.006827, "mux": 0.002108}
AREA = {"add": 4.390, "ip": 3.205, "fp": 11.97, "mux": 10.53}
FORMATS = {"MXFP8": (4, 3, 32), "MXINT8": (0, 7, 32), "NVFP4": (2, 1, 16), "NVINT4": (0, 3, 16)}
TABLE5 = {"energy": [0.63, 0.55, 0.34, 0.75], "area": [0.79, 0.54, 0.38, 0.66]}


def float_adder(e, m):  # ArithmeticUnit.floatAdder cells
    p, w = m + 1, m + 4
    return {"add": 2 * e + w + p, "mux": 2 * p + 2 * w * ceil(log2(w))}


def float_multiplier(e, m):  # ArithmeticUnit.floatMultiplier cells
    p = m + 1
    return {"add": 2 * p + 2 * e, "fp": p * p, "mux": p}


def fixed(fmt, lib):
    """Accumulator (FP32) plus the unit's scale handling, in adder-bit equivalents."""
    cells = [float_adder(8, 23)]
    cells.append({"add": 8} if fmt.startswith("MX") else float_multiplier(4, 3))
    return sum(sum(c[k] * lib[k] for k in c) for c in cells) / lib["add"]


def lane_counts(fmt):  # multiplier, adder, shifter gates, lanes (Table 6)
    x, y, k = FORMATS[fmt]
    if x == 0:
        return np.array([k * (y + 1) ** 2, 2 * k * (y + 1), 0, k])
    n = min(2 ** (x + 1) + 2 * y, 24)
    return np.array([k * (y + 1) ** 2, 3 * k * x + k * n, k * n * log2(n) + n * log2(n), k])


def cost(fmt, w, lib, throughput=32):
    unit = lane_counts(fmt) @ np.array([w[0], 1, w[1], w[2]]) + fixed(fmt, lib)
    return unit * throughput / FORMATS[fmt][2]


def ratios(w, lib):
    base = cost("MXFP8", w, lib)
    mix = (cost("MXINT8", w, lib) + cost("NVINT4", w, lib, 64)) / (cost("MXFP8", w, lib) + cost("NVFP4", w, lib, 64))
    return np.array([cost(f, w, lib) / base for f in ("MXINT8", "NVFP4", "NVINT4")] + [mix])


def main():
    for metric, lib in (("energy", ENERGY), ("area", AREA)):
        target = np.array(TABLE5[metric])
        best = None
        for start in [(a, b, c) for a in (0.2, 0.5, 1, 2) for b in (0.01, 0.1, 0.5, 1) for c in (0.01, 10, 50)]:
            fit = minimize(lambda lw: np.max(np.abs(ratios(np.exp(lw), lib) - target)), np.log(start),
                           method="Nelder-Mead", options=dict(maxiter=6000, xatol=1e-7, fatol=1e-8))
            if best is None or fit.fun < best.fun:
                best = fit
        w = np.exp(best.x)
        print(f"{metric}: multiplier {w[0]:.6g}, shifter {w[1]:.6g}, per lane {w[2]:.6g}; "
              f"ratios {np.round(ratios(w, lib), 3)} vs {target}, max error {best.fun:.3f}")


if __name__ == "__main__":
    main()
