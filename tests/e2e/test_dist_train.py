"""Data-parallel training over Gloo, two CPU processes started by `hft train --nproc-per-node 2`,
against one process with the same global batch on the same data order:
  - per-device batch 4 on 2 ranks vs batch 8 on 1: parameters equal within 1e-6 after K steps,
    the logged (rank-averaged) losses equal, evaluation metrics equal (37 dev rows: uneven shards);
  - the same with gradient_accumulation_steps 2;
  - per-rank generator states: with dropout 0.1 and batches padded per rank (so the ranks draw
    different amounts of random numbers), a 2-process run resumed from its step-2 checkpoint
    ends with exactly the parameters of the uninterrupted run (each rank's dropout masks repeat;
    and training after the step-2 evaluation runs with dropout again, as after a resume);
  - ddp_backend and ddp_timeout reach the process group: nccl on a CPU run is refused before
    anything runs, and a rank whose peer never joins gives up after ddp_timeout seconds.
The model is a small random BERT that transformers makes here, with dropout 0 (the
all-MiniLM-L6-v2 tokenizer); every batch is padded to max_seq_length, so the per-rank batches
compute exactly the rows of the single process's batch."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

from hft_e2e import HFT, REPO, check, describe, run_hft

STEPS = 4


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_model(folder, dropout=0.0):
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=64, hidden_dropout_prob=dropout,
                        attention_probs_dropout_prob=dropout, num_labels=2)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
    for name in ["tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"]:
        shutil.copy(os.path.join(tokenizer, name), folder)


def recipe_overrides(model, out, batch, accumulation):
    return [f"model_name_or_path={model}", f"output_dir={out}", "max_train_samples=96", "max_eval_samples=37",
            "max_seq_length=32", "pad_to_max_length=true", f"per_device_train_batch_size={batch}",
            "per_device_eval_batch_size=5", f"gradient_accumulation_steps={accumulation}", f"max_steps={STEPS}",
            "learning_rate=1e-3", "warmup_steps=0", "logging_steps=1", "eval_strategy=steps", "eval_steps=2",
            "save_strategy=no", "ddp_bucket_cap_mb=1"]


def train(model, out, batch, accumulation, processes):
    launch = ["--nproc-per-node", str(processes), "--master-port", str(free_port())] if processes > 1 else []
    done = run_hft("train", "configs/quickstart.yaml", *launch, *recipe_overrides(model, out, batch, accumulation),
                   timeout=900)
    check(done.returncode == 0, describe(done))
    return done


def parameters(folder):
    from safetensors.numpy import load_file
    return load_file(os.path.join(folder, "model.safetensors"))


def compare(single, parallel, what):
    a, b = parameters(single), parameters(parallel)
    check(a.keys() == b.keys(), f"{what}: different tensors saved")
    worst = max(float(abs(a[k].astype("float64") - b[k].astype("float64")).max()) for k in a)
    check(worst <= 1e-6, f"{what}: parameters differ by {worst} (> 1e-6)")
    moved = max(float(abs(a[k].astype("float64") - parameters(os.path.join(single, "..", "model"))[k]).max())
                for k in a)
    check(moved > 1e-4, f"{what}: training did not move the parameters ({moved})")

    def history(folder, key):
        state = json.load(open(os.path.join(folder, "trainer_state.json")))
        return [e[key] for e in state["log_history"] if key in e]

    for key in ["loss", "eval_loss", "eval_accuracy"]:
        ours, theirs = history(parallel, key), history(single, key)
        check(len(ours) == len(theirs) > 0, f"{what}: {key} logged {len(ours)} vs {len(theirs)} times")
        diff = max(abs(x - y) for x, y in zip(ours, theirs))
        check(diff <= 1e-6, f"{what}: {key} {ours} vs single process {theirs}")
    eval_single = json.load(open(os.path.join(single, "eval_results.json")))
    eval_parallel = json.load(open(os.path.join(parallel, "eval_results.json")))
    check(eval_single["eval_accuracy"] == eval_parallel["eval_accuracy"],
          f"{what}: eval_accuracy {eval_parallel['eval_accuracy']} vs {eval_single['eval_accuracy']}")
    check(abs(eval_single["eval_loss"] - eval_parallel["eval_loss"]) <= 1e-6, f"{what}: eval_loss differs")
    print(f"{what}: parameters within {worst:.2e}; losses, eval_loss and eval_accuracy equal")


def resume_with_dropout(tmp):
    model = os.path.join(tmp, "model_dropout")
    make_model(model, dropout=0.1)
    whole, resumed = os.path.join(tmp, "dropout_whole"), os.path.join(tmp, "dropout_resumed")
    changed = {"pad_to_max_length": "false", "save_strategy": "steps", "save_steps": "2"}
    overrides = [o for o in recipe_overrides(model, "OUT", 4, 1) if o.split("=")[0] not in changed]
    overrides += [f"{key}={value}" for key, value in changed.items()]
    for out, extra in [(whole, []), (resumed, [f"resume_from_checkpoint={os.path.join(whole, 'checkpoint-2')}"])]:
        done = run_hft("train", "configs/quickstart.yaml", "--nproc-per-node", "2", "--master-port", str(free_port()),
                       *[o.replace("=OUT", "=" + out) for o in overrides], *extra, timeout=900)
        check(done.returncode == 0, describe(done))
    a, b = parameters(whole), parameters(resumed)
    worst = max(float(abs(a[k].astype("float64") - b[k].astype("float64")).max()) for k in a)
    check(worst == 0.0, f"dropout 0.1, 2 processes: the run resumed at step 2 ends {worst} away from the whole run")
    print("dropout 0.1, 2 processes: resumed at step 2, parameters equal to the uninterrupted run's")


def check_ddp_settings(tmp, model):
    done = run_hft("validate", "configs/quickstart.yaml", "ddp_backend=nccl", "use_cpu=true")
    lines = done.stderr.strip().splitlines()
    check(done.returncode == 2 and len(lines) == 1 and "ddp_backend" in lines[0] and "gloo" in lines[0],
          f"ddp_backend=nccl on a CPU run: expected one line naming the key and gloo\n{describe(done)}")
    print(f"ddp_backend=nccl on the CPU: {lines[0]}")
    # Rank 0 of a world of 2 whose rank 1 never starts: the rendezvous waits ddp_timeout seconds.
    out = os.path.join(tmp, "alone")
    env = dict(os.environ, RANK="0", WORLD_SIZE="2", LOCAL_RANK="0", LOCAL_WORLD_SIZE="2", MASTER_ADDR="127.0.0.1",
               MASTER_PORT=str(free_port()))
    start = time.monotonic()
    done = subprocess.run([HFT, "train", "configs/quickstart.yaml", *recipe_overrides(model, out, 4, 1), "ddp_timeout=5"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    waited = time.monotonic() - start
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    check(done.returncode == 1 and len(errors) == 1 and "ddp_timeout (5 s)" in errors[0],
          f"a rank alone: expected one line naming ddp_timeout\n{describe(done)}")
    check(5 <= waited < 120, f"a rank alone gave up after {waited:.0f} s with ddp_timeout=5")
    print(f"a rank alone, ddp_timeout=5: gave up after {waited:.0f} s: {errors[0]}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model")
        make_model(model)
        check_ddp_settings(tmp, model)
        for accumulation in [1, 2]:
            single = os.path.join(tmp, f"single_ga{accumulation}")
            parallel = os.path.join(tmp, f"parallel_ga{accumulation}")
            train(model, single, 8, accumulation, 1)
            done = train(model, parallel, 4, accumulation, 2)
            check("[rank 1]" in done.stdout + done.stderr, "the launcher prefixes rank 1's output")
            compare(single, parallel, f"2 processes x batch 4 vs 1 x batch 8, gradient_accumulation_steps {accumulation}")
        resume_with_dropout(tmp)


if __name__ == "__main__":
    main()
