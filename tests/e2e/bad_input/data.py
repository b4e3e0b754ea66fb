"""Data files, labels and the encoded cache through the binary (issue 15):
- JSON and JSONL nested 100,000 deep: one line naming file:line:col (train and validate), no crash;
- a label too large for an integer, `positive` among 0/1 labels, or -1 in the training file: one
  line naming the row;
- rows labelled -1 in the validation file are left out of eval_loss and the metrics row by row, so
  the metrics are transformers' over the labelled rows at any per_device_eval_batch_size (and
  load_best_model_at_end finds them); a validation file with no labelled row is refused;
- `hft evaluate` with a model whose labels are the default LABEL_0, LABEL_1 maps the data's own
  labels, as run_glue does; `hft predict` does not read the validation file;
- an encoded-cache entry whose ids were edited (to other ids, or out of the vocabulary) is rebuilt
  with a warning, and the run's metrics are those of a clean cache.
Run with case names as arguments to run only those."""
import csv
import glob
import json
import os
import shutil
import struct

from _common import check_one_line_error, run_cases_on_tiny_model, run_limited
from hft_e2e import check, describe
from training_runs import SST2_DEV

MAX_SEQ_LENGTH = 32


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def write_recipe(path, **keys):
    with open(path, "w") as f:
        for key, value in keys.items():
            f.write(f"{key}: {str(value).lower() if isinstance(value, bool) else value}\n")
    return path


def dev_rows(n):
    with open(SST2_DEV, newline="") as f:
        return [(r["sentence"], int(r["label"])) for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)][:n]


def write_tsv(path, rows):
    return write(path, "sentence\tlabel\n" + "".join(f"{s}\t{label}\n" for s, label in rows))


def oracle_metrics(model_dir, rows):
    """transformers' accuracy and mean cross-entropy of the tiny model over the labelled rows."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    labelled = [(s, label) for s, label in rows if label != -1]
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    with torch.no_grad():
        batch = tokenizer([s for s, _ in labelled], padding=True, truncation=True, max_length=MAX_SEQ_LENGTH,
                          return_tensors="pt")
        logits = model(**batch).logits
    labels = torch.tensor([label for _, label in labelled])
    accuracy = (logits.argmax(-1) == labels).double().mean().item()
    return accuracy, torch.nn.functional.cross_entropy(logits, labels).item()


def with_label_names(tmp, model):
    """A copy of `model` whose config names its labels "0" and "1" (as a model fine-tuned on 0/1 labels has)."""
    named = os.path.join(tmp, "model-named")
    os.makedirs(named, exist_ok=True)
    for name in os.listdir(model):
        if name != "config.json":
            shutil.copy(os.path.join(model, name), named)
    config = json.load(open(os.path.join(model, "config.json")))
    config["id2label"], config["label2id"] = {"0": "0", "1": "1"}, {"0": 0, "1": 1}
    json.dump(config, open(os.path.join(named, "config.json"), "w"))
    return named


def run_ok(name, *args):
    done = run_limited(*args)
    check(done.returncode == 0, f"{name}: " + describe(done))
    check("frame #" not in done.stderr, f"{name}: " + describe(done))
    return done


def deep_json(tmp, model):
    """A record nested 100,000 deep, in JSONL and in a JSON document: train and validate."""
    deep = "[" * 100_000 + "]" * 100_000
    files = {"jsonl": write(os.path.join(tmp, "deep.jsonl"), '{"sentence": "fine", "label": 0}\n'
                                                               '{"sentence": "a", "label": ' + deep + '}\n'),
             "json": write(os.path.join(tmp, "deep.json"), '[{"sentence": "a", "label": ' + deep + '}]')}
    for kind, path in files.items():
        for verb in ("train", "validate"):
            out = os.path.join(tmp, f"deep-{kind}-{verb}")
            done = run_limited(verb, "configs/quickstart.yaml", f"train_file={path}", f"output_dir={out}",
                               f"model_name_or_path={model}")
            where = path + (":2:" if kind == "jsonl" else ":1:")
            check_one_line_error(f"{kind} nested 100,000 deep ({verb})", done, words=(where, "nested"))
            check(not os.path.exists(out), f"{kind} ({verb}): {out} was written")


def huge_integer_label(tmp, model):
    path = write(os.path.join(tmp, "huge.tsv"), "sentence\tlabel\nfine\t0\nodd\t99999999999999999999\nok\t1\n")
    out = os.path.join(tmp, "huge-out")
    done = run_limited("train", "configs/quickstart.yaml", f"train_file={path}", f"output_dir={out}",
                       f"model_name_or_path={model}")
    check_one_line_error("label 99999999999999999999", done, words=(path + ":3:", "99999999999999999999"))
    check(not os.path.exists(out), f"huge label: {out} was written")


def unlabelled_training_row(tmp, model):
    """-1 in the training file: transformers' cross_entropy fails on it; hft names the row."""
    rows = dev_rows(8)
    rows[2] = (rows[2][0], -1)
    path = write_tsv(os.path.join(tmp, "train-unlabelled.tsv"), rows)
    out = os.path.join(tmp, "unlabelled-train-out")
    done = run_limited("train", "configs/quickstart.yaml", f"train_file={path}", f"output_dir={out}",
                       f"model_name_or_path={model}")
    check_one_line_error("a training row labelled -1", done, words=(path + ":4:", "-1"))
    check(not os.path.exists(out), f"-1 in training: {out} was written")


