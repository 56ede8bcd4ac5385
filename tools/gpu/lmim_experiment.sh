#!/usr/bin/env bash
# LMIM's claim at GPU scale (docs/experiments/lmim.md): the CPU design with
# ViT-Small (4x4 patches) and the paper's decoders, AMP, batch 128, a
# 20,000-iteration pretraining per stage and 20,000 / 200,000 labelled
# crops, two runs at a time on one GPU; resumable (the same command
# continues), the report and the records of the runs in
# docs/experiments/lmim_gpu.
#   bash tools/gpu/lmim_experiment.sh              # the whole set
#   bash tools/gpu/lmim_experiment.sh --dry-run    # its commands first
# Other options go to tools/experiments/run_lmim.py (--help). Uses .venv/
# when it exists; the machine needs the project's Python stack and the
# generator's fonts (tools/install.sh), as it has no network.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=python3
if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; fi
if [ -z "${CUDA_VISIBLE_DEVICES+x}" ]; then
  # one GPU: the two runs at a time share it
  export CUDA_VISIBLE_DEVICES=0
fi
exec env PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" \
  tools/experiments/run_lmim.py --scale gpu \
  --report-dir docs/experiments/lmim_gpu "$@"
