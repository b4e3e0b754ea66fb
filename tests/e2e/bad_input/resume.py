"""Resuming as hostile or mistaken input (issue 15, items 7, 12, 13, 20, 21):
- a resumed recipe that names another model is refused in one line (exit 2); each changed
  hyperparameter (batch size, accumulation, learning rate) and another number of processes is one
  warning line naming it;
- trainer_state.json with global_step -5, or a loop state of the wrong types (the manifest made
  to match): refused by file and key when named (exit 2), passed over with a warning naming the
  checkpoint with resume_from_checkpoint: true;
- a checkpoint-<20 digits> folder in output_dir does not stop resume_from_checkpoint: true;
- a run killed before its first checkpoint starts again: without resume_from_checkpoint (its
  output_dir holds only what it wrote at the start) and with it (one line says it starts from
  scratch, as a requeued SLURM job needs);
- after a kill and resume, log.jsonl holds each step once and equals trainer_state.json's
  log_history, which the resumed run takes from its checkpoint as the Trainer does."""
import hashlib
import json
import os
import shutil
import signal
import subprocess

from _common import check_one_line_error, first_run, run_cases_on_tiny_model, train
from hft_e2e import HFT, REPO, check, describe
from training_runs import SST2_TRAIN, write_recipe


def rewrite_json(folder, name, change):
    """Changes a JSON file of a checkpoint and updates the manifest to match, as a careful attacker
    (or a script editing checkpoints) would: only the content can tell it apart."""
    path = os.path.join(folder, name)
    value = json.load(open(path))
    value.update(change)
    data = json.dumps(value).encode()
    open(path, "wb").write(data)
    manifest_path = os.path.join(folder, "hft_manifest.json")
    manifest = json.load(open(manifest_path))
    manifest["files"][name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    json.dump(manifest, open(manifest_path, "w"))


def warnings(done):
    return [line for line in done.stderr.splitlines() if line.startswith("warning:")]


def changed_recipe(tmp, model):
    recipe, out = first_run(tmp, model, "changed")
    other_model = shutil.copytree(model, os.path.join(tmp, "another-model"))
    folder = os.path.join(out, "checkpoint-4")
    done = train(recipe, "resume_from_checkpoint=true", f"model_name_or_path={other_model}")
    check_one_line_error("another model", done, words=("model_name_or_path", other_model, model, "checkpoint-4"))
    changes = {"learning_rate": "3e-4", "per_device_train_batch_size": "4", "gradient_accumulation_steps": "4"}
    done = train(recipe, "resume_from_checkpoint=true", "max_steps=6", *(f"{k}={v}" for k, v in changes.items()))
    check(done.returncode == 0, "changed hyperparameters: " + describe(done))
    for key in changes:
        named = [w for w in warnings(done) if f"resume_from_checkpoint: {key} is" in w]
        check(len(named) == 1, f"changed {key}: expected one warning naming it:\n{describe(done)}")
        print(named[0])
    rewrite_json(folder, "hft_loop_state.json", {"world_size": 2})  # as if saved by two processes
    done = train(recipe, f"resume_from_checkpoint={folder}", "max_steps=6", "overwrite_output_dir=true")
    check(done.returncode == 0, "another number of processes: " + describe(done))
    named = [w for w in warnings(done) if "run of 2 processes, this run has 1" in w]
    check(len(named) == 1, f"another number of processes: expected one warning:\n{describe(done)}")
    print(named[0])


def damaged_state_files(tmp, model):
    cases = [("trainer_state.json", {"global_step": -5}, "global_step"),
             ("trainer_state.json", {"log_history": "none"}, "log_history"),
             ("hft_loop_state.json", {"logged_total": "x"}, "logged_total"),
             ("hft_loop_state.json", {"last_logged_step": [1]}, "last_logged_step")]
    for i, (name, change, key) in enumerate(cases):
        recipe, out = first_run(tmp, model, f"state{i}")
        folder = os.path.join(out, "checkpoint-4")
        rewrite_json(folder, name, change)
        done = train(recipe, f"resume_from_checkpoint={folder}", "max_steps=6")
        check_one_line_error(f"{name} {change}", done, words=(os.path.join(folder, name), key))
        done = train(recipe, "resume_from_checkpoint=true", "max_steps=6")
        check(done.returncode == 0 and f"resuming from {os.path.join(out, 'checkpoint-2')}" in done.stdout,
              f"{name} {change}: resume_from_checkpoint=true should go on from checkpoint-2: " + describe(done))
        check(any(f"passing over {folder}" in w and key in w for w in warnings(done)),
              f"{name} {change}: the checkpoint passed over is not named:\n{describe(done)}")


def out_of_range_checkpoint_name(tmp, model):
    recipe, out = first_run(tmp, model, "huge")
    os.makedirs(os.path.join(out, "checkpoint-99999999999999999999"))
    done = train(recipe, "resume_from_checkpoint=true", "max_steps=6")
    check(done.returncode == 0 and f"resuming from {os.path.join(out, 'checkpoint-4')}" in done.stdout,
          "checkpoint-99999999999999999999 in output_dir: " + describe(done))
    check(os.path.isdir(os.path.join(out, "checkpoint-99999999999999999999")), "the folder was removed")
    print("checkpoint-99999999999999999999 does not stop resume_from_checkpoint=true")


def killed_in_save(recipe, nth_save):
    """The run dies by SIGKILL in its nth checkpoint write (hft's test failpoint)."""
    env = dict(os.environ, HFT_TEST_KILL_DURING_SAVE=str(nth_save))
    done = subprocess.run([HFT, "train", recipe], cwd=REPO, capture_output=True, text=True, env=env, timeout=300)
    check(done.returncode == -signal.SIGKILL, "the failpoint did not kill the run: " + describe(done))


def log_steps(out):
    return [json.loads(line)["step"] for line in open(os.path.join(out, "log.jsonl")) if '"loss"' in line]


def killed_before_first_checkpoint(tmp, model):
    for resume in ([], ["resume_from_checkpoint=true"]):
        out = os.path.join(tmp, f"early{len(resume)}")
        recipe = write_recipe(os.path.join(tmp, f"early{len(resume)}.yaml"), model, out, max_steps=4)
        killed_in_save(recipe, 1)  # killed while writing checkpoint-2: no checkpoint yet
        check(not [d for d in os.listdir(out) if d.startswith("checkpoint-")], f"a checkpoint was left: {os.listdir(out)}")
        done = train(recipe, *resume)
        check(done.returncode == 0, f"restart after a kill before the first checkpoint {resume}: " + describe(done))
        if resume:
            check("holds no complete checkpoint yet: training from scratch" in done.stdout,
                  "resume_from_checkpoint=true with no checkpoint should say it starts from scratch: " + describe(done))
        check(log_steps(out) == [1, 2, 3, 4], f"log.jsonl after the restart {resume}: steps {log_steps(out)}")
    print("a run killed before its first checkpoint restarts, with and without resume_from_checkpoint")


def log_after_kill_and_resume(tmp, model):
    out = os.path.join(tmp, "log")
    recipe = write_recipe(os.path.join(tmp, "log.yaml"), model, out, max_steps=6)
    killed_in_save(recipe, 2)  # checkpoint-2 saved, steps 3 and 4 logged, killed writing checkpoint-4
    check(log_steps(out) == [1, 2, 3, 4], f"before resuming: steps {log_steps(out)}")
    done = train(recipe, "resume_from_checkpoint=true")
    check(done.returncode == 0, "resume after a kill: " + describe(done))
    check(log_steps(out) == [1, 2, 3, 4, 5, 6], f"log.jsonl repeats steps after resuming: {log_steps(out)}")
    history = json.load(open(os.path.join(out, "trainer_state.json")))["log_history"]
    logged = [json.loads(line) for line in open(os.path.join(out, "log.jsonl"))]
    check(logged == history, "log.jsonl differs from trainer_state.json's log_history")
    print("after a kill and resume, log.jsonl holds steps 1-6 once each, as trainer_state.json's log_history")


def signal_during_evaluation(tmp, model):
    """SIGINT while step 2 is being evaluated: the evaluation ends, step 2 is saved and the run
    stops there, training no step after it."""
    out = os.path.join(tmp, "sigint-eval")
    recipe = write_recipe(os.path.join(tmp, "sigint-eval.yaml"), model, out, max_steps=6, save_steps=4,
                          eval_strategy="steps", eval_steps=2, validation_file=SST2_TRAIN, max_eval_samples=8000)
    process = subprocess.Popen([HFT, "train", recipe], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    for line in process.stdout:  # step 2's log line comes just before its evaluation
        if line.startswith("{") and '"loss"' in line and json.loads(line)["step"] == 2:
            break
    process.send_signal(signal.SIGINT)
    rest, stderr = process.communicate(timeout=300)
    done = subprocess.CompletedProcess(process.args, process.returncode, rest, stderr)
    check(process.returncode == 130, "SIGINT during an evaluation: " + describe(done))
    check('"eval_accuracy"' in rest and "stopped at step 2" in rest, "SIGINT during an evaluation: " + describe(done))
    checkpoints = sorted(d for d in os.listdir(out) if d.startswith("checkpoint-"))
    check(checkpoints == ["checkpoint-2"], f"SIGINT during step 2's evaluation left {checkpoints}")
    check(log_steps(out) == [1, 2], f"SIGINT during step 2's evaluation: steps {log_steps(out)} logged")
    print("SIGINT during an evaluation: the evaluation ends, checkpoint-2 is saved, no step is trained after it")


CASES = [changed_recipe, damaged_state_files, out_of_range_checkpoint_name, killed_before_first_checkpoint,
         log_after_kill_and_resume, signal_during_evaluation]


def main():
    run_cases_on_tiny_model(CASES)


if __name__ == "__main__":
    main()
