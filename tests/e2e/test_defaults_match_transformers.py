"""hft's recipe defaults equal those of the installed transformers.TrainingArguments, key by key.

The oracle reads the dataclass defaults from the Python package; hft reports its own through
`hft validate --json` on a recipe that sets nothing but the two required keys.
"""
import json
import os
import tempfile

from hft_e2e import check, describe, fail, run_hft, run_oracle

# hft requires output_dir (transformers 5 silently falls back to "trainer_output").
NOT_COMPARED = {"output_dir": "required by hft: a run never writes to a folder the user did not name"}


def normalise(key, value):
    """The same default, spelt the way either side spells it."""
    if key == "report_to" and isinstance(value, str):
        return [value]
    if key == "lr_scheduler_kwargs" and value in (None, {}):
        return None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def main():
    oracle = json.loads(run_oracle("training_args_defaults.py"))
    with tempfile.TemporaryDirectory() as tmp:
        recipe = os.path.join(tmp, "minimal.yaml")
        with open(recipe, "w") as f:
            f.write(f"model_name_or_path: models/all-MiniLM-L6-v2\noutput_dir: {tmp}/out\n")
        done = run_hft("validate", recipe, "--json")
    check(done.returncode == 0, describe(done))
    hft = json.loads(done.stdout)["recipe"]

    compared, mismatches = [], []
    for key, entry in hft.items():
        if key not in oracle or key in NOT_COMPARED:
            continue
        compared.append(key)
        ours, theirs = normalise(key, entry["default"]), normalise(key, oracle[key])
        if ours != theirs:
            mismatches.append(f"{key}: hft {entry['default']!r}, transformers {oracle[key]!r}")
    if mismatches:
        fail("defaults differ from transformers.TrainingArguments:\n  " + "\n  ".join(mismatches))
    check(len(compared) >= 50, f"only {len(compared)} keys compared: {compared}")
    others = sorted(k for k in hft if k not in oracle)
    print(f"{len(compared)} TrainingArguments defaults equal the installed transformers'")
    print(f"not TrainingArguments fields (example-script and callback arguments): {', '.join(others)}")


if __name__ == "__main__":
    main()
