#!/usr/bin/env bash
# Fills .gpucheck/ (git-ignored) with what scripts/gpu_check.sh needs on a GPU machine that has
# no apt and no network, and checks that it travels: the run's copy of the repository (tracked
# and untracked files, plus the carried .gpucheck/) may hold 64 MiB in all.
#   .gpucheck/debs/     the Debian 12 packages of third_party/debian-packages.txt (deps_prefix.sh fetch)
#   .gpucheck/minilm/   all-MiniLM-L6-v2: config, tokenizer files, weights in bf16 xz-compressed
#                       (45 MB of bf16 do not fit beside the rest; xz brings them to about 32 MB)
# Runs on the development machine (Debian 12 with apt; PYTHON with torch and safetensors):
#   bash scripts/gpu_check_prepare.sh            # MODEL (default models/all-MiniLM-L6-v2), PYTHON (default .venv/bin/python)
#   bash scripts/gpu_check_prepare.sh --no-checkpoint   # debs only: the check then trains a random init
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
MODEL=${MODEL:-models/all-MiniLM-L6-v2}
PYTHON=${PYTHON:-.venv/bin/python}
LIMIT=$((64 * 1024 * 1024))
CHECKPOINT=1
for arg in "$@"; do
  case "$arg" in
    --no-checkpoint) CHECKPOINT=0 ;;
    *) echo "gpu_check_prepare: unknown argument '$arg'; expected --no-checkpoint or nothing" >&2; exit 2 ;;
  esac
done
say() { echo "gpu_check_prepare: $*"; }

rm -rf .gpucheck && mkdir -p .gpucheck || exit 1
bash scripts/deps_prefix.sh fetch .gpucheck/debs || exit 1
if [[ $CHECKPOINT == 1 ]]; then
  [[ -f "$MODEL/model.safetensors" ]] || { say "$MODEL/model.safetensors: missing; expected MODEL=<folder of all-MiniLM-L6-v2> or --no-checkpoint"; exit 2; }
  "$PYTHON" - "$MODEL" .gpucheck/minilm <<'PY' || exit 1
import lzma, os, shutil, sys
import torch
from safetensors.torch import load_file, save
src, out = sys.argv[1:]
os.makedirs(out)
weights = load_file(os.path.join(src, "model.safetensors"))
data = save({k: v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in weights.items()}, metadata={"format": "pt"})
with lzma.open(os.path.join(out, "model.safetensors.xz"), "wb", preset=6) as f:
    f.write(data)
for name in ("config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
    if os.path.exists(os.path.join(src, name)):
        shutil.copy(os.path.join(src, name), out)
PY
else
  mkdir -p .gpucheck/minilm  # the tokenizer files alone (random-init models need a vocabulary)
  for f in vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json; do
    cp "tests/fixtures/tokenizers/bert-base-uncased/$f" .gpucheck/minilm/ 2>/dev/null || cp "$MODEL/$f" .gpucheck/minilm/ 2>/dev/null
  done
fi

# What the GPU run's copy holds: tracked files, untracked files git does not ignore, .gpucheck/.
bytes() { xargs -0 -r stat -c %s | awk '{ s += $1 } END { print s + 0 }'; }
repo=$(git ls-files -z --cached --others --exclude-standard | bytes)
carried=$(find .gpucheck -type f -print0 | bytes)
debs=$(find .gpucheck/debs -type f -print0 | bytes)
total=$((repo + carried))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
say "repository $(mib "$repo") + .gpucheck $(mib "$carried") (debs $(mib "$debs")) = $(mib $total) of $(mib $LIMIT)"
if ((total > LIMIT)); then
  say "over the limit: run again with --no-checkpoint (the check then trains a random init, no accuracy)"
  exit 1
fi
say "ready: carry .gpucheck and run: bash scripts/gpu_check.sh"
