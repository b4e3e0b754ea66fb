#!/usr/bin/env python3
"""Oracle for the LoRA tests: tiny random models with adapters made and run by PEFT.

Usage:
  lora_reference.py make OUT_DIR
  lora_reference.py check ADAPTER_DIR BASE_DIR HEAD EXPECTED.safetensors LOGITS.safetensors
  lora_reference.py merged MERGED_DIR EXPECTED_MERGED_DIR HEAD
HEAD is "seq" (AutoModelForSequenceClassification, 3 labels) or "causal" (AutoModelForCausalLM).

make: for each case (CASES), OUT_DIR/<case>/ holds
  base/      the random model as save_pretrained writes it (for bert_seq a bare BertModel, so the
             classifier is missing from it and newly initialised on load);
  init/      the adapters PEFT's get_peft_model draws after transformers.set_seed(42) and loading
             base/ (save_pretrained of the PeftModel: adapter_model.safetensors, adapter_config.json);
  perturbed/ the same adapters after every trainable parameter (lora_A, lora_B, the classifier's
             modules_to_save copy) was redrawn normal(0, 0.3) from a generator seeded 7, in
             named_parameters order, so that the adapters change the outputs;
  expected.safetensors  a right-padded batch (input_ids, attention_mask, token_type_ids: zeros,
             labels: class ids for seq, the ids with -100 on padding for causal) and what the
             perturbed PeftModel computes on it: logits_eval (eval mode), loss ([1], train mode) and
             grad/<name> for every parameter with a gradient, <name> as hft names it (hft_name);
             the training pass again under CPU bf16 autocast: bf16/loss and bf16/grad/<name>;
  merged/    merge_and_unload() of the perturbed model, saved as a plain transformers model.
  Prints {"cases": [{name, head, model_type, num_labels (seq only), r, alpha, rslora, target_modules,
  trained: sorted hft names of the trainable parameters}]}.
check: loads BASE_DIR (set_seed(0) first) and the adapters in ADAPTER_DIR with PeftModel.from_pretrained,
  runs the batch of EXPECTED in eval mode and prints {"max_abs_diff": max |logits - LOGITS["logits"]|,
  "missing_or_unexpected": [...]}: PEFT's warnings about missing adapter keys, and the adapter file's
  keys PEFT has no parameter for or parameters the file lacks (the test requires none).
merged: compares MERGED_DIR/model.safetensors with EXPECTED_MERGED_DIR/model.safetensors over the names
  in both and loads MERGED_DIR with transformers; prints {"max_abs_diff", "only_in_one": names in
  one file only, "loads_cleanly": no missing, unexpected or mismatched weights}.
Nothing but the JSON goes to stdout (what the libraries print is sent to stderr).
"""
import contextlib
import json
import os
import sys
import warnings

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from peft.utils import get_peft_model_state_dict
from safetensors.torch import load_file, save_file
from transformers import (AutoModelForCausalLM, AutoModelForSequenceClassification, BertConfig, BertModel, GPT2Config,
                          GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM, set_seed)

NUM_LABELS = 3
SEQ_LABELS = [0, 2, 1]
LORA = dict(r=4, lora_alpha=8, lora_dropout=0.0)


def bert_base():
    config = BertConfig(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=37, max_position_embeddings=64, hidden_dropout_prob=0.0,
                        attention_probs_dropout_prob=0.0, pad_token_id=0)
    return BertModel(config)


def llama_base():
    config = LlamaConfig(vocab_size=99, hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64, pad_token_id=0,
                         attention_dropout=0.0, tie_word_embeddings=False)
    return LlamaForCausalLM(config)


def gpt2_base():
    config = GPT2Config(vocab_size=99, n_embd=32, n_layer=2, n_head=4, n_positions=64, pad_token_id=0, n_inner=None,
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    return GPT2LMHeadModel(config)


# name -> (base model maker, head, model_type, LoraConfig keys beyond LORA)
CASES = {
    "bert_seq": (bert_base, "seq", "bert", dict(task_type="SEQ_CLS", target_modules=None)),
    "llama_causal": (llama_base, "causal", "llama",
                     dict(task_type="CAUSAL_LM", target_modules="all-linear", use_rslora=True)),
    "gpt2_causal": (gpt2_base, "causal", "gpt2", dict(task_type="CAUSAL_LM", target_modules=["c_attn", "c_proj"])),
}


def load_model(path, head, **kwargs):
    if head == "seq":
        return AutoModelForSequenceClassification.from_pretrained(path, num_labels=NUM_LABELS, **kwargs)
    return AutoModelForCausalLM.from_pretrained(path, **kwargs)


def hft_name(peft_name):
    """hft's name for a PeftModel parameter: no "base_model.model." prefix, no adapter name."""
    name = peft_name.removeprefix("base_model.model.")
    name = name.replace(".lora_A.default.", ".lora_A.").replace(".lora_B.default.", ".lora_B.")
    return name.replace(".modules_to_save.default.", ".")


def padded_batch(generator, head):
    """3 rows of 11, 7 and 4 tokens, right-padded with id 0; class ids for seq, the ids (-100 on padding) for causal."""
    lengths = [11, 7, 4]
    input_ids = torch.randint(3, 99, (3, 11), generator=generator)
    attention_mask = torch.zeros(3, 11, dtype=torch.long)
    for row, length in enumerate(lengths):
        attention_mask[row, :length] = 1
        input_ids[row, length:] = 0
    if head == "seq":
        labels = torch.tensor(SEQ_LABELS)
    else:
        labels = input_ids.masked_fill(attention_mask == 0, -100)
    return input_ids, attention_mask, labels


def save_base(make_base, folder):
    torch.manual_seed(0)
    model = make_base()
    with torch.no_grad():  # weights far from the init scale, so that loading errors show
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.3)
    model.save_pretrained(folder)


