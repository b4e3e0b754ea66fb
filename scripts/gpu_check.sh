#!/usr/bin/env bash
# The GPU check (issue 17): on a bare GPU machine (no apt, no network, python3 with torch and
# transformers), build hft against python3's LibTorch with the C++ dependencies unpacked from
# .gpucheck/debs, then check and time it beside the Python Trainer, all in one time-boxed run.
#
#   bash scripts/gpu_check_prepare.sh          # beforehand, on the development machine: fills .gpucheck/
#   bash scripts/gpu_check.sh                  # on the GPU machine
#   bash scripts/gpu_check.sh --dry-run        # the same stages on this CPU: tiny models and step counts
#
# Stages (scripts/gpu_check_summary.py lists them): machine facts, build, hft env, NCCL through
# hft's process group, the bf16 matmul peak, the model folders, the quickstart recipe in bf16 and
# fp16, save at N and resume to 2N, the Trainer on the quickstart recipe, bert-base (length 128,
# batch 32, bf16) with hft and with the Trainer. Each measured case runs twice, to 60 and 260 steps
# (bert-base 20 and 120): the difference is the steady state, without start-up and warm-up.
# Every stage is capped by what is left of BUDGET; none stops the run. After each one the summary
# is rewritten into RESULTS (summary.txt, summary.json) with the logs in RESULTS/logs.tgz.
#
# Environment: OUT or RESULTS (default build-gpucheck/results), BUDGET (seconds, default 540),
# PYTHON (default python3), BUILD_DIR (default build-gpucheck), DEPS_PREFIX (where .gpucheck/debs
# are unpacked; default BUILD_DIR/deps, kept between runs), JOBS (default nproc), PREBUILT (a build
# folder whose hft and tests/unit_distributed are used as they are: no build stage),
# HFT_GPU_CHECK_DRY_RUN=1 (as --dry-run).
set -uo pipefail  # no -e: a failing stage is recorded and the next one runs
T0=$SECONDS
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
DRY=${HFT_GPU_CHECK_DRY_RUN:-0}
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY=1 ;;
    *) echo "gpu_check: unknown argument '$arg'; expected --dry-run or nothing" >&2; exit 2 ;;
  esac
done
BUDGET=${BUDGET:-540}
[[ "$BUDGET" =~ ^[0-9]+$ ]] || { echo "gpu_check: BUDGET=$BUDGET is not a number of seconds; expected e.g. BUDGET=540" >&2; exit 2; }
PYTHON=${PYTHON:-python3}
BUILD_DIR=$(realpath -m "${BUILD_DIR:-build-gpucheck}")
RESULTS=$(realpath -m "${OUT:-${RESULTS:-$BUILD_DIR/results}}")
JOBS=${JOBS:-$(nproc)}
DEPS_PREFIX=$(realpath -m "${DEPS_PREFIX:-$BUILD_DIR/deps}")
G=$ROOT/.gpucheck             # what gpu_check_prepare.sh carried: debs/, minilm/
WORK=$BUILD_DIR/check         # this run's stages/, runs/, logs/, models/ (emptied at the start)
PREBUILT=${PREBUILT:+$(realpath -m "$PREBUILT")}
HFT=${PREBUILT:-$BUILD_DIR}/hft
rm -rf "$WORK" && mkdir -p "$WORK"/{stages,runs,logs} "$RESULTS" || { echo "gpu_check: cannot create $WORK or $RESULTS" >&2; exit 1; }
export HFT_CACHE=$WORK/hft-cache TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1  # no network there
if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then export PATH=$PATH:/usr/local/cuda/bin; fi

if [[ $DRY == 1 ]]; then  # CPU: tiny models (random init), a few steps, no GPU stages
  DEVICE=cpu; S_SHORT=2; S_LONG=6; RESUME_AT=4; LOG_EVERY=2; BERT_SHORT=2; BERT_LONG=4; EVAL_ROWS=64
  CAP_SCALE=3  # a CPU shared with other work starts Python and hft slowly
else
  DEVICE=cuda; S_SHORT=60; S_LONG=260; RESUME_AT=40; LOG_EVERY=10; BERT_SHORT=20; BERT_LONG=120; EVAL_ROWS=""
  CAP_SCALE=1
fi

