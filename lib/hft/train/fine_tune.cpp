#include "hft/train/fine_tune.h"

#include <filesystem>
#include <algorithm>

#include "hft/checkpoint/atomic_file.h"        // write_file_atomically
#include "hft/checkpoint/output_dir_lock.h"    // OutputDirLock
#include "hft/log/run_log.h"                   // RunLog, default_logging_dir
#include "hft/model/pretrained.h"              // save_pretrained
#include "hft/train/best_model.h"              // EarlyStopping, update_best_metric
#include "hft/train/checkpointing.h"           // save_checkpoint, checkpoint_to_resume, load_best_model
#include "hft/train/data_feed.h"               // training_batches
#include "hft/train/data_parallel.h"           // join_job, attach_data_parallel, write_on_main
#include "hft/train/lr_schedule.h"             // make_lr_schedule
#include "hft/train/optimizer.h"               // make_adamw
#include "hft/train/resume_checks.h"           // check_resumed_recipe, world_size_change
#include "hft/train/run_setup.h"               // RunSetup, set_up, evaluate_split, warn
#include "hft/train/run_start.h"               // start_output_dir
#include "hft/train/step_plan.h"               // plan_steps
#include "hft/train/training_loop.h"           // run_training_loop
#include "hft/train/training_state.h"          // load_training_state, read_resume_point

namespace hft::train {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void write_json(const fs::path& path, const json& value) { checkpoint::write_json_atomically(path.string(), value); }

// report_to: tensorboard (or all) writes event files into logging_dir.
std::optional<std::string> tensorboard_dir(const config::TrainingArguments& args) {
  const auto& to = args.report_to;
  if (std::find(to.begin(), to.end(), "tensorboard") == to.end() && std::find(to.begin(), to.end(), "all") == to.end())
    return std::nullopt;
  return args.logging_dir.value_or(log::default_logging_dir(args.output_dir));
}

log::RunLogOptions run_log_options(const config::TrainingArguments& args, const StepPlan& plan, const RunHooks& hooks) {
  log::RunLogOptions options;
  options.print = hooks.info;
  options.jsonl_path = (fs::path(args.output_dir) / "log.jsonl").string();
  options.tensorboard_dir = tensorboard_dir(args);
  options.total_steps = plan.total_steps;
  options.progress_bar = log::progress_bar_wanted(args.disable_tqdm);
  return options;
}

// After training: the final (or best) model and the results files, as the example script writes them.
// Data parallel: every rank evaluates (its share of the rows); rank 0 writes.
void write_results(RunSetup& s, distributed::Group& group, const config::TrainingArguments& args, const TrainOutcome& outcome,
                   const RunHooks& hooks) {
  const bool writes = group.rank() == 0;
  const fs::path output_dir(args.output_dir);
  if (args.load_best_model_at_end) load_best_model(s, outcome.state, hooks);
  auto write_json = [writes](const fs::path& path, const json& value) { if (writes) train::write_json(path, value); };
  if (writes) model::save_pretrained(s.model, output_dir.string(), s.tokenizer_dir);
  write_json(output_dir / "trainer_state.json", to_json(outcome.state));
  json all = outcome.metrics;
  all["epoch"] = outcome.state.epoch;
  write_json(output_dir / "train_results.json", all);
  if (args.do_eval && s.splits.validation) {
    json metrics = evaluate_split(s, group, *s.splits.validation, args, s.eval).metrics;
    metrics["epoch"] = outcome.state.epoch;
    say(hooks, metrics.dump());
    write_json(output_dir / "eval_results.json", metrics);
    all.update(metrics);
  }
  write_json(output_dir / "all_results.json", all);
  if (writes) say(hooks, "model saved to " + output_dir.string());
}

}  // namespace

