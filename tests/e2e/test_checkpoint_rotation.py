"""save_total_limit 1, 2 and 3, with and without load_best_model_at_end: hft keeps exactly the
checkpoint folders the transformers Trainer keeps. The Trainer's own _determine_best_metric,
_save_checkpoint and rotate_checkpoints replay hft's evaluations and saves
(tests/oracle/trainer_rotation_replay.py)."""
import json
import os
import re

from hft_e2e import check, describe, run_hft, run_oracle
from training_runs import SST2_DEV, scratch_dir, tiny_model, write_recipe


def hft_run(tmp, model, limit, load_best):
    out = os.path.join(tmp, f"limit{limit}-best{int(load_best)}")
    keys = dict(num_train_epochs=1, save_total_limit=limit, validation_file=SST2_DEV, max_eval_samples=64,
                eval_strategy="steps", eval_steps=2, load_best_model_at_end=load_best)
    recipe = write_recipe(os.path.join(tmp, f"limit{limit}-best{int(load_best)}.yaml"), model, out, **keys)
    done = run_hft("train", recipe, timeout=600)
    check(done.returncode == 0, describe(done))
    saved = [int(m) for m in re.findall(r"^saved .*checkpoint-(\d+)$", done.stdout, re.M)]
    state = json.load(open(os.path.join(out, "trainer_state.json")))
    evaluations = {e["step"]: {k: v for k, v in e.items() if k.startswith("eval_")}
                   for e in state["log_history"] if "eval_loss" in e}
    kept = sorted((d for d in os.listdir(out) if d.startswith("checkpoint-")), key=lambda d: int(d.split("-")[1]))
    best = state["best_model_checkpoint"]
    return saved, evaluations, kept, os.path.basename(best) if best else None


def main():
    with scratch_dir() as tmp:
        model = tiny_model(os.path.join(tmp, "model"))
        cases, specs = [], []
        for load_best in (False, True):  # with it, metric_for_best_model defaults to eval_loss
            for limit in (1, 2, 3):
                saved, evaluations, kept, best = hft_run(tmp, model, limit, load_best)
                check(saved, f"limit {limit}: no checkpoint was saved")
                steps = sorted(set(saved) | set(evaluations))
                cases.append((limit, load_best, saved, kept, best))
                specs.append({"save_total_limit": limit, "load_best_model_at_end": load_best,
                              "events": [{"step": s, "metrics": evaluations.get(s), "save": s in saved} for s in steps]})
        answers = json.loads(run_oracle("trainer_rotation_replay.py", json.dumps(specs)))
        for (limit, load_best, saved, kept, best), trainer in zip(cases, answers):
            label = f"save_total_limit {limit}, load_best_model_at_end {load_best}"
            check(kept == trainer["kept"], f"{label}: hft kept {kept}, the Trainer keeps {trainer['kept']}")
            check(best == trainer["best_model_checkpoint"],
                  f"{label}: hft's best checkpoint {best}, the Trainer's {trainer['best_model_checkpoint']}")
            print(f"{label}: saved {saved}, kept {kept} (best {best}), as the Trainer")


if __name__ == "__main__":
    main()
