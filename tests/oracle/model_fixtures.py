"""Oracle for the model tests: small random models made and run by transformers.

Usage: model_fixtures.py OUT_DIR
For each case, OUT_DIR/<case>/ holds the model as save_pretrained writes it, and
OUT_DIR/<case>/expected.safetensors holds a padded batch (input_ids, attention_mask,
token_type_ids, labels) with what transformers computes on it: logits and last hidden state in
eval mode, logits, loss and every parameter's gradient in train mode (dropout probabilities are
0, so train and eval must agree). OUT_DIR/minilm/expected.safetensors holds the real
all-MiniLM-L6-v2 checkpoint's last hidden states on SST-2 dev sentences. OUT_DIR/bert_sharded/
holds the "bert" case saved again by transformers in two shards with model.safetensors.index.json.
OUT_DIR/bert_bin/ and bert_bin_sharded/ hold it as pytorch_model.bin (one file, or two shards with
pytorch_model.bin.index.json) the way transformers 4's save_pretrained(safe_serialization=False)
wrote it: torch.save of the state dict (transformers 5 writes safetensors only).
OUT_DIR/bert_bf16/ and bert_fp16/ hold it saved by transformers in bfloat16 / float16 (config.json
dtype), with what transformers computes after loading them upcast to float32; bert_bf16_bin/
holds the bfloat16 weights as pytorch_model.bin.
OUT_DIR/<case>_headless/ holds the backbone of each architecture's first case without its head
(what a pretrained checkpoint is), and new_head.safetensors there what transformers'
from_pretrained gives the missing parameters right after torch.manual_seed(42) (new/<name>), and
the generator's next draws (after_load: torch.rand(4)); new_head_token.safetensors and
new_head_choice.safetensors the same for its *ForTokenClassification and *ForMultipleChoice.
The <type>_token cases are *ForTokenClassification models on the same padded batch with labels
[B, L] (-100 on padding, the first token and one inner token); the <type>_choice cases are
*ForMultipleChoice models on a batch of 3 questions x 4 choices x 9 tokens, labels [3]; their
<case>/dropout/config.json turns dropout on (DROPOUT_BY_CONFIG), and expected.safetensors holds
transformers' loss with it after torch.manual_seed(0) (loss_dropout) and its gradients
(grad_dropout/<name>).
"""
import csv
import inspect
import json
import os
import shutil
import sys
from types import SimpleNamespace

