#include "hft/train/training_loop.h"

#include <torch/nn/modules/embedding.h>

#include <chrono>
#include <cmath>
#include <vector>

#include "hft/train/flow_control.h"     // after_step, after_epoch
#include "hft/train/loss_scaler.h"      // LossScaler
#include "hft/train/mixed_precision.h"  // AutocastScope
#include "hft/train/optimizer.h"     // clip_grad_norm, set_learning_rate

namespace hft::train {
namespace {

using Clock = std::chrono::steady_clock;

// Training work since the last evaluation, logged with the next one. The clock runs from taking
// a step's batches to the end of its optimizer step, not while evaluating or saving (on a GPU it
// times launches, which the queue keeps in step with the device over many steps).
struct Throughput {
  double seconds = 0;
  double samples = 0;
  double padded_tokens = 0;
  double flos = 0;
  torch::Tensor real_tokens;  // on device: attention-mask sums, read at evaluation time
};

// The running state of one run that the step functions share.
struct Loop {
  model::TaskModel& model;
  torch::optim::Optimizer& optimizer;
  const LrSchedule& schedule;
  const config::TrainingArguments& args;
  const StepPlan& plan;
  LoopHost& host;
  DataParallel& parallel;
  std::vector<torch::Tensor> parameters;
  TrainerState state;
  torch::Tensor loss_since_log = torch::zeros({}, torch::kFloat64);  // on device: no sync per step
  double logged_loss_total = 0;
  int64_t last_logged_step = 0;
  int64_t last_saved_step = -1;
  torch::Tensor grad_norm{};
  torch::Tensor first_nonfinite_step = torch::full({}, -1, torch::kInt64);  // on device, read when acting
  int64_t skipped_nonfinite_steps = 0;
  double learning_rate = 0;             // of the last update (fp16: see scheduled_step)
  double non_embedding_parameters = 0;  // for the Trainer's FLOP estimate
  double flos_since_store = 0;          // this rank's, added to state.total_flos when saving or done
  bool interrupted = false;
  Throughput since_evaluation{};        // logged with each evaluation
  LossScaler scaler{/*enabled=*/false, torch::kCPU};  // fp16 only
  // fp16: the schedule on the device ([total_steps + 1] float32) and the step of it the last update
  // used ([1] int64), since only the device knows how many updates overflowed.
  torch::Tensor learning_rates, scheduled_step;
  int64_t schedule_lag = 0;  // updates an earlier fp16 run of this job skipped (resumed without fp16)
};

// PreTrainedModel.num_parameters(exclude_embeddings=True): every parameter outside Embedding modules.
double count_non_embedding_parameters(model::TaskModel& model) {
  double embedding = 0, all = 0;
  for (const auto& p : model.parameters()) all += static_cast<double>(p.numel());
  for (const auto& m : model.modules(/*include_self=*/false))
    if (auto* e = m->as<torch::nn::Embedding>()) embedding += static_cast<double>(e->weight.numel());
  return all - embedding;
}

// Adds a micro-batch's loss to the running sum; a NaN or Inf is replaced by the mean so far,
// as the Trainer's logging_nan_inf_filter does, and the first step with one is noted, all
// without reading values back to the host.
void accumulate_loss(Loop& loop, const torch::Tensor& loss) {
  const torch::Tensor value = loss.detach().to(torch::kFloat64);
  const torch::Tensor finite = torch::isfinite(value);
  const double steps = static_cast<double>(1 + loop.state.global_step - loop.last_logged_step);
  loop.loss_since_log = loop.loss_since_log + torch::where(finite, value, loop.loss_since_log / steps);
  const torch::Tensor first_here = torch::logical_and(loop.first_nonfinite_step < 0, ~finite);
  loop.first_nonfinite_step = torch::where(first_here, loop.state.global_step + 1, loop.first_nonfinite_step);
}

// Stops the run if a loss so far was NaN or infinite; read back only when the loop acts (logs,
// evaluates, saves, ends), so the step itself never waits for the device.
void stop_if_loss_was_not_finite(Loop& loop) {
  if (loop.args.skip_nonfinite_loss_steps) return;
  const int64_t step = loop.first_nonfinite_step.item<int64_t>();
  if (step >= 0)
    throw NonFiniteLoss("the training loss became NaN or infinite at step " + std::to_string(step) +
                        "; lower learning_rate, set max_grad_norm, check the labels, or set skip_nonfinite_loss_steps: true "
                        "to skip such steps");
}

void count_work(Throughput& work, const data::Batch& batch, double flos) {
  work.samples += static_cast<double>(batch.input_ids.size(0));
  work.padded_tokens += static_cast<double>(batch.input_ids.numel());
  work.flos += flos;
  const torch::Tensor real = batch.attention_mask.sum();
  work.real_tokens = work.real_tokens.defined() ? work.real_tokens + real : real;
}

// Samples, tokens (real and padded) and model FLOPs per second of training since the last evaluation.
nlohmann::json throughput_metrics(Throughput& work) {
  const double seconds = std::max(work.seconds, 1e-9);
  const double real_tokens = work.real_tokens.defined() ? work.real_tokens.item<double>() : 0.0;
  nlohmann::json metrics = {{"throughput_samples_per_second", work.samples / seconds},
                            {"throughput_tokens_per_second", real_tokens / seconds},
                            {"throughput_padded_tokens_per_second", work.padded_tokens / seconds},
                            {"throughput_flops_per_second", work.flos / seconds}};
  work = Throughput{};
  return metrics;
}

// Forward and backward over the micro-batches of one optimizer step. The loss is not divided by
// the accumulation count: transformers 5 does not for models whose forward takes loss keyword
// arguments (every head hft has), so the task's loss decides how the micro-batches add up,
// given the labels of the whole step (num_items_in_batch).
void forward_backward(Loop& loop, std::vector<data::Batch>& micro_batches) {
  const c10::DeviceType device = loop.parameters.front().device().type();
  double labels_in_step = 0;  // what the task's loss averages over (num_items_in_batch)
  for (const auto& batch : micro_batches) labels_in_step += batch.label_count;
  // The Trainer's average_tokens_across_devices: every rank's labels count, and each rank's loss is
  // scaled by the world size, which DDP's gradient mean undoes.
  const auto ranks = static_cast<double>(loop.plan.world_size);
  if (ranks > 1) labels_in_step = loop.parallel.sum_over_ranks(labels_in_step) / ranks;
  for (auto& batch : micro_batches) {
    model::ModelOutput out;
    {
      AutocastScope autocast(autocast_type(loop.args.bf16, loop.args.fp16), device);  // forward only, as accelerate wraps it
      out = loop.model.forward(batch);
    }
    const torch::Tensor loss = loop.host.training_loss(out, batch, labels_in_step);
    // The Trainer's floating_point_ops: 6 x tokens (padding included) x non-embedding parameters.
    const double flos = 6.0 * static_cast<double>(batch.input_ids.numel()) * loop.non_embedding_parameters;
    loop.flos_since_store += flos;
    count_work(loop.since_evaluation, batch, flos);
    loop.parallel.before_backward(&batch == &micro_batches.back());
    loop.scaler.scale(loss).backward();
    accumulate_loss(loop, loss);
  }
  loop.parallel.after_backward();
}

// skip_nonfinite_loss_steps: true when this step's loss was NaN or infinite, so its update is
// dropped (the one place the loop waits for the device each step, and only when asked to).
bool skip_this_update(Loop& loop) {
  if (!loop.args.skip_nonfinite_loss_steps || loop.first_nonfinite_step.item<int64_t>() < 0) return false;
  loop.first_nonfinite_step.fill_(-1);
  ++loop.skipped_nonfinite_steps;
  return true;
}

// fp16: an update whose gradients overflowed is skipped and holds the schedule back, which only
// the device knows; so the learning rate is looked up there, and the host never waits.
void scaled_update(Loop& loop) {
  loop.scheduled_step = (loop.scaler.skipped_steps().neg() + loop.state.global_step).view({1});
  if (skip_this_update(loop)) return;
  loop.scaler.step(loop.optimizer, loop.learning_rates.index_select(0, loop.scheduled_step).squeeze(0));
}

void optimizer_step(Loop& loop) {
  loop.scaler.unscale(loop.parameters);  // clipping sees the true gradients
  loop.grad_norm = clip_grad_norm(loop.parameters, loop.args.max_grad_norm > 0 ? loop.args.max_grad_norm : INFINITY);
  if (loop.scaler.enabled()) {
    scaled_update(loop);
  } else {
    loop.learning_rate = loop.schedule.learning_rate(loop.state.global_step - loop.schedule_lag);
    set_learning_rate(loop.optimizer, loop.learning_rate);
    if (!skip_this_update(loop)) loop.optimizer.step();
  }
  loop.optimizer.zero_grad(/*set_to_none=*/true);
  ++loop.state.global_step;
}

// The learning rate of the last update, read back at logging time in fp16.
double last_learning_rate(const Loop& loop) {
  if (!loop.scheduled_step.defined()) return loop.learning_rate;
  return loop.schedule.learning_rate(loop.scheduled_step.item<int64_t>());
}

// The schedule for every step a run can take, on the device: [total_steps + 1] float32 (the
// fused kernel reads a float32 learning rate).
torch::Tensor schedule_on_device(const LrSchedule& schedule, int64_t total_steps, const torch::Device& device) {
  std::vector<float> rates;
  for (int64_t k = 0; k <= total_steps; ++k) rates.push_back(static_cast<float>(schedule.learning_rate(k)));
  return torch::tensor(rates, torch::kFloat32).to(device);
}

void record(Loop& loop, nlohmann::json entry) {
  entry["epoch"] = loop.state.epoch;
  entry["step"] = loop.state.global_step;
  loop.state.log_history.push_back(entry);
  loop.host.log(entry);
}

// As the Trainer gathers tr_loss before logging it.
double mean_over_ranks(const Loop& loop, double value) {
  return loop.parallel.sum_over_ranks(value) / static_cast<double>(loop.plan.world_size);
}

// The Trainer's store_flos: every rank's FLOPs since the last store join total_flos (before a
// checkpoint is written and at the end).
void store_flos(Loop& loop) {
  loop.state.total_flos += loop.parallel.sum_over_ranks(loop.flos_since_store);
  loop.flos_since_store = 0;
}

void log_training(Loop& loop) {
  if (loop.state.global_step <= loop.last_logged_step) return;
  const double loss_sum = mean_over_ranks(loop, loop.loss_since_log.item<double>());  // the one sync, at logging time
  loop.loss_since_log.zero_();
  loop.logged_loss_total += loss_sum;
  nlohmann::json entry = {{"loss", loss_sum / static_cast<double>(loop.state.global_step - loop.last_logged_step)},
                          {"learning_rate", last_learning_rate(loop)}};
  if (loop.grad_norm.defined()) entry["grad_norm"] = loop.grad_norm.item<double>();
  loop.last_logged_step = loop.state.global_step;
  record(loop, entry);
}

SavedProgress progress_of(const Loop& loop) {
  SavedProgress progress;
  progress.state = loop.state;
  progress.losses = {loop.logged_loss_total, loop.loss_since_log.item<double>(), loop.last_logged_step};
  progress.loss_scale.skipped_steps = loop.schedule_lag;
  if (loop.scaler.enabled())
    progress.loss_scale = {loop.scaler.current_scale(), loop.scaler.growth_tracker(), loop.scaler.skipped_step_count()};
  return progress;
}

// Has the host save a checkpoint of this step, unless one was saved at it already.
void save_unless_saved(Loop& loop) {
  if (loop.last_saved_step == loop.state.global_step) return;
  store_flos(loop);
  SavedProgress progress = progress_of(loop);
  loop.host.save_checkpoint(progress);
  loop.state = std::move(progress.state);  // the save records best_model_checkpoint
  loop.last_saved_step = loop.state.global_step;
}

// Logs, evaluates and saves as `decision` says; returns true when an evaluation asks to stop.
bool act_on(Loop& loop, const FlowDecision& decision) {
  if (decision.log || decision.evaluate || decision.save) stop_if_loss_was_not_finite(loop);
  if (decision.log) log_training(loop);
  bool stop = false;
  std::optional<nlohmann::json> metrics = decision.evaluate ? loop.host.evaluate() : std::nullopt;
  if (metrics) {
    metrics->update(throughput_metrics(loop.since_evaluation));
    record(loop, *metrics);
    stop = loop.host.after_evaluate(loop.state, *metrics);
  }
  if (decision.save) save_unless_saved(loop);
  return stop;
}

// Takes up to `count` batches; fewer at the end of the data.
std::vector<data::Batch> take(BatchStream& batches, int64_t count) {
  std::vector<data::Batch> out;
  while (static_cast<int64_t>(out.size()) < count)
    if (auto batch = batches.next()) out.push_back(std::move(*batch));
    else break;
  return out;
}

// A signal asked the run to stop: the step is done; save it so that the run can resume here.
bool stop_for_signal(Loop& loop) {
  if (!loop.parallel.stop_agreed(loop.host.stop_requested())) return false;
  stop_if_loss_was_not_finite(loop);
  save_unless_saved(loop);
  loop.interrupted = true;
  return true;
}

// Whether acting on `decision` took long enough for a signal to arrive meanwhile (the loop asks
// once a step otherwise).
bool took_time(const FlowDecision& decision) { return decision.evaluate || decision.save; }

// Micro-batches in optimizer step `update` of an epoch: the accumulation count, except the last
// step, which takes what is left.
int64_t micro_batches_in(const StepPlan& plan, int64_t accumulation, int64_t update) {
  const int64_t remainder = plan.batches_per_epoch % accumulation;
  return update + 1 == plan.steps_per_epoch && remainder != 0 ? remainder : accumulation;
}

// Takes one step's micro-batches and trains on them; returns how many it took (0: the data
// ended). Timed from taking the batches to the end of the optimizer step.
int64_t train_step(Loop& loop, BatchStream& batches, int64_t micro_batches) {
  const auto started = Clock::now();
  std::vector<data::Batch> micro = take(batches, micro_batches);
  if (micro.empty()) return 0;
  forward_backward(loop, micro);
  optimizer_step(loop);
  loop.since_evaluation.seconds += std::chrono::duration<double>(Clock::now() - started).count();
  loop.host.step_done(loop.state);
  return static_cast<int64_t>(micro.size());
}

// One epoch from update `first_update` on (a resumed run starts mid-epoch); returns false when
// training should stop.
bool run_epoch(Loop& loop, int64_t epoch, int64_t first_update) {
  const int64_t accumulation = loop.args.gradient_accumulation_steps;
  int64_t micro_steps = first_update * accumulation;
  auto batches = loop.host.epoch_batches(epoch, micro_steps);
  bool keep_going = true;
  for (int64_t update = first_update; keep_going && update < loop.plan.steps_per_epoch; ++update) {
    if (loop.state.global_step >= loop.plan.total_steps) return false;  // resumed from the last step
    const int64_t taken = train_step(loop, *batches, micro_batches_in(loop.plan, accumulation, update));
    if (taken == 0) break;
    micro_steps += taken;
    loop.state.epoch = static_cast<double>(epoch) +
                       static_cast<double>(micro_steps) / static_cast<double>(loop.plan.batches_per_epoch);
    if (stop_for_signal(loop)) return false;  // before any evaluation: a preempted job has seconds
    const FlowDecision decision = after_step(loop.args, loop.state);
    keep_going = !act_on(loop, decision) && !decision.stop;  // act first: it logs, evaluates, saves
    if (took_time(decision) && stop_for_signal(loop)) return false;  // a signal during the evaluation: no step after it
  }
  const FlowDecision at_end = after_epoch(loop.args, loop.state);
  if (act_on(loop, at_end)) keep_going = false;  // even a stopped epoch ends this way
  if (took_time(at_end) && stop_for_signal(loop)) return false;
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
          {"train_loss", loop.logged_loss_total / static_cast<double>(std::max<int64_t>(1, loop.state.global_step))}};
}

// A resumed run continues from the checkpoint's state; the plan's own figures (the same recipe
// gives the same ones) are refreshed from this run.
void continue_from(Loop& loop, const SavedProgress& progress) {
  const TrainerState fresh = loop.state;
  loop.state = progress.state;
  loop.state.max_steps = fresh.max_steps;
  loop.state.num_train_epochs = fresh.num_train_epochs;
  loop.state.logging_steps = fresh.logging_steps;
  loop.state.eval_steps = fresh.eval_steps;
  loop.state.save_steps = fresh.save_steps;
  loop.state.train_batch_size = fresh.train_batch_size;
  loop.logged_loss_total = progress.losses.logged_total;
  loop.loss_since_log.fill_(progress.losses.since_last_log);
  loop.last_logged_step = progress.losses.last_logged_step;
  loop.last_saved_step = progress.state.global_step;
  const LossScaleState& saved = progress.loss_scale;
  if (loop.scaler.enabled() && saved.scale > 0)
    loop.scaler.restore(saved.scale, saved.growth_tracker, saved.skipped_steps);
  else if (loop.scaler.enabled())
    loop.scaler.restore(loop.scaler.current_scale(), loop.scaler.growth_tracker(), saved.skipped_steps);
  else
    loop.schedule_lag = saved.skipped_steps;
}

}  // namespace

