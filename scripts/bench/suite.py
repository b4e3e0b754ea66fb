#!/usr/bin/env python3
"""The benchmark suite: hft against the Python Trainer, side by side in one run (run.sh calls this).

For each recipe (the quickstart, and the seed workflow's hyperparameters on all-MiniLM-L6-v2 with a
fixed SST-2 subset), each repetition runs `hft train` and tests/oracle/trainer_reference.py with
the same recipe, thread count and caches, alternating which goes first, and measures each process
from the outside: wall time from spawn to exit (the results are written by then), the time of the
first optimizer step (the moment its stdout line arrives: hft's step-1 log line, which
logging_first_step=true asks for, and the reference's TrainerCallback line), and peak resident
memory (wait4's ru_maxrss of that child). Throughput, FLOPs and accuracy come from the files each
writes (all_results.json, trainer_state.json). Then the matrix-multiply peak (matmul_peak.py) and
the sub-benchmarks present beside this file (model_step.py, tokenize_throughput.py,
data_pipeline.py). The raw measurements go to OUT/<stamp>.json; report.py makes the summary.

LoRA (PEFT's, TRL ModelConfig's keys) against full fine-tuning of the same model on the same rows:
lora_minilm pairs with seed_minilm, lora_smollm2 with sft_smollm2 (SmolLM2-135M, the largest decoder
here), lora_bertbase with full_bertbase. The bert-base pair runs a bert-base-sized model (BertConfig's
defaults: 12 layers, hidden 768, vocabulary 30,522) that write_random_bert initialises at random into
the work folder (MiniLM's bert-base-uncased vocabulary), since no bert-base checkpoint is here: its
step time, memory and checkpoint size are honest, its accuracy is not meaningful (the raw recipe
entry says so; report.py shows the accuracy check as n/a). Each run also records the size of the
weights it saved (output_dir's adapter_model.safetensors or model.safetensors) and of its first
checkpoint folder, and its optimizer steps (trainer_state.json's global_step), before the output
folder is deleted.

Usage: suite.py --hft build/hft [--runs 3] [--threads N] [--quick] [--skip-slow]
                [--skip-e2e] [--skip-sub] [--out bench/results] [--recipes a,b,...]
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TRAINER_REFERENCE = os.path.join(REPO, "tests", "oracle", "trainer_reference.py")  # the Trainer on an hft recipe
PYTHON = sys.executable

# The seed workflow's hyperparameters (configs/sst2-bert-base-uncased.yaml) on the packaged
# checkpoint, with a fixed subset: the first SEED_ROWS training rows, SEED_EPOCHS epochs.
SEED_ROWS, SEED_EPOCHS = 2000, 2
QUICK_ROWS = 256  # --quick: a smoke run of the whole suite
NER_ROWS = 1000   # WNUT-17 training sentences of the token-classification run
SFT_ROWS = 64     # GSM8K training problems of the supervised fine-tuning runs (8 steps of 8 unpacked)
SFT_EVAL_ROWS = 32  # GSM8K test problems of their final evaluation
BERTBASE_ROWS = 320   # SST-2 training rows of the bert-base-sized pair (20 steps of 16, one epoch)
BERTBASE_EVAL_ROWS = 128  # SST-2 dev rows it evaluates (its accuracy is not meaningful: random weights)
BERTBASE_FOLDER = os.path.join("models", "bert-base-random")  # under the work folder, made by write_random_bert
# The recipes probed only when run in full (in --recipes): the LoRA pairs, whose first-step time says
# little beside their full fine-tuning row's, would otherwise add their probes (and the bert-base
# pair its 420 MiB model folder) to every run of the suite.
PROBED_ONLY_IF_RUN = {"lora_minilm", "lora_smollm2", "full_bertbase", "lora_bertbase"}
# Recipes whose quality is not comparable (random-initialised model): name -> why.
NO_QUALITY_CHECK = {name: "random-initialised bert-base-sized model: accuracy not meaningful"
                    for name in ("full_bertbase", "lora_bertbase")}


def seed_subset(args):
    """(rows, epochs) of the seed hyperparameters' run."""
    if args.quick:
        return QUICK_ROWS, 1
    return args.seed_rows, args.seed_epochs


