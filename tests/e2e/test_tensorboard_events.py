"""report_to: tensorboard: TensorBoard's own reader (event_accumulator) reads the event files hft
writes, with the Trainer's tags (train/loss, train/learning_rate, eval/loss, ...) and, at every
step, the values of hft's log_history (as float32, TensorBoard's scalar type)."""
import glob
import json
import os

import numpy as np

from hft_e2e import check, describe, run_hft
from training_runs import SST2_DEV, scratch_dir, tiny_model, write_recipe


def main():
    with scratch_dir() as tmp:
        model = tiny_model(os.path.join(tmp, "model"))
        out, logs = os.path.join(tmp, "run"), os.path.join(tmp, "tb")
        recipe = write_recipe(os.path.join(tmp, "tb.yaml"), model, out, num_train_epochs=1, save_strategy="no",
                              validation_file=SST2_DEV, max_eval_samples=64, eval_strategy="steps", eval_steps=4,
                              report_to="tensorboard", logging_dir=logs)
        done = run_hft("train", recipe, timeout=600)
        check(done.returncode == 0, describe(done))
        check(glob.glob(os.path.join(logs, "events.out.tfevents.*")), f"no event file in {logs}")

        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        events = EventAccumulator(logs, size_guidance={"scalars": 0})
        events.Reload()
        read = {tag: {e.step: e.value for e in events.Scalars(tag)} for tag in events.Tags()["scalars"]}
        history = json.load(open(os.path.join(out, "trainer_state.json")))["log_history"]
        compared = 0
        for entry in history:
            for key, value in entry.items():
                if key in ("step",) or not isinstance(value, (int, float)):
                    continue
                prefix = next((p for p in ("eval", "test") if key.startswith(p + "_")), None)
                tag = f"{prefix}/{key[len(prefix) + 1:]}" if prefix else f"train/{key}"
                check(tag in read and entry["step"] in read[tag], f"{tag} at step {entry['step']} not in the event file")
                check(read[tag][entry["step"]] == np.float32(value), f"{tag}@{entry['step']}: {read[tag][entry['step']]} != {value}")
                compared += 1
        for tag in ("train/loss", "train/learning_rate", "train/grad_norm", "eval/loss", "eval/accuracy"):
            check(tag in read, f"{tag} missing: {sorted(read)}")
        print(f"TensorBoard read {compared} scalars equal to log_history ({len(read)} tags)")


if __name__ == "__main__":
    main()
