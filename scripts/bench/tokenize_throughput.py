#!/usr/bin/env python3
"""Benchmark: tokens per second of hft and of the Python `tokenizers` library, in one run.

Corpora: SST-2 train sentences, and every GLUE sentence under --data (SST-2, CoLA, STS-B
train/dev/test; STS-B pairs as two sentences) concatenated. Tokenizers: bert-base-uncased
(WordPiece) and gpt2 (byte-level BPE) tokenizer.json, the same file for both sides. Each side
encodes the whole corpus with special tokens and no truncation, on one thread and on all cores
(hft: build/scripts/bench/bench_tokenize with encode_batch; Python: Tokenizer.encode_batch in a
fresh process, RAYON_NUM_THREADS=1 for one thread); the four runs alternate for --rounds rounds
and the fastest of all their --repeat repeats counts. Prints a table with hft/Python ratios and
each side's scaling with threads and, as the last line of stdout, one JSON object with the
figures. Asserts nothing.

Usage: scripts/bench/tokenize_throughput.py [--bench build/scripts/bench/bench_tokenize]
       [--data data/glue] [--tokenizers tests/fixtures/tokenizers] [--repeat 3]
       [--rounds 3]
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(REPO, "data")
FIXTURES = os.path.join(REPO, "tests", "fixtures")
TOKENIZERS = {"wordpiece (bert-base-uncased)": "bert-base-uncased/tokenizer.json",
              "bpe (gpt2)": "gpt2/tokenizer.json"}

PYTHON_SIDE = r"""
import json, sys, time
from tokenizers import Tokenizer
tokenizer = Tokenizer.from_file(sys.argv[1])
texts = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
best, tokens = float("inf"), 0
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    encodings = tokenizer.encode_batch(texts, add_special_tokens=True)
    best = min(best, time.perf_counter() - start)
    tokens = sum(len(e.ids) for e in encodings)
print(json.dumps({"texts": len(texts), "tokens": tokens, "seconds": best}))
"""


def glue_file(data, task, split):
    """data/glue/TASK/SPLIT.tsv, or its gzip-compressed .tsv.gz where that is what is stored."""
    path = os.path.join(data, task, f"{split}.tsv")
    return path if os.path.exists(path) else path + ".gz"


def column(path, name=None, index=None):
    with (gzip.open if path.endswith(".gz") else open)(path, "rt", encoding="utf-8") as f:
        rows = [line.rstrip("\r\n").split("\t") for line in f if line.strip("\r\n")]
    if name is not None:
        header, rows = rows[0], rows[1:]
        index = header.index(name)
    return [row[index] for row in rows if index < len(row)]


def corpora(data):
    sst2_train = column(glue_file(data, "SST-2", "train"), "sentence")
    every = []
    for split in ("train", "dev", "test"):
        every += column(glue_file(data, "SST-2", split), "sentence")
        cola = glue_file(data, "CoLA", split)
        every += column(cola, "sentence") if split == "test" else column(cola, index=3)
        stsb = glue_file(data, "STS-B", split)
        every += column(stsb, "sentence1") + column(stsb, "sentence2")
    return {"sst2_train": sst2_train, "glue_all": every}


def run_json(cmd, env=None):
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def python_env(threads):
    env = dict(os.environ)
    if threads == 1:
        env["RAYON_NUM_THREADS"] = "1"
    else:
        env.pop("RAYON_NUM_THREADS", None)
    return env


def measure(args, tokenizer, texts_path):
    """tokens/s of both sides on one thread and on all threads, and each side's scaling (all
    threads / one thread). The four runs alternate for --rounds rounds and the fastest counts,
    so that a slow spell of a shared machine falls on all of them alike."""
    seconds, tokens = {}, {}
    for _ in range(args.rounds):
        for threads, label in ((1, "1_thread"), (0, "all_threads")):
            runs = {"hft": run_json([args.bench, tokenizer, texts_path, str(threads), str(args.repeat)]),
                    "python": run_json([sys.executable, "-c", PYTHON_SIDE, tokenizer, texts_path, str(args.repeat)],
                                       python_env(threads))}
            for side, run in runs.items():
                seconds[side, label] = min(seconds.get((side, label), float("inf")), run["seconds"])
                tokens[side] = run["tokens"]
    if tokens["hft"] != tokens["python"]:
        print(f"warning: hft made {tokens['hft']} tokens, tokenizers {tokens['python']}", file=sys.stderr)
    out = {}
    for label in ("1_thread", "all_threads"):
        out[label] = {"hft_tokens_per_s": tokens["hft"] / seconds["hft", label],
                      "python_tokens_per_s": tokens["python"] / seconds["python", label], "tokens": tokens["hft"]}
        out[label]["ratio"] = out[label]["hft_tokens_per_s"] / out[label]["python_tokens_per_s"]
    for side in ("hft", "python"):
        out[f"{side}_scaling"] = seconds[side, "1_thread"] / seconds[side, "all_threads"]
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", default=os.path.join(REPO, "build", "scripts", "bench", "bench_tokenize"))
    p.add_argument("--data", default=os.path.join(DATA, "glue"))
    p.add_argument("--tokenizers", default=os.path.join(FIXTURES, "tokenizers"))
    p.add_argument("--repeat", type=int, default=3, help="repeats per run (the fastest counts)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of the four alternating runs")
    args = p.parse_args()

    results = {"cores": os.cpu_count(), "results": {}}
    with tempfile.TemporaryDirectory(prefix="hft-bench-tokenize-") as tmp:
        for corpus, texts in corpora(args.data).items():
            path = os.path.join(tmp, corpus + ".txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write("".join(t + "\n" for t in texts))
            for name, file in TOKENIZERS.items():
                r = measure(args, os.path.join(args.tokenizers, file), path)
                results["results"][f"{corpus} / {name}"] = r
                for label in ("1_thread", "all_threads"):
                    v = r[label]
                    print(f"{corpus:10s} {name:30s} {label:11s} hft {v['hft_tokens_per_s'] / 1e6:7.2f} M tok/s  "
                          f"tokenizers {v['python_tokens_per_s'] / 1e6:7.2f} M tok/s  ratio {v['ratio']:5.2f}x")
                print(f"{corpus:10s} {name:30s} scaling     hft {r['hft_scaling']:5.2f}x  "
                      f"tokenizers {r['python_scaling']:5.2f}x (all threads / one)")
    print(json.dumps({"benchmark": "tokenize_throughput", **results}))


if __name__ == "__main__":
    main()
