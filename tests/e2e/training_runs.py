"""Helpers of the end-to-end training tests that make many short runs: a tiny random model
(made by transformers), a recipe on a slice of SST-2, and reading a run's final parameters."""
import os
import tempfile

from hft_e2e import REPO, run_oracle

SST2_TRAIN = os.path.join(REPO, "data", "glue", "SST-2", "train.tsv.gz")
SST2_DEV = os.path.join(REPO, "data", "glue", "SST-2", "dev.tsv")


def tiny_model(folder, dropout=0.1, headless=False, architecture="bert"):
    """A 2-layer, 32-wide random BERT (or DistilBERT) classifier with the MiniLM tokenizer, saved by
    transformers (headless: its backbone only, as a pretrained checkpoint is)."""
    options = (["headless"] if headless else []) + ([architecture] if architecture != "bert" else [])
    run_oracle("tiny_text_classifier.py", folder, str(dropout), *options)
    return folder


def write_recipe(path, model_dir, output_dir, **keys):
    """A recipe training `model_dir` on 192 SST-2 rows (12 optimizer steps an epoch), with `keys` on top."""
    recipe = dict(model_name_or_path=model_dir, task_name="sst2", train_file=SST2_TRAIN, max_train_samples=192,
                  max_seq_length=32, output_dir=output_dir, per_device_train_batch_size=8,
                  gradient_accumulation_steps=2, num_train_epochs=3, learning_rate=1e-3, warmup_steps=5,
                  weight_decay=0.01, logging_steps=1, save_strategy="steps", save_steps=2, seed=7)
    recipe.update(keys)
    with open(path, "w") as f:
        for key, value in recipe.items():
            f.write(f"{key}: {str(value).lower() if isinstance(value, bool) else value}\n")
    return path


def final_parameters(folder):
    """The saved weights: model.safetensors, or a LoRA run's adapter_model.safetensors."""
    from safetensors.torch import load_file
    adapters = os.path.join(folder, "adapter_model.safetensors")
    if os.path.exists(adapters) and not os.path.exists(os.path.join(folder, "model.safetensors")):
        return load_file(adapters)
    return load_file(os.path.join(folder, "model.safetensors"))


def scratch_dir():
    return tempfile.TemporaryDirectory(prefix="hft-e2e-")
