#!/usr/bin/env python3
"""Fixtures of the supervised fine-tuning tests (task: text-generation): a tokenizer folder with the
GPT-2 tokenizer, tiny random decoders made by transformers with it, and the JSONL rows of
tests/fixtures/sft/.

Usage:
  sft_fixtures.py tokenizer OUT_DIR [CHAT_TEMPLATE_FILE]
      The GPT-2 tokenizer (tests/fixtures/tokenizers/gpt2) with a tokenizer_config.json, and the
      chat template as chat_template.jinja when one is given.
  sft_fixtures.py model OUT_DIR ARCH SEED [CHAT_TEMPLATE_FILE]
      A tiny random llama, gpt2 or qwen2 causal LM (save_pretrained) with that tokenizer beside it.
  sft_fixtures.py data OUT_DIR
      Writes the JSONL files of tests/fixtures/sft/ again from SST-2's dev.tsv (see its MANIFEST.md).
Each prints {"folder": OUT_DIR}.

make_tokenizer_dir's tokenizer has no pad token, as GPT-2's has none: TRL's SFTTrainer pads with the
eos token then, and hft must do the same.
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

GPT2_TOKENIZER = os.path.join(REPO, "tests", "fixtures", "tokenizers", "gpt2")
TOKENIZER_FILES = ("tokenizer.json", "vocab.json", "merges.txt")
END_OF_TEXT = "<|endoftext|>"
END_OF_TEXT_ID = 50256
GPT2_VOCAB = 50257
SST2_DEV = os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv")
ARCHITECTURES = ("llama", "gpt2", "qwen2")
# decoder_fixtures.py's cases of each architecture (config class, model class, keys beyond its SMALL).
DECODER_CASES = {"llama": "llama_gqa", "gpt2": "gpt2", "qwen2": "qwen2"}


def template_path(name):
    """A template file, or `trl:NAME`: TRL's own chat_templates/NAME.jinja in the installed package (its
    training templates have the {% generation %} blocks of assistant_only_loss; read, not copied here)."""
    if not name.startswith("trl:"):
        return name
    import trl
    return os.path.join(os.path.dirname(trl.__file__), "chat_templates", name[len("trl:"):] + ".jinja")


def make_tokenizer_dir(out_dir, chat_template_file=None):
    """GPT-2's tokenizer files and a tokenizer_config.json: <|endoftext|> as bos, eos and unk, no pad
    token, 1024 tokens at most; the chat template as chat_template.jinja (what transformers 5
    saves and reads) when one is given (template_path)."""
    os.makedirs(out_dir, exist_ok=True)
    for name in TOKENIZER_FILES:
        shutil.copyfile(os.path.join(GPT2_TOKENIZER, name), os.path.join(out_dir, name))
    config = dict(tokenizer_class="GPT2Tokenizer", bos_token=END_OF_TEXT, eos_token=END_OF_TEXT,
                  unk_token=END_OF_TEXT, add_bos_token=False, add_prefix_space=False, model_max_length=1024)
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    if chat_template_file:
        shutil.copyfile(template_path(chat_template_file), os.path.join(out_dir, "chat_template.jinja"))
    return out_dir


def make_tiny_decoder(out_dir, arch, seed, chat_template_file=None, dropout=0.1):
    """A 2-layer, 32-wide random causal LM of GPT-2's vocabulary (4 heads; 2 key/value heads for
    llama and qwen2; 256 positions), drawn from `seed` with transformers' own initialization and
    saved in float32. Dropout (`dropout`) where the architecture has it: GPT-2's resid_pdrop,
    embd_pdrop and attn_pdrop; Llama and Qwen2 keep attention_dropout 0.

    The tokenizer beside it is make_tokenizer_dir's as transformers loads it for the model and
    saves it again, so that the folder holds the tokenizer transformers uses: for a qwen2 folder
    AutoTokenizer takes Qwen2Tokenizer whatever tokenizer_class says, with Qwen2's pre-tokenizer
    (digits one by one), an NFC normalizer and <|endoftext|> as its pad token, and saves them into
    tokenizer.json and tokenizer_config.json, as a real Qwen2 checkpoint holds them."""
    import torch
    from decoder_fixtures import CASES, SMALL, SMALL_BY_CLASS
    from transformers import AutoTokenizer

    if arch not in ARCHITECTURES:
        sys.exit(f"{arch}: expected one of {', '.join(ARCHITECTURES)}")
    config_class, model_class, extra = CASES[DECODER_CASES[arch]]
    special = dict(bos_token_id=END_OF_TEXT_ID, eos_token_id=END_OF_TEXT_ID, pad_token_id=None)
    if arch == "gpt2":
        sizes = dict(SMALL_BY_CLASS[config_class], vocab_size=GPT2_VOCAB, n_positions=256, **special)
        extra = dict(extra, resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout)
    else:
        sizes = dict(SMALL, vocab_size=GPT2_VOCAB, intermediate_size=64, max_position_embeddings=256, **special)
    torch.manual_seed(seed)
    model = model_class(config_class(**sizes, **extra))
    model.save_pretrained(out_dir)
    make_tokenizer_dir(out_dir, chat_template_file)
    AutoTokenizer.from_pretrained(out_dir).save_pretrained(out_dir)
    return out_dir


def sst2_rows():
    """(sentence, "positive" or "negative") of SST-2's dev.tsv in file order; the sentence without
    the trailing space GLUE keeps."""
    rows = []
    with open(SST2_DEV, encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            sentence, label = line.rstrip("\n").split("\t")
            rows.append((sentence.strip(), "positive" if label == "1" else "negative"))
    return rows


def text_row(i, rows):
    """A review and its sentiment; every eighth row two reviews in one text (longer rows, for a
    short max_length to cut)."""
    parts = rows[i:i + 2] if i % 8 == 7 else rows[i:i + 1]
    return {"text": "\n\n".join(f"Review: {s}\nSentiment: {label}" for s, label in parts)}


def prompt_completion_row(i, rows):
    """"Review: ...\\nSentiment:" -> " positive"; every sixth row asks for the review back first (a
    longer completion); rows 10 and 30 end the prompt with a space ("Sentiment: " -> "positive"),
    where the tokens of the prompt alone and of prompt + completion diverge before the prompt's end."""
    sentence, label = rows[i]
    if i % 6 == 5:
        return {"prompt": f"Review: {sentence}\nRepeat the review, then give its sentiment.\n",
                "completion": f"{sentence}\nSentiment: {label}"}
    if i in (10, 30):
        return {"prompt": f"Review: {sentence}\nSentiment: ", "completion": label}
    return {"prompt": f"Review: {sentence}\nSentiment:", "completion": f" {label}"}


