#!/usr/bin/env python3
"""Reference token ids from the Python Hugging Face stack, for tests that compare hft with it.

Reads rows of TSV files the way `hft tokenize` does (one row per line, tab-separated, no
quoting, empty lines skipped) and writes, per row, one JSON line:
  {"input_ids": [...], "token_type_ids": [...], "attention_mask": [...]}
plus "special_tokens_mask" and "offsets" with --with-offsets, and with --decode "decoded" and
"decoded_skip_special": the ids decoded back to text (skip_special_tokens false / true).

Loaders:
  tokenizers    tokenizers.Tokenizer.from_file(PATH to tokenizer.json)
  transformers  transformers.<--tokenizer-class>.from_pretrained(DIR, do_lower_case=...); given
                a vocab.txt / vocab.json path, from a folder holding only that tokenizer's files;
                LlamaTokenizer segmenting as the sentencepiece library (llama_as_sentencepiece)

One file:   --input F --output O [--column C] [--pair-column C2] [--no-header]
Many files: --jobs JOBS.json, a list of {"input", "output", "column", "pair_column", "no_header"}
"""
import argparse
import gzip
import json
import os
import sys
import tempfile


def read_column(path, column, no_header):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        lines = [line[:-1] if line.endswith(b"\r") else line for line in f.read().split(b"\n")]
    rows = [line.decode("utf-8").split("\t") for line in lines if line]
    header = None if no_header else rows[0]
    body = rows if no_header else rows[1:]
    if header is not None and column in header:
        index = header.index(column)
    else:
        index = int(column)
    return [row[index] for row in body]


class TokenizersLoader:
    def __init__(self, path, max_length, truncation):
        import tokenizers

        self.tokenizer = tokenizers.Tokenizer.from_file(path)
        if max_length:
            self.tokenizer.enable_truncation(max_length, strategy=truncation)

    def encode(self, texts, pairs, add_special_tokens):
        inputs = list(zip(texts, pairs)) if pairs is not None else texts
        out = []
        for e in self.tokenizer.encode_batch(inputs, add_special_tokens=add_special_tokens):
            out.append({"input_ids": e.ids, "token_type_ids": e.type_ids, "attention_mask": e.attention_mask,
                        "special_tokens_mask": e.special_tokens_mask, "offsets": [list(o) for o in e.offsets]})
        return out

    def decode(self, ids, skip_special_tokens):
        return self.tokenizer.decode_batch(ids, skip_special_tokens=skip_special_tokens)


def llama_as_sentencepiece(model_file):
    """transformers' LlamaTokenizer for a bare tokenizer.model, segmenting as the sentencepiece
    library (which the checkpoint was trained with) and the hub's Llama 2 tokenizer.json do:
    merges ranked by the pieces' scores (transformers' own SentencePieceExtractor, which gives
    generate_merges the scores), and the legacy normalizer Prepend("▁") + Replace(" ", "▁").
    from_pretrained on the bare file ranks the merges by piece id instead, so that runs of spaces
    (scored -1e9 by Llama, to merge last) split differently, and adds no "▁" to a text that
    starts with a space. transformers adds <s> (add_bos_token: true, as Llama checkpoints'
    tokenizer_config.json says), pairs, truncation, type ids and offsets."""
    from tokenizers import normalizers
    from transformers import LlamaTokenizer
    from transformers.tokenization_utils_sentencepiece import SentencePieceExtractor

    vocab, _, merges = SentencePieceExtractor(model_file).extract()
    tokenizer = LlamaTokenizer(vocab=vocab, merges=merges, add_bos_token=True)
    tokenizer.backend_tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tokenizer.backend_tokenizer.pre_tokenizer = None
    return tokenizer


def check_against_sentencepiece(tokenizer, model_file, texts):
    """Every text that names no special token is segmented exactly as the sentencepiece library
    segments it; raises on the first that is not, so the oracle itself is checked."""
    import sentencepiece

    library = sentencepiece.SentencePieceProcessor(model_file=model_file)
    plain = [t for t in texts if not any(s in t for s in tokenizer.all_special_tokens)]
    ours = tokenizer(plain, add_special_tokens=False)["input_ids"]
    for text, ids, expected in zip(plain, ours, library.encode(plain)):
        if ids != expected:
            raise SystemExit(f"oracle differs from the sentencepiece library on {text[:200]!r}: {ids[:40]} vs {expected[:40]}")


