#!/usr/bin/env python3
"""Convert H100 FP8 (E4M3) tensor-core measurements into lpsim's fixture.

Source: Khattak & Mikaitis, "Accurate Models of NVIDIA Tensor Cores" (arXiv 2512.07004), whose
repository github.com/north-numerical-computing/MATLAB-tensor-core (BSD 2-Clause, commit b12b5a7)
ships, in model_validation/H100/E4M3/, 5,000 inputs of one FP8 MMA (k = 32: a_*.txt and b_*.txt,
32 FP8 values per line written as binary32 hex) and the H100's binary32 outputs (d_H100_fp32.txt,
bit strings). The outputs are A·B with a zero accumulator (c_H100_fp32.txt is not added in them:
every d equals the model's A·B and differs from A·B + c).

    python3 scripts/make_hopper_mma_fixture.py PATH/TO/model_validation/H100/E4M3 [ROWS]

writes Tests/ArithmeticTests/Fixtures/h100_e4m3_mma.csv: one MMA per line, the 32 a codes and the
32 b codes as E4M3 bytes in hex (64 characters each), then the H100's output as binary32 hex.
Needs numpy and ml-dtypes.
"""
import struct
import sys
from pathlib import Path

import ml_dtypes
import numpy as np

HEADER = """# H100 FP8 E4M3 MMA (k = 32, zero accumulator): a codes, b codes (E4M3 bytes, hex), H100 binary32 output (hex).
# From github.com/north-numerical-computing/MATLAB-tensor-core model_validation/H100/E4M3 (commit b12b5a7),
# Copyright (c) 2025, Faizan A. Khattak and Mantas Mikaitis, BSD 2-Clause License, full text in h100_e4m3_mma.LICENCE (redistributed in part,
# converted by scripts/make_hopper_mma_fixture.py). THE DATA IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
"""


def fp8_row(line):
    values = np.array([struct.unpack(">f", struct.pack(">I", int(h, 16)))[0] for h in line.split()])
    codes = values.astype(ml_dtypes.float8_e4m3fn)
    assert np.array_equal(codes.astype(np.float64), values), "not E4M3 values"
    return codes.view(np.uint8).tobytes().hex()


def main():
    source = Path(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    a = (source / "a_H100_E4M3.txt").read_text().splitlines()[:rows]
    b = (source / "b_H100_E4M3.txt").read_text().splitlines()[:rows]
    d = (source / "d_H100_fp32.txt").read_text().split()[:rows]
    out = Path(__file__).resolve().parent.parent / "Tests" / "ArithmeticTests" / "Fixtures" / "h100_e4m3_mma.csv"
    with out.open("w") as f:
        f.write(HEADER)
        for x, y, z in zip(a, b, d):
            f.write(f"{fp8_row(x)},{fp8_row(y)},{int(z, 2):08x}\n")
    print(f"{out}: {len(d)} MMAs")


if __name__ == "__main__":
    main()
