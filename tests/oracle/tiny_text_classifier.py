"""Oracle fixture: a tiny random BERT text classifier made by transformers, with the real
all-MiniLM-L6-v2 tokenizer, for end-to-end training tests that need many short runs.

Usage: tiny_text_classifier.py OUT_DIR [DROPOUT] [headless]
With `headless`, only the BERT backbone is saved, as in a pretrained checkpoint: the
classification head is new when the model is loaded for training.
"""
import os
import sys

import torch
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification, BertModel

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    out = sys.argv[1]
    dropout = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
    headless = sys.argv[3:] == ["headless"]
    tokenizer = AutoTokenizer.from_pretrained(os.path.join(REPO, "models", "all-MiniLM-L6-v2"))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128, hidden_dropout_prob=dropout,
                        attention_probs_dropout_prob=dropout, num_labels=2)
    (BertModel if headless else BertForSequenceClassification)(config).save_pretrained(out)
    tokenizer.save_pretrained(out)


if __name__ == "__main__":
    main()