# --- the stage machinery ----------------------------------------------------------------------
left() { echo $((BUDGET - (SECONDS - T0))); }
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "${s//$'\n'/ }"; }
report() {  # the summary and the logs, as they stand
  "$PYTHON" "$ROOT/scripts/gpu_check_summary.py" "$WORK" --text "$RESULTS/summary.txt" \
    --json "$RESULTS/summary.json" >/dev/null 2>"$WORK/logs/summary.err" \
    || { echo "(gpu_check_summary.py failed: $(tail -n 1 "$WORK/logs/summary.err"))"; cat "$RESULTS/stages.txt"; } >"$RESULTS/summary.txt"
  tar czf "$RESULTS/logs.tgz.tmp" --exclude='*.safetensors' --exclude='*.pt' --exclude='*.bin' \
    --exclude=tokenizer.json --exclude=vocab.txt \
    -C "$WORK" stages logs runs facts.json peak.json 2>/dev/null
  mv -f "$RESULTS/logs.tgz.tmp" "$RESULTS/logs.tgz"
}
record() {  # RC SECONDS NOTE [EXTRA JSON FIELDS], for the stage $NAME
  local rc=$1 extra=${4:-}; [[ "$rc" == skipped ]] && rc='"skipped"'
  printf '{"rc": %s, "seconds": %s, "note": %s%s}\n' "$rc" "$2" "$(json_str "$3")" "${extra:+, $extra}" >"$WORK/stages/$NAME.json"
  echo "[$((SECONDS - T0)) s] $NAME: rc=$1 in $2 s${3:+; $3}" | tee -a "$RESULTS/stages.txt"
}
stage() {  # NAME CAP FUNCTION: runs FUNCTION with at most CAP seconds (no more than is left)
  NAME=$1; local cap=$(($2 * CAP_SCALE)) start=$SECONDS rc; shift 2
  ((cap > $(left) - 5)) && cap=$(($(left) - 5))
  NOTE=""; EXTRA=""; STAGE_END=$((SECONDS + cap))
  if ((cap < 10)); then
    record skipped 0 "no time left in the ${BUDGET} s budget"
  else
    "$@" >>"$WORK/logs/$NAME.log" 2>&1; rc=$?
    ((SECONDS >= STAGE_END)) && rc=124 NOTE="cut at its ${cap} s cap${NOTE:+; $NOTE}"
    ((rc != 0)) && [[ -z "$NOTE" ]] && NOTE=$(last_line "$WORK/logs/$NAME.log")
    record "$rc" $((SECONDS - start)) "$NOTE" "$EXTRA"
  fi
  report
}
skip() { NAME=$1; record skipped 0 "$2"; report; }
BUILT=0  # set by a build that succeeded in this run: an older binary in BUILD_DIR is not used
have_hft() { [[ $BUILT == 1 && -x "$HFT" ]] || { skip "$1" "no hft binary: the build failed"; return 1; }; }
have_model() { [[ -f "$WORK/models/$2/config.json" ]] || { skip "$1" "no $2 folder: the models stage failed"; return 1; }; }
tb() { local t=$((STAGE_END - SECONDS)); ((t > 0)) || return 124; timeout -k 5 "$t" "$@"; }  # time-boxed
last_line() { grep -v '^\s*$' "$1" 2>/dev/null | tail -n 1 | cut -c1-200; }

# --- stages -------------------------------------------------------------------------------------
facts() {
  [[ $DRY == 1 ]] || tb nvidia-smi || NOTE="nvidia-smi failed (exit $?)"
  local nvcc
  nvcc=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null)
  tb "$PYTHON" - "${nvcc:-}" "$DRY" >"$WORK/facts.json" <<'PY'
import json, os, platform, subprocess, sys
def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip().splitlines()
        return ([line for line in out if "release" in line] or out)[0] if cmd[0].endswith("nvcc") else out[0]
    except Exception as e:
        return f"unavailable ({type(e).__name__})"
import torch, transformers
device = "cpu (dry run)" if sys.argv[2] == "1" else \
    torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu: torch sees no CUDA device"
facts = {"device": device,
         "cores": os.cpu_count(), "python": platform.python_version(), "torch": torch.__version__,
         "torch_cuda": torch.version.cuda, "transformers": transformers.__version__,
         "nvcc": first_line([sys.argv[1], "--version"]) if sys.argv[1] else "none",
         "cmake": first_line(["cmake", "--version"]), "compiler": first_line(["c++", "--version"])}
print(json.dumps(facts))
PY
}

