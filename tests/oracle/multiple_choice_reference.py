#!/usr/bin/env python3
"""The reference of hft's multiple choice: what transformers' run_swag.py does with local files.

Usage: multiple_choice_reference.py encode TOKENIZER_DIR DATA_FILE MAX_LENGTH ['{"question_column_name": "", ...}']
Prints {"rows": [{"input_ids": [[...] per ending], "token_type_ids": ..., "attention_mask": ...,
"label": k}, ...]}: DATA_FILE encoded as run_swag.py encodes it. MAX_LENGTH 0: run_swag.py's
default (the tokenizer's model_max_length, at most 1024). The optional JSON names other columns
with the recipe's keys (below).

trainer_reference.py calls build() for `task: multiple-choice`.

The columns, by recipe key (run_swag.py's names as defaults): context_column_name (sent1),
paired with every ending; question_column_name (sent2), the stem written before each ending
(f"{stem} {ending}"; "" for none: the ending alone); ending_column_names (ending0..ending3);
label_column_name (label), the index of the right ending. Files: .csv/.tsv (header) and
.json/.jsonl (also .gz), read as data_tables.py reads them.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from data_tables import load as load_table  # noqa: E402

DEFAULT_COLUMNS = {"context_column_name": "sent1", "question_column_name": "sent2",
                   "ending_column_names": ["ending0", "ending1", "ending2", "ending3"], "label_column_name": "label"}


def choice_columns(data):
    """(context, question or "", [endings], label) from the recipe's keys, run_swag.py's by default."""
    keys = {key: data[key] if data.get(key) is not None else default for key, default in DEFAULT_COLUMNS.items()}
    endings = keys["ending_column_names"]
    endings = endings.split(",") if isinstance(endings, str) else list(endings)
    return keys["context_column_name"], keys["question_column_name"], endings, keys["label_column_name"]


def max_seq_length(requested, tokenizer):
    """run_swag.py: unset, the tokenizer's model_max_length but at most 1024; else at most that."""
    if requested is None:
        return min(tokenizer.model_max_length, 1024)
    return min(requested, tokenizer.model_max_length)


def encode_choices(tokenizer, rows, columns, max_length, padding):
    """run_swag.py's preprocess_function over a batch of rows (Dataset.map, batched): the context
    paired with each "stem ending", truncated together (longest_first), then regrouped as one list
    of N encodings per row; the label index as `label`."""
    context, question, endings, label = columns
    firsts, seconds = [], []
    for i, context_text in enumerate(rows[context]):
        firsts += [context_text] * len(endings)
        seconds += [f"{rows[question][i]} {rows[name][i]}" if question else f"{rows[name][i]}" for name in endings]
    encoded = tokenizer(firsts, seconds, truncation=True, max_length=max_length, padding=padding)
    n = len(endings)
    out = {key: [values[i:i + n] for i in range(0, len(values), n)] for key, values in encoded.items()}
    out["label"] = rows[label]
    return out


def accuracy(prediction):
    """run_swag.py's compute_metrics: the mean, in float32, of argmax == label."""
    import numpy as np

    predicted = np.argmax(prediction.predictions, axis=1)
    return {"accuracy": (predicted == prediction.label_ids).astype(np.float32).mean().item()}


def build(model_args, data, args):
    """run_swag.py's setup for the Trainer: AutoModelForMultipleChoice (its config as saved), the
    encoded splits, DataCollatorForMultipleChoice (default_data_collator when padded to
    max_length), and accuracy."""
    from transformers import (AutoConfig, AutoModelForMultipleChoice, AutoTokenizer, DataCollatorForMultipleChoice,
                              default_data_collator)

    model_dir = model_args["model_name_or_path"]
    config = AutoConfig.from_pretrained(model_args.get("config_name") or model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_args.get("tokenizer_name") or model_dir)
    model = AutoModelForMultipleChoice.from_pretrained(model_dir, config=config,
                                                      ignore_mismatched_sizes=bool(model_args.get("ignore_mismatched_sizes")))
    columns = choice_columns(data)
    max_length = max_seq_length(data.get("max_seq_length"), tokenizer)
    padding = "max_length" if data.get("pad_to_max_length") else False

    def encode(rows):
        return encode_choices(tokenizer, rows, columns, max_length, padding)

    collator = (default_data_collator if padding else
                DataCollatorForMultipleChoice(tokenizer, pad_to_multiple_of=8 if args.fp16 else None))
    return dict(model=model, tokenizer=tokenizer,
                train=load_table({"path": data["train_file"]}, None).map(encode, batched=True, desc="tokenizing"),
                validation=load_table({"path": data["validation_file"]}, None).map(encode, batched=True,
                                                                                     desc="tokenizing"),
                collator=collator, compute_metrics=accuracy)


def encode_file(tokenizer_dir, data_file, max_length, keys):
    """The `encode` command's JSON object."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    rows = load_table({"path": data_file}, None)[:]
    max_length = max_seq_length(max_length or None, tokenizer)
    encoded = encode_choices(tokenizer, rows, choice_columns(keys), max_length, False)
    names = [name for name in encoded if name != "label"]
    return {"rows": [dict({name: encoded[name][i] for name in names}, label=label)
                     for i, label in enumerate(encoded["label"])]}


def main():
    if len(sys.argv) not in (5, 6) or sys.argv[1] != "encode":
        sys.exit(__doc__)
    import datasets

    datasets.disable_progress_bars()
    keys = json.loads(sys.argv[5]) if len(sys.argv) == 6 else {}
    json.dump(encode_file(sys.argv[2], sys.argv[3], int(sys.argv[4]), keys), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
