#include "hft/train/trainer.h"

#include <algorithm>
#include <filesystem>

#include "hft/checkpoint/atomic_file.h"      // write_json_atomically
#include "hft/checkpoint/output_dir_lock.h"  // OutputDirLock
#include "hft/config/reporters.h"            // report_to_names
#include "hft/model/adapter_files.h"         // save_trained_model
#include "hft/model/lora_model.h"            // merge_lora
#include "hft/model/pretrained.h"            // save_pretrained
#include "hft/report/report_data.h"          // kClassificationReportFile
#include "hft/train/data_feed.h"             // training_batches, evaluation_batches
#include "hft/train/mixed_precision.h"       // AutocastScope
#include "hft/train/optimizer.h"             // make_adamw
#include "hft/train/resume_checks.h"         // world_size_change
#include "hft/train/resume_state.h"          // load_resume_state, read_resume_point
#include "hft/train/run_checkpoints.h"       // write_checkpoint, record_checkpoint, load_best_model
#include "hft/train/run_reporting.h"         // write_data_statistics, write_html_report, start_mlflow_run
#include "hft/train/run_start.h"             // start_output_dir
#include "hft/train/step_plan.h"             // plan_steps

namespace hft::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// report_to: tensorboard (or all) writes event files into logging_dir.
std::optional<std::string> tensorboard_dir(const config::TrainingArguments& args) {
  if (!config::report_to_names(args, "tensorboard") && !config::report_to_names(args, "all")) return std::nullopt;
  return args.logging_dir.value_or(log::default_logging_dir(args.output_dir));
}

// Rank 0 logs to the console, log.jsonl and TensorBoard; other ranks print their lines only.
log::RunLogOptions run_log_options(const config::TrainingArguments& args, const StepPlan& plan, const RunHooks& hooks,
                                   bool main_rank, std::shared_ptr<log::MlflowRun> mlflow) {
  log::RunLogOptions options;
  options.print = hooks.info;
  if (!main_rank) return options;
  options.jsonl_path = (fs::path(args.output_dir) / "log.jsonl").string();
  options.tensorboard_dir = tensorboard_dir(args);
  options.mlflow = std::move(mlflow);
  options.total_steps = plan.total_steps;
  options.progress_bar = log::progress_bar_wanted(args.disable_tqdm);
  return options;
}

}  // namespace

// The training loop's side of the run: batches, the task's loss, evaluations, checkpoints and
// log entries, all from the Trainer that runs it.
class Trainer::LoopSide : public LoopHost {
 public:
  explicit LoopSide(Trainer& trainer) : t_(trainer) {}

  std::unique_ptr<BatchStream> epoch_batches(int64_t epoch, int64_t first_batch) override {
    return training_batches(*t_.s_.splits.train, args(), t_.collate(), *t_.group_, epoch, first_batch, t_.s_.device);
  }
  torch::Tensor training_loss(const model::ModelOutput& out, const data::Batch& batch, double labels_in_step) override {
    return t_.s_.task->training_loss(out, batch, labels_in_step, args().label_smoothing_factor);
  }
  std::optional<json> evaluate() override {
    if (!args().do_eval || !t_.s_.splits.validation) return std::nullopt;
    return t_.evaluate(*t_.s_.splits.validation).metrics;
  }
  bool after_evaluate(TrainerState& state, const json& metrics) override {
    const bool stop = t_.early_stopping_->should_stop(state, metrics);  // against the best before this one
    update_best_metric(state, args(), metrics);
    if (stop)
      say(t_.training_hooks_, "early stopping: no improvement in " +
                                  std::to_string(*t_.recipe_.early_stopping.early_stopping_patience) + " evaluations");
    return stop;
  }
  void save_checkpoint(SavedProgress& progress) override { t_.save_checkpoint(progress); }
  void log(const json& entry) override {
    if (t_.group_->rank() == 0) t_.run_log_->entry(entry);
  }
  void step_done(const TrainerState& state) override { t_.run_log_->step(state.global_step); }
  bool stop_requested() override { return t_.hooks_.stop_requested && t_.hooks_.stop_requested(); }

 private:
  const config::TrainingArguments& args() const { return t_.recipe_.training; }
  Trainer& t_;
};

Trainer::Trainer(const config::Recipe& recipe, RunSetup setup, std::unique_ptr<distributed::Group> group, RunHooks hooks)
    : recipe_(recipe), s_(std::move(setup)), group_(std::move(group)), hooks_(std::move(hooks)), training_hooks_(hooks_) {}

