"""Oracle: the transformers Trainer itself, trained on fixed batches, step by step.

Usage: trainer_reference_run.py MODEL_DIR OUT_DIR '{"gradient_accumulation_steps": 3, ...}'
Trains MODEL_DIR (a small classifier whose dropout is 0) on 40 pre-padded rows in order
(train_sampling_strategy sequential) and writes OUT_DIR/data.safetensors (the rows),
OUT_DIR/final.safetensors (the parameters after training) and OUT_DIR/log_history.json.
"""
import contextlib
import json
import os
import sys
import tempfile

import torch
from safetensors.torch import save_file
from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments

ROWS, LENGTH = 40, 9


def make_rows(vocab_size, num_labels):
    generator = torch.Generator().manual_seed(7)
    input_ids = torch.randint(3, vocab_size, (ROWS, LENGTH), generator=generator)
    lengths = torch.randint(3, LENGTH + 1, (ROWS,), generator=generator)
    attention_mask = (torch.arange(LENGTH)[None, :] < lengths[:, None]).long()
    input_ids = input_ids * attention_mask
    token_type_ids = torch.zeros_like(input_ids)
    labels = torch.randint(0, num_labels, (ROWS,), generator=generator)
    return dict(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids, labels=labels)


def main():
    model_dir, out_dir, overrides = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    os.makedirs(out_dir, exist_ok=True)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    data = make_rows(model.config.vocab_size, model.config.num_labels)
    rows = [{k: v[i] for k, v in data.items()} for i in range(ROWS)]
    arguments = dict(per_device_train_batch_size=4, num_train_epochs=2, learning_rate=1e-3, weight_decay=0.01,
                     warmup_steps=3, logging_steps=1, train_sampling_strategy="sequential", save_strategy="no",
                     report_to="none", use_cpu=True, optim="adamw_torch", disable_tqdm=True)
    arguments.update(overrides)
    with tempfile.TemporaryDirectory() as scratch:
        trainer = Trainer(model=model, args=TrainingArguments(output_dir=scratch, **arguments), train_dataset=rows)
        with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its logs; stdout is for our JSON
            trainer.train()
    save_file({k: v.contiguous() for k, v in data.items()}, os.path.join(out_dir, "data.safetensors"))
    save_file({k: v.detach().contiguous() for k, v in model.named_parameters()},
              os.path.join(out_dir, "final.safetensors"))
    with open(os.path.join(out_dir, "log_history.json"), "w") as f:
        json.dump(trainer.state.log_history, f)
    print(json.dumps({"steps": trainer.state.global_step}))


if __name__ == "__main__":
    main()
