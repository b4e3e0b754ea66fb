"""hft train with LoRA adapters (use_peft) and the transformers Trainer / TRL's SFTTrainer with PEFT
(tests/oracle/trainer_reference.py: get_peft_model with a LoraConfig of the recipe's keys, or
SFTTrainer's peft_config) make the same run, and what hft writes is what PEFT reads and writes.

- A tiny BERT whose classification head is new (drawn from the seed, then the adapters' lora_A),
  dropout 0.1 in the model and in the adapters, shuffled batches, evaluation each epoch: every
  logged loss and eval_loss within 1e-5, eval accuracy equal, every tensor of the final
  adapter_model.safetensors (the same names as PEFT's) within 1e-5 of the Trainer's; output_dir
  holds the adapter, not a model.safetensors.
- The same with activation checkpointing and gradient accumulation, the pooler trained in full
  (lora_modules_to_save); and hft's adapters equal with and without activation checkpointing (1e-6):
  the recomputed adapters see the same dropout masks.
- A tiny Llama, supervised fine-tuning, adapters on all linear layers but the output layer,
  rank-stabilized scaling: losses within 1e-5 of the SFTTrainer's, the same adapted modules, their
  final tensors within 1e-5.
- PEFT reads hft's adapter folder (PeftModel.from_pretrained: no adapter key missing or left over),
  and its eval_loss on the validation rows is what `hft evaluate` computes from the same folder.
- merge_adapters: output_dir holds a full model that transformers loads with nothing missing or
  unexpected, equal (1e-5) to PEFT's merge_and_unload of the adapters; checkpoints stay adapters.
- A run resumed from an early checkpoint (a copy of it, in a fresh output_dir) logs the same later
  losses and ends with the same adapters, exactly.

What makes them the same, beyond test_same_run_as_trainer.py's: each adapter's lora_A is drawn
(kaiming_uniform_) right after the new head, in the order of the model's modules; each adapted
layer's lora_dropout draws a mask of its input's shape, the padded [batch, length, width] one, when
the layer is called, in the order the model calls them (query before value, gate_proj before
up_proj), between the model's own dropout masks."""
import csv
import json
import os
import shutil
import warnings

from hft_e2e import check, describe, run_hft
from test_same_run_as_trainer import eval_accuracy, logged
from test_text_generation_trainer import sft_recipe, tiny_decoder
from test_token_classification_trainer import run_both
from training_runs import SST2_DEV, scratch_dir, tiny_model, write_recipe

ADAPTER = "adapter_model.safetensors"
EVAL_ROWS, MAX_SEQ_LENGTH = 64, 32
# Two epochs of 24 steps (192 rows, 8 a batch), evaluated on 64 dev rows after each.
RUN_KEYS = dict(validation_file=SST2_DEV, max_eval_samples=EVAL_ROWS, max_seq_length=MAX_SEQ_LENGTH, logging_steps=2,
                report_to="none", use_cpu=True, num_train_epochs=2, gradient_accumulation_steps=1,
                eval_strategy="epoch", save_strategy="no")
LORA_KEYS = dict(use_peft=True, lora_r=8, lora_alpha=16, lora_dropout=0.1)
# Case a also saves a checkpoint every 10 steps: the resumed run starts from checkpoint-10.
SAVING_KEYS = dict(save_strategy="steps", save_steps=10)
RESUME_FROM = "checkpoint-10"
# Case b: recomputed activations, two micro-batches a step, the pooler trained in full beside the head.
RECOMPUTING_KEYS = dict(gradient_accumulation_steps=2, lora_modules_to_save='["pooler"]')


def adapters(folder):
    from safetensors.torch import load_file
    return load_file(os.path.join(folder, ADAPTER))


def check_adapter_folder(name, folder):
    """What PEFT's save_pretrained writes, and no full model beside it."""
    files = set(os.listdir(folder))
    check({"adapter_config.json", ADAPTER} <= files, f"{name}: {folder} lacks the adapter files: {sorted(files)}")
    check("model.safetensors" not in files, f"{name}: {folder} holds a model.safetensors beside the adapter")