build() {
  local torch_dir prefix=$DEPS_PREFIX
  if [[ -d "$prefix/usr/include" ]]; then
    NOTE="dependencies from $prefix"
  elif compgen -G "$G/debs/*.deb" >/dev/null; then
    bash "$ROOT/scripts/deps_prefix.sh" unpack "$G/debs" "$prefix" || return 1
  else
    prefix=""; NOTE="no .gpucheck/debs: the system's packages"
  fi
  torch_dir=$("$PYTHON" -c 'import torch; print(torch.utils.cmake_prefix_path)')/Torch || return 1
  local gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
  [[ -d "$BUILD_DIR/CMakeFiles" ]] || rm -rf "$BUILD_DIR/CMakeCache.txt"
  TORCH_CUDA_ARCH_LIST=9.0 tb cmake -S "$ROOT" -B "$BUILD_DIR" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DTorch_DIR="$torch_dir" ${prefix:+-DHFT_DEPS_PREFIX="$prefix"} -DHFT_PYTHON="$(command -v "$PYTHON")" \
    || { NOTE="configure failed: $(grep -m1 -A2 'CMake Error' "$WORK/logs/build.log" | tr '\n' ' ' | cut -c1-300)"; return 1; }
  local t=$SECONDS
  tb cmake --build "$BUILD_DIR" -j "$JOBS" --target hft unit_distributed distributed_worker \
    || { NOTE="build failed: $(grep -m1 'error' "$WORK/logs/build.log" | cut -c1-300)"; return 1; }
  NOTE="${NOTE:+$NOTE; }compiled in $((SECONDS - t)) s with -j $JOBS"
  BUILT=1
}

env_stage() { tb "$HFT" env && NOTE=$(grep -iE 'cuda|nccl' "$WORK/logs/env.log" | tr -s ' ' | tr '\n' ';' | cut -c1-300); }

nccl() { tb "${PREBUILT:-$BUILD_DIR}/tests/unit_distributed" "[gpu]"; local rc=$?; NOTE=$(last_line "$WORK/logs/nccl.log"); return $rc; }

# The two background jobs, started before the build (the GPU is idle while compiling).
peak_job() {
  local sizes=4096,8192; [[ $DRY == 1 ]] && sizes=256
  timeout -k 5 "$1" "$PYTHON" "$ROOT/scripts/bench/matmul_peak.py" --device "$DEVICE" --sizes "$sizes" --seconds 1 \
    >"$WORK/logs/peak.log" 2>&1 && tail -n 1 "$WORK/logs/peak.log" >"$WORK/peak.json"
}
models_job() {  # minilm (the carried checkpoint, or a random init), bert-base (random init), tokenizer files
  timeout -k 5 "$1" "$PYTHON" - "$G/minilm" "$WORK/models" "$DRY" >"$WORK/logs/models.log" 2>&1 <<'PY'
import json, lzma, os, shutil, sys
import torch
from transformers import BertConfig, BertModel
carried, out, dry = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
tok_files = [f for f in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
             if os.path.exists(os.path.join(carried, f))]
notes = []
def finish(name, note):
    for f in tok_files:
        shutil.copy(os.path.join(carried, f), os.path.join(out, name, f))
    notes.append(f"{name}: {note}")
real = os.path.join(carried, "model.safetensors.xz")
if os.path.exists(real) and not dry:  # bf16 weights, xz-compressed to fit: back to float32 for both sides
    from safetensors.torch import load, save_file
    os.makedirs(f"{out}/minilm")
    with lzma.open(real) as f:
        weights = load(f.read())
    save_file({k: v.float() if v.is_floating_point() else v for k, v in weights.items()},
              f"{out}/minilm/model.safetensors", metadata={"format": "pt"})
    shutil.copy(os.path.join(carried, "config.json"), f"{out}/minilm/config.json")
    finish("minilm", "the carried all-MiniLM-L6-v2 checkpoint (bf16 weights, upcast)")
else:
    small = dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128) if dry else \
        dict(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536)
    torch.manual_seed(0)
    BertModel(BertConfig(**small)).save_pretrained(f"{out}/minilm")
    finish("minilm", "random init, a 2-layer BERT for the dry run" if dry else
           "random init of the MiniLM shape (no carried checkpoint): accuracy means nothing")
torch.manual_seed(0)
config = BertConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128) if dry else BertConfig()
BertModel(config).save_pretrained(f"{out}/bert-base")
finish("bert-base", f"random init, BertConfig(){' shrunk for the dry run' if dry else ''}")
print("; ".join(notes))
PY
}
wait_job() {  # PID LOG: the background job's exit status; its last line is the note
  wait "$1"; local rc=$?; NOTE=$(last_line "$2"); return $rc
}

