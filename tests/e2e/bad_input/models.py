"""Model folders, and the model's agreement with the tokenizer and the data, through the binary
(issue 15). Each case is one error line naming config.json (or the weights file), the key and what
would be right, exit 2, bounded memory, and no output_dir written:
- config.json sizes against the weights' headers, for BERT, RoBERTa, ELECTRA, DistilBERT and
  ModernBERT: num_hidden_layers (n_layers) 1e9, vocab_size 1e12, before anything is allocated; a
  size the weights do not hold is bounded;
- config values the network cannot be built with: a dropout of 5, a negative size, an eps of 0, a
  padding id outside the table, a count that is not a whole number, an unknown problem_type;
- the tokenizer against vocab_size (a tokenizer with more tokens, an id past the table), the rows
  against max_position_embeddings (BERT, RoBERTa's offset positions, DistilBERT), text pairs
  against type_vocab_size 1, and problem_type against the labels (regression with classes,
  single_label_classification with float targets, multi_label_classification with classes);
- damaged weight files: a truncated model.safetensors, a tensor of integers, a pytorch_model.bin
  that is not a zip archive or is cut short.
The models are made by transformers here, so the sizes expected are the ones it wrote.
Run with case names as arguments to run only those."""
import json
import os
import re
import shutil

from _common import check_one_line_error, run_cases, run_limited
from hft_e2e import REPO, check
from training_runs import SST2_TRAIN, scratch_dir

MINILM = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
STSB = os.path.join(REPO, "data", "glue", "STS-B")
ARCHITECTURES = ("bert", "roberta", "electra", "distilbert", "modernbert")
LAYERS_KEY = {"distilbert": "n_layers"}
LAYERS = {"modernbert": 3}  # the others have 2


def make_model(folder, architecture, headless=False, **sizes):
    """A small random `architecture` classifier saved by transformers, with the MiniLM tokenizer."""
    import torch
    import transformers as t
    tokenizer = t.AutoTokenizer.from_pretrained(MINILM)
    vocab = sizes.pop("vocab_size", tokenizer.vocab_size)
    common = dict(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                  max_position_embeddings=128)
    common.update(sizes)
    configs = {
        "bert": lambda: t.BertConfig(**common),
        "roberta": lambda: t.RobertaConfig(**{"pad_token_id": 0, **common}),
        "electra": lambda: t.ElectraConfig(**{"embedding_size": 16, **common}),
        "distilbert": lambda: t.DistilBertConfig(vocab_size=vocab, dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                                                 max_position_embeddings=common["max_position_embeddings"]),
        "modernbert": lambda: t.ModernBertConfig(**{**common, "num_hidden_layers": 3, "local_attention": 8,
                                                    "global_attn_every_n_layers": 2, "pad_token_id": 0,
                                                    "cls_token_id": 101, "sep_token_id": 102, "bos_token_id": 101,
                                                    "eos_token_id": 102}),
    }
    torch.manual_seed(0)
    model_class = t.AutoModel if headless else t.AutoModelForSequenceClassification
    model_class.from_config(configs[architecture]()).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def variant(tmp, model, name, config_edits=None, mutate=None):
    """A copy of `model` named `name`, its config.json edited, then `mutate(folder)` applied."""
    folder = os.path.join(tmp, name)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(model, folder)
    if config_edits:
        path = os.path.join(folder, "config.json")
        config = json.load(open(path))
        config.update(config_edits)
        json.dump(config, open(path, "w"))
    if mutate:
        mutate(folder)
    return folder


def train(tmp, name, folder, *overrides, fails=True):
    """hft train on 16 SST-2 rows (or `overrides`) with the model in `folder`; a run that `fails`
    must fail before writing anything. Returns the finished process."""
    out = os.path.join(tmp, "out-" + re.sub(r"\W+", "-", name))
    keys = dict(model_name_or_path=folder, train_file=SST2_TRAIN, max_train_samples=16, max_steps=1,
                max_seq_length=32, per_device_train_batch_size=8, output_dir=out)
    for override in overrides:
        key, value = override.split("=", 1)
        keys[key] = value
    done = run_limited("train", "configs/quickstart.yaml", *[f"{k}={v}" for k, v in keys.items()])
    check(not fails or not os.path.exists(out), f"{name}: {out} was written")
    return done


def expect(tmp, name, folder, words, *overrides):
    check_one_line_error(name, train(tmp, name, folder, *overrides), words=[os.path.join(folder, "config.json"), *words])


def stsb(*keys):
    return ["task_name=stsb", f"train_file={STSB}/train.tsv", f"validation_file={STSB}/dev.tsv",
            "label_column_name=score", *keys]


