"""Property-style test: random mutations of a valid recipe, data file (tsv, jsonl, csv),
tokenizer.json, config.json and checkpoint folder. Every case must end as a run that works, or
as one error line with exit 2 (bad input) or 1 (a failure at run time): never a signal, a stack
trace, a library's exception text or more than 2 GB of memory.

The cases (420 of each kind, 2,100 in all, from a fixed seed: HFT_MUTATION_SEED and
HFT_MUTATION_COUNT change them) run through the library in one process, tests/property/
mutate_inputs.cpp, under an address-space cap, which classifies each as app/main.cpp would; the
first 12 of each kind also run through the hft binary itself (validate, tokenize, predict,
train with resume), each under the cap, checking its exit code, its stderr and its peak memory."""
import csv
import json
import os
import resource
import subprocess
import threading

from _common import ADDRESS_SPACE_LIMIT, PEAK_RSS_LIMIT, error_lines, run_limited
from hft_e2e import HFT, REPO, check, describe, run_hft
from training_runs import scratch_dir, tiny_model

SEED = int(os.environ.get("HFT_MUTATION_SEED", "20261204"))
COUNT = int(os.environ.get("HFT_MUTATION_COUNT", "420"))
SAMPLES = 12
HARNESS = os.path.join(os.path.dirname(HFT), "tests", "mutate_inputs")
FOREIGN = ("frame #", "Exception raised from", "terminate called", "what():", "Traceback", "[enforce fail",
           "[json.exception", "yaml-cpp", "stoll")


