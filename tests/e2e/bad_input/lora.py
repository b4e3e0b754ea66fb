"""LoRA recipes and adapter folders through the binary: a lora_* key or merge_adapters without
use_peft: true, lora_target_modules naming no module of the model or a module that is not a linear
projection (BERT's LayerNorm: PEFT refuses it too), use_peft on a model type PEFT has no default
target modules for (DistilBERT) without lora_target_modules, and `hft evaluate` of an adapter folder
that is not LoRA (PEFT's IA3). Each is one line naming the key (or adapter_config.json and its
peft_type), exit 2, nothing written into output_dir.
Run with case names as arguments to run only those."""
import os

from _common import check_one_line_error, run_cases, run_limited
from hft_e2e import check
from training_runs import SST2_DEV, scratch_dir, tiny_model, write_recipe


def recipe(tmp, name, model, **keys):
    """A short SST-2 training recipe; its output_dir must stay absent after a refused run."""
    out = os.path.join(tmp, name + "-out")
    path = write_recipe(os.path.join(tmp, name + ".yaml"), model, out, validation_file=SST2_DEV, max_steps=4,
                        max_eval_samples=16, use_cpu=True, report_to="none", save_strategy="no", **keys)
    return path, out


def refused(name, verb, path, out, words, *overrides):
    done = run_limited(verb, path, *overrides)
    check_one_line_error(name, done, codes=(2,), words=words)
    check(not os.path.exists(out), f"{name}: {out} was created by a refused run")


def lora_key_without_use_peft(tmp, models):
    path, out = recipe(tmp, "lora_r_alone", models["bert"], lora_r=8)
    refused("lora_r without use_peft", "train", path, out, ["lora_r", "use_peft"])


def merge_adapters_with_use_peft_false(tmp, models):
    path, out = recipe(tmp, "merge_without_peft", models["bert"], use_peft=False, merge_adapters=True)
    refused("merge_adapters with use_peft: false", "train", path, out, ["merge_adapters", "use_peft"])


def target_module_not_in_model(tmp, models):
    path, out = recipe(tmp, "nonexistent_target", models["bert"], use_peft=True,
                       lora_target_modules='["nonexistent"]')
    refused("a target module the model lacks", "train", path, out, ["lora_target_modules", "nonexistent"])


def target_module_not_linear(tmp, models):
    path, out = recipe(tmp, "layernorm_target", models["bert"], use_peft=True, lora_target_modules='["LayerNorm"]')
    refused("a target module that is not a linear projection", "train", path, out,
            ["lora_target_modules", "LayerNorm"])


def no_default_target_modules(tmp, models):
    path, out = recipe(tmp, "distilbert_default_targets", models["distilbert"], use_peft=True)
    refused("use_peft on DistilBERT without lora_target_modules", "train", path, out,
            ["lora_target_modules", "distilbert"])


def adapter_folder_not_lora(tmp, models):
    adapter_config = os.path.join(models["ia3"], "adapter_config.json")
    path, out = recipe(tmp, "ia3_adapter", models["bert"])
    refused("hft evaluate of an IA3 adapter folder", "evaluate", path, out, [adapter_config, "IA3"],
            f"model_name_or_path={models['ia3']}")


CASES = [lora_key_without_use_peft, merge_adapters_with_use_peft_false, target_module_not_in_model,
         target_module_not_linear, no_default_target_modules, adapter_folder_not_lora]


def ia3_adapter(folder, base):
    """PEFT's IA3 adapter of the tiny BERT classifier (its default target modules), saved by PEFT
    with the tokenizer beside it, as the Trainer saves an adapter."""
    from peft import IA3Config, get_peft_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=2)
    get_peft_model(model, IA3Config(task_type="SEQ_CLS")).save_pretrained(folder)
    AutoTokenizer.from_pretrained(base).save_pretrained(folder)
    return folder


def fixtures(tmp):
    """Headless tiny BERT and DistilBERT backbones (tiny_text_classifier.py) and an IA3 adapter of the BERT."""
    models = {architecture: tiny_model(os.path.join(tmp, architecture), headless=True, architecture=architecture)
              for architecture in ("bert", "distilbert")}
    models["ia3"] = ia3_adapter(os.path.join(tmp, "ia3"), models["bert"])
    return models


def main():
    with scratch_dir() as tmp:
        run_cases(CASES, tmp, fixtures(tmp))


if __name__ == "__main__":
    main()