Trainer::~Trainer() = default;

data::Collate Trainer::collate() const {
  return [task = s_.task, padding = s_.padding](const data::EncodedDataset& split, std::span<const int64_t> rows) {
    return task->collate(split, rows, padding);
  };
}

void Trainer::train(const ResolvedRecipe& recipe, const std::optional<std::string>& resume_dir) {
  const auto& args = recipe_.training;
  distributed::Group& group = *group_;
  recipe_yaml_ = recipe.yaml;
  std::optional<checkpoint::OutputDirLock> lock;  // rank 0's, held until the run ends
  write_on_main(group, [&] {
    const auto history = resume_dir ? read_resume_point(*resume_dir).progress.state.log_history : std::vector<json>{};
    lock.emplace(start_output_dir(args.output_dir, recipe.yaml, history));
    write_data_statistics(s_, args, hooks_);
  });
  const data::EncodedDataset& train = *s_.splits.train;
  const StepPlan plan = plan_steps(args, train.size(), group.size());
  optimizer_ = make_adamw(*s_.model.module, args);
  schedule_ = make_lr_schedule(args, plan.warmup_steps, plan.total_steps);
  early_stopping_.emplace(recipe_.early_stopping, args);
  std::optional<SavedProgress> resumed;
  if (resume_dir) resumed = resume_from(*resume_dir);
  say(hooks_, "training on " + std::to_string(train.size()) + " rows: " + std::to_string(plan.total_steps) + " steps, " +
                  std::to_string(plan.epochs) + " epochs, batch " + std::to_string(plan.global_batch_size));

  if (group.rank() == 0) mlflow_ = start_mlflow_run(args, recipe, hooks_, resume_dir.has_value());
  run_log_ = std::make_unique<log::RunLog>(run_log_options(args, plan, hooks_, group.rank() == 0, mlflow_));
  training_hooks_.info = [this](const std::string& line) { run_log_->line(line); };
  training_hooks_.warn = [this](const std::string& line) { run_log_->line("warning: " + line); };
  data_parallel_ = data_parallel(group, *s_.model.module, args);
  LoopSide loop_side(*this);
  const TrainOutcome outcome = run_training_loop(*s_.model.module, *optimizer_, schedule_, args, plan, loop_side,
                                                 *data_parallel_, resumed ? &*resumed : nullptr);
  run_log_->finish();
  if (outcome.interrupted) {
    if (mlflow_) finish_mlflow_run(*mlflow_, args, /*completed=*/false, hooks_);
    say(hooks_, "stopped at step " + std::to_string(outcome.state.global_step) +
                    "; continue with resume_from_checkpoint=true");
    return;
  }
  write_results(outcome);
}

// The optimizer's moments and the generators from the checkpoint (last: it restores the
// generators too); the loop's progress to continue from.
SavedProgress Trainer::resume_from(const std::string& checkpoint_dir) {
  const auto& args = recipe_.training;
  ResumedState loaded = load_resume_state(checkpoint_dir, *optimizer_, group_->rank());
  if (!loaded.generators_restored)
    say(hooks_, "rank " + std::to_string(group_->rank()) + ": " + checkpoint_dir +
                    " has no random generator states for this process (saved with fewer processes or GPUs); "
                    "dropout will not repeat the saved run's");
  const int64_t per_process_batch = args.per_device_train_batch_size * args.gradient_accumulation_steps;
  if (auto change = world_size_change(checkpoint_dir, loaded.world_size, group_->size(), per_process_batch))
    warn(hooks_, *change);
  early_stopping_->restore_from(loaded.progress.state);
  say(hooks_, "resuming from " + checkpoint_dir + " at step " + std::to_string(loaded.progress.state.global_step));
  return std::move(loaded.progress);
}

void Trainer::save_checkpoint(SavedProgress& progress) {
  early_stopping_->save_to(progress.state);
  const std::vector<at::Tensor> generator_states = generator_states_of_every_rank(*group_);
  write_on_main(*group_, [&] {
    write_checkpoint(s_, recipe_, recipe_yaml_, *optimizer_, progress, generator_states, training_hooks_);
  });
  if (group_->rank() != 0) record_checkpoint(progress.state, recipe_.training);
}

