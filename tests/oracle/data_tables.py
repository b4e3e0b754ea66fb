#!/usr/bin/env python3
"""Reference tables: what `datasets.load_dataset` returns for data files, cell by cell.

Usage: data_tables.py JOBS.json OUT.jsonl
JOBS.json is a list of {"path": ..., "column_names": [...] | null, "field": ... | null,
"shuffle_seed": N | null} (shuffle_seed: the rows in Dataset.shuffle(seed=N) order).
Files are read as the hft readers mirror: .csv with load_dataset("csv") defaults, .tsv with
load_dataset("csv", delimiter="\\t", quoting=csv.QUOTE_NONE) (the only quoting under which
datasets reads every GLUE file), .json/.jsonl with load_dataset("json").
Writes one JSON line per job: {"path", "num_rows", "columns": [{"name", "dtype", "values"}]}.
"""
import csv
import json
import math
import sys
import tempfile

import datasets


def load(job, cache_dir):
    path = job["path"]
    kwargs = {"data_files": path, "split": "train", "cache_dir": cache_dir}
    if path.removesuffix(".gz").endswith((".json", ".jsonl")):
        if job.get("field"):
            kwargs["field"] = job["field"]
        return datasets.load_dataset("json", **kwargs)
    if job.get("column_names"):
        kwargs["column_names"] = job["column_names"]
    if path.removesuffix(".gz").endswith(".tsv"):
        kwargs.update(delimiter="\t", quoting=csv.QUOTE_NONE)
    return datasets.load_dataset("csv", **kwargs)


def plain(value):
    """NaN (a missing number) as null, which JSON can hold."""
    return None if isinstance(value, float) and math.isnan(value) else value


def main():
    datasets.disable_progress_bars()
    jobs = json.load(open(sys.argv[1], encoding="utf-8"))
    with tempfile.TemporaryDirectory() as cache_dir, open(sys.argv[2], "w", encoding="utf-8") as out:
        for job in jobs:
            table = load(job, cache_dir)
            if job.get("shuffle_seed") is not None:
                table = table.shuffle(seed=job["shuffle_seed"])
            columns = [{"name": name, "dtype": str(table.features[name].dtype), "values": [plain(v) for v in table[name]]}
                       for name in table.column_names]
            out.write(json.dumps({"path": job["path"], "num_rows": table.num_rows, "columns": columns}) + "\n")


if __name__ == "__main__":
    main()
