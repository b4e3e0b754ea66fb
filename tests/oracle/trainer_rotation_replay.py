"""Oracle: which checkpoint folders the transformers Trainer keeps, given a run's evaluations and saves.

Usage: trainer_rotation_replay.py '[{"save_total_limit": 2, "load_best_model_at_end": true,
        "metric_for_best_model": "accuracy", "events": [{"step": 2, "metrics": {...}, "save": true}, ...]}, ...]'
Replays the events through the Trainer's own methods (_determine_best_metric, _save_checkpoint with
its rotate_checkpoints), with a stand-in for everything that would write model files, in a scratch
folder; prints, for each case, {"kept": [folder names], "best_model_checkpoint": folder name or null}.
"""
import json
import os
import sys
import tempfile
from types import SimpleNamespace

from transformers import Trainer, TrainerState, TrainingArguments


def replay(spec):
    with tempfile.TemporaryDirectory() as run_dir:
        args = TrainingArguments(output_dir=run_dir, eval_strategy="steps", save_strategy="steps", save_steps=2,
                                 eval_steps=2, save_total_limit=spec["save_total_limit"], save_only_model=True,
                                 load_best_model_at_end=spec["load_best_model_at_end"],
                                 metric_for_best_model=spec.get("metric_for_best_model"), report_to="none",
                                 use_cpu=True)
        trainer = SimpleNamespace(args=args, state=TrainerState(), hp_search_backend=None,
                                  store_flos=lambda: None, _get_output_dir=lambda trial: run_dir,
                                  save_model=lambda folder, _internal_call: os.makedirs(folder),
                                  callback_handler=SimpleNamespace(callbacks=[]), control=None)
        for event in spec["events"]:
            trainer.state.global_step = event["step"]
            if event.get("metrics"):
                Trainer._determine_best_metric(trainer, event["metrics"], None)
            if event["save"]:
                Trainer._save_checkpoint(trainer, None, None)
        kept = sorted((d for d in os.listdir(run_dir) if d.startswith("checkpoint-")), key=lambda d: int(d.split("-")[1]))
        best = trainer.state.best_model_checkpoint
        return {"kept": kept, "best_model_checkpoint": os.path.basename(best) if best else None}


def main():
    print(json.dumps([replay(spec) for spec in json.loads(sys.argv[1])]))


if __name__ == "__main__":
    main()
