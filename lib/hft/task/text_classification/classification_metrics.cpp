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
// Whether every row is labelled is known on the host (the collator counts label_count).
bool every_row_labelled(const data::Batch& batch) {
  return !batch.labels.defined() || batch.labels.scalar_type() != torch::kInt64 ||
         batch.label_count == batch.labels.size(0);
}

// [B] bool: the rows that count (every row of float targets).
torch::Tensor labelled_rows(const torch::Tensor& labels) {
  return labels.scalar_type() == torch::kInt64 ? labels.ge(0)
                                               : torch::ones({labels.size(0)}, labels.options().dtype(torch::kBool));
}

// The statistics stay on the device while batches come (no batch waits for a read-back) and
// are read once, by metrics() or when summed over ranks.
class ClassificationMetrics : public eval::MetricAccumulator {
 public:
  explicit ClassificationMetrics(ClassificationMetricOptions options)
      : options_(std::move(options)), classes_(options_.regression ? 1 : options_.num_labels) {}

  // With unlabelled rows the model runs without labels, and the loss is the single-label loss of
  // the labelled rows (integer labels are single-label classification): cross_entropy's
  // ignore_index (-100) leaves the others out; NaN when no row is labelled, which add() drops.
  model::ModelOutput forward(model::TaskModel& model, const data::Batch& batch) override {
    if (every_row_labelled(batch)) return model.forward(batch);
    data::Batch inputs = batch;
    inputs.labels = torch::Tensor();
    model::ModelOutput out = model.forward(inputs);
    std::optional<std::string> single_label = "single_label_classification";
    out.loss = model::classification_loss(out.logits, batch.labels.masked_fill(batch.labels.lt(0), -100), single_label);
    return out;
  }

  void add(const data::Batch& batch, const model::ModelOutput& out) override {
    if (!batch.labels.defined()) return;
    if (!loss_sum_.defined()) start_on(out.logits.device());
    const torch::Tensor labelled = labelled_rows(batch.labels);  // [B]
    const torch::Tensor rows = labelled.sum();
    if (out.loss.defined()) {
      loss_sum_ += torch::where(rows.gt(0), out.loss.detach().to(torch::kFloat64) * rows, torch::zeros_like(loss_sum_));
      loss_rows_ += rows;
    }
    // Multi-label targets ([B, C] multi-hot) count in the loss only: run_classification.py's
    // multi-label F1 is not computed here yet.
    if (batch.labels.dim() != 1 && !options_.regression) return;
    const torch::Tensor logits = out.logits.detach().to(torch::kFloat32);
    if (options_.regression) {
      predictions_.push_back(logits.view({-1}).to(torch::kFloat64));
      targets_.push_back(batch.labels.view({-1}).to(torch::kFloat64));
      return;
    }
    // Cell truth * K + predicted of the confusion matrix; unlabelled rows go to a cell K * K past it.
    const torch::Tensor cell = batch.labels * classes_ + logits.argmax(-1);
    counts_.index_add_(0, torch::where(labelled, cell, classes_ * classes_), torch::ones_like(cell));
  }

  // Sums the loss and the confusion matrix over the ranks and gathers the regression pairs, so
  // the metrics are one process's over every row.
  void sum_over_ranks(distributed::Group& group) override {
    if (group.size() == 1) return;
    if (!loss_sum_.defined()) start_on(torch::kCPU);  // this rank had no labelled batch
    const torch::Tensor mine = torch::cat({loss_sum_.view({1}), loss_rows_.view({1}).to(torch::kFloat64),
                                           counts_.to(torch::kFloat64)}).cpu().contiguous();
    const std::vector<double> sums =
        distributed::sum_over_ranks(group, std::vector<double>(mine.data_ptr<double>(), mine.data_ptr<double>() + mine.numel()));
    const torch::Tensor total = torch::tensor(sums, torch::kFloat64).to(loss_sum_.device());
    loss_sum_ = total[0].clone();
    loss_rows_ = total[1].to(torch::kInt64);
    counts_ = total.narrow(0, 2, counts_.numel()).to(torch::kInt64);
    if (!options_.regression) return;
    predictions_ = {distributed::concat_over_ranks(group, joined(predictions_))};
    targets_ = {distributed::concat_over_ranks(group, joined(targets_))};
  }

