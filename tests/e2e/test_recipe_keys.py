"""No recipe key is read and then ignored. Every key hft accepts (hft validate --json lists them)
is in exactly one of two tables below:
  - EFFECTS: the key changes what hft does, and a named test shows it (the test file must exist
    and contain the marker: the key itself, or the function that the key feeds);
  - NO_EFFECT: hft accepts it for recipes written for the Trainer, and setting it prints exactly
    one warning line naming the key and why it has no effect here (checked below, through hft).
A key added to hft without an entry here fails this test, as does a table entry hft no longer has.
Keys that act only on a CUDA run (tf32, dataloader_pin_memory) are in both: their effect on the GPU
is tested where it happens, and on a CPU run they warn. The do_* flags warn under a verb that does
not act on them."""
import json
import os
import tempfile

from hft_e2e import REPO, check, describe, run_hft

QUICKSTART = "configs/quickstart.yaml"
E2E, UNIT, ORACLE = "tests/e2e/", "tests/unit/", "tests/oracle/"

# key -> (test file, marker in it): the test that shows the key changing what hft does.
EFFECTS = {
    "model_name_or_path": (E2E + "test_hub_cache.py", "model_name_or_path"),
    "config_name": (E2E + "test_hub_cache.py", "config_name"),
    "tokenizer_name": (E2E + "test_bad_model_folders.py", "tokenizer_name"),
    "model_revision": (E2E + "test_hub_cache.py", "model_revision"),
    "task": (UNIT + "train/task_choice_test.cpp", "recipe.model.task"),
    "task_name": (UNIT + "data/examples_test.cpp", "sst2"),
    "train_file": (E2E + "test_same_run_as_trainer.py", "write_recipe"),
    "validation_file": (E2E + "test_same_run_as_trainer.py", "validation_file"),
    "test_file": (E2E + "test_train_evaluate_predict.py", "--input"),
    "max_seq_length": (UNIT + "data/encoded_dataset_test.cpp", "truncated to 32"),
    "pad_to_max_length": (E2E + "test_dist_train.py", "pad_to_max_length"),
    "max_train_samples": (E2E + "test_step_plan_matches_trainer.py", "max_train_samples"),
    "max_eval_samples": (E2E + "test_train_evaluate_predict.py", "max_eval_samples"),
    "max_predict_samples": (E2E + "test_train_evaluate_predict.py", "max_predict_samples"),
    "text_column_names": (UNIT + "data/examples_test.cpp", "choose_text_columns(three, {std::nullopt, {\"z\"}"),
    "label_column_name": (UNIT + "data/label_space_oracle_test.cpp", "\"source\""),
    "shuffle_train_dataset": (UNIT + "data/encoded_dataset_test.cpp", "shuffle"),
    "shuffle_seed": (UNIT + "data/read_table_oracle_test.cpp", "shuffle_seed"),
    "metrics": (UNIT + "eval/metrics_test.cpp", "f1"),
    "ignore_mismatched_sizes": (UNIT + "model/task_heads_test.cpp", "ignore_mismatched_sizes"),
    "text_column_name": (UNIT + "task/tagged_data_test.cpp", "SentenceColumns"),
    "label_all_tokens": (UNIT + "task/tagged_data_test.cpp", "label_all_tokens"),
    "return_entity_level_metrics": (UNIT + "task/entity_counts_test.cpp", "entity_level"),
    "context_column_name": (UNIT + "task/choice_data_test.cpp", "ChoiceColumns"),
    "question_column_name": (UNIT + "task/choice_data_test.cpp", "question"),
    "ending_column_names": (UNIT + "task/choice_data_test.cpp", "endings"),
    "output_dir": (E2E + "test_train_evaluate_predict.py", "output_dir"),
    "overwrite_output_dir": (E2E + "bad_recipes/output_dir_not_empty.yaml", "output_dir"),
    "do_train": (UNIT + "config/load_recipe_test.cpp", "do_train"),
    "do_eval": (UNIT + "config/load_recipe_test.cpp", "do_eval"),
    "do_predict": (E2E + "test_cli.py", "do_predict"),  # set by `hft predict`; warns under other verbs
    "per_device_train_batch_size": (E2E + "test_dist_train.py", "per_device_train_batch_size"),
    "per_device_eval_batch_size": (E2E + "test_evaluate_in_length_order.py", "per_device_eval_batch_size"),
    "gradient_accumulation_steps": (E2E + "test_same_run_as_trainer.py", "gradient_accumulation_steps"),
    "learning_rate": (E2E + "test_dist_train.py", "learning_rate"),
    "weight_decay": (E2E + "training_runs.py", "weight_decay"),
    "adam_beta1": (E2E + "test_same_run_as_trainer.py", "adam_beta1"),
    "adam_beta2": (E2E + "test_same_run_as_trainer.py", "adam_beta2"),
    "adam_epsilon": (E2E + "test_same_run_as_trainer.py", "adam_epsilon"),
    "max_grad_norm": (UNIT + "train/training_loop_test.cpp", "max_grad_norm"),
    "num_train_epochs": (E2E + "test_same_run_as_trainer.py", "num_train_epochs"),
    "max_steps": (E2E + "test_dist_train.py", "max_steps"),
    "lr_scheduler_type": (UNIT + "train/training_loop_test.cpp", "lr_scheduler_type"),
    "lr_scheduler_kwargs": (UNIT + "train/training_loop_test.cpp", "lr_scheduler_kwargs"),
    "warmup_steps": (E2E + "test_step_plan_matches_trainer.py", "warmup_steps"),
    "optim": (UNIT + "train/training_loop_test.cpp", "optim"),
    "logging_strategy": (E2E + "test_same_run_as_trainer.py", "logging_strategy"),
    "logging_steps": (E2E + "test_train_evaluate_predict.py", "logging_steps"),
    "logging_first_step": (E2E + "test_same_run_as_trainer.py", "logging_first_step"),
    "eval_strategy": (E2E + "test_same_run_as_trainer.py", "eval_strategy"),
    "eval_steps": (E2E + "test_same_run_as_trainer.py", "eval_steps"),
    "eval_delay": (E2E + "test_same_run_as_trainer.py", "eval_delay"),
    "save_strategy": (E2E + "test_train_evaluate_predict.py", "save_strategy=steps"),
    "save_steps": (E2E + "test_train_evaluate_predict.py", "save_steps"),
    "save_total_limit": (E2E + "test_checkpoint_rotation.py", "save_total_limit"),
    "save_only_model": (E2E + "test_train_evaluate_predict.py", "save_only_model"),
    "load_best_model_at_end": (E2E + "test_checkpoint_rotation.py", "load_best_model_at_end"),
    "metric_for_best_model": (E2E + "test_checkpoint_rotation.py", "metric_for_best_model"),
    "greater_is_better": (UNIT + "train/best_model_test.cpp", "greater"),
    "seed": (E2E + "test_same_run_as_trainer.py", "seed"),
    "data_seed": (UNIT + "data/sampler_test.cpp", "data_seed"),
    "bf16": (UNIT + "model/activation_checkpoint_test.cpp", "kBFloat16"),
    "fp16": (UNIT + "train/loss_scaler_test.cpp", "fp16"),
    "tf32": (UNIT + "train/precision_test.cpp", "apply_tf32"),
    "dataloader_num_workers": (E2E + "test_same_run_as_trainer.py", "dataloader_num_workers"),
    "dataloader_drop_last": (E2E + "test_step_plan_matches_trainer.py", "dataloader_drop_last"),
    "dataloader_pin_memory": (UNIT + "data/sampler_test.cpp", "dataloader_pin_memory"),  # pins on CUDA runs
    "train_sampling_strategy": (UNIT + "data/sampler_test.cpp", "length-grouped order"),
    "label_smoothing_factor": (UNIT + "train/training_loop_test.cpp", "label_smoothing_factor"),
    "skip_nonfinite_loss_steps": (E2E + "test_training_failures.py", "skip_nonfinite_loss_steps"),
    "resume_from_checkpoint": (E2E + "test_resume_after_kill.py", "resume_from_checkpoint"),
    "report_to": (E2E + "test_tensorboard_events.py", "report_to"),
    "html_report": (E2E + "test_report.py", "html_report"),
    "logging_dir": (E2E + "test_tensorboard_events.py", "logging_dir"),
    "disable_tqdm": (UNIT + "log/progress_and_events_test.cpp", "disable_tqdm"),
    "use_cpu": (E2E + "test_same_run_as_trainer.py", "use_cpu"),
    "activation_checkpointing": (E2E + "test_same_run_as_trainer.py", "activation_checkpointing"),
    "ddp_backend": (E2E + "test_dist_train.py", "ddp_backend"),
    "ddp_timeout": (E2E + "test_dist_train.py", "ddp_timeout"),
    "ddp_bucket_cap_mb": (E2E + "test_dist_train.py", "ddp_bucket_cap_mb"),
    "early_stopping_patience": (UNIT + "train/best_model_test.cpp", "patience"),
    "early_stopping_threshold": (UNIT + "train/best_model_test.cpp", "threshold"),
    # task: text-generation (TRL's SFTConfig keys; the generation keys of `hft predict`).
    "dataset_text_field": (E2E + "test_text_generation_predict.py", "dataset_text_field"),
    "max_length": (E2E + "test_text_generation_trainer.py", "max_length=44"),
    "completion_only_loss": (UNIT + "task/sft_data_test.cpp", "options.completion_only_loss"),
    "assistant_only_loss": (E2E + "test_text_generation_trainer.py", "assistant_only_loss=True"),
    "packing": (E2E + "test_text_generation_trainer.py", "packing=True"),
    "eval_packing": (E2E + "test_text_generation_trainer.py", "eval_packing=False"),
    "max_new_tokens": (E2E + "test_text_generation_predict.py", "max_new_tokens"),
    "do_sample": (E2E + "test_text_generation_predict.py", "do_sample"),
    "temperature": (E2E + "test_text_generation_predict.py", "temperature"),
    "top_k": (E2E + "test_text_generation_predict.py", "top_k"),
    "top_p": (E2E + "test_text_generation_predict.py", "top_p"),
    # LoRA (TRL's ModelConfig keys; hft's merge_adapters): against the Trainer and SFTTrainer with PEFT.
    "use_peft": (E2E + "test_lora_trainer.py", "use_peft=True"),
    "lora_r": (E2E + "test_lora_trainer.py", "lora_r=8"),
    "lora_alpha": (E2E + "test_lora_trainer.py", "lora_alpha=16"),
    "lora_dropout": (E2E + "test_lora_trainer.py", "lora_dropout=0.1"),
    "lora_target_modules": (E2E + "test_lora_trainer.py", 'lora_target_modules=["all-linear"]'),
    "lora_modules_to_save": (E2E + "test_lora_trainer.py", "lora_modules_to_save="),
    "use_rslora": (E2E + "test_lora_trainer.py", "use_rslora=True"),
    "merge_adapters": (E2E + "test_lora_trainer.py", "merge_adapters=true"),
}

