#include "hft/train/run_setup.h"

#include <torch/cuda.h>

#include <algorithm>

#include "hft/config/metric_names.h"     // metric_names, best_metric_problem
#include "hft/data/data_error.h"         // DataError: a validation file without labels
#include "hft/distributed/environment.h"        // process_environment: cuda:LOCAL_RANK
#include "hft/model/model_config.h"      // read_model_config
#include "hft/tokenize/load.h"           // tokenize::load
#include "hft/train/data_feed.h"         // evaluation_batches
#include "hft/train/mixed_precision.h"   // AutocastScope, apply_tf32
#include "hft/train/run_checks.h"        // check_model_fits_inputs

namespace hft::train {
namespace {

// The model's own labels (config_name's config.json).
data::LabelSpace labels_of_model(const std::string& config_dir) {
  const model::ModelConfig config = model::read_model_config(config_dir);
  data::LabelSpace labels = data::label_space_of_names(config.labels);
  labels.regression = config.problem_type == "regression" || config.num_labels() == 1;
  labels.multi_label = config.problem_type == "multi_label_classification";
  return labels;
}

// LABEL_0, LABEL_1, ...: the names transformers gives labels nobody named
// (PretrainedConfig(num_labels=n).label2id).
bool default_label_names(const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] != "LABEL_" + std::to_string(i)) return false;
  return true;
}

// Evaluation reads only validation_file, prediction only test_file, and both map labels as
// run_glue does: by the model's label2id, unless those are the default LABEL_i names; then by the
// data's own sorted labels, from train_file when the recipe names one (run_glue always reads it),
// else from the split itself (when it labels any row; else the model's names stay).
void use_model_labels(data::SplitsOptions& options, const config::Recipe& recipe, RunKind kind) {
  const std::optional<std::string> train_file = options.train_file;
  options.train_file.reset();
  (kind == RunKind::kPredict ? options.validation_file : options.test_file).reset();
  options.labels = labels_of_model(recipe.model.folders.config);
  options.data_labels_first = !options.labels->regression && default_label_names(options.labels->names);
  if (options.data_labels_first) options.label_file = train_file;
}

// Rows labelled -1 are left out of the loss and the metrics (evaluation_loop.cpp); says how many.
// A split evaluated for its metrics without a single labelled row is bad input.
void check_labelled_rows(const data::EncodedDataset& split, const std::string& file, bool metrics_needed,
                         const RunHooks& hooks) {
  const auto unlabelled = !split.has_labels ? split.size()
                                            : std::count(split.label_ids.begin(), split.label_ids.end(), int64_t{-1});
  if (unlabelled == split.size() && metrics_needed)
    throw data::DataError(file, 0, "no row has a label (" +
                                       std::string(split.has_labels ? "every label is -1" : "no label column") +
                                       "); expected a validation_file with labels to evaluate on");
  if (unlabelled > 0 && unlabelled < split.size())
    warn(hooks, file + ": " + std::to_string(unlabelled) + " of " + std::to_string(split.size()) +
                    " rows are unlabelled (label -1); the loss and the metrics leave them out");
}

model::ModelInputs on_device(model::ModelInputs batch, const torch::Device& device) {
  auto move = [&](torch::Tensor& t) {
    if (t.defined()) t = t.to(device, /*non_blocking=*/true);
  };
  move(batch.input_ids), move(batch.attention_mask), move(batch.token_type_ids), move(batch.labels);
  return batch;
}

}  // namespace

void say(const RunHooks& hooks, const std::string& line) {
  if (hooks.info) hooks.info(line);
}

void warn(const RunHooks& hooks, const std::string& line) {
  if (hooks.warn) hooks.warn(line);
  else say(hooks, "warning: " + line);
}

RunSetup set_up(const config::Recipe& recipe, RunKind kind, const RunHooks& hooks,
                const std::optional<std::string>& weights_dir) {
  const bool training = kind == RunKind::kTrain;
  RunSetup s;
  s.model_dir = recipe.model.folders.model;  // a local folder, or a hub id's snapshot in the cache
  s.tokenizer_dir = recipe.model.folders.tokenizer;
  s.tokenizer.emplace(tokenize::load(s.tokenizer_dir));
  data::SplitsOptions options = data::splits_options(recipe.data);
  options.cache_dir = hooks.cache_dir;
  if (!training) use_model_labels(options, recipe, kind);
  s.splits = data::load_splits(options, *s.tokenizer, s.tokenizer_dir);
  for (const std::string& line : s.splits.warnings) warn(hooks, line);
  if (auto problem = config::best_metric_problem(recipe, s.splits.labels.regression); problem && training)
    throw data::DataError(*recipe.data.train_file, 0, *problem);  // the labels' kind decides the metrics
  if (s.splits.validation && (kind == RunKind::kEvaluate || (training && recipe.training.do_eval)))
    check_labelled_rows(*s.splits.validation, *options.validation_file, /*metrics_needed=*/true, hooks);
  if (s.splits.test && kind == RunKind::kPredict)
    check_labelled_rows(*s.splits.test, *options.test_file, /*metrics_needed=*/false, hooks);
  // As the example script and the Trainer: the seed is set before loading (the new head's
  // weights are the first numbers drawn from it) and again when the Trainer is built.
  torch::manual_seed(static_cast<uint64_t>(recipe.training.seed));
  model::LoadOptions load;
  load.labels = s.splits.labels.regression ? std::vector<std::string>{"LABEL_0"} : s.splits.labels.names;
  if (s.splits.labels.regression) load.problem_type = "regression";
  if (!weights_dir) load.config_dir = recipe.model.folders.config;  // a checkpoint has its own config.json
  const std::string weights = weights_dir.value_or(s.model_dir);
  s.model = model::from_pretrained(weights, load);
  torch::manual_seed(static_cast<uint64_t>(recipe.training.seed));
  for (const auto& line : model::describe_load_report(s.model, weights)) say(hooks, line);
  const auto& args = recipe.training;
  const auto gpu = static_cast<c10::DeviceIndex>(distributed::process_environment().local_rank);  // one process per GPU
  s.device = !args.use_cpu && torch::cuda::is_available() ? torch::Device(torch::kCUDA, gpu) : torch::Device(torch::kCPU);
  s.model.module->to(s.device);
  s.model.module->set_activation_checkpointing(training && args.activation_checkpointing.value_or(false));
  apply_tf32(args.tf32, s.device.type());
  s.collator = data::collator_options(*s.tokenizer, recipe.data.max_seq_length, recipe.data.pad_to_max_length,
                                      args.fp16, /*token_type_ids=*/true);
  check_model_fits_inputs(s, recipe);  // the tokenizer's ids, the rows and the labels fit the model
  s.eval.num_labels = s.splits.labels.num_labels();
  s.eval.regression = s.splits.labels.regression;
  s.eval.metric_names = config::metric_names(recipe.data, s.eval.regression);
  return s;
}

eval::EvalResult evaluate_split(RunSetup& s, distributed::Group& group, const data::EncodedDataset& split,
                                const config::TrainingArguments& args, eval::EvalOptions options) {
  auto batches = evaluation_batches(split, args, s.collator, group);
  const torch::Device device = s.device;
  auto on_device_batches = [batches, device]() -> std::optional<model::ModelInputs> {
    auto batch = batches();
    if (!batch) return std::nullopt;
    return on_device(std::move(*batch), device);
  };
  AutocastScope autocast(autocast_type(args.bf16, args.fp16), s.device.type());
  return eval::evaluate(*s.model.module, on_device_batches, options, group);
}

}  // namespace hft::train
