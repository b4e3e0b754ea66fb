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
class ConstantClassifier : public model::SequenceClassifier {
 public:
  ConstantClassifier() { bias_ = register_parameter("bias", torch::zeros({1, 2})); }
  model::ClassifierOutput forward(const model::ModelInputs& inputs) override {
    model::ClassifierOutput out;
    out.logits = bias_.expand({inputs.input_ids.size(0), 2});
    out.loss = torch::nn::functional::cross_entropy(out.logits, inputs.labels);
    return out;
  }
  void set_activation_checkpointing(bool) override {}
  void initialize(const model::ParameterSelection&) override {}

 private:
  torch::Tensor bias_;
};

class Batches : public train::BatchStream {
 public:
  explicit Batches(int64_t count) : left_(count) {}
  std::optional<model::ModelInputs> next() override {
    if (left_-- <= 0) return std::nullopt;
    return model::ModelInputs{torch::ones({2, 3}, torch::kInt64), torch::ones({2, 3}, torch::kInt64), {},
                              torch::tensor({0, 1}, torch::kInt64)};
  }

 private:
  int64_t left_;
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

  bool signal = false;
  std::vector<int64_t> evaluated, saved;
  train::LoopHooks hooks;
  hooks.epoch_batches = [](int64_t, int64_t first) { return std::make_unique<Batches>(10 - first); };
  int64_t step = 0;
  hooks.on_step = [&](const train::TrainerState& state) { step = state.global_step; };
  hooks.evaluate = [&]() {
    evaluated.push_back(step);
    signal = true;  // SIGINT while the first evaluation runs
    return nlohmann::json{{"eval_loss", 0.5}};
  };
  hooks.save_checkpoint = [&](train::LoopProgress& progress) { saved.push_back(progress.state.global_step); };
  hooks.stop_requested = [&] { return signal; };

  const train::TrainOutcome outcome = train::run_training_loop(model, optimizer, schedule, args, plan, hooks);
  CHECK(outcome.interrupted);
  CHECK(evaluated == std::vector<int64_t>{3});
  CHECK(outcome.state.global_step == 3);  // not 4: no step after the evaluation
  CHECK(saved == std::vector<int64_t>{3});
}
