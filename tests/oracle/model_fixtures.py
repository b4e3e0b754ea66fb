"""Oracle for the model tests: small random models made and run by transformers.

Usage: model_fixtures.py OUT_DIR
For each case, OUT_DIR/<case>/ holds the model as save_pretrained writes it, and
OUT_DIR/<case>/expected.safetensors holds a padded batch (input_ids, attention_mask,
token_type_ids, labels) with what transformers computes on it: logits and last hidden state in
eval mode, logits, loss and every parameter's gradient in train mode (dropout probabilities are
0, so train and eval must agree). OUT_DIR/minilm/expected.safetensors holds the real
all-MiniLM-L6-v2 checkpoint's last hidden states on SST-2 dev sentences. OUT_DIR/bert_sharded/
holds the "bert" case saved again by transformers in two shards with model.safetensors.index.json.
"""
import csv
import inspect
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import (AutoModel, AutoTokenizer, BertConfig, BertForSequenceClassification, DistilBertConfig,
                          DistilBertForSequenceClassification, ElectraConfig, ElectraForSequenceClassification,
                          ModernBertConfig, ModernBertForSequenceClassification, RobertaConfig,
                          RobertaForSequenceClassification)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SMALL = dict(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
             max_position_embeddings=64, type_vocab_size=2, hidden_dropout_prob=0.0,
             attention_probs_dropout_prob=0.0)
# Architectures whose configs name things differently start from their own small config.
# ModernBERT: 3 layers alternate global / local / global attention; a window of 4 (2 tokens each
# side) is narrower than the 9-token batch, so the sliding window matters.
SMALL_BY_CONFIG = {
    DistilBertConfig: dict(vocab_size=99, dim=32, n_layers=2, n_heads=4, hidden_dim=37, max_position_embeddings=64,
                           dropout=0.0, attention_dropout=0.0, seq_classif_dropout=0.0),
    ModernBertConfig: dict(vocab_size=99, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                           intermediate_size=37, max_position_embeddings=64, local_attention=4,
                           global_attn_every_n_layers=2, pad_token_id=0, bos_token_id=1, cls_token_id=1,
                           eos_token_id=2, sep_token_id=2, attention_dropout=0.0, mlp_dropout=0.0,
                           embedding_dropout=0.0, classifier_dropout=0.0),
}

CASES = {
    "bert": (BertConfig, BertForSequenceClassification, dict(num_labels=3)),
    "bert_gelu_new_regression": (BertConfig, BertForSequenceClassification, dict(num_labels=1, hidden_act="gelu_new")),
    "bert_multilabel": (BertConfig, BertForSequenceClassification,
                        dict(num_labels=4, problem_type="multi_label_classification")),
    "roberta": (RobertaConfig, RobertaForSequenceClassification, dict(num_labels=3)),
    "electra": (ElectraConfig, ElectraForSequenceClassification, dict(num_labels=3, embedding_size=24)),
    "distilbert": (DistilBertConfig, DistilBertForSequenceClassification, dict(num_labels=3)),
    "distilbert_relu_regression": (DistilBertConfig, DistilBertForSequenceClassification,
                                   dict(num_labels=1, activation="relu")),
    # config.json rewritten as the Hub's ModernBERT checkpoints have it (legacy_modernbert_config).
    "modernbert": (ModernBertConfig, ModernBertForSequenceClassification,
                   dict(num_labels=3, global_rope_theta=1000.0, local_rope_theta=100.0)),
    "modernbert_mean_biases": (ModernBertConfig, ModernBertForSequenceClassification,
                               dict(num_labels=3, classifier_pooling="mean", attention_bias=True, mlp_bias=True,
                                    norm_bias=True, classifier_bias=True, classifier_activation="silu")),
}
# Cases whose config.json is rewritten in the older form (see legacy_modernbert_config).
LEGACY_CONFIG = {"modernbert"}


