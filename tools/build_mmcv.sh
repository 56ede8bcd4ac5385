#!/usr/bin/env bash
# Build full mmcv 2.0.1 (compiled CPU ops; CUDA ops too when nvcc and a CUDA
# torch are present) and install it into a venv in place of mmcv-lite.
#
#   bash tools/build_mmcv.sh [VENV]      # default: .venv
#
# Called by `tools/install.sh --full-mmcv`. The wheel is cached in
# ${CLLSTR_CACHE:-~/.cache/cllstr_mm}/wheels/torch-<version>, so the ~7 minute build runs once.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${1:-$ROOT/.venv}
PY=$VENV/bin/python
PIP="$PY -m pip --disable-pip-version-check -q"
TORCH_VERSION=$($PY -c 'import torch; print(torch.__version__)')
# Compiled ops are tied to the torch they were built against.
CACHE=${CLLSTR_CACHE:-$HOME/.cache/cllstr_mm}/wheels/torch-$TORCH_VERSION
mkdir -p "$CACHE"

wheel=$(ls "$CACHE"/mmcv-2.0.1-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "[build_mmcv] downloading the mmcv 2.0.1 source"
  $PIP download --no-deps --no-binary :all: -d "$work" mmcv==2.0.1
  tar -xzf "$work"/mmcv-2.0.1.tar.gz -C "$work"
  src=$work/mmcv-2.0.1
  # torch >= 2.1 headers need C++17; mmcv 2.0.1's setup.py asks for C++14.
  sed -i 's/-std=c++14/-std=c++17/g' "$src/setup.py"
  echo "[build_mmcv] compiling (MAX_JOBS=${MAX_JOBS:-2}); takes about 7 minutes on 2 cores"
  # -g0 is appended to Python's own flags: replacing them (e.g. with -O0)
  # gives a build whose ops crash.
  (cd "$src" && MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-2} CFLAGS="-g0" \
     $PY -m pip wheel --no-build-isolation --no-deps -w "$work/dist" . >"$work/build.log" 2>&1) || {
       tail -n 30 "$work/build.log" >&2
       echo "[build_mmcv] build failed; the log's end is above" >&2; exit 1; }
  cp "$work"/dist/mmcv-*.whl "$CACHE"/
  wheel=$(ls "$CACHE"/mmcv-2.0.1-*.whl | head -n 1)
fi
$PY -m pip uninstall -y -q mmcv-lite 2>/dev/null || true
$PIP install --no-deps --force-reinstall "$wheel"
$PY -c 'import mmcv._ext, mmcv.ops; print("[build_mmcv] compiled mmcv ops load")'
