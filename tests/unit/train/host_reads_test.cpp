// No step of the training loop reads a value back from the device: every .item() our code calls
// is an aten::item (or aten::_local_scalar_dense) called from outside any other operator, which
// a RecordFunction callback counts between one step's end and the next. (Reads inside an
// operator are the CPU kernels' own, such as the fused AdamW's step counts; their CUDA kernels
// read on the device.) Between log points (logging_steps far away) the count must stay 0, with
// the default fused AdamW, gradient clipping and accumulation, in fp32 and bf16; the logging at
// the end reads. (fp16 is checked by loss_scaler_test against torch's GradScaler instead.)
#include <ATen/record_function.h>
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <atomic>
#include <cstring>

#include "../model/oracle_fixtures.h"
#include "hft/model/pretrained.h"
#include "hft/train/optimizer.h"
#include "hft/train/training_loop.h"

using namespace hft;

namespace {

std::atomic<int64_t> host_reads{0};
thread_local int operator_depth = 0;  // operators running on this thread, one inside another

std::unique_ptr<at::ObserverContext> enter(const at::RecordFunction& fn) {
  const bool read = std::strcmp(fn.name(), "aten::item") == 0 || std::strcmp(fn.name(), "aten::_local_scalar_dense") == 0;
  if (read && operator_depth == 0) ++host_reads;
  ++operator_depth;
  return nullptr;
}

void leave(const at::RecordFunction&, at::ObserverContext*) { --operator_depth; }

// Batches of 4 rows of 8 tokens, no padding (as a GPU run with pad_to_max_length sees them),
// labels 0/1: the collator's fields, num_tokens and label_count included.
class UnpaddedBatches : public train::BatchStream {
 public:
  std::optional<data::Batch> next() override {
    if (taken_++ == 6) return std::nullopt;
    data::Batch b;
    b.input_ids = torch::randint(5, 90, {4, 8}, torch::kInt64);
    b.attention_mask = torch::ones({4, 8}, torch::kInt64);
    b.token_type_ids = torch::zeros({4, 8}, torch::kInt64);
    b.labels = torch::randint(0, 2, {4}, torch::kInt64);
    b.label_count = 4;
    b.num_tokens = 32;
    return b;
  }

 private:
  int taken_ = 0;
};

// Notes the count of host reads at the end of every optimizer step.
class CountingHost : public train::LoopHost {
 public:
  std::unique_ptr<train::BatchStream> epoch_batches(int64_t, int64_t) override {
    return std::make_unique<UnpaddedBatches>();
  }
  void step_done(const train::TrainerState&) override { at_step_end.push_back(host_reads.load()); }
  std::vector<int64_t> at_step_end;
};

std::vector<int64_t> reads_per_step(bool bf16) {
  torch::manual_seed(0);
  model::PretrainedModel model = model::from_pretrained(testing::model_oracle_dir() + "/bert");
  config::TrainingArguments args;
  args.per_device_train_batch_size = 4;
  args.gradient_accumulation_steps = 2;
  args.num_train_epochs = 2;
  args.max_grad_norm = 1.0;
  args.logging_steps = 1000;  // logged at the end only
  args.bf16 = bf16;
  args.optim = config::OptimizerName::kAdamWTorchFused;
  const train::StepPlan plan = train::plan_steps(args, 24);
  const train::LrSchedule schedule = train::make_lr_schedule(args, plan.warmup_steps, plan.total_steps);
  auto optimizer = train::make_adamw(*model.module, args);
  CountingHost host;
  train::DataParallel one_process;
  const auto handle = at::addGlobalCallback(at::RecordFunctionCallback(enter, leave).scopes({at::RecordScope::FUNCTION}));
  const train::TrainOutcome outcome = train::run_training_loop(*model.module, *optimizer, schedule, args, plan, host, one_process);
  at::removeCallback(handle);
  REQUIRE(outcome.state.global_step == 6);
  std::vector<int64_t> per_step;
  for (size_t i = 1; i < host.at_step_end.size(); ++i) per_step.push_back(host.at_step_end[i] - host.at_step_end[i - 1]);
  CHECK(host_reads.load() > host.at_step_end.back());  // the end of the run reads (the check counts)
  return per_step;
}

}  // namespace

TEST_CASE("no training step reads a value back from the device", "[train]") {
  for (const bool bf16 : {false, true}) {
    INFO("bf16 " << bf16);
    CHECK(reads_per_step(bf16) == std::vector<int64_t>(5, 0));
  }
}
