"""Oracle fixture: a tiny random BERT text classifier made by transformers, with the real
all-MiniLM-L6-v2 tokenizer, for end-to-end training tests that need many short runs.

Usage: tiny_text_classifier.py OUT_DIR [DROPOUT] [headless] [distilbert]
With `headless`, only the backbone is saved, as in a pretrained checkpoint: the classification
head is new when the model is loaded for training. With `distilbert`, a DistilBERT of the same
size instead of a BERT.
"""
import os
import sys

import torch
from transformers import (AutoTokenizer, BertConfig, BertForSequenceClassification, BertModel, DistilBertConfig,
                          DistilBertForSequenceClassification, DistilBertModel)

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
    else:
        config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=128, hidden_dropout_prob=dropout,
                            attention_probs_dropout_prob=dropout, num_labels=2)
        model_class = BertModel if "headless" in options else BertForSequenceClassification
    model_class(config).save_pretrained(out)
    tokenizer.save_pretrained(out)


if __name__ == "__main__":
    main()
