"""Data of the token-classification and multiple-choice tasks through the binary (issue 18): a
sentence whose tag list is shorter than its word list, a tag in the validation file that the
training file never uses, a CoNLL file with a token line missing its tag, a row with fewer endings
than the others, a label that is not a choice index, and a key of another task. Each is one line
naming the file and line (or the key), exit 2, nothing written into output_dir.
Run with case names as arguments to run only those."""
import json
import os

from _common import check_one_line_error, run_cases_on_tiny_model, run_limited


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def recipe(tmp, name, model, **keys):
    """A recipe for `task` on tmp's files; its output_dir must stay absent after a refused run."""
    keys = dict(model_name_or_path=model, output_dir=os.path.join(tmp, name + "-out"), max_seq_length=32,
                num_train_epochs=1, per_device_train_batch_size=2, use_cpu=True, report_to="none", **keys)
    path = os.path.join(tmp, name + ".yaml")
    with open(path, "w") as f:
        for key, value in keys.items():
            f.write(f"{key}: {json.dumps(value) if isinstance(value, (list, bool)) else value}\n")
    return path, keys["output_dir"]


def jsonl(path, rows):
    return write(path, "".join(json.dumps(row) + "\n" for row in rows))


SENTENCES = [{"tokens": ["EU", "rejects", "German", "call"], "ner_tags": ["B-ORG", "O", "B-MISC", "O"]},
             {"tokens": ["Peter", "Blackburn"], "ner_tags": ["B-PER", "I-PER"]}]


def refused(name, path, out, words):
    done = run_limited("train", path)
    check_one_line_error(name, done, codes=(2,), words=words)
    from hft_e2e import check
    check(not os.path.exists(out), f"{name}: {out} was created by a refused run")


def tags_shorter_than_words(tmp, model):
    rows = SENTENCES + [{"tokens": ["BRUSSELS", "1996-08-22", "x"], "ner_tags": ["B-LOC", "O"]}]
    train = jsonl(os.path.join(tmp, "short_tags.jsonl"), rows)
    path, out = recipe(tmp, "short_tags", model, task="token-classification", train_file=train)
    refused("tags shorter than words", path, out, [f"{train}:3:", "3 words", "2 tags"])


def unknown_tag_in_dev(tmp, model):
    train = jsonl(os.path.join(tmp, "train.jsonl"), SENTENCES)
    dev = jsonl(os.path.join(tmp, "dev.jsonl"), SENTENCES + [{"tokens": ["Paris"], "ner_tags": ["B-LOC"]}])
    path, out = recipe(tmp, "unknown_tag", model, task="token-classification", train_file=train, validation_file=dev,
                       eval_strategy="epoch")
    refused("unknown tag in dev", path, out, [f"{dev}:3:", "B-LOC", train])


def conll_line_without_tag(tmp, model):
    train = write(os.path.join(tmp, "train.conll"), "-DOCSTART- -X- O O\n\nEU B-ORG\nrejects O\n\nPeter B-PER\n"
                                                    "Blackburn\n")
    path, out = recipe(tmp, "conll", model, task="token-classification", train_file=train)
    refused("CoNLL line without a tag", path, out, [f"{train}:7:", "TOKEN TAG"])


def choice_rows(n=4):
    return [{"sent1": f"Someone opens door {i}.", "sent2": "Then they", "ending0": "walk in.", "ending1": "fly away.",
             "ending2": "sing.", "ending3": "sleep.", "label": i % 4} for i in range(n)]


def fewer_endings(tmp, model):
    rows = choice_rows()
    rows[2]["ending3"] = None
    train = jsonl(os.path.join(tmp, "swag_missing.jsonl"), rows)
    path, out = recipe(tmp, "fewer_endings", model, task="multiple-choice", train_file=train)
    refused("a row with fewer endings", path, out, [f"{train}:3:", "3 endings", "ending3"])


def label_not_a_choice(tmp, model):
    rows = choice_rows()
    rows[1]["label"] = 4
    train = jsonl(os.path.join(tmp, "swag_label.jsonl"), rows)
    path, out = recipe(tmp, "label_not_a_choice", model, task="multiple-choice", train_file=train)
    refused("a label that is not a choice index", path, out, [f"{train}:2:", "0 to 3"])


def key_of_another_task(tmp, model):
    train = jsonl(os.path.join(tmp, "swag.jsonl"), choice_rows())
    path, out = recipe(tmp, "other_task_key", model, task="multiple-choice", train_file=train, label_all_tokens=True)
    refused("a key of another task", path, out, ["label_all_tokens", "token-classification"])


def head_for_other_labels(tmp, model):
    """The tiny model is a 2-label sequence classifier: its classifier cannot tag 5 labels. Refused,
    naming the tensor; with ignore_mismatched_sizes it is drawn anew and the run trains."""
    train = jsonl(os.path.join(tmp, "head_train.jsonl"), SENTENCES)
    path, out = recipe(tmp, "other_head", model, task="token-classification", train_file=train, max_steps=1)
    refused("a head for other labels", path, out, ["`classifier.", "ignore_mismatched_sizes"])
    done = run_limited("train", path, "ignore_mismatched_sizes=true")
    from hft_e2e import check, describe
    check(done.returncode == 0, "ignore_mismatched_sizes: " + describe(done))
    print("a head for other labels: trains with ignore_mismatched_sizes")


CASES = [tags_shorter_than_words, unknown_tag_in_dev, conll_line_without_tag, fewer_endings, label_not_a_choice,
         key_of_another_task, head_for_other_labels]


def main():
    run_cases_on_tiny_model(CASES)


if __name__ == "__main__":
    main()
