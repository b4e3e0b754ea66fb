"""The command line through the binary (issue 15): each mistake is one line, exit 2, and leaves every
file of the user's as it was:
- `hft predict --output` and `hft tokenize --output` naming a file the run reads (the input, a data
  file of the recipe, the recipe itself, a tokenizer file), however it is spelled: the same name,
  `./name`, a symbolic link, a hard link;
- an --output in a folder that does not exist, or that is a folder, refused before any work;
- a misspelled verb, named with the verb it is closest to;
- `hft tokenize --max-length` that is not a length >= 1 (and a good one truncates), a column index
  too large to be one, more --threads than the machine should start;
- a write of `hft tokenize --output` that fails half-way leaves the file that was there;
- launcher variables that cannot be used (RANK=x): bad input, exit 2, like every other.
Run with case names as arguments to run only those."""
import json
import os
import resource
import shutil
import signal
import subprocess
import tempfile

from _common import check_one_line_error, run_cases, run_limited
from hft_e2e import HFT, REPO, check, describe

MINILM = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
SST2_DEV = os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv")
SST2_TEST = os.path.join(REPO, "data", "glue", "SST-2", "test.tsv")  # unlabelled rows
BERT_TOKENIZER = os.path.join(REPO, "tests", "fixtures", "tokenizers", "bert-base-uncased")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def rows(tmp, name, n=12, source=SST2_TEST):
    with open(source) as f:
        return write(os.path.join(tmp, name), "".join(f.readlines()[:n + 1]))


def refused(name, words, *args, cwd=REPO):
    return check_one_line_error(name, run_limited(*args, timeout=120, cwd=cwd), codes=(2,), words=words)


def refused_keeping(name, words, kept, *args, cwd=REPO):
    """Refused, and each file of `kept` holds the bytes it held before."""
    before = {path: read_bytes(path) for path in kept}
    line = refused(name, words, *args, cwd=cwd)
    for path, content in before.items():
        check(read_bytes(path) == content, f"{name}: {path} was changed")
    return line


def predict_output_is_an_input(tmp):
    folder = os.path.join(tmp, "predict")
    os.makedirs(folder)
    x, test = rows(folder, "x.tsv"), rows(folder, "test.tsv")
    train, dev = rows(folder, "train.tsv", source=SST2_DEV), rows(folder, "dev.tsv", source=SST2_DEV)
    out = os.path.join(folder, "out")
    recipe = write(os.path.join(folder, "recipe.yaml"),
                   f"model_name_or_path: {MINILM}\ntask_name: sst2\ntrain_file: train.tsv\nvalidation_file: dev.tsv\n"
                   f"test_file: test.tsv\nmax_seq_length: 32\noutput_dir: {out}\n")
    os.symlink("x.tsv", os.path.join(folder, "link.tsv"))
    os.link(x, os.path.join(folder, "hard.tsv"))
    os.link(recipe, os.path.join(folder, "recipe-link.tsv"))
    kept = [x, train, dev, test, recipe]
    cases = [("--input x.tsv --output x.tsv", ["--input", "x.tsv", "--output", "x.tsv"], "x.tsv"),
             ("--output ./x.tsv", ["--input", "x.tsv", "--output", "./x.tsv"], "x.tsv"),
             ("--output ../predict/x.tsv", ["--input", "x.tsv", "--output", "../predict/x.tsv"], "x.tsv"),
             ("--output a symbolic link to the input", ["--input", "x.tsv", "--output", "link.tsv"], "x.tsv"),
             ("--output a hard link of the input", ["--input", "x.tsv", "--output", "hard.tsv"], "x.tsv"),
             ("--output the recipe's test_file", ["--output", "test.tsv"], "test_file"),
             ("--output the recipe's train_file", ["--output", "train.tsv"], "train_file"),
             ("--output the recipe's validation_file", ["--output", os.path.join(folder, "dev.tsv")],
              "validation_file"),
             ("--output a hard link of the recipe", ["--output", "recipe-link.tsv"], "recipe.yaml")]
    for name, args, named in cases:
        refused_keeping(f"predict {name}", ["--output", named], kept, "predict", "recipe.yaml", *args, cwd=folder)
        check(not os.path.exists(out), f"predict {name}: {out} was written")


def tokenize_output_is_an_input(tmp):
    folder = os.path.join(tmp, "tokenize")
    os.makedirs(folder)
    x = rows(folder, "x.tsv")
    tokenizer = os.path.join(folder, "tokenizer")
    shutil.copytree(BERT_TOKENIZER, tokenizer)
    os.link(x, os.path.join(folder, "hard.jsonl"))
    files = [x] + [os.path.join(tokenizer, name) for name in ("tokenizer.json", "vocab.txt")]
    for name, given, output, named in [("the input", "tokenizer", "x.tsv", "x.tsv"),
                                       ("./ the input", "tokenizer", "./x.tsv", "x.tsv"),
                                       ("a hard link of the input", "tokenizer", "hard.jsonl", "x.tsv"),
                                       ("a file of the tokenizer folder", "tokenizer", "tokenizer/tokenizer.json",
                                        "tokenizer.json"),
                                       ("the tokenizer file given", "tokenizer/vocab.txt", "tokenizer/vocab.txt",
                                        "vocab.txt")]:
        refused_keeping(f"tokenize --output {name}", ["--output", named], files, "tokenize", "--tokenizer", given,
                        "--input", "x.tsv", "--output", output, cwd=folder)


