#!/usr/bin/env python3
"""Benchmark: one epoch of load + tokenize + collate, hft against the Python stack, in one run.

Python side: datasets.load_dataset("csv", delimiter="\\t", quoting=QUOTE_NONE) + Dataset.map with
the fast tokenizer (batched, truncation at 128) + a DataLoader (random order) with
DataCollatorWithPadding. hft side: build/bench_data, cold (empty cache) and cached.
Prints wall times and ratios; asserts nothing.

Usage: scripts/bench/data_pipeline.py [--data data/glue/SST-2/train.tsv.gz]
       [--tokenizer models/all-MiniLM-L6-v2] [--batch-size 32] [--bench build/scripts/bench/bench_data]
"""
import argparse
import csv
import json
import os
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def python_epoch(data, tokenizer_dir, batch_size):
    import datasets
    import torch
    from transformers import AutoTokenizer, DataCollatorWithPadding

    datasets.disable_progress_bars()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
        table = datasets.load_dataset("csv", data_files=data, delimiter="\t", quoting=csv.QUOTE_NONE,
                                      split="train", cache_dir=cache)
        encoded = table.map(lambda rows: tokenizer(rows["sentence"], truncation=True, max_length=128),
                            batched=True, remove_columns=["sentence"])
        loader = torch.utils.data.DataLoader(encoded, batch_size=batch_size, shuffle=True,
                                             collate_fn=DataCollatorWithPadding(tokenizer))
        for _ in loader:
            pass
    return time.perf_counter() - start


def hft_epoch(bench, tokenizer_dir, data, cache, batch_size):
    done = subprocess.run([bench, tokenizer_dir, data, cache, str(batch_size)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(REPO, "data", "glue", "SST-2", "train.tsv.gz"))
    parser.add_argument("--tokenizer", default=os.path.join(REPO, "models", "all-MiniLM-L6-v2"))
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--bench", default=os.path.join(REPO, "build", "scripts", "bench", "bench_data"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        cold = hft_epoch(args.bench, args.tokenizer, args.data, cache, args.batch_size)
        cached = hft_epoch(args.bench, args.tokenizer, args.data, cache, args.batch_size)
    python_s = python_epoch(args.data, args.tokenizer, args.batch_size)
    print(f"rows {cold['rows']}, batches of {args.batch_size}: {cold['batches']}")
    print(f"python (datasets.map + DataLoader + DataCollatorWithPadding): {python_s:.3f} s")
    print(f"hft cold:   {cold['total_s']:.3f} s (load+tokenize {cold['load_s']:.3f} s)  "
          f"ratio {python_s / cold['total_s']:.1f}x")
    print(f"hft cached: {cached['total_s']:.3f} s (load {cached['load_s']:.3f} s)  "
          f"ratio {python_s / cached['total_s']:.1f}x")


if __name__ == "__main__":
    main()
