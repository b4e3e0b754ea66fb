"""Recipes through the binary (issue 15): each mistake is one line naming the file:line:col or the
key, exit 2, in bounded memory, before anything is written:
- a YAML alias bomb (9 levels of 10 aliases: 10^9 values from under 1 KB), in the file and in an
  override; an endless recipe (/dev/zero) and one larger than a recipe can be;
- a byte that is not UTF-8 in a value (file and command line), a folder given as the recipe, and a
  second YAML document after `---` (a leading `---` is still one document);
- metric_for_best_model naming a metric the evaluation does not compute: refused by validate when
  task_name or metrics decide the metrics (as run_glue.py computes them: cola matthews_correlation,
  stsb pearson and spearmanr, mrpc and qqp accuracy and f1, the other tasks accuracy); with neither,
  the training file's labels decide (classes: accuracy; numbers: pearson, spearmanr), so validate
  accepts either kind's and train refuses the wrong kind once it has read the labels;
- dataloader_num_workers beyond what the machine can run, a logging_dir behind a file, an
  output_dir behind a file for evaluate and predict, and an HFT_CACHE behind a file.
Run with case names as arguments to run only those."""
import os
import tempfile

from _common import check_one_line_error, run_cases, run_limited
from hft_e2e import REPO, check, describe

MINILM = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
SST2_DEV = os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv")
STSB_TRAIN = os.path.join(REPO, "data", "glue", "STS-B", "train.tsv")
STSB_DEV = os.path.join(REPO, "data", "glue", "STS-B", "dev.tsv")


def write(path, text):
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def recipe_text(tmp, **keys):
    lines = dict(model_name_or_path=MINILM, task_name="sst2", train_file=SST2_DEV, validation_file=SST2_DEV,
                 max_train_samples=8, max_seq_length=32, output_dir=os.path.join(tmp, "out"), max_steps=1)
    lines.update(keys)
    return "".join(f"{key}: {value}\n" for key, value in lines.items() if value is not None)


def alias_bomb(levels=9, fanout=10):
    """Flow YAML whose anchors each alias the one before `fanout` times: fanout**levels values."""
    items = [f"&l0 [{', '.join(['lol'] * fanout)}]"]
    items += [f"&l{i} [{', '.join([f'*l{i - 1}'] * fanout)}]" for i in range(1, levels)]
    return "[" + ", ".join(items) + "]"


def refused(name, words, *args, cwd=REPO):
    return check_one_line_error(name, run_limited(*args, timeout=120, cwd=cwd), codes=(2,), words=words)


def alias_bombs(tmp):
    bomb = alias_bomb()
    path = write(os.path.join(tmp, "bomb.yaml"), recipe_text(tmp) + f"text_column_names: {bomb}\n")
    check(os.path.getsize(path) < 1500, f"the bomb should be small: {os.path.getsize(path)} bytes")
    refused("alias bomb in the file", [f"{path}:9:", "text_column_names", "alias"], "validate", path)
    plain = write(os.path.join(tmp, "plain.yaml"), recipe_text(tmp))
    refused("alias bomb in an override", ["text_column_names", "alias"], "validate", plain,
            f"text_column_names={bomb}")


def endless_recipes(tmp):
    refused("/dev/zero as the recipe", ["/dev/zero", "1 MiB"], "validate", "/dev/zero")
    big = write(os.path.join(tmp, "big.yaml"), recipe_text(tmp) + "# padding\n" * 200_000)
    refused("a 2 MB recipe", [big, "1 MiB"], "validate", big)


