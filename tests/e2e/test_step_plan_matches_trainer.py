"""The step counts `hft validate` derives equal those of the real transformers Trainer.

For each case, hft plans a run over SST-2 rows (cut with max_train_samples) and the oracle builds
a Trainer over the same number of rows with the same arguments.
"""
import json

from hft_e2e import check, describe, run_hft, run_oracle

SEED_RECIPE = "configs/sst2-bert-base-uncased.yaml"
CASES = [
    # (overrides as hft takes them, the same as TrainingArguments keyword arguments)
    ({}, {"per_device_train_batch_size": 16, "num_train_epochs": 3}),
    ({"max_train_samples": 872, "per_device_train_batch_size": 32, "gradient_accumulation_steps": 3,
      "num_train_epochs": 2.5, "warmup_steps": 0.1},
     {"per_device_train_batch_size": 32, "gradient_accumulation_steps": 3, "num_train_epochs": 2.5,
      "warmup_steps": 0.1}),
    ({"max_train_samples": 1000, "per_device_train_batch_size": 16, "dataloader_drop_last": True,
      "max_steps": 100, "warmup_steps": 7},
     {"per_device_train_batch_size": 16, "dataloader_drop_last": True, "max_steps": 100, "warmup_steps": 7}),
    ({"max_train_samples": 999, "per_device_train_batch_size": 8, "gradient_accumulation_steps": 4,
      "num_train_epochs": 1, "warmup_steps": 0.05},
     {"per_device_train_batch_size": 8, "gradient_accumulation_steps": 4, "num_train_epochs": 1,
      "warmup_steps": 0.05}),
]
COMPARED = ["global_batch_size", "batches_per_epoch", "steps_per_epoch", "total_steps", "epochs", "warmup_steps"]


def main():
    for hft_overrides, trainer_args in CASES:
        args = [f"{k}={json.dumps(v)}" for k, v in hft_overrides.items()]
        done = run_hft("validate", SEED_RECIPE, "--json", *args)
        check(done.returncode == 0, describe(done))
        plan = json.loads(done.stdout)["plan"]
        expected = json.loads(run_oracle("trainer_step_plan.py", str(plan["train_rows"]), json.dumps(trainer_args)))
        for key in COMPARED:
            check(plan[key] == expected[key], f"{hft_overrides}: {key} is {plan[key]}, the Trainer says {expected[key]}")
        print(f"{hft_overrides or 'seed recipe'}: {', '.join(f'{k} {plan[k]}' for k in COMPARED)}")


if __name__ == "__main__":
    main()