  nlohmann::json metrics() const override {
    nlohmann::json out = nlohmann::json::object();
    if (!loss_sum_.defined() || loss_rows_.item<int64_t>() == 0) return out;
    out["loss"] = loss_sum_.item<double>() / static_cast<double>(loss_rows_.item<int64_t>());
    out.update(options_.regression ? regression_metrics(host_values(predictions_), host_values(targets_), options_.metric_names)
                                   : task::classification_metrics(confusion_matrix(), options_.metric_names));
    return out;
  }

  // Single-label only: multi-label rows add no confusion cells, and regression has no classes.
  nlohmann::json classification_report() const override {
    if (options_.regression || !loss_sum_.defined() || options_.label_names.size() != static_cast<size_t>(classes_))
      return nullptr;
    const ConfusionMatrix m = confusion_matrix();
    if (m.total() == 0) return nullptr;
    nlohmann::json matrix = nlohmann::json::array(), per_class = nlohmann::json::array();
    for (int64_t truth = 0; truth < classes_; ++truth) {
      nlohmann::json row = nlohmann::json::array();
      int64_t support = 0;
      for (int64_t predicted = 0; predicted < classes_; ++predicted) {
        row.push_back(m.count(truth, predicted));
        support += m.count(truth, predicted);
      }
      matrix.push_back(std::move(row));
      per_class.push_back({{"label", options_.label_names[truth]}, {"precision", precision(m, truth)},
                           {"recall", recall(m, truth)}, {"f1", f1(m, truth)}, {"support", support}});
    }
    return {{"labels", options_.label_names}, {"confusion_matrix", std::move(matrix)}, {"per_class", std::move(per_class)}};
  }

 private:
  void start_on(const torch::Device& device) {
    const auto on = torch::TensorOptions().device(device);
    loss_sum_ = torch::zeros({}, on.dtype(torch::kFloat64));
    loss_rows_ = torch::zeros({}, on.dtype(torch::kInt64));
    counts_ = torch::zeros({classes_ * classes_ + 1}, on.dtype(torch::kInt64));
  }

  static torch::Tensor joined(const std::vector<torch::Tensor>& parts) {
    return parts.empty() ? torch::zeros({0}, torch::kFloat64) : torch::cat(parts);
  }

  static std::vector<double> host_values(const std::vector<torch::Tensor>& parts) {
    const torch::Tensor all = joined(parts).cpu().contiguous();
    return std::vector<double>(all.data_ptr<double>(), all.data_ptr<double>() + all.numel());
  }

  ConfusionMatrix confusion_matrix() const {
    const torch::Tensor cells = counts_.cpu().contiguous();
    ConfusionMatrix m(classes_);
    for (int64_t truth = 0; truth < classes_; ++truth)
      for (int64_t predicted = 0; predicted < classes_; ++predicted)
        m.add(truth, predicted, cells.data_ptr<int64_t>()[truth * classes_ + predicted]);
    return m;
  }

  ClassificationMetricOptions options_;
  int64_t classes_;
  torch::Tensor loss_sum_;                            // [] float64: the loss times its rows, summed
  torch::Tensor loss_rows_;                           // [] int64
  torch::Tensor counts_;                              // [K * K + 1] int64: the confusion cells, then unlabelled rows
  std::vector<torch::Tensor> predictions_, targets_;  // regression: [B] float64 each (Spearman needs the ranks)
};

}  // namespace

std::unique_ptr<eval::MetricAccumulator> classification_accumulator(const ClassificationMetricOptions& options) {
  return std::make_unique<ClassificationMetrics>(options);
}

}  // namespace hft::task
