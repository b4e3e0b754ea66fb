#!/usr/bin/env python3
"""Reference batches: transformers.DataCollatorWithPadding on given encodings.

Usage: data_collate.py JOB.json OUT.jsonl
JOB.json: {"tokenizer": DIR, "padding_side": "left"|"right", "padding": "longest"|"max_length",
           "max_length": N | null, "pad_to_multiple_of": M | null,
           "features": [{"input_ids": [...], "token_type_ids": [...]?, "label": x?}, ...],
           "batches": [[row, ...], ...]}
Each feature gets attention_mask [1]*len, as the tokenizer returns it. Writes one JSON line per
batch: {name: {"dtype": str, "shape": [...], "values": [flattened]}} for every tensor returned.
"""
import json
import sys

from transformers import AutoTokenizer, DataCollatorWithPadding


def main():
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    tokenizer = AutoTokenizer.from_pretrained(job["tokenizer"])
    tokenizer.padding_side = job["padding_side"]
    collator = DataCollatorWithPadding(tokenizer, padding=job["padding"], max_length=job.get("max_length"),
                                       pad_to_multiple_of=job.get("pad_to_multiple_of"), return_tensors="pt")
    features = [dict(f, attention_mask=[1] * len(f["input_ids"])) for f in job["features"]]
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for rows in job["batches"]:
            batch = collator([dict(features[r]) for r in rows])
            record = {name: {"dtype": str(t.dtype), "shape": list(t.shape), "values": t.flatten().tolist()}
                      for name, t in batch.items()}
            out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
