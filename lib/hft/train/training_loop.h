// The training loop: micro-batches -> loss -> backward -> clip -> AdamW step -> schedule, with
// logging, evaluation and saving decided by flow_control. Everything around it (where batches
// come from, the task's loss, what evaluation computes, how checkpoints are written) is the
// LoopHost's; data parallelism is the DataParallel's. The loop names no task.
#pragma once

#include <torch/optim/optimizer.h>

#include <memory>
#include <optional>
#include <stdexcept>

#include "hft/config/recipe.h"        // TrainingArguments
#include "hft/data/batch.h"           // Batch
#include "hft/model/task_model.h"     // TaskModel, ModelOutput
#include "hft/train/data_parallel.h"  // DataParallel
#include "hft/train/lr_schedule.h"    // LrSchedule
#include "hft/train/step_plan.h"      // StepPlan
#include "hft/train/trainer_state.h"  // TrainerState

namespace hft::train {

// One epoch's training batches, in order.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  virtual std::optional<data::Batch> next() = 0;
};

// The loop's loss sums: what a checkpoint carries besides the TrainerState so that a resumed run
// logs the same losses and ends with the same train_loss as an uninterrupted one.
struct LossSums {
  double logged_total = 0;       // sum of the logged losses (train_loss = this / global_step)
  double since_last_log = 0;     // sum of the micro-batch losses not logged yet
  int64_t last_logged_step = 0;
};

// fp16's loss scale, and the steps it skipped (the schedule does not advance on those, as
// accelerate does not step the scheduler when the optimizer step was skipped).
struct LossScaleState {
  double scale = 0;             // 0: no loss scaling
  int64_t growth_tracker = 0;
  int64_t skipped_steps = 0;
};

// Where a run stands, as every checkpoint saves it (with trainer_state.json) and a resumed run
// starts from it.
struct SavedProgress {
  TrainerState state;
  LossSums losses;
  LossScaleState loss_scale;
};

// What the loop asks of the run around it: the Trainer, or a test's stand-in without a model.
// Every default does nothing (no evaluation, no checkpoints, no log, never stop).
class LoopHost {
 public:
  virtual ~LoopHost() = default;
  // The training batches of `epoch` from micro-batch `first_batch` on (a resumed run skips the rest).
  virtual std::unique_ptr<BatchStream> epoch_batches(int64_t epoch, int64_t first_batch) = 0;
  // The loss the optimizer steps on (the task's); `labels_in_step`: the label_count of every
  // micro-batch of the optimizer step together.
  virtual torch::Tensor training_loss(const model::ModelOutput& out, const data::Batch& /*batch*/,
                                      double /*labels_in_step*/) {
    return out.loss;
  }
  // eval_* metrics of an evaluation now; nullopt: this run does not evaluate.
  virtual std::optional<nlohmann::json> evaluate() { return std::nullopt; }
  // After each evaluation (best metric, early stopping); true stops training.
  virtual bool after_evaluate(TrainerState& /*state*/, const nlohmann::json& /*metrics*/) { return false; }
  // Writes checkpoint-<global_step>, as save_strategy says and when a signal stops the run; may
  // record it in progress.state (best_model_checkpoint).
  virtual void save_checkpoint(SavedProgress& /*progress*/) {}
  virtual void log(const nlohmann::json& /*entry*/) {}            // progress lines, log files
  virtual void step_done(const TrainerState& /*state*/) {}        // after each optimizer step (progress bar)
  virtual bool stop_requested() { return false; }                 // a signal arrived: stop after this step
};

struct TrainOutcome {
  TrainerState state;
  nlohmann::json metrics;     // train_runtime, train_samples_per_second, ..., train_loss
  bool interrupted = false;   // a signal stopped it; the last checkpoint holds where
};

// The loss was NaN or infinite (and the recipe does not ask to skip such steps).
struct NonFiniteLoss : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Trains `model` for plan.total_steps optimizer steps (from `resume_from` on), asking `host` for
// batches, evaluations and checkpoints, and `parallel` to average gradients over ranks.
TrainOutcome run_training_loop(model::TaskModel& model, torch::optim::Optimizer& optimizer, const LrSchedule& schedule,
                               const config::TrainingArguments& args, const StepPlan& plan, LoopHost& host,
                               DataParallel& parallel, const SavedProgress* resume_from = nullptr);

}  // namespace hft::train
