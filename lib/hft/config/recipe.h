// The typed recipe: what a YAML file and the command line resolve to. Plain structs, one
// comment and one default per field; the defaults are those of the installed `transformers`
// (TrainingArguments) and of its text-classification examples (run_glue.py,
// run_classification.py). Components below config/ receive only their own struct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hft/config/enums.h"  // IntervalStrategy, SaveStrategy, SchedulerType, ...

namespace hft::config {

// Where the model's files are: the names below resolved by load_recipe to local folders, or to
// snapshots in the local Hugging Face cache for hub ids. Not recipe keys. Empty only under
// `hft validate`, which reports a missing model instead of failing.
struct ModelFolders {
  std::string model;      // config.json and the weights
  std::string config;     // config.json: config_name's folder, else model
  std::string tokenizer;  // the tokenizer files: tokenizer_name's folder, else model
  // model_name_or_path named a LoRA adapter folder (adapter_config.json): it is here, and `model`
  // is its base_model_name_or_path. Empty otherwise.
  std::string adapter;
};

// Which pretrained model and tokenizer to start from: local folders or hub ids (`org/name`).
struct ModelArguments {
  std::string model_name_or_path;             // a model folder (config.json + weights) or hub id; required
  std::optional<std::string> config_name;     // config.json folder or hub id, if not model_name_or_path
  std::optional<std::string> tokenizer_name;  // tokenizer folder or hub id, if not model_name_or_path
  std::string model_revision = "main";        // hub ids: a branch, tag or commit hash in the cache
  // What the model is fine-tuned for, by transformers pipeline name: the head, the data format,
  // the loss and the metrics (checked against task/registry.cpp when the recipe is loaded).
  std::string task = "text-classification";
  // A checkpoint tensor of another shape (a head trained for other labels) is drawn anew from the
  // seed instead of refused, as from_pretrained(..., ignore_mismatched_sizes=True).
  bool ignore_mismatched_sizes = false;
  ModelFolders folders;                       // resolved, not read from the recipe
};

// Which data to read and how to turn it into model inputs.
struct DataArguments {
  std::optional<std::string> task_name;        // a GLUE task (cola, sst2, ...): picks columns and metrics
  std::optional<std::string> train_file;       // csv, tsv, json or jsonl
  std::optional<std::string> validation_file;  // same format as train_file
  std::optional<std::string> test_file;        // rows to predict; labels optional
  int64_t max_seq_length = 128;                // longer inputs are truncated
  // Pad every batch to max_seq_length. The examples default to true; hft defaults to false, the
  // DataCollatorWithPadding behaviour of the Trainer workflow, which wastes no compute on padding.
  bool pad_to_max_length = false;
  std::optional<int64_t> max_train_samples;    // keep only the first N training rows
  std::optional<int64_t> max_eval_samples;     // keep only the first N validation rows
  std::optional<int64_t> max_predict_samples;  // keep only the first N test rows
  std::vector<std::string> text_column_names;  // empty: sentence1/sentence2, else first non-label column(s)
  // The column holding the labels; unset: `label` (text classification, multiple choice), or
  // run_ner.py's choice for token classification: `ner_tags`, else the second column.
  std::optional<std::string> label_column_name;
  bool shuffle_train_dataset = false;          // shuffle the training rows once, before selection
  int64_t shuffle_seed = 42;                   // seed of that shuffle
  std::vector<std::string> metrics;            // metric names when no task_name picks them
  // token-classification (run_ner.py's DataTrainingArguments)
  std::optional<std::string> text_column_name;  // the words; unset: `tokens`, else the first column
  bool label_all_tokens = false;                // every piece of a word labelled, not only its first
  bool return_entity_level_metrics = false;     // precision/recall/F1 per entity type too
  // multiple-choice (run_swag.py's columns, named here so that other data sets fit)
  std::string context_column_name = "sent1";   // the context, paired with every ending
  std::string question_column_name = "sent2";  // the question stem before each ending; "": none
  std::vector<std::string> ending_column_names = {"ending0", "ending1", "ending2", "ending3"};
  // text-generation (TRL's SFTConfig names and defaults)
  std::string dataset_text_field = "text";      // the column of plain-text rows
  int64_t max_length = 1024;                    // tokens per row (kept from the start), or per packed row
  std::optional<bool> completion_only_loss;     // unset: on for prompt/completion rows
  bool assistant_only_loss = false;             // conversations: loss on the assistant turns only
  bool packing = false;                         // rows packed into max_length (best fit decreasing)
  std::optional<bool> eval_packing;             // unset: as packing
};

// How `hft predict` generates for a text-generation model (GenerationConfig's names).
struct GenerationArguments {
  int64_t max_new_tokens = 256;  // tokens generated after the prompt at most
  bool do_sample = false;        // false: greedy
  double temperature = 1.0;      // sampling: logits divided by it
  int64_t top_k = 50;            // sampling: only the k likeliest tokens (0: all)
  double top_p = 1.0;            // sampling: the likeliest tokens whose probabilities reach p
};

// LoRA adapters instead of full fine-tuning (TRL's ModelConfig names and defaults; PEFT's
// LoraConfig underneath).
struct PeftArguments {
  bool use_peft = false;                         // train LoRA adapters; the base weights stay frozen
  int64_t lora_r = 16;                           // the adapters' rank
  double lora_alpha = 32;                        // scaling: lora_alpha / lora_r (or / sqrt(lora_r))
  double lora_dropout = 0.05;                    // dropout on the adapters' input
  // Module names (or the last parts of them) given adapters, or "all-linear"; empty: PEFT's
  // default for the model type (query/value, q_proj/v_proj, c_attn).
  std::vector<std::string> lora_target_modules;
  // Modules trained in full beside the adapters (the classification head always is).
  std::vector<std::string> lora_modules_to_save;
  bool use_rslora = false;                       // scaling lora_alpha / sqrt(lora_r)
  bool merge_adapters = false;                   // hft: output_dir gets the merged model, not the adapters
};

// lr_scheduler_kwargs: the extra arguments of transformers.get_scheduler, by scheduler type.
struct SchedulerKwargs {
  std::optional<double> num_cycles;        // cosine (0.5), cosine_with_restarts (1), cosine_with_min_lr
  std::optional<double> power;             // polynomial (1.0)
  std::optional<double> lr_end;            // polynomial (1e-7)
  std::optional<double> min_lr;            // cosine_with_min_lr, warmup_stable_decay
  std::optional<double> min_lr_rate;       // cosine_with_min_lr: min_lr as a fraction of learning_rate
  std::optional<int64_t> timescale;        // inverse_sqrt (default: warmup steps, or 10000)
  std::optional<double> num_stable_steps;  // warmup_stable_decay
  std::optional<double> num_decay_steps;   // warmup_stable_decay
  std::optional<std::string> decay_type;   // warmup_stable_decay: linear, cosine, 1-sqrt
  std::optional<double> min_lr_ratio;      // warmup_stable_decay: floor as a fraction of learning_rate
};

// What `resume_from_checkpoint` asks for: nothing, the newest checkpoint-N in output_dir, or a folder.
struct ResumeFrom {
  bool latest = false;   // `true`: the newest checkpoint-N under output_dir
  std::string path;      // a checkpoint folder; empty when not resuming from a named folder
  bool requested() const { return latest || !path.empty(); }
};

// The Trainer's own arguments (transformers.TrainingArguments), as far as hft supports them.
struct TrainingArguments {
  std::string output_dir;                        // where checkpoints and results go; required
  bool overwrite_output_dir = false;             // allow training into a non-empty output_dir
  bool do_train = false;                         // set by `hft train`
  bool do_eval = false;                          // set by `hft evaluate`, and by eval_strategy != no
  bool do_predict = false;                       // set by `hft predict`
  int64_t per_device_train_batch_size = 8;       // rows per forward pass on each device
  int64_t per_device_eval_batch_size = 8;        // rows per evaluation batch on each device
  int64_t gradient_accumulation_steps = 1;       // micro-batches per optimizer step
  double learning_rate = 5e-5;                   // peak AdamW learning rate
  double weight_decay = 0.0;                     // AdamW decay, not applied to biases and LayerNorm
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.999;
  double adam_epsilon = 1e-8;
  double max_grad_norm = 1.0;                    // clip by global norm; 0 disables
  double num_train_epochs = 3.0;                 // ignored when max_steps > 0
  int64_t max_steps = -1;                        // > 0: total optimizer steps, overrides epochs
  SchedulerType lr_scheduler_type = SchedulerType::kLinear;
  SchedulerKwargs lr_scheduler_kwargs;
  double warmup_steps = 0;                       // >= 1: steps; below 1: a fraction of total steps
  OptimizerName optim = OptimizerName::kAdamWTorchFused;
  IntervalStrategy logging_strategy = IntervalStrategy::kSteps;
  double logging_steps = 500;                    // >= 1: steps; below 1: a fraction of total steps
  bool logging_first_step = false;
  IntervalStrategy eval_strategy = IntervalStrategy::kNo;
  std::optional<double> eval_steps;              // unset: logging_steps
  double eval_delay = 0;                         // epochs or steps to wait before the first evaluation
  SaveStrategy save_strategy = SaveStrategy::kSteps;
  double save_steps = 500;                       // >= 1: steps; below 1: a fraction of total steps
  std::optional<int64_t> save_total_limit;       // keep at most N checkpoints (the best one kept too)
  bool save_only_model = false;                  // checkpoints without optimizer/scheduler/RNG state
  bool load_best_model_at_end = false;
  std::optional<std::string> metric_for_best_model;  // unset with load_best_model_at_end: "loss"
  std::optional<bool> greater_is_better;         // unset: true unless the metric ends with "loss"
  int64_t seed = 42;
  std::optional<int64_t> data_seed;              // seed of the data order; unset: seed
  bool bf16 = false;                             // bf16 autocast
  bool fp16 = false;                             // fp16 autocast with loss scaling (CUDA)
  std::optional<bool> tf32;                      // TF32 matmuls on Ampere+ GPUs; unset: LibTorch's default
  int64_t dataloader_num_workers = 0;            // background threads preparing batches
  bool dataloader_drop_last = false;
  bool dataloader_pin_memory = true;
  TrainSamplingStrategy train_sampling_strategy = TrainSamplingStrategy::kRandom;
  double label_smoothing_factor = 0.0;
  bool skip_nonfinite_loss_steps = false;        // hft: drop the update of a NaN/inf-loss step instead of stopping
  ResumeFrom resume_from_checkpoint;
  std::vector<std::string> report_to = {"none"};  // "none", "all", "tensorboard" or "mlflow" (all: tensorboard,
                                                  // and mlflow when MLFLOW_TRACKING_URI is set)
  bool html_report = true;                       // hft: write output_dir/report.html when training ends
  std::optional<std::string> logging_dir;        // TensorBoard folder; unset: output_dir/runs
  std::optional<std::string> run_name;           // unset: output_dir
  std::optional<bool> disable_tqdm;              // unset: a progress bar only on a terminal
  bool use_cpu = false;                          // train on the CPU even where a GPU is present
  std::optional<bool> activation_checkpointing;  // recompute layer activations in backward
  std::optional<DdpBackend> ddp_backend;         // unset: nccl on GPUs, gloo on CPUs
  int64_t ddp_timeout = 1800;                    // seconds a collective may wait
  std::optional<int64_t> ddp_bucket_cap_mb;      // gradient all-reduce bucket size; unset: 25
  // Accepted for recipes written for the Trainer. hft's gradient averaging always counts a
  // parameter without a gradient as zero (find_unused_parameters), broadcasts rank 0's parameters
  // and buffers once at the start (the models' buffers are constants), and needs no static graph.
  std::optional<bool> ddp_find_unused_parameters;
  std::optional<bool> ddp_broadcast_buffers;
  std::optional<bool> ddp_static_graph;
  int64_t local_rank = -1;                       // the launcher's LOCAL_RANK decides; kept for recipes that set it
};

// EarlyStoppingCallback's arguments: stop when metric_for_best_model stops improving.
struct EarlyStoppingArguments {
  std::optional<int64_t> early_stopping_patience;  // unset: no early stopping
  double early_stopping_threshold = 0.0;           // the least change that counts as better
};

struct Recipe {
  ModelArguments model;
  DataArguments data;
  TrainingArguments training;
  EarlyStoppingArguments early_stopping;
  GenerationArguments generation;
  PeftArguments peft;
};

}  // namespace hft::config
