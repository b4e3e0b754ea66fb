"""What goes wrong during training gets one clear line and loses nothing:
- a loss that becomes NaN stops the run naming the step (after the last finite logged loss),
  unless skip_nonfinite_loss_steps asks to skip such steps;
- resuming from a damaged or incomplete checkpoint: exit 2 naming the file; `true` passes over a
  damaged newest checkpoint to the one before;
- an output_dir that holds checkpoints, without overwrite_output_dir or resume: exit 2, nothing deleted;
- a full disk while saving (a file size limit): exit 1, the earlier checkpoints intact, no
  temporary folder left;
- an output_dir that cannot be created: one line, nothing written."""
import json
import os
import resource
import shutil
import signal
import subprocess

from hft_e2e import HFT, REPO, check, describe, run_hft
from training_runs import scratch_dir, tiny_model, write_recipe
from test_resume_after_kill import verify_checkpoint


def one_line(done):
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("warning:")]
    check(len(lines) == 1, f"expected one error line, got:\n{done.stderr}")
    return lines[0]


def checkpoints(out):
    return sorted((d for d in os.listdir(out) if d.startswith("checkpoint-")), key=lambda d: int(d.split("-")[1]))


def nan_loss_stops(tmp, model):
    out = os.path.join(tmp, "nan")
    recipe = write_recipe(os.path.join(tmp, "nan.yaml"), model, out, learning_rate=1e30, max_grad_norm=0, save_steps=1)
    done = run_hft("train", recipe)
    check(done.returncode == 1, "NaN loss: " + describe(done))
    line = one_line(done)
    logged = [json.loads(l) for l in open(os.path.join(out, "log.jsonl")) if '"loss"' in l]
    last_finite = max(e["step"] for e in logged) if logged else 0
    check(f"NaN or infinite at step {last_finite + 1};" in line, f"NaN loss: {line} (last finite loss at {last_finite})")
    check(f"checkpoint-{last_finite + 1}" not in checkpoints(out), "a checkpoint of the NaN step was saved")
    done = run_hft("train", recipe, "skip_nonfinite_loss_steps=true", "overwrite_output_dir=true", "save_strategy=no")
    check(done.returncode == 0, "skip_nonfinite_loss_steps: " + describe(done))
    results = json.load(open(os.path.join(out, "train_results.json")))
    check(results.get("skipped_nonfinite_steps", 0) > 0, f"no step was skipped: {results}")
    print(f"NaN loss stops at step {last_finite + 1}: {line}")


def damaged_checkpoints(tmp, model):
    out = os.path.join(tmp, "damaged")
    recipe = write_recipe(os.path.join(tmp, "damaged.yaml"), model, out, max_steps=6)
    done = run_hft("train", recipe)
    check(done.returncode == 0, describe(done))
    newest = os.path.join(out, "checkpoint-6")
    with open(os.path.join(newest, "model.safetensors"), "r+b") as f:
        f.truncate(1000)
    done = run_hft("train", recipe, f"resume_from_checkpoint={newest}")
    check(done.returncode == 2, "damaged checkpoint: " + describe(done))
    line = one_line(done)
    check("model.safetensors" in line and "manifest" in line, f"damaged checkpoint: {line}")
    os.remove(os.path.join(out, "checkpoint-4", "hft_manifest.json"))
    done = run_hft("train", recipe, f"resume_from_checkpoint={os.path.join(out, 'checkpoint-4')}")
    check(done.returncode == 2 and "incomplete" in one_line(done), "incomplete checkpoint: " + describe(done))
    done = run_hft("train", recipe, "resume_from_checkpoint=true", "max_steps=8")
    check(done.returncode == 0 and "resuming from " + os.path.join(out, "checkpoint-2") in done.stdout,
          "resume_from_checkpoint=true should pass over checkpoint-6 and -4 to checkpoint-2: " + describe(done))
    print("damaged and incomplete checkpoints are refused by name and passed over by resume_from_checkpoint=true")


def output_dir_with_checkpoints(tmp, model):
    out = os.path.join(tmp, "damaged")  # holds checkpoints from damaged_checkpoints()
    before = checkpoints(out)
    recipe = write_recipe(os.path.join(tmp, "again.yaml"), model, out)
    done = run_hft("train", recipe)
    check(done.returncode == 2 and "output_dir" in one_line(done), "non-empty output_dir: " + describe(done))
    check(checkpoints(out) == before, f"checkpoints changed: {before} -> {checkpoints(out)}")


def full_disk(tmp, model):
    out = os.path.join(tmp, "full")
    recipe = write_recipe(os.path.join(tmp, "full.yaml"), model, out, max_steps=4)
    check(run_hft("train", recipe).returncode == 0, "first run failed")
    before = {d: open(os.path.join(out, d, "model.safetensors"), "rb").read() for d in checkpoints(out)}

    def small_files_only():  # the model file no longer fits: writes fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    done = subprocess.run([HFT, "train", recipe, "resume_from_checkpoint=true", "max_steps=8"], cwd=REPO,
                          capture_output=True, text=True, timeout=600, preexec_fn=small_files_only)
    check(done.returncode == 1, "full disk: " + describe(done))
    line = one_line(done)
    check("could not save" in line and "checkpoint-6" in line, f"full disk: {line}")
    check(checkpoints(out) == sorted(before, key=lambda d: int(d.split("-")[1])), f"full disk: {checkpoints(out)}")
    for d, data in before.items():
        check(verify_checkpoint(os.path.join(out, d)), f"{d} is no longer complete")
        check(open(os.path.join(out, d, "model.safetensors"), "rb").read() == data, f"{d} changed")
    check(not [n for n in os.listdir(out) if n.startswith(".tmp")], f"temporary files left: {os.listdir(out)}")
    print(f"full disk: {line}")


def unwritable_output_dir(tmp, model):
    blocker = os.path.join(tmp, "a-file")
    open(blocker, "w").close()
    recipe = write_recipe(os.path.join(tmp, "blocked.yaml"), model, os.path.join(blocker, "out"))
    done = run_hft("train", recipe)
    check(done.returncode == 2, "unwritable output_dir: " + describe(done))
    check("output_dir" in one_line(done), "unwritable output_dir: " + describe(done))


def main():
    with scratch_dir() as tmp:
        model = tiny_model(os.path.join(tmp, "model"))
        nan_loss_stops(tmp, model)
        damaged_checkpoints(tmp, model)
        output_dir_with_checkpoints(tmp, model)
        full_disk(tmp, model)
        unwritable_output_dir(tmp, model)


if __name__ == "__main__":
    main()
