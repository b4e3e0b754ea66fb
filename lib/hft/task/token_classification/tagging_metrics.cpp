#include "hft/task/token_classification/tagging_metrics.h"

#include <torch/torch.h>

#include "hft/distributed/collectives.h"                     // sum_over_ranks
#include "hft/task/token_classification/entity_counts.h"     // EntityCounts
#include "hft/task/token_classification/entity_reading.h"    // entity_types
#include "hft/task/token_classification/seqeval_metrics.h"   // seqeval_metrics

namespace hft::task {
namespace {

constexpr int64_t kIgnored = -100;
constexpr size_t kPendingBatches = 32;  // batches whose predictions wait on the device for one read-back

class TaggingMetrics : public eval::MetricAccumulator {
 public:
  explicit TaggingMetrics(TaggingMetricOptions options)
      : options_(std::move(options)), counts_(entity_types(options_.labels)) {}

  void add(const data::Batch& batch, const model::ModelOutput& out) override {
    if (!batch.labels.defined()) return;
    // The Trainer's eval_loss: every row counts its batch's mean loss (loss.repeat(batch_size)).
    const torch::Tensor weighted = out.loss.detach().to(torch::kFloat64) * static_cast<double>(batch.labels.size(0));
    loss_sum_ = loss_sum_.defined() ? loss_sum_ + weighted : weighted;
    loss_rows_ += batch.labels.size(0);
    pending_.push_back(torch::stack({out.logits.detach().argmax(-1), batch.labels}));  // [2, B, L]
    if (pending_.size() >= kPendingBatches) count_pending();
  }

  void sum_over_ranks(distributed::Group& group) override {
    count_pending();
    std::vector<double> mine = counts_.to_sums();
    mine.push_back(loss_sum_.defined() ? loss_sum_.item<double>() : 0.0);
    mine.push_back(static_cast<double>(loss_rows_));
    const std::vector<double> sums = distributed::sum_over_ranks(group, mine);
    counts_.from_sums(std::vector<double>(sums.begin(), sums.end() - 2));
    loss_sum_ = torch::tensor(sums[sums.size() - 2], torch::kFloat64);
    loss_rows_ = static_cast<int64_t>(sums.back());
  }

  nlohmann::json metrics() const override {
    count_pending();  // the last batches' predictions, read once
    nlohmann::json out = nlohmann::json::object();
    if (loss_rows_ == 0) return out;
    out["loss"] = loss_sum_.item<double>() / static_cast<double>(loss_rows_);
    SeqevalOptions seqeval;
    seqeval.entity_level = options_.entity_level;
    for (const auto& [name, value] : seqeval_metrics(counts_, seqeval)) out[name] = value;
    return out;
  }

 private:
  // run_ner's true_predictions / true_labels: the tokens whose label is not -100, per sentence.
  void count_pending() const {
    for (const torch::Tensor& pair : pending_) {
      const torch::Tensor host = pair.cpu().contiguous();
      const int64_t rows = host.size(1), length = host.size(2);
      const int64_t* predicted = host.data_ptr<int64_t>();
      const int64_t* truth = predicted + rows * length;
      for (int64_t r = 0; r < rows; ++r) {
        std::vector<std::string> truth_tags, predicted_tags;
        for (int64_t t = r * length; t < (r + 1) * length; ++t) {
          if (truth[t] == kIgnored) continue;
          truth_tags.push_back(options_.labels[truth[t]]);
          predicted_tags.push_back(options_.labels[predicted[t]]);
        }
        counts_.add_sentence(truth_tags, predicted_tags);
      }
    }
    pending_.clear();
  }

  TaggingMetricOptions options_;
  mutable EntityCounts counts_;                 // mutable: metrics() counts the last pending batches
  torch::Tensor loss_sum_;              // [] float64 on the model's device: batch loss times its rows, summed
  int64_t loss_rows_ = 0;
  mutable std::vector<torch::Tensor> pending_;  // [2, B, L] int64 each: predicted and true tag ids
};

}  // namespace

std::unique_ptr<eval::MetricAccumulator> tagging_accumulator(const TaggingMetricOptions& options) {
  return std::make_unique<TaggingMetrics>(options);
}

}  // namespace hft::task
