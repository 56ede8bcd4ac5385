#!/usr/bin/env bash
# Regenerate the bundled data set data/cllstr_mini/ and the contact sheets
# docs/synth_samples/<LANG>.png, byte for byte (given the same font packages,
# see APT_PKGS in tools/install.sh, and the pinned Python packages).
#
#   bash tools/data/make_bundled_data.sh      # about 2 minutes on 2 cores
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=${CLLSTR_VENV:-$ROOT/.venv}/bin/python
OUT=$ROOT/data/cllstr_mini
SEED=0
# shellcheck source=bundled_vocab.sh
source "$ROOT/tools/data/bundled_vocab.sh"
# 32 px high, modest JPEG quality: a few MB for all 7 scripts.
COMMON="--seed $SEED --vocab-size $BUNDLED_VOCAB --height 32 32 --jpeg-quality 50 80 --workers 2 --overwrite"

cd "$ROOT"
$PY tools/data/synth_text.py --out "$OUT" --split training --num 600 $COMMON
$PY tools/data/synth_text.py --out "$OUT" --split validation --num 60 $COMMON
$PY tools/data/synth_text.py --out "$OUT" --split evaluation --num 60 $COMMON
# lock.mdb holds reader state (pids), not data; readers open with lock=False.
find "$OUT" -name lock.mdb -delete

# Contact sheets of the generator's default look (32-64 px, 5,000 words).
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
$PY tools/data/synth_text.py --out "$TMP" --synthmlt --num 40 --seed $SEED \
  --vocab-size 5000 --workers 1 --sheets "$ROOT/docs/synth_samples"
du -sh "$OUT"
