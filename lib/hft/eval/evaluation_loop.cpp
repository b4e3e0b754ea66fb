#include "hft/eval/evaluation_loop.h"

#include <torch/torch.h>

#include <chrono>

#include "hft/distributed/collectives.h"  // sum_over_ranks, gather_in_input_order
#include "hft/eval/length_order.h"        // order_by_length

namespace hft::eval {
namespace {

std::vector<data::Batch> all_batches(const BatchSource& next_batch) {
  std::vector<data::Batch> batches;
  while (auto batch = next_batch()) batches.push_back(std::move(*batch));
  return batches;
}

// Data parallel: each rank evaluated its own rows (rank r: rows r, r+W, ..., no padding, as
// train/data_feed.cpp shards them). Sums the statistics over the ranks and gathers the outputs
// (back into input order), so the metrics are one process's over every row.
void combine_over_ranks(MetricAccumulator& metrics, EvalResult& result, const EvalOptions& options,
                        distributed::Group& group) {
  if (group.size() == 1) return;
  metrics.sum_over_ranks(group);
  result.rows = static_cast<int64_t>(distributed::sum_over_ranks(group, {static_cast<double>(result.rows)})[0]);
  if (options.keep_outputs) {
    const torch::Tensor mine = result.outputs.defined() ? result.outputs : torch::zeros({0, options.output_width});
    result.outputs = distributed::gather_in_input_order(group, mine, result.rows);
  }
}

// Eval mode (no dropout) for the guard's life; the mode before it afterwards, so that training
// after an evaluation runs with dropout again.
class EvalModeGuard {
 public:
  explicit EvalModeGuard(model::TaskModel& model) : model_(model), was_training_(model.is_training()) { model_.eval(); }
  ~EvalModeGuard() { model_.train(was_training_); }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  model::TaskModel& model_;
  bool was_training_;
};

}  // namespace

EvalResult evaluate(model::TaskModel& model, const BatchSource& next_batch, MetricAccumulator& metrics,
                    const EvalOptions& options, distributed::Group& group) {
  const auto start = std::chrono::steady_clock::now();
  torch::NoGradGuard no_grad;  // no gradient buffers, no graph
  const EvalModeGuard eval_mode(model);
  std::vector<torch::Tensor> kept;
  EvalResult result;
  // The metrics are sums over rows, so the rows may be evaluated in length order (far less padding)
  // and their outputs put back in input order.
  std::vector<data::Batch> in_order = all_batches(next_batch);
  std::optional<LengthOrdered> by_length = order_by_length(in_order);
  if (by_length) in_order.clear();
  const std::vector<data::Batch>& batches = by_length ? by_length->batches : in_order;
  for (const auto& batch : batches) {
    const model::ModelOutput out = metrics.forward(model, batch);
    metrics.add(batch, out);
    if (options.keep_outputs)  // to the host once, at the end
      kept.push_back((options.row_outputs ? options.row_outputs(out, batch) : out.logits).to(torch::kFloat32));
    result.rows += batch.input_ids.size(0);
  }
  if (!kept.empty()) result.outputs = torch::cat(kept).cpu();
  if (!kept.empty() && by_length)
    result.outputs = torch::empty_like(result.outputs).index_copy_(0, by_length->input_rows, result.outputs);
  combine_over_ranks(metrics, result, options, group);
  const std::string p = options.prefix + "_";
  nlohmann::json named = nlohmann::json::object();
  const nlohmann::json computed = metrics.metrics();  // named, not iterated as a temporary: items() would dangle
  for (const auto& [name, value] : computed.items()) named[p + name] = value;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  named[p + "runtime"] = seconds;
  named[p + "samples_per_second"] = static_cast<double>(result.rows) / seconds;
  named[p + "steps_per_second"] = static_cast<double>(batches.size()) / seconds;
  result.metrics = named;
  result.classification_report = metrics.classification_report();
  return result;
}

}  // namespace hft::eval
