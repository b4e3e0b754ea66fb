"""Checkpoints and output_dir as hostile or damaged input (issue 15, items 2, 6, 12, 13, 14, 17, 21):
- save_total_limit among folders hft did not write (a user's checkpoint-1/ with a file, an empty
  checkpoint-100/, a checkpoint-<20 digits>/): rotation deletes only hft's complete checkpoints,
  keeps the run's newest, touches nothing else and names each folder it left alone;
- a manifest listing ../../etc/passwd or /etc/passwd, or no files at all, or entries of the wrong
  types: refused by name (exit 2) when named, passed over with a warning naming it with `true`;
- a damaged newest checkpoint is named in a warning when resume_from_checkpoint: true passes it over;
- a full disk (a file size limit, as ulimit -f sets) while LibTorch writes the optimizer state:
  exit 1 naming the file, no abort, the earlier checkpoint intact, no temporary folder left;
- two runs on one output_dir: the second is refused naming the first's pid; a SIGKILLed run's
  lock does not block the next run."""
import hashlib
import json
import os
import resource
import signal
import subprocess

from _common import check_one_line_error, first_run, run_cases_on_tiny_model, train
from hft_e2e import HFT, REPO, check, describe
from training_runs import write_recipe

HUGE = "checkpoint-99999999999999999999"


def hft_checkpoints(out):
    return sorted((d for d in os.listdir(out) if d.startswith("checkpoint-") and d != HUGE
                   and os.path.exists(os.path.join(out, d, "hft_manifest.json"))), key=lambda d: int(d.split("-")[1]))


def set_manifest_entry(folder, name, facts):
    path = os.path.join(folder, "hft_manifest.json")
    manifest = json.load(open(path))
    manifest["files"][name] = facts
    json.dump(manifest, open(path, "w"))


def facts_of(path):
    data = open(path, "rb").read()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def warnings(done):
    return [line for line in done.stderr.splitlines() + done.stdout.splitlines() if line.startswith("warning:")]


def rotation_leaves_other_folders_alone(tmp, model):
    out = os.path.join(tmp, "rotation")
    os.makedirs(os.path.join(out, "checkpoint-1"))
    open(os.path.join(out, "checkpoint-1", "data.txt"), "w").write("the user's own file\n")
    os.makedirs(os.path.join(out, "checkpoint-100"))
    recipe = write_recipe(os.path.join(tmp, "rotation.yaml"), model, out, max_steps=6, save_total_limit=1,
                          overwrite_output_dir=True)
    done = train(recipe)
    check(done.returncode == 0, "rotation: " + describe(done))
    user_file = os.path.join(out, "checkpoint-1", "data.txt")
    check(os.path.exists(user_file) and open(user_file).read() == "the user's own file\n",
          "rotation deleted the user's checkpoint-1/data.txt")
    check(os.path.isdir(os.path.join(out, "checkpoint-100")), "rotation deleted the empty checkpoint-100/")
    check(hft_checkpoints(out) == ["checkpoint-6"], f"rotation should keep the run's newest: {os.listdir(out)}")
    for name in ("checkpoint-1", "checkpoint-100"):
        check(any(f"left {os.path.join(out, name)} alone" in w for w in warnings(done)),
              f"rotation does not say it left {name} alone:\n{describe(done)}")
    print("rotation: deleted checkpoint-2 and -4, kept checkpoint-6, left checkpoint-1 and -100 alone, saying so")


def rotation_with_out_of_range_name(tmp, model):
    out = os.path.join(tmp, "huge-rotation")
    os.makedirs(os.path.join(out, HUGE))
    recipe = write_recipe(os.path.join(tmp, "huge-rotation.yaml"), model, out, max_steps=4, save_total_limit=1,
                          overwrite_output_dir=True)
    done = train(recipe)
    check(done.returncode == 0, f"{HUGE} at rotation: " + describe(done))
    check(os.path.isdir(os.path.join(out, HUGE)) and hft_checkpoints(out) == ["checkpoint-4"],
          f"{HUGE} at rotation: {os.listdir(out)}")
    check(any(HUGE in w for w in warnings(done)), f"rotation does not name {HUGE}:\n{describe(done)}")
    print(f"rotation: {HUGE} left alone and named")


def hostile_manifests(tmp, model):
    recipe, out = first_run(tmp, model, "hostile")
    folder = os.path.join(out, "checkpoint-4")
    original = open(os.path.join(folder, "hft_manifest.json")).read()
    for outside in ("../../../../../../etc/passwd", "/etc/passwd"):
        # Size and hash of the real file: a reader that followed the entry would find it matching.
        set_manifest_entry(folder, outside, facts_of(os.path.normpath(os.path.join(folder, outside))))
        done = train(recipe, f"resume_from_checkpoint={folder}")
        check_one_line_error(f"manifest entry {outside}", done, words=(outside, "not a file name inside the checkpoint"))
        check(str(os.path.getsize("/etc/passwd")) not in done.stderr, "the size of a file outside was printed")
        open(os.path.join(folder, "hft_manifest.json"), "w").write(original)
    json.dump({"format": 1, "files": {}}, open(os.path.join(folder, "hft_manifest.json"), "w"))
    done = train(recipe, f"resume_from_checkpoint={folder}")
    check_one_line_error("a manifest listing no files", done, words=("does not list config.json",))
    open(os.path.join(folder, "hft_manifest.json"), "w").write(original)


