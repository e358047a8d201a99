#!/usr/bin/env bash
# Regenerates every example report in reports/ from the shipped hardware and workloads.
# The reports are deterministic: running this twice changes nothing.
#   reports/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product lpsim >/dev/null
lpsim() { "$(swift build --show-bin-path)/lpsim" "$@"; }
lpsim compare --hardware hardware/nvidia-h100-sxm5.yaml --workload workloads/llama-2-7b-decode-2048.yaml \
    --precisions bf16,fp8,int8,w4a16,mxfp4-a16,nvfp4-a16 \
    --title "Llama-2-7B decode on H100: weight formats" --output reports/llama2-decode-h100.md --json reports/llama2-decode-h100.json
lpsim compare --hardware hardware/scale-sim-32x32.yaml --workload workloads/resnet50.yaml \
    --precisions int8,fp8,int4,mxint8 \
    --title "ResNet-50 on a 32×32 systolic array: 8- and 4-bit formats" --output reports/resnet50-systolic-32x32.md --json reports/resnet50-systolic-32x32.json
lpsim compare --hardware hardware/tpu-v1-like.yaml --workload workloads/resnet50.yaml --precisions int8 \
    --title "ResNet-50 on the TPU-v1-like array" --output reports/resnet50-tpu-v1.md --json reports/resnet50-tpu-v1.json
lpsim compare --hardware hardware/lmul-systolic-32x32.yaml --hardware hardware/exact-fp8-systolic-32x32.yaml \
    --workload workloads/bert-base-seq128.yaml --precisions fp8,bf16,fp32 \
    --title "L-Mul against exact multipliers on the same 32×32 array (BERT-base, 128 tokens)" --output reports/lmul-vs-exact.md --json reports/lmul-vs-exact.json
lpsim compare --hardware hardware/nvidia-a100-bipolar.yaml --workload workloads/llama-2-7b-decode-2048.yaml \
    --precisions int8,int4,bipolar-w4a4,bipolar-w3a3,bipolar-w2a2 \
    --title "Bipolar-INT on A100 binary tensor cores: Llama-2-7B decode" --output reports/bipolar-a100-decode.md --json reports/bipolar-a100-decode.json
lpsim compare --hardware hardware/xilinx-alveo-u250-lut-macs.yaml --workload workloads/resnet18.yaml \
    --precisions int8,int4,fp8,workloads/plans/fp6-e2m3.yaml,workloads/plans/fp4-e2m1.yaml \
    --title "INT against minifloat MACs of 4–8 bits on an Alveo U250 (ResNet-18)" --output reports/fpga-int-vs-minifloat.md --json reports/fpga-int-vs-minifloat.json
lpsim compare --hardware hardware/nvidia-h200-sxm.yaml --workload workloads/mixtral-8x7b-decode-b32-2048.yaml \
    --precisions bf16,fp8,w4a16 \
    --title "Mixtral-8x7B decode, batch 32, on H200: weight formats" --output reports/mixtral-decode-h200.md --json reports/mixtral-decode-h200.json
lpsim compare --hardware hardware/nvidia-h100-sxm5.yaml --hardware hardware/tpu-v1-like.yaml \
    --workload workloads/llama-2-7b-decode-2048.yaml --precisions bf16,int8 \
    --title "Llama-2-7B decode: H100 against the TPU-v1-like array, where neither plan runs" --output reports/llama2-decode-h100-vs-tpu-v1.md --json reports/llama2-decode-h100-vs-tpu-v1.json
lpsim compare --hardware hardware/nvidia-h100-sxm5.yaml --hardware hardware/nvidia-a100-sxm4-80gb.yaml \
    --workload workloads/llama-2-7b-decode-2048.yaml --precisions bf16,int4,mxfp4 \
    --title "Llama-2-7B decode on H100 and A100: formats one of them lacks" --output reports/formats-h100-a100-decode.md \
    --json reports/formats-h100-a100-decode.json
lpsim compare --hardware hardware/nvidia-h100-sxm5.yaml --hardware hardware/nvidia-b200.yaml \
    --workload workloads/llama-2-7b-prefill-2048.yaml --precisions bf16,fp8 \
    --title "Llama-2-7B 2048-token prefill on H100 and B200" --output reports/llama2-prefill-h100-b200.md \
    --json reports/llama2-prefill-h100-b200.json
lpsim search precision --hardware hardware/nvidia-t4.yaml --workload workloads/resnet50.yaml --candidates int8,int4 \
    --budget 496us --title "ResNet-50 on T4: mixed INT4/INT8 under a 496 µs latency budget" \
    --plan reports/resnet50-t4-int4-int8-plan.yaml --output reports/resnet50-t4-int4-int8.md
python3 reports/fpga_mappings.py "$(swift build --show-bin-path)/lpsim"
lpsim sweep workloads/sweeps/systolic-formats.yaml --quiet --output reports/sweep-systolic-formats
lpsim check-models --output reports/model-validation.md