def perturb(peft_model):
    generator = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for _, parameter in peft_model.named_parameters():
            if parameter.requires_grad:
                parameter.copy_(torch.empty_like(parameter).normal_(0.0, 0.3, generator=generator))


def expected_outputs(peft_model, head):
    input_ids, attention_mask, labels = padded_batch(torch.Generator().manual_seed(1), head)
    peft_model.eval()
    with torch.no_grad():
        logits_eval = peft_model(input_ids=input_ids, attention_mask=attention_mask).logits
    peft_model.train()
    loss = peft_model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
    loss.backward()
    expected = dict(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids),
                    labels=labels, logits_eval=logits_eval, loss=loss.detach().reshape(1))
    for name, parameter in peft_model.named_parameters():
        if parameter.grad is not None:
            expected["grad/" + hft_name(name)] = parameter.grad
    # The same training pass under bf16 autocast (the Trainer's bf16: True on a CPU).
    peft_model.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss_bf16 = peft_model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
    loss_bf16.backward()
    expected["bf16/loss"] = loss_bf16.detach().float().reshape(1)
    for name, parameter in peft_model.named_parameters():
        if parameter.grad is not None:
            expected["bf16/grad/" + hft_name(name)] = parameter.grad
    peft_model.zero_grad()
    return expected


def make_case(name, out_dir):
    make_base, head, model_type, extra = CASES[name]
    folder = os.path.join(out_dir, name)
    save_base(make_base, os.path.join(folder, "base"))
    set_seed(42)
    model = load_model(os.path.join(folder, "base"), head)
    peft_model = get_peft_model(model, LoraConfig(**LORA, **extra))
    peft_model.save_pretrained(os.path.join(folder, "init"))
    perturb(peft_model)
    peft_model.save_pretrained(os.path.join(folder, "perturbed"))
    trained = sorted(hft_name(n) for n, p in peft_model.named_parameters() if p.requires_grad)
    expected = expected_outputs(peft_model, head)
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(folder, "expected.safetensors"))
    peft_model.merge_and_unload().save_pretrained(os.path.join(folder, "merged"))
    case = dict(name=name, head=head, model_type=model_type)
    if head == "seq":
        case["num_labels"] = NUM_LABELS
    case.update(r=LORA["r"], alpha=LORA["lora_alpha"], rslora=extra.get("use_rslora", False),
                target_modules=extra["target_modules"], trained=trained)
    return case


def make(out_dir):
    return {"cases": [make_case(name, out_dir) for name in CASES]}


def adapter_key_problems(peft_model, adapter_dir):
    """Keys of adapter_model.safetensors PEFT has no parameter for, and PEFT's adapter parameters the file lacks."""
    in_file = set(load_file(os.path.join(adapter_dir, "adapter_model.safetensors")))
    in_model = set(get_peft_model_state_dict(peft_model))
    return ([f"unexpected: {k}" for k in sorted(in_file - in_model)] +
            [f"missing: {k}" for k in sorted(in_model - in_file)])


def check(adapter_dir, base_dir, head, expected_path, logits_path):
    set_seed(0)
    base_model = load_model(base_dir, head)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        peft_model = PeftModel.from_pretrained(base_model, adapter_dir)
    problems = [str(w.message) for w in caught
                if "missing" in str(w.message).lower() or "unexpected" in str(w.message).lower()]
    problems += adapter_key_problems(peft_model, adapter_dir)
    peft_model.eval()
    batch = load_file(expected_path)
    with torch.no_grad():
        logits = peft_model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    theirs = load_file(logits_path)["logits"]
    diff = (logits - theirs).abs().max().item() if logits.shape == theirs.shape else float("inf")
    return {"max_abs_diff": diff, "missing_or_unexpected": problems}


def merged(merged_dir, expected_dir, head):
    ours = load_file(os.path.join(merged_dir, "model.safetensors"))
    theirs = load_file(os.path.join(expected_dir, "model.safetensors"))
    diff = 0.0
    for name in sorted(set(ours) & set(theirs)):
        if ours[name].shape != theirs[name].shape:
            diff = float("inf")
        else:
            diff = max(diff, (ours[name].float() - theirs[name].float()).abs().max().item())
    only_in_one = sorted(set(ours) ^ set(theirs))
    _, info = load_model(merged_dir, head, output_loading_info=True)
    loads_cleanly = not (info.get("missing_keys") or info.get("unexpected_keys") or info.get("mismatched_keys")
                         or info.get("error_msgs"))
    return {"max_abs_diff": diff, "only_in_one": only_in_one, "loads_cleanly": loads_cleanly}


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    with contextlib.redirect_stdout(sys.stderr):
        if mode == "make":
            result = make(*args)
        elif mode == "check":
            result = check(*args)
        elif mode == "merged":
            result = merged(*args)
        else:
            raise SystemExit(f"unknown mode {mode!r}: make, check or merged")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
