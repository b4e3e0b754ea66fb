"""hft train and the transformers Trainer make the same token-classification run (`task:
token-classification`; the Trainer side is tests/oracle/trainer_reference.py with run_ner.py's data
path, token_classification_reference.py): a tiny random BERT or DistilBERT backbone whose
token-classification head is new (drawn from the seed), dropout 0.1, shuffled batches, evaluation
during training, on 96 WNUT-17 training sentences and 48 dev sentences, truncated at 32 tokens.
Every logged loss and eval_loss within 1e-5, every evaluation's seqeval metrics (run_ner.py's
names) equal, every final parameter within 1e-5 of the Trainer's.

What this adds to test_same_run_as_trainer.py: the CoNLL reader, run_ner.py's label list (the
sorted tags of the training file), its alignment of word tags to pieces (-100 on special tokens and,
unless label_all_tokens, on the pieces after a word's first; B- turned into I- when they are
labelled), DataCollatorForTokenClassification's -100 padding of labels, the loss over labelled
pieces only, and seqeval's metrics."""
import json
import os
import subprocess

import yaml

from hft_e2e import PYTHON, REPO, check, describe, run_hft
from test_same_run_as_trainer import TRAINER, logged
from training_runs import final_parameters, scratch_dir, tiny_model

WNUT_TRAIN = os.path.join(REPO, "data", "wnut17", "wnut17train.conll")
WNUT_DEV = os.path.join(REPO, "data", "wnut17", "emerging.dev.conll")
# Wall-clock figures, which no two runs share (hft also logs throughput_* with each evaluation).
TIMING_KEYS = {"eval_runtime", "eval_samples_per_second", "eval_steps_per_second"}
# eval_samples: what run_ner.py adds to eval_results.json after trainer.evaluate(); not a metric.
EXAMPLE_KEYS = {"eval_samples"}
# name -> (architecture, recipe keys). At learning_rate 1e-3 the tiny model soon tags every word O
# (f1 0, a division by zero in seqeval); at 2e-4 it still tags entities, some right, at both
# evaluations, and the case with evaluations every 2 steps sees both.
CASES = {
    "BERT, first piece of each word labelled, evaluation each epoch": (
        "bert", dict(label_all_tokens=False, num_train_epochs=2, gradient_accumulation_steps=1, eval_strategy="epoch",
                     logging_steps=1, learning_rate=2e-4)),
    "BERT, every piece labelled, gradient accumulation, evaluation mid-epoch": (
        "bert", dict(label_all_tokens=True, num_train_epochs=2, gradient_accumulation_steps=2, eval_strategy="steps",
                     eval_steps=2, logging_steps=2, learning_rate=1e-3)),
    # The per-type metrics too (eval_person_f1, ..., eval_overall_f1), under run_ner.py's names.
    "DistilBERT, every piece labelled, entity-level metrics": (
        "distilbert", dict(label_all_tokens=True, return_entity_level_metrics=True, num_train_epochs=2,
                           gradient_accumulation_steps=1, eval_strategy="epoch", logging_steps=2, learning_rate=2e-4)),
}


def write_recipe(path, keys):
    with open(path, "w") as f:
        yaml.safe_dump(keys, f, sort_keys=False)
    return path


def ner_recipe(path, model_dir, **keys):
    """A recipe training `model_dir` on 96 WNUT-17 sentences (12 batches of 8 an epoch), evaluated on
    48 dev sentences; 32 tokens at most, so that long tweets are truncated."""
    recipe = dict(task="token-classification", model_name_or_path=model_dir, train_file=WNUT_TRAIN,
                  validation_file=WNUT_DEV, max_train_samples=96, max_eval_samples=48, max_seq_length=32,
                  per_device_train_batch_size=8, per_device_eval_batch_size=8, warmup_steps=5,
                  weight_decay=0.01, seed=7, save_strategy="no", report_to="none", use_cpu=True)
    return write_recipe(path, dict(recipe, **keys))


