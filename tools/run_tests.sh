#!/usr/bin/env bash
# Install what is missing (tools/install.sh), then run the test suite.
# Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -k dictionary`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$ROOT/tools/install.sh"
cd "$ROOT"
exec "${CLLSTR_VENV:-$ROOT/.venv}/bin/python" -m pytest tests "$@"
