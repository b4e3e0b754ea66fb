"""The hft command line: verbs, help, version, overrides in the Trainer's styles, exit codes."""
import json
import os
import signal
import subprocess
import tempfile
import time

from hft_e2e import HFT, REPO, check, describe, run_hft

QUICKSTART = "configs/quickstart.yaml"
SEED = "configs/sst2-bert-base-uncased.yaml"


def test_version_and_help():
    done = run_hft("--version")
    check(done.returncode == 0 and done.stdout.strip().startswith("hft "), describe(done))
    for verb in ["train", "evaluate", "predict", "validate", "env"]:
        done = run_hft(verb, "--help")
        check(done.returncode == 0 and verb in done.stdout, f"hft {verb} --help\n{describe(done)}")
    done = run_hft("--help")
    check(done.returncode == 0 and all(v in done.stdout for v in ["train", "evaluate", "predict"]), describe(done))


def test_bad_command_lines_exit_2():
    for args in [[], ["frobnicate"], ["validate"], ["predict", QUICKSTART]]:
        done = run_hft(*args)
        check(done.returncode == 2, f"hft {' '.join(args)}: expected exit 2\n{describe(done)}")
    done = run_hft("validate", "no/such/recipe.yaml")
    check(done.returncode == 2 and "no/such/recipe.yaml" in done.stderr, describe(done))


def test_overrides_in_every_style():
    done = run_hft("validate", QUICKSTART, "--json", "learning_rate=1e-4", "--seed=7", "--weight_decay", "0.1",
                   "--do_predict", "--test_file", "data/glue/SST-2/test.tsv", "--bf16", "true")
    check(done.returncode == 0, describe(done))
    recipe = json.loads(done.stdout)["recipe"]
    expected = {"learning_rate": 1e-4, "seed": 7, "weight_decay": 0.1, "do_predict": True, "bf16": True,
                "test_file": "data/glue/SST-2/test.tsv"}
    for key, value in expected.items():
        check(recipe[key]["value"] == value and recipe[key]["source"] == "command line",
              f"{key}: {recipe[key]} after overriding with {value}")
    check(recipe["num_train_epochs"]["source"] == "file", recipe["num_train_epochs"])
    check(recipe["adam_beta1"]["source"] == "default", recipe["adam_beta1"])


def test_override_errors_name_the_argument():
    done = run_hft("validate", QUICKSTART, "--learning_rate=abc", "--no_such_key", "3")
    check(done.returncode == 2, describe(done))
    lines = done.stderr.strip().splitlines()
    check(any(l.startswith("command line `--learning_rate=abc`: learning_rate: not a number") for l in lines),
          describe(done))
    check(any("no_such_key: unknown key" in l for l in lines), describe(done))


def test_seed_recipe_warns_about_the_old_key_and_prints_steps():
    done = run_hft("validate", SEED)
    check(done.returncode == 0, describe(done))
    check(f"warning: {SEED}:" in done.stderr and "evaluation_strategy is deprecated; use eval_strategy" in done.stderr,
          describe(done))
    # 67,349 SST-2 rows in batches of 16 for 3 epochs (also checked against the Trainer itself).
    for line in ["steps per epoch         4210", "total steps             12630 (3 epochs)"]:
        check(line in done.stdout, f"missing `{line}`\n{describe(done)}")


def test_validate_reports_data_statistics():
    import csv
    with open(os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv"), newline="") as f:
        labels = [row["label"] for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    done = run_hft("validate", QUICKSTART)
    check(done.returncode == 0, describe(done))
    expected = f"validation_file     {len(labels)} rows, 0: {labels.count('0')}, 1: {labels.count('1')}"
    check(expected in done.stdout, f"missing `{expected}`\n{describe(done)}")
    check("train_file          2000 rows" in done.stdout and "saves" in done.stdout, describe(done))


def test_run_verbs_refuse_bad_input_without_writing():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        for verb in ["train", "evaluate"]:
            done = run_hft(verb, QUICKSTART, f"output_dir={out}", f"model_name_or_path={tmp}/no-model")
            check(done.returncode == 2 and "no-model" in done.stderr, f"hft {verb}\n{describe(done)}")
        done = run_hft("predict", QUICKSTART, "--output", os.path.join(tmp, "p.parquet"), f"output_dir={out}")
        check(done.returncode == 2 and "p.parquet" in done.stderr and ".tsv or .jsonl" in done.stderr, describe(done))
        check(not os.path.exists(out), "a run refused for bad input wrote its output_dir")


def wait_for_signal_handlers(pid, signals, timeout=60):
    """Waits until the process has installed handlers for `signals` (SigCgt in /proc/PID/status):
    loading LibTorch takes a moment, and a signal before that would kill it the default way."""
    wanted = sum(1 << (s - 1) for s in signals)
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(f"/proc/{pid}/status") as f:
            caught = next(int(l.split()[1], 16) for l in f if l.startswith("SigCgt:"))
        if caught & wanted == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} installed no handlers for {signals} within {timeout}s")


def test_interrupts_exit_with_128_plus_signal():
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "recipe.yaml")
        os.mkfifo(fifo)  # opening it blocks hft until the signal arrives
        for sig, code in [(signal.SIGINT, 130), (signal.SIGTERM, 143)]:
            process = subprocess.Popen([HFT, "validate", fifo], cwd=REPO, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE)
            wait_for_signal_handlers(process.pid, [signal.SIGINT, signal.SIGTERM])
            time.sleep(0.2)  # then it blocks opening the fifo
            process.send_signal(sig)
            process.wait(timeout=30)
            check(process.returncode == code, f"{sig!r}: exit {process.returncode}, expected {code}")


def test_env_reports_versions():
    done = run_hft("env")
    check(done.returncode == 0 and "LibTorch" in done.stdout and "CUDA" in done.stdout, describe(done))


def test_env_reports_collectives_as_torch_does():
    # The same LibTorch as the reference stack's torch: `hft env` must say NCCL and Gloo are built
    # in exactly when torch.distributed says so (builds print USE_NCCL=ON or USE_NCCL=1).
    import torch.distributed as dist
    done = run_hft("env")
    lines = dict(line.split(None, 1) for line in done.stdout.splitlines() if line.strip())
    for name, available in (("NCCL", dist.is_nccl_available()), ("Gloo", dist.is_gloo_available())):
        expected = "built in" if available else "not built in"
        check(lines.get(name) == expected, f"hft env: {name} {lines.get(name)!r}, torch: {expected}\n{describe(done)}")


def main():
    for name, test in sorted(globals().items()):
        if name.startswith("test_"):
            test()
            print(f"{name}: ok")


if __name__ == "__main__":
    main()
