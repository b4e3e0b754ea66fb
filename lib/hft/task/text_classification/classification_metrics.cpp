#include "hft/task/text_classification/classification_metrics.h"

#include <torch/torch.h>

#include "hft/distributed/collectives.h"                    // sum_over_ranks, concat_over_ranks
#include "hft/model/classification_loss.h"                  // classification_loss: the loss of a batch's labelled rows
#include "hft/task/text_classification/glue_metrics.h"      // ConfusionMatrix, classification_metrics, regression_metrics

namespace hft::task {
namespace {

// Class labels of -1 mark unlabelled rows (GLUE's test files, or a validation file that lacks
// some labels). They are left out of the loss and the metrics row by row, so the metrics do not
// depend on the batch size. transformers has no such rule: its classification loss is
// cross_entropy with ignore_index -100, so a -1 label fails there (run_glue drops the test
// file's label column for that reason); hft's eval_loss is the mean over the labelled rows.
// [B] bool, or undefined when every row is labelled (or the labels are float targets).
torch::Tensor unlabelled_rows(const data::Batch& batch) {
  if (!batch.labels.defined() || batch.labels.scalar_type() != torch::kInt64) return {};
  const torch::Tensor unlabelled = batch.labels < 0;
  return unlabelled.any().item<bool>() ? unlabelled : torch::Tensor();
}

class ClassificationMetrics : public eval::MetricAccumulator {
 public:
  explicit ClassificationMetrics(ClassificationMetricOptions options)
      : options_(std::move(options)), confusion_(options_.regression ? 1 : options_.num_labels) {}

  // With unlabelled rows the model runs without labels, and the loss is the single-label loss of
  // the labelled rows (integer labels are single-label classification).
  model::ModelOutput forward(model::TaskModel& model, const data::Batch& batch) override {
    unlabelled_ = unlabelled_rows(batch);
    if (!unlabelled_.defined()) return model.forward(batch);
    data::Batch inputs = batch;
    inputs.labels = torch::Tensor();
    model::ModelOutput out = model.forward(inputs);
    const torch::Tensor labelled = ~unlabelled_;
    if (labelled.any().item<bool>()) {
      std::optional<std::string> single_label = "single_label_classification";
      out.loss = model::classification_loss(out.logits.index({labelled}), batch.labels.index({labelled}), single_label);
    }
    return out;
  }

  void add(const data::Batch& batch, const model::ModelOutput& out) override {
    if (!batch.labels.defined()) return;
    torch::Tensor logits = out.logits.to(torch::kFloat32).cpu();
    torch::Tensor labels = batch.labels.cpu();
    if (unlabelled_.defined()) {
      const torch::Tensor labelled = ~unlabelled_.cpu();
      logits = logits.index({labelled}), labels = labels.index({labelled});
    }
    const int64_t rows = labels.size(0);
    if (rows == 0) return;
    if (out.loss.defined()) loss_sum_ += out.loss.item<double>() * static_cast<double>(rows), loss_rows_ += rows;
    if (options_.regression) {
      const auto predicted = logits.view({-1}).to(torch::kFloat64).contiguous();
      const auto target = labels.view({-1}).to(torch::kFloat64).contiguous();
      predictions_.insert(predictions_.end(), predicted.data_ptr<double>(), predicted.data_ptr<double>() + rows);
      targets_.insert(targets_.end(), target.data_ptr<double>(), target.data_ptr<double>() + rows);
      return;
    }
    const torch::Tensor predicted = logits.argmax(-1).to(torch::kInt64).contiguous();
    const torch::Tensor truth = labels.to(torch::kInt64).contiguous();
    for (int64_t i = 0; i < rows; ++i) confusion_.add(truth.data_ptr<int64_t>()[i], predicted.data_ptr<int64_t>()[i]);
  }

  // Sums the loss and the confusion matrix over the ranks and gathers the regression pairs, so
  // the metrics are one process's over every row.
  void sum_over_ranks(distributed::Group& group) override {
    if (group.size() == 1) return;
    const int64_t k = confusion_.num_classes();
    std::vector<double> sums = {loss_sum_, static_cast<double>(loss_rows_)};
    for (int64_t truth = 0; truth < k; ++truth)
      for (int64_t predicted = 0; predicted < k; ++predicted) sums.push_back(static_cast<double>(confusion_.count(truth, predicted)));
    sums = distributed::sum_over_ranks(group, sums);
    loss_sum_ = sums[0];
    loss_rows_ = static_cast<int64_t>(sums[1]);
    confusion_ = ConfusionMatrix(k);
    for (int64_t truth = 0; truth < k; ++truth)
      for (int64_t predicted = 0; predicted < k; ++predicted)
        for (auto n = static_cast<int64_t>(sums[2 + truth * k + predicted]); n > 0; --n) confusion_.add(truth, predicted);
    if (!options_.regression) return;
    auto joined = [&](const std::vector<double>& mine) {
      const torch::Tensor all = distributed::concat_over_ranks(group, torch::tensor(mine, torch::kFloat64)).contiguous();
      return std::vector<double>(all.data_ptr<double>(), all.data_ptr<double>() + all.numel());
    };
    predictions_ = joined(predictions_);
    targets_ = joined(targets_);
  }

  nlohmann::json metrics() const override {
    nlohmann::json out = nlohmann::json::object();
    if (loss_rows_ == 0) return out;
    out["loss"] = loss_sum_ / static_cast<double>(loss_rows_);
    out.update(options_.regression ? regression_metrics(predictions_, targets_, options_.metric_names)
                                   : task::classification_metrics(confusion_, options_.metric_names));
    return out;
  }

 private:
  ClassificationMetricOptions options_;
  double loss_sum_ = 0;
  int64_t loss_rows_ = 0;
  ConfusionMatrix confusion_;
  std::vector<double> predictions_, targets_;  // regression: a pair per row (Spearman needs the ranks)
  torch::Tensor unlabelled_;                   // of the batch forward() last saw
};

}  // namespace

std::unique_ptr<eval::MetricAccumulator> classification_accumulator(const ClassificationMetricOptions& options) {
  return std::make_unique<ClassificationMetrics>(options);
}

}  // namespace hft::task
