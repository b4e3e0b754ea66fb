"""Kill training runs at random points (SIGKILL, some while a checkpoint is being written; and
SIGTERM, which asks for a checkpoint at the current step), then resume each one: every
checkpoint left is complete (its manifest's sizes and SHA-256 hashes match, the weights load) or
passed over, and every resumed run ends with exactly the parameters of an uninterrupted run
(CPU, fp32, dropout on: the generator states travel in the checkpoints too).

With --lora the runs train LoRA adapters (dropout on them too), fewer trials: the checkpoints
hold the adapters, and a resumed run ends with exactly the uninterrupted run's adapters."""
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

from hft_e2e import HFT, REPO, check, describe, run_hft
from training_runs import final_parameters, scratch_dir, tiny_model, write_recipe

KILL_TRIALS = 16         # SIGKILL at a random moment of the run
KILL_WHILE_SAVING = 3    # SIGKILL in the middle of the 1st, 2nd, 3rd checkpoint write (hft's test failpoint)
TERM_TRIALS = 2          # SIGTERM: finish the step, save, exit 143


def verify_checkpoint(folder):
    """True when `folder` is a complete checkpoint; False when it has no manifest (ignored)."""
    manifest_path = os.path.join(folder, "hft_manifest.json")
    if not os.path.exists(manifest_path):
        return False
    manifest = json.load(open(manifest_path))
    for name, facts in manifest["files"].items():
        path = os.path.join(folder, name)
        check(os.path.exists(path), f"{folder} has a manifest but no {name}: a half-deleted or half-written checkpoint")
        data = open(path, "rb").read()
        check(len(data) == facts["bytes"], f"{folder}/{name}: {len(data)} bytes, manifest {facts['bytes']}")
        check(hashlib.sha256(data).hexdigest() == facts["sha256"], f"{folder}/{name}: hash differs from the manifest")
    final_parameters(folder)  # the weights load
    return True


def start(recipe, *overrides):
    return subprocess.Popen([HFT, "train", recipe, *overrides], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_at_random(recipe, out, duration, rng):
    process = start(recipe)
    time.sleep(rng.uniform(0.1, duration))
    process.kill()
    process.communicate()


def kill_while_saving(recipe, out, nth_save):
    """The run dies by SIGKILL in its nth checkpoint write, its files written and no manifest yet
    (HFT_TEST_KILL_DURING_SAVE, a failpoint: from outside, the milliseconds of a small model's
    write cannot be hit reliably); returns whether it died so, leaving that temporary folder."""
    env = dict(os.environ, HFT_TEST_KILL_DURING_SAVE=str(nth_save))
    process = subprocess.Popen([HFT, "train", recipe], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    process.communicate(timeout=600)
    left = os.path.isdir(out) and any(n.startswith(".tmp-checkpoint-") for n in os.listdir(out))
    return process.returncode == -signal.SIGKILL and left


def terminate_at_random(recipe, out, rng):
    """SIGTERM once the run has logged a random step (not by the clock: a run may go faster than
    the reference did)."""
    process = start(recipe)
    target = rng.randint(5, 30)
    for line in process.stdout:
        if line.startswith("{") and json.loads(line).get("step", 0) >= target and "loss" in line:
            break
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    check(process.returncode == 143, f"SIGTERM: exit {process.returncode}\n{stdout[-1500:]}\n{stderr[-1500:]}")
    stopped = [line for line in stdout.splitlines() if line.startswith("stopped at step")]
    check(stopped, f"SIGTERM: no 'stopped at step' line:\n{stdout[-1500:]}")
    step = int(stopped[-1].split()[3].rstrip(";"))
    check(verify_checkpoint(os.path.join(out, f"checkpoint-{step}")), f"SIGTERM: checkpoint-{step} is not complete")


def resume_and_compare(recipe, out, expected, label):
    folders = os.listdir(out) if os.path.isdir(out) else []
    complete = [d for d in folders if d.startswith("checkpoint-") and verify_checkpoint(os.path.join(out, d))]
    done = run_hft("train", recipe, "resume_from_checkpoint=true", timeout=600)
    if not complete:  # killed before its first checkpoint: the run starts from scratch and says so
        check("holds no complete checkpoint yet: training from scratch" in done.stdout, f"{label}: " + describe(done))
    check(done.returncode == 0, f"{label}: " + describe(done))
    got = final_parameters(out)
    different = [name for name in expected if not (got[name] == expected[name]).all()]
    check(not different, f"{label}: resumed run ends with different parameters: {different[:5]}")
    return len(complete)


LORA = dict(use_peft=True, lora_r=4, lora_alpha=8, lora_dropout=0.1)


def main(lora):
    rng = random.Random(20261130)
    kill_trials, while_saving_trials, term_trials = (4, 1, 1) if lora else (KILL_TRIALS, KILL_WHILE_SAVING, TERM_TRIALS)
    keys = dict(save_total_limit=3, **(LORA if lora else {}))
    with scratch_dir() as tmp:
        model = tiny_model(os.path.join(tmp, "model"))
        reference_out = os.path.join(tmp, "reference")
        recipe = write_recipe(os.path.join(tmp, "reference.yaml"), model, reference_out, **keys)
        began = time.monotonic()
        done = run_hft("train", recipe, timeout=600)
        duration = time.monotonic() - began
        check(done.returncode == 0, describe(done))
        expected = final_parameters(reference_out)

        out = os.path.join(tmp, "trial")
        trial_recipe = write_recipe(os.path.join(tmp, "trial.yaml"), model, out, **keys)
        resumed_from, while_saving = [], 0
        for trial in range(kill_trials + while_saving_trials + term_trials):
            shutil.rmtree(out, ignore_errors=True)
            if trial < kill_trials:
                kill_at_random(trial_recipe, out, duration, rng)
            elif trial < kill_trials + while_saving_trials:
                while_saving += kill_while_saving(trial_recipe, out, trial - kill_trials + 1)
            else:
                terminate_at_random(trial_recipe, out, rng)
            if trial == 3 and os.path.isdir(out):  # a half-copied folder with no manifest: passed over
                os.makedirs(os.path.join(out, "checkpoint-999"), exist_ok=True)
                open(os.path.join(out, "checkpoint-999", "model.safetensors"), "wb").write(b"partial")
            resumed_from.append(resume_and_compare(trial_recipe, out, expected, f"trial {trial}"))
        check(while_saving == while_saving_trials,
              f"{while_saving} of {while_saving_trials} runs asked to die in a checkpoint write died there")
        print(f"{len(resumed_from)} interrupted runs resumed to the uninterrupted run's parameters "
              f"(reference run {duration:.1f} s; complete checkpoints found per trial: {resumed_from}; "
              f"{while_saving} killed during a checkpoint write)")


if __name__ == "__main__":
    main(lora="--lora" in sys.argv[1:])
