"""tokenizer.json variants built with the `tokenizers` library, to test the components real
checkpoints use (RoBERTa's post-processor, offset trimming, normalizer and pre-tokenizer
sequences, splitting behaviours) on the vocabularies under tests/fixtures/tokenizers.

build_variant(name, tokenizers_dir, out_dir) writes out_dir/<name>/tokenizer.json and returns
its path; the same file is then read by the oracle and by hft.
"""
import os

from tokenizers import AddedToken, Regex, Tokenizer, normalizers, pre_tokenizers, processors


def _roberta_like(tokenizers_dir):
    # RoBERTa's layout on the GPT-2 vocabulary: <s> A </s></s> B </s>, <mask> eating the space
    # before it, offsets trimmed of the spaces byte-level tokens carry.
    tk = Tokenizer.from_file(os.path.join(tokenizers_dir, "gpt2", "tokenizer.json"))
    tk.add_special_tokens([AddedToken("<s>"), AddedToken("</s>"), AddedToken("<mask>", lstrip=True)])
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True)
    tk.post_processor = processors.RobertaProcessing(("</s>", tk.token_to_id("</s>")), ("<s>", tk.token_to_id("<s>")),
                                                     trim_offsets=True, add_prefix_space=False)
    return tk


def _gpt2_prefix_space(tokenizers_dir):
    tk = Tokenizer.from_file(os.path.join(tokenizers_dir, "gpt2", "tokenizer.json"))
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True, trim_offsets=True)
    tk.post_processor = processors.ByteLevel(trim_offsets=True, add_prefix_space=True)
    return tk


def _wordpiece_sequences(tokenizers_dir):
    tk = Tokenizer.from_file(os.path.join(tokenizers_dir, "bert-base-uncased", "tokenizer.json"))
    tk.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase(), normalizers.StripAccents(),
                                          normalizers.Strip()])
    tk.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(),
                                                pre_tokenizers.Digits(individual_digits=True)])
    return tk


def _wordpiece_whitespace(tokenizers_dir):
    tk = Tokenizer.from_file(os.path.join(tokenizers_dir, "bert-base-uncased", "tokenizer.json"))
    tk.normalizer = normalizers.Lowercase()
    tk.pre_tokenizer = pre_tokenizers.Whitespace()
    tk.post_processor = processors.BertProcessing(("[SEP]", 102), ("[CLS]", 101))
    return tk


def _wordpiece_splits(tokenizers_dir):
    tk = Tokenizer.from_file(os.path.join(tokenizers_dir, "bert-base-uncased", "tokenizer.json"))
    tk.normalizer = normalizers.Sequence([normalizers.Strip(left=True, right=False), normalizers.Lowercase()])
    tk.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(" ", behavior="removed"),
        pre_tokenizers.Split("'", behavior="merged_with_next"),
        pre_tokenizers.Split(Regex(r"[0-9]+"), behavior="isolated"),
        pre_tokenizers.Split(Regex(r"-+"), behavior="merged_with_previous"),
        pre_tokenizers.Punctuation(behavior="contiguous"),
        pre_tokenizers.Digits(individual_digits=False),
    ])
    return tk


def _converted(tokenizers_dir, class_name, model_file, **kwargs):
    """The tokenizer.json transformers builds from a SentencePiece model (convert at test time)."""
    import json
    import shutil
    import tempfile

    import transformers

    with tempfile.TemporaryDirectory(prefix="hft-variant-") as folder:
        shutil.copy(os.path.join(tokenizers_dir, model_file), folder)  # a temporary copy, deleted at once
        tokenizer = getattr(transformers, class_name).from_pretrained(folder, **kwargs)
        return Tokenizer.from_str(json.dumps(json.loads(tokenizer.backend_tokenizer.to_str())))


def _llama_converted(tokenizers_dir):
    # Metaspace(prepend_scheme first, no split), BPE with byte_fallback, TemplateProcessing <s> $A.
    return _converted(tokenizers_dir, "LlamaTokenizer", os.path.join("llama-2", "tokenizer.model"), add_bos_token=True)


def _t5_converted(tokenizers_dir):
    # As transformers converts T5: the Precompiled charsmap of spiece.model, WhitespaceSplit +
    # Metaspace, Unigram, $A </s>.
    return _converted(tokenizers_dir, "T5Tokenizer", os.path.join("t5-small", "spiece.model"))


def _albert_converted(tokenizers_dir):
    # ALBERT's Replace, NFKD, StripAccents and Lowercase before the Precompiled charsmap.
    return _converted(tokenizers_dir, "AlbertTokenizer", os.path.join("albert-base-v2", "spiece.model"))


def _t5_unigram_nfkc(tokenizers_dir):
    # Unigram, WhitespaceSplit + Metaspace(always), TemplateProcessing $A </s>; NFKC in place of the
    # Precompiled charsmap, inside a Sequence post-processor with ByteLevel offsets trimming off.
    tk = _converted(tokenizers_dir, "T5Tokenizer", os.path.join("t5-small", "spiece.model"))
    tk.normalizer = normalizers.NFKC()
    tk.post_processor = processors.Sequence([processors.ByteLevel(trim_offsets=False), tk.post_processor])
    return tk


def _albert_unigram_nfc(tokenizers_dir):
    # ALBERT's Replace normalizers with NFC (accents kept, composed) and Lowercase, no charsmap.
    tk = _converted(tokenizers_dir, "AlbertTokenizer", os.path.join("albert-base-v2", "spiece.model"))
    tk.normalizer = normalizers.Sequence([normalizers.Replace("``", '"'), normalizers.Replace("''", '"'),
                                          normalizers.NFC(), normalizers.Lowercase()])
    return tk


VARIANTS = {
    "llama_converted": _llama_converted,
    "t5_converted": _t5_converted,
    "albert_converted": _albert_converted,
    "t5_unigram_nfkc": _t5_unigram_nfkc,
    "albert_unigram_nfc": _albert_unigram_nfc,
    "roberta_like": _roberta_like,
    "gpt2_prefix_space": _gpt2_prefix_space,
    "wordpiece_sequences": _wordpiece_sequences,
    "wordpiece_whitespace": _wordpiece_whitespace,
    "wordpiece_splits": _wordpiece_splits,
}


def build_variant(name, tokenizers_dir, out_dir):
    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "tokenizer.json")
    VARIANTS[name](tokenizers_dir).save(path)
    return path
