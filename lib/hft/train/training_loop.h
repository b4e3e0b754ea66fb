// The training loop: micro-batches -> loss -> backward -> clip -> AdamW step -> schedule, with
// logging, evaluation and saving decided by flow_control. Everything around it (where batches
// come from, what evaluation computes, how checkpoints are written) is handed in as hooks.
#pragma once

#include <torch/optim/optimizer.h>

#include <functional>
#include <memory>
#include <optional>

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

struct LoopHooks {
  std::function<std::unique_ptr<BatchStream>(int64_t epoch)> epoch_batches;  // required
  std::function<nlohmann::json()> evaluate;                 // eval_* metrics; unset: no evaluation
  // After each evaluation (best metric, early stopping); returns true to stop training.
  std::function<bool(TrainerState&, const nlohmann::json& metrics)> after_evaluate;
  std::function<void(TrainerState&, const nlohmann::json& metrics)> save_checkpoint;  // unset: no saving
  std::function<void(const nlohmann::json& log_entry)> on_log;                         // progress, files
  std::function<bool()> stop_requested;                     // a signal arrived: stop after this step
};

struct TrainOutcome {
  TrainerState state;
  nlohmann::json metrics;  // train_runtime, train_samples_per_second, ..., train_loss
};

TrainOutcome run_training_loop(model::SequenceClassifier& model, torch::optim::Optimizer& optimizer,
                               const LrSchedule& schedule, const config::TrainingArguments& args, const StepPlan& plan,
                               LoopHooks& hooks);

}  // namespace hft::train
