#!/usr/bin/env python3
"""Reference label spaces: what run_glue.py derives from a training file.

Usage: data_labels.py JOBS.json OUT.jsonl
JOBS.json: a list of {"path", "column_names" | null, "label": COLUMN} (files read as in data_tables.py).
Follows run_glue.py (no task_name): is_regression when the label column's dtype is float32/float64;
otherwise label_list = sorted(dataset.unique(label)), written as str(label) the way label2id keys
end up in config.json. A column of lists is multi-label as in run_classification.py: the str() of
every label of every list, sorted as strings.
Writes one JSON line per job: {"regression": bool, "multi_label": bool, "labels": [...]}.
"""
import json
import os
import sys
import tempfile

import datasets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data_tables import load  # noqa: E402


def main():
    datasets.disable_progress_bars()
    jobs = json.load(open(sys.argv[1], encoding="utf-8"))
    with tempfile.TemporaryDirectory() as cache_dir, open(sys.argv[2], "w", encoding="utf-8") as out:
        for job in jobs:
            table = load(job, cache_dir)
            feature = table.features[job["label"]]
            regression = getattr(feature, "dtype", None) in ["float32", "float64"]
            multi_label = isinstance(feature, (datasets.List, datasets.LargeList, list))
            if regression:
                labels = []
            elif multi_label:
                labels = sorted({str(label) for row in table[job["label"]] for label in row})
            else:
                labels = [str(label) for label in sorted(table.unique(job["label"]))]
            out.write(json.dumps({"regression": regression, "multi_label": multi_label, "labels": labels}) + "\n")


if __name__ == "__main__":
    main()
