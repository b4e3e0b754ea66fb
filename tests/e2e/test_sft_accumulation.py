"""The loss of a text-generation step is the mean over every label token of the step, however the
step's rows are split (the Trainer's num_items_in_batch, TRL's SFTTrainer): 64 rows of unequal
length (a tiny random Llama, tests/fixtures/sft text rows), two optimizer steps of 32 rows, taken as

  - one batch of 32,
  - 4 micro-batches of 8 (gradient accumulation),
  - 2 Gloo processes of 2 micro-batches of 8 each,
  - 2 Gloo processes of 16,

log the same loss and gradient norm at every step (within 1e-6, relative) and end with the same
parameters (within 1e-6). A mean of the micro-batches' own means would not: their token counts differ
(rows of 13 to 62 tokens), and the gradient norm shows it before AdamW's step hides the scale.

With --lora the same runs train LoRA adapters (all-linear, rank 4): the processes average the
adapters' gradients only, and the adapter files they save agree as the parameters do."""
import json
import os
import sys

from hft_e2e import REPO, check, describe, run_hft, run_oracle
from test_dist_train import free_port, parameters
from test_token_classification_trainer import write_recipe
from training_runs import scratch_dir

SFT_DATA = os.path.join(REPO, "tests", "fixtures", "sft")
# (per-device batch, accumulation, processes)
SPLITS = {"one batch of 32": (32, 1, 1), "4 micro-batches of 8": (8, 4, 1),
          "2 processes, 2 micro-batches of 8 each": (8, 2, 2), "2 processes of 16": (16, 1, 2)}


def sixty_four_rows(tmp):
    path = os.path.join(tmp, "rows.jsonl")
    with open(path, "w") as out:
        for name in ("text.jsonl", "text_dev.jsonl"):
            out.write(open(os.path.join(SFT_DATA, name)).read())
    return path


LORA = dict(use_peft=True, lora_r=4, lora_alpha=8, lora_dropout=0.0, lora_target_modules=["all-linear"])


def train(model, data, out, batch, accumulation, processes, extra):
    recipe = write_recipe(out + ".yaml", dict(
        task="text-generation", model_name_or_path=model, train_file=data, max_length=64,
        per_device_train_batch_size=batch, gradient_accumulation_steps=accumulation, num_train_epochs=1,
        learning_rate=1e-3, warmup_steps=0, logging_steps=1, save_strategy="no", seed=7, report_to="none",
        use_cpu=True, output_dir=out, **extra))
    launch = ["--nproc-per-node", str(processes), "--master-port", str(free_port())] if processes > 1 else []
    done = run_hft("train", recipe, *launch, timeout=600)
    check(done.returncode == 0, describe(done))


def history(folder):
    state = json.load(open(os.path.join(folder, "trainer_state.json")))
    return [(e["step"], e["loss"], e["grad_norm"]) for e in state["log_history"] if "loss" in e]


def saved(folder, lora):
    """What the run saved: every parameter, or with LoRA the adapters (and nothing else)."""
    if not lora:
        return parameters(folder)
    from safetensors.numpy import load_file
    check(not os.path.exists(os.path.join(folder, "model.safetensors")), f"{folder}: a full model beside the adapters")
    return load_file(os.path.join(folder, "adapter_model.safetensors"))


def main(lora):
    with scratch_dir() as tmp:
        model = os.path.join(tmp, "llama")
        run_oracle("sft_fixtures.py", "model", model, "llama", "0")
        data = sixty_four_rows(tmp)
        runs = {}
        for name, (batch, accumulation, processes) in SPLITS.items():
            runs[name] = os.path.join(tmp, name.replace(" ", "_").replace(",", ""))
            train(model, data, runs[name], batch, accumulation, processes, LORA if lora else {})
        reference = next(iter(runs))
        expected = history(runs[reference])
        check(len(expected) == 2, f"{reference}: logged {expected}; expected 2 steps")
        for name, folder in runs.items():
            got = history(folder)
            check([s for s, _, _ in got] == [s for s, _, _ in expected], f"{name}: steps {got} vs {expected}")
            for (step, loss, norm), (_, loss0, norm0) in zip(got, expected):
                check(abs(loss - loss0) <= 1e-6 * abs(loss0), f"{name}: step {step} loss {loss} vs {loss0}")
                check(abs(norm - norm0) <= 1e-6 * abs(norm0), f"{name}: step {step} grad_norm {norm} vs {norm0}")
            a, b = saved(folder, lora), saved(runs[reference], lora)
            check(a.keys() == b.keys(), f"{name}: saved other tensors than {reference}")
            worst = max(float(abs(a[k].astype("float64") - b[k].astype("float64")).max()) for k in a)
            check(worst <= 1e-6, f"{name}: parameters differ from one batch of 32 by {worst}")
            print(f"{name}: losses {[round(l, 6) for _, l, _ in got]}, grad norms {[round(n, 6) for _, _, n in got]}, "
                  f"parameters within {worst:.1e} of one batch of 32")


if __name__ == "__main__":
    main(lora="--lora" in sys.argv[1:])