SYSTEM = "You label movie reviews as positive or negative."


def messages_row(i, rows):
    """2 to 4 messages: the user's review and the assistant's label; on every third row a follow-up
    question and its answer after them, and on the other even rows a system message before them."""
    sentence, label = rows[i]
    follow_up = i % 3 == 2
    messages = [{"role": "system", "content": SYSTEM}] if i % 2 == 0 and not follow_up else []
    messages += [{"role": "user", "content": f"Review: {sentence}\nIs it positive or negative?"},
                 {"role": "assistant", "content": label}]
    if follow_up:
        messages += [{"role": "user", "content": "Are you sure?"},
                     {"role": "assistant", "content": f"Yes: the review is {label}."}]
    return {"messages": messages}


# file -> (first SST-2 dev row, rows, row builder)
DATA_FILES = {
    "text.jsonl": (0, 48, text_row),
    "text_dev.jsonl": (48, 16, text_row),
    "prompt_completion.jsonl": (64, 48, prompt_completion_row),
    "prompt_completion_dev.jsonl": (112, 16, prompt_completion_row),
    "messages.jsonl": (128, 48, messages_row),
    "messages_dev.jsonl": (176, 16, messages_row),
}


def write_data(out_dir):
    """Each file's rows, built from consecutive SST-2 dev rows (row i of a file from dev row
    first + i, and text's two-review rows from the one after it too)."""
    rows = sst2_rows()
    os.makedirs(out_dir, exist_ok=True)
    for name, (first, count, build) in DATA_FILES.items():
        window = rows[first:first + count + 1]
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            for i in range(count):
                f.write(json.dumps(build(i, window), ensure_ascii=False) + "\n")
    return out_dir


def main():
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 2 else (None, [])
    if command == "tokenizer" and len(args) in (1, 2):
        folder = make_tokenizer_dir(*args)
    elif command == "model" and len(args) in (3, 4):
        folder = make_tiny_decoder(args[0], args[1], int(args[2]), *args[3:])
    elif command == "data" and len(args) == 1:
        folder = write_data(args[0])
    else:
        sys.exit(__doc__)
    print(json.dumps({"folder": folder}))


if __name__ == "__main__":
    main()
