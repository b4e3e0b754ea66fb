"""hft train and the transformers Trainer make the same multiple-choice run (`task: multiple-choice`;
the Trainer side is tests/oracle/trainer_reference.py with run_swag.py's data path,
multiple_choice_reference.py): a tiny random BERT or DistilBERT backbone whose choice head is new
(drawn from the seed), dropout 0.1, shuffled batches, evaluation during training. Every logged loss
and eval_loss within 1e-5, eval accuracy equal, every final parameter within 1e-5 of the Trainer's.

The data is made here from real sentences, in SWAG's layout: each SST-2 dev sentence of 6 words
or more is cut in half; sent1 (the context) is its first half, sent2 (the question stem) the first
word of the second half, and the four endings are the rest of its second half and the rest of the
second halves of the 3 sentences after it, the true one at a position drawn with
random.Random(0); label is that position. 64 rows train, the next 32 evaluate. With max_seq_length
32 the longer context + stem + ending pairs are truncated (longest_first)."""
import csv
import os
import random

from hft_e2e import REPO
from test_same_run_as_trainer import compare
from test_token_classification_trainer import run_both, write_recipe
from training_runs import scratch_dir, tiny_model

SST2_DEV = os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv")
TRAIN_ROWS, EVAL_ROWS = 64, 32
COLUMNS = ["sent1", "sent2", "ending0", "ending1", "ending2", "ending3", "label"]
# Cells that pandas (under load_dataset("csv")) reads as missing: no stem may be one.
MISSING_WORDS = {"na", "n/a", "nan", "-nan", "null", "none", "#na", "<na>"}
# The head's bias adds the same number to every choice's score, and a softmax over the choices
# does not change when all its inputs do: its gradient is zero, up to float rounding that AdamW
# divides by its own square root into steps of the learning rate's size (2e-4 apart after 16 steps
# here). The losses and every other parameter show the runs are the same.
FREE_PARAMETERS = {"classifier.bias"}
# name -> (architecture, recipe keys)
CASES = {
    "BERT, two epochs, evaluation each epoch": (
        "bert", dict(num_train_epochs=2, gradient_accumulation_steps=1, eval_strategy="epoch", logging_steps=1)),
    "BERT, gradient accumulation, evaluation mid-epoch": (
        "bert", dict(num_train_epochs=2, gradient_accumulation_steps=2, eval_strategy="steps", eval_steps=3,
                     logging_steps=2)),
    # question_column_name "": each ending is paired with the context alone, without the stem.
    "DistilBERT, no question stem": (
        "distilbert", dict(num_train_epochs=2, gradient_accumulation_steps=1, eval_strategy="epoch", logging_steps=2,
                           question_column_name="")),
}


def sentence_parts(count):
    """(first half, first word of the second half, rest of it) of the first `count` SST-2 dev
    sentences of 6 words or more."""
    parts = []
    with open(SST2_DEV, encoding="utf-8") as f:
        next(f)  # header: sentence, label
        for line in f:
            words = line.split("\t")[0].split()
            half = len(words) // 2
            if len(words) >= 6 and words[half].lower() not in MISSING_WORDS:
                parts.append((" ".join(words[:half]), words[half], " ".join(words[half + 1:])))
            if len(parts) == count:
                return parts
    raise AssertionError(f"{SST2_DEV} has fewer than {count} sentences of 6 words")


def choice_rows(parts):
    """One row per sentence: its true ending among those of the 3 sentences after it."""
    rng = random.Random(0)
    rows = []
    for i, (context, stem, ending) in enumerate(parts):
        others = [parts[(i + k) % len(parts)][2] for k in (1, 2, 3)]
        label = rng.randrange(4)
        rows.append([context, stem, *others[:label], ending, *others[label:], label])
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def choice_recipe(path, model_dir, train_file, validation_file, **keys):
    """A recipe training `model_dir` on the 64 made-up rows (8 batches of 8 rows of 4 choices an
    epoch), evaluated on 32. learning_rate 5e-3: a random backbone's [CLS] hardly sees the endings,
    so the four scores of a row differ by 1e-4 or less; five times the usual rate widens the
    closest pair's gap (argmax, the accuracy) to about 1e-6, far above float32 rounding, and moves
    the losses away from ln 4 by 1e-3, a hundred times the tolerance."""
    recipe = dict(task="multiple-choice", model_name_or_path=model_dir, train_file=train_file,
                  validation_file=validation_file, max_seq_length=32, per_device_train_batch_size=8,
                  per_device_eval_batch_size=8, learning_rate=5e-3, warmup_steps=3, weight_decay=0.01, seed=7,
                  save_strategy="no", report_to="none", use_cpu=True)
    return write_recipe(path, dict(recipe, **keys))


def write_cases(tmp):
    """(name, recipe) of each case, the data and the models made into tmp."""
    rows = choice_rows(sentence_parts(TRAIN_ROWS + EVAL_ROWS))
    train = write_csv(os.path.join(tmp, "choices_train.csv"), rows[:TRAIN_ROWS])
    validation = write_csv(os.path.join(tmp, "choices_dev.csv"), rows[TRAIN_ROWS:])
    models = {architecture: tiny_model(os.path.join(tmp, architecture), dropout=0.1, headless=True,
                                       architecture=architecture) for architecture in ("bert", "distilbert")}
    return [(name, choice_recipe(os.path.join(tmp, f"recipe{number}.yaml"), models[architecture], train, validation,
                                 **keys))
            for number, (name, (architecture, keys)) in enumerate(CASES.items())]


def main():
    with scratch_dir() as tmp:
        for number, (name, recipe) in enumerate(write_cases(tmp)):
            ours, theirs = os.path.join(tmp, f"hft{number}"), os.path.join(tmp, f"trainer{number}")
            run_both(name, recipe, ours, theirs)
            entries, worst = compare(name, ours, theirs, free_parameters=FREE_PARAMETERS)
            print(f"{name}: {entries} logged losses equal within 1e-5, final parameters within {worst:.1e}")


if __name__ == "__main__":
    main()
