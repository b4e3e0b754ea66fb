#include "hft/train/fine_tune.h"

#include <torch/cuda.h>
#include <torch/serialize.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "hft/checkpoint/atomic_file.h"        // write_file_atomically
#include "hft/checkpoint/checkpoint_folder.h"  // checkpoint_path, write_checkpoint_folder, rotate_checkpoints
#include "hft/data/collator.h"                 // collator_options
#include "hft/data/splits.h"                   // load_splits, splits_options
#include "hft/eval/evaluation_loop.h"          // evaluate
#include "hft/eval/metrics.h"                  // glue_metric_names
#include "hft/eval/prediction_output.h"        // write_predictions
#include "hft/model/pretrained.h"              // from_pretrained, save_pretrained
#include "hft/tokenize/load.h"                 // tokenize::load
#include "hft/train/best_model.h"               // EarlyStopping, update_best_metric
#include "hft/train/data_feed.h"               // training_batches, evaluation_batches
#include "hft/train/lr_schedule.h"
#include "hft/train/mixed_precision.h"     // AutocastScope
#include "hft/train/optimizer.h"               // make_adamw
#include "hft/train/step_plan.h"
#include "hft/train/training_loop.h"

namespace hft::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What every run builds from the recipe before its loop.
struct RunSetup {
  std::string model_dir, tokenizer_dir;
  std::optional<tokenize::Tokenizer> tokenizer;
  data::Splits splits;
  model::PretrainedModel model;
  data::CollatorOptions collator;
  eval::EvalOptions eval;
  torch::Device device = torch::kCPU;
};

void say(const RunHooks& hooks, const std::string& line) {
  if (hooks.info) hooks.info(line);
}

void write_json(const fs::path& path, const json& value) {
  checkpoint::write_file_atomically(path.string(), value.dump(2) + "\n");
}

// Without a training file (evaluate, predict), the labels are the model's own.
data::LabelSpace labels_of_model(const std::string& model_dir) {
  const model::ModelConfig config = model::read_model_config(model_dir);
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

RunSetup set_up(const config::Recipe& recipe, bool training, const RunHooks& hooks) {
  RunSetup s;
  s.model_dir = recipe.model.model_name_or_path;
  s.tokenizer_dir = recipe.model.tokenizer_name.value_or(s.model_dir);
  s.tokenizer.emplace(tokenize::load(s.tokenizer_dir));
  data::SplitsOptions options = data::splits_options(recipe.data);
  options.cache_dir = hooks.cache_dir;
  if (!training) {
    options.train_file.reset();
    options.labels = labels_of_model(s.model_dir);
  }
  s.splits = data::load_splits(options, *s.tokenizer, s.tokenizer_dir);
  torch::manual_seed(static_cast<uint64_t>(recipe.training.seed));  // a new head starts the same every run
  model::LoadOptions load;
  load.labels = s.splits.labels.regression ? std::vector<std::string>{"LABEL_0"} : s.splits.labels.names;
  if (s.splits.labels.regression) load.problem_type = "regression";
  s.model = model::from_pretrained(s.model_dir, load);
  for (const auto& line : model::describe_load_report(s.model, s.model_dir)) say(hooks, line);
  const auto& args = recipe.training;
  s.device = !args.use_cpu && torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  s.model.module->to(s.device);
  s.collator = data::collator_options(*s.tokenizer, recipe.data.max_seq_length, recipe.data.pad_to_max_length,
                                      args.fp16, /*token_type_ids=*/true);
  s.eval.num_labels = s.splits.labels.num_labels();
  s.eval.regression = s.splits.labels.regression;
  s.eval.metric_names = metric_names(recipe.data, s.eval.regression);
  return s;
}

model::ModelInputs on_device(model::ModelInputs batch, const torch::Device& device) {
  auto move = [&](torch::Tensor& t) {
    if (t.defined()) t = t.to(device, /*non_blocking=*/true);
  };
  move(batch.input_ids), move(batch.attention_mask), move(batch.token_type_ids), move(batch.labels);
  return batch;
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
  AutocastScope autocast(args.bf16, s.device.type());
  return eval::evaluate(*s.model.module, on_device_batches, options);
}

void save_checkpoint(RunSetup& s, const config::Recipe& recipe, const std::string& recipe_yaml,
                     torch::optim::Optimizer& optimizer, TrainerState& state, const RunHooks& hooks) {
  const auto& args = recipe.training;
  const std::string folder = checkpoint::checkpoint_path(args.output_dir, state.global_step);
  if (state.best_global_step == state.global_step) state.best_model_checkpoint = folder;
  checkpoint::write_checkpoint_folder(folder, [&](const std::string& dir) {
    model::save_pretrained(s.model, dir, s.tokenizer_dir);
    write_json(fs::path(dir) / "trainer_state.json", to_json(state));
    checkpoint::write_file_atomically((fs::path(dir) / "hft_recipe.yaml").string(), recipe_yaml);
    if (!args.save_only_model) torch::save(optimizer, (fs::path(dir) / "optimizer.pt").string());
  });
  say(hooks, "saved " + folder);
  if (args.save_total_limit) checkpoint::rotate_checkpoints(args.output_dir, *args.save_total_limit, state.best_model_checkpoint);
}

void log_entry(const fs::path& log_file, const json& entry, const RunHooks& hooks) {
  say(hooks, entry.dump());
  std::ofstream(log_file, std::ios::app) << entry.dump() << "\n";
}

// load_best_model_at_end: the weights of the best checkpoint replace the last ones.
void load_best_model(RunSetup& s, const TrainerState& state, const RunHooks& hooks) {
  if (!state.best_model_checkpoint) return;
  model::LoadOptions load;
  load.labels = s.model.config.labels;
  load.problem_type = s.model.config.problem_type;
  s.model = model::from_pretrained(*state.best_model_checkpoint, load);
  s.model.module->to(s.device);
  say(hooks, "loaded the best model from " + *state.best_model_checkpoint + " (" + std::to_string(*state.best_metric) + ")");
}

}  // namespace