def padded_batch(pad_id, generator):
    lengths = [9, 6, 4]
    input_ids = torch.randint(3, SMALL["vocab_size"], (3, 9), generator=generator)
    attention_mask = torch.zeros(3, 9, dtype=torch.long)
    token_type_ids = torch.zeros(3, 9, dtype=torch.long)
    for row, length in enumerate(lengths):
        attention_mask[row, :length] = 1
        input_ids[row, length:] = pad_id
        token_type_ids[row, length // 2:length] = 1
    return input_ids, attention_mask, token_type_ids


def labels_for(config, generator):
    if config.num_labels == 1:
        return torch.randn(3, generator=generator)
    if config.problem_type == "multi_label_classification":
        return (torch.rand(3, config.num_labels, generator=generator) > 0.5).float()
    return torch.tensor([0, 2, 1])


def legacy_modernbert_config(folder):
    """config.json as ModernBERT checkpoints on the Hub have it: global_attn_every_n_layers and
    global/local_rope_theta instead of transformers 5's layer_types and rope_parameters."""
    path = os.path.join(folder, "config.json")
    with open(path) as f:
        config = json.load(f)
    rope = config.pop("rope_parameters")
    config.pop("layer_types")
    config["global_rope_theta"] = rope["full_attention"]["rope_theta"]
    config["local_rope_theta"] = rope["sliding_attention"]["rope_theta"]
    with open(path, "w") as f:
        json.dump(config, f, indent=2)


def make_case(name, config_class, model_class, extra, out_dir):
    torch.manual_seed(0)
    config = config_class(**{**SMALL_BY_CONFIG.get(config_class, SMALL), **extra})
    model = model_class(config)
    with torch.no_grad():  # weights far from the init scale, so that loading errors show
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.3)
    folder = os.path.join(out_dir, name)
    model.save_pretrained(folder)
    if name in LEGACY_CONFIG:
        legacy_modernbert_config(folder)
    generator = torch.Generator().manual_seed(1)
    input_ids, attention_mask, token_type_ids = padded_batch(config.pad_token_id, generator)
    labels = labels_for(config, generator)
    inputs = dict(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
    # DistilBERT and ModernBERT take no token_type_ids (the batch still stores them for hft).
    accepted = inspect.signature(model.forward).parameters
    model_inputs = {key: value for key, value in inputs.items() if key in accepted}

    model.eval()
    with torch.no_grad():
        evaluated = model(**model_inputs, output_hidden_states=True)
    model.train()
    trained = model(**model_inputs, labels=labels)
    trained.loss.backward()
    # hidden_states[-1] is the model's last_hidden_state (for ModernBERT: after final_norm).
    expected = dict(inputs, labels=labels, logits_eval=evaluated.logits, hidden_eval=evaluated.hidden_states[-1],
                    logits_train=trained.logits.detach(), loss=trained.loss.detach().reshape(1))
    for parameter_name, parameter in model.named_parameters():
        if parameter.grad is not None:
            expected["grad/" + parameter_name] = parameter.grad
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(folder, "expected.safetensors"))


def make_sharded(out_dir):
    """The "bert" case in two shards (model-0000N-of-00002.safetensors + the index)."""
    model = BertForSequenceClassification.from_pretrained(os.path.join(out_dir, "bert"))
    folder = os.path.join(out_dir, "bert_sharded")
    model.save_pretrained(folder, max_shard_size="60KB")
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        shards = set(json.load(f)["weight_map"].values())
    if len(shards) != 2:
        sys.exit(f"expected 2 shards, transformers wrote {sorted(shards)}")


def make_minilm(out_dir):
    model_dir = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    with open(os.path.join(REPO, "..", "shared", "data", "glue", "SST-2", "dev.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    sentences = [row["sentence"] for row in rows[:48]]
    batch = tokenizer(sentences, padding=True, truncation=True, max_length=128, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    folder = os.path.join(out_dir, "minilm")
    os.makedirs(folder, exist_ok=True)
    save_file(dict(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                   token_type_ids=batch["token_type_ids"], hidden=hidden.contiguous()),
              os.path.join(folder, "expected.safetensors"))


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for name, (config_class, model_class, extra) in CASES.items():
        make_case(name, config_class, model_class, extra, out_dir)
    make_sharded(out_dir)
    make_minilm(out_dir)
    print(f"model fixtures written to {out_dir}")


if __name__ == "__main__":
    main()
