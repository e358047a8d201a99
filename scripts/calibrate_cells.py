#!/usr/bin/env python3
"""Fit lpsim's per-cell costs (Sources/Arithmetic/CellCounts.swift, CellLibrary)
to the 45 nm arithmetic energies of Horowitz (ISSCC 2014, Fig. 1.1.9) and the
areas of Hennessy & Patterson 6th ed. Fig. 1.13.

Cell counts per operation mirror ArithmeticUnit.cells in Swift:
  integer n-bit add:       n adder bits
  integer n x n multiply:  n*n integer product cells + 2n adder bits
  FP multiply (E, M), p = M+1:  p*p float product cells + (2p + 2E) adder bits + p mux bits
  FP add (E, M), w = p+3:  (2E + w + p) adder bits + (2p + 2 w ceil(log2 w)) mux bits
Four constants per metric (adder bit, integer product cell, float product
cell, mux bit), least squares on log error.

    pip install numpy scipy && python3 scripts/calibrate_cells.py
"""
from math import ceil, log2

import numpy as np
from scipy.optimize import least_squares

DATA = {  # operation: (energy pJ, area um^2)
    "int8 add": (0.03, 36), "int32 add": (0.1, 137), "int8 mul": (0.2, 282), "int32 mul": (3.1, 3495),
    "fp16 add": (0.4, 1360), "fp32 add": (0.9, 4184), "fp16 mul": (1.1, 1640), "fp32 mul": (3.7, 7700),
}


def cells(op):
    kind, what = op.split()
    if kind.startswith("int"):
        n = int(kind[3:])
        return [n, 0, 0, 0] if what == "add" else [2 * n, n * n, 0, 0]
    e, m = (5, 10) if kind == "fp16" else (8, 23)
    p = m + 1
    if what == "mul":
        return [2 * p + 2 * e, 0, p * p, p]
    w = p + 3
    return [2 * e + w + p, 0, 0, 2 * p + 2 * w * ceil(log2(w))]


def main():
    ops = list(DATA)
    c = np.array([cells(op) for op in ops], float)
    for index, metric in [(0, "energy pJ"), (1, "area um2")]:
        y = np.array([DATA[op][index] for op in ops])
        fit = least_squares(lambda x: np.log(c @ np.exp(x)) - np.log(y), np.zeros(4))
        k = np.exp(fit.x)
        print(metric, "adder bit %.4g, int product %.4g, float product %.4g, mux bit %.4g" % tuple(k))
        for op, p, t in zip(ops, c @ k, y):
            print(f"  {op:10s} model {p:8.4g}  published {t:8.4g}  {100 * (p / t - 1):+5.1f}%")


if __name__ == "__main__":
    main()