void run_training(const config::Recipe& recipe, const std::string& resolved_recipe_yaml, const RunHooks& hooks) {
  const auto& args = recipe.training;
  const fs::path output_dir(args.output_dir);
  RunSetup s = set_up(recipe, /*training=*/true, hooks);  // bad input fails here, before anything is written
  fs::create_directories(output_dir);
  checkpoint::write_file_atomically((output_dir / "hft_recipe.yaml").string(), resolved_recipe_yaml);
  const data::EncodedDataset& train = *s.splits.train;
  const StepPlan plan = plan_steps(args, train.size());
  say(hooks, "training on " + std::to_string(train.size()) + " rows: " + std::to_string(plan.total_steps) + " steps, " +
                 std::to_string(plan.epochs) + " epochs, batch " + std::to_string(plan.global_batch_size));
  auto optimizer = make_adamw(*s.model.module, args);
  const LrSchedule schedule = make_lr_schedule(args, plan.warmup_steps, plan.total_steps);

  LoopHooks loop;
  loop.epoch_batches = [&](int64_t epoch) { return training_batches(train, args, s.collator, epoch); };
  if (args.do_eval && s.splits.validation)
    loop.evaluate = [&]() { return evaluate_split(s, *s.splits.validation, args, s.eval).metrics; };
  if (args.save_strategy != config::SaveStrategy::kNo)
    loop.save_checkpoint = [&](TrainerState& state, const json&) {
      save_checkpoint(s, recipe, resolved_recipe_yaml, *optimizer, state, hooks);
    };
  EarlyStopping early_stopping(recipe.early_stopping, args);
  loop.after_evaluate = [&](TrainerState& state, const json& metrics) {
    const bool stop = early_stopping.should_stop(state, metrics);  // against the best before this one
    update_best_metric(state, args, metrics);
    if (stop) say(hooks, "early stopping: no improvement in " + std::to_string(*recipe.early_stopping.early_stopping_patience) + " evaluations");
    return stop;
  };
  loop.on_log = [&](const json& entry) { log_entry(output_dir / "log.jsonl", entry, hooks); };
  loop.stop_requested = hooks.stop_requested;
  TrainOutcome outcome = run_training_loop(*s.model.module, *optimizer, schedule, args, plan, loop);

  if (args.load_best_model_at_end) load_best_model(s, outcome.state, hooks);
  model::save_pretrained(s.model, output_dir.string(), s.tokenizer_dir);
  write_json(output_dir / "trainer_state.json", to_json(outcome.state));
  json all = outcome.metrics;
  all["epoch"] = outcome.state.epoch;
  write_json(output_dir / "train_results.json", all);
  if (args.do_eval && s.splits.validation) {
    json metrics = evaluate_split(s, *s.splits.validation, args, s.eval).metrics;
    metrics["epoch"] = outcome.state.epoch;
    say(hooks, metrics.dump());
    write_json(output_dir / "eval_results.json", metrics);
    all.update(metrics);
  }
  write_json(output_dir / "all_results.json", all);
  say(hooks, "model saved to " + output_dir.string());
}

void run_evaluation(const config::Recipe& recipe, const RunHooks& hooks) {
  RunSetup s = set_up(recipe, /*training=*/false, hooks);
  const json metrics = evaluate_split(s, *s.splits.validation, recipe.training, s.eval).metrics;
  say(hooks, metrics.dump());
  fs::create_directories(recipe.training.output_dir);
  write_json(fs::path(recipe.training.output_dir) / "eval_results.json", metrics);
}

void run_prediction(const config::Recipe& recipe, const std::string& output_path, const RunHooks& hooks) {
  RunSetup s = set_up(recipe, /*training=*/false, hooks);
  eval::EvalOptions options = s.eval;
  options.prefix = "test";
  options.keep_logits = true;
  const eval::EvalResult result = evaluate_split(s, *s.splits.test, recipe.training, options);
  eval::write_predictions(output_path, result.logits, s.splits.labels.names, s.splits.labels.regression);
  say(hooks, "wrote " + std::to_string(result.rows) + " predictions to " + output_path);
  if (result.metrics.contains("test_loss")) {
    fs::create_directories(recipe.training.output_dir);
    write_json(fs::path(recipe.training.output_dir) / "predict_results.json", result.metrics);
  }
}

}  // namespace hft::train
