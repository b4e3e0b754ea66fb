// Rows labelled -1 leave the loss and the metrics row by row: the same numbers at every batch
// size, worked out by hand for a stand-in model with known logits.
#include "hft/eval/evaluation_loop.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

#include <cmath>

#include "hft/task/text_classification/classification_metrics.h"  // classification_accumulator: text classification's metrics
#include "hft/model/classification_loss.h"  // classification_loss: the stand-in's loss, as the real heads compute it

using hft::model::ModelOutput;


namespace {

// Logits [0, (id - 10) / 10] from each row's single input id; the loss of the real heads.
class KnownLogits : public hft::model::TaskModel {
 public:
  ModelOutput forward(const hft::data::Batch& inputs) override {
    ModelOutput out;
    const torch::Tensor z = (inputs.input_ids.select(1, 0).to(torch::kFloat32) - 10) / 10;  // [B]
    out.logits = torch::stack({torch::zeros_like(z), z}, 1);                                 // [B, 2]
    std::optional<std::string> problem_type;
    if (inputs.labels.defined()) out.loss = hft::model::classification_loss(out.logits, inputs.labels, problem_type);
    return out;
  }
  void set_activation_recomputation(bool) override {}
  void initialize(const hft::model::ParameterSelection&) override {}
};

// (first id, label) rows cut into batches of `size`.
std::function<std::optional<hft::data::Batch>()> batches_of(const std::vector<std::pair<int64_t, int64_t>>& rows, size_t size) {
  auto next = std::make_shared<size_t>(0);
  return [rows, size, next]() -> std::optional<hft::data::Batch> {
    if (*next >= rows.size()) return std::nullopt;
    std::vector<int64_t> ids, labels;
    for (; *next < rows.size() && ids.size() < size; ++*next) ids.push_back(rows[*next].first), labels.push_back(rows[*next].second);
    hft::data::Batch batch;
    batch.input_ids = torch::tensor(ids, torch::kInt64).unsqueeze(1);  // [B, 1]
    batch.attention_mask = torch::ones_like(batch.input_ids);
    batch.labels = torch::tensor(labels, torch::kInt64);
    return batch;
  };
}

}  // namespace

TEST_CASE("unlabelled rows are left out of eval_loss and the metrics at every batch size") {
  // By hand: z = -0.7 (label 1), 0.2 (label 0), 1.0 (label 1) are the labelled rows; argmax predicts
  // 0, 1, 1: one of three right. Cross-entropy of [0, z]: log(1 + e^-z) for label 1, log(1 + e^z) for 0.
  const std::vector<std::pair<int64_t, int64_t>> rows = {{3, 1}, {7, -1}, {12, 0}, {20, 1}, {5, -1}};
  const double loss = (std::log1p(std::exp(0.7)) + std::log1p(std::exp(0.2)) + std::log1p(std::exp(-1.0))) / 3;
  KnownLogits model;
  hft::distributed::Group alone;  // a world of one
  hft::task::ClassificationMetricOptions metric_options;
  metric_options.metric_names = {"accuracy"};
  hft::eval::EvalOptions options;
  options.keep_outputs = true;
  options.output_width = 2;
  for (const size_t size : {1, 2, 3, 5}) {
    INFO("batch size " << size);
    const auto metrics = hft::task::classification_accumulator(metric_options);
    const hft::eval::EvalResult result = hft::eval::evaluate(model, batches_of(rows, size), *metrics, options, alone);
    CHECK(result.metrics["eval_accuracy"].get<double>() == Approx(1.0 / 3).margin(1e-12));
    CHECK(result.metrics["eval_loss"].get<double>() == Approx(loss).margin(1e-6));
    CHECK(result.rows == 5);
    CHECK(result.outputs.size(0) == 5);  // predictions cover every row
  }
  // Only unlabelled rows: no loss and no metrics (set_up refuses such a validation file).
  const auto metrics = hft::task::classification_accumulator(metric_options);
  const hft::eval::EvalResult none = hft::eval::evaluate(model, batches_of({{7, -1}, {5, -1}}, 2), *metrics, options, alone);
  CHECK_FALSE(none.metrics.contains("eval_loss"));
  CHECK_FALSE(none.metrics.contains("eval_accuracy"));
}