def manifest_of_wrong_types(tmp, model):
    recipe, out = first_run(tmp, model, "types")
    folder = os.path.join(out, "checkpoint-4")
    set_manifest_entry(folder, "model.safetensors", {"bytes": "x", "sha256": "y"})
    done = train(recipe, f"resume_from_checkpoint={folder}")
    check_one_line_error("manifest bytes: \"x\"", done, words=("checkpoint-4", "model.safetensors", "bytes"))
    done = train(recipe, "resume_from_checkpoint=true", "max_steps=6")
    check(done.returncode == 0 and f"resuming from {os.path.join(out, 'checkpoint-2')}" in done.stdout,
          "resume_from_checkpoint=true should pass over checkpoint-4 to checkpoint-2: " + describe(done))
    check(any("passing over " + folder in w and "bytes" in w for w in warnings(done)),
          "the checkpoint passed over is not named in a warning:\n" + describe(done))
    print("manifest with \"bytes\": \"x\": refused by name; passed over with a warning by resume_from_checkpoint=true")


def damaged_newest_is_named(tmp, model):
    recipe, out = first_run(tmp, model, "damaged")
    with open(os.path.join(out, "checkpoint-4", "model.safetensors"), "r+b") as f:
        f.truncate(1000)
    done = train(recipe, "resume_from_checkpoint=true", "max_steps=6")
    check(done.returncode == 0, "damaged newest: " + describe(done))
    named = [w for w in warnings(done) if os.path.join(out, "checkpoint-4") in w and "model.safetensors" in w]
    check(named, "the damaged checkpoint-4 passed over is not named:\n" + describe(done))
    print(f"damaged newest: {named[0]}")


def full_disk_during_optimizer_write(tmp, model):
    recipe, out = first_run(tmp, model, "full", max_steps=2)
    before = facts_of(os.path.join(out, "checkpoint-2", "model.safetensors"))
    model_bytes = os.path.getsize(os.path.join(out, "checkpoint-2", "model.safetensors"))
    optimizer_bytes = os.path.getsize(os.path.join(out, "checkpoint-2", "hft_optimizer.pt"))
    limit = (model_bytes + optimizer_bytes) // 2  # the model fits, LibTorch's optimizer file does not

    def small_files_only():  # writes past the limit fail with EFBIG, as they fail with ENOSPC on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([HFT, "train", recipe, "resume_from_checkpoint=true", "max_steps=4"], cwd=REPO,
                          capture_output=True, text=True, timeout=300, preexec_fn=small_files_only)
    check_one_line_error("full disk", done, codes=(1,), words=("could not save", "checkpoint-4", "hft_optimizer.pt",
                                                               "File too large"))
    check(hft_checkpoints(out) == ["checkpoint-2"], f"full disk: {os.listdir(out)}")
    check(facts_of(os.path.join(out, "checkpoint-2", "model.safetensors")) == before, "checkpoint-2 changed")
    check(not [n for n in os.listdir(out) if n.startswith(".tmp")], f"temporary files left: {os.listdir(out)}")


def two_runs_on_one_output_dir(tmp, model):
    out = os.path.join(tmp, "busy")
    recipe = write_recipe(os.path.join(tmp, "busy.yaml"), model, out, max_steps=2000, save_strategy="no")
    first = subprocess.Popen([HFT, "train", recipe], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in first.stdout:  # training: the lock is held
            if line.startswith("{"):
                break
        for overrides in (["resume_from_checkpoint=true"], ["overwrite_output_dir=true"]):
            done = train(recipe, *overrides, "max_steps=2")
            check_one_line_error(f"a second run ({overrides[0]})", done, words=("output_dir", "in use", f"pid {first.pid}"))
    finally:
        first.kill()
        first.communicate()
    done = train(recipe, "overwrite_output_dir=true", "max_steps=2")  # the killed run's lock is free
    check(done.returncode == 0, "after the first run was killed: " + describe(done))
    check("hft.lock" not in os.listdir(out), f"a finished run left its lock file: {os.listdir(out)}")
    print("a SIGKILLed run's lock does not block the next run, and a finished run leaves no lock file")


CASES = [rotation_leaves_other_folders_alone, rotation_with_out_of_range_name, hostile_manifests, manifest_of_wrong_types,
         damaged_newest_is_named, full_disk_during_optimizer_write, two_runs_on_one_output_dir]


def main():
    run_cases_on_tiny_model(CASES)


if __name__ == "__main__":
    main()
