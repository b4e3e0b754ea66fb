"""hft train -> evaluate -> predict on SST-2 with the real all-MiniLM-L6-v2 checkpoint, checked
against transformers: the trained folder loads in transformers without warnings, its
predictions equal hft's, and hft's evaluation accuracy equals scikit-learn's on transformers'
predictions of the same rows."""
import csv
import json
import os
import tempfile

from hft_e2e import REPO, check, describe, run_hft

SST2 = os.path.join(REPO, "data", "glue", "SST-2")


def oracle_predictions(model_dir, sentences):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging

    messages = []
    logging.get_logger("transformers").addHandler(type("H", (__import__("logging").Handler,), {
        "emit": lambda self, record: messages.append(record.getMessage())})())
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    problems = [m for m in messages if "newly initialized" in m or "not used" in m]
    check(not problems, f"transformers reported: {problems}")
    with torch.no_grad():
        batch = tokenizer(sentences, padding=True, truncation=True, max_length=64, return_tensors="pt")
        probabilities = torch.softmax(model(**batch).logits, -1)
    return probabilities, model.config.id2label


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run")
        done = run_hft("train", "configs/quickstart.yaml", f"output_dir={out}", "max_train_samples=64",
                       "max_eval_samples=48", "max_steps=4", "save_strategy=steps", "save_steps=2",
                       "save_total_limit=1", "save_only_model=true", "eval_strategy=steps", "eval_steps=2",
                       "logging_steps=1", timeout=1200)
        check(done.returncode == 0, describe(done))
        for name in ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "trainer_state.json",
                     "all_results.json", "eval_results.json", "hft_recipe.yaml"]:
            check(os.path.exists(os.path.join(out, name)), f"{name} missing from output_dir")
        checkpoints = sorted(d for d in os.listdir(out) if d.startswith("checkpoint-"))
        check(checkpoints == ["checkpoint-4"], f"save_total_limit 1 should leave checkpoint-4, found {checkpoints}")
        kept = set(os.listdir(os.path.join(out, "checkpoint-4")))
        check("model.safetensors" in kept and not kept & {"hft_optimizer.pt", "hft_rng_state.pt"},
              f"save_only_model: the checkpoint holds the model only, as the Trainer's (no optimizer or RNG state): {kept}")
        state = json.load(open(os.path.join(out, "trainer_state.json")))
        steps = [e["step"] for e in state["log_history"] if "loss" in e]
        check(steps == [1, 2, 3, 4], f"logged steps {steps}")
        check([e["step"] for e in state["log_history"] if "eval_loss" in e] == [2, 4], state["log_history"])

        with open(os.path.join(SST2, "dev.tsv"), newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[:48]
        probabilities, id2label = oracle_predictions(out, [r["sentence"] for r in rows])

        predictions = os.path.join(tmp, "predictions.jsonl")
        subset = os.path.join(tmp, "dev48.tsv")
        with open(subset, "w") as f:
            f.write("sentence\tlabel\n" + "".join(f"{r['sentence']}\t{r['label']}\n" for r in rows))
        done = run_hft("predict", "configs/quickstart.yaml", "--input", subset, "--output", predictions,
                       f"model_name_or_path={out}", f"output_dir={out}", timeout=600)
        check(done.returncode == 0, describe(done))
        ours = [json.loads(line) for line in open(predictions)]
        check(len(ours) == 48, f"{len(ours)} predictions for 48 rows")
        for i, line in enumerate(ours):
            diff = max(abs(a - b) for a, b in zip(line["probabilities"], probabilities[i].tolist()))
            check(diff < 1e-4, f"row {i}: probabilities differ by {diff}")
            check(line["prediction"] == id2label[int(probabilities[i].argmax())], f"row {i}: {line}")

        first_five = os.path.join(tmp, "first5.jsonl")
        done = run_hft("predict", "configs/quickstart.yaml", "--input", subset, "--output", first_five,
                       f"model_name_or_path={out}", f"output_dir={out}", "max_predict_samples=5", timeout=600)
        check(done.returncode == 0, describe(done))
        five = [json.loads(line) for line in open(first_five)]
        check(len(five) == 5 and all(a["prediction"] == b["prediction"] and
                                     max(abs(x - y) for x, y in zip(a["probabilities"], b["probabilities"])) < 1e-5
                                     for a, b in zip(five, ours)), f"max_predict_samples=5: not the first 5 rows: {five}")

        from sklearn.metrics import accuracy_score
        expected_accuracy = accuracy_score([int(r["label"]) for r in rows],
                                           [int(id2label[int(p.argmax())]) for p in probabilities])
        done = run_hft("evaluate", "configs/quickstart.yaml", f"model_name_or_path={out}", f"output_dir={out}",
                       "max_eval_samples=48", timeout=600)
        check(done.returncode == 0, describe(done))
        metrics = json.load(open(os.path.join(out, "eval_results.json")))
        check(abs(metrics["eval_accuracy"] - expected_accuracy) < 1e-12,
              f"hft eval_accuracy {metrics['eval_accuracy']}, transformers + sklearn {expected_accuracy}")
        print(f"train/predict/evaluate agree with transformers; eval_accuracy {metrics['eval_accuracy']:.4f}")


if __name__ == "__main__":
    main()
