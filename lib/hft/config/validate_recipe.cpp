#include "hft/config/validate_recipe.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "hft/config/fields.h"         // find_field
#include "hft/config/metric_names.h"   // possible_metric_names, reports_metric
#include "hft/config/output_paths.h"   // output_folder_problem
#include "hft/config/reporters.h"      // report_to_names

namespace hft::config {
namespace {

namespace fs = std::filesystem;

// Collects errors, each placed at the first of `keys` that the user wrote (else the file's top).
class Errors {
 public:
  explicit Errors(const LoadedRecipe& loaded) : loaded_(loaded) {}

  void add(std::initializer_list<const char*> keys, std::string problem, std::string got, std::string expected) {
    const char* key = *keys.begin();
    Origin origin{Origin::Kind::kFile, loaded_.path, 1, 1};
    for (const char* k : keys) {
      if (auto o = loaded_.origin_of(k); o.kind == Origin::Kind::kFile || o.kind == Origin::Kind::kCommandLine) {
        origin = o, key = k;
        break;
      }
    }
    list_.push_back({origin, key, std::move(problem), std::move(got), std::move(expected)});
  }
  std::vector<ConfigError> take() { return std::move(list_); }

 private:
  const LoadedRecipe& loaded_;
  std::vector<ConfigError> list_;
};


void check_required(const Recipe& r, Errors& errors) {
  if (r.training.output_dir.empty())
    errors.add({"output_dir"}, "missing", "", "output_dir: a folder for checkpoints and results");
  if (r.model.model_name_or_path.empty())
    errors.add({"model_name_or_path"}, "missing", "", "model_name_or_path: a local model folder or a hub id (org/name)");
}

void check_precision(const TrainingArguments& t, Errors& errors) {
  if (t.bf16 && t.fp16) errors.add({"fp16", "bf16"}, "set together with bf16", "fp16: true", "at most one of bf16 and fp16");
}

void check_max_steps(const TrainingArguments& t, Errors& errors) {
  if (t.max_steps == 0 || t.max_steps < -1)
    errors.add({"max_steps"}, "out of range", std::to_string(t.max_steps), "-1 (use num_train_epochs) or a number > 0");
}

void check_best_model(const TrainingArguments& t, Errors& errors) {
  if (t.load_best_model_at_end && t.save_strategy != SaveStrategy::kBest) {
    if (static_cast<int>(t.eval_strategy) != static_cast<int>(t.save_strategy)) {
      errors.add({"load_best_model_at_end", "save_strategy", "eval_strategy"},
                 "needs the save and eval strategies to match",
                 "eval_strategy " + std::string(enum_name(t.eval_strategy)) + ", save_strategy " +
                     std::string(enum_name(t.save_strategy)),
                 "equal eval_strategy and save_strategy, or save_strategy: best");
    } else if (t.eval_strategy == IntervalStrategy::kSteps && t.eval_steps && t.save_steps >= 1 && *t.eval_steps >= 1 &&
               std::fmod(t.save_steps, *t.eval_steps) != 0) {
      errors.add({"save_steps", "eval_steps", "load_best_model_at_end"},
                 "not a multiple of eval_steps (load_best_model_at_end)",
                 std::to_string(static_cast<int64_t>(t.save_steps)),
                 "a multiple of " + std::to_string(static_cast<int64_t>(*t.eval_steps)));
    }
  }
  if (t.save_strategy == SaveStrategy::kBest && !t.metric_for_best_model)
    errors.add({"save_strategy"}, "`best` needs metric_for_best_model", "best", "metric_for_best_model: accuracy (say)");
  if (t.metric_for_best_model && t.eval_strategy == IntervalStrategy::kNo)
    errors.add({"metric_for_best_model", "load_best_model_at_end"}, "set without evaluation",
               "eval_strategy: no", "eval_strategy: epoch or steps, so that the metric is computed");
}

// The Trainer raises at the first evaluation when metric_for_best_model is not among its results.
// With neither task_name nor metrics only the labels tell accuracy from pearson and spearmanr, so
// either kind's is accepted here; the run checks again once it has read them (best_metric_problem).
void check_best_metric_reported(const Recipe& r, Errors& errors) {
  const auto& metric = r.training.metric_for_best_model;
  if (!metric || reports_metric(possible_metric_names(r), *metric) || possible_entity_metric(r, *metric)) return;
  std::string names;
  for (const auto& name : possible_metric_names(r)) names += ", " + name;
  const std::string decided = r.model.task != "text-classification" ? "what task " + r.model.task + " computes"
                              : r.data.task_name ? "what task_name " + *r.data.task_name + " computes"
                              : !r.data.metrics.empty() ? "what the metrics key names"
                                                        : "with neither task_name nor metrics the labels decide: "
                                                          "accuracy for classes, pearson and spearmanr for numbers";
  errors.add({"metric_for_best_model"}, "not a metric the evaluation computes", *metric,
             "one of loss" + names + ", with or without eval_ (" + decided + ")");
}

void check_early_stopping(const Recipe& r, Errors& errors) {
  if (!r.early_stopping.early_stopping_patience) return;
  if (r.training.eval_strategy == IntervalStrategy::kNo)
    errors.add({"early_stopping_patience"}, "early stopping needs evaluation", "eval_strategy: no",
               "eval_strategy: epoch or steps");
  if (!r.training.metric_for_best_model)
    errors.add({"early_stopping_patience"}, "early stopping needs a metric", "no metric_for_best_model",
               "metric_for_best_model (or load_best_model_at_end: true, which watches eval_loss)");
}

void check_metrics(const DataArguments& d, Errors& errors) {
  if (d.task_name && !d.metrics.empty())
    errors.add({"metrics"}, "set together with task_name, which picks the GLUE metrics", "", "one of task_name and metrics");
}

// Keys that only one task reads: set to another value than their default for another task they
// would be ignored, so they are refused. (The default is accepted: the resolved recipe a run
// writes, hft_recipe.yaml, names every key.)
struct TaskKey {
  const char* key;
  const char* task;
};
constexpr TaskKey kTaskKeys[] = {
    {"task_name", "text-classification"},          {"text_column_names", "text-classification"},
    {"metrics", "text-classification"},            {"shuffle_train_dataset", "text-classification"},
    {"shuffle_seed", "text-classification"},       {"text_column_name", "token-classification"},
    {"label_all_tokens", "token-classification"},  {"return_entity_level_metrics", "token-classification"},
    {"context_column_name", "multiple-choice"},    {"question_column_name", "multiple-choice"},
    {"ending_column_names", "multiple-choice"},    {"dataset_text_field", "text-generation"},
    {"max_length", "text-generation"},             {"completion_only_loss", "text-generation"},
    {"assistant_only_loss", "text-generation"},    {"packing", "text-generation"},
    {"eval_packing", "text-generation"},           {"max_new_tokens", "text-generation"},
    {"do_sample", "text-generation"},              {"temperature", "text-generation"},
    {"top_k", "text-generation"},                  {"top_p", "text-generation"},
};

// Keys of the encoder tasks that text-generation does not read, with what it reads instead.
struct UnreadKey {
  const char* key;
  const char* instead;
};
constexpr UnreadKey kNotReadByTextGeneration[] = {
    {"max_seq_length", "max_length (SFTConfig's name)"},
    {"pad_to_max_length", "no key: rows are padded to the longest of their batch"},
    {"label_column_name", "no key: the labels are the tokens themselves"},
};

void check_task_keys(const LoadedRecipe& loaded, Errors& errors) {
  const std::string& task = loaded.recipe.model.task;
  for (const TaskKey& k : kTaskKeys) {
    const FieldSpec* field = find_field(k.key);
    const bool changed = field && field->print(loaded.recipe) != field->print(Recipe{});
    if (changed && task != k.task)
      errors.add({k.key}, std::string("read by task ") + k.task + " only", "task: " + task,
                 std::string("task: ") + k.task + ", or no " + k.key);
  }
  if (task != "text-generation") return;
  for (const UnreadKey& k : kNotReadByTextGeneration) {
    const FieldSpec* field = find_field(k.key);
    if (field && field->print(loaded.recipe) != field->print(Recipe{}))
      errors.add({k.key}, "not read by task text-generation", "task: text-generation", k.instead);
  }
}

// LoRA's keys do nothing without use_peft: set to another value than their default, refused.
void check_lora_keys(const LoadedRecipe& loaded, Errors& errors) {
  if (loaded.recipe.peft.use_peft) return;
  for (const char* key : {"lora_r", "lora_alpha", "lora_dropout", "lora_target_modules", "lora_modules_to_save",
                          "use_rslora", "merge_adapters"}) {
    const FieldSpec* field = find_field(key);
    if (field && field->print(loaded.recipe) != field->print(Recipe{}))
      errors.add({key}, "read only when training LoRA adapters", "use_peft: false", std::string("use_peft: true, or no ") + key);
  }
}

// Which lr_scheduler_kwargs each scheduler accepts (the keyword arguments of its function in
// transformers.optimization).
void check_scheduler_kwargs(const TrainingArguments& t, Errors& errors) {
  const SchedulerKwargs& k = t.lr_scheduler_kwargs;
  using S = SchedulerType;
  const S type = t.lr_scheduler_type;
  auto reject = [&](const char* name, bool given, bool accepted) {
    if (given && !accepted)
      errors.add({"lr_scheduler_kwargs"}, std::string(name) + " does not apply to " + std::string(enum_name(type)), "",
                 "only the arguments of the chosen lr_scheduler_type");
  };
  const bool cosine_family = type == S::kCosine || type == S::kCosineWithRestarts || type == S::kCosineWithMinLr;
  reject("num_cycles", k.num_cycles.has_value(), cosine_family);
  reject("power", k.power.has_value(), type == S::kPolynomial);
  reject("lr_end", k.lr_end.has_value(), type == S::kPolynomial);
  reject("min_lr", k.min_lr.has_value(), type == S::kCosineWithMinLr || type == S::kWarmupStableDecay);
  reject("min_lr_rate", k.min_lr_rate.has_value(), type == S::kCosineWithMinLr);
  reject("timescale", k.timescale.has_value(), type == S::kInverseSqrt);
  reject("num_stable_steps", k.num_stable_steps.has_value(), type == S::kWarmupStableDecay);
  reject("num_decay_steps", k.num_decay_steps.has_value(), type == S::kWarmupStableDecay);
  reject("decay_type", k.decay_type.has_value(), type == S::kWarmupStableDecay);
  reject("min_lr_ratio", k.min_lr_ratio.has_value(), type == S::kWarmupStableDecay);
  if (type == S::kCosineWithMinLr && !k.min_lr && !k.min_lr_rate)
    errors.add({"lr_scheduler_kwargs", "lr_scheduler_type"}, "cosine_with_min_lr needs min_lr or min_lr_rate", "",
               "lr_scheduler_kwargs: {min_lr_rate: 0.1} (say)");
  if (k.decay_type && *k.decay_type != "linear" && *k.decay_type != "cosine" && *k.decay_type != "1-sqrt")
    errors.add({"lr_scheduler_kwargs"}, "unknown decay_type", *k.decay_type, "one of: linear, cosine, 1-sqrt");
}

void check_needed_files(const Recipe& r, Errors& errors) {
  const auto& t = r.training;
  const auto& d = r.data;
  if (t.do_train && !d.train_file) errors.add({"train_file", "do_train"}, "missing for training", "", "train_file: a csv, tsv, json or jsonl file");
  if (t.do_eval && !d.validation_file)
    errors.add({"validation_file", "eval_strategy", "do_eval"}, "missing for evaluation", "",
               "validation_file: a csv, tsv, json or jsonl file");
  if (t.do_predict && !d.test_file)
    errors.add({"test_file", "do_predict"}, "missing for prediction", "", "test_file: a csv, tsv, json or jsonl file");
}

}  // namespace

std::vector<ConfigError> check_cross_field_rules(const LoadedRecipe& loaded) {
  const Recipe& r = loaded.recipe;
  Errors errors(loaded);
  check_required(r, errors);
  check_precision(r.training, errors);
  check_max_steps(r.training, errors);
  check_best_model(r.training, errors);
  check_best_metric_reported(r, errors);
  check_early_stopping(r, errors);
  check_metrics(r.data, errors);
  check_task_keys(loaded, errors);
  check_lora_keys(loaded, errors);
  check_scheduler_kwargs(r.training, errors);
  check_needed_files(r, errors);
  return errors.take();
}

namespace {

// .csv, .tsv, .json or .jsonl, or one of them gzip-compressed (.tsv.gz), as the data readers
// take; token classification also reads CoNLL text (.conll, .txt).
bool has_data_extension(fs::path path, bool conll) {
  if (path.extension() == ".gz") path = path.stem();
  const std::string ext = path.extension().string();
  if (conll && (ext == ".conll" || ext == ".txt")) return true;
  return ext == ".csv" || ext == ".tsv" || ext == ".json" || ext == ".jsonl";
}

void check_data_file(const std::optional<std::string>& file, const char* key, bool conll, Errors& errors) {
  if (!file) return;
  const fs::path path(*file);
  std::error_code ec;
  if (!has_data_extension(path, conll))
    errors.add({key}, "unsupported file type", *file,
               std::string("a .csv, .tsv, .json or .jsonl file, or one of them .gz") + (conll ? "; or CoNLL .conll/.txt" : ""));
  else if (!fs::is_regular_file(path, ec))
    errors.add({key}, "no such file", *file, "a readable file (relative paths start at " + fs::current_path().string() + ")");
  else if (!std::ifstream(path))
    errors.add({key}, "cannot be read", *file, "a file readable by this user");
}

// What a run writes into output_dir before its first checkpoint (train/run_start.cpp,
// train/run_reporting.cpp): a folder holding only these is a run killed early, which a new run may
// start over.
bool written_before_first_checkpoint(const std::string& name) {
  return name == "hft.lock" || name == "hft_recipe.yaml" || name == "log.jsonl" || name == "data_statistics.json" ||
         name == "mlflow_run.json" || name.starts_with(".tmp-checkpoint-");
}

bool is_non_empty_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (!written_before_first_checkpoint(entry.path().filename().string())) return true;
  return false;
}

// The nearest folder above `path` that exists, where output_dir would be created; nullopt when
// a file stands in the way.
std::optional<fs::path> nearest_existing_folder(const fs::path& path) {
  std::error_code ec;
  for (fs::path p = fs::absolute(path, ec); !p.empty(); p = p.parent_path()) {
    if (fs::exists(p, ec)) return fs::is_directory(p, ec) ? std::optional<fs::path>(p) : std::nullopt;
    if (p == p.parent_path()) break;
  }
  return std::nullopt;
}

void check_output_dir(const TrainingArguments& t, Errors& errors) {
  if (t.output_dir.empty()) return;
  std::error_code ec;
  if (fs::exists(t.output_dir, ec) && !fs::is_directory(t.output_dir, ec)) {
    errors.add({"output_dir"}, "exists and is not a folder", t.output_dir, "a folder path");
    return;
  }
  const auto parent = nearest_existing_folder(t.output_dir);
  if (!parent || ::access(parent->c_str(), W_OK) != 0) {
    errors.add({"output_dir"}, parent ? "cannot be created: " + parent->string() + " is not writable"
                                      : "cannot be created: a file stands in its path",
               t.output_dir, "a folder path that can be written");
    return;
  }
  if (t.do_train && is_non_empty_dir(t.output_dir) && !t.overwrite_output_dir && !t.resume_from_checkpoint.requested())
    errors.add({"output_dir"}, "exists and is not empty", t.output_dir,
               "a new folder, overwrite_output_dir: true, or resume_from_checkpoint: true");
}

// TensorBoard's folder (report_to tensorboard or all); the default lies in output_dir.
void check_logging_dir(const TrainingArguments& t, Errors& errors) {
  const bool tensorboard = report_to_names(t, "tensorboard") || report_to_names(t, "all");
  if (!tensorboard || !t.logging_dir) return;
  if (auto problem = output_folder_problem(*t.logging_dir))
    errors.add({"logging_dir"}, problem->problem, *t.logging_dir, problem->expected);
}

// report_to: mlflow logs to a tracking server, named by the environment as MLflow's client reads
// it; hft writes no local ./mlruns store, so a run without a server is refused before it starts.
void check_mlflow_server(const TrainingArguments& t, Errors& errors) {
  const char* uri = std::getenv("MLFLOW_TRACKING_URI");
  if (!report_to_names(t, "mlflow") || (uri && *uri)) return;
  errors.add({"report_to"}, "names mlflow, but MLFLOW_TRACKING_URI is not set", "mlflow",
             "MLFLOW_TRACKING_URI=http://host:port of an MLflow tracking server in the environment");
}

void check_resume_path(const TrainingArguments& t, Errors& errors) {
  std::error_code ec;
  if (!t.resume_from_checkpoint.path.empty() && !fs::is_directory(t.resume_from_checkpoint.path, ec))
    errors.add({"resume_from_checkpoint"}, "no such checkpoint folder", t.resume_from_checkpoint.path,
               "a checkpoint-N folder written by hft or the Trainer, or true for the newest in output_dir");
}

}  // namespace

std::vector<ConfigError> check_paths(const LoadedRecipe& loaded, Verb verb) {
  const Recipe& r = loaded.recipe;
  Errors errors(loaded);
  const bool conll = r.model.task == "token-classification";
  check_data_file(r.data.train_file, "train_file", conll, errors);
  if (verb != Verb::kPredict) check_data_file(r.data.validation_file, "validation_file", conll, errors);  // predict: test only
  if (verb != Verb::kEvaluate) check_data_file(r.data.test_file, "test_file", conll, errors);
  check_output_dir(r.training, errors);  // evaluate and predict write their results there too
  if (verb == Verb::kTrain || verb == Verb::kValidate) check_logging_dir(r.training, errors);
  if (verb == Verb::kTrain) check_mlflow_server(r.training, errors);
  check_resume_path(r.training, errors);
  return errors.take();
}

}  // namespace hft::config
