"""Hub ids resolve offline from the local Hugging Face cache, to the folder that huggingface_hub
itself finds: a cache laid out with huggingface_hub's own helpers (blobs, snapshot symlinks, refs),
then for a branch, a tag-like ref and a commit hash, hft's folder (hft validate --json) equals
snapshot_download(..., local_files_only=True)'s. The cache folder follows the same environment
variables as huggingface_hub.constants (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, HOME). A local folder
of the same name wins; a model the cache does not hold is one line, exit 2, naming the folder
searched and `hf download`. A run trains from a hub id, and config_name's labels reach predictions."""
import hashlib
import json
import os
import shutil
import subprocess

from hft_e2e import HFT, PYTHON, REPO, check, describe
from training_runs import scratch_dir, tiny_model

REPO_ID = "hft-test/tiny-bert"
MAIN = "a" * 40  # commit hashes of the two snapshots
TAGGED = "0123456789abcdef0123456789abcdef01234567"


def lay_out(cache, repo_id, files_by_commit, refs):
    """Writes the repository into `cache` as huggingface_hub's downloads do: each file once under
    blobs/<sha256>, snapshots/<commit>/<name> as relative symlinks into blobs, refs/<name> -> commit."""
    from huggingface_hub import file_download

    storage = os.path.join(cache, file_download.repo_folder_name(repo_id=repo_id, repo_type="model"))
    for commit, files in files_by_commit.items():
        for name, source in files.items():
            with open(source, "rb") as f:
                blob = os.path.join(storage, "blobs", hashlib.sha256(f.read()).hexdigest())
            os.makedirs(os.path.dirname(blob), exist_ok=True)
            if not os.path.exists(blob):
                shutil.copy(source, blob)
            pointer = os.path.join(storage, "snapshots", commit, name)
            os.makedirs(os.path.dirname(pointer), exist_ok=True)
            file_download._create_symlink(blob, pointer, new_blob=False)
    for ref, commit in refs.items():
        file_download._cache_commit_hash_for_specific_revision(storage, ref, commit)