import torch
from safetensors.torch import load_file, save_file
from transformers.loss.loss_utils import ForTokenClassification
from transformers.trainer_pt_utils import LabelSmoother
from transformers import (AutoModel, AutoTokenizer, BertConfig, BertForMultipleChoice, BertForSequenceClassification,
                          BertForTokenClassification, DistilBertConfig, DistilBertForMultipleChoice,
                          DistilBertForSequenceClassification, DistilBertForTokenClassification, ElectraConfig,
                          ElectraForMultipleChoice, ElectraForSequenceClassification, ElectraForTokenClassification,
                          ModernBertConfig, ModernBertForMultipleChoice, ModernBertForSequenceClassification,
                          ModernBertForTokenClassification, RobertaConfig, RobertaForMultipleChoice,
                          RobertaForSequenceClassification, RobertaForTokenClassification)

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
    "distilbert_sinusoidal": (DistilBertConfig, DistilBertForSequenceClassification,
                              dict(num_labels=3, sinusoidal_pos_embds=True)),
    # config.json rewritten as the Hub's ModernBERT checkpoints have it (legacy_modernbert_config).
    "modernbert": (ModernBertConfig, ModernBertForSequenceClassification,
                   dict(num_labels=3, global_rope_theta=1000.0, local_rope_theta=100.0)),
    "modernbert_mean_biases": (ModernBertConfig, ModernBertForSequenceClassification,
                               dict(num_labels=3, classifier_pooling="mean", attention_bias=True, mlp_bias=True,
                                    norm_bias=True, classifier_bias=True, classifier_activation="silu")),
}
# Token classification and multiple choice, per architecture (ELECTRA's summary dropout off, so
# train and eval agree; ModernBERT with biases, mean pooling for one choice case).
HEAD_CASES = {
    "bert_token": (BertConfig, BertForTokenClassification, dict(num_labels=5)),
    "roberta_token": (RobertaConfig, RobertaForTokenClassification, dict(num_labels=5)),
    "electra_token": (ElectraConfig, ElectraForTokenClassification, dict(num_labels=5, embedding_size=24)),
    "distilbert_token": (DistilBertConfig, DistilBertForTokenClassification, dict(num_labels=5)),
    "modernbert_token": (ModernBertConfig, ModernBertForTokenClassification,
                         dict(num_labels=5, attention_bias=True, mlp_bias=True, norm_bias=True, classifier_bias=True)),
    "bert_choice": (BertConfig, BertForMultipleChoice, {}),
    "roberta_choice": (RobertaConfig, RobertaForMultipleChoice, {}),
    "electra_choice": (ElectraConfig, ElectraForMultipleChoice, dict(embedding_size=24, summary_last_dropout=0.0)),
    "distilbert_choice": (DistilBertConfig, DistilBertForMultipleChoice, {}),
    "modernbert_choice": (ModernBertConfig, ModernBertForMultipleChoice, {}),
    "modernbert_mean_choice": (ModernBertConfig, ModernBertForMultipleChoice,
                               dict(classifier_pooling="mean", classifier_activation="silu")),
}
CASES.update(HEAD_CASES)
# The other heads of each architecture, for new heads drawn from the seed (make_new_heads).
OTHER_HEADS = {
    "bert": (BertForTokenClassification, BertForMultipleChoice),
    "roberta": (RobertaForTokenClassification, RobertaForMultipleChoice),
    "electra": (ElectraForTokenClassification, ElectraForMultipleChoice),
    "distilbert": (DistilBertForTokenClassification, DistilBertForMultipleChoice),
    "modernbert_mean_biases": (ModernBertForTokenClassification, ModernBertForMultipleChoice),
}
# Cases whose config.json is rewritten in the older form (see legacy_modernbert_config).
LEGACY_CONFIG = {"modernbert"}
# Parameters that keep the value transformers initialised them with (the random re-draw below
# would hide it); expected.safetensors stores that value as init/<name>.
KEEP_INIT = {"distilbert_sinusoidal": ["distilbert.embeddings.position_embeddings.weight"]}


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


