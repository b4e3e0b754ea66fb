#!/usr/bin/env python3
"""Reference encodings: rows of a data file tokenized as run_glue.py tokenizes them.

Usage: data_encodings.py JOB.json OUT.jsonl
JOB.json: {"tokenizer": DIR, "path": FILE, "first": COLUMN, "second": COLUMN | null,
           "column_names": [...] | null, "max_seq_length": N}
Reads the file with tests/oracle/data_tables.py's options, calls
AutoTokenizer(first, second, truncation=True, max_length=min(N, model_max_length)) on every row
and writes one JSON line per row: {"input_ids": [...], "token_type_ids": [...]}.
"""
import json
import os
import sys
import tempfile

import datasets
from transformers import AutoTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data_tables import load  # noqa: E402


def main():
    datasets.disable_progress_bars()
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    tokenizer = AutoTokenizer.from_pretrained(job["tokenizer"])
    max_length = min(job["max_seq_length"], tokenizer.model_max_length)
    with tempfile.TemporaryDirectory() as cache_dir:
        table = load(job, cache_dir)
    args = [list(table[job["first"]])] + ([list(table[job["second"]])] if job.get("second") else [])
    encoded = tokenizer(*args, truncation=True, max_length=max_length)
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for i in range(table.num_rows):
            row = {"input_ids": encoded["input_ids"][i], "token_type_ids": encoded["token_type_ids"][i]}
            out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