def recipes(args):
    """name -> (recipe file, overrides), the same for both sides."""
    quick = args.quick
    rows, epochs = seed_subset(args)
    seed = ["model_name_or_path=models/all-MiniLM-L6-v2", f"max_train_samples={rows}", f"num_train_epochs={epochs}"]
    quickstart = [f"max_train_samples={QUICK_ROWS}"] if quick else []
    common = ["logging_first_step=true"]
    if quick:
        common.append(f"max_eval_samples={QUICK_ROWS}")
    # Token classification (run_ner.py's path) on WNUT-17 with the packaged checkpoint, one epoch
    # (its checkpoint written, as the recipe says): the same accuracy (seqeval's token accuracy;
    # eval_f1 beside it) and the ratio.
    ner = [f"max_train_samples={QUICK_ROWS if quick else NER_ROWS}", "num_train_epochs=1"]
    # Supervised fine-tuning (TRL's SFTTrainer's path) of SmolLM2-135M-Instruct on GSM8K, one epoch of
    # the first --sft-rows problems (8 a batch; one epoch, so that real tokens per epoch give tokens/s),
    # rows whole up to 512 tokens (hft refuses a completion longer than max_length: GSM8K's reach 456),
    # unpacked and packed: the same final eval_loss (relative 1e-3) and the tokens/s ratio.
    sft = [f"max_train_samples={QUICK_ROWS // 16 if quick else args.sft_rows}", "num_train_epochs=1", "max_steps=-1",
           "max_length=512", "per_device_train_batch_size=8"]
    sft_eval = [f"max_eval_samples={SFT_EVAL_ROWS}"]  # after `common`: --quick's 256 dev rows would take long
    # LoRA adapters on each full fine-tuning row (its recipe, overrides and rows, and a learning rate fit
    # for adapters), PEFT's default target modules (query and value; q_proj and v_proj): the ratios of
    # memory, step time and checkpoint size full/LoRA, and hft against the Trainer + PEFT.
    lora_minilm = ["use_peft=true", "lora_r=8", "lora_alpha=16", "lora_dropout=0.1", "learning_rate=5e-4"]
    lora_smollm2 = ["use_peft=true", "lora_r=16", "lora_alpha=32", "lora_dropout=0.05", "learning_rate=2e-4"]
    # The seed hyperparameters on a bert-base-sized model with random weights (write_random_bert), one
    # epoch of a few hundred rows: step time and memory at bert-base size.
    bertbase = [f"model_name_or_path={os.path.join(work_folder(args), BERTBASE_FOLDER)}",
                f"max_train_samples={BERTBASE_ROWS // 4 if quick else BERTBASE_ROWS}", "num_train_epochs=1"]
    bertbase_eval = [f"max_eval_samples={BERTBASE_EVAL_ROWS}"]  # after `common`, as sft_eval
    return {"seed_minilm": ("configs/sst2-bert-base-uncased.yaml", seed + common),
            "quickstart": ("configs/quickstart.yaml", quickstart + common),
            "wnut17_ner": ("configs/wnut17-minilm-ner.yaml", ner + common),
            "sft_smollm2": ("configs/gsm8k-smollm2-sft.yaml", sft + ["packing=false"] + common + sft_eval),
            "sft_smollm2_packed": ("configs/gsm8k-smollm2-sft.yaml", sft + ["packing=true"] + common + sft_eval),
            "lora_minilm": ("configs/sst2-bert-base-uncased.yaml", seed + common + lora_minilm),
            "lora_smollm2": ("configs/gsm8k-smollm2-sft.yaml", sft + ["packing=false"] + common + sft_eval + lora_smollm2),
            "full_bertbase": ("configs/sst2-bert-base-uncased.yaml", bertbase + common + bertbase_eval),
            "lora_bertbase": ("configs/sst2-bert-base-uncased.yaml", bertbase + common + bertbase_eval + lora_minilm)}


def work_folder(args):
    """The run's folder: outputs, logs, data caches and the generated model."""
    return os.path.join(args.out, args.stamp)


def write_random_bert(folder):
    """A bert-base-sized BertModel (BertConfig's defaults) with random weights (seed 0), saved as a
    checkpoint folder with all-MiniLM-L6-v2's tokenizer files (bert-base-uncased's vocabulary). Run in a
    child process (--write-random-bert): torch imported here would raise the peak memory that wait4
    reports for the runs this process spawns afterwards."""
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    partial = folder + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    BertModel(BertConfig()).save_pretrained(partial, safe_serialization=True)
    tokenizer = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        shutil.copyfile(os.path.join(tokenizer, name), os.path.join(partial, name))
    os.replace(partial, folder)