def snapshot(cache, repo_id, revision):
    """huggingface_hub's answer, offline; None when it finds nothing."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return snapshot_download(repo_id, revision=revision, cache_dir=cache, local_files_only=True)
    except LocalEntryNotFoundError:
        return None


def clean_env(**variables):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME")}
    env.update(variables)
    return env


def hft(*args, env, cwd=REPO, timeout=300):
    return subprocess.run([HFT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def write_recipe(folder, name, **keys):
    path = os.path.join(folder, name)
    recipe = dict(train_file=os.path.join(REPO, "data/glue/SST-2/dev.tsv"), task_name="sst2",
                  output_dir=os.path.join(folder, "out-" + name), max_train_samples=16, max_steps=1,
                  max_seq_length=32, save_strategy="no", report_to="none", use_cpu="true", **keys)
    with open(path, "w") as f:
        f.writelines(f"{k}: {v}\n" for k, v in recipe.items())
    return path


def resolved_folders(recipe, env, *overrides, cwd=REPO):
    done = hft("validate", recipe, "--json", *overrides, env=env, cwd=cwd)
    check(done.returncode == 0, describe(done))
    return json.loads(done.stdout)["folders"]


def model_files(model):
    return {name: os.path.join(model, name) for name in os.listdir(model)}


def check_revisions(tmp, model, relabelled):
    cache = os.path.join(tmp, "hub")
    lay_out(cache, REPO_ID, {MAIN: model_files(model), TAGGED: model_files(relabelled)},
            {"main": MAIN, "v1.0": TAGGED})
    env = clean_env(HF_HUB_CACHE=cache)
    recipe = write_recipe(tmp, "hub.yaml", model_name_or_path=REPO_ID)
    for revision in ("main", "v1.0", TAGGED):
        expected = snapshot(cache, REPO_ID, revision)
        check(expected is not None, f"huggingface_hub finds nothing for {revision}")
        got = resolved_folders(recipe, env, f"model_revision={revision}")
        check(os.path.normpath(got["model"]) == os.path.normpath(expected),
              f"revision {revision}: hft {got['model']}, huggingface_hub {expected}")
        check(got["tokenizer"] == got["model"] and got["config"] == got["model"], f"{revision}: {got}")
        print(f"revision {revision}: {got['model']} (as huggingface_hub)")
    return cache, env, recipe


def check_environment_variables(tmp, model):
    """Each way of naming the cache, against huggingface_hub.constants in the same environment."""
    home = os.path.join(tmp, "home")
    cases = {"HF_HUB_CACHE": dict(HF_HUB_CACHE=os.path.join(tmp, "c1")),
             "HF_HOME": dict(HF_HOME=os.path.join(tmp, "c2")),
             "XDG_CACHE_HOME": dict(XDG_CACHE_HOME=os.path.join(tmp, "c3")),
             "HOME": dict(HOME=home),
             "HUGGINGFACE_HUB_CACHE (legacy)": dict(HUGGINGFACE_HUB_CACHE=os.path.join(tmp, "c4"))}
    recipe = write_recipe(tmp, "env.yaml", model_name_or_path=REPO_ID)
    for name, variables in cases.items():
        env = clean_env(**variables)
        cache = subprocess.run([PYTHON, "-c", "import huggingface_hub.constants as c; print(c.HF_HUB_CACHE)"], env=env,
                               capture_output=True, text=True, check=True).stdout.strip()
        check(cache.startswith(tmp), f"{name}: huggingface_hub's cache {cache} is outside the test folder")
        lay_out(cache, REPO_ID, {MAIN: model_files(model)}, {"main": MAIN})
        got = resolved_folders(recipe, env)
        check(os.path.normpath(got["model"]) == os.path.join(cache, "models--hft-test--tiny-bert", "snapshots", MAIN),
              f"{name}: hft {got['model']}, huggingface_hub's cache {cache}")
        print(f"{name}: {cache}")


def check_local_folder_wins(tmp, cache, env):
    """A folder named like the hub id, relative to where hft runs, is used instead of the cache."""
    workdir = os.path.join(tmp, "work")
    local = os.path.join(workdir, REPO_ID)
    shutil.copytree(os.path.join(cache, "models--hft-test--tiny-bert", "snapshots", MAIN), local, symlinks=False)
    recipe = write_recipe(tmp, "local.yaml", model_name_or_path=REPO_ID)
    got = resolved_folders(recipe, env, cwd=workdir)
    check(got["model"] == REPO_ID, f"a local {REPO_ID} should win over the cache: {got}")
    print("a local folder of the same name wins")


def check_missing(tmp, cache, env):
    recipe = write_recipe(tmp, "missing.yaml", model_name_or_path="hft-test/absent")
    check(snapshot(cache, "hft-test/absent", "main") is None, "huggingface_hub should find no hft-test/absent")
    check(snapshot(cache, REPO_ID, "v2") is None, "huggingface_hub should find no revision v2")
    for overrides, words in (([], ["model_name_or_path", "hft-test/absent", "models--hft-test--absent",
                                   "hf download hft-test/absent"]),
                             ([f"model_name_or_path={REPO_ID}", "model_revision=v2"],
                              ["models--hft-test--tiny-bert", "revision v2", f"hf download {REPO_ID} --revision v2"])):
        done = hft("train", recipe, *overrides, env=env)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        check(done.returncode == 2 and len(lines) == 1, f"a missing model: expected one line, exit 2\n{describe(done)}")
        check(all(w in lines[0] for w in words), f"{lines[0]!r} should name {words}")
        check(lines[0].startswith(recipe + ":") or "command line" in lines[0], f"{lines[0]!r} should say where")
        check(not os.path.exists(os.path.join(tmp, "out-missing.yaml")), "a failed run wrote its output_dir")
        print(f"missing: {lines[0]}")


def check_runs_from_hub_id(tmp, env, relabelled_id):
    """hft train from the hub id; config_name from another repository gives predictions its labels."""
    recipe = write_recipe(tmp, "run.yaml", model_name_or_path=REPO_ID)
    done = hft("train", recipe, env=env)
    check(done.returncode == 0, describe(done))
    out = os.path.join(tmp, "out-run.yaml")
    check(os.path.isfile(os.path.join(out, "model.safetensors")) and os.path.isfile(os.path.join(out, "tokenizer.json")),
          f"{out} should hold the model and the tokenizer files (copied through the cache's symlinks): "
          f"{sorted(os.listdir(out))}")
    predictions = os.path.join(tmp, "predictions.tsv")
    done = hft("predict", recipe, f"model_name_or_path={REPO_ID}", f"config_name={relabelled_id}",
               "--input", os.path.join(REPO, "data/glue/SST-2/test.tsv"), "--output", predictions,
               "max_predict_samples=4", env=env)
    check(done.returncode == 0, describe(done))
    with open(predictions) as f:
        header, *rows = [line.rstrip("\n").split("\t") for line in f]
    labels = {row[1] for row in rows}
    check(len(rows) == 4 and header[2:] == ["probability_negative", "probability_positive"] and
          labels <= {"negative", "positive"}, f"config_name's labels should name the predictions: {header}, {labels}")
    print(f"trained from {REPO_ID}; predictions with config_name's labels {sorted(labels)}")


def relabel(model, folder):
    """The same model with other label names in config.json (a config_name for predict)."""
    shutil.copytree(model, folder)
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    config["id2label"], config["label2id"] = {"0": "negative", "1": "positive"}, {"negative": 0, "positive": 1}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f)
    return folder


def main():
    with scratch_dir() as tmp:
        model = tiny_model(os.path.join(tmp, "model"), dropout=0.0)
        relabelled = relabel(model, os.path.join(tmp, "relabelled"))
        cache, env, _ = check_revisions(tmp, model, relabelled)
        lay_out(cache, "hft-test/relabelled", {TAGGED: model_files(relabelled)}, {"main": TAGGED})
        check_environment_variables(tmp, model)
        check_local_folder_wins(tmp, cache, env)
        check_missing(tmp, cache, env)
        check_runs_from_hub_id(tmp, env, "hft-test/relabelled")


if __name__ == "__main__":
    main()