def worst_difference(name, ours, theirs, what):
    """The largest difference between two {name: tensor} of the same names."""
    check(set(ours) == set(theirs), f"{name}: {what} differ in names: {sorted(set(ours) ^ set(theirs))}")
    return max((ours[k] - theirs[k]).abs().max().item() for k in ours)


def compare_losses(name, ours, theirs):
    """The same (step, loss / eval_loss) entries, each within 1e-5."""
    hft_log, trainer_log = logged(ours), logged(theirs)
    check([e[:2] for e in hft_log] == [e[:2] for e in trainer_log],
          f"{name}: hft logged {[e[:2] for e in hft_log]}, the Trainer {[e[:2] for e in trainer_log]}")
    for (step, key, value), (_, _, reference) in zip(hft_log, trainer_log):
        check(abs(value - reference) <= 1e-5, f"{name}: step {step} {key}: hft {value}, Trainer {reference}")
    return len(hft_log)


def compare_adapter_config(name, ours, theirs):
    """The LoRA settings PEFT reads back: rank, scaling, and the base model."""
    def settings(folder):
        with open(os.path.join(folder, "adapter_config.json")) as f:
            config = json.load(f)
        return {k: config.get(k) for k in ("peft_type", "r", "lora_alpha", "use_rslora")}, \
            os.path.realpath(config.get("base_model_name_or_path") or "")
    check(settings(ours) == settings(theirs), f"{name}: adapter_config.json: hft {settings(ours)}, "
                                              f"PEFT {settings(theirs)}")


def compare_with_trainer(name, ours, theirs):
    """Case a and b's checks; returns (losses compared, worst adapter difference)."""
    entries = compare_losses(name, ours, theirs)
    check(eval_accuracy(ours) == eval_accuracy(theirs),
          f"{name}: eval_accuracy hft {eval_accuracy(ours)}, Trainer {eval_accuracy(theirs)}")
    check_adapter_folder(name, ours)
    compare_adapter_config(name, ours, theirs)
    worst = worst_difference(name, adapters(ours), adapters(theirs), "the adapter tensors")
    check(worst <= 1e-5, f"{name}: final adapters differ from the Trainer's by up to {worst}")
    return entries, worst


def same_run(name, recipe, ours, theirs):
    run_both(name, recipe, ours, theirs)
    entries, worst = compare_with_trainer(name, ours, theirs)
    print(f"{name}: {entries} logged losses equal within 1e-5, final adapters within {worst:.1e}")


def train(name, recipe, out, *overrides):
    done = run_hft("train", recipe, f"output_dir={out}", *overrides, timeout=300)
    check(done.returncode == 0, f"{name}: {describe(done)}")
    return out


def recomputation_changes_nothing(tmp, recipe, recomputed):
    """hft's adapters with and without activation checkpointing, the other keys the same."""
    plain = train("without activation checkpointing", recipe, os.path.join(tmp, "hft-b-plain"),
                  "activation_checkpointing=false")
    worst = worst_difference("activation checkpointing", adapters(recomputed), adapters(plain), "the adapters")
    check(worst <= 1e-6, f"hft's adapters with activation checkpointing differ from those without by {worst}")
    print(f"activation checkpointing: hft's adapters within {worst:.1e} of those without it")