def ensure_random_bert(args, overrides):
    """Makes the generated bert-base-sized folder if the overrides name it and it is not there yet."""
    folder = os.path.join(work_folder(args), BERTBASE_FOLDER)
    if f"model_name_or_path={folder}" not in overrides or os.path.exists(os.path.join(folder, "config.json")):
        return
    print(f"bench: writing a random-initialised bert-base-sized model into {folder}", flush=True)
    subprocess.run([PYTHON, os.path.abspath(__file__), "--write-random-bert", folder], check=True, cwd=REPO)


def run_timed(command, env, first_step_pattern, log_path):
    """Runs `command`; returns (exit code, wall s, first step s or None, peak RSS MiB)."""
    start = time.perf_counter()
    first_step = None
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log, text=True,
                                   bufsize=1)
        for line in process.stdout:
            if first_step is None and first_step_pattern.search(line):
                first_step = time.perf_counter() - start
            log.write(line)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, wall, first_step, usage.ru_maxrss / 1024.0  # ru_maxrss is in KiB on Linux


def read_json(path):
    with open(path) as f:
        return json.load(f)


MIB = 1024.0 * 1024.0


def folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(folder) for name in names)


def saved_sizes(output_dir):
    """The weights the run saved into output_dir (the adapter with use_peft, else the model) and its first
    checkpoint folder (by step), in MiB; None where absent (a sharded model, no checkpoint)."""
    sizes = {"weights_file": None, "weights_mib": None, "checkpoint_mib": None}
    for name in ("adapter_model.safetensors", "model.safetensors"):
        path = os.path.join(output_dir, name)
        if os.path.isfile(path):
            sizes.update(weights_file=name, weights_mib=os.path.getsize(path) / MIB)
            break
    steps = [(int(m.group(1)), name) for name in os.listdir(output_dir)
             if (m := re.fullmatch(r"checkpoint-(\d+)", name)) and os.path.isdir(os.path.join(output_dir, name))]
    if steps:
        sizes["checkpoint_mib"] = folder_bytes(os.path.join(output_dir, min(steps)[1])) / MIB
    return sizes


def run_outputs(output_dir):
    """What the run wrote: final metrics, in-loop evaluation time, its optimizer steps, the saved sizes."""
    results = read_json(os.path.join(output_dir, "all_results.json"))
    state = read_json(os.path.join(output_dir, "trainer_state.json"))
    history = state.get("log_history", [])
    in_loop_eval_s = sum(e["eval_runtime"] for e in history if "eval_runtime" in e)
    return {"train_runtime": results["train_runtime"], "train_samples": results["train_samples_per_second"] * results["train_runtime"],
            "total_flos": results.get("total_flos"), "epoch": results.get("epoch"), "steps": state.get("global_step"),
            "in_loop_eval_s": in_loop_eval_s, "eval_accuracy": results.get("eval_accuracy"),
            "eval_f1": results.get("eval_f1"), "eval_loss": results.get("eval_loss"),
            "eval_runtime": results.get("eval_runtime"), "eval_samples_per_second": results.get("eval_samples_per_second"),
            **saved_sizes(output_dir)}


def last_wins(overrides):
    """The overrides with one value per key, the last one given (hft refuses a key set twice, as a probe's
    max_steps / max_eval_samples after a recipe's own would be), in the order first given."""
    values = {}
    for item in overrides:
        key, _, value = item.partition("=")
        values[key] = value
    return [f"{key}={value}" for key, value in values.items()]


def side_command(side, hft, recipe, overrides, output_dir):
    overrides = last_wins(overrides)
    if side == "hft":
        return [hft, "train", recipe, *overrides, f"output_dir={output_dir}"]
    return [PYTHON, TRAINER_REFERENCE, recipe, *overrides, f"output_dir={output_dir}"]


FIRST_STEP = {"hft": re.compile(r'"step":\s*1[,}]'), "python": re.compile(r"^bench: first optimizer step")}


# A one-step run of the recipe (16 dev rows evaluated, no checkpoint): the first one of each side fills its
# data caches (hft's encoded splits, the datasets library's Arrow and map caches) and gives the time to
# the first optimizer step with a cold cache; the next ones give it with a warm cache, cheaply. The
# full runs come after, with warm caches.
PROBE = ["max_steps=1", "save_strategy=no", "load_best_model_at_end=false", "max_eval_samples=16"]


