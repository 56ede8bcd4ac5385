#!/usr/bin/env bash
# The LMIM chain on the bundled data, timed per stage: MAE teacher -> LMIM
# pretraining -> fine-tuning (ViT-Small, batch 64, AMP, 300 iterations each
# on one GPU), printing samples/s and peak GPU memory per stage.
#   bash tools/gpu/lmim_smoke.sh            # on a GPU machine
#   bash tools/gpu/lmim_smoke.sh --cpu      # tiny models on CPU (CI check)
# Other options (--iters, --batch-size, --workers, --work-dir, --out):
# python tools/gpu/lmim_smoke.py --help. Uses .venv/ when it exists.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=python3
if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; fi
if [ "${1:-}" != "--cpu" ] && [ -z "${CUDA_VISIBLE_DEVICES+x}" ]; then
  # one GPU, as the figures are per GPU
  export CUDA_VISIBLE_DEVICES=0
fi
exec env PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" \
  tools/gpu/lmim_smoke.py "$@"
