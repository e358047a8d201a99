#!/usr/bin/env python3
"""Measures an H200 (or any CUDA GPU) for lpsim's held-out GPU checks, in at most ~5 minutes.

Writes two CSV files into OUTDIR (default: $OUT, else ./h200-measurements):

  gemm.csv   device,file,plan,m,n,k,tflops,source
             one row per GEMM shape and plan: the column layout of `GEMMMeasurements.Point`
             (Sources/Reports/GEMMMeasurements.swift) and of `GEMMMeasurements.points(csv:)`, which reads it;
             tflops = 2*M*N*K / median kernel time; plan is lpsim's plan name (bf16, fp8).
  steps.csv  device,file,workload,plan,seconds,source
             a Llama-2-7B-shaped decode step (batch 1, position 2048) and a 2048-token prefill with random
             weights, matching workloads/llama-2-7b-decode-2048.yaml and workloads/llama-2-7b-prefill-2048.yaml.
  environment.txt  torch, CUDA, driver and GPU name, clocks at start (for the provenance of the rows).

Timing: CUDA events around each call, after warm-up, median of the repeats; operands are regenerated
between shape groups so that no shape starts with its inputs resident in L2 from another. FP8 GEMMs use
torch._scaled_mm (e4m3 x e4m3 -> bf16, per-tensor scales of 1), which dispatches to cuBLASLt. Random
weights only: no checkpoint is downloaded. Nothing here is a model of lpsim: it only measures.

Usage on the device machine:   python3 scripts/gpu/measure_h200.py [OUTDIR] [--quick]
Dry check here (no GPU):       python3 -m py_compile scripts/gpu/measure_h200.py
"""

import os
import statistics
import sys
import time

# M x N x K shapes: skinny decode GEMMs against Llama-style weights, square, short-K and tall-skinny.
SHAPES = (
    [(m, 4096, 4096) for m in (1, 16, 64, 128, 256, 1024, 4096)]
    + [(m, 11008, 4096) for m in (1, 16, 64, 256, 2048)]
    + [(m, 4096, 11008) for m in (1, 64, 2048)]
    + [(s, s, s) for s in (256, 512, 1024, 2048, 4096, 8192)]
    + [(4096, 4096, 256), (4096, 4096, 512), (2048, 2048, 256), (256, 4096, 4096), (4096, 256, 4096),
       (256, 256, 4096)]
)
SOURCE = "scripts/gpu/measure_h200.py"
DEADLINE_S = 270  # stop starting new measurements after this many seconds (the whole run stays under 5 min)