def run_side(side, args, env, name, recipe, overrides, repetition, work, kind="run"):
    output_dir = os.path.join(work, f"{name}-{kind}-{side}-{repetition}")
    shutil.rmtree(output_dir, ignore_errors=True)
    ensure_random_bert(args, overrides)
    command = side_command(side, args.hft, recipe, overrides, output_dir)
    code, wall, first_step, rss = run_timed(command, env, FIRST_STEP[side], output_dir + ".log")
    run = {"side": side, "recipe": name, "repetition": repetition, "cache": "cold" if repetition == "cold" else "warm",
           "exit_code": code, "wall_s": wall, "first_step_s": first_step, "peak_rss_mib": rss,
           "command": " ".join(command), "log": output_dir + ".log"}
    if code == 0:
        run.update(run_outputs(output_dir))
        reference = os.path.join(output_dir, "bench_reference.json")
        if os.path.exists(reference):
            run["reference"] = read_json(reference)
    else:
        print(f"bench: {side} {name} run {repetition} failed with exit code {code}; see {run['log']}", file=sys.stderr)
    shutil.rmtree(output_dir, ignore_errors=True)  # checkpoints are large; the log stays
    weights = "-" if run.get("weights_mib") is None else f"{run['weights_mib']:.2f} MiB"
    checkpoint = "-" if run.get("checkpoint_mib") is None else f"{run['checkpoint_mib']:.2f} MiB"
    print(f"bench: {name} {side} {kind} {repetition}: {wall:.1f} s, first step "
          f"{'-' if first_step is None else f'{first_step:.1f} s'}, peak {rss:.0f} MiB, "
          f"accuracy {run.get('eval_accuracy')}, eval_loss {run.get('eval_loss')}, steps {run.get('steps')}, "
          f"weights {weights}, checkpoint {checkpoint}", flush=True)
    return run


def sides(repetition):
    return ("hft", "python") if repetition % 2 == 0 else ("python", "hft")  # neither always goes first


def end_to_end(args, env, work):
    """(first-step probes, full runs) of every recipe (those of PROBED_ONLY_IF_RUN only when in
    --recipes); full runs only of those in --recipes."""
    probes, runs = [], []
    chosen = [name for name in args.recipes.split(",") if name]
    unknown = [name for name in chosen if name not in recipes(args)]
    if unknown:
        sys.exit(f"bench: unknown recipe(s) {', '.join(unknown)}; known: {', '.join(recipes(args))}")
    for name, (recipe, overrides) in recipes(args).items():
        if (name in PROBED_ONLY_IF_RUN or args.only_chosen) and name not in chosen:
            continue
        for side in sides(0):
            probes.append(run_side(side, args, env, name, recipe, overrides + PROBE, "cold", work, "probe"))
        for repetition in range(args.runs):
            for side in sides(repetition):
                probes.append(run_side(side, args, env, name, recipe, overrides + PROBE, repetition, work, "probe"))
        if name not in chosen:
            continue
        for repetition in range(args.runs):
            for side in sides(repetition):
                runs.append(run_side(side, args, env, name, recipe, overrides, repetition, work))
    return probes, runs


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in the output")


def run_script(command, env, timeout):
    """Runs a sub-benchmark; returns its last-line JSON, or {"error": ...}."""
    try:
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if done.returncode != 0:
        return {"error": f"exit code {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"}
    try:
        return last_json_line(done.stdout)
    except ValueError:
        return parse_data_pipeline(done.stdout) or {"error": "no JSON line in the output"}


def parse_data_pipeline(text):
    """data_pipeline.py prints text: python seconds, hft cold/cached seconds and ratios."""
    python = re.search(r"DataCollatorWithPadding\): ([\d.]+) s", text)
    cold = re.search(r"hft cold: +([\d.]+) s.*ratio ([\d.]+)x", text)
    cached = re.search(r"hft cached: +([\d.]+) s.*ratio ([\d.]+)x", text)
    if not (python and cold and cached):
        return None
    return {"python_s": float(python.group(1)), "hft_cold_s": float(cold.group(1)), "hft_cached_s": float(cached.group(1)),
            "ratio_cold": float(python.group(1)) / float(cold.group(1)),
            "ratio_cached": float(python.group(1)) / float(cached.group(1))}