def choices_batch(pad_id, generator):
    """3 questions x 4 choices x 9 tokens, each choice padded to its own length."""
    lengths = [[9, 7, 5, 8], [6, 9, 4, 3], [5, 5, 9, 7]]
    input_ids = torch.randint(3, SMALL["vocab_size"], (3, 4, 9), generator=generator)
    attention_mask = torch.zeros(3, 4, 9, dtype=torch.long)
    token_type_ids = torch.zeros(3, 4, 9, dtype=torch.long)
    for question, row in enumerate(lengths):
        for choice, length in enumerate(row):
            attention_mask[question, choice, :length] = 1
            input_ids[question, choice, length:] = pad_id
            token_type_ids[question, choice, length // 2:length] = 1
    return input_ids, attention_mask, token_type_ids


def token_labels(config, attention_mask, generator):
    """A tag per token; -100 (ignored) on padding, the first token and one inner token."""
    labels = torch.randint(0, config.num_labels, attention_mask.shape, generator=generator)
    labels[attention_mask == 0] = -100
    labels[:, 0] = -100
    labels[1, 3] = -100
    return labels


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


def expected_outputs(model, inputs, labels):
    """What transformers computes on the batch: eval logits and last hidden state, train logits,
    loss and every parameter's gradient (dropout probabilities are 0)."""
    # DistilBERT and ModernBERT take no token_type_ids (the batch still stores them for hft).
    accepted = inspect.signature(model.forward).parameters
    model_inputs = {key: value for key, value in inputs.items() if key in accepted}
    model.eval()
    with torch.no_grad():
        evaluated = model(**model_inputs, output_hidden_states=True)
    model.train()
    model.zero_grad()
    trained = model(**model_inputs, labels=labels)
    trained.loss.backward()
    # hidden_states[-1] is the model's last_hidden_state (for ModernBERT: after final_norm).
    expected = dict(inputs, labels=labels, logits_eval=evaluated.logits, hidden_eval=evaluated.hidden_states[-1],
                    logits_train=trained.logits.detach(), loss=trained.loss.detach().reshape(1))
    for parameter_name, parameter in model.named_parameters():
        if parameter.grad is not None:
            expected["grad/" + parameter_name] = parameter.grad
    return expected


def step_losses(logits, labels):
    """The Trainer's losses of this batch as half of an optimizer step's labels
    (num_items_in_batch: twice its labelled positions): ForTokenClassification's sum over
    num_items_in_batch, and the LabelSmoother's with epsilon 0.1."""
    num_items = 2 * int((labels != -100).sum())
    loss = ForTokenClassification(logits, labels, SimpleNamespace(num_labels=logits.shape[-1]),
                                  num_items_in_batch=torch.tensor(num_items))
    smoothed = LabelSmoother(epsilon=0.1)({"logits": logits}, labels, num_items_in_batch=num_items)
    return dict(num_items=torch.tensor([num_items]), loss_step=loss.reshape(1), loss_smoothed=smoothed.reshape(1))


# Dropout probabilities for the loss with dropout on: each head's own probability (0.3) differs from
# the backbone's (0.1), so a head that took its probability from the wrong key would differ.
DROPOUT_BY_CONFIG = {
    BertConfig: dict(hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, classifier_dropout=0.3),
    RobertaConfig: dict(hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, classifier_dropout=0.3),
    ElectraConfig: dict(hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, classifier_dropout=0.3,
                        summary_first_dropout=0.2, summary_last_dropout=0.3),
    DistilBertConfig: dict(dropout=0.1, attention_dropout=0.1, seq_classif_dropout=0.3),
    ModernBertConfig: dict(attention_dropout=0.1, mlp_dropout=0.1, embedding_dropout=0.1, classifier_dropout=0.3),
}


def loss_with_dropout(model, config_class, folder, inputs, labels):
    """The model's weights under the config with DROPOUT_BY_CONFIG (written to folder/dropout/):
    its train-mode loss right after torch.manual_seed(0), and every parameter's gradient."""
    with open(os.path.join(folder, "config.json")) as f:
        document = json.load(f)
    document.update(DROPOUT_BY_CONFIG[config_class])
    os.makedirs(os.path.join(folder, "dropout"), exist_ok=True)
    with open(os.path.join(folder, "dropout", "config.json"), "w") as f:
        json.dump(document, f, indent=2)
    noisy = type(model).from_pretrained(folder, config=type(model.config).from_pretrained(os.path.join(folder, "dropout")))
    accepted = inspect.signature(noisy.forward).parameters
    noisy.train()
    torch.manual_seed(0)
    loss = noisy(**{key: value for key, value in inputs.items() if key in accepted}, labels=labels).loss
    loss.backward()
    out = {"loss_dropout": loss.detach().reshape(1)}
    out.update({"grad_dropout/" + key: p.grad for key, p in noisy.named_parameters() if p.grad is not None})
    return out


def save_expected(expected, folder):
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(folder, "expected.safetensors"))