# hft or the Trainer on a recipe, into runs/$NAME/$1 (extra keys after the run's name).
Q_KEYS=(eval_strategy=no disable_tqdm=true)  # the recipe's data: SST-2 in data/glue
hft_run() { local dir=$WORK/runs/$NAME/$1; shift
  tb "$HFT" train configs/quickstart.yaml output_dir="$dir" "${Q_KEYS[@]}" "$@" && rm -f "$dir"/model.safetensors; }
trainer_run() { local dir=$WORK/runs/$NAME/$1; shift
  tb "$PYTHON" "$ROOT/scripts/gpu_check_trainer.py" configs/quickstart.yaml output_dir="$dir" "${Q_KEYS[@]}" "$@"; }
eval_keys() { echo do_eval=true ${EVAL_ROWS:+max_eval_samples=$EVAL_ROWS}; }
measured() {  # RUNNER PRECISION MODEL SHORT LONG [KEYS]: the short and the long run of one case
  local runner=$1 precision=$2 model=$3 short=$4 long=$5; shift 5
  local common=(model_name_or_path="$WORK/models/$model" "$precision=true" logging_steps=$LOG_EVERY save_strategy=no "$@")
  [[ $DEVICE == cpu ]] && common+=(use_cpu=true)
  "$runner" short "${common[@]}" max_steps="$short" || return
  # shellcheck disable=SC2046
  "$runner" long "${common[@]}" max_steps="$long" $(eval_keys)
}
BERT_KEYS=(max_seq_length=128 pad_to_max_length=true per_device_train_batch_size=32)

resume() {  # the uninterrupted run saves at RESUME_AT; a copy of that checkpoint resumes to 2 x RESUME_AT
  local keys=(model_name_or_path="$WORK/models/minilm" bf16=true logging_steps=$LOG_EVERY max_steps=$((2 * RESUME_AT))
              save_strategy=steps save_steps="$RESUME_AT")
  [[ $DEVICE == cpu ]] && keys+=(use_cpu=true)
  EXTRA="\"resume_step\": $RESUME_AT"
  hft_run full "${keys[@]}" || return
  mkdir -p "$WORK/runs/resume/resumed" && cp -r "$WORK/runs/resume/full/checkpoint-$RESUME_AT" "$WORK/runs/resume/resumed/" || return
  hft_run resumed "${keys[@]}" resume_from_checkpoint=true
}

# --- the run ------------------------------------------------------------------------------------
echo "gpu_check: $([[ $DRY == 1 ]] && echo "DRY RUN on the CPU" || echo "on the GPU"), budget $BUDGET s, results in $RESULTS" | tee "$RESULTS/stages.txt"
stage facts 60 facts
PEAK_LOG=$WORK/logs/peak.log MODELS_LOG=$WORK/logs/models.log
peak_job 120 & PEAK_PID=$!
models_job 180 & MODELS_PID=$!
if [[ -n "$PREBUILT" ]]; then skip build "PREBUILT=$PREBUILT: its binaries are used as they are"; BUILT=1
else stage build 360 build; fi
have_hft env && stage env 30 env_stage
if [[ $DRY == 1 ]]; then skip nccl "dry run: no GPU, NCCL not tried"
elif have_hft nccl; then stage nccl 90 nccl; fi
stage peak 60 wait_job "$PEAK_PID" "$PEAK_LOG"
stage models 60 wait_job "$MODELS_PID" "$MODELS_LOG"
for precision in bf16 fp16; do
  have_hft hft-quickstart-$precision && have_model hft-quickstart-$precision minilm \
    && stage hft-quickstart-$precision 60 measured hft_run $precision minilm "$S_SHORT" "$S_LONG"
done
have_hft resume && have_model resume minilm && stage resume 60 resume
have_model trainer-quickstart-bf16 minilm \
  && stage trainer-quickstart-bf16 90 measured trainer_run bf16 minilm "$S_SHORT" "$S_LONG"
have_hft hft-bert-base-bf16 && have_model hft-bert-base-bf16 bert-base \
  && stage hft-bert-base-bf16 60 measured hft_run bf16 bert-base "$BERT_SHORT" "$BERT_LONG" "${BERT_KEYS[@]}"
have_model trainer-bert-base-bf16 bert-base \
  && stage trainer-bert-base-bf16 90 measured trainer_run bf16 bert-base "$BERT_SHORT" "$BERT_LONG" "${BERT_KEYS[@]}"
cat "$RESULTS/summary.txt"
echo "gpu_check: done in $((SECONDS - T0)) s; $RESULTS/summary.txt, $RESULTS/logs.tgz"