def word_among_integer_labels(tmp, model):
    """`positive` among 0/1 labels, with a model whose classifier has two labels."""
    rows = dev_rows(8)
    rows[4] = (rows[4][0], "positive")
    path = write_tsv(os.path.join(tmp, "mixed.tsv"), rows)
    out = os.path.join(tmp, "mixed-out")
    done = run_limited("train", "configs/quickstart.yaml", f"train_file={path}", f"output_dir={out}",
                       f"model_name_or_path={model}")
    check_one_line_error("label positive among 0/1", done, words=(path + ":6:", "'positive'"))
    check(not os.path.exists(out), f"mixed labels: {out} was written")


def evaluate_recipe(tmp, name, model, **keys):
    out = os.path.join(tmp, name)
    return write_recipe(os.path.join(tmp, name + ".yaml"), model_name_or_path=model, max_seq_length=MAX_SEQ_LENGTH,
                        output_dir=out, **keys), out


def evaluate_metrics(name, recipe, out, *overrides):
    done = run_ok(name, "evaluate", recipe, *overrides)
    return json.load(open(os.path.join(out, "eval_results.json"))), done


def unlabelled_rows(tmp, model):
    """Every 7th of 40 dev rows labelled -1: each batch of 16 holds one."""
    model = with_label_names(tmp, model)  # labels from the model, as an evaluation of a fine-tuned model takes them
    rows = [(s, -1 if i % 7 == 3 else label) for i, (s, label) in enumerate(dev_rows(40))]
    dev = write_tsv(os.path.join(tmp, "dev-unlabelled.tsv"), rows)
    accuracy, loss = oracle_metrics(model, rows)
    recipe, out = evaluate_recipe(tmp, "unlabelled", model, validation_file=dev)
    for batch_size in (1, 16, 40):
        metrics, done = evaluate_metrics(f"-1 labels, batch {batch_size}", recipe, out,
                                         f"per_device_eval_batch_size={batch_size}")
        check(metrics.get("eval_accuracy") == accuracy,
              f"batch {batch_size}: eval_accuracy {metrics.get('eval_accuracy')}, transformers over the labelled rows {accuracy}")
        check(abs(metrics.get("eval_loss", float("nan")) - loss) < 1e-5,
              f"batch {batch_size}: eval_loss {metrics.get('eval_loss')}, transformers over the labelled rows {loss}")
        check("6 of 40 rows" in done.stdout + done.stderr, f"the count of unlabelled rows should be logged:\n{describe(done)}")
    print(f"-1 labels: eval_accuracy {accuracy}, eval_loss {loss:.6f} at batch 1, 16 and 40")

    train = write_tsv(os.path.join(tmp, "train16.tsv"), dev_rows(16))
    best = os.path.join(tmp, "best")
    run_ok("load_best_model_at_end with -1 labels", "train", "configs/quickstart.yaml", f"model_name_or_path={model}",
           f"train_file={train}", f"validation_file={dev}", f"output_dir={best}", "max_steps=2", "eval_strategy=steps",
           "eval_steps=1", "save_strategy=steps", "save_steps=1", "load_best_model_at_end=true",
           "per_device_eval_batch_size=16", "per_device_train_batch_size=8")
    state = json.load(open(os.path.join(best, "trainer_state.json")))
    check(state.get("best_metric") is not None and state.get("best_model_checkpoint"),
          f"load_best_model_at_end found no metric: best_metric {state.get('best_metric')}")

    none = write_tsv(os.path.join(tmp, "dev-none.tsv"), [(s, -1) for s, _ in rows])
    recipe, out = evaluate_recipe(tmp, "none-labelled", model, validation_file=none)
    check_one_line_error("a validation file without a labelled row", run_limited("evaluate", recipe),
                         words=(none, "-1"))
    check(not os.path.exists(out), f"no labelled row: {out} was written")


