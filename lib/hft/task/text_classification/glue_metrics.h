// Evaluation metrics from running statistics, so memory stays bounded however large the split:
// a confusion matrix for classification, the (prediction, target) pairs for regression (the
// ranks of Spearman's correlation need them; a float pair per row).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace hft::task {

// Counts[true class][predicted class].
class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(int64_t num_classes);
  void add(int64_t truth, int64_t predicted, int64_t count = 1);
  int64_t num_classes() const { return num_classes_; }
  int64_t count(int64_t truth, int64_t predicted) const { return counts_[truth * num_classes_ + predicted]; }
  int64_t total() const;

 private:
  int64_t num_classes_;
  std::vector<int64_t> counts_;
};

double accuracy(const ConfusionMatrix& m);
double precision(const ConfusionMatrix& m, int64_t positive);  // of one class, as sklearn's binary average
double recall(const ConfusionMatrix& m, int64_t positive);
double f1(const ConfusionMatrix& m, int64_t positive);
double macro_f1(const ConfusionMatrix& m);
double macro_precision(const ConfusionMatrix& m);
double macro_recall(const ConfusionMatrix& m);
double matthews_correlation(const ConfusionMatrix& m);  // sklearn's multiclass definition

double pearson(const std::vector<double>& x, const std::vector<double>& y);
double spearman(const std::vector<double>& x, const std::vector<double>& y);  // ranks with ties averaged

// Named metrics from a confusion matrix ({"accuracy": ...}); binary f1/precision/recall take
// class 1 as positive, as sklearn's default does.
nlohmann::json classification_metrics(const ConfusionMatrix& m, const std::vector<std::string>& names);
nlohmann::json regression_metrics(const std::vector<double>& predictions, const std::vector<double>& targets,
                                  const std::vector<std::string>& names);

}  // namespace hft::task