def first_bad_byte(data):
    """1-based line and byte column where Python's UTF-8 decoder stops, or None."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as e:
        before = data[:e.start]
        return before.count(b"\n") + 1, e.start - (before.rfind(b"\n") + 1) + 1


def non_utf8_values(tmp):
    path = write(os.path.join(tmp, "latin1.yaml"), recipe_text(tmp).encode() + "run_name: caf\xe9 run\n".encode("latin-1"))
    refused("a Latin-1 byte in a value", [f"{path}:9:14:", "run_name", "UTF-8"], "validate", path)
    # Where hft stops is where Python's decoder stops: overlong forms, a surrogate, beyond U+10FFFF,
    # a sequence cut short; well-formed text of every length passes.
    for i, value in enumerate([b"\xc0\x80", b"ok \xe0\x9f\xbf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"x \xe2\x82 y",
                               b"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xff"]):
        data = recipe_text(tmp).encode() + b"run_name: '" + value + b"'\n"
        line, column = first_bad_byte(data)
        case = write(os.path.join(tmp, f"bad-utf8-{i}.yaml"), data)
        refused(f"bytes {value!r}", [f"{case}:{line}:{column}:", "UTF-8"], "validate", "--json", case)
    good = write(os.path.join(tmp, "good-utf8.yaml"), recipe_text(tmp) + "run_name: 'caf\u00e9 \u20ac \U0001f600'\n")
    check(first_bad_byte(open(good, "rb").read()) is None, "the good recipe should be UTF-8")
    done = run_limited("validate", "--json", good, cwd=REPO)
    check(done.returncode == 0 and "caf\u00e9 \u20ac \U0001f600" in done.stdout, describe(done))
    plain = write(os.path.join(tmp, "plain.yaml"), recipe_text(tmp))
    refused("a Latin-1 byte in an override", ["run_name", "UTF-8"], "validate", plain, b"run_name=caf\xe9")


def folder_as_recipe(tmp):
    line = refused("a folder as the recipe", [tmp, "folder", "recipe file"], "validate", tmp)
    check("empty" not in line, f"a folder is not an empty recipe: {line!r}")


def second_document(tmp):
    path = write(os.path.join(tmp, "two.yaml"), recipe_text(tmp) + "---\nseed: 3\nlearning_rate: 1e-3\n")
    refused("a second YAML document", [f"{path}:9:", "document", "---"], "validate", path)
    framed = write(os.path.join(tmp, "framed.yaml"), "---\n" + recipe_text(tmp) + "...\n")
    done = run_limited("validate", framed, cwd=REPO)
    check(done.returncode == 0, "a leading --- and a closing ... are one document\n" + describe(done))


def best_metric_not_computed(tmp):
    # No task_name, no metrics: the labels decide; f1 is computed for neither kind.
    path = write(os.path.join(tmp, "f1.yaml"), recipe_text(tmp, task_name=None, eval_strategy="steps", eval_steps=1,
                                                         metric_for_best_model="f1"))
    refused("f1 without task_name or metrics", [f"{path}:10:", "metric_for_best_model", "f1", "accuracy"],
            "validate", path)
    refused("eval_f1 for sst2", ["metric_for_best_model", "eval_f1", "accuracy"], "validate", path,
            "task_name=sst2", "metric_for_best_model=eval_f1")
    for task, metric in [("mrpc", "f1"), ("mrpc", "eval_f1"), ("cola", "matthews_correlation"), ("sst2", "loss")]:
        # --json: the recipe's checks without the data statistics (SST-2 has no columns for mrpc or cola).
        done = run_limited("validate", "--json", path, f"task_name={task}", f"metric_for_best_model={metric}", cwd=REPO)
        check(done.returncode == 0, f"{task} computes {metric}\n" + describe(done))


def best_metric_of_the_other_label_kind(tmp):
    """STS-B's scores are numbers: pearson and spearmanr, not accuracy. validate cannot know before
    reading the labels; train refuses before writing anything."""
    out = os.path.join(tmp, "out-stsb")
    path = write(os.path.join(tmp, "stsb.yaml"), recipe_text(
        tmp, task_name=None, train_file=STSB_TRAIN, validation_file=STSB_DEV, label_column_name="score",
        text_column_names="sentence1,sentence2", max_train_samples=16, max_eval_samples=16, eval_strategy="steps",
        eval_steps=1, metric_for_best_model="accuracy", output_dir=out))
    done = run_limited("validate", path, cwd=REPO)
    check(done.returncode == 0, "validate accepts accuracy when only the labels can tell\n" + describe(done))
    refused("accuracy for numeric labels", [STSB_TRAIN, "metric_for_best_model", "accuracy", "pearson"],
            "train", path)
    check(not os.path.exists(out), f"{out} was written")


def too_many_loader_workers(tmp):
    out = os.path.join(tmp, "out-workers")
    path = write(os.path.join(tmp, "workers.yaml"), recipe_text(tmp, output_dir=out))
    refused("dataloader_num_workers=100000", ["dataloader_num_workers", "100000"], "train", path,
            "dataloader_num_workers=100000")
    check(not os.path.exists(out), f"{out} was written")


def output_folders_behind_a_file(tmp):
    a_file = write(os.path.join(tmp, "a-file"), "x")
    out = os.path.join(tmp, "out-tb")
    path = write(os.path.join(tmp, "tb.yaml"), recipe_text(tmp, output_dir=out))
    refused("logging_dir behind a file", ["logging_dir", a_file], "train", path, "report_to=[tensorboard]",
            f"logging_dir={a_file}/tb")
    check(not os.path.exists(out), f"{out} was written")
    refused("evaluate: output_dir behind a file", ["output_dir", a_file], "evaluate", path,
            f"output_dir={a_file}/out")
    refused("predict: output_dir behind a file", ["output_dir", a_file], "predict", path, f"test_file={SST2_DEV}",
            "--output", os.path.join(tmp, "p.tsv"), f"output_dir={a_file}/out")
    check(not os.path.exists(os.path.join(tmp, "p.tsv")), "predictions were written")
    env = dict(os.environ, HFT_CACHE=os.path.join(a_file, "cache"))
    check_one_line_error("HFT_CACHE behind a file", run_limited("train", path, env=env, cwd=REPO), codes=(2,),
                         words=["HFT_CACHE", a_file])
    check(not os.path.exists(out), f"{out} was written")


CASES = [alias_bombs, endless_recipes, non_utf8_values, folder_as_recipe, second_document, best_metric_not_computed,
         best_metric_of_the_other_label_kind, too_many_loader_workers, output_folders_behind_a_file]


def main():
    with tempfile.TemporaryDirectory(prefix="hft-bad-recipes-") as tmp:
        run_cases(CASES, tmp)


if __name__ == "__main__":
    main()