def default_label_names(tmp, model):
    """The tiny model's config has LABEL_0, LABEL_1; the data's labels are 0 and 1."""
    rows = dev_rows(24)
    train = write_tsv(os.path.join(tmp, "train24.tsv"), rows)
    accuracy, _ = oracle_metrics(model, rows)
    recipe, out = evaluate_recipe(tmp, "default-names", model, train_file=train, validation_file=train)
    metrics, _ = evaluate_metrics("evaluate with LABEL_0/LABEL_1", recipe, out)
    check(metrics.get("eval_accuracy") == accuracy, f"eval_accuracy {metrics.get('eval_accuracy')}, transformers {accuracy}")
    recipe, out = evaluate_recipe(tmp, "default-names-no-train", model, validation_file=train)
    metrics, _ = evaluate_metrics("evaluate with LABEL_0/LABEL_1, no train_file", recipe, out)
    check(metrics.get("eval_accuracy") == accuracy, f"eval_accuracy {metrics.get('eval_accuracy')}, transformers {accuracy}")
    print(f"LABEL_0/LABEL_1 model on labels 0/1: eval_accuracy {accuracy}")


def predict_reads_no_validation_file(tmp, model):
    broken = write(os.path.join(tmp, "broken-dev.tsv"), "sentence\tlabel\nfine\t1\nragged\t1\textra\n")
    test = write(os.path.join(tmp, "test.tsv"), "sentence\nhello world\na fine film\n")
    recipe, out = evaluate_recipe(tmp, "predict", model, validation_file=broken)
    predictions = os.path.join(tmp, "predictions.tsv")
    run_ok("predict with a broken validation_file", "predict", recipe, "--input", test, "--output", predictions)
    lines = open(predictions).read().splitlines()
    check(len(lines) == 3, f"expected a header and 2 predictions: {lines}")
    run_ok("predict with a missing validation_file", "predict", recipe, "--input", test, "--output", predictions,
           f"validation_file={os.path.join(tmp, 'no-such-dev.tsv')}")


def cache_entries(cache):
    return glob.glob(os.path.join(cache, "**", "encoded-*.bin"), recursive=True)


def edit_first_word_id(path, new_id):
    """Replaces the id after the first row's [CLS] (101) in a cache file."""
    data = bytearray(open(path, "rb").read())
    at = data.index(struct.pack("<i", 101)) + 4
    data[at:at + 4] = struct.pack("<i", new_id)
    open(path, "wb").write(bytes(data))


def damaged_cache(tmp, model):
    model = with_label_names(tmp, model)
    dev = write_tsv(os.path.join(tmp, "dev-cache.tsv"), dev_rows(24))
    cache = os.path.join(tmp, "cache")
    env = dict(os.environ, HFT_CACHE=cache)
    recipe, out = evaluate_recipe(tmp, "cache", model, validation_file=dev)
    clean = run_limited("evaluate", recipe, env=env)
    check(clean.returncode == 0, "clean cache: " + describe(clean))
    expected = json.load(open(os.path.join(out, "eval_results.json")))
    entries = cache_entries(cache)
    check(len(entries) == 1, f"expected one cache entry, found {entries}")
    for name, new_id in (("another id", 2000), ("an id out of the vocabulary", 10**9)):
        edit_first_word_id(entries[0], new_id)
        done = run_limited("evaluate", recipe, env=env)
        check(done.returncode == 0, f"cache with {name}: " + describe(done))
        check("frame #" not in done.stderr and "Exception raised from" not in done.stderr, describe(done))
        output = done.stdout + done.stderr
        check("warning:" in output and os.path.basename(entries[0]) in output,
              f"cache with {name}: a warning naming the entry expected\n{describe(done)}")
        metrics = json.load(open(os.path.join(out, "eval_results.json")))
        for key in ("eval_loss", "eval_accuracy"):
            check(metrics[key] == expected[key], f"cache with {name}: {key} {metrics[key]}, clean cache {expected[key]}")
        again = run_limited("evaluate", recipe, env=env)
        check(again.returncode == 0 and os.path.basename(entries[0]) not in again.stdout + again.stderr,
              f"cache with {name}: the rebuilt entry should be used silently\n{describe(again)}")
        print(f"cache with {name}: rebuilt; " + [l for l in output.splitlines() if "warning:" in l][0])


CASES = [deep_json, huge_integer_label, unlabelled_training_row, word_among_integer_labels, unlabelled_rows, default_label_names,
         predict_reads_no_validation_file, damaged_cache]


def main():
    run_cases_on_tiny_model(CASES)


if __name__ == "__main__":
    main()
