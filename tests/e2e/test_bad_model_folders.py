"""A broken model folder through the binary: one line naming the file and what would be right,
exit code 2, and no output folder written. (The messages of every case are unit-tested in
tests/unit/model; this checks what a user sees.)"""
import json
import os
import shutil
import struct

from hft_e2e import REPO, check, describe, run_hft
from training_runs import scratch_dir

MINILM = os.path.join(REPO, "models", "all-MiniLM-L6-v2")


def broken_folders(tmp):
    """name -> (folder, words the error line must hold)."""
    cases = {}
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    cases["no config.json"] = (empty, ["config.json"])
    no_weights = os.path.join(tmp, "no-weights")
    os.makedirs(no_weights)
    shutil.copy(os.path.join(MINILM, "config.json"), no_weights)
    cases["no weights"] = (no_weights, ["model.safetensors", "pytorch_model.bin"])
    unknown = os.path.join(tmp, "unknown-type")
    os.makedirs(unknown)
    config = json.load(open(os.path.join(MINILM, "config.json")))
    config["model_type"] = "not_a_model"
    json.dump(config, open(os.path.join(unknown, "config.json"), "w"))
    cases["unsupported model_type"] = (unknown, ["not_a_model", "bert", "roberta", "distilbert"])
    short_header = os.path.join(tmp, "short-header")
    os.makedirs(short_header)
    shutil.copy(os.path.join(MINILM, "config.json"), short_header)
    with open(os.path.join(short_header, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", 10_000) + b'{"a": 1}')  # the header claims more bytes than the file has
    cases["safetensors header longer than the file"] = (short_header, ["model.safetensors"])
    return cases


def main():
    with scratch_dir() as tmp:
        for name, (folder, words) in broken_folders(tmp).items():
            out = os.path.join(tmp, "out-" + os.path.basename(folder))
            done = run_hft("train", "configs/quickstart.yaml", f"model_name_or_path={folder}",
                           f"tokenizer_name={MINILM}", f"output_dir={out}", "max_train_samples=8", "max_steps=1")
            check(done.returncode == 2, f"{name}: " + describe(done))
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            check(len(lines) == 1, f"{name}: expected one line:\n{done.stderr}")
            check(all(w in lines[0] for w in words), f"{name}: {lines[0]!r} should name {words}")
            check(not os.path.exists(out), f"{name}: {out} was written")
            print(f"{name}: {lines[0]}")


if __name__ == "__main__":
    main()
