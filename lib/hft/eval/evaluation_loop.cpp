#include "hft/eval/evaluation_loop.h"

#include <torch/torch.h>

#include <chrono>

#include "hft/distributed/collectives.h"            // sum_over_ranks, concat_over_ranks, gather_in_input_order
#include "hft/eval/length_order.h"           // order_by_length
#include "hft/eval/metrics.h"                // ConfusionMatrix, classification_metrics, regression_metrics
#include "hft/model/classification_loss.h"   // classification_loss: the loss of a batch's labelled rows

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

// Class labels of -1 mark unlabelled rows (GLUE's test files, or a validation file that lacks
// some labels). They are left out of the loss and the metrics row by row, so the metrics do not
// depend on the batch size. transformers has no such rule: its classification loss is
// cross_entropy with ignore_index -100, so a -1 label fails there (run_glue drops the test
// file's label column for that reason); hft's eval_loss is the mean over the labelled rows.
// [B] bool, or undefined when every row is labelled (or the labels are float targets).
torch::Tensor unlabelled_rows(const model::ModelInputs& batch) {
  if (!batch.labels.defined() || batch.labels.scalar_type() != torch::kInt64) return {};
  const torch::Tensor unlabelled = batch.labels < 0;
  return unlabelled.any().item<bool>() ? unlabelled : torch::Tensor();
}

// The model's output; with unlabelled rows the model runs without labels, and the loss is the
// single-label loss of the labelled rows (integer labels are single-label classification).
model::ClassifierOutput forward(model::SequenceClassifier& model, const model::ModelInputs& batch,
                                const torch::Tensor& unlabelled) {
  if (!unlabelled.defined()) return model.forward(batch);
  model::ModelInputs inputs = batch;
  inputs.labels = torch::Tensor();
  model::ClassifierOutput out = model.forward(inputs);
  const torch::Tensor labelled = ~unlabelled;
  if (labelled.any().item<bool>()) {
    std::optional<std::string> single_label = "single_label_classification";
    out.loss = model::classification_loss(out.logits.index({labelled}), batch.labels.index({labelled}), single_label);
  }
  return out;
}

void add_batch(Statistics& stats, const EvalOptions& options, const model::ModelInputs& batch,
               const model::ClassifierOutput& out, const torch::Tensor& unlabelled) {
  if (!batch.labels.defined()) return;
  torch::Tensor logits = out.logits.to(torch::kFloat32).cpu();
  torch::Tensor labels = batch.labels.cpu();
  if (unlabelled.defined()) {
    const torch::Tensor labelled = ~unlabelled.cpu();
    logits = logits.index({labelled}), labels = labels.index({labelled});
  }
  const int64_t rows = labels.size(0);
  if (rows == 0) return;
  if (out.loss.defined()) stats.loss_sum += out.loss.item<double>() * static_cast<double>(rows), stats.loss_rows += rows;
  if (options.regression) {
    const auto predicted = logits.view({-1}).to(torch::kFloat64).contiguous();
    const auto target = labels.view({-1}).to(torch::kFloat64).contiguous();
    stats.predictions.insert(stats.predictions.end(), predicted.data_ptr<double>(), predicted.data_ptr<double>() + rows);
    stats.targets.insert(stats.targets.end(), target.data_ptr<double>(), target.data_ptr<double>() + rows);
    return;
  }
  const torch::Tensor predicted = logits.argmax(-1).to(torch::kInt64).contiguous();
  const torch::Tensor truth = labels.to(torch::kInt64).contiguous();
  for (int64_t i = 0; i < rows; ++i) stats.confusion.add(truth.data_ptr<int64_t>()[i], predicted.data_ptr<int64_t>()[i]);
}

std::vector<model::ModelInputs> all_batches(const std::function<std::optional<model::ModelInputs>()>& next_batch) {
  std::vector<model::ModelInputs> batches;
  while (auto batch = next_batch()) batches.push_back(std::move(*batch));
  return batches;
}

