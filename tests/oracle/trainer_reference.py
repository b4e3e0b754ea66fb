#!/usr/bin/env python3
"""The Python reference of the benchmark: an hft recipe run by the transformers Trainer.

Usage: trainer_reference.py RECIPE.yaml [key=value ...]

Reads the same YAML recipe and key=value overrides that `hft train` reads, maps the keys to
TrainingArguments and the example's model/data arguments, and then does what the example script of
the recipe's `task` does with local files. text-classification (the default), as run_glue.py:
load_dataset("csv", delimiter="\\t", quoting=QUOTE_NONE), tokenize the whole split with truncation
at max_seq_length (Dataset.map, batched), DataCollatorWithPadding. token-classification, as
run_ner.py (token_classification_reference.py); multiple-choice, as run_swag.py
(multiple_choice_reference.py); text-generation, as TRL's SFTTrainer with an SFTConfig of the same
keys (sft_reference.py: the raw JSONL rows go to SFTTrainer, which tokenizes, masks and packs them;
eval_perplexity beside each eval_loss). Then for every task: shuffle_train_dataset, select the first
max_train_samples / max_eval_samples rows, train(), save_model, save_state, evaluate.
With use_peft (TRL's ModelConfig keys lora_r, lora_alpha, lora_dropout, lora_target_modules,
lora_modules_to_save, use_rslora), the Trainer trains LoRA adapters: PEFT's get_peft_model with a
LoraConfig of those keys wraps the model right after it is loaded (its lora_A weights are the next
numbers drawn after the new head's), and save_model writes the adapter (adapter_config.json,
adapter_model.safetensors); with hft's merge_adapters, output_dir gets the merged model instead
(merge_and_unload, save_pretrained), written after the final evaluation.
Writes what the examples write into output_dir (train/eval/all_results.json, trainer_state.json,
the model) plus bench_reference.json with what the benchmark needs (first optimizer step time,
real tokens, non-embedding parameters).

Prints "bench: first optimizer step" the moment step 1 ends, so that the benchmark timestamps it
the same way it timestamps hft's first log line.
"""
import time

PROCESS_START = time.time()  # before the heavy imports: they are part of the end-to-end time

import csv  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402

import yaml  # noqa: E402

MODEL_KEYS = {"model_name_or_path", "config_name", "tokenizer_name", "task", "ignore_mismatched_sizes"}
DATA_KEYS = {"task_name", "train_file", "validation_file", "test_file", "max_seq_length", "pad_to_max_length",
             "max_train_samples", "max_eval_samples", "max_predict_samples", "text_column_names",
             "label_column_name", "shuffle_train_dataset", "shuffle_seed", "metrics",
             # token-classification (run_ner.py's)
             "text_column_name", "label_all_tokens", "return_entity_level_metrics",
             # multiple-choice (run_swag.py's columns, named as hft names them)
             "context_column_name", "question_column_name", "ending_column_names",
             # text-generation (SFTConfig's own keys)
             "dataset_text_field", "max_length", "completion_only_loss", "assistant_only_loss", "packing",
             "eval_packing"}
STOPPING_KEYS = {"early_stopping_patience", "early_stopping_threshold"}
# TRL's ModelConfig LoRA keys and hft's merge_adapters (peft_arguments).
PEFT_KEYS = {"use_peft", "lora_r", "lora_alpha", "lora_dropout", "lora_target_modules", "lora_modules_to_save",
             "use_rslora", "merge_adapters"}
# PEFT's task type of each hft task; multiple-choice has none (PeftModel, the head in modules_to_save).
PEFT_TASK_TYPES = {"text-classification": "SEQ_CLS", "token-classification": "TOKEN_CLS",
                   "text-generation": "CAUSAL_LM", "multiple-choice": None}
# The heads PEFT's SEQ_CLS keeps trainable (PeftModelForSequenceClassification's classifier_module_names):
# hft trains a multiple-choice head the same way.
CLASSIFIER_MODULE_NAMES = ["classifier", "score"]
EXAMPLE_ONLY_KEYS = {"overwrite_output_dir"}  # the example scripts' own argument, not TrainingArguments'
GENERATION_KEYS = {"max_new_tokens", "do_sample", "temperature", "top_k", "top_p"}  # hft predict's, not training's
RENAMED = {"evaluation_strategy": "eval_strategy", "warmup_ratio": "warmup_steps", "no_cuda": "use_cpu",
           "per_gpu_train_batch_size": "per_device_train_batch_size",
           "per_gpu_eval_batch_size": "per_device_eval_batch_size"}
