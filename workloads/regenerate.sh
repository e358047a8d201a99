#!/usr/bin/env bash
# Regenerates every trace in workloads/ from lpsim's generators.
# Each trace records the command that made it (generated_by).
#   workloads/regenerate.sh         # from the repository root or anywhere
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product lpsim >/dev/null
lpsim() { "$(swift build --show-bin-path)/lpsim" "$@"; }
lpsim trace cnn --model resnet50 -o workloads/resnet50.yaml
lpsim trace cnn --model resnet18 -o workloads/resnet18.yaml
lpsim trace cnn --model mobilenet_v2 -o workloads/mobilenet_v2.yaml
lpsim trace transformer --config workloads/configs/bert-base-uncased/config.json --phase prefill --prompt 128 -o workloads/bert-base-seq128.yaml
lpsim trace transformer --config workloads/configs/llama-2-7b/config.json --phase prefill --prompt 2048 -o workloads/llama-2-7b-prefill-2048.yaml
lpsim trace transformer --config workloads/configs/llama-2-7b/config.json --phase decode --position 2048 -o workloads/llama-2-7b-decode-2048.yaml
lpsim trace transformer --config workloads/configs/llama-3-8b/config.json --phase decode --position 2048 -o workloads/llama-3-8b-decode-2048.yaml
lpsim trace transformer --config workloads/configs/mixtral-8x7b/config.json --phase decode --position 2048 --batch 32 -o workloads/mixtral-8x7b-decode-b32-2048.yaml
lpsim trace sweep --m 1,16,128,1024,4096 --n 1024,4096,8192 --k 1024,4096,8192 -o workloads/gemm-sweep.jsonl
lpsim trace import Tests/WorkloadTests/Fixtures/resnet18-scalesim.csv -o workloads/resnet18-scalesim-layers.yaml
