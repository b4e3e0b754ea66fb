#include "hft/eval/evaluation_loop.h"

#include <torch/torch.h>

#include <chrono>

#include "hft/eval/metrics.h"  // ConfusionMatrix, classification_metrics, regression_metrics

namespace hft::eval {
namespace {

// Running statistics of one evaluation: the row-weighted loss and what the metrics need.
struct Statistics {
  explicit Statistics(const EvalOptions& options) : confusion(options.regression ? 1 : options.num_labels) {}
  double loss_sum = 0;
  int64_t loss_rows = 0;
  ConfusionMatrix confusion;
  std::vector<double> predictions, targets;
};

void add_batch(Statistics& stats, const EvalOptions& options, const model::ModelInputs& batch,
               const model::ClassifierOutput& out) {
  if (!batch.labels.defined()) return;
  const int64_t rows = batch.labels.size(0);
  if (out.loss.defined()) stats.loss_sum += out.loss.item<double>() * static_cast<double>(rows), stats.loss_rows += rows;
  const torch::Tensor logits = out.logits.to(torch::kFloat32).cpu();
  const torch::Tensor labels = batch.labels.cpu();
  if (options.regression) {
    const auto predicted = logits.view({-1}).to(torch::kFloat64), target = labels.view({-1}).to(torch::kFloat64);
    stats.predictions.insert(stats.predictions.end(), predicted.data_ptr<double>(), predicted.data_ptr<double>() + rows);
    stats.targets.insert(stats.targets.end(), target.data_ptr<double>(), target.data_ptr<double>() + rows);
    return;
  }
  const torch::Tensor predicted = logits.argmax(-1).to(torch::kInt64).contiguous();
  const torch::Tensor truth = labels.to(torch::kInt64).contiguous();
  for (int64_t i = 0; i < rows; ++i) stats.confusion.add(truth.data_ptr<int64_t>()[i], predicted.data_ptr<int64_t>()[i]);
}

// Rows labeled -1 (a test file without labels) take part in prediction but not in the loss.
bool all_labeled(const model::ModelInputs& batch) {
  return batch.labels.defined() && (batch.labels.scalar_type() != torch::kInt64 || (batch.labels >= 0).all().item<bool>());
}

}  // namespace

EvalResult evaluate(model::SequenceClassifier& model, const std::function<std::optional<model::ModelInputs>()>& next_batch,
                    const EvalOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  torch::NoGradGuard no_grad;  // no gradient buffers, no graph
  model.eval();
  Statistics stats(options);
  std::vector<torch::Tensor> kept;
  EvalResult result;
  int64_t batches = 0;
  while (auto batch = next_batch()) {
    if (!all_labeled(*batch)) batch->labels = torch::Tensor();
    const model::ClassifierOutput out = model.forward(*batch);
    add_batch(stats, options, *batch, out);
    if (options.keep_logits) kept.push_back(out.logits.to(torch::kFloat32).cpu());
    result.rows += batch->input_ids.size(0);
    ++batches;
  }
  if (!kept.empty()) result.logits = torch::cat(kept);
  const std::string p = options.prefix + "_";
  nlohmann::json metrics = nlohmann::json::object();
  if (stats.loss_rows > 0) {
    metrics[p + "loss"] = stats.loss_sum / static_cast<double>(stats.loss_rows);
    const nlohmann::json named = options.regression ? regression_metrics(stats.predictions, stats.targets, options.metric_names)
                                                    : classification_metrics(stats.confusion, options.metric_names);
    for (const auto& [name, value] : named.items()) metrics[p + name] = value;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics[p + "runtime"] = seconds;
  metrics[p + "samples_per_second"] = static_cast<double>(result.rows) / seconds;
  metrics[p + "steps_per_second"] = static_cast<double>(batches) / seconds;
  result.metrics = metrics;
  return result;
}

}  // namespace hft::eval
