"""hft train and TRL's SFTTrainer make the same supervised fine-tuning run (`task: text-generation`;
the SFTTrainer side is tests/oracle/trainer_reference.py with sft_reference.py): tiny random decoders
(GPT-2 with dropout 0.1, Llama, Qwen2) with the GPT-2 tokenizer (tests/oracle/sft_fixtures.py),
shuffled batches, evaluation during training, on the rows of tests/fixtures/sft/. Every logged loss
and eval_loss within 1e-5 (the same entries at the same steps), the final eval_loss and its
eval_perplexity, every final parameter within 1e-5 of the SFTTrainer's.

What this adds to test_same_run_as_trainer.py: SFTTrainer's data path (the eos token appended to
text and completion rows, the prompt's tokens left out of the loss, conversations rendered with a
chat template, rows cut at max_length and those left with no label dropped, best-fit-decreasing
packing into padding-free batches whose positions restart at each sequence), the next-token loss
summed over the accumulated micro-batches and divided by their count of labels, the pad token
taken from eos when the tokenizer has none, assistant-only loss, recomputed activations with dropout;
and a decoder run resumed from a checkpoint repeats the rest of the run exactly."""
import json
import math
import os
import shutil

from hft_e2e import REPO, check, describe, run_hft, run_oracle
from test_same_run_as_trainer import logged
from test_token_classification_trainer import run_both, write_recipe
from training_runs import final_parameters, scratch_dir

SFT_DATA = os.path.join(REPO, "tests", "fixtures", "sft")
QWEN_TEMPLATE = os.path.join(REPO, "tests", "fixtures", "chat_templates", "qwen2.5-instruct.jinja")
# name -> (architecture, chat template, data files, recipe keys). 48 training rows, 16 evaluated;
# 8 a batch unless packed.
CASES = {
    # Recomputed activations replay the dropout masks of the first pass, as torch.utils.checkpoint does.
    "GPT-2 with dropout, text rows, gradient accumulation, activation checkpointing, evaluation every 2 steps": (
        "gpt2", None, "text", dict(gradient_accumulation_steps=2, eval_strategy="steps", eval_steps=2,
                                   logging_steps=1, activation_checkpointing=True)),
    # max_length 44 cuts 4 rows whose prompts fill it (45 to 58 tokens): no completion token is left,
    # so both drop them (hft with a warning line). The longest completion, 43 tokens, still fits.
    "Llama, prompt/completion rows (loss on the completion), rows cut at 44 tokens, evaluation each epoch": (
        "llama", None, "prompt_completion", dict(gradient_accumulation_steps=2, eval_strategy="epoch",
                                                 logging_steps=1, max_length=44)),
    # One epoch: these rows are the longest (the template's default system prompt, its markers spelled out in
    # GPT-2's pieces).
    "Qwen2, conversations in the Qwen2.5 chat template, one epoch, evaluation every 3 steps": (
        "qwen2", QWEN_TEMPLATE, "messages", dict(num_train_epochs=1, gradient_accumulation_steps=1,
                                                 eval_strategy="steps", eval_steps=3, logging_steps=2)),
    # TRL's training version of that template marks the assistant's turns with {% generation %} blocks (read
    # from the installed trl, not kept here): the loss is on those tokens only.
    "Qwen2, conversations, loss on the assistant's turns only (assistant_only_loss)": (
        "qwen2", "trl:qwen2_5_training", "messages", dict(assistant_only_loss=True, num_train_epochs=1,
                                                          gradient_accumulation_steps=2, eval_strategy="epoch",
                                                          logging_steps=1)),
    # 48 text rows packed into 30 rows of 56 tokens at most (18 of them hold 2 or more texts; the 2 longest
    # texts are cut), 4 a batch.
    "Llama, packed text rows of 56 tokens, evaluation every 5 steps": (
        "llama", None, "text", dict(packing=True, max_length=56, per_device_train_batch_size=4,
                                    per_device_eval_batch_size=4, gradient_accumulation_steps=1,
                                    eval_strategy="steps", eval_steps=5, logging_steps=1)),
    # Packed training, evaluation of the rows one by one (eval_packing: false).
    "Llama, packed prompt/completion rows of 64 tokens, evaluation unpacked": (
        "llama", None, "prompt_completion", dict(packing=True, eval_packing=False, max_length=64,
                                                 per_device_train_batch_size=4, num_train_epochs=1,
                                                 eval_strategy="epoch", logging_steps=1)),
}


def tiny_decoder(folder, architecture, chat_template=None):
    """A 2-layer, 32-wide random decoder of GPT-2's vocabulary with its tokenizer (sft_fixtures.py)."""
    run_oracle("sft_fixtures.py", "model", folder, architecture, "0", *([chat_template] if chat_template else []))
    return folder


def sft_recipe(path, model_dir, data, **keys):
    """A recipe training `model_dir` on tests/fixtures/sft/<data>.jsonl, evaluated on <data>_dev.jsonl,
    two epochs at learning rate 1e-3."""
    recipe = dict(task="text-generation", model_name_or_path=model_dir,
                  train_file=os.path.join(SFT_DATA, f"{data}.jsonl"),
                  validation_file=os.path.join(SFT_DATA, f"{data}_dev.jsonl"), per_device_train_batch_size=8,
                  per_device_eval_batch_size=8, num_train_epochs=2, learning_rate=1e-3, warmup_steps=2,
                  weight_decay=0.01, seed=7, save_strategy="no", report_to="none", use_cpu=True)
    return write_recipe(path, dict(recipe, **keys))