eval::EvalResult Trainer::evaluate(const data::EncodedDataset& split, const std::string& prefix, bool keep_outputs) {
  const auto& args = recipe_.training;
  const eval::BatchSource batches = evaluation_batches(split, args, collate(), *group_, s_.device);
  const std::unique_ptr<eval::MetricAccumulator> metrics = s_.task->new_metrics(recipe_, s_.splits.labels);
  eval::EvalOptions options;
  options.prefix = prefix;
  options.keep_outputs = keep_outputs;
  options.output_width = s_.task->output_width(s_.splits.labels, split);
  options.row_outputs = [task = s_.task, width = options.output_width](const model::ModelOutput& out,
                                                                      const data::Batch& batch) {
    return task->prediction_outputs(out, batch, width);
  };
  AutocastScope autocast(autocast_type(args.bf16, args.fp16), s_.device.type());
  return eval::evaluate(*s_.model.module, batches, *metrics, options, *group_);
}

void Trainer::predict(const std::string& output_path) {
  if (group_->rank() == 0) {  // generated predictions: rank 0 generates, the others have nothing to do
    const task::GenerationRun run{output_path, *s_.model.module, s_.model_dir, *s_.tokenizer, s_.tokenizer_dir, recipe_};
    if (const auto notes = s_.task->generate_predictions(run)) {
      say(hooks_, "wrote " + std::to_string(s_.splits.test->size()) + " generations to " + output_path);
      for (const std::string& note : *notes) warn(hooks_, note);
      return;
    }
  } else if (recipe_.model.task == "text-generation") {
    return;
  }
  const eval::EvalResult result = evaluate(*s_.splits.test, "test", /*keep_outputs=*/true);
  if (group_->rank() != 0) return;  // data parallel: every rank predicted its share, rank 0 writes them all
  const std::vector<std::string> notes =
      s_.task->write_predictions(output_path, result.outputs, s_.splits.labels, *s_.splits.test, recipe_);
  say(hooks_, "wrote " + std::to_string(result.rows) + " predictions to " + output_path);
  for (const std::string& note : notes) warn(hooks_, note);
  if (!result.metrics.contains("test_loss")) return;
  fs::create_directories(recipe_.training.output_dir);
  checkpoint::write_json_atomically((fs::path(recipe_.training.output_dir) / "predict_results.json").string(),
                                    result.metrics);
}

// After training: the final (or best) model and the results files, as the example script writes
// them. Data parallel: every rank evaluates (its share of the rows); rank 0 writes.
void Trainer::write_results(const TrainOutcome& outcome) {
  const auto& args = recipe_.training;
  const bool writes = group_->rank() == 0;
  const fs::path output_dir(args.output_dir);
  if (args.load_best_model_at_end) load_best_model(s_, outcome.state, hooks_);
  auto write_json = [writes](const fs::path& path, const json& value) {
    if (writes) checkpoint::write_json_atomically(path.string(), value);
  };
  // merge_adapters: the merged model is written after the evaluation, which (as with PEFT) runs
  // on the adapters unmerged.
  const bool merge = s_.model.lora && recipe_.peft.merge_adapters;
  if (writes && !merge)
    model::save_trained_model(s_.model, output_dir.string(), s_.tokenizer_dir, s_.base_model_name_or_path);
  write_json(output_dir / "trainer_state.json", to_json(outcome.state));
  json all = outcome.metrics;
  all["epoch"] = outcome.state.epoch;
  write_json(output_dir / "train_results.json", all);
  if (args.do_eval && s_.splits.validation) {
    const eval::EvalResult result = evaluate(*s_.splits.validation);
    json metrics = result.metrics;
    metrics["epoch"] = outcome.state.epoch;
    say(hooks_, metrics.dump());
    write_json(output_dir / "eval_results.json", metrics);
    if (!result.classification_report.is_null())
      write_json(output_dir / report::kClassificationReportFile, result.classification_report);
    all.update(metrics);
  }
  write_json(output_dir / "all_results.json", all);
  if (merge) {
    model::merge_lora(*s_.model.module);
    s_.model.lora.reset();
    if (writes) model::save_pretrained(s_.model, output_dir.string(), s_.tokenizer_dir);
  }
  if (!writes) return;
  say(hooks_, std::string(s_.model.lora ? "LoRA adapters" : merge ? "merged model" : "model") + " saved to " +
                  output_dir.string());
  write_html_report(args, hooks_);
  if (mlflow_) finish_mlflow_run(*mlflow_, args, /*completed=*/true, hooks_);
}

}  // namespace hft::train
