#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, let the released
# 7-script recogniser (docs/model_zoo.md) read the real demo photos, show the
# bundled 7-script data set, train SVTR-Tiny on it on CPU, test the best checkpoint
# and print the per-language table (1-NED and word accuracy). An untrained
# model of the same config is tested first, as the baseline. Last, the
# trained model reads a synthetic scene of words from the training
# vocabulary, through MMOCR's inferencer (exit status 1 if it reads less
# than SCENE_MIN_1NED).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash tools/install.sh
PY=${CLLSTR_VENV:-$ROOT/.venv}/bin/python
CONFIG=configs/textrecog/cllstr/svtr-tiny_1xb32-900it_cllstr-mini.py
WORK=${WORK_DIR:-work_dirs/quickstart}
# shellcheck source=data/bundled_vocab.sh
source tools/data/bundled_vocab.sh
SCENE_MIN_1NED=${SCENE_MIN_1NED:-10}
mkdir -p "$WORK"

echo "== 1/6 the released recogniser reads the 7 real photos in demo/ (gt: demo/gt.txt)"
"$PY" tools/demo.py --out "$WORK/demo_released.txt" 2>&1 | grep -E $'\t|images read|read exactly'

echo "== 2/6 the bundled data set (data/cllstr_mini): 1,000 samples read through the pipeline"
"$PY" benchmarks/data_pipeline.py --summary --data-root data/cllstr_mini --samples 1000

echo "== 3/6 untrained baseline"
"$PY" tools/misc/init_checkpoint.py "$CONFIG" "$WORK/untrained.pth" 2>&1 | tail -n 1
"$PY" tools/test.py "$CONFIG" "$WORK/untrained.pth" --work-dir "$WORK" \
    --out "$WORK/untrained_results.json" 2>&1 | grep -v "^\s*$" | tail -n 4

echo "== 4/6 training (CPU; loss, lr and ETA every 50 iterations; about 8.5 minutes)"
"$PY" tools/train.py "$CONFIG" --work-dir "$WORK" "$@"

echo "== 5/6 testing the best checkpoint on the evaluation split"
best=$(ls -t "$WORK"/best_recog_1-NED_iter_*.pth | head -n 1)
"$PY" tools/test.py "$CONFIG" "$best" --work-dir "$WORK" \
    --out "$WORK/test_results.json" 2>&1 | grep -v "^\s*$" | tail -n 4

echo "== 6/6 reading a synthetic scene: 35 new renderings of training words"
# shellcheck disable=SC2086  # BUNDLED_VOCAB is a list of LANG=N arguments
"$PY" tools/misc/check_scene_reading.py --rec "$CONFIG" --rec-weights "$best" \
    --out-dir "$WORK/scene" --vocab-size $BUNDLED_VOCAB --min-1ned "$SCENE_MIN_1NED" \
    2>&1 | tee "$WORK/scene_check.txt" | grep -E "^(detection|known|error)"
echo "(each word's reading: $WORK/scene_check.txt; the scene: $WORK/scene/)"
