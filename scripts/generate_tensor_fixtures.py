#!/usr/bin/env python3
"""Make the checkpoint fixtures of `lpsim error --tensors` and compute, independently of
lpsim, the QSNR each format gives on them (numpy + ml_dtypes), written to expected.json.

    pip install numpy ml-dtypes safetensors && python3 scripts/generate_tensor_fixtures.py

Formats (the definitions lpsim documents):
- int8: per-tensor absmax scale amax/127, round half to even, clip to ±127 (two's complement range);
- fp8_e4m3: per-tensor absmax scale amax/448, ml_dtypes.float8_e4m3fn rounding;
- mxfp8_e4m3: OCP MX v1.0, UE8M0 X = 2^(floor(log2 amax) - 8) per 32 along the last axis, saturating;
- mxint8@ceil: arXiv 2510.25602 round-up rule, X = 2^ceil(log2(amax / 127)), elements ±127;
- nvfp4: FP32 tensor scale amax/(6*448), E4M3 block scale per 16 (RNE, saturating), E2M1 elements.
QSNR = -10 log10(sum (x - q)^2 / sum x^2), per tensor and over all tensors.
"""
import json
import struct
import zipfile
from pathlib import Path

import ml_dtypes
import numpy as np
from safetensors.numpy import save_file

OUT = Path(__file__).resolve().parent.parent / "Tests" / "CLITests" / "Fixtures" / "tensors"
E4M3, E2M1 = ml_dtypes.float8_e4m3fn, ml_dtypes.float4_e2m1fn


def per_tensor_int8(x):
    s = np.abs(x).max() / 127
    return np.clip(np.round(x / s), -128, 127) * s


def per_tensor_e4m3(x):
    s = np.abs(x).max() / 448
    return np.clip(x / s, -448, 448).astype(E4M3).astype(np.float64) * s


def blocks(x, g):
    return x.reshape(-1, g)


def mxfp8(x):
    b = blocks(x, 32)
    amax = np.abs(b).max(axis=1, keepdims=True)
    e = np.where(amax > 0, np.floor(np.log2(np.where(amax > 0, amax, 1))) - 8, -127)
    X = 2.0 ** np.clip(e, -127, 127)
    return (np.clip(b / X, -448, 448).astype(E4M3).astype(np.float64) * X).reshape(-1)


def mxint8_ceil(x):
    b = blocks(x, 32)
    amax = np.abs(b).max(axis=1, keepdims=True)
    s = np.where(amax > 0, amax, 1) / 127
    X = 2.0 ** np.clip(np.ceil(np.log2(s)), -127, 127)
    X = np.where(amax > 0, X, 2.0 ** -127)
    return (np.clip(np.round(b / X), -127, 127) * X).reshape(-1)


def nvfp4(x):
    ts = float(np.float32(np.abs(x).max() / (6 * 448)))
    b = blocks(x, 16)
    amax = np.abs(b).max(axis=1, keepdims=True)
    s = np.clip(amax / (6 * ts), -448, 448).astype(E4M3).astype(np.float64)
    d = s * ts
    e = np.where(d > 0, np.clip(b / np.where(d > 0, d, 1), -6, 6), 0).astype(E2M1).astype(np.float64)
    return (e * s * ts).reshape(-1)


FORMATS = {"int8": per_tensor_int8, "fp8_e4m3": per_tensor_e4m3, "mxfp8_e4m3": mxfp8,
           "mxint8@ceil": mxint8_ceil, "nvfp4": nvfp4}


def qsnr(signal, noise):
    return float(-10 * np.log10(noise / signal))


def expected(tensors):
    result = {"tensors": {}, "overall": {}}
    totals = {f: [0.0, 0.0] for f in FORMATS}
    for name, t in tensors.items():
        x = t.astype(np.float64).reshape(-1)
        result["tensors"][name] = {}
        for f, quant in FORMATS.items():
            q = quant(x)
            sig, noi = float(np.sum(x * x)), float(np.sum((x - q) ** 2))
            result["tensors"][name][f] = qsnr(sig, noi)
            totals[f][0] += sig
            totals[f][1] += noi
    result["overall"] = {f: qsnr(*v) for f, v in totals.items()}
    return result


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(19)
    heavy = rng.standard_t(4, size=(64, 128)) * 0.02
    tensors = {
        "layers.0.attn.q_proj.weight": (rng.standard_normal((96, 64)) * 0.05).astype(np.float32),
        "layers.0.mlp.up_proj.weight": heavy.astype(ml_dtypes.bfloat16),
        "layers.0.norm.weight": (1 + 0.1 * rng.standard_normal(128)).astype(np.float16),
    }
    save_file(tensors, str(OUT / "model.safetensors"))
    # .npy and .npz (stored members, as np.savez writes them).
    arrays = {"a": (rng.laplace(size=(32, 64)) * 0.1).astype(np.float32), "b": rng.standard_normal(256).astype(np.float16)}
    np.save(OUT / "single.npy", arrays["a"])
    np.savez(OUT / "arrays.npz", **arrays)
    np.savez_compressed(OUT / "compressed.npz", **arrays)
    # Bad files: empty, truncated data, a shape that does not match its bytes, an unsupported dtype.
    (OUT / "empty.safetensors").write_bytes(b"")
    good = (OUT / "model.safetensors").read_bytes()
    (OUT / "truncated.safetensors").write_bytes(good[:-100])
    def raw(header, data):
        h = json.dumps(header).encode()
        return struct.pack("<Q", len(h)) + h + data
    (OUT / "missized.safetensors").write_bytes(
        raw({"w": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 60]}}, bytes(60)))
    (OUT / "int8.safetensors").write_bytes(
        raw({"w": {"dtype": "I8", "shape": [16], "data_offsets": [0, 16]}}, bytes(16)))
    (OUT / "truncated.npy").write_bytes((OUT / "single.npy").read_bytes()[:-8])
    expect = {"model.safetensors": expected({k: np.asarray(v) for k, v in tensors.items()}),
              "arrays.npz": expected(arrays), "single.npy": expected({"array": arrays["a"]})}
    (OUT / "expected.json").write_text(json.dumps(expect, indent=1, sort_keys=True) + "\n")
    with zipfile.ZipFile(OUT / "arrays.npz") as z:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
    print("wrote", sorted(p.name for p in OUT.iterdir()))


if __name__ == "__main__":
    main()