def run_both(name, recipe, ours, theirs):
    """hft train and the Trainer on the same recipe, into `ours` and `theirs`."""
    done = run_hft("train", recipe, f"output_dir={ours}", timeout=300)
    check(done.returncode == 0, f"{name}: {describe(done)}")
    done = subprocess.run([PYTHON, TRAINER, recipe, f"output_dir={theirs}"], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    check(done.returncode == 0, f"{name}: the Trainer failed:\n{done.stderr[-3000:]}")


def compared(key):
    return key not in TIMING_KEYS and key not in EXAMPLE_KEYS and not key.startswith("throughput_")


def evaluations(folder):
    """Every evaluation's metrics (log history entries with eval_loss, then eval_results.json),
    without the wall-clock figures and eval_samples."""
    with open(os.path.join(folder, "trainer_state.json")) as f:
        entries = [entry for entry in json.load(f)["log_history"] if "eval_loss" in entry]
    with open(os.path.join(folder, "eval_results.json")) as f:
        entries.append(json.load(f))
    return [{k: v for k, v in entry.items() if compared(k)} for entry in entries]


def close(key, value, reference):
    """Losses within 1e-5 (float32 sums in another order); metrics (ratios of counts, computed as
    seqeval computes them) and counts equal."""
    return abs(value - reference) <= 1e-5 if key.endswith("loss") else value == reference


def compare_metrics(name, ours, theirs):
    hft_evaluations, trainer_evaluations = evaluations(ours), evaluations(theirs)
    check(len(hft_evaluations) == len(trainer_evaluations),
          f"{name}: hft evaluated {len(hft_evaluations)} times, the Trainer {len(trainer_evaluations)}")
    for hft_metrics, trainer_metrics in zip(hft_evaluations, trainer_evaluations):
        check(set(hft_metrics) == set(trainer_metrics),
              f"{name}: metric names differ: hft {sorted(hft_metrics)}, Trainer {sorted(trainer_metrics)}")
        for key, reference in trainer_metrics.items():
            check(close(key, hft_metrics[key], reference),
                  f"{name}: step {trainer_metrics.get('step')} {key}: hft {hft_metrics[key]}, Trainer {reference}")
    return trainer_evaluations[-1]


def compare_runs(name, ours, theirs):
    """Losses, metrics and final parameters of the two runs; returns (losses compared, worst
    parameter difference, the Trainer's final metrics)."""
    hft_log, trainer_log = logged(ours), logged(theirs)
    check([e[:2] for e in hft_log] == [e[:2] for e in trainer_log],
          f"{name}: hft logged {[e[:2] for e in hft_log]}, the Trainer {[e[:2] for e in trainer_log]}")
    for (step, key, value), (_, _, reference) in zip(hft_log, trainer_log):
        check(abs(value - reference) <= 1e-5, f"{name}: step {step} {key}: hft {value}, Trainer {reference}")
    final = compare_metrics(name, ours, theirs)
    hft_parameters, trainer_parameters = final_parameters(ours), final_parameters(theirs)
    check(set(hft_parameters) == set(trainer_parameters),
          f"{name}: parameters differ: {sorted(set(hft_parameters) ^ set(trainer_parameters))}")
    worst = max((hft_parameters[k] - trainer_parameters[k]).abs().max().item() for k in hft_parameters)
    check(worst <= 1e-5, f"{name}: final parameters differ from the Trainer's by up to {worst}")
    return len(hft_log), worst, final


def write_cases(tmp):
    """(name, recipe) of each case, the models made into tmp."""
    models = {architecture: tiny_model(os.path.join(tmp, architecture), dropout=0.1, headless=True,
                                       architecture=architecture) for architecture in ("bert", "distilbert")}
    return [(name, ner_recipe(os.path.join(tmp, f"recipe{number}.yaml"), models[architecture], **keys))
            for number, (name, (architecture, keys)) in enumerate(CASES.items())]


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def data_parallel_evaluation(tmp, model_dir):
    """Two Gloo processes evaluate half the dev sentences each and sum seqeval's counts: their
    metrics are one process's. One sentence a batch, so that eval_loss (the Trainer's mean of batch
    losses) does not depend on how the sentences are shared out. The two-process side is a
    training run at learning rate 0 that evaluates after its one step, on the trained model."""
    recipe = ner_recipe(os.path.join(tmp, "parallel.yaml"), model_dir, per_device_eval_batch_size=1,
                        return_entity_level_metrics=True, label_all_tokens=True, learning_rate=0.0, max_steps=1,
                        warmup_steps=0, eval_strategy="steps", eval_steps=1)
    single, parallel = os.path.join(tmp, "single"), os.path.join(tmp, "parallel")
    done = run_hft("evaluate", recipe, f"output_dir={single}", timeout=300)
    check(done.returncode == 0, describe(done))
    done = run_hft("train", recipe, "--nproc-per-node", "2", "--master-port", str(free_port()), f"output_dir={parallel}",
                   timeout=600)
    check(done.returncode == 0, describe(done))
    one, two = (json.load(open(os.path.join(folder, "eval_results.json"))) for folder in (single, parallel))
    names = sorted(k for k in one if compared(k))
    check(names == sorted(k for k in two if compared(k) and k != "epoch"), f"metric names: {sorted(one)} vs {sorted(two)}")
    for key in names:
        check(abs(one[key] - two[key]) <= 1e-6, f"data parallel {key}: 2 processes {two[key]}, 1 process {one[key]}")
    print(f"data-parallel evaluation: {len(names)} metrics equal to one process's (eval_overall_f1 {one['eval_overall_f1']})")


def resume_from_checkpoint(tmp, model_dir):
    """A run resumed from its step-3 checkpoint (optimizer moments, schedule, generators, the
    batch order) logs the uninterrupted run's losses after step 3 and ends with its parameters."""
    recipe = ner_recipe(os.path.join(tmp, "resume.yaml"), model_dir, max_steps=6, logging_steps=1,
                        save_strategy="steps", save_steps=3, eval_strategy="no", learning_rate=2e-4)
    whole, resumed = os.path.join(tmp, "whole"), os.path.join(tmp, "resumed")
    done = run_hft("train", recipe, f"output_dir={whole}", timeout=300)
    check(done.returncode == 0, describe(done))
    done = run_hft("train", recipe, f"output_dir={resumed}",
                   f"resume_from_checkpoint={os.path.join(whole, 'checkpoint-3')}", timeout=300)
    check(done.returncode == 0, describe(done))
    after = [entry for entry in logged(whole) if entry[0] > 3]
    check(logged(resumed)[-len(after):] == after, f"resumed {logged(resumed)}, uninterrupted {logged(whole)}")
    a, b = final_parameters(whole), final_parameters(resumed)
    worst = max((a[k] - b[k]).abs().max().item() for k in a)
    check(worst == 0, f"resumed parameters differ by up to {worst}")
    print(f"resume from checkpoint-3: {len(after)} later losses and every parameter identical")


def main():
    with scratch_dir() as tmp:
        for number, (name, recipe) in enumerate(write_cases(tmp)):
            ours, theirs = os.path.join(tmp, f"hft{number}"), os.path.join(tmp, f"trainer{number}")
            run_both(name, recipe, ours, theirs)
            entries, worst, final = compare_runs(name, ours, theirs)
            f1 = final.get("eval_f1", final.get("eval_overall_f1"))
            print(f"{name}: {entries} logged losses equal within 1e-5, eval f1 {f1} equal, "
                  f"final parameters within {worst:.1e}")
        data_parallel_evaluation(tmp, os.path.join(tmp, f"hft{len(CASES) - 1}"))  # a model that finds some entities
        resume_from_checkpoint(tmp, os.path.join(tmp, "bert"))


if __name__ == "__main__":
    main()
