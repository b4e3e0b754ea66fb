"""Oracle: the step arithmetic of the real transformers Trainer, as JSON.

Usage: trainer_step_plan.py ROWS '{"per_device_train_batch_size": 16, ...}'
Builds a Trainer over ROWS dummy rows with those TrainingArguments and prints what
Trainer.set_initial_training_values and TrainingArguments.get_warmup_steps compute.
"""
import json
import sys
import tempfile

import torch
from transformers import Trainer, TrainingArguments


class Rows(torch.utils.data.Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": torch.tensor([float(i)])}


def main():
    rows = int(sys.argv[1])
    overrides = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(output_dir=out, use_cpu=True, remove_unused_columns=False,
                                 report_to="none", **overrides)
        trainer = Trainer(model=torch.nn.Linear(1, 1), args=args, train_dataset=Rows(rows))
        loader = trainer.get_train_dataloader()
        epochs, steps_per_epoch, _, _, global_batch, batches, total = trainer.set_initial_training_values(args, loader)
        print(json.dumps({
            "train_rows": rows,
            "global_batch_size": global_batch,
            "batches_per_epoch": batches,
            "steps_per_epoch": steps_per_epoch,
            "total_steps": total,
            "epochs": epochs,
            "warmup_steps": args.get_warmup_steps(total),
        }))


if __name__ == "__main__":
    main()
