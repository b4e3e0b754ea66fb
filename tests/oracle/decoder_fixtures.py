#!/usr/bin/env python3
"""Oracle for the causal-LM model tests: tiny random Llama-family models made and run by transformers.

Usage: decoder_fixtures.py OUT_DIR
For each case, OUT_DIR/<case>/ holds the model as save_pretrained writes it and
OUT_DIR/<case>/expected.safetensors a right-padded batch (input_ids, attention_mask, labels: the
ids, -100 on padding) with what transformers computes on it: logits in eval mode, the loss
(LlamaForCausalLM's: each position predicts the next token) and every parameter's gradient in
train mode (attention dropout 0). Prints {"cases": [names]}.

Cases: Llama with grouped-query attention (4 query heads, 2 key/value heads) and a separate
lm_head; tied embeddings with biases in attention and MLP; Llama 3.1's rope_type llama3 with an
original context of 16 tokens (head_dim 8: one frequency kept, one blended, two stretched);
Mistral with a sliding window of 4 tokens (shorter than the rows); Qwen2 (biases on q, k, v);
Qwen3 (per-head q/k RMSNorm, tied embeddings); GPT-2 (learned positions, Conv1D projections,
gelu_new, the output layer tied to the token embedding).
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import (GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM, Qwen2Config,
                          Qwen2ForCausalLM, Qwen3Config, Qwen3ForCausalLM)

SMALL = dict(vocab_size=99, hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
             max_position_embeddings=64, pad_token_id=0, attention_dropout=0.0)
LLAMA3_ROPE = dict(rope_type="llama3", rope_theta=10000.0, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                  original_max_position_embeddings=16)
# name -> (config class, model class, config keys beyond SMALL)
CASES = {
    "llama_gqa": (LlamaConfig, LlamaForCausalLM, dict(num_key_value_heads=2)),
    "llama_tied_biases": (LlamaConfig, LlamaForCausalLM, dict(num_key_value_heads=4, tie_word_embeddings=True,
                                                              attention_bias=True, mlp_bias=True)),
    "llama3_rope": (LlamaConfig, LlamaForCausalLM, dict(num_key_value_heads=2, rope_parameters=LLAMA3_ROPE)),
    "mistral_window": (MistralConfig, MistralForCausalLM, dict(num_key_value_heads=2, head_dim=8, sliding_window=4)),
    "qwen2": (Qwen2Config, Qwen2ForCausalLM, dict(num_key_value_heads=2)),
    "qwen3_tied": (Qwen3Config, Qwen3ForCausalLM, dict(num_key_value_heads=2, head_dim=8, tie_word_embeddings=True)),
    "gpt2": (GPT2Config, GPT2LMHeadModel, dict(n_inner=None, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)),
}
# GPT-2's config names its sizes its own way.
SMALL_BY_CLASS = {GPT2Config: dict(vocab_size=99, n_embd=32, n_layer=2, n_head=4, n_positions=64, pad_token_id=0)}


def padded_batch(generator):
    """3 rows of 11, 7 and 4 tokens, right-padded with id 0 as training batches are."""
    lengths = [11, 7, 4]
    input_ids = torch.randint(3, 99, (3, 11), generator=generator)
    attention_mask = torch.zeros(3, 11, dtype=torch.long)
    for row, length in enumerate(lengths):
        attention_mask[row, :length] = 1
        input_ids[row, length:] = 0
    labels = input_ids.masked_fill(attention_mask == 0, -100)
    return input_ids, attention_mask, labels


def make_case(name, config_class, model_class, extra, out_dir):
    torch.manual_seed(0)
    model = model_class(config_class(**SMALL_BY_CLASS.get(config_class, SMALL), **extra))
    with torch.no_grad():  # weights far from the init scale, so that loading errors show
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.3)
    folder = os.path.join(out_dir, name)
    model.save_pretrained(folder)
    input_ids, attention_mask, labels = padded_batch(torch.Generator().manual_seed(1))
    model.eval()
    with torch.no_grad():
        logits_eval = model(input_ids=input_ids, attention_mask=attention_mask).logits
    model.train()
    loss = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
    loss.backward()
    # token_type_ids (zeros, which decoders take none of): the batch as the saved-model check reads it.
    expected = dict(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids),
                    labels=labels, logits_eval=logits_eval, loss=loss.detach().reshape(1))
    expected.update({"grad/" + key: p.grad for key, p in model.named_parameters() if p.grad is not None})
    save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(folder, "expected.safetensors"))


def main():
    out_dir = sys.argv[1]
    for name, (config_class, model_class, extra) in CASES.items():
        make_case(name, config_class, model_class, extra, out_dir)
    print(json.dumps({"cases": list(CASES)}))


if __name__ == "__main__":
    main()
