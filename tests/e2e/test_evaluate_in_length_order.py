"""hft evaluate and hft predict over many small batches (where hft regroups the rows by length to
cut padding) against the transformers Trainer's own evaluate() and predict() in file order:
eval_loss within 1e-5, eval_accuracy equal, and every row's probabilities in input order."""
import csv
import json
import os
import tempfile

from hft_e2e import REPO, check, describe, run_hft

SST2 = os.path.join(REPO, "data", "glue", "SST-2")
ROWS, BATCH, MAX_LENGTH = 120, 8, 64


def trainer_reference(model_dir, rows, scratch):
    """The Trainer's evaluate() metrics and predict() probabilities of `rows`, batches of BATCH in order."""
    import numpy as np
    import torch
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding, Trainer,
                              TrainingArguments)

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    label_of = {v: int(k) for k, v in model.config.id2label.items()}
    encoded = [dict(tokenizer(r["sentence"], truncation=True, max_length=MAX_LENGTH), labels=label_of[r["label"]])
               for r in rows]
    args = TrainingArguments(output_dir=scratch, per_device_eval_batch_size=BATCH, report_to="none", use_cpu=True,
                             disable_tqdm=True)
    accuracy = lambda p: {"accuracy": float((np.argmax(p.predictions, -1) == p.label_ids).mean())}  # noqa: E731
    trainer = Trainer(model=model, args=args, data_collator=DataCollatorWithPadding(tokenizer),
                      compute_metrics=accuracy)
    metrics = trainer.evaluate(encoded)
    logits = torch.tensor(trainer.predict(encoded).predictions)
    return metrics, torch.softmax(logits, -1), model.config.id2label


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run")
        done = run_hft("train", "configs/quickstart.yaml", f"output_dir={out}", "max_train_samples=32", "max_steps=2",
                       "max_eval_samples=8", timeout=1200)
        check(done.returncode == 0, describe(done))
        with open(os.path.join(SST2, "dev.tsv"), newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[:ROWS]
        subset = os.path.join(tmp, "dev.tsv")
        with open(subset, "w") as f:
            f.write("sentence\tlabel\n" + "".join(f"{r['sentence']}\t{r['label']}\n" for r in rows))
        common = [f"model_name_or_path={out}", f"output_dir={out}", f"per_device_eval_batch_size={BATCH}"]
        done = run_hft("evaluate", "configs/quickstart.yaml", f"validation_file={subset}", *common, timeout=600)
        check(done.returncode == 0, describe(done))
        ours = json.load(open(os.path.join(out, "eval_results.json")))
        predictions = os.path.join(tmp, "predictions.jsonl")
        done = run_hft("predict", "configs/quickstart.yaml", "--input", subset, "--output", predictions, *common,
                       timeout=600)
        check(done.returncode == 0, describe(done))

        metrics, probabilities, id2label = trainer_reference(out, rows, os.path.join(tmp, "trainer"))
        check(abs(ours["eval_loss"] - metrics["eval_loss"]) < 1e-5,
              f"eval_loss: hft {ours['eval_loss']}, Trainer {metrics['eval_loss']}")
        check(ours["eval_accuracy"] == metrics["eval_accuracy"],
              f"eval_accuracy: hft {ours['eval_accuracy']}, Trainer {metrics['eval_accuracy']}")
        lines = [json.loads(line) for line in open(predictions)]
        check(len(lines) == ROWS, f"{len(lines)} predictions for {ROWS} rows")
        for i, line in enumerate(lines):
            diff = max(abs(a - b) for a, b in zip(line["probabilities"], probabilities[i].tolist()))
            check(diff < 1e-4, f"row {i}: probabilities differ from the Trainer's by {diff}")
            check(line["prediction"] == id2label[int(probabilities[i].argmax())], f"row {i}: {line}")
        print(f"{ROWS} rows in batches of {BATCH}: eval_loss {ours['eval_loss']:.6f} (Trainer "
              f"{metrics['eval_loss']:.6f}), accuracy {ours['eval_accuracy']:.4f} equal, predictions in input order")


if __name__ == "__main__":
    main()