def sub_benchmarks(args, env):
    """name -> list of per-run JSON objects (each script run --runs times)."""
    drivers = os.path.join(os.path.dirname(os.path.abspath(args.hft)), "scripts", "bench")
    bench_data = os.path.join(drivers, "bench_data")
    # bert-base size at length 128; batch 8 and 2 timed steps keep it to minutes on 2 cores.
    model_step = ["--threads", str(args.threads), "--bench", os.path.join(drivers, "bench_model_step"), "--batch", "8",
                  "--repeats", "2"]
    candidates = {
        "matmul_peak": ([PYTHON, os.path.join(HERE, "matmul_peak.py"), "--threads", str(args.threads)], False),
        "model_step": ([PYTHON, os.path.join(HERE, "model_step.py"), *model_step], True),
        # Activation checkpointing's memory saving and step-time cost, bert-base size at length 256.
        "activation_checkpointing": ([PYTHON, os.path.join(HERE, "activation_checkpointing.py"), "--threads",
                                      str(args.threads), "--bench", os.path.join(drivers, "bench_model_step")], True),
        "tokenize_throughput": ([PYTHON, os.path.join(HERE, "tokenize_throughput.py"), "--bench",
                                 os.path.join(drivers, "bench_tokenize")], False),
        "data_pipeline": ([PYTHON, os.path.join(HERE, "data_pipeline.py"), "--bench", bench_data], False),
    }
    results = {}
    for name, (command, slow) in candidates.items():
        if not os.path.exists(command[1]):
            results[name] = [{"error": f"{os.path.relpath(command[1], REPO)} not present"}]
            continue
        if slow and args.skip_slow:
            results[name] = [{"error": "skipped (--skip-slow)"}]
            continue
        results[name] = []
        for repetition in range(args.runs):
            print(f"bench: {name} run {repetition}", flush=True)
            results[name].append(run_script(command, env, args.sub_timeout))
    return results


def machine():
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "load_average_at_start": os.getloadavg()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hft", default=os.path.join(REPO, "build", "hft"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS} training and dev rows, one epoch")
    parser.add_argument("--skip-slow", action="store_true", help="skip model_step.py (a bert-base training step)")
    parser.add_argument("--seed-rows", type=int, default=SEED_ROWS, help="training rows of the seed recipe's run")
    parser.add_argument("--seed-epochs", type=int, default=SEED_EPOCHS, help="epochs of the seed recipe's run")
    parser.add_argument("--sft-rows", type=int, default=SFT_ROWS, help="GSM8K training rows of the SFT recipes' runs")
    parser.add_argument("--recipes", default="quickstart,seed_minilm,wnut17_ner,sft_smollm2,sft_smollm2_packed,"
                        "lora_minilm,lora_smollm2,full_bertbase,lora_bertbase",
                        help="the recipes run in full (all get probes, the LoRA pairs' rows only when run in full)")
    parser.add_argument("--only-chosen", action="store_true",
                        help="probe only the recipes in --recipes (the goals' first-step figures then lack quickstart)")
    parser.add_argument("--skip-e2e", action="store_true", help="only the sub-benchmarks")
    parser.add_argument("--skip-sub", action="store_true", help="only the end-to-end runs")
    parser.add_argument("--sub-timeout", type=int, default=900)
    parser.add_argument("--out", default=os.path.join(REPO, "bench", "results"))
    parser.add_argument("--stamp", default=datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    parser.add_argument("--write-random-bert", metavar="FOLDER", help=argparse.SUPPRESS)  # ensure_random_bert's child
    args = parser.parse_args()
    if args.write_random_bert:
        write_random_bert(args.write_random_bert)
        return

    work = work_folder(args)
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads),
               HFT_CACHE=os.path.join(work, "cache", "hft"), HF_DATASETS_CACHE=os.path.join(work, "cache", "datasets"),
               HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    raw = {"stamp": args.stamp, "machine": machine(), "threads": args.threads, "runs": args.runs, "quick": args.quick,
           "recipes": {k: {"recipe": r, "overrides": o, **({"no_quality_check": NO_QUALITY_CHECK[k]}
                                                             if k in NO_QUALITY_CHECK else {})}
                       for k, (r, o) in recipes(args).items()},
           "seed_subset": dict(zip(("rows", "epochs"), seed_subset(args)))}
    raw_path = os.path.join(args.out, f"{args.stamp}.raw.json")
    if not args.skip_e2e:
        raw["first_step_probes"], raw["end_to_end"] = end_to_end(args, env, work)
    if not args.skip_sub:
        raw["sub_benchmarks"] = sub_benchmarks(args, env)
    raw["machine"]["load_average_at_end"] = os.getloadavg()
    with open(raw_path, "w") as f:
        json.dump(raw, f, indent=2)
    shutil.rmtree(os.path.join(work, "cache"), ignore_errors=True)
    shutil.rmtree(os.path.join(work, BERTBASE_FOLDER), ignore_errors=True)  # 420 MiB, made again on demand
    print(f"bench: raw measurements in {raw_path}")


if __name__ == "__main__":
    main()