// Data parallel: each rank evaluated its own rows (rank r: rows r, r+W, ..., no padding, as
// train/data_feed.cpp shards them). Sums the statistics over the ranks and gathers the regression
// pairs and the logits (back into input order), so the metrics are one process's over every row.
void combine_over_ranks(Statistics& stats, EvalResult& result, const EvalOptions& options, distributed::Group& group) {
  if (group.size() == 1) return;
  const int64_t k = stats.confusion.num_classes();
  std::vector<double> sums = {stats.loss_sum, static_cast<double>(stats.loss_rows), static_cast<double>(result.rows)};
  for (int64_t truth = 0; truth < k; ++truth)
    for (int64_t predicted = 0; predicted < k; ++predicted) sums.push_back(static_cast<double>(stats.confusion.count(truth, predicted)));
  sums = distributed::sum_over_ranks(group, sums);
  stats.loss_sum = sums[0];
  stats.loss_rows = static_cast<int64_t>(sums[1]);
  result.rows = static_cast<int64_t>(sums[2]);
  stats.confusion = ConfusionMatrix(k);
  for (int64_t truth = 0; truth < k; ++truth)
    for (int64_t predicted = 0; predicted < k; ++predicted)
      for (auto n = static_cast<int64_t>(sums[3 + truth * k + predicted]); n > 0; --n) stats.confusion.add(truth, predicted);
  if (options.regression) {
    auto joined = [&](const std::vector<double>& mine) {
      const torch::Tensor all = distributed::concat_over_ranks(group, torch::tensor(mine, torch::kFloat64)).contiguous();
      return std::vector<double>(all.data_ptr<double>(), all.data_ptr<double>() + all.numel());
    };
    stats.predictions = joined(stats.predictions);
    stats.targets = joined(stats.targets);
  }
  if (options.keep_logits) {
    const int64_t columns = options.regression ? 1 : options.num_labels;
    const torch::Tensor mine = result.logits.defined() ? result.logits : torch::zeros({0, columns});
    result.logits = distributed::gather_in_input_order(group, mine, result.rows);
  }
}

// Eval mode (no dropout) for the guard's life; the mode before it afterwards, so that training
// after an evaluation runs with dropout again.
class EvalModeGuard {
 public:
  explicit EvalModeGuard(model::SequenceClassifier& model) : model_(model), was_training_(model.is_training()) {
    model_.eval();
  }
  ~EvalModeGuard() { model_.train(was_training_); }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  model::SequenceClassifier& model_;
  bool was_training_;
};

}  // namespace

EvalResult evaluate(model::SequenceClassifier& model, const std::function<std::optional<model::ModelInputs>()>& next_batch,
                    const EvalOptions& options, distributed::Group& group) {
  const auto start = std::chrono::steady_clock::now();
  torch::NoGradGuard no_grad;  // no gradient buffers, no graph
  const EvalModeGuard eval_mode(model);
  Statistics stats(options);
  std::vector<torch::Tensor> kept;
  EvalResult result;
  // The metrics are sums over rows, so the rows may be evaluated in length order (far less padding)
  // and their logits put back in input order.
  std::vector<model::ModelInputs> in_order = all_batches(next_batch);
  std::optional<LengthOrdered> by_length = order_by_length(in_order);
  if (by_length) in_order.clear();
  const std::vector<model::ModelInputs>& batches = by_length ? by_length->batches : in_order;
  for (const auto& batch : batches) {
    const torch::Tensor unlabelled = unlabelled_rows(batch);
    const model::ClassifierOutput out = forward(model, batch, unlabelled);
    add_batch(stats, options, batch, out, unlabelled);
    if (options.keep_logits) kept.push_back(out.logits.to(torch::kFloat32).cpu());
    result.rows += batch.input_ids.size(0);
  }
  if (!kept.empty()) result.logits = torch::cat(kept);
  if (!kept.empty() && by_length) result.logits = torch::empty_like(result.logits).index_copy_(0, by_length->input_rows, result.logits);
  combine_over_ranks(stats, result, options, group);
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
  metrics[p + "steps_per_second"] = static_cast<double>(batches.size()) / seconds;
  result.metrics = metrics;
  return result;
}

}  // namespace hft::eval