def median_seconds(torch, fn, repeats, warmup=5):
    """Median time of fn() over `repeats` calls, each bracketed by its own CUDA events."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return statistics.median(times)


def repeats_for(flops):
    """More repeats for short kernels (their spread is larger), fewer for long ones."""
    return 200 if flops < 1e10 else 50 if flops < 1e12 else 10


def gemm_rows(torch, device_name, started):
    rows = []
    dev = torch.device("cuda")
    fp8 = getattr(torch, "float8_e4m3fn", None)
    one = torch.ones((), device=dev, dtype=torch.float32)
    for m, n, k in SHAPES:
        if time.time() - started > DEADLINE_S:
            print(f"deadline: skipping {m}x{n}x{k} and later shapes", file=sys.stderr)
            break
        a = torch.randn(m, k, device=dev, dtype=torch.bfloat16)
        b = torch.randn(n, k, device=dev, dtype=torch.bfloat16)  # weight stored N x K, as nn.Linear
        flops = 2.0 * m * n * k
        t = median_seconds(torch, lambda: torch.matmul(a, b.t()), repeats_for(flops))
        rows.append((device_name, "nvidia-h200-sxm.yaml", "bf16", m, n, k, flops / t / 1e12,
                     SOURCE + " torch.matmul (cuBLAS)"))
        # _scaled_mm wants K and N multiples of 16 and a column-major second operand; a shape it refuses
        # (some builds also want M a multiple of 16) is reported on stderr and left out, not padded.
        if fp8 is not None and hasattr(torch, "_scaled_mm") and k % 16 == 0 and n % 16 == 0:
            a8 = a.to(fp8)
            b8 = b.to(fp8).t()  # K x N, column-major view of the N x K weight

            def run():
                return torch._scaled_mm(a8, b8, scale_a=one, scale_b=one, out_dtype=torch.bfloat16)
            try:
                t8 = median_seconds(torch, run, repeats_for(flops))
                rows.append((device_name, "nvidia-h200-sxm.yaml", "fp8", m, n, k, flops / t8 / 1e12,
                             SOURCE + " torch._scaled_mm (cuBLASLt)"))
            except RuntimeError as error:  # an unsupported shape is reported, not fatal
                print(f"fp8 {m}x{n}x{k}: {error}", file=sys.stderr)
        del a, b
    return rows


def llama_steps(torch, device_name, started, layers=32):
    """A Llama-2-7B-shaped forward step (hidden 4096, 32 heads of 128, MLP 11008, vocab 32000), bf16."""
    import torch.nn.functional as F
    dev, dt = torch.device("cuda"), torch.bfloat16
    hidden, heads, head_dim, inter, vocab, context = 4096, 32, 128, 11008, 32000, 2048
    gen = torch.Generator(device=dev).manual_seed(0)

    def weight(*shape):
        return torch.randn(*shape, device=dev, dtype=dt, generator=gen) * 0.02
    blocks = [dict(qkv=weight(3 * hidden, hidden), o=weight(hidden, hidden), gate_up=weight(2 * inter, hidden),
                   down=weight(hidden, inter), n1=torch.ones(hidden, device=dev, dtype=dt),
                   n2=torch.ones(hidden, device=dev, dtype=dt)) for _ in range(layers)]
    embed, head, final = weight(vocab, hidden), weight(vocab, hidden), torch.ones(hidden, device=dev, dtype=dt)

    def rms(x, w):
        return x * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-5).to(x.dtype) * w

    def forward(tokens, caches, causal):
        x = embed[tokens]
        t = x.shape[0]
        for blk, (kc, vc) in zip(blocks, caches):
            h = rms(x, blk["n1"])
            q, k, v = F.linear(h, blk["qkv"]).split(hidden, dim=-1)
            q = q.view(t, heads, head_dim).transpose(0, 1)
            k = k.view(t, heads, head_dim).transpose(0, 1)
            v = v.view(t, heads, head_dim).transpose(0, 1)
            if kc is not None:  # decode: append to the preallocated cache in place, attend to all of it
                kc[:, context:context + 1].copy_(k)
                vc[:, context:context + 1].copy_(v)
                k, v = kc, vc
            a = F.scaled_dot_product_attention(q.unsqueeze(0), k.unsqueeze(0), v.unsqueeze(0), is_causal=causal)
            x = x + F.linear(a.squeeze(0).transpose(0, 1).reshape(t, hidden), blk["o"])
            g, u = F.linear(rms(x, blk["n2"]), blk["gate_up"]).split(inter, dim=-1)
            x = x + F.linear(F.silu(g) * u, blk["down"])
        return F.linear(rms(x[-1:], final), head)

    rows = []
    with torch.inference_mode():
        prompt = torch.randint(0, vocab, (context,), device=dev, generator=gen)
        no_cache = [(None, None)] * layers
        if time.time() - started < DEADLINE_S:
            t = median_seconds(torch, lambda: forward(prompt, no_cache, True), repeats=10, warmup=3)
            rows.append((device_name, "nvidia-h200-sxm.yaml", "workloads/llama-2-7b-prefill-2048.yaml", "bf16", t,
                         SOURCE + " eager PyTorch, SDPA causal, random weights"))
        # KV cache of 2048 positions plus the slot the decoded token writes (position 2048: 2049 keys).
        caches = [(torch.randn(heads, context + 1, head_dim, device=dev, dtype=dt, generator=gen),
                   torch.randn(heads, context + 1, head_dim, device=dev, dtype=dt, generator=gen))
                  for _ in range(layers)]
        token = torch.randint(0, vocab, (1,), device=dev, generator=gen)
        if time.time() - started < DEADLINE_S:
            step = lambda: forward(token, caches, False)
            # A CUDA graph removes the host's launch gaps, as serving stacks do for decode.
            try:
                step()
                graph = torch.cuda.CUDAGraph()
                with torch.cuda.graph(graph):
                    step()
                replay, how = graph.replay, "CUDA graph"
            except RuntimeError as error:
                print(f"decode graph capture failed, timing eagerly: {error}", file=sys.stderr)
                replay, how = step, "eager"
            t = median_seconds(torch, replay, repeats=50, warmup=5)
            rows.append((device_name, "nvidia-h200-sxm.yaml", "workloads/llama-2-7b-decode-2048.yaml", "bf16", t,
                         SOURCE + f" {how}, SDPA, position 2048, random weights"))
    return rows


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row) + "\n")


def main(argv):
    import torch
    args = [a for a in argv if not a.startswith("--")]
    outdir = args[0] if args else os.environ.get("OUT", "h200-measurements")
    os.makedirs(outdir, exist_ok=True)
    if not torch.cuda.is_available():
        print("no CUDA device", file=sys.stderr)
        return 2
    started = time.time()
    name = torch.cuda.get_device_name(0)
    device_name = "H200" if "H200" in name else name.replace(",", " ")
    with open(os.path.join(outdir, "environment.txt"), "w") as f:
        f.write(f"gpu: {name}\ntorch: {torch.__version__}\ncuda: {torch.version.cuda}\n")
        f.write(f"cublas: {getattr(torch.backends.cuda, 'preferred_blas_library', lambda: 'n/a')()}\n")
    global SHAPES
    if "--quick" in argv:
        SHAPES = SHAPES[:4]
    gemms = gemm_rows(torch, device_name, started)
    write_csv(os.path.join(outdir, "gemm.csv"), ["device", "file", "plan", "m", "n", "k", "tflops", "source"], gemms)
    steps = [] if "--quick" in argv else llama_steps(torch, device_name, started)
    write_csv(os.path.join(outdir, "steps.csv"), ["device", "file", "workload", "plan", "seconds", "source"], steps)
    print(f"{len(gemms)} GEMM rows, {len(steps)} step rows in {time.time() - started:.0f} s -> {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