def output_where_it_cannot_be(tmp):
    folder = os.path.join(tmp, "nowhere")
    os.makedirs(folder)
    rows(folder, "x.tsv")
    recipe = write(os.path.join(folder, "recipe.yaml"), f"model_name_or_path: {MINILM}\ntask_name: sst2\n"
                                                        f"max_seq_length: 32\noutput_dir: {folder}/out\n")
    for output, named in [("nodir/sub/p.tsv", "nodir/sub"), ("existing-folder.tsv", "existing-folder.tsv")]:
        os.makedirs(os.path.join(folder, "existing-folder.tsv"), exist_ok=True)
        done = run_limited("predict", recipe, "--input", "x.tsv", "--output", output, cwd=folder)
        check_one_line_error(f"predict --output {output}", done, codes=(2,), words=["--output", named])
        check(not done.stdout.strip(), f"predict --output {output}: refused only after running:\n{describe(done)}")
        done = run_limited("tokenize", "--tokenizer", BERT_TOKENIZER, "--input", "x.tsv", "--output", output,
                           cwd=folder)
        check_one_line_error(f"tokenize --output {output}", done, codes=(2,), words=["--output", named])
    check(not os.path.exists(os.path.join(folder, "nodir")), "a folder was created for a refused output")


def misspelled_verbs(tmp):
    for typed, meant in [("trian", "train"), ("evalute", "evaluate"), ("predcit", "predict"), ("valdiate", "validate")]:
        refused(f"hft {typed}", [f"unknown verb '{typed}'", f"did you mean {meant}?"], typed, "configs/quickstart.yaml")
    refused("hft frobnicate", ["unknown verb 'frobnicate'", "train", "tokenize"], "frobnicate")


def tokenize_max_length(tmp):
    folder = os.path.join(tmp, "max-length")
    os.makedirs(folder)
    x = rows(folder, "x.tsv")
    output = os.path.join(folder, "tokens.jsonl")
    for bad in ["-1", "0", "1e20", "99999999999999999999", "ten"]:
        refused(f"tokenize --max-length {bad}", ["--max-length", bad], "tokenize", "--tokenizer", BERT_TOKENIZER,
                "--input", x, "--output", output, "--max-length", bad)
        check(not os.path.exists(output), f"--max-length {bad}: {output} was written")
    done = run_limited("tokenize", "--tokenizer", BERT_TOKENIZER, "--input", x, "--output", output,
                       "--max-length", "5")
    check(done.returncode == 0, describe(done))
    lengths = [len(json.loads(line)["input_ids"]) for line in open(output)]
    check(len(lengths) == 12 and max(lengths) == 5, f"--max-length 5 gave lengths {lengths}")


def tokenize_column_and_threads(tmp):
    """A column index past any size_t, and more threads than the machine should start: one line each."""
    folder = os.path.join(tmp, "column")
    os.makedirs(folder)
    x = rows(folder, "x.tsv")
    output = os.path.join(folder, "tokens.jsonl")
    base = ["tokenize", "--tokenizer", BERT_TOKENIZER, "--input", x, "--output", output]
    refused("tokenize --column 99999999999999999999", ["99999999999999999999", "no column"], *base, "--column",
            "99999999999999999999")
    refused("tokenize --column 7", ["x.tsv", "column 7"], *base, "--column", "7")
    refused("tokenize --threads 100000", ["--threads 100000", "too many threads"], *base, "--threads", "100000")
    check(not os.path.exists(output), f"{output} was written by a refused run")


def tokenize_output_is_whole_or_absent(tmp):
    """A write that fails half-way (here a 1 KiB file-size limit, as a full disk would) leaves the file
    already at --output as it was: the token ids go to a temporary file renamed over it at the end."""
    folder = os.path.join(tmp, "whole")
    os.makedirs(folder)
    x = rows(folder, "x.tsv", n=40)
    output = write(os.path.join(folder, "tokens.jsonl"), "what the user had\n")

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
    done = subprocess.run([HFT, "tokenize", "--tokenizer", BERT_TOKENIZER, "--input", x, "--output", output],
                          cwd=REPO, capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    check_one_line_error("tokenize into a file that cannot grow", done, codes=(1,), words=["tokens.jsonl"])
    check(read_bytes(output) == b"what the user had\n", f"{output} was changed by a failed write")
    check(not [n for n in os.listdir(folder) if n not in ("x.tsv", "tokens.jsonl")], f"left over: {os.listdir(folder)}")


def launcher_variables_unusable(tmp):
    """RANK that is not a rank, as a broken job script sets it: bad input, exit 2, naming the variable."""
    for name, env in (("RANK=x", {"RANK": "x", "WORLD_SIZE": "2"}), ("RANK beyond WORLD_SIZE", {"RANK": "5", "WORLD_SIZE": "2"})):
        done = run_limited("evaluate", "configs/quickstart.yaml", f"output_dir={os.path.join(tmp, 'rank-out')}",
                           "max_eval_samples=8", env=dict(os.environ, **env), timeout=120)
        check_one_line_error(name, done, codes=(2,), words=("RANK",))


CASES = [predict_output_is_an_input, tokenize_output_is_an_input, output_where_it_cannot_be, misspelled_verbs,
         tokenize_max_length, tokenize_column_and_threads, tokenize_output_is_whole_or_absent,
         launcher_variables_unusable]


def main():
    with tempfile.TemporaryDirectory(prefix="hft-bad-cli-") as tmp:
        run_cases(CASES, tmp)


if __name__ == "__main__":
    main()
