#!/usr/bin/env bash
# The GPU check, for a machine with NVIDIA GPUs (CI has none): builds hft with the CUDA LibTorch,
# runs the test suite's GPU cases, then trains the quickstart model for a fixed number of steps
# in bf16 and in fp16 on every GPU (NCCL data parallel when there are several) and prints
# samples/s and model FLOPs utilisation. About 5 minutes on one H100/H200 from a fresh build
# directory (most of it compiling); seconds of that are the checks themselves.
#
#   bash scripts/gpu_check.sh                 # BUILD_DIR (default build-gpu), STEPS (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build-gpu}
STEPS=${STEPS:-200}
JOBS=${HFT_JOBS:-$(nproc)}
say() { echo "gpu_check: $*"; }
phase_start=$SECONDS
phase() { say "[$((SECONDS - phase_start)) s] $*"; }

command -v nvidia-smi >/dev/null || { say "no nvidia-smi: this check needs a GPU machine"; exit 2; }
GPUS=$(nvidia-smi --list-gpus | grep -c '^GPU' || true)
[[ "$GPUS" -gt 0 ]] || { say "nvidia-smi lists no GPU"; exit 2; }
nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv,noheader | sed 's/^/gpu_check: /'

# --- 1. Build (only what the check runs: hft and the distributed tests) ---------------------------------
if [[ ! -x .venv/bin/python ]]; then bash scripts/setup.sh; fi  # packages, .venv, models/
TORCH_DIR=$(.venv/bin/python -c 'import torch, os; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))')
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$TORCH_DIR" \
    -DHFT_PYTHON="$ROOT/.venv/bin/python" >/dev/null
fi
cmake --build "$BUILD_DIR" -j "$JOBS" --target hft unit_distributed distributed_worker >/dev/null
phase "built $BUILD_DIR"
"$BUILD_DIR/hft" env | sed 's/^/gpu_check: /' || true

# --- 2. The GPU test cases: NCCL all-reduce/broadcast/gather over all GPUs, DDP-style gradients --
"$BUILD_DIR/tests/unit_distributed" "[gpu]"
phase "NCCL cases passed over $GPUS GPU(s)"

# --- 3. bf16 and fp16 training steps on the quickstart model, then throughput ---------------------
PEAK_JSON=$(.venv/bin/python - <<'PY'
import json, time, torch
def peak(dtype, n=8192, reps=20):
    a = torch.randn(n, n, device="cuda", dtype=dtype); b = torch.randn(n, n, device="cuda", dtype=dtype)
    for _ in range(3): a @ b
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(reps): a @ b
    torch.cuda.synchronize()
    return 2 * n**3 * reps / (time.perf_counter() - t)
print(json.dumps({"bf16": peak(torch.bfloat16), "fp16": peak(torch.float16), "name": torch.cuda.get_device_name()}))
PY
)
say "measured matmul peak per GPU: $PEAK_JSON"
status=0
for precision in bf16 fp16; do
  out="$BUILD_DIR/gpu_check/$precision"
  rm -rf "$out"
  launch=()
  [[ "$GPUS" -gt 1 ]] && launch=(--nproc-per-node "$GPUS" --master-port 29517)
  if ! "$BUILD_DIR/hft" train configs/quickstart.yaml "${launch[@]}" "$precision=true" max_steps="$STEPS" \
      output_dir="$out" eval_strategy=no save_strategy=no logging_steps=50 \
      >"$out.log" 2>&1; then
    say "$precision: hft train failed:"; tail -n 20 "$out.log"; status=1; continue
  fi
  .venv/bin/python - "$out" "$precision" "$GPUS" "$PEAK_JSON" <<'PY' || status=1
import json, math, sys
out, precision, gpus, peak = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
results = json.load(open(f"{out}/train_results.json"))
losses = [e["loss"] for e in json.load(open(f"{out}/trainer_state.json"))["log_history"] if "loss" in e]
ok = losses and all(math.isfinite(x) for x in losses)
flops_per_s = results["total_flos"] / results["train_runtime"]
mfu = flops_per_s / (peak[precision] * gpus)
print(f"gpu_check: {precision}: {'ok' if ok else 'NON-FINITE LOSS'}; losses {[round(x, 4) for x in losses]}; "
      f"{results['train_samples_per_second']:.1f} samples/s on {gpus} GPU(s); "
      f"MFU {100 * mfu:.2f}% (Trainer's 6 x tokens x parameters FLOPs over the measured {precision} matmul peak "
      f"{peak[precision] / 1e12:.0f} TFLOP/s per GPU, runtime including start-up)")
sys.exit(0 if ok else 1)
PY
done
phase "done (status $status)"
exit $status
