#!/usr/bin/env python3
"""GSM8K as conversational prompt/completion JSONL for hft's `task: text-generation`.

Usage: gsm8k_to_sft.py SRC_DIR OUT_DIR

SRC_DIR holds the original files of github.com/openai/grade-school-math (MIT), e.g. from
`git show 3101c7d5072418e28b9008a6636bde82a006892c:grade_school_math/data/train.jsonl`:
train.jsonl and test.jsonl, one {"question", "answer"} object a line. Each line becomes
{"prompt": [{"role": "user", "content": question}], "completion": [{"role": "assistant", "content": answer}]},
in the same order; question and answer are kept verbatim (the answer keeps its <<...>> calculator
annotations and its final "#### N" line). Written as UTF-8 (ensure_ascii=False), one object a line.
"""
import json
import os
import sys


def convert(src, dst):
    n = 0
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8", newline="\n") as fout:
        for line in fin:
            if not line.strip():
                continue
            row = json.loads(line)
            out = {"prompt": [{"role": "user", "content": row["question"]}],
                   "completion": [{"role": "assistant", "content": row["answer"]}]}
            fout.write(json.dumps(out, ensure_ascii=False) + "\n")
            n += 1
    return n


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for split in ("train", "test"):
        n = convert(os.path.join(src_dir, split + ".jsonl"), os.path.join(out_dir, split + ".jsonl"))
        print(f"{split}: {n} rows")