def write_cases(tmp):
    """(name, recipe) of each case, the models made into tmp (one per architecture and template)."""
    models, cases = {}, []
    for number, (name, (architecture, template, data, keys)) in enumerate(CASES.items()):
        if (architecture, template) not in models:
            folder = os.path.join(tmp, f"{architecture}{len(models)}")
            models[architecture, template] = tiny_decoder(folder, architecture, template)
        recipe = sft_recipe(os.path.join(tmp, f"recipe{number}.yaml"), models[architecture, template], data, **keys)
        cases.append((name, recipe))
    return cases


def final_evaluation(folder):
    with open(os.path.join(folder, "eval_results.json")) as f:
        results = json.load(f)
    return results["eval_loss"], results["eval_perplexity"]


def compare_runs(name, ours, theirs):
    """Losses, the final evaluation and final parameters of the two runs; returns (losses compared,
    worst parameter difference, the SFTTrainer's final eval_loss)."""
    hft_log, trainer_log = logged(ours), logged(theirs)
    check([e[:2] for e in hft_log] == [e[:2] for e in trainer_log],
          f"{name}: hft logged {[e[:2] for e in hft_log]}, the SFTTrainer {[e[:2] for e in trainer_log]}")
    for (step, key, value), (_, _, reference) in zip(hft_log, trainer_log):
        check(abs(value - reference) <= 1e-5, f"{name}: step {step} {key}: hft {value}, SFTTrainer {reference}")
    (loss, perplexity), (reference_loss, reference_perplexity) = final_evaluation(ours), final_evaluation(theirs)
    check(abs(loss - reference_loss) <= 1e-5, f"{name}: final eval_loss hft {loss}, SFTTrainer {reference_loss}")
    check(math.isclose(perplexity, reference_perplexity, rel_tol=1e-5),
          f"{name}: eval_perplexity hft {perplexity}, SFTTrainer {reference_perplexity}")
    # The folder save_model writes: the chat template and generation_config.json travel with the model.
    for file in ("chat_template.jinja", "generation_config.json"):
        check(os.path.exists(os.path.join(ours, file)) == os.path.exists(os.path.join(theirs, file)),
              f"{name}: the Trainer's output_dir and hft's differ in whether {file} is there")
    hft_parameters, trainer_parameters = final_parameters(ours), final_parameters(theirs)
    check(set(hft_parameters) == set(trainer_parameters),
          f"{name}: parameters differ: {sorted(set(hft_parameters) ^ set(trainer_parameters))}")
    worst = max((hft_parameters[k] - trainer_parameters[k]).abs().max().item() for k in hft_parameters)
    check(worst <= 1e-5, f"{name}: final parameters differ from the SFTTrainer's by up to {worst}")
    return len(hft_log), worst, reference_loss


def resume_repeats_the_run(tmp):
    """A GPT-2 run with dropout, shuffling and recomputed activations, resumed from its step-8
    checkpoint (in a fresh output_dir), logs the same later losses and ends with the same parameters."""
    model = tiny_decoder(os.path.join(tmp, "resume-model"), "gpt2")
    recipe = sft_recipe(os.path.join(tmp, "resume.yaml"), model, "text", per_device_train_batch_size=4,
                        num_train_epochs=1, eval_strategy="steps", eval_steps=4, save_strategy="steps", save_steps=4,
                        logging_steps=1, activation_checkpointing=True)
    whole, resumed = os.path.join(tmp, "whole"), os.path.join(tmp, "resumed")
    done = run_hft("train", recipe, f"output_dir={whole}", timeout=600)
    check(done.returncode == 0, describe(done))
    shutil.copytree(os.path.join(whole, "checkpoint-8"), os.path.join(resumed, "checkpoint-8"))
    done = run_hft("train", recipe, f"output_dir={resumed}", "resume_from_checkpoint=true", timeout=600)
    check(done.returncode == 0, describe(done))

    def losses(folder):
        state = json.load(open(os.path.join(folder, "trainer_state.json")))
        return [(e["step"], e["loss"]) for e in state["log_history"] if "loss" in e]

    check(losses(whole) == losses(resumed), f"resumed run logged {losses(resumed)}, the whole run {losses(whole)}")
    a, b = final_parameters(whole), final_parameters(resumed)
    worst = max((a[k] - b[k]).abs().max().item() for k in a)
    check(worst == 0, f"the resumed run's parameters differ by {worst}")
    print(f"resumed from checkpoint-8: losses of steps 9-{losses(whole)[-1][0]} and every parameter equal")


def main():
    with scratch_dir() as tmp:
        resume_repeats_the_run(tmp)
        for number, (name, recipe) in enumerate(write_cases(tmp)):
            ours, theirs = os.path.join(tmp, f"hft{number}"), os.path.join(tmp, f"trainer{number}")
            run_both(name, recipe, ours, theirs)
            entries, worst, eval_loss = compare_runs(name, ours, theirs)
            print(f"{name}: {entries} logged losses equal within 1e-5, final eval_loss {eval_loss:.4f}, "
                  f"final parameters within {worst:.1e}")


if __name__ == "__main__":
    main()
