#!/usr/bin/env python3
"""hft tokenize on bad input: each case must exit with code 2 and one line on stderr that names
the file (and JSON path, row or component) and what would be right, never crash, and never
leave an output file behind. Cases written by hand into a temporary folder:
  a missing folder, malformed JSON, an unsupported component, a wrongly typed value, a regex
  that does not compile, a file that is not a SentencePiece model, invalid UTF-8 in row 3.

Usage: tokenize_bad_input_test.py --hft build/hft
"""
import argparse
import os
import subprocess
import sys
import tempfile

TINY_MODEL = '"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}}'
BERT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tokenizers",
                    "bert-base-uncased")

# (name, files of the tokenizer folder, input rows, what stderr must contain)
CASES = [
    ("missing folder", None, "a", ["does not exist", "tokenizer.json"]),
    ("malformed JSON", {"tokenizer.json": '{"model": '}, "a", ["tokenizer.json:1:", "not valid JSON"]),
    ("unsupported component", {"tokenizer.json": '{"normalizer": {"type": "Foo"}, ' + TINY_MODEL + "}"}, "a",
     ["tokenizer.json: normalizer", '"Foo"', "supported: BertNormalizer", "NFKC"]),
    ("wrongly typed value", {"tokenizer.json": '{"normalizer": {"type": "BertNormalizer", "lowercase": "yes"}, '
                                               + TINY_MODEL + "}"}, "a",
     ["tokenizer.json: normalizer.lowercase", "true or false"]),
    ("regex that does not compile", {"tokenizer.json": '{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(["},'
                                                       ' "behavior": "Isolated"}, ' + TINY_MODEL + "}"}, "a",
     ["tokenizer.json: pre_tokenizer.pattern", "does not compile"]),
    ("not a SentencePiece model", {"spiece.model": "not a model"}, "a", ["spiece.model", "not a SentencePiece model"]),
    ("invalid UTF-8 in a row", "bert", b"ok\nbad \xff here", ["input.tsv:3", "invalid UTF-8"]),
]


def run_case(hft, tmp, name, files, rows, expected):
    case_dir = os.path.join(tmp, name.replace(" ", "-"))
    os.makedirs(case_dir)
    if files is None:
        tokenizer = os.path.join(case_dir, "no-such-model")
    elif files == "bert":
        tokenizer = BERT
    else:
        tokenizer = os.path.join(case_dir, "model")
        os.makedirs(tokenizer)
        for file, content in files.items():
            with open(os.path.join(tokenizer, file), "w", encoding="utf-8") as f:
                f.write(content)
    data = rows if isinstance(rows, bytes) else rows.encode("utf-8")
    with open(os.path.join(case_dir, "input.tsv"), "wb") as f:
        f.write(b"sentence\n" + data + b"\n")
    output = os.path.join(case_dir, "out.jsonl")
    done = subprocess.run([hft, "tokenize", "--tokenizer", tokenizer, "--input", os.path.join(case_dir, "input.tsv"),
                           "--column", "sentence", "--output", output], capture_output=True, text=True)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    problems = []
    if done.returncode != 2:
        problems.append(f"exit code {done.returncode}, expected 2")
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr, expected 1")
    problems += [f"stderr lacks {e!r}" for e in expected if e not in done.stderr]
    if os.path.exists(output):
        problems.append("an output file was left behind")
    print(("ok   " if not problems else "FAIL ") + f"{name}: {done.stderr.strip()}")
    for p in problems:
        print(f"     {p}")
    return not problems


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hft", required=True)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="hft-tokenize-bad-") as tmp:
        passed = [run_case(args.hft, tmp, *case) for case in CASES]
    print(f"{sum(passed)}/{len(passed)} bad inputs refused as they should be")
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
