#!/usr/bin/env python3
"""The Python side of scripts/gpu_check.sh: an hft recipe run by the transformers Trainer on a
machine that has torch and transformers but not `datasets`, scipy or scikit-learn.

Usage: gpu_check_trainer.py RECIPE.yaml [key=value ...]

The recipe and its overrides are read and mapped to TrainingArguments by
tests/oracle/trainer_reference.py's own functions (the benchmark's reference); only its data
path differs: the csv module reads the tsv/csv file (gzip too) as load_dataset("csv",
quoting=QUOTE_NONE) does, the first max_train_samples rows are tokenized with truncation at
max_seq_length (what run_glue.py keeps after tokenizing the whole file), DataCollatorWithPadding
pads each batch (or pad_to_max_length pads every row), and accuracy is computed with numpy.
Single-label classification only. The weights are loaded in float32 whatever their file holds,
as hft trains them. Writes train_results.json, eval_results.json and trainer_state.json into
output_dir; the model itself is not saved (the check reads only the figures).
"""
import csv
import gzip
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "oracle"))
from trainer_reference import read_recipe, split_recipe, text_columns  # noqa: E402


def read_rows(path):
    """The rows of a tsv/csv file (gzip-compressed or not) as dicts, quoting off."""
    delimiter = "\t" if path.removesuffix(".gz").endswith(".tsv") else ","
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        return list(csv.DictReader(text, delimiter=delimiter, quoting=csv.QUOTE_NONE))


def label_sort_key(value):
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    model_args, data, _, training = split_recipe(read_recipe(sys.argv[1], sys.argv[2:]))
    for key in ("train_file", "validation_file"):
        if key not in data:
            sys.exit(f"gpu_check_trainer: {sys.argv[1]}: {key} missing; expected a recipe with train and validation files")

    import numpy as np
    import torch
    from transformers import (AutoConfig, AutoModelForSequenceClassification, AutoTokenizer,
                              DataCollatorWithPadding, Trainer, TrainingArguments, set_seed)

    training.setdefault("report_to", "none")
    args = TrainingArguments(**training)
    set_seed(args.seed)
    train_rows, eval_rows = read_rows(data["train_file"]), read_rows(data["validation_file"])
    label_column = data.get("label_column_name") or "label"
    labels = sorted({row[label_column] for row in train_rows}, key=label_sort_key)
    label_to_id = {v: i for i, v in enumerate(labels)}
    if data.get("max_train_samples") is not None:
        train_rows = train_rows[:data["max_train_samples"]]
    if data.get("max_eval_samples") is not None:
        eval_rows = eval_rows[:data["max_eval_samples"]]

    model_dir = model_args["model_name_or_path"]
    config = AutoConfig.from_pretrained(model_args.get("config_name") or model_dir, num_labels=len(labels),
                                        finetuning_task=data.get("task_name"),
                                        label2id=label_to_id, id2label={i: v for v, i in label_to_id.items()})
    tokenizer = AutoTokenizer.from_pretrained(model_args.get("tokenizer_name") or model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, config=config, dtype=torch.float32)
    first, second = text_columns(data, list(train_rows[0]), label_column)
    max_length = min(data.get("max_seq_length", 128), tokenizer.model_max_length)
    padding = "max_length" if data.get("pad_to_max_length") else False

    def encode(rows):
        texts = ([r[first] for r in rows],) if second is None else ([r[first] for r in rows], [r[second] for r in rows])
        out = tokenizer(*texts, padding=padding, max_length=max_length, truncation=True)
        return [dict({k: out[k][i] for k in out}, labels=label_to_id[r[label_column]]) for i, r in enumerate(rows)]

    def accuracy(prediction):
        return {"accuracy": float((np.argmax(prediction.predictions, axis=1) == prediction.label_ids).mean())}

    train, validation = encode(train_rows), encode(eval_rows)
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=validation,
                      compute_metrics=accuracy, processing_class=tokenizer,
                      data_collator=None if padding else DataCollatorWithPadding(tokenizer))
    result = trainer.train()
    trainer.save_metrics("train", dict(result.metrics, train_samples=len(train)))
    trainer.save_state()
    if args.do_eval:
        trainer.save_metrics("eval", dict(trainer.evaluate(), eval_samples=len(validation)))


if __name__ == "__main__":
    main()
