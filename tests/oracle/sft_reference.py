#!/usr/bin/env python3
"""The reference of hft's supervised fine-tuning (`task: text-generation`): TRL's SFTTrainer on local
JSONL files, rows of `text` (dataset_text_field), `prompt` + `completion`, or `messages`.

Usage: sft_reference.py encode TOKENIZER_DIR DATA_FILE MAX_LENGTH COMPLETION_ONLY PACKING [ASSISTANT_ONLY]
Prints {"input_ids": [[...], ...], "labels": [[...], ...]} and, when packing, "position_ids": the
training rows SFTTrainer makes of DATA_FILE (its own _prepare_dataset, run by its constructor on a
throwaway tiny model), each passed alone through its collator, so that a packed row's labels are
-100 at the start of each sequence and its position_ids restart there. MAX_LENGTH: a number or
none; COMPLETION_ONLY: 0, 1 or none (TRL's default: on for prompt/completion rows); PACKING: 0 or
1 (TRL's default packing_strategy, bfd, which implies padding-free collation); ASSISTANT_ONLY: 0 (the
default) or 1 (assistant_only_loss: the folder's chat template must have {% generation %} blocks).

trainer_reference.py calls sft_config() and build() for `task: text-generation`.

Settings that are hft's, not SFTConfig's defaults: the dataset prepared in one process, not
shuffled, rows not padded to a multiple of anything, padding-free collation only as packing
implies, the nll loss; where TRL changes a TrainingArguments default (learning_rate, logging_steps,
gradient checkpointing, bf16), an unset key keeps TrainingArguments' default, as every hft task does.
"""
import contextlib
import dataclasses
import json
import math
import sys
import tempfile

# SFTConfig's keys that an hft recipe holds (flat, under the same names).
SFT_KEYS = ("dataset_text_field", "max_length", "completion_only_loss", "assistant_only_loss", "packing",
            "eval_packing")
FIXED = dict(dataset_num_proc=None, shuffle_dataset=False, pad_to_multiple_of=None, padding_free=False,
             loss_type="nll")


def trainer_defaults():
    """TrainingArguments' defaults of the fields whose default SFTConfig changes."""
    from transformers import TrainingArguments
    from trl import SFTConfig

    def default(field):
        return field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default

    theirs = {f.name: default(f) for f in dataclasses.fields(TrainingArguments)}
    return {f.name: theirs[f.name] for f in dataclasses.fields(SFTConfig)
            if f.name in theirs and default(f) != theirs[f.name]}


def sft_config(training, data):
    """SFTConfig from the recipe's TrainingArguments keys and its SFT keys (in `data`)."""
    from trl import SFTConfig

    keys = dict(trainer_defaults(), **training)
    keys.update({k: data[k] for k in SFT_KEYS if k in data}, **FIXED)
    return SFTConfig(**keys)


def perplexity(loss):
    """run_clm.py's: exp of the loss, inf when it overflows."""
    try:
        return math.exp(loss)
    except OverflowError:
        return float("inf")


def trainer_class():
    """SFTTrainer that adds eval_perplexity beside each eval_loss it logs (the log history, and the
    metrics evaluate() returns: SFTTrainer.log adds to the same dict)."""
    from trl import SFTTrainer

    class PerplexitySFTTrainer(SFTTrainer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # The Trainer counts num_items_in_batch over labels[..., 1:] only for models whose
            # loss_type is ForCausalLM, which it derives from the class name: GPT2LMHeadModel has
            # none, so it would divide GPT-2's loss by one token more per row than the loss sums
            # over. hft divides every decoder's by the tokens it predicts; so does this reference.
            self._loss_shifts_labels = True

        def log(self, logs, start_time=None):
            if "eval_loss" in logs:
                logs["eval_perplexity"] = perplexity(logs["eval_loss"])
            super().log(logs, start_time)

    return PerplexitySFTTrainer


def load_rows(path):
    import datasets
    return datasets.load_dataset("json", data_files=path, split="train")


def build(model_args, data, args):
    """The model (AutoModelForCausalLM, float32, SDPA attention), its tokenizer and the raw rows:
    SFTTrainer tokenizes, masks, truncates and packs them itself."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model_dir = model_args["model_name_or_path"]
    tokenizer = AutoTokenizer.from_pretrained(model_args.get("tokenizer_name") or model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    return dict(model=model, tokenizer=tokenizer, train=load_rows(data["train_file"]),
                validation=load_rows(data["validation_file"]), collator=None, compute_metrics=None,
                trainer_class=trainer_class())


def tiny_model(vocab_size):
    """A throwaway 1-layer Llama: SFTTrainer needs a model to prepare a dataset."""
    from transformers import LlamaConfig, LlamaForCausalLM

    return LlamaForCausalLM(LlamaConfig(vocab_size=vocab_size, hidden_size=8, intermediate_size=8,
                                        num_hidden_layers=1, num_attention_heads=1, num_key_value_heads=1))


def option(text):
    return None if text.lower() == "none" else text


def encode(tokenizer_dir, data_file, max_length, completion_only, packing, assistant_only=False):
    """The `encode` command's JSON object."""
    from transformers import AutoTokenizer
    from trl import SFTTrainer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    with tempfile.TemporaryDirectory() as out:
        args = sft_config(dict(output_dir=out, use_cpu=True, report_to="none"),
                          dict(max_length=max_length, completion_only_loss=completion_only, packing=packing,
                               assistant_only_loss=assistant_only))
        trainer = SFTTrainer(model=tiny_model(len(tokenizer)), args=args, train_dataset=load_rows(data_file),
                             processing_class=tokenizer)
    result = {"input_ids": [], "labels": []}
    if packing:
        result["position_ids"] = []
    for row in trainer.train_dataset:
        collated = trainer.data_collator([row])
        for key in result:
            result[key].append(collated[key][0].tolist())
    return result


def main():
    if len(sys.argv) not in (7, 8) or sys.argv[1] != "encode" or sys.argv[5] not in ("0", "1", "none") \
            or sys.argv[6] not in ("0", "1") or sys.argv[7:] not in ([], ["0"], ["1"]):
        sys.exit(__doc__)
    import datasets

    datasets.disable_progress_bars()
    max_length = option(sys.argv[4])
    completion_only = option(sys.argv[5])
    with contextlib.redirect_stdout(sys.stderr):  # only the JSON object on stdout
        result = encode(sys.argv[2], sys.argv[3], None if max_length is None else int(max_length),
                        None if completion_only is None else completion_only == "1", sys.argv[6] == "1",
                        sys.argv[7:] == ["1"])
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