void run_training(const config::Recipe& recipe, const std::string& resolved_recipe_yaml, const RunHooks& hooks) {
  const auto& args = recipe.training;
  const std::optional<std::string> resume_dir = checkpoint_to_resume(args, hooks);
  if (resume_dir) check_resumed_recipe(recipe, *resume_dir, hooks);
  RunSetup s = set_up(recipe, RunKind::kTrain, hooks, resume_dir);  // bad input fails here, before anything is written
  const std::unique_ptr<distributed::Group> joined = join_job(args, s.device.is_cuda());  // a world of one without a launcher
  distributed::Group& group = *joined;
  const bool main_rank = group.rank() == 0;                  // logs and writes files
  std::optional<checkpoint::OutputDirLock> lock;             // rank 0's, held until the run ends
  write_on_main(group, [&] {
    const auto history = resume_dir ? read_resume_point(*resume_dir).progress.state.log_history : std::vector<json>{};
    lock.emplace(start_output_dir(args.output_dir, resolved_recipe_yaml, history));
  });
  const data::EncodedDataset& train = *s.splits.train;
  const StepPlan plan = plan_steps(args, train.size(), group.size());
  auto optimizer = make_adamw(*s.model.module, args);
  const LrSchedule schedule = make_lr_schedule(args, plan.warmup_steps, plan.total_steps);
  EarlyStopping early_stopping(recipe.early_stopping, args);
  std::optional<LoopProgress> resumed;
  if (resume_dir) {
    ResumedState loaded = load_training_state(*resume_dir, *optimizer, group.rank());  // last: it restores the generators too
    if (!loaded.generators_restored)
      say(hooks, "rank " + std::to_string(group.rank()) + ": " + *resume_dir +
                     " has no random generator states for this process (saved with fewer processes or GPUs); "
                     "dropout will not repeat the saved run's");
    const int64_t per_process_batch = args.per_device_train_batch_size * args.gradient_accumulation_steps;
    if (auto change = world_size_change(*resume_dir, loaded.world_size, group.size(), per_process_batch))
      warn(hooks, *change);
    resumed = std::move(loaded.progress);
    early_stopping.restore_from(resumed->state);
    say(hooks, "resuming from " + *resume_dir + " at step " + std::to_string(resumed->state.global_step));
  }
  say(hooks, "training on " + std::to_string(train.size()) + " rows: " + std::to_string(plan.total_steps) + " steps, " +
                 std::to_string(plan.epochs) + " epochs, batch " + std::to_string(plan.global_batch_size));

  log::RunLogOptions quiet;  // other ranks: their lines only, no files
  quiet.print = hooks.info;
  log::RunLog run_log(main_rank ? run_log_options(args, plan, hooks) : quiet);
  RunHooks during_training = hooks;  // lines printed above the progress bar
  during_training.info = [&](const std::string& line) { run_log.line(line); };
  during_training.warn = [&](const std::string& line) { run_log.line("warning: " + line); };
  LoopHooks loop;
  loop.epoch_batches = [&](int64_t epoch, int64_t first_batch) {
    return training_batches(train, args, s.collator, group, epoch, first_batch, s.device);
  };
  if (args.do_eval && s.splits.validation)
    loop.evaluate = [&]() { return evaluate_split(s, group, *s.splits.validation, args, s.eval).metrics; };
  loop.save_checkpoint = [&](LoopProgress& progress) {
    early_stopping.save_to(progress.state);
    const std::vector<at::Tensor> generator_states = generator_states_of_every_rank(group);
    write_on_main(group, [&] {
      save_checkpoint(s, recipe, resolved_recipe_yaml, *optimizer, progress, generator_states, during_training);
    });
    if (!main_rank) record_checkpoint(progress.state, args);
  };
  loop.after_evaluate = [&](TrainerState& state, const json& metrics) {
    const bool stop = early_stopping.should_stop(state, metrics);  // against the best before this one
    update_best_metric(state, args, metrics);
    if (stop) say(during_training, "early stopping: no improvement in " + std::to_string(*recipe.early_stopping.early_stopping_patience) + " evaluations");
    return stop;
  };
  loop.on_log = [&](const json& entry) { if (main_rank) run_log.entry(entry); };
  loop.on_step = [&](const TrainerState& state) { run_log.step(state.global_step); };
  loop.stop_requested = hooks.stop_requested;
  const auto gradient_sync = attach_data_parallel(group, *s.model.module, args, loop);  // after stop_requested
  const TrainOutcome outcome =
      run_training_loop(*s.model.module, *optimizer, schedule, args, plan, loop, resumed ? &*resumed : nullptr);
  run_log.finish();
  if (outcome.interrupted) {
    say(hooks, "stopped at step " + std::to_string(outcome.state.global_step) +
                   "; continue with resume_from_checkpoint=true");
    return;
  }
  write_results(s, group, args, outcome, hooks);
}

}  // namespace hft::train
