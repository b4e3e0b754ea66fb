"""Oracle fixture: a tiny random BERT text classifier made by transformers, with the real
all-MiniLM-L6-v2 tokenizer, for end-to-end training tests that need many short runs.

Usage: tiny_text_classifier.py OUT_DIR [DROPOUT] [headless] [distilbert | modernbert]
With `headless`, only the backbone is saved, as in a pretrained checkpoint: the classification
head is new when the model is loaded for training. With `distilbert` or `modernbert`, that
architecture at the same size instead of a BERT (ModernBERT: 3 layers, the middle one with a
sliding window of 8 tokens).
"""
import os
import sys

import torch
from transformers import (AutoTokenizer, BertConfig, BertForSequenceClassification, BertModel, DistilBertConfig,
                          DistilBertForSequenceClassification, DistilBertModel, ModernBertConfig,
                          ModernBertForSequenceClassification, ModernBertModel)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    out = sys.argv[1]
    dropout = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
    options = set(sys.argv[3:])
    tokenizer = AutoTokenizer.from_pretrained(os.path.join(REPO, "models", "all-MiniLM-L6-v2"))
    torch.manual_seed(0)
    if "distilbert" in options:
        config = DistilBertConfig(vocab_size=tokenizer.vocab_size, dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                                  max_position_embeddings=128, dropout=dropout, attention_dropout=dropout, num_labels=2)
        model_class = DistilBertModel if "headless" in options else DistilBertForSequenceClassification
    elif "modernbert" in options:
        special = dict(pad_token_id=tokenizer.pad_token_id, cls_token_id=tokenizer.cls_token_id,
                       sep_token_id=tokenizer.sep_token_id, bos_token_id=tokenizer.cls_token_id,
                       eos_token_id=tokenizer.sep_token_id)
        config = ModernBertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=3,
                                  num_attention_heads=2, intermediate_size=48, max_position_embeddings=128,
                                  local_attention=8, global_attn_every_n_layers=2, attention_dropout=dropout,
                                  mlp_dropout=dropout, embedding_dropout=dropout, classifier_dropout=dropout,
                                  num_labels=2, **special)
        model_class = ModernBertModel if "headless" in options else ModernBertForSequenceClassification
    else:
        config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=128, hidden_dropout_prob=dropout,
                            attention_probs_dropout_prob=dropout, num_labels=2)
        model_class = BertModel if "headless" in options else BertForSequenceClassification
    model_class(config).save_pretrained(out)
    tokenizer.save_pretrained(out)


if __name__ == "__main__":
    main()
