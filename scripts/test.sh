#!/usr/bin/env bash
# Sets up hft (scripts/setup.sh: packages, .venv, build) and runs the whole test suite with CTest:
# the Catch2 unit tests and the end-to-end tests that compare hft with the Python reference stack.
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -R e2e     # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "${HFT_JOBS:-2}" "$@"