def make_seeds(folder):
    """The valid inputs the mutations start from."""
    model = tiny_model(os.path.join(folder, "model"), dropout=0.1)
    with open(os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[:40]
    with open(os.path.join(folder, "train.tsv"), "w") as f:
        f.write("sentence\tlabel\n" + "".join(f"{r['sentence']}\t{r['label']}\n" for r in rows))
    with open(os.path.join(folder, "train.jsonl"), "w") as f:
        f.writelines(json.dumps({"sentence": r["sentence"], "label": int(r["label"])}) + "\n" for r in rows)
    with open(os.path.join(folder, "train.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["sentence", "label"])
        writer.writerows([r["sentence"], r["label"]] for r in rows)
    recipe = os.path.join(folder, "recipe.yaml")
    with open(recipe, "w") as f:
        f.write(f"""# a valid recipe, mutated by the cases
model_name_or_path: {model}
task_name: sst2
train_file: {os.path.join(folder, 'train.tsv')}
validation_file: {os.path.join(folder, 'train.tsv')}
output_dir: {os.path.join(folder, 'out')}
max_seq_length: 32
per_device_train_batch_size: 8
per_device_eval_batch_size: 16
gradient_accumulation_steps: 1
learning_rate: 1.0e-3
weight_decay: 0.01
num_train_epochs: 1
warmup_steps: 0.1
lr_scheduler_type: cosine
eval_strategy: steps
eval_steps: 2
save_strategy: steps
save_steps: 1
save_total_limit: 3
logging_steps: 1
seed: 7
report_to: [none]
""")
    done = run_hft("train", recipe, f"output_dir={os.path.join(folder, 'run')}", "max_steps=2", "use_cpu=true",
                   timeout=600)
    check(done.returncode == 0 and os.path.isdir(os.path.join(folder, "run", "checkpoint-2")), describe(done))


def run_harness(seeds, work, samples):
    """mutate_inputs under the address-space cap; returns (exit code, stdout, peak RSS)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
    process = subprocess.Popen([HARNESS, seeds, work, str(SEED), str(COUNT), "--samples", samples, str(SAMPLES)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                               preexec_fn=cap)
    output = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read()))
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    reader.join()
    return os.waitstatus_to_exitcode(status), output[0], usage.ru_maxrss * 1024


def check_in_process(seeds, work, samples):
    code, out, peak = run_harness(seeds, work, samples)
    lines = out.strip().splitlines()
    defects = [line for line in lines if line.startswith("DEFECT")]
    check(code >= 0, f"mutate_inputs died of signal {-code} in {lines[-1] if lines else '(no output)'}\n"
                     + "\n".join(defects))
    check(not defects and code == 0, f"{len(defects)} defects:\n" + "\n".join(defects[:40]))
    check(peak <= PEAK_RSS_LIMIT, f"mutate_inputs peaked at {peak / 2**20:.0f} MiB")
    summary = json.loads(lines[-1])
    total = sum(sum(by_outcome.values()) for by_outcome in summary["counts"].values())
    check(total >= 2000, f"only {total} cases ran")
    print(f"{total} mutated inputs in one process, peak {peak / 2**20:.0f} MiB: {summary['counts']}")


def binary_command(kind, folder, seeds, tmp):
    """The hft command that runs a sample case as a user would meet it."""
    out = os.path.join(tmp, "out-" + os.path.basename(folder))
    if kind == "recipe":
        return ["validate", os.path.join(folder, "recipe.yaml")]
    if kind == "data":
        data = os.path.join(folder, os.listdir(folder)[0])
        return ["validate", os.path.join(seeds, "recipe.yaml"), f"train_file={data}", f"validation_file={data}"]
    if kind == "tokenizer":
        return ["tokenize", "--tokenizer", os.path.join(folder, "model"), "--input", os.path.join(seeds, "train.tsv"),
                "--column", "sentence", "--output", os.path.join(tmp, "tokens.jsonl")]
    if kind == "config":
        return ["predict", os.path.join(seeds, "recipe.yaml"), f"model_name_or_path={os.path.join(folder, 'model')}",
                "--input", os.path.join(seeds, "train.tsv"), "--output", os.path.join(tmp, "predictions.tsv"),
                f"output_dir={out}", "eval_strategy=no", "save_strategy=no", "validation_file=null"]
    return ["train", os.path.join(seeds, "recipe.yaml"), f"output_dir={os.path.join(folder, 'run')}",
            "resume_from_checkpoint=true", "max_steps=3", "eval_strategy=no"]


def check_through_binary(seeds, samples, tmp):
    ran = 0
    for name in sorted(os.listdir(samples)):
        kind = name.rsplit("-", 1)[0]
        folder = os.path.join(samples, name)
        done = run_limited(*binary_command(kind, folder, seeds, tmp), timeout=300)
        where = f"{name} (hft {' '.join(binary_command(kind, folder, seeds, tmp)[:1])})"
        check(done.returncode in (0, 1, 2), f"{where}: exit {done.returncode}\n{describe(done)}")
        check(not any(mark in done.stderr for mark in FOREIGN), f"{where}: a stack trace or library message\n"
                                                                 f"{describe(done)}")
        lines = error_lines(done)
        if done.returncode != 0:
            recipe_errors = kind == "recipe" and all(":" in line for line in lines)  # one line per recipe mistake
            check(len(lines) == 1 or (recipe_errors and lines), f"{where}: {len(lines)} error lines\n{describe(done)}")
        check(done.peak_rss <= PEAK_RSS_LIMIT, f"{where}: peak {done.peak_rss / 2**20:.0f} MiB")
        ran += 1
    check(ran == 5 * SAMPLES, f"{ran} sample cases, expected {5 * SAMPLES}")
    print(f"{ran} of them through the hft binary: each exit 0, 1 or 2 with one error line, under "
          f"{PEAK_RSS_LIMIT / 2**30:.0f} GB")


def main():
    check(os.path.isfile(HARNESS), f"{HARNESS} is not built")
    with scratch_dir() as tmp:
        seeds, work, samples = (os.path.join(tmp, name) for name in ("seeds", "work", "samples"))
        for folder in (seeds, work, samples):
            os.makedirs(folder)
        make_seeds(seeds)
        check_in_process(seeds, work, samples)
        check_through_binary(seeds, samples, tmp)


if __name__ == "__main__":
    main()