# run_glue.py's task_to_keys: the text columns of each GLUE task.
TASK_COLUMNS = {"cola": ("sentence", None), "mnli": ("premise", "hypothesis"), "mrpc": ("sentence1", "sentence2"),
                "qnli": ("question", "sentence"), "qqp": ("question1", "question2"), "rte": ("sentence1", "sentence2"),
                "sst2": ("sentence", None), "stsb": ("sentence1", "sentence2"), "wnli": ("sentence1", "sentence2")}


def yaml_number(value):
    """PyYAML reads 2e-5 (no dot) as a string, as YAML 1.1 says; hft and YAML 1.2 read a number."""
    if isinstance(value, str) and re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", value.strip()):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return value


def read_recipe(path, overrides):
    with open(path) as f:
        recipe = yaml.safe_load(f) or {}
    for item in overrides:
        key, sep, value = item.lstrip("-").partition("=")
        if not sep:
            sys.exit(f"{item}: expected key=value")
        recipe[key] = yaml.safe_load(value)
    recipe = {k: yaml_number(v) for k, v in recipe.items()}
    for key in [k for k, v in recipe.items() if k.endswith("_strategy") and v is False]:
        recipe[key] = "no"  # PyYAML reads an unquoted no as false; hft reads the strategy name
    for old, new in RENAMED.items():
        if old in recipe:
            recipe[new] = recipe.pop(old)
    if recipe.pop("group_by_length", False):
        recipe["train_sampling_strategy"] = "group_by_length"
    return recipe


def split_recipe(recipe):
    """(model args, data args, early stopping args, TrainingArguments kwargs)."""
    model = {k: recipe.pop(k) for k in list(recipe) if k in MODEL_KEYS}
    data = {k: recipe.pop(k) for k in list(recipe) if k in DATA_KEYS}
    stopping = {k: recipe.pop(k) for k in list(recipe) if k in STOPPING_KEYS}
    for k in EXAMPLE_ONLY_KEYS | GENERATION_KEYS:
        recipe.pop(k, None)
    return model, data, stopping, recipe


def peft_arguments(recipe):
    """Takes the PEFT keys out of `recipe` (before split_recipe, whose TrainingArguments would refuse
    them): {} without use_peft; a lora_* key or merge_adapters without it is refused, as hft refuses it."""
    keys = {k: recipe.pop(k) for k in list(recipe) if k in PEFT_KEYS}
    if not keys.pop("use_peft", False):
        if keys:
            sys.exit(f"{', '.join(sorted(keys))}: set without use_peft: true")
        return {}
    return keys


def lora_config(keys, task):
    """The LoraConfig of the recipe's keys (TRL ModelConfig's defaults). A one-element
    ["all-linear"] becomes the string PEFT recognises (as ModelConfig turns a one-element list into
    its string); other lists stay lists of module names."""
    from peft import LoraConfig

    targets = list(keys.get("lora_target_modules") or [])
    modules_to_save = list(keys.get("lora_modules_to_save") or [])
    task_type = PEFT_TASK_TYPES[task]
    if task_type is None:
        modules_to_save += CLASSIFIER_MODULE_NAMES
    return LoraConfig(r=keys.get("lora_r", 16), lora_alpha=keys.get("lora_alpha", 32),
                      lora_dropout=keys.get("lora_dropout", 0.05),
                      target_modules="all-linear" if targets == ["all-linear"] else targets or None,
                      modules_to_save=modules_to_save or None, use_rslora=bool(keys.get("use_rslora", False)),
                      task_type=task_type)


def add_adapters(setup, keys, task):
    """With use_peft, the model wrapped by get_peft_model right after it was loaded (before the
    Trainer sets the seed again); for text-generation, SFTTrainer's own peft_config does the same
    (SFTTrainer sets the seed, then calls get_peft_model on the loaded model: no number is drawn
    between loading a causal LM and that call, so the adapters' draws are the same)."""
    if not keys:
        return setup
    if task == "text-generation":
        return dict(setup, trainer_kwargs=dict(peft_config=lora_config(keys, task)))
    from peft import get_peft_model
    return dict(setup, model=get_peft_model(setup["model"], lora_config(keys, task)))


