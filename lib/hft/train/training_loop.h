// The training loop: micro-batches -> loss -> backward -> clip -> AdamW step -> schedule, with
// logging, evaluation and saving decided by flow_control. Everything around it (where batches
// come from, what evaluation computes, how checkpoints are written) is handed in as hooks.
#pragma once

#include <torch/optim/optimizer.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include "hft/config/recipe.h"              // TrainingArguments
#include "hft/model/sequence_classifier.h"  // SequenceClassifier, ModelInputs
#include "hft/train/lr_schedule.h"          // LrSchedule
#include "hft/train/step_plan.h"            // StepPlan
#include "hft/train/trainer_state.h"        // TrainerState

namespace hft::train {

// One epoch's training batches, in order.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  virtual std::optional<model::ModelInputs> next() = 0;
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

// Where a run stands: saved in every checkpoint, and where a resumed run starts.
struct LoopProgress {
  TrainerState state;
  LossSums losses;
  LossScaleState loss_scale;
};

struct LoopHooks {
  // The training batches of `epoch` from micro-batch `first_batch` on (a resumed run skips the rest).
  std::function<std::unique_ptr<BatchStream>(int64_t epoch, int64_t first_batch)> epoch_batches;  // required
  std::function<nlohmann::json()> evaluate;                 // eval_* metrics; unset: no evaluation
  // After each evaluation (best metric, early stopping); returns true to stop training.
  std::function<bool(TrainerState&, const nlohmann::json& metrics)> after_evaluate;
  // Writes checkpoint-<global_step>; called as save_strategy says, and when a signal stops the run.
  std::function<void(LoopProgress&)> save_checkpoint;
  std::function<void(const nlohmann::json& log_entry)> on_log;                         // progress, files
  std::function<void(const TrainerState&)> on_step;        // after each optimizer step (progress bar)
  std::function<bool()> stop_requested;                     // a signal arrived: stop after this step
  // Data parallel (train/data_parallel.h): told before each backward whether the optimizer steps
  // after it, called once the step's backward passes are done (gradients averaged over ranks), and
  // the sum over ranks of a value each rank computed on its own rows (the logged loss, FLOPs).
  std::function<void(bool optimizer_steps_next)> before_backward;
  std::function<void()> after_backward;
  std::function<double(double)> sum_over_ranks;
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

TrainOutcome run_training_loop(model::SequenceClassifier& model, torch::optim::Optimizer& optimizer,
                               const LrSchedule& schedule, const config::TrainingArguments& args, const StepPlan& plan,
                               LoopHooks& hooks, const LoopProgress* resume_from = nullptr);

}  // namespace hft::train
