"""hft train and the transformers Trainer (tests/oracle/trainer_reference.py: the recipe mapped to
TrainingArguments, the text-classification example's data path) on the same recipe make the same
run, not just a similar one: a pretrained backbone (BERT, DistilBERT, ModernBERT) whose head is
new (drawn from the seed), dropout 0.1, shuffled batches, evaluation during training. Every logged loss and eval_loss within
1e-5, eval accuracy equal, every final parameter within 1e-5 of the Trainer's.

What makes them the same: the head's weights are the first numbers drawn after the seed, the
batch order is DistributedSampler's, and torch's DataLoader draws one number from the default
generator each time an iterator is made (each epoch, each evaluation), which moves every later
dropout mask; hft draws it at the same moments."""
import json
import os
import subprocess

from hft_e2e import PYTHON, REPO, check, describe, run_hft
from training_runs import final_parameters, scratch_dir, tiny_model, write_recipe

TRAINER = os.path.join(REPO, "tests", "oracle", "trainer_reference.py")
SST2_DEV = os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv")
# name -> (architecture, recipe keys)
CASES = {
    "two epochs, evaluation each epoch": ("bert", dict(num_train_epochs=2, gradient_accumulation_steps=1,
                                                       eval_strategy="epoch")),
    "gradient accumulation, evaluation mid-epoch": ("bert", dict(num_train_epochs=2, gradient_accumulation_steps=2,
                                                                 eval_strategy="steps", eval_steps=5)),
    "DistilBERT, two epochs": ("distilbert", dict(num_train_epochs=2, gradient_accumulation_steps=1,
                                                   eval_strategy="epoch")),
    "ModernBERT, two epochs": ("modernbert", dict(num_train_epochs=2, gradient_accumulation_steps=1,
                                                   eval_strategy="epoch")),
    # Keys that change the run, each against the Trainer given the same key: activation checkpointing
    # recomputes under the same dropout masks; the first step logged; other AdamW betas and epsilon;
    # no evaluation before step 5; losses logged once an epoch; batches collated by two workers.
    "activation checkpointing, logging_first_step, AdamW betas and epsilon, eval_delay": (
        "bert", dict(num_train_epochs=1, gradient_accumulation_steps=1, activation_checkpointing=True,
                     logging_first_step=True, adam_beta1=0.8, adam_beta2=0.99, adam_epsilon=1e-3,
                     eval_strategy="steps", eval_steps=4, eval_delay=5)),
    "DistilBERT, activation checkpointing, logging each epoch, two dataloader workers": (
        "distilbert", dict(num_train_epochs=2, gradient_accumulation_steps=1, activation_checkpointing=True,
                           logging_strategy="epoch", dataloader_num_workers=2, eval_strategy="epoch")),
}


def logged(folder):
    """(step, key, value) of every loss and eval_loss in trainer_state.json's log history."""
    with open(os.path.join(folder, "trainer_state.json")) as f:
        history = json.load(f)["log_history"]
    return [(entry["step"], key, entry[key]) for entry in history for key in ("loss", "eval_loss") if key in entry]


def eval_accuracy(folder):
    with open(os.path.join(folder, "eval_results.json")) as f:
        return json.load(f)["eval_accuracy"]


def compare(name, ours, theirs, free_parameters=()):
    """`free_parameters`: names whose gradient is zero in exact arithmetic, so that AdamW scales
    float rounding noise to steps of the learning rate's size, differently on each side."""
    hft_log, trainer_log = logged(ours), logged(theirs)
    check([entry[:2] for entry in hft_log] == [entry[:2] for entry in trainer_log],
          f"{name}: hft logged {[e[:2] for e in hft_log]}, the Trainer {[e[:2] for e in trainer_log]}")
    for (step, key, value), (_, _, reference) in zip(hft_log, trainer_log):
        check(abs(value - reference) <= 1e-5, f"{name}: step {step} {key}: hft {value}, Trainer {reference}")
    check(eval_accuracy(ours) == eval_accuracy(theirs),
          f"{name}: eval_accuracy hft {eval_accuracy(ours)}, Trainer {eval_accuracy(theirs)}")
    hft_parameters, trainer_parameters = final_parameters(ours), final_parameters(theirs)
    check(set(hft_parameters) == set(trainer_parameters),
          f"{name}: parameters differ: {sorted(set(hft_parameters) ^ set(trainer_parameters))}")
    worst = max((hft_parameters[k] - trainer_parameters[k]).abs().max().item() for k in hft_parameters
                if k not in free_parameters)
    check(worst <= 1e-5, f"{name}: final parameters differ from the Trainer's by up to {worst}")
    return len(hft_log), worst


def main():
    with scratch_dir() as tmp:
        models = {architecture: tiny_model(os.path.join(tmp, architecture), dropout=0.1, headless=True,
                                           architecture=architecture) for architecture in ("bert", "distilbert", "modernbert")}
        for number, (name, (architecture, keys)) in enumerate(CASES.items()):
            model = models[architecture]
            recipe = write_recipe(os.path.join(tmp, f"recipe{number}.yaml"), model, "unused", validation_file=SST2_DEV,
                                  max_eval_samples=64, save_strategy="no", logging_steps=2, report_to="none",
                                  use_cpu="true", **keys)
            ours, theirs = os.path.join(tmp, f"hft{number}"), os.path.join(tmp, f"trainer{number}")
            done = run_hft("train", recipe, f"output_dir={ours}", timeout=300)
            check(done.returncode == 0, f"{name}: {describe(done)}")
            done = subprocess.run([PYTHON, TRAINER, recipe, f"output_dir={theirs}"], cwd=REPO, capture_output=True,
                                  text=True, timeout=600)
            check(done.returncode == 0, f"{name}: the Trainer failed:\n{done.stderr[-3000:]}")
            entries, worst = compare(name, ours, theirs)
            print(f"{name}: {entries} logged losses equal within 1e-5, final parameters within {worst:.1e}")


if __name__ == "__main__":
    main()
