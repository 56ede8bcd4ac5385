#!/usr/bin/env bash
# Train release 2's recipe on one GPU (1.54M samples in 6,000 iterations)
# and score it: our evaluation sets (made here if missing), AMP training
# from the published release-2 fp16 weights (configs/textrecog/cllstr/
# svtr-tiny_1xb256-stream_synth7-release2-gpu.py, crops rendered by the
# machine's cores as it trains; validation on our split and the external
# sets), then an fp16 release file, tools/test.py on our new words, held-out
# fonts and spaced letters, benchmarks/peers.py on the real photo crops,
# screen text and the second renderer's words, and the demo photos.
#   bash tools/gpu/train_release.sh            # on a GPU machine
#   bash tools/gpu/train_release.sh --smoke    # 2 iterations on CPU (CI)
# Environment: WORK_DIR (work_dirs/release_gpu), ITERS (6000), WORKERS
# (cores - 1), CONFIG (release 1's recipe:
# configs/textrecog/cllstr/svtr-tiny_1xb256-stream_synth7-gpu.py). Whether
# the result replaces checkpoints/ is decided by a person, from the printed
# figures (docs/model_zoo.md: publish_model.py, then the default-model
# tests). Uses .venv/ when it exists.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=python3
if [ -x .venv/bin/python ]; then PY=.venv/bin/python; fi
CONFIG=${CONFIG:-configs/textrecog/cllstr/svtr-tiny_1xb256-stream_synth7-release2-gpu.py}
# our evaluation sets are release 1's generator's, for every release
EVAL_CONFIG=configs/textrecog/cllstr/svtr-tiny_1xb64-stream_synth7.py
CROPS=(data/real_dev/photo data/real_dev/screen data/render2_eval)
WORK=${WORK_DIR:-work_dirs/release_gpu}
EVAL=data/synth_eval
AMP=--amp
OPTS=(train_cfg.max_iters="${ITERS:-6000}"
      train_dataloader.num_workers="${WORKERS:-$(( $(nproc) - 1 ))}")
if [ "${1:-}" = "--smoke" ]; then
  EVAL=$WORK/synth_eval
  AMP=
  CROPS=(demo)
  # no validation: the external sets take a minute on a CPU
  OPTS=(train_cfg.max_iters=2 train_cfg.val_interval=1000
        param_scheduler.0.end=1 param_scheduler.1.begin=1
        train_dataloader.batch_size=4 train_dataloader.num_workers=0
        train_dataloader.persistent_workers=False
        train_dataloader.prefetch_factor=None
        train_dataloader.dataset.vocab_size.{ARA,BEN,CHI,HIN,JPN,KOR,LAT}=50
        val_dataloader.dataset.datasets.0.data_root="$EVAL"
        test_dataloader.dataset.data_root="$EVAL")
  "$PY" tools/data/make_synth_eval.py "$EVAL_CONFIG" --out "$EVAL" \
      --scale 0.02 --vocab-size 200 --workers 1 >/dev/null
elif [ ! -d "$EVAL/evaluation" ]; then
  "$PY" tools/data/make_synth_eval.py "$EVAL_CONFIG" --workers "$(nproc)"
fi
mkdir -p "$WORK"
start=$SECONDS
if ! "$PY" tools/train.py "$CONFIG" --work-dir "$WORK" $AMP \
    --cfg-options "${OPTS[@]}" > "$WORK/train.log" 2>&1; then
  tail -n 20 "$WORK/train.log"; echo "training failed: $WORK/train.log"; exit 1
fi
grep -E "Iter\(" "$WORK/train.log" | tail -n 6
echo "training: $(( SECONDS - start )) s"
last=$(cat "$WORK/last_checkpoint")
"$PY" tools/model_converters/publish_model.py "$last" \
    "$WORK/release_fp16.pth" --sums "$WORK/SHA256SUMS"
for root in "$EVAL" "${EVAL}_fonts" "${EVAL}_spaced"; do
  [ -d "$root/evaluation" ] || continue
  langs=()  # the spaced set has only the scripts that signs space out
  [ "$root" = "${EVAL}_spaced" ] &&
    langs=(test_dataloader.dataset.select_data=lang_CJKL)
  echo "== $root"
  "$PY" tools/test.py "$CONFIG" "$WORK/release_fp16.pth" --work-dir "$WORK" \
      --out "$WORK/test_$(basename "$root").json" \
      --cfg-options test_dataloader.dataset.data_root="$root" "${OPTS[@]}" \
      "${langs[@]}" 2>&1 | grep -v "^\s*$" | tail -n 4
done
echo "== text from outside our generator: ${CROPS[*]}"
"$PY" benchmarks/peers.py --config "$CONFIG" \
    --checkpoint "$WORK/release_fp16.pth" --peers --data --crops "${CROPS[@]}" \
    --timed 0 --out "$WORK/peers.json" 2>&1 | grep -E "^\| ours|^data|words ours"
echo "== demo photos"
"$PY" tools/demo.py "$CONFIG" "$WORK/release_fp16.pth" --out "$WORK/demo.txt"
