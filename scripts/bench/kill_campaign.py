#!/usr/bin/env python3
"""Kill -9 campaign: many training runs killed at random moments, some in the middle of a
checkpoint write and some while old checkpoints are being rotated away, some killed again after
resuming, each then resumed to the end. Reports, against an uninterrupted run of the same recipe:
  - corrupt checkpoints used: a resume that continued from a folder whose files do not match its
    manifest (sizes and SHA-256) at that moment (goal 0);
  - runs that did not end with exactly the uninterrupted run's parameters (goal 0);
  - runs that could not be resumed at all (goal 0).
It also counts the trials whose output_dir held a half-written checkpoint when the resume began
(a checkpoint-N without a matching manifest, or a save's temporary .tmp-checkpoint-* folder): the
trials that test passing one over.
Not part of the tests (100 kills take about 6 minutes on 2 cores); tests/e2e/test_resume_after_kill.py
runs a small version in CI. Prints a table and one JSON object as the last line. Exit 1 when a goal is missed.

Usage: scripts/bench/kill_campaign.py [--kills 100] [--seed 7] [--hft build/hft]
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
os.environ.setdefault("HFT_CACHE", tempfile.mkdtemp(prefix="hft-kill-cache-"))

from test_resume_after_kill import verify_checkpoint  # noqa: E402  (manifest sizes and hashes, weights load)
from training_runs import final_parameters, tiny_model, write_recipe  # noqa: E402

MODES = ("at a random moment", "in a checkpoint write", "during rotation", "twice")


def start(hft, recipe, *overrides, env=None):
    return subprocess.Popen([hft, "train", recipe, *overrides], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def kill_after(process, seconds):
    time.sleep(seconds)
    process.kill()
    process.communicate()


def kill_on_line(process, prefix, nth):
    """SIGKILL right after the nth stdout line starting with `prefix` (a checkpoint saved: rotation
    follows at once)."""
    seen = 0
    for line in process.stdout:
        if line.startswith(prefix):
            seen += 1
            if seen == nth:
                break
    process.kill()
    process.communicate()


def interrupt(mode, hft, recipe, duration, rng):
    if mode == MODES[0]:
        kill_after(start(hft, recipe), rng.uniform(0.1, duration))
    elif mode == MODES[1]:  # the test failpoint: SIGKILL after the files, before the manifest
        env = dict(os.environ, HFT_TEST_KILL_DURING_SAVE=str(rng.randint(1, 6)))
        start(hft, recipe, env=env).communicate(timeout=600)
    elif mode == MODES[2]:
        kill_on_line(start(hft, recipe), "saved ", rng.randint(2, 8))
    else:  # killed, resumed, killed again
        kill_after(start(hft, recipe), rng.uniform(0.1, duration))
        kill_after(start(hft, recipe, "resume_from_checkpoint=true"), rng.uniform(0.1, duration / 2))


def complete_checkpoints(out):
    if not os.path.isdir(out):
        return set()
    return {os.path.join(out, d) for d in os.listdir(out)
            if d.startswith("checkpoint-") and verify_checkpoint(os.path.join(out, d))}


def damaged_checkpoints(out, complete):
    if not os.path.isdir(out):
        return set()
    return {os.path.join(out, d) for d in os.listdir(out)
            if d.startswith(("checkpoint-", ".tmp-checkpoint-"))} - complete


def resume(hft, recipe, out):
    """Resumes to the end; returns (exit code, the checkpoint it resumed from or None, the complete
    and the damaged checkpoints before it started, its output)."""
    complete = complete_checkpoints(out)
    damaged = damaged_checkpoints(out, complete)
    done = subprocess.run([hft, "train", recipe, "resume_from_checkpoint=true"], cwd=REPO, capture_output=True,
                          text=True, timeout=900)
    used = [line.split()[2] for line in done.stdout.splitlines() if line.startswith("resuming from ")]
    return done.returncode, (used[0] if used else None), complete, damaged, done.stdout + done.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--hft", default=os.path.join(REPO, os.environ.get("BUILD_DIR", "build"), "hft"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tally = {mode: {"trials": 0, "damaged_present": 0, "corrupt_used": 0, "wrong_weights": 0, "not_resumed": 0,
                    "resumed_from_checkpoint": 0} for mode in MODES}
    failures = []
    with tempfile.TemporaryDirectory(prefix="hft-kill-campaign-") as tmp:
        model = tiny_model(os.path.join(tmp, "model"))
        reference = os.path.join(tmp, "reference")
        keys = dict(save_total_limit=2, save_steps=2, num_train_epochs=3)
        recipe = write_recipe(os.path.join(tmp, "reference.yaml"), model, reference, **keys)
        began = time.monotonic()
        subprocess.run([args.hft, "train", recipe], cwd=REPO, capture_output=True, check=True)
        duration = time.monotonic() - began
        expected = final_parameters(reference)
        out = os.path.join(tmp, "trial")
        trial_recipe = write_recipe(os.path.join(tmp, "trial.yaml"), model, out, **keys)
        for trial in range(args.kills):
            mode = MODES[trial % len(MODES)]
            shutil.rmtree(out, ignore_errors=True)
            interrupt(mode, args.hft, trial_recipe, duration, rng)
            code, used, complete, damaged, output = resume(args.hft, trial_recipe, out)
            row = tally[mode]
            row["trials"] += 1
            row["damaged_present"] += bool(damaged)
            if code != 0:
                row["not_resumed"] += 1
                failures.append(f"trial {trial} ({mode}): resume exit {code}: {output[-600:]}")
                continue
            if used:
                row["resumed_from_checkpoint"] += 1
                if used not in complete:
                    row["corrupt_used"] += 1
                    failures.append(f"trial {trial} ({mode}): resumed from {used}, which did not match its manifest")
            got = final_parameters(out)
            if any(not (got[name] == expected[name]).all() for name in expected):
                row["wrong_weights"] += 1
                failures.append(f"trial {trial} ({mode}): final parameters differ from the uninterrupted run's")
            print(f"trial {trial:3d} {mode:22s} resumed from {os.path.basename(used) if used else 'the start'}",
                  flush=True)
    totals = {key: sum(row[key] for row in tally.values()) for key in next(iter(tally.values()))}
    print(f"\n{'killed':24s} {'trials':>6s} {'damaged seen':>12s} {'from ckpt':>9s} {'corrupt used':>12s} "
          f"{'wrong weights':>13s} {'not resumed':>11s}")
    for mode, row in list(tally.items()) + [("all", totals)]:
        print(f"{mode:24s} {row['trials']:6d} {row['damaged_present']:12d} {row['resumed_from_checkpoint']:9d} "
              f"{row['corrupt_used']:12d} "
              f"{row['wrong_weights']:13d} {row['not_resumed']:11d}")
    for line in failures:
        print(line)
    print(json.dumps({"benchmark": "kill_campaign", "reference_run_s": duration, "by_mode": tally, "totals": totals}))
    return 0 if totals["corrupt_used"] == totals["wrong_weights"] == totals["not_resumed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