TrainOutcome run_training_loop(model::TaskModel& model, torch::optim::Optimizer& optimizer, const LrSchedule& schedule,
                               const config::TrainingArguments& args, const StepPlan& plan, LoopHost& host,
                               DataParallel& parallel, const SavedProgress* resume_from) {
  const torch::Device device = model.parameters().front().device();
  Loop loop{model, optimizer, schedule, args, plan, host, parallel, {}, initial_state(args, plan)};
  loop.scaler = LossScaler(args.fp16, device);
  if (args.fp16) loop.learning_rates = schedule_on_device(schedule, plan.total_steps, device);
  loop.non_embedding_parameters = count_non_embedding_parameters(model);
  for (const auto& p : model.parameters())
    if (p.requires_grad()) loop.parameters.push_back(p);
  // The running sums live where the losses are computed, so adding to them never waits.
  loop.loss_since_log = loop.loss_since_log.to(device);
  loop.first_nonfinite_step = loop.first_nonfinite_step.to(device);
  if (resume_from) continue_from(loop, *resume_from);
  const auto start = Clock::now();
  model.train();
  // The Trainer's arithmetic: whole epochs done, then updates done in the current one.
  const int64_t first_epoch = loop.state.global_step / plan.steps_per_epoch;
  for (int64_t epoch = first_epoch; epoch < plan.epochs; ++epoch)
    if (!run_epoch(loop, epoch, epoch == first_epoch ? loop.state.global_step % plan.steps_per_epoch : 0)) break;
  if (loop.interrupted) return {loop.state, nlohmann::json::object(), /*interrupted=*/true};
  stop_if_loss_was_not_finite(loop);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  loop.logged_loss_total += mean_over_ranks(loop, loop.loss_since_log.item<double>());  // not logged yet, but part of train_loss
  store_flos(loop);
  nlohmann::json metrics = train_metrics(loop, seconds);
  if (loop.skipped_nonfinite_steps > 0) metrics["skipped_nonfinite_steps"] = loop.skipped_nonfinite_steps;
  record(loop, metrics);
  return {loop.state, metrics};
}

}  // namespace hft::train
