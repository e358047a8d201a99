#!/usr/bin/env python3
"""Write a seeded bf16 .safetensors checkpoint of about N parameters, shaped like a Llama
decoder (4096-wide, 11008 MLP), for timing `lpsim error --tensors` (Benchmarks/README.md).

    python3 Benchmarks/generate_checkpoint.py /tmp/ckpt.safetensors 200000000
"""
import json
import struct
import sys

import numpy as np


def main(path, target):
    shapes, total, layer = [], 0, 0
    while total < target:
        for name, shape in (("q_proj", (4096, 4096)), ("k_proj", (4096, 4096)), ("v_proj", (4096, 4096)),
                            ("o_proj", (4096, 4096)), ("gate_proj", (11008, 4096)), ("up_proj", (11008, 4096)),
                            ("down_proj", (4096, 11008))):
            shapes.append((f"layers.{layer}.{name}.weight", shape))
            total += shape[0] * shape[1]
        layer += 1
    header, offset = {}, 0
    for name, shape in shapes:
        n = shape[0] * shape[1] * 2
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    h = json.dumps(header).encode()
    rng = np.random.default_rng(7)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for name, shape in shapes:
            # In slabs of at most 2^22 values (16 MB of float32), so memory stays bounded whatever the
            # size; the generator's stream is consumed in the same order as one whole-tensor draw.
            rows = max(1, (1 << 22) // shape[1])
            for start in range(0, shape[0], rows):
                slab = (min(rows, shape[0] - start), shape[1])
                x = (rng.standard_normal(slab, dtype=np.float32) * 0.02).view(np.uint32)
                f.write(((x + 0x7FFF + ((x >> 16) & 1)) >> 16).astype("<u2").tobytes())   # round to bf16
    print(f"{path}: {len(shapes)} tensors, {total} parameters, {offset / 1e9:.2f} GB")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