class TransformersLoader:
    # The files a tokenizer class reads from a folder, first the one its path may name.
    FILES = {"BertTokenizer": ["vocab.txt"], "GPT2Tokenizer": ["vocab.json", "merges.txt"],
             "T5Tokenizer": ["spiece.model"], "AlbertTokenizer": ["spiece.model"],
             "LlamaTokenizer": ["tokenizer.model"]}

    def __init__(self, path, max_length, truncation, do_lower_case, class_name):
        import transformers

        kwargs = {}
        if do_lower_case is not None:
            kwargs["do_lower_case"] = do_lower_case
        if os.path.isfile(path):
            # A folder holding only this tokenizer's files, so that from_pretrained cannot pick a
            # tokenizer.json lying next to them (links: the data is not copied).
            source = os.path.dirname(os.path.abspath(path))
            self.folder = tempfile.TemporaryDirectory(prefix="hft-oracle-files-")
            for name in self.FILES[class_name]:
                os.symlink(os.path.join(source, name), os.path.join(self.folder.name, name))
            path = self.folder.name
        self.sentencepiece_file = None  # Llama's, checked against the library
        if class_name == "LlamaTokenizer":
            self.sentencepiece_file = os.path.join(path, "tokenizer.model")
            self.tokenizer = llama_as_sentencepiece(self.sentencepiece_file)
        else:
            self.tokenizer = getattr(transformers, class_name).from_pretrained(path, **kwargs)
        self.max_length = max_length
        self.truncation = truncation if max_length else False

    def encode(self, texts, pairs, add_special_tokens):
        if self.sentencepiece_file:
            check_against_sentencepiece(self.tokenizer, self.sentencepiece_file, texts + (pairs or []))
        batch = self.tokenizer(texts, pairs, add_special_tokens=add_special_tokens, truncation=self.truncation,
                               max_length=self.max_length or None, return_token_type_ids=True,
                               return_attention_mask=True, return_special_tokens_mask=True,
                               return_offsets_mapping=True)
        keys = ["input_ids", "token_type_ids", "attention_mask", "special_tokens_mask"]
        out = []
        for i in range(len(texts)):
            row = {k: batch[k][i] for k in keys}
            row["offsets"] = [list(o) for o in batch["offset_mapping"][i]]
            out.append(row)
        return out

    def decode(self, ids, skip_special_tokens):
        return self.tokenizer.batch_decode(ids, skip_special_tokens=skip_special_tokens)


def run_job(loader, job, add_special_tokens, with_offsets, decode=False):
    texts = read_column(job["input"], job.get("column", "sentence"), job.get("no_header", False))
    pairs = None
    if job.get("pair_column"):
        pairs = read_column(job["input"], job["pair_column"], job.get("no_header", False))
    rows = loader.encode(texts, pairs, add_special_tokens)
    keys = ["input_ids", "token_type_ids", "attention_mask"]
    if with_offsets:
        keys += ["special_tokens_mask", "offsets"]
    if decode:
        ids = [row["input_ids"] for row in rows]
        for row, text, bare in zip(rows, loader.decode(ids, False), loader.decode(ids, True)):
            row["decoded"], row["decoded_skip_special"] = text, bare
        keys += ["decoded", "decoded_skip_special"]
    with open(job["output"], "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({k: row[k] for k in keys}, separators=(",", ":")) + "\n")
    return len(rows)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--loader", choices=["tokenizers", "transformers"], required=True)
    p.add_argument("--tokenizer", required=True, help="tokenizer.json (tokenizers) or model folder (transformers)")
    p.add_argument("--tokenizer-class", default="BertTokenizer", choices=sorted(TransformersLoader.FILES),
                   help="transformers class for --loader transformers")
    p.add_argument("--do-lower-case", choices=["true", "false"], help="transformers BertTokenizer do_lower_case")
    p.add_argument("--max-length", type=int, default=0, help="truncate to this many tokens (0: no truncation)")
    p.add_argument("--truncation", default="longest_first")
    p.add_argument("--no-special-tokens", action="store_true")
    p.add_argument("--with-offsets", action="store_true")
    p.add_argument("--decode", action="store_true", help="also the ids decoded back to text")
    p.add_argument("--jobs")
    p.add_argument("--input")
    p.add_argument("--output")
    p.add_argument("--column", default="sentence")
    p.add_argument("--pair-column")
    p.add_argument("--no-header", action="store_true")
    args = p.parse_args()

    if args.loader == "tokenizers":
        loader = TokenizersLoader(args.tokenizer, args.max_length, args.truncation)
    else:
        lower = None if args.do_lower_case is None else args.do_lower_case == "true"
        loader = TransformersLoader(args.tokenizer, args.max_length, args.truncation, lower, args.tokenizer_class)
    if args.jobs:
        with open(args.jobs, encoding="utf-8") as f:
            jobs = json.load(f)
    else:
        jobs = [{"input": args.input, "output": args.output, "column": args.column,
                 "pair_column": args.pair_column, "no_header": args.no_header}]
    for job in jobs:
        n = run_job(loader, job, not args.no_special_tokens, args.with_offsets, job.get("decode", args.decode))
        print(f"{job['output']}: {n} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
