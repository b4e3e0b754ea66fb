#!/usr/bin/env python3
"""hft tokenize vs the Python Hugging Face stack, row by row, over the GLUE files.

Runs tests/oracle/tokenize_reference.py (the oracle) and `hft tokenize` on the same rows and
requires every row's input_ids, token_type_ids, attention_mask, special_tokens_mask and
character offsets to be equal, and for the GLUE rows and single hard strings the ids decoded back
to text (with and without special tokens). Rows: SST-2 train+dev (sentence), CoLA train+dev (no header,
sentence in column 3), STS-B train+dev sentence pairs (sentence1, sentence2), truncated with
longest_first at --max-length; the STS-B pairs once more at --pair-max-length. Then the
hand-written hard strings (tokenize_hard_strings.py: empty, whitespace only, combining marks,
CJK, emoji, zero-width and control characters, long words, a 1 MB line) whole, and as pairs
at --pair-max-length.

Usage: tokenize_oracle_test.py --hft build/hft --tokenizer PATH --loader {tokenizers,transformers}
                               [--do-lower-case true|false] [--data data/glue]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from tokenize_hard_strings import write_hard_strings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from tokenizer_variants import VARIANTS, build_variant  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "..", "oracle", "tokenize_reference.py")
DEFAULT_DATA = os.path.join(HERE, "..", "..", "data", "glue")


def hard_jobs(out_dir):
    hard = os.path.join(out_dir, "hard.tsv")
    write_hard_strings(hard)
    jobs = [{"name": "hard strings", "input": hard, "column": "sentence"},
            {"name": "hard string pairs", "input": hard, "column": "sentence", "pair_column": "pair"}]
    for job in jobs:
        job["output"] = os.path.join(out_dir, job["name"].replace(" ", "-") + ".oracle.jsonl")
    return jobs


def glue_jobs(data, out_dir, splits=("train", "dev")):
    specs = []
    for split in splits:
        specs.append(("SST-2", split, {"column": "sentence"}))
        specs.append(("CoLA", split, {"column": "3", "no_header": True}))
        specs.append(("STS-B", split, {"column": "sentence1", "pair_column": "sentence2"}))
    jobs = []
    for task, split, columns in specs:
        path = os.path.join(data, task, f"{split}.tsv")
        path = path if os.path.exists(path) else path + ".gz"  # SST-2 train is stored compressed
        job = {"name": f"{task}/{split}", "input": path, **columns}
        job["output"] = os.path.join(out_dir, f"{task}-{split}.oracle.jsonl")
        jobs.append(job)
    return jobs


def rounds_for(args, out_dir):
    """(max_length, jobs): GLUE at --max-length, also decoded; pairs again at --pair-max-length;
    the hard single strings without truncation (and decoded), so that every token is compared."""
    glue, hard = glue_jobs(args.data, out_dir, ("dev",) if args.dev_only else ("train", "dev")), hard_jobs(out_dir)
    for job in glue + hard[:1]:
        job["decode"] = True
    short = [dict(j, output=j["output"].replace(".oracle", ".short.oracle")) for j in glue if j.get("pair_column")]
    return [(args.max_length, glue), (args.pair_max_length, short + hard[1:]), (0, hard[:1])]


def run_oracle(args, jobs, max_length, jobs_path):
    with open(jobs_path, "w", encoding="utf-8") as f:
        json.dump(jobs, f)
    cmd = [sys.executable, ORACLE, "--loader", args.loader, "--tokenizer", args.tokenizer,
           "--max-length", str(max_length), "--with-offsets", "--jobs", jobs_path]
    if args.do_lower_case:
        cmd += ["--do-lower-case", args.do_lower_case]
    if args.tokenizer_class:
        cmd += ["--tokenizer-class", args.tokenizer_class]
    subprocess.run(cmd, check=True)


def run_hft(args, job, max_length, output):
    cmd = [args.hft, "tokenize", "--tokenizer", args.tokenizer, "--input", job["input"], "--column", job["column"],
           "--with-offsets", "--output", output]
    if max_length:  # 0: no truncation, which hft says by leaving --max-length out
        cmd += ["--max-length", str(max_length)]
    if job.get("pair_column"):
        cmd += ["--pair-column", job["pair_column"]]
    if job.get("no_header"):
        cmd.append("--no-header")
    if job.get("decode"):
        cmd.append("--decode")
    subprocess.run(cmd, check=True)


def shorten(line, limit=400):
    return line if len(line) <= limit else line[:limit] + f"... ({len(line)} chars)"


def compare(job, expected_path, actual_path, max_report=5):
    with open(expected_path, encoding="utf-8") as f:
        expected = f.read().splitlines()
    with open(actual_path, encoding="utf-8") as f:
        actual = f.read().splitlines()
    if len(expected) != len(actual):
        print(f"FAIL {job['name']}: oracle has {len(expected)} rows, hft {len(actual)}")
        return len(expected), max(len(expected), 1)
    bad = 0
    for i, (e, a) in enumerate(zip(expected, actual)):
        if json.loads(e) != json.loads(a):
            bad += 1
            if bad <= max_report:
                print(f"MISMATCH {job['name']} row {i}:\n  oracle {shorten(e)}\n  hft    {shorten(a)}")
    status = "ok" if bad == 0 else "FAIL"
    print(f"{status} {job['name']} (max_length {job['max_length']}): {len(expected) - bad}/{len(expected)} rows equal")
    return len(expected), bad


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hft", required=True)
    p.add_argument("--tokenizer", required=True)
    p.add_argument("--loader", choices=["tokenizers", "transformers"], required=True)
    p.add_argument("--do-lower-case", choices=["true", "false"])
    p.add_argument("--tokenizer-class", help="transformers class for --loader transformers (default BertTokenizer)")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--pair-max-length", type=int, default=16)
    p.add_argument("--variant", choices=sorted(VARIANTS),
                   help="instead of --tokenizer's file, a tokenizer.json variant built from the files in "
                        "--tokenizer (a tokenizers folder) by tests/oracle/tokenizer_variants.py")
    p.add_argument("--dev-only", action="store_true", help="GLUE dev files only")
    args = p.parse_args()

    if not os.path.isdir(args.data) or not os.path.exists(args.tokenizer):
        print(f"{args.data} or {args.tokenizer} is not there (data/glue and tests/fixtures/tokenizers are in the repository)")
        return 1
    total = bad = 0
    with tempfile.TemporaryDirectory(prefix="hft-tokenize-oracle-") as out_dir:
        if args.variant:
            args.tokenizer = build_variant(args.variant, args.tokenizer, out_dir)
        rounds = rounds_for(args, out_dir)
        for max_length, jobs in rounds:
            run_oracle(args, jobs, max_length, os.path.join(out_dir, f"jobs-{max_length}.json"))
            for job in jobs:
                job["max_length"] = max_length
                actual = job["output"].replace(".oracle.jsonl", ".hft.jsonl")
                run_hft(args, job, max_length, actual)
                n, b = compare(job, job["output"], actual)
                total += n
                bad += b
    print(f"{args.tokenizer}: {total - bad}/{total} rows equal to the oracle")
    return 0 if bad == 0 and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