# key -> (value to set, True when it warns only on a CPU run): accepted, warned about, no effect.
NO_EFFECT = {
    "tf32": ("true", True),
    "dataloader_pin_memory": ("false", True),
    "run_name": ("my-run", False),
    "ddp_find_unused_parameters": ("false", False),
    "ddp_broadcast_buffers": ("false", False),
    "ddp_static_graph": ("true", False),
    "local_rank": ("0", False),
}


def recipe_keys():
    done = run_hft("validate", QUICKSTART, "--json")
    check(done.returncode == 0, describe(done))
    return set(json.loads(done.stdout)["recipe"])


def warnings_of(done):
    return [line for line in done.stderr.splitlines() if line.startswith("warning:")]


def check_every_key_is_accounted_for(keys):
    unaccounted = sorted(keys - set(EFFECTS) - set(NO_EFFECT))
    check(not unaccounted, f"recipe keys with neither a test of their effect nor a no-effect warning: {unaccounted}")
    stale = sorted((set(EFFECTS) | set(NO_EFFECT)) - keys)
    check(not stale, f"keys in this test's tables that hft no longer accepts: {stale}")
    both = sorted(k for k in set(EFFECTS) & set(NO_EFFECT) if not NO_EFFECT[k][1])
    check(not both, f"keys listed as both changing nothing and having an effect: {both}")