def save_merged(trainer, output_dir):
    """merge_adapters: the base model with the adapters merged into its weights, and the tokenizer."""
    trainer.model.merge_and_unload().save_pretrained(output_dir)
    trainer.processing_class.save_pretrained(output_dir)


def text_columns(data, column_names, label_column):
    if data.get("text_column_names"):
        names = data["text_column_names"]
        names = names.split(",") if isinstance(names, str) else list(names)
        return names[0], names[1] if len(names) > 1 else None
    if data.get("task_name"):
        return TASK_COLUMNS[data["task_name"]]
    others = [c for c in column_names if c != label_column]  # run_glue.py without a task
    if "sentence1" in others and "sentence2" in others:
        return "sentence1", "sentence2"
    return others[0], others[1] if len(others) > 1 else None


def metric_function(task, regression):
    import numpy as np
    from scipy.stats import pearsonr, spearmanr
    from sklearn.metrics import f1_score, matthews_corrcoef

    def compute(prediction):
        logits, labels = prediction.predictions, prediction.label_ids
        if regression:
            p = np.squeeze(logits)
            return {"pearson": float(pearsonr(p, labels)[0]), "spearmanr": float(spearmanr(p, labels)[0])}
        p = np.argmax(logits, axis=1)
        if task == "cola":
            return {"matthews_correlation": float(matthews_corrcoef(labels, p))}
        out = {"accuracy": float((p == labels).mean())}
        if task in ("mrpc", "qqp"):
            out["f1"] = float(f1_score(labels, p))
        return out

    return compute


class FirstStepClock:
    """A TrainerCallback (built lazily, after transformers is imported) that reports step 1's end."""

    @staticmethod
    def make(record):
        from transformers import TrainerCallback

        class Callback(TrainerCallback):
            def on_step_end(self, args, state, control, **kwargs):
                if state.global_step == 1 and "first_step_s" not in record:
                    record["first_step_s"] = time.time() - PROCESS_START
                    print("bench: first optimizer step", flush=True)

        return Callback()