def make_case(name, config_class, model_class, extra, out_dir):
    torch.manual_seed(0)
    config = config_class(**{**SMALL_BY_CONFIG.get(config_class, SMALL), **extra})
    model = model_class(config)
    kept = {key: value.detach().clone() for key, value in model.named_parameters() if key in KEEP_INIT.get(name, [])}
    with torch.no_grad():  # weights far from the init scale, so that loading errors show
        for parameter_name, parameter in model.named_parameters():
            if parameter_name not in kept:
                parameter.normal_(0.0, 0.3)
    folder = os.path.join(out_dir, name)
    model.save_pretrained(folder)
    if name in LEGACY_CONFIG:
        legacy_modernbert_config(folder)
    generator = torch.Generator().manual_seed(1)
    if name.endswith("_choice"):
        input_ids, attention_mask, token_type_ids = choices_batch(config.pad_token_id, generator)
        labels = torch.tensor([2, 0, 3])
    else:
        input_ids, attention_mask, token_type_ids = padded_batch(config.pad_token_id, generator)
        labels = token_labels(config, attention_mask, generator) if name.endswith("_token") else labels_for(config, generator)
    inputs = dict(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
    expected = expected_outputs(model, inputs, labels)
    expected.update({"init/" + key: value for key, value in kept.items()})
    if name.endswith(("_token", "_choice")):
        expected.update(step_losses(expected["logits_train"], labels))
        expected.update(loss_with_dropout(model, config_class, folder, inputs, labels))
    save_expected(expected, folder)


def make_sharded(out_dir):
    """The "bert" case in two shards (model-0000N-of-00002.safetensors + the index)."""
    model = BertForSequenceClassification.from_pretrained(os.path.join(out_dir, "bert"))
    folder = os.path.join(out_dir, "bert_sharded")
    model.save_pretrained(folder, max_shard_size="60KB")
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        shards = set(json.load(f)["weight_map"].values())
    if len(shards) != 2:
        sys.exit(f"expected 2 shards, transformers wrote {sorted(shards)}")


def write_torch_bin(state_dict, folder, shards=1):
    """pytorch_model.bin as transformers 4's save_pretrained(safe_serialization=False) wrote it:
    torch.save of the state dict; with shards > 1, pytorch_model-0000N-of-0000M.bin files and
    pytorch_model.bin.index.json."""
    os.makedirs(folder, exist_ok=True)
    if shards == 1:
        torch.save(state_dict, os.path.join(folder, "pytorch_model.bin"))
        return
    names = list(state_dict)
    weight_map = {}
    for shard in range(shards):
        file = f"pytorch_model-{shard + 1:05d}-of-{shards:05d}.bin"
        part = {name: state_dict[name] for name in names[shard::shards]}
        torch.save(part, os.path.join(folder, file))
        weight_map.update({name: file for name in part})
    with open(os.path.join(folder, "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": weight_map}, f, indent=2)


def copy_config(source, folder):
    shutil.copy(os.path.join(source, "config.json"), os.path.join(folder, "config.json"))


def check_loads_like(folder, reference_logits, inputs, dtype=torch.float32):
    """transformers itself loads `folder` (pytorch_model.bin only) to the reference's logits."""
    model = BertForSequenceClassification.from_pretrained(folder, dtype=dtype).eval()
    with torch.no_grad():
        logits = model(**inputs).logits
    if not torch.allclose(logits, reference_logits, atol=1e-6, rtol=0):
        sys.exit(f"transformers does not load {folder} to the expected logits")


def make_torch_bins(out_dir):
    """The "bert" case as pytorch_model.bin, in one file and in two shards."""
    source = os.path.join(out_dir, "bert")
    model = BertForSequenceClassification.from_pretrained(source).eval()
    expected = load_file(os.path.join(source, "expected.safetensors"))
    inputs = {key: expected[key] for key in ("input_ids", "attention_mask", "token_type_ids")}
    for name, shards in (("bert_bin", 1), ("bert_bin_sharded", 2)):
        folder = os.path.join(out_dir, name)
        write_torch_bin(model.state_dict(), folder, shards)
        copy_config(source, folder)
        check_loads_like(folder, expected["logits_eval"], inputs)
        shutil.copy(os.path.join(source, "expected.safetensors"), folder)


def make_half_precision(out_dir):
    """The "bert" case saved by transformers in bfloat16 and float16, and what transformers
    computes after loading each upcast to float32 (dtype=torch.float32)."""
    source = os.path.join(out_dir, "bert")
    batch = load_file(os.path.join(source, "expected.safetensors"))
    inputs = {key: batch[key] for key in ("input_ids", "attention_mask", "token_type_ids")}
    for name, dtype in (("bert_bf16", torch.bfloat16), ("bert_fp16", torch.float16)):
        folder = os.path.join(out_dir, name)
        BertForSequenceClassification.from_pretrained(source).to(dtype).save_pretrained(folder)
        with open(os.path.join(folder, "config.json")) as f:
            if json.load(f).get("dtype") != str(dtype).removeprefix("torch."):
                sys.exit(f"{folder}/config.json does not record dtype {dtype}")
        model = BertForSequenceClassification.from_pretrained(folder, dtype=torch.float32)
        if any(parameter.dtype != torch.float32 for parameter in model.parameters()):
            sys.exit("transformers did not upcast the half-precision checkpoint")
        save_expected(expected_outputs(model, inputs, batch["labels"]), folder)
        if dtype == torch.bfloat16:
            bin_folder = os.path.join(out_dir, "bert_bf16_bin")
            write_torch_bin(BertForSequenceClassification.from_pretrained(folder, dtype=dtype).state_dict(), bin_folder)
            copy_config(folder, bin_folder)
            shutil.copy(os.path.join(folder, "expected.safetensors"), bin_folder)


def make_new_heads(out_dir):
    """Each architecture's backbone without a head, and the head transformers draws for it from seed 42."""
    for name in ("bert", "roberta", "electra", "distilbert", "modernbert_mean_biases"):
        _, model_class, _ = CASES[name]
        source = os.path.join(out_dir, name)
        folder = os.path.join(out_dir, name + "_headless")
        model_class.from_pretrained(source).base_model.save_pretrained(folder)
        torch.manual_seed(42)
        model, info = model_class.from_pretrained(folder, num_labels=3, output_loading_info=True)
        after_load = torch.rand(4)
        parameters = dict(model.named_parameters())
        save_new_head(model, info, after_load, os.path.join(folder, "new_head.safetensors"))
        for head, head_class in zip(("token", "choice"), OTHER_HEADS[name]):
            torch.manual_seed(42)
            model, info = head_class.from_pretrained(folder, num_labels=3, output_loading_info=True)
            save_new_head(model, info, torch.rand(4), os.path.join(folder, f"new_head_{head}.safetensors"))
    # A sequence classifier loaded for token classification: its dense/out_proj head has no place,
    # the linear classifier is drawn (3 labels).
    for name, head_class in (("roberta", RobertaForTokenClassification), ("electra", ElectraForTokenClassification)):
        torch.manual_seed(42)
        model, info = head_class.from_pretrained(os.path.join(out_dir, name), num_labels=3, output_loading_info=True)
        save_new_head(model, info, torch.rand(4), os.path.join(out_dir, name, "new_head_token.safetensors"))
    # A sequence classifier (3 labels) loaded for multiple choice: the classifier's shape differs,
    # and with ignore_mismatched_sizes transformers draws it anew.
    for name, head_class in (("bert", BertForMultipleChoice), ("distilbert", DistilBertForMultipleChoice)):
        torch.manual_seed(42)
        model, info = head_class.from_pretrained(os.path.join(out_dir, name), ignore_mismatched_sizes=True,
                                                 output_loading_info=True)
        save_new_head(model, info, torch.rand(4), os.path.join(out_dir, name, "new_head_choice.safetensors"))


def save_new_head(model, info, after_load, path):
    """The parameters transformers drew for what the checkpoint lacks or has in another shape
    (new/<name>), and the generator's next draws."""
    parameters = dict(model.named_parameters())
    drawn = set(info["missing_keys"]) | {key for key, _, _ in info["mismatched_keys"]}
    new = {"new/" + key: parameters[key].detach().clone() for key in drawn if key in parameters}
    if not new:
        sys.exit(f"{path}: transformers found no missing head parameters")
    save_file(dict(new, after_load=after_load), path)


def make_minilm(out_dir):
    model_dir = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    with open(os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv"), newline="") as f:
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
    make_torch_bins(out_dir)
    make_half_precision(out_dir)
    make_new_heads(out_dir)
    make_minilm(out_dir)
    print(f"model fixtures written to {out_dir}")


if __name__ == "__main__":
    main()
