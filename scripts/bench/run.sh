#!/usr/bin/env bash
# The benchmark suite: hft against the Python transformers Trainer, side by side, in one command.
#
#   bash scripts/bench/run.sh                 # 3 runs of each figure; writes bench/results/<stamp>.md and .json
#   bash scripts/bench/run.sh --quick --runs 1 --skip-slow   # a smoke run of the whole suite (minutes)
#
# Options (passed to scripts/bench/suite.py):
#   --runs N        repetitions of every figure (median, min, max; default 3)
#   --threads N     intra-op threads of both sides (default: the cores)
#   --quick         256 training and dev rows, one epoch, instead of the full recipes
#   --seed-rows N, --seed-epochs N   the seed recipe's SST-2 subset (default 2000 rows, 2 epochs)
#   --recipes LIST  the recipes run in full (default quickstart,seed_minilm,wnut17_ner); each also gets
#                   one-step probes: time to first optimizer step, cold then warm cache
#   --skip-slow     skip model_step.py (a bert-base training step, the MFU figures)
#   --skip-e2e      only the sub-benchmarks;  --skip-sub  only the end-to-end runs
# Environment: BUILD_DIR (default build): where hft and bench_data are built (by setup.sh).
# Timing never fails the suite; the accuracy check (hft within 0.5 points of the Trainer) is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
if [[ ! -x "$BUILD_DIR/hft" || ! -x .venv/bin/python ]]; then
  echo "bench: $BUILD_DIR/hft or .venv missing; run: BUILD_DIR=$BUILD_DIR bash scripts/setup.sh" >&2
  exit 2
fi
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
.venv/bin/python scripts/bench/suite.py --hft "$BUILD_DIR/hft" --stamp "$STAMP" --out bench/results "$@"
.venv/bin/python scripts/bench/report.py "bench/results/$STAMP.raw.json"
