#!/usr/bin/env python3
"""Reference encodings of sentences already split into words, as run_ner.py tokenizes them:
tokenizer(words, is_split_into_words=True, truncation=True, max_length=M), with word_ids().

Usage: tokenize_words.py JOB.json SCRATCH_DIR
JOB.json: {"sentences": [[word, ...], ...], "max_lengths": [0, M, ...] (0: no truncation),
           "texts": [text, ...] (plain text, for the word ids of ordinary encoding),
           "pairs": [[text, text], ...] (text pairs: each text numbers its words from 0)}
Prints one JSON object: {name: {"path": what hft loads, "add_prefix_space": what hft loads it
with (null: as the files say), "words": {"M": [row per sentence]}, "texts": [row per text], "pairs": [row per pair]}}, a
row being input_ids, token_type_ids, offsets, word_ids (None -> -1).

Tokenizers: the fixtures under tests/fixtures/tokenizers loaded by their transformers class (as
tests/oracle/tokenize_reference.py does; the byte-level ones also with add_prefix_space=True, as
run_ner.py loads them), and tokenizer.json variants (tokenizer_variants.py) encoded by the
`tokenizers` library with is_pretokenized=True or loaded by RobertaTokenizer with
add_prefix_space=True.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tokenize_reference import TransformersLoader  # noqa: E402
from tokenizer_variants import build_variant  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "tokenizers")

# name -> (fixture folder, transformers class, do_lower_case, add_prefix_space); the byte-level
# ones also as run_ner.py loads them for words, from_pretrained(..., add_prefix_space=True).
FIXTURE_CLASSES = {
    "bert-base-uncased": ("bert-base-uncased", "BertTokenizer", None, None),
    "bert-base-cased": ("bert-base-cased", "BertTokenizer", False, None),
    "gpt2": ("gpt2", "GPT2Tokenizer", None, None),
    "gpt2 add_prefix_space": ("gpt2", "GPT2Tokenizer", None, True),
    "albert-base-v2": ("albert-base-v2", "AlbertTokenizer", None, None),
    "t5-small": ("t5-small", "T5Tokenizer", None, None),
    "llama-2": ("llama-2", "LlamaTokenizer", None, None),
}

# tokenizer.json variants (tokenizer_variants.py), encoded by `tokenizers` as they are.
VARIANTS = ["roberta_like", "gpt2_prefix_space", "llama_converted", "t5_converted", "albert_converted"]

# Variants loaded by a transformers class with add_prefix_space=True: name -> (variant, class).
VARIANTS_WITH_PREFIX_SPACE = {"roberta_like add_prefix_space": ("roberta_like", "RobertaTokenizer")}


def row(ids, type_ids, offsets, word_ids):
    return {"input_ids": list(ids), "token_type_ids": list(type_ids), "offsets": [list(o) for o in offsets],
            "word_ids": [-1 if w is None else w for w in word_ids]}


def transformers_rows(tokenizer, inputs, max_length, split):
    """inputs: word lists (split), texts, or (text, text) pairs."""
    firsts, seconds = (inputs, None) if not inputs or not isinstance(inputs[0], tuple) else map(list, zip(*inputs))
    batch = tokenizer(firsts, seconds, is_split_into_words=split, truncation=bool(max_length),
                      max_length=max_length or None, return_token_type_ids=True, return_offsets_mapping=True)
    return [row(batch["input_ids"][i], batch["token_type_ids"][i], batch["offset_mapping"][i], batch.word_ids(i))
            for i in range(len(inputs))]


def tokenizers_rows(path, inputs, max_length, split):
    import tokenizers

    tokenizer = tokenizers.Tokenizer.from_file(path)
    if max_length:
        tokenizer.enable_truncation(max_length)
    return [row(e.ids, e.type_ids, e.offsets, e.word_ids)
            for e in tokenizer.encode_batch(inputs, is_pretokenized=split)]


def encode_all(encode, job):
    return {"words": {str(m): encode(job["sentences"], m, True) for m in job["max_lengths"]},
            "texts": encode(job["texts"], 0, False), "pairs": encode([tuple(p) for p in job["pairs"]], 0, False)}


def transformers_tokenizer(path, class_name, lower, add_prefix_space):
    loader = TransformersLoader(path, 0, "longest_first", lower, class_name)
    if add_prefix_space is None:
        return loader.tokenizer
    import transformers

    return getattr(transformers, class_name).from_pretrained(path, add_prefix_space=add_prefix_space)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    scratch = sys.argv[2]
    out = {}
    for name, (folder, class_name, lower, prefix_space) in FIXTURE_CLASSES.items():
        path = os.path.join(FIXTURES, folder)
        tokenizer = transformers_tokenizer(path, class_name, lower, prefix_space)
        out[name] = {"path": path, "add_prefix_space": prefix_space,
                     **encode_all(lambda x, m, s: transformers_rows(tokenizer, x, m, s), job)}
    for name in VARIANTS:
        path = build_variant(name, FIXTURES, scratch)
        out["variant " + name] = {"path": path, "add_prefix_space": None,
                                  **encode_all(lambda x, m, s: tokenizers_rows(path, x, m, s), job)}
    for name, (variant, class_name) in VARIANTS_WITH_PREFIX_SPACE.items():
        path = build_variant(variant, FIXTURES, scratch)
        tokenizer = transformers_tokenizer(os.path.dirname(path), class_name, None, True)
        out["variant " + name] = {"path": path, "add_prefix_space": True,
                                  **encode_all(lambda x, m, s: transformers_rows(tokenizer, x, m, s), job)}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
