#include "hft/task/text_classification/glue_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace hft::task {

ConfusionMatrix::ConfusionMatrix(int64_t num_classes)
    : num_classes_(num_classes), counts_(static_cast<size_t>(num_classes * num_classes), 0) {}

void ConfusionMatrix::add(int64_t truth, int64_t predicted, int64_t count) {
  counts_[truth * num_classes_ + predicted] += count;
}

int64_t ConfusionMatrix::total() const { return std::accumulate(counts_.begin(), counts_.end(), int64_t{0}); }

namespace {

int64_t predicted_as(const ConfusionMatrix& m, int64_t c) {
  int64_t n = 0;
  for (int64_t t = 0; t < m.num_classes(); ++t) n += m.count(t, c);
  return n;
}

int64_t truly(const ConfusionMatrix& m, int64_t c) {
  int64_t n = 0;
  for (int64_t p = 0; p < m.num_classes(); ++p) n += m.count(c, p);
  return n;
}

// sklearn returns 0 where a ratio's denominator is 0 (zero_division="warn" gives 0.0).
double ratio(double numerator, double denominator) { return denominator == 0 ? 0.0 : numerator / denominator; }

template <class PerClass> double macro(const ConfusionMatrix& m, PerClass per_class) {
  double sum = 0;
  for (int64_t c = 0; c < m.num_classes(); ++c) sum += per_class(m, c);
  return sum / static_cast<double>(m.num_classes());
}

std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> rank(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double average = (static_cast<double>(i + j) / 2.0) + 1.0;  // ties share their mean rank
    for (size_t k = i; k <= j; ++k) rank[order[k]] = average;
    i = j + 1;
  }
  return rank;
}

}  // namespace

double accuracy(const ConfusionMatrix& m) {
  int64_t right = 0;
  for (int64_t c = 0; c < m.num_classes(); ++c) right += m.count(c, c);
  return ratio(static_cast<double>(right), static_cast<double>(m.total()));
}

double precision(const ConfusionMatrix& m, int64_t positive) {
  return ratio(static_cast<double>(m.count(positive, positive)), static_cast<double>(predicted_as(m, positive)));
}

double recall(const ConfusionMatrix& m, int64_t positive) {
  return ratio(static_cast<double>(m.count(positive, positive)), static_cast<double>(truly(m, positive)));
}

double f1(const ConfusionMatrix& m, int64_t positive) {
  // 2 tp / (2 tp + fp + fn): sklearn's form, defined (as 0) when precision and recall are 0.
  const double tp = static_cast<double>(m.count(positive, positive));
  return ratio(2 * tp, static_cast<double>(predicted_as(m, positive) + truly(m, positive)));
}

double macro_f1(const ConfusionMatrix& m) { return macro(m, f1); }
double macro_precision(const ConfusionMatrix& m) { return macro(m, precision); }
double macro_recall(const ConfusionMatrix& m) { return macro(m, recall); }

double matthews_correlation(const ConfusionMatrix& m) {
  const double s = static_cast<double>(m.total());
  double c = 0, sum_pt = 0, sum_p2 = 0, sum_t2 = 0;
  for (int64_t k = 0; k < m.num_classes(); ++k) {
    const double p = static_cast<double>(predicted_as(m, k)), t = static_cast<double>(truly(m, k));
    c += static_cast<double>(m.count(k, k));
    sum_pt += p * t, sum_p2 += p * p, sum_t2 += t * t;
  }
  const double denominator = std::sqrt((s * s - sum_p2) * (s * s - sum_t2));
  return denominator == 0 ? 0.0 : (c * s - sum_pt) / denominator;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx), syy += (y[i] - my) * (y[i] - my);
  }
  return sxx == 0 || syy == 0 ? NAN : sxy / std::sqrt(sxx * syy);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) { return pearson(ranks(x), ranks(y)); }

nlohmann::json classification_metrics(const ConfusionMatrix& m, const std::vector<std::string>& names) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& name : names) {
    if (name == "accuracy") out[name] = accuracy(m);
    else if (name == "f1") out[name] = f1(m, 1);
    else if (name == "precision") out[name] = precision(m, 1);
    else if (name == "recall") out[name] = recall(m, 1);
    else if (name == "f1_macro") out[name] = macro_f1(m);
    else if (name == "precision_macro") out[name] = macro_precision(m);
    else if (name == "recall_macro") out[name] = macro_recall(m);
    else if (name == "matthews_correlation") out[name] = matthews_correlation(m);
    else throw std::invalid_argument("metric " + name + " needs regression outputs");
  }
  return out;
}

nlohmann::json regression_metrics(const std::vector<double>& predictions, const std::vector<double>& targets,
                                  const std::vector<std::string>& names) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& name : names) {
    if (name == "pearson") out[name] = pearson(predictions, targets);
    else if (name == "spearmanr") out[name] = spearman(predictions, targets);
    else throw std::invalid_argument("metric " + name + " needs class predictions");
  }
  return out;
}

}  // namespace hft::task
