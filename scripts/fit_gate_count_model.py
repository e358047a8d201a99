#!/usr/bin/env python3
"""Fit the three weights per metric of lpsim's GateCountModel
(Sources/Arithmetic/GateCountModel.swift) to Table 5 of Chen et al.,
arXiv 2510.25602: energy and area of MXINT8, NVFP4, NVINT4 normalised to
MXFP8, and MXINT8+NVINT4 against MXFP8+NVFP4 at 1:2 throughput, all at equal
throughput (32 MACs/cycle for the 8-bit formats). Minimises the largest
absolute error of the four ratios.

    pip install numpy scipy && python3 scripts/fit_gate_count_model.py
"""
from math import log2

import numpy as np
from scipy.optimize import minimize

FORMATS = {"MXFP8": (4, 3, 32), "MXINT8": (0, 7, 32), "NVFP4": (2, 1, 16), "NVINT4": (0, 3, 16)}
TABLE5 = {"energy": [0.63, 0.55, 0.34, 0.75], "area": [0.79, 0.54, 0.38, 0.66]}


def counts(fmt):  # multiplier, adder, shifter gates, lanes (Table 6)
    x, y, k = FORMATS[fmt]
    if x == 0:
        return np.array([k * (y + 1) ** 2, 2 * k * (y + 1), 0, k])
    n = min(2 ** (x + 1) + 2 * y, 24)
    return np.array([k * (y + 1) ** 2, 3 * k * x + k * n, k * n * log2(n) + n * log2(n), k])


def cost(fmt, w, throughput=32):
    return counts(fmt) @ np.array([w[0], 1, w[1], w[2]]) * throughput / FORMATS[fmt][2]


def ratios(w):
    base = cost("MXFP8", w)
    mix = (cost("MXINT8", w) + cost("NVINT4", w, 64)) / (cost("MXFP8", w) + cost("NVFP4", w, 64))
    return np.array([cost(f, w) / base for f in ("MXINT8", "NVFP4", "NVINT4")] + [mix])


def main():
    for metric, target in TABLE5.items():
        target = np.array(target)
        best = None
        for start in [(a, b, c) for a in (0.5, 1, 2, 4) for b in (0.1, 0.5, 1) for c in (0.01, 10, 50, 200)]:
            fit = minimize(lambda lw: np.max(np.abs(ratios(np.exp(lw)) - target)), np.log(start),
                           method="Nelder-Mead", options=dict(maxiter=4000, xatol=1e-6, fatol=1e-7))
            if best is None or fit.fun < best.fun:
                best = fit
        w = np.exp(best.x)
        print(f"{metric}: multiplier {w[0]:.4g}, shifter {w[1]:.4g}, per lane {w[2]:.4g}; "
              f"ratios {np.round(ratios(w), 3)} vs {target}, max error {best.fun:.3f}")


if __name__ == "__main__":
    main()