def text_classification(model_args, data, args):
    """run_glue.py's setup for the Trainer: the model with a new head of the training file's labels,
    the encoded splits, DataCollatorWithPadding (none when padded to max_length), its metrics."""
    import datasets
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, DataCollatorWithPadding

    files = {"train": data["train_file"], "validation": data["validation_file"]}
    delimiter = "\t" if data["train_file"].removesuffix(".gz").endswith(".tsv") else ","
    raw = datasets.load_dataset("csv", data_files=files, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    label_column = data.get("label_column_name") or "label"
    task = data.get("task_name")
    regression = task == "stsb" or raw["train"].features[label_column].dtype.startswith("float")
    label_list = None if regression else sorted(set(raw["train"][label_column]))
    num_labels = 1 if regression else len(label_list)

    model_dir = model_args["model_name_or_path"]
    config = AutoConfig.from_pretrained(model_args.get("config_name") or model_dir, num_labels=num_labels,
                                        finetuning_task=task)
    tokenizer = AutoTokenizer.from_pretrained(model_args.get("tokenizer_name") or model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, config=config,
                                                      ignore_mismatched_sizes=bool(model_args.get("ignore_mismatched_sizes")))
    if not regression:
        label_to_id = {v: i for i, v in enumerate(label_list)}
        model.config.label2id = label_to_id
        model.config.id2label = {i: str(v) for v, i in label_to_id.items()}

    first, second = text_columns(data, raw["train"].column_names, label_column)
    max_length = min(data.get("max_seq_length", 128), tokenizer.model_max_length)
    padding = "max_length" if data.get("pad_to_max_length") else False

    def preprocess(rows):
        texts = (rows[first],) if second is None else (rows[first], rows[second])
        out = tokenizer(*texts, padding=padding, max_length=max_length, truncation=True)
        if not regression:
            out["label"] = [label_to_id[v] for v in rows[label_column]]
        return out

    encoded = raw.map(preprocess, batched=True, desc="tokenizing")
    return dict(model=model, tokenizer=tokenizer, train=encoded["train"], validation=encoded["validation"],
                collator=None if padding else DataCollatorWithPadding(tokenizer),
                compute_metrics=metric_function(task, regression))


def training_arguments(task, training, data):
    """TrainingArguments of the recipe; for text-generation, SFTConfig (its subclass) with the SFT keys too."""
    if task == "text-generation":
        import sft_reference
        return sft_reference.sft_config(training, data)
    from transformers import TrainingArguments
    return TrainingArguments(**training)


def task_setup(task, model_args, data, args):
    """The example script's setup of `task`: {model, tokenizer, train, validation, collator, compute_metrics}
    and, where it is not the Trainer, trainer_class."""
    if task == "text-classification":
        return text_classification(model_args, data, args)
    if task == "token-classification":
        import token_classification_reference
        return token_classification_reference.build(model_args, data, args)
    if task == "multiple-choice":
        import multiple_choice_reference
        return multiple_choice_reference.build(model_args, data, args)
    if task == "text-generation":
        import sft_reference
        return sft_reference.build(model_args, data, args)
    sys.exit(f"task: {task}: expected text-classification, token-classification, multiple-choice or text-generation")


def select_rows(train, validation, data):
    """The examples' max_train_samples / max_eval_samples: the first rows (after the optional shuffle
    of the training rows)."""
    if data.get("shuffle_train_dataset"):
        train = train.shuffle(seed=data.get("shuffle_seed", 42))
    if data.get("max_train_samples") is not None:
        train = train.select(range(min(len(train), data["max_train_samples"])))
    if data.get("max_eval_samples") is not None:
        validation = validation.select(range(min(len(validation), data["max_eval_samples"])))
    return train, validation


def token_count(input_ids):
    """Real tokens of encoded rows; a multiple-choice row holds one list per ending."""
    return sum(len(ids) if not ids or isinstance(ids[0], int) else sum(map(len, ids)) for ids in input_ids)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    recipe = read_recipe(sys.argv[1], sys.argv[2:])
    peft_keys = peft_arguments(recipe)
    model_args, data, stopping, training = split_recipe(recipe)

    import torch
    from transformers import EarlyStoppingCallback, Trainer, set_seed

    task = model_args.pop("task", None) or "text-classification"
    args = training_arguments(task, training, data)
    set_seed(args.seed)  # before the model is loaded: its new head is the first numbers drawn
    setup = add_adapters(task_setup(task, model_args, data, args), peft_keys, task)
    train, validation = select_rows(setup["train"], setup["validation"], data)

    record = {}
    callbacks = [FirstStepClock.make(record)]
    if stopping.get("early_stopping_patience"):
        callbacks.append(EarlyStoppingCallback(stopping["early_stopping_patience"],
                                               stopping.get("early_stopping_threshold", 0.0)))
    trainer_class = setup.get("trainer_class", Trainer)
    trainer = trainer_class(model=setup["model"], args=args, train_dataset=train, eval_dataset=validation,
                            compute_metrics=setup["compute_metrics"], processing_class=setup["tokenizer"],
                            data_collator=setup["collator"], callbacks=callbacks, **setup.get("trainer_kwargs", {}))
    result = trainer.train()
    merge = peft_keys.get("merge_adapters", False)
    if not merge:
        trainer.save_model()
    metrics = dict(result.metrics, train_samples=len(train))
    trainer.log_metrics("train", metrics)
    trainer.save_metrics("train", metrics)
    trainer.save_state()
    eval_metrics = dict(trainer.evaluate(), eval_samples=len(validation))
    trainer.log_metrics("eval", eval_metrics)
    trainer.save_metrics("eval", eval_metrics)

    encoded = trainer.train_dataset  # SFTTrainer's: the rows it made of `train`
    record.update(train_rows=len(encoded), real_tokens_per_epoch=token_count(encoded["input_ids"]),
                  non_embedding_parameters=setup["model"].num_parameters(exclude_embeddings=True),
                  torch_threads=torch.get_num_threads(), optim=str(args.optim))
    with open(os.path.join(args.output_dir, "bench_reference.json"), "w") as f:
        json.dump(record, f, indent=2)
    if merge:
        save_merged(trainer, args.output_dir)

if __name__ == "__main__":
    main()