# Item 11: sizes against the weights, every architecture.
def sizes_against_weights(tmp, models):
    for architecture in ARCHITECTURES:
        model = models[architecture]
        key = LAYERS_KEY.get(architecture, "num_hidden_layers")
        layers = LAYERS.get(architecture, 2)
        name = f"{architecture}: {key} 1e9"
        expect(tmp, name, variant(tmp, model, "layers", {key: 1e9}),
               [f"{key}: 1000000000, but", f"model.safetensors holds {layers} layers", f"expected {key}: {layers}"])
        name = f"{architecture}: vocab_size 1e12"
        expect(tmp, name, variant(tmp, model, "vocab", {"vocab_size": 10**12}),
               ["vocab_size: 1000000000000, but", "model.safetensors holds", "expected vocab_size: 30522"])


def new_values_bounded(tmp, models):
    """What the weights lack is built new, within a bound: no embeddings stored and vocab_size 1e12."""
    def drop_embeddings(folder):
        from safetensors.torch import load_file, save_file
        path = os.path.join(folder, "model.safetensors")
        tensors = {k: v for k, v in load_file(path).items() if "word_embeddings" not in k}
        save_file(tensors, path, metadata={"format": "pt"})
    folder = variant(tmp, models["bert"], "no-embeddings", {"vocab_size": 10**12}, drop_embeddings)
    expect(tmp, "vocab_size 1e12, no embeddings stored", folder,
           ["vocab_size 1000000000000 x hidden_size 32", "does not hold", "at most 2147483648 values are built new"])


# Item 16: values the network cannot be built with.
def bad_values(tmp, models):
    cases = [
        ("bert", {"hidden_dropout_prob": 5}, ["hidden_dropout_prob: 5", "expected a value from 0 to 1"]),
        ("distilbert", {"seq_classif_dropout": -0.5}, ["seq_classif_dropout: -0.5", "expected a value from 0 to 1"]),
        ("modernbert", {"attention_dropout": 1.5}, ["attention_dropout: 1.5", "expected a value from 0 to 1"]),
        ("bert", {"intermediate_size": -1}, ["intermediate_size: -1 is not a size; expected 1 or more"]),
        ("electra", {"layer_norm_eps": 0}, ["layer_norm_eps: 0; expected a number above 0"]),
        ("bert", {"initializer_range": -1}, ["initializer_range: -1", "expected 0 or more"]),
        ("bert", {"pad_token_id": 999999}, ["pad_token_id: 999999 is not an id below vocab_size 30522"]),
        ("bert", {"num_hidden_layers": 2.5}, ["num_hidden_layers: 2.5 is not a whole number"]),
        ("bert", {"num_labels": "two"}, ["num_labels: \"two\" is not a number of labels"]),
        ("bert", {"problem_type": "nonsense"}, ["problem_type: \"nonsense\" is not a problem type"]),
    ]
    for architecture, edits, words in cases:
        name = f"{architecture}: {json.dumps(edits)}"
        expect(tmp, name, variant(tmp, models[architecture], "bad-value", edits), words)


def tokenizer_against_vocab(tmp, models):
    # A model whose embeddings have 1000 rows, with the 30522-token MiniLM tokenizer.
    small = make_model(os.path.join(tmp, "vocab-1000"), "bert", vocab_size=1000)
    expect(tmp, "tokenizer larger than vocab_size", small,
           ["vocab_size: 1000, but the tokenizer", "has 30522 tokens", "expected vocab_size of at least 30522"])

    # A tokenizer whose vocabulary skips to id 40000 (as many tokens, but an id past the table).
    def sparse_ids(folder):
        path = os.path.join(folder, "tokenizer.json")
        tokenizer = json.load(open(path))
        tokenizer["model"]["vocab"]["the"] = 40000
        json.dump(tokenizer, open(path, "w"))
    folder = variant(tmp, models["bert"], "sparse-ids", None, sparse_ids)
    expect(tmp, "a token id past vocab_size", folder,
           ["vocab_size: 30522, but the tokenizer", "the token id 40000 (`the`)", "train.tsv.gz"])