def validation_rows():
    """The first EVAL_ROWS rows of SST-2's dev.tsv: (sentences, labels)."""
    with open(SST2_DEV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[:EVAL_ROWS]
    return [r["sentence"] for r in rows], [int(r["label"]) for r in rows]


def load_with_peft(base, adapter_folder):
    """PeftModel.from_pretrained on a base whose head is new; fails on PEFT's warning of missing
    adapter keys, and on tensors in the file that the model has no place for."""
    from peft import PeftModel, get_peft_model_state_dict
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = PeftModel.from_pretrained(model, adapter_folder)
    problems = [str(w.message) for w in caught if "missing" in str(w.message) or "unexpected" in str(w.message)]
    check(not problems, f"PEFT loading hft's adapter warned: {problems}")
    left_over = sorted(set(adapters(adapter_folder)) - set(get_peft_model_state_dict(model)))
    check(not left_over, f"hft's adapter file holds tensors PEFT's model has no place for: {left_over}")
    return model


def peft_eval_loss(base, adapter_folder):
    """The mean cross-entropy of the validation rows (truncated as the recipe truncates) under PEFT's
    model of hft's adapter folder."""
    import torch
    from transformers import AutoTokenizer

    model = load_with_peft(base, adapter_folder).eval()
    sentences, labels = validation_rows()
    tokenizer = AutoTokenizer.from_pretrained(base)
    batch = tokenizer(sentences, padding=True, truncation=True, max_length=MAX_SEQ_LENGTH, return_tensors="pt")
    with torch.no_grad():
        logits = model(**batch).logits
    return torch.nn.functional.cross_entropy(logits, torch.tensor(labels)).item()


def peft_reads_the_adapter(tmp, base, recipe_keys, trained):
    """`hft evaluate` of the adapter folder (a recipe without the PEFT keys) and PEFT's eval_loss of it."""
    recipe = write_recipe(os.path.join(tmp, "evaluate.yaml"), base, "unused", **recipe_keys)
    out = os.path.join(tmp, "hft-d")
    done = run_hft("evaluate", recipe, f"model_name_or_path={trained}", f"output_dir={out}", timeout=300)
    check(done.returncode == 0, f"hft evaluate of the adapter folder: {describe(done)}")
    with open(os.path.join(out, "eval_results.json")) as f:
        ours = json.load(f)["eval_loss"]
    theirs = peft_eval_loss(base, trained)
    check(abs(ours - theirs) <= 1e-5, f"eval_loss of hft's adapter: hft evaluate {ours}, PEFT {theirs}")
    print(f"PEFT loads hft's adapter; its eval_loss {theirs:.6f}, hft evaluate's {ours:.6f}")


def merged_by_peft(base, adapter_folder):
    return load_with_peft(base, adapter_folder).merge_and_unload()


def merged_model_loads(name, folder):
    """hft's merged model, loaded by transformers; nothing missing, unexpected or mismatched."""
    from transformers import AutoModelForSequenceClassification

    model, info = AutoModelForSequenceClassification.from_pretrained(folder, output_loading_info=True)
    problems = {k: v for k, v in info.items() if v}
    check(not problems, f"{name}: transformers loading hft's merged model reported {problems}")
    return model


def merge_equals_peft(tmp, base, recipe, adapter_folder):
    """merge_adapters: the merged model in output_dir (no adapter there), adapters in the checkpoints."""
    name = "merge_adapters"
    out = train(name, recipe, os.path.join(tmp, "hft-e"), "merge_adapters=true", "save_strategy=epoch")
    files = set(os.listdir(out))
    check({"config.json", "model.safetensors"} <= files and ADAPTER not in files,
          f"{name}: output_dir should hold the merged model instead of the adapter: {sorted(files)}")
    checkpoints = sorted(d for d in files if d.startswith("checkpoint-"))
    check(checkpoints, f"{name}: no checkpoint saved: {sorted(files)}")
    for checkpoint in checkpoints:
        check_adapter_folder(f"{name}, {checkpoint}", os.path.join(out, checkpoint))
    ours = merged_model_loads(name, out).state_dict()
    theirs = merged_by_peft(base, adapter_folder).state_dict()
    worst = worst_difference(name, ours, theirs, "the merged models' tensors")
    check(worst <= 1e-5, f"{name}: hft's merged model differs from PEFT's merge_and_unload by up to {worst}")
    print(f"{name}: the merged model loads cleanly, within {worst:.1e} of PEFT's merge of the adapters")


def resume_repeats_the_run(tmp, recipe, whole):
    """The run resumed from a copy of RESUME_FROM in a fresh output_dir: the same losses (those the
    checkpoint carries and the later ones) and adapters, exactly."""
    checkpoint = os.path.join(whole, RESUME_FROM)
    check_adapter_folder(RESUME_FROM, checkpoint)
    resumed = os.path.join(tmp, "hft-f")
    shutil.copytree(checkpoint, os.path.join(resumed, RESUME_FROM))
    train("resumed", recipe, resumed, f"resume_from_checkpoint={os.path.join(resumed, RESUME_FROM)}")
    check(logged(whole) == logged(resumed), f"resumed run logged {logged(resumed)}, the whole run {logged(whole)}")
    worst = worst_difference("resumed", adapters(resumed), adapters(whole), "the adapters")
    check(worst == 0, f"the resumed run's adapters differ from the whole run's by {worst}")
    print(f"resumed from {RESUME_FROM}: losses of steps 11-{logged(whole)[-1][0]} and every adapter tensor equal")


def classification_cases(tmp):
    """Cases a, d, e, f on one trained adapter, then b."""
    base = tiny_model(os.path.join(tmp, "bert"), dropout=0.1, headless=True)
    recipe_a = write_recipe(os.path.join(tmp, "a.yaml"), base, "unused",
                            **dict(RUN_KEYS, **LORA_KEYS, **SAVING_KEYS))
    ours = os.path.join(tmp, "hft-a")
    same_run("BERT, lora_r=8, lora_alpha=16, lora_dropout=0.1, two epochs", recipe_a, ours,
             os.path.join(tmp, "trainer-a"))
    peft_reads_the_adapter(tmp, base, RUN_KEYS, ours)
    merge_equals_peft(tmp, base, recipe_a, ours)
    resume_repeats_the_run(tmp, recipe_a, ours)
    recipe_b = write_recipe(os.path.join(tmp, "b.yaml"), base, "unused",
                            **dict(RUN_KEYS, **LORA_KEYS, **RECOMPUTING_KEYS, activation_checkpointing=True))
    recomputed = os.path.join(tmp, "hft-b")
    same_run("BERT, activation_checkpointing=True, gradient accumulation, lora_modules_to_save=[pooler]", recipe_b,
             recomputed, os.path.join(tmp, "trainer-b"))
    recomputation_changes_nothing(tmp, recipe_b, recomputed)


def sft_case(tmp):
    """Case c: every linear layer but lm_head adapted, scaling lora_alpha / sqrt(lora_r) (TRL
    ModelConfig's defaults: rank 16, alpha 32, dropout 0.05); one epoch of 6 steps, evaluated at
    steps 3 and 6."""
    name = 'Llama SFT, lora_target_modules=["all-linear"], use_rslora=True'
    model = tiny_decoder(os.path.join(tmp, "llama"), "llama")
    recipe = sft_recipe(os.path.join(tmp, "c.yaml"), model, "text", num_train_epochs=1, gradient_accumulation_steps=1,
                        eval_strategy="steps", eval_steps=3, logging_steps=1, use_peft=True,
                        lora_target_modules=["all-linear"], use_rslora=True)
    ours, theirs = os.path.join(tmp, "hft-c"), os.path.join(tmp, "trainer-c")
    run_both(name, recipe, ours, theirs)
    entries = compare_losses(name, ours, theirs)
    check_adapter_folder(name, ours)
    worst = worst_difference(name, adapters(ours), adapters(theirs), "the adapter tensors")
    check(worst <= 1e-5, f"{name}: final adapters differ from the SFTTrainer's by up to {worst}")
    print(f"{name}: {entries} logged losses equal within 1e-5, final adapters within {worst:.1e}")


def main():
    with scratch_dir() as tmp:
        classification_cases(tmp)
        sft_case(tmp)


if __name__ == "__main__":
    main()
