"""Oracle: a folder written by hft's save_pretrained loads in transformers cleanly.

Usage: check_saved_model.py MODEL_DIR HFT_LOGITS.safetensors LABEL,LABEL,... [sequence|token|choice|causal]
Loads MODEL_DIR with AutoModelForSequenceClassification (or AutoModelForTokenClassification,
AutoModelForMultipleChoice, AutoModelForCausalLM) and AutoTokenizer, fails on any warning about missing or unexpected
weights, checks that the class loaded is the one config.json's architectures names, checks
id2label, and compares its logits on the batch stored in HFT_LOGITS with the logits hft computed
(within 1e-5). Exit code 0 when all hold.
"""
import inspect
import json
import logging
import os
import sys

import torch
from safetensors.torch import load_file
from transformers import (AutoModelForCausalLM, AutoModelForMultipleChoice, AutoModelForSequenceClassification,
                          AutoModelForTokenClassification, AutoTokenizer)
from transformers.utils import logging as hf_logging


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def main():
    model_dir, logits_file, labels = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    head = sys.argv[4] if len(sys.argv) > 4 else "sequence"
    auto_class = {"sequence": AutoModelForSequenceClassification, "token": AutoModelForTokenClassification,
                  "choice": AutoModelForMultipleChoice, "causal": AutoModelForCausalLM}[head]
    collected = Collect()
    hf_logging.get_logger("transformers").addHandler(collected)
    model = auto_class.from_pretrained(model_dir).eval()
    with open(os.path.join(model_dir, "config.json")) as f:
        architectures = json.load(f).get("architectures")
    if architectures != [type(model).__name__]:
        sys.exit(f"config.json's architectures is {architectures}; transformers loaded {type(model).__name__}")
    AutoTokenizer.from_pretrained(model_dir)
    load_problems = [m for m in collected.messages if "newly initialized" in m or "not used" in m or "MISSING" in m
                     or "UNEXPECTED" in m]
    if load_problems:
        sys.exit("transformers reported weight problems: " + " | ".join(load_problems))
    if [model.config.id2label[i] for i in range(len(labels))] != labels:
        sys.exit(f"id2label is {model.config.id2label}, expected {labels}")
    batch = load_file(logits_file)
    accepted = inspect.signature(model.forward).parameters  # DistilBERT, ModernBERT: no token_type_ids
    # Decoders get none either: GPT-2 would add the embedding of token 0 for zeros, hft's takes no types.
    names = ("input_ids", "attention_mask") if head == "causal" else ("input_ids", "attention_mask", "token_type_ids")
    inputs = {key: batch[key] for key in names if key in accepted}
    with torch.no_grad():
        logits = model(**inputs).logits
    diff = (logits - batch["logits"]).abs().max().item()
    if diff > 1e-5:
        sys.exit(f"logits differ from hft's by {diff}")
    print(f"transformers loads the hft model cleanly; logits match within {diff:.2e}")


if __name__ == "__main__":
    main()