def rows_against_positions(tmp, models):
    short = make_model(os.path.join(tmp, "positions-16"), "bert", max_position_embeddings=16)
    expect(tmp, "bert: rows longer than max_position_embeddings", short,
           ["max_position_embeddings: 16, but", "train.tsv.gz makes batches of", "expected max_seq_length: 16 or less"])
    distil = make_model(os.path.join(tmp, "distil-positions-16"), "distilbert", max_position_embeddings=16)
    expect(tmp, "distilbert: rows longer than max_position_embeddings", distil,
           ["max_position_embeddings: 16, but", "expected max_seq_length: 16 or less"])
    # RoBERTa's positions start after pad_token_id (0 here): 32 positions embed rows of 31 tokens.
    roberta = make_model(os.path.join(tmp, "roberta-positions-32"), "roberta", max_position_embeddings=32)
    expect(tmp, "roberta: rows of max_position_embeddings tokens", roberta,
           ["max_position_embeddings: 32 (positions count from pad_token_id + 1: rows of at most 31 tokens)",
            "expected max_seq_length: 31 or less"])
    done = train(tmp, "roberta: rows of 31 tokens", roberta, "max_seq_length=31", fails=False)
    check(done.returncode == 0, f"roberta: max_seq_length 31 should train:\n{done.stderr}")


def pairs_against_type_vocab(tmp, models):
    one_type = make_model(os.path.join(tmp, "one-type"), "bert", headless=True, type_vocab_size=1)
    expect(tmp, "text pairs with type_vocab_size 1", one_type,
           ["type_vocab_size: 1, but the rows of", "are text pairs (token type ids up to 1)", "expected type_vocab_size: 2"],
           *stsb())


def problem_type_against_labels(tmp, models):
    headless = make_model(os.path.join(tmp, "headless"), "bert", headless=True)
    expect(tmp, "problem_type regression with class labels", variant(tmp, headless, "pt", {"problem_type": "regression"}),
           ["problem_type: `regression`, but the labels of", "are 2 classes", "expected problem_type: single_label_classification"])
    expect(tmp, "problem_type multi_label_classification with class labels",
           variant(tmp, headless, "pt", {"problem_type": "multi_label_classification"}),
           ["problem_type: `multi_label_classification`", "expected problem_type: single_label_classification"])
    expect(tmp, "problem_type single_label_classification with float targets",
           variant(tmp, headless, "pt", {"problem_type": "single_label_classification"}),
           ["problem_type: `single_label_classification`", "are numbers (regression)", "expected problem_type: regression"],
           *stsb())


def damaged_weights(tmp, models):
    def truncate(folder):
        path = os.path.join(folder, "model.safetensors")
        data = open(path, "rb").read()
        open(path, "wb").write(data[:len(data) // 2])

    def integer_tensor(folder):
        from safetensors.torch import load_file, save_file
        path = os.path.join(folder, "model.safetensors")
        tensors = load_file(path)
        tensors["bert.encoder.layer.0.attention.self.query.weight"] = tensors[
            "bert.encoder.layer.0.attention.self.query.weight"].to(dtype=__import__("torch").int32)
        save_file(tensors, path, metadata={"format": "pt"})

    def to_bin(folder, cut=None):
        import torch
        from safetensors.torch import load_file
        path = os.path.join(folder, "model.safetensors")
        tensors = load_file(path)
        os.remove(path)
        torch.save(tensors, os.path.join(folder, "pytorch_model.bin"))
        if cut:
            data = open(os.path.join(folder, "pytorch_model.bin"), "rb").read()
            open(os.path.join(folder, "pytorch_model.bin"), "wb").write(cut(data))

    cases = [("truncated model.safetensors", truncate, "model.safetensors", "outside the"),
             ("a tensor of integers", integer_tensor, "model.safetensors", "holds Int values; expected floating-point"),
             ("pytorch_model.bin that is not a zip", lambda f: to_bin(f, lambda d: b"not a zip" * 100), "pytorch_model.bin",
              "not a zip archive"),
             ("truncated pytorch_model.bin", lambda f: to_bin(f, lambda d: d[:len(d) // 2]), "pytorch_model.bin",
              "damaged or not a state dict"),
             ("pytorch_model.bin with num_hidden_layers 1e9", lambda f: to_bin(f), "pytorch_model.bin holds 2 layers",
              "expected num_hidden_layers: 2")]
    for name, mutate, file_words, words in cases:
        edits = {"num_hidden_layers": 1e9} if "1e9" in name else None
        folder = variant(tmp, models["bert"], "damaged", edits, mutate)
        done = train(tmp, name, folder)
        check_one_line_error(name, done, words=[os.path.join(folder, file_words.split()[0]), file_words, words])


CASES = [sizes_against_weights, new_values_bounded, bad_values, tokenizer_against_vocab, rows_against_positions,
         pairs_against_type_vocab, problem_type_against_labels, damaged_weights]


def main():
    with scratch_dir() as tmp:
        models = {a: make_model(os.path.join(tmp, "model-" + a), a) for a in ARCHITECTURES}
        run_cases(CASES, tmp, models)


if __name__ == "__main__":
    main()
