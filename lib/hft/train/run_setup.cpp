#include "hft/train/run_setup.h"

#include <torch/cuda.h>

#include "hft/dist/environment.h"        // process_environment: cuda:LOCAL_RANK
#include "hft/eval/metrics.h"            // glue_metric_names
#include "hft/model/model_config.h"      // read_model_config
#include "hft/tokenize/load.h"           // tokenize::load
#include "hft/train/data_feed.h"         // evaluation_batches
#include "hft/train/mixed_precision.h"   // AutocastScope, apply_tf32

namespace hft::train {
namespace {

// Without a training file (evaluate, predict), the labels are the model's own (config_name's).
data::LabelSpace labels_of_model(const std::string& config_dir) {
  const model::ModelConfig config = model::read_model_config(config_dir);
  data::LabelSpace labels;
  labels.regression = config.problem_type == "regression" || config.num_labels() == 1;
  labels.names = config.labels;
  return labels;
}

std::vector<std::string> metric_names(const config::DataArguments& data, bool regression) {
  if (data.task_name) return eval::glue_metric_names(*data.task_name);
  if (!data.metrics.empty()) return data.metrics;
  return regression ? std::vector<std::string>{"pearson", "spearmanr"} : std::vector<std::string>{"accuracy"};
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

RunSetup set_up(const config::Recipe& recipe, bool training, const RunHooks& hooks,
                const std::optional<std::string>& weights_dir) {
  RunSetup s;
  s.model_dir = recipe.model.folders.model;  // a local folder, or a hub id's snapshot in the cache
  s.tokenizer_dir = recipe.model.folders.tokenizer;
  s.tokenizer.emplace(tokenize::load(s.tokenizer_dir));
  data::SplitsOptions options = data::splits_options(recipe.data);
  options.cache_dir = hooks.cache_dir;
  if (!training) {
    options.train_file.reset();
    options.labels = labels_of_model(recipe.model.folders.config);
  }
  s.splits = data::load_splits(options, *s.tokenizer, s.tokenizer_dir);
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
  const auto gpu = static_cast<c10::DeviceIndex>(dist::process_environment().local_rank);  // one process per GPU
  s.device = !args.use_cpu && torch::cuda::is_available() ? torch::Device(torch::kCUDA, gpu) : torch::Device(torch::kCPU);
  s.model.module->to(s.device);
  s.model.module->set_activation_checkpointing(training && args.activation_checkpointing.value_or(false));
  apply_tf32(args.tf32, s.device.type());
  s.collator = data::collator_options(*s.tokenizer, recipe.data.max_seq_length, recipe.data.pad_to_max_length,
                                      args.fp16, /*token_type_ids=*/true);
  s.eval.num_labels = s.splits.labels.num_labels();
  s.eval.regression = s.splits.labels.regression;
  s.eval.metric_names = metric_names(recipe.data, s.eval.regression);
  return s;
}

eval::EvalResult evaluate_split(RunSetup& s, const data::EncodedDataset& split, const config::TrainingArguments& args,
                                eval::EvalOptions options) {
  auto batches = evaluation_batches(split, args, s.collator);
  const torch::Device device = s.device;
  auto on_device_batches = [batches, device]() -> std::optional<model::ModelInputs> {
    auto batch = batches();
    if (!batch) return std::nullopt;
    return on_device(std::move(*batch), device);
  };
  AutocastScope autocast(autocast_type(args.bf16, args.fp16), s.device.type());
  return eval::evaluate(*s.model.module, on_device_batches, options);
}

}  // namespace hft::train