def check_effect_tests_exist():
    for key, (path, marker) in EFFECTS.items():
        full = os.path.join(REPO, path)
        check(os.path.isfile(full), f"{key}: the test that shows its effect, {path}, does not exist")
        with open(full) as f:
            check(marker in f.read(), f"{key}: {path} does not contain {marker!r}")
    print(f"{len(EFFECTS)} keys change what hft does, each with the test that shows it")


def check_no_effect_keys_warn():
    for key, (value, cpu_only) in NO_EFFECT.items():
        extra = ["use_cpu=true"] if cpu_only else []
        done = run_hft("validate", QUICKSTART, f"{key}={value}", *extra)
        check(done.returncode == 0, describe(done))
        lines = warnings_of(done)
        check(len(lines) == 1 and lines[0].startswith(f"warning: {key}: no effect: "),
              f"{key}={value}: expected one 'no effect' warning line, got {lines}")
        print(lines[0])
    done = run_hft("validate", QUICKSTART)
    check(not warnings_of(done), f"the quickstart recipe as shipped warns: {warnings_of(done)}")


def sst2_labelled_minilm(folder):
    """The quickstart's checkpoint with SST-2's label names (0, 1), which `hft evaluate` checks the
    dev labels against: config.json rewritten, the other files linked."""
    source = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
    os.makedirs(folder)
    for name in os.listdir(source):
        if name != "config.json":
            os.symlink(os.path.join(source, name), os.path.join(folder, name))
    with open(os.path.join(source, "config.json")) as f:
        config = json.load(f)
    config["id2label"], config["label2id"] = {"0": "0", "1": "1"}, {"0": 0, "1": 1}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f)
    return folder


def check_verb_flags_warn():
    """A run_glue.py command line's do_train/do_predict under `hft evaluate`: the verb decides."""
    with tempfile.TemporaryDirectory() as out:
        model = sst2_labelled_minilm(os.path.join(out, "model"))
        done = run_hft("evaluate", QUICKSTART, f"model_name_or_path={model}", "do_train=true", "do_predict=true",
                       "test_file=data/glue/SST-2/test.tsv", "max_eval_samples=8", f"output_dir={out}", timeout=600)
    check(done.returncode == 0, describe(done))
    lines = warnings_of(done)
    for key, verb in (("do_train", "hft train"), ("do_predict", "hft predict")):
        check(any(line.startswith(f"warning: {key}: no effect: ") and verb in line for line in lines),
              f"{key} under hft evaluate: expected a warning naming `{verb}`, got {lines}")
    print("\n".join(lines))


def main():
    keys = recipe_keys()
    check_every_key_is_accounted_for(keys)
    check_effect_tests_exist()
    check_no_effect_keys_warn()
    check_verb_flags_warn()
    print(f"all {len(keys)} recipe keys accounted for")


if __name__ == "__main__":
    main()
