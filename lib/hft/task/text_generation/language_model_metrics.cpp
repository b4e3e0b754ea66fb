#include "hft/task/text_generation/language_model_metrics.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "hft/distributed/collectives.h"  // sum_over_ranks

namespace hft::task {
namespace {

class LanguageModelMetrics : public eval::MetricAccumulator {
 public:
  void add(const data::Batch& batch, const model::ModelOutput& out) override {
    if (!batch.labels.defined()) return;
    // The Trainer repeats each batch's mean token loss per_device_eval_batch_size times and keeps
    // as many as the split has rows: each batch weighs its rows (packed rows too, though trl's
    // padding-free collator makes one long row of them).
    const int64_t rows = batch.labels.size(0);
    const torch::Tensor weighted = out.loss.detach().to(torch::kFloat64) * static_cast<double>(rows);
    loss_sum_ = loss_sum_.defined() ? loss_sum_ + weighted : weighted;
    rows_ += rows;
  }

  void sum_over_ranks(distributed::Group& group) override {
    const std::vector<double> sums =
        distributed::sum_over_ranks(group, {loss_sum_.defined() ? loss_sum_.item<double>() : 0.0, double(rows_)});
    loss_sum_ = torch::tensor(sums[0], torch::kFloat64);
    rows_ = static_cast<int64_t>(sums[1]);
  }

  nlohmann::json metrics() const override {
    nlohmann::json out = nlohmann::json::object();
    if (rows_ == 0) return out;
    const double loss = loss_sum_.item<double>() / static_cast<double>(rows_);
    out["loss"] = loss;
    // run_clm.py: math.exp, and inf when it overflows
    out["perplexity"] = loss > std::log(std::numeric_limits<double>::max()) ? std::numeric_limits<double>::infinity()
                                                                            : std::exp(loss);
    return out;
  }

 private:
  torch::Tensor loss_sum_;  // [] float64 on the model's device: batch loss times its rows, summed
  int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<eval::MetricAccumulator> language_model_accumulator() {
  return std::make_unique<LanguageModelMetrics>();
}

}  // namespace hft::task
