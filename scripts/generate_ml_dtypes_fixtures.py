#!/usr/bin/env python3
"""Generate the ml_dtypes conversion fixtures that `lpsim convert` must match bit for bit.

For every ml_dtypes (and numpy float16) format that lpsim names, the inputs are
float32 values: every finite code point of the format, every midpoint between
adjacent code points with the float32 neighbours either side of it, the
overflow region (max, the midpoint past max and its neighbours, 2*max, 1e30,
float32 max, inf), values below the smallest subnormal, and the negatives of
all of these, plus NaN where the format has a NaN encoding. ml_dtypes converts
float32 with round-to-nearest-even and IEEE-style overflow.

Output, one file per format in Tests/CLITests/Fixtures/ml_dtypes/NAME.bin:
little-endian records of (uint32 float32 bits of the input, uint16 code).

    pip install ml-dtypes numpy
    python3 scripts/generate_ml_dtypes_fixtures.py
"""
import os
import sys

import ml_dtypes as md
import numpy as np

# lpsim name -> (numpy dtype, has NaN)
FORMATS = {
    "bf16": (md.bfloat16, True),
    "fp16": (np.float16, True),
    "fp8_e4m3": (md.float8_e4m3fn, True),
    "fp8_e5m2": (md.float8_e5m2, True),
    "float8_e4m3fnuz": (md.float8_e4m3fnuz, True),
    "float8_e5m2fnuz": (md.float8_e5m2fnuz, True),
    "fp6_e2m3": (md.float6_e2m3fn, False),
    "fp6_e3m2": (md.float6_e3m2fn, False),
    "fp4_e2m1": (md.float4_e2m1fn, False),
    "e8m0": (md.float8_e8m0fnu, True),
    "e3m4": (md.float8_e3m4, True),
}


def code_points(dtype):
    """Every value of the format (sub-byte formats are stored one per byte)."""
    itemsize = np.dtype(dtype).itemsize
    codes = np.arange(2 ** (8 * itemsize), dtype=np.uint16 if itemsize == 2 else np.uint8)
    return codes.view(dtype).astype(np.float32)


def inputs_for(dtype):
    values = code_points(dtype)
    finite = np.unique(np.abs(values[np.isfinite(values)]))  # sorted, distinct magnitudes
    f32 = np.float32
    xs = [finite]
    mids = (finite[:-1].astype(np.float64) + finite[1:].astype(np.float64)) / 2
    mids = mids.astype(f32)
    xs += [mids, np.nextafter(mids, f32(0)), np.nextafter(mids, f32(np.inf))]
    top = np.float64(finite[-1])
    ulp = top - np.float64(finite[-2])
    over = np.array([top + ulp / 2, top + ulp, 2 * top, 1e30, np.finfo(f32).max, np.inf], dtype=f32)
    xs += [over, np.nextafter(over, f32(0)), np.nextafter(over, f32(np.inf))]
    tiny = np.float64(finite[finite > 0][0])
    under = np.array([tiny / 2, tiny / 4, 1e-30, 1e-45, 0.0], dtype=f32)
    xs += [under, np.nextafter(under, f32(np.inf))]
    x = np.concatenate(xs).astype(f32)
    x = np.concatenate([x, -x])
    return np.unique(x.view(np.uint32)).view(f32)


def main():
    out_dir = os.path.join(os.path.dirname(__file__), "..", "Tests", "CLITests", "Fixtures", "ml_dtypes")
    os.makedirs(out_dir, exist_ok=True)
    for name, (dtype, has_nan) in FORMATS.items():
        x = inputs_for(dtype)
        if has_nan:
            x = np.concatenate([x, np.array([np.nan], dtype=np.float32)])
        with np.errstate(over="ignore"):
            converted = x.astype(dtype)
        itemsize = np.dtype(dtype).itemsize
        codes = converted.view(np.uint16 if itemsize == 2 else np.uint8).astype(np.uint16)
        records = np.zeros(len(x), dtype=[("input", "<u4"), ("code", "<u2")])
        records["input"] = x.view(np.uint32)
        records["code"] = codes
        path = os.path.join(out_dir, f"{name}.bin")
        records.tofile(path)
        print(f"{name}: {len(x)} inputs -> {os.path.relpath(path)}", file=sys.stderr)
    with open(os.path.join(out_dir, "VERSIONS"), "w") as f:
        f.write(f"ml_dtypes {md.__version__}\nnumpy {np.__version__}\n")


if __name__ == "__main__":
    main()
