#!/usr/bin/env bash
# Sets up hft (scripts/setup.sh) and runs the main job: `hft train` on the bundled default recipe.
#   bash scripts/quickstart.sh                  # configs/quickstart.yaml as it is
#   bash scripts/quickstart.sh seed=7 bf16=true # overrides go to hft
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec "${BUILD_DIR:-build}/hft" train configs/quickstart.yaml "$@"
