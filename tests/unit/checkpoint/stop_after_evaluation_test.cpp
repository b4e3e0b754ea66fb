// A signal that arrives while the loop evaluates: the run stops right after that evaluation, with
// a checkpoint of that step, and trains no step after it (README: "SIGINT/SIGTERM finish the
// current step, write checkpoint-N"; the evaluation belongs to step N).
#include "../data/torch_catch.h"  // torch, then Catch's CHECK
#include "hft/train/lr_schedule.h"
#include "hft/train/step_plan.h"
#include "hft/train/training_loop.h"

using namespace hft;

namespace {

// Logits from one learned row, whatever the input: enough for the loop to take real steps.
class ConstantClassifier : public model::TaskModel {
 public:
  ConstantClassifier() { bias_ = register_parameter("bias", torch::zeros({1, 2})); }
  model::ModelOutput forward(const data::Batch& inputs) override {
    model::ModelOutput out;
    out.logits = bias_.expand({inputs.input_ids.size(0), 2});
    out.loss = torch::nn::functional::cross_entropy(out.logits, inputs.labels);
    return out;
  }
  void set_activation_recomputation(bool) override {}
  void initialize(const model::ParameterSelection&) override {}

 private:
  torch::Tensor bias_;
};

class Batches : public train::BatchStream {
 public:
  explicit Batches(int64_t count) : left_(count) {}
  std::optional<data::Batch> next() override {
    if (left_-- <= 0) return std::nullopt;
    return data::Batch{torch::ones({2, 3}, torch::kInt64), torch::ones({2, 3}, torch::kInt64), {},
                       torch::tensor({0, 1}, torch::kInt64), /*label_count=*/2};
  }

 private:
  int64_t left_;
};

// Records the steps it evaluates and saves at; a signal arrives during the first evaluation.
class SignalDuringEvaluation : public train::LoopHost {
 public:
  std::unique_ptr<train::BatchStream> epoch_batches(int64_t, int64_t first) override {
    return std::make_unique<Batches>(10 - first);
  }
  void step_done(const train::TrainerState& state) override { step_ = state.global_step; }
  std::optional<nlohmann::json> evaluate() override {
    evaluated.push_back(step_);
    signal_ = true;  // SIGINT while the first evaluation runs
    return nlohmann::json{{"eval_loss", 0.5}};
  }
  void save_checkpoint(train::SavedProgress& progress) override { saved.push_back(progress.state.global_step); }
  bool stop_requested() override { return signal_; }

  std::vector<int64_t> evaluated, saved;

 private:
  int64_t step_ = 0;
  bool signal_ = false;
};

}  // namespace

TEST_CASE("a signal during an evaluation stops the run after it, with a checkpoint of that step") {
  config::TrainingArguments args;
  args.per_device_train_batch_size = 2;
  args.num_train_epochs = 1;
  args.logging_steps = 1;
  args.eval_strategy = config::IntervalStrategy::kSteps;
  args.eval_steps = 3;
  args.save_strategy = config::SaveStrategy::kNo;
  const train::StepPlan plan = train::plan_steps(args, 20);  // 10 steps
  const train::LrSchedule schedule = train::make_lr_schedule(args, 0, plan.total_steps);
  ConstantClassifier model;
  torch::optim::AdamW optimizer(model.parameters());

  SignalDuringEvaluation run;
  train::DataParallel one_process;
  const train::TrainOutcome outcome = train::run_training_loop(model, optimizer, schedule, args, plan, run, one_process);
  CHECK(outcome.interrupted);
  CHECK(run.evaluated == std::vector<int64_t>{3});
  CHECK(outcome.state.global_step == 3);  // not 4: no step after the evaluation
  CHECK(run.saved == std::vector<int64_t>{3});
}
