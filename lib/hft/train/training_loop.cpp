#include "hft/train/training_loop.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/modules/embedding.h>

#include <chrono>
#include <cmath>
#include <vector>

#include "hft/train/flow_control.h"     // after_step, after_epoch
#include "hft/train/mixed_precision.h"  // AutocastScope
#include "hft/train/optimizer.h"     // clip_grad_norm, set_learning_rate

namespace hft::train {
namespace {

using Clock = std::chrono::steady_clock;

// The running state of one run that the step functions share.
struct Loop {
  model::SequenceClassifier& model;
  torch::optim::Optimizer& optimizer;
  const LrSchedule& schedule;
  const config::TrainingArguments& args;
  const StepPlan& plan;
  LoopHooks& hooks;
  std::vector<torch::Tensor> parameters;
  TrainerState state;
  torch::Tensor loss_since_log = torch::zeros({}, torch::kFloat64);  // on device: no sync per step
  double total_loss = 0;
  int64_t last_logged_step = 0;
  double last_grad_norm = NAN;
  double last_learning_rate = 0;
  torch::Tensor grad_norm;
  double non_embedding_parameters = 0;  // for the Trainer's FLOP estimate
};

// PreTrainedModel.num_parameters(exclude_embeddings=True): every parameter outside Embedding modules.
double count_non_embedding_parameters(model::SequenceClassifier& model) {
  double embedding = 0, all = 0;
  for (const auto& p : model.parameters()) all += static_cast<double>(p.numel());
  for (const auto& m : model.modules(/*include_self=*/false))
    if (auto* e = m->as<torch::nn::Embedding>()) embedding += static_cast<double>(e->weight.numel());
  return all - embedding;
}

// Adds a micro-batch's loss to the running sum; a NaN or Inf is replaced by the mean so far,
// as the Trainer's logging_nan_inf_filter does, without reading the value back to the host.
void accumulate_loss(Loop& loop, const torch::Tensor& loss) {
  const torch::Tensor value = loss.detach().to(torch::kFloat64).to(loop.loss_since_log.device());
  const double steps = static_cast<double>(1 + loop.state.global_step - loop.last_logged_step);
  loop.loss_since_log = loop.loss_since_log + torch::where(torch::isfinite(value), value, loop.loss_since_log / steps);
}

// The loss to train on: the model's, or with label_smoothing_factor the Trainer's LabelSmoother:
// cross-entropy with label smoothing, summed over the rows and divided by the rows of the whole
// optimizer step (num_items_in_batch), so the micro-batches add up to the step's mean.
torch::Tensor training_loss(const Loop& loop, const model::ClassifierOutput& out, const model::ModelInputs& batch,
                            int64_t rows_in_step) {
  const double smoothing = loop.args.label_smoothing_factor;
  if (smoothing == 0 || batch.labels.scalar_type() != torch::kInt64) return out.loss;
  const auto options = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(smoothing).reduction(torch::kSum);
  const torch::Tensor logits = out.logits.view({-1, out.logits.size(-1)}).to(torch::kFloat32);
  return torch::nn::functional::cross_entropy(logits, batch.labels.view({-1}), options) / static_cast<double>(rows_in_step);
}

// Forward and backward over the micro-batches of one optimizer step. transformers 5 does not
// divide the loss by the accumulation count for models whose forward takes loss keyword
// arguments, as all its sequence classifiers do; hft does the same, so the steps match.
void forward_backward(Loop& loop, std::vector<model::ModelInputs>& micro_batches) {
  const c10::DeviceType device = loop.parameters.front().device().type();
  int64_t rows_in_step = 0;
  for (const auto& batch : micro_batches) rows_in_step += batch.input_ids.size(0);
  for (auto& batch : micro_batches) {
    model::ClassifierOutput out;
    {
      AutocastScope autocast(loop.args.bf16, device);  // forward only, as accelerate wraps it
      out = loop.model.forward(batch);
    }
    const torch::Tensor loss = training_loss(loop, out, batch, rows_in_step);
    // The Trainer's floating_point_ops: 6 x tokens (padding included) x non-embedding parameters.
    loop.state.total_flos += 6.0 * static_cast<double>(batch.input_ids.numel()) * loop.non_embedding_parameters;
    loss.backward();
    accumulate_loss(loop, loss);
  }
}

void optimizer_step(Loop& loop) {
  loop.grad_norm = clip_grad_norm(loop.parameters, loop.args.max_grad_norm > 0 ? loop.args.max_grad_norm : INFINITY);
  loop.last_learning_rate = loop.schedule.learning_rate(loop.state.global_step);
  set_learning_rate(loop.optimizer, loop.last_learning_rate);
  loop.optimizer.step();
  loop.optimizer.zero_grad(/*set_to_none=*/true);
  ++loop.state.global_step;
}

void record(Loop& loop, nlohmann::json entry) {
  entry["epoch"] = loop.state.epoch;
  entry["step"] = loop.state.global_step;
  loop.state.log_history.push_back(entry);
  if (loop.hooks.on_log) loop.hooks.on_log(entry);
}

void log_training(Loop& loop) {
  if (loop.state.global_step <= loop.last_logged_step) return;
  const double loss_sum = loop.loss_since_log.item<double>();  // the one sync, at logging time
  loop.loss_since_log.zero_();
  loop.total_loss += loss_sum;
  nlohmann::json entry = {{"loss", loss_sum / static_cast<double>(loop.state.global_step - loop.last_logged_step)},
                          {"learning_rate", loop.last_learning_rate}};
  if (loop.grad_norm.defined()) entry["grad_norm"] = loop.grad_norm.item<double>();
  loop.last_logged_step = loop.state.global_step;
  record(loop, entry);
}

// Logs, evaluates and saves as `decision` says; returns true when an evaluation asks to stop.
bool act_on(Loop& loop, const FlowDecision& decision) {
  if (decision.log) log_training(loop);
  nlohmann::json metrics = nlohmann::json::object();
  bool stop = false;
  if (decision.evaluate && loop.hooks.evaluate) {
    metrics = loop.hooks.evaluate();
    record(loop, metrics);
    if (loop.hooks.after_evaluate) stop = loop.hooks.after_evaluate(loop.state, metrics);
  }
  if (decision.save && loop.hooks.save_checkpoint) loop.hooks.save_checkpoint(loop.state, metrics);
  return stop;
}

// Takes up to `count` batches; fewer at the end of the data.
std::vector<model::ModelInputs> take(BatchStream& batches, int64_t count) {
  std::vector<model::ModelInputs> out;
  while (static_cast<int64_t>(out.size()) < count)
    if (auto batch = batches.next()) out.push_back(std::move(*batch));
    else break;
  return out;
}

// One epoch; returns false when training should stop.
bool run_epoch(Loop& loop, int64_t epoch) {
  auto batches = loop.hooks.epoch_batches(epoch);
  const int64_t accumulation = loop.args.gradient_accumulation_steps;
  int64_t remainder = loop.plan.batches_per_epoch % accumulation;
  if (remainder == 0) remainder = accumulation;
  int64_t micro_steps = 0;
  bool keep_going = true;
  for (int64_t update = 0; update < loop.plan.steps_per_epoch; ++update) {
    std::vector<model::ModelInputs> micro = take(*batches, update + 1 == loop.plan.steps_per_epoch ? remainder : accumulation);
    if (micro.empty()) break;
    micro_steps += static_cast<int64_t>(micro.size());
    forward_backward(loop, micro);
    optimizer_step(loop);
    loop.state.epoch = static_cast<double>(epoch) +
                       static_cast<double>(micro_steps) / static_cast<double>(loop.plan.batches_per_epoch);
    const FlowDecision decision = after_step(loop.args, loop.state);
    const bool evaluation_says_stop = act_on(loop, decision);
    if (decision.stop || evaluation_says_stop || (loop.hooks.stop_requested && loop.hooks.stop_requested())) {
      keep_going = false;
      break;
    }
  }
  if (act_on(loop, after_epoch(loop.args, loop.state))) keep_going = false;  // even a stopped epoch ends this way
  return keep_going;
}

TrainerState initial_state(const config::TrainingArguments& args, const StepPlan& plan) {
  TrainerState s;
  s.max_steps = plan.total_steps;
  s.num_train_epochs = plan.epochs;
  s.logging_steps = interval_in_steps(args.logging_steps, plan.total_steps);
  s.eval_steps = interval_in_steps(args.eval_steps.value_or(args.logging_steps), plan.total_steps);
  s.save_steps = interval_in_steps(args.save_steps, plan.total_steps);
  s.train_batch_size = args.per_device_train_batch_size;
  return s;
}

nlohmann::json train_metrics(const Loop& loop, double seconds) {
  const double samples = static_cast<double>(loop.plan.total_steps * loop.plan.global_batch_size);
  return {{"train_runtime", seconds},
          {"train_samples_per_second", samples / seconds},
          {"train_steps_per_second", static_cast<double>(loop.state.global_step) / seconds},
          {"total_flos", loop.state.total_flos},
          {"train_loss", loop.total_loss / static_cast<double>(std::max<int64_t>(1, loop.state.global_step))}};
}

}  // namespace

TrainOutcome run_training_loop(model::SequenceClassifier& model, torch::optim::Optimizer& optimizer,
                               const LrSchedule& schedule, const config::TrainingArguments& args, const StepPlan& plan,
                               LoopHooks& hooks) {
  Loop loop{model, optimizer, schedule, args, plan, hooks, {}, initial_state(args, plan)};
  loop.non_embedding_parameters = count_non_embedding_parameters(model);
  for (const auto& p : model.parameters())
    if (p.requires_grad()) loop.parameters.push_back(p);
  const auto start = Clock::now();
  model.train();
  for (int64_t epoch = 0; epoch < plan.epochs; ++epoch)
    if (!run_epoch(loop, epoch)) break;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  loop.total_loss += loop.loss_since_log.item<double>();  // not logged yet, but part of train_loss
  nlohmann::json metrics = train_metrics(loop, seconds);
  record(loop, metrics);
  return {loop.state, metrics};
}

}  // namespace hft::train
