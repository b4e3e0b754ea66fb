#include "hft/task/token_classification/seqeval_metrics.h"

namespace hft::task {
namespace {

double ratio(int64_t numerator, int64_t denominator, double zero_division) {
  return denominator == 0 ? zero_division : static_cast<double>(numerator) / static_cast<double>(denominator);
}

// seqeval's micro average: the counts of all types added, then divided.
TypeCounts all_types(const EntityCounts& counts) {
  TypeCounts total;
  for (const auto& c : counts.per_type()) {
    total.true_entities += c.true_entities;
    total.predicted_entities += c.predicted_entities;
    total.correct_entities += c.correct_entities;
  }
  return total;
}

double accuracy(const EntityCounts& counts) {
  return counts.words() == 0 ? 0.0 : static_cast<double>(counts.correct_words()) / static_cast<double>(counts.words());
}

}  // namespace

EntityScores entity_scores(const TypeCounts& counts, double zero_division) {
  EntityScores s;
  s.precision = ratio(counts.correct_entities, counts.predicted_entities, zero_division);
  s.recall = ratio(counts.correct_entities, counts.true_entities, zero_division);
  // F-beta with beta = 1, in seqeval's order of operations: (1 + 1) * p * r / (p + r).
  const double denominator = s.precision + s.recall;
  s.f1 = 2.0 * s.precision * s.recall / (denominator == 0 ? 1.0 : denominator);
  s.number = counts.true_entities;
  return s;
}

std::vector<std::pair<std::string, double>> seqeval_metrics(const EntityCounts& counts, const SeqevalOptions& options) {
  const EntityScores overall = entity_scores(all_types(counts), options.zero_division);
  if (!options.entity_level)
    return {{"precision", overall.precision}, {"recall", overall.recall}, {"f1", overall.f1}, {"accuracy", accuracy(counts)}};

  std::vector<std::pair<std::string, double>> metrics;
  for (size_t t = 0; t < counts.types().size(); ++t) {
    const TypeCounts& c = counts.per_type()[t];
    if (c.true_entities == 0 && c.predicted_entities == 0) continue;  // seqeval lists only types it saw
    const EntityScores s = entity_scores(c, options.zero_division);
    const std::string& type = counts.types()[t];
    metrics.emplace_back(type + "_precision", s.precision);
    metrics.emplace_back(type + "_recall", s.recall);
    metrics.emplace_back(type + "_f1", s.f1);
    metrics.emplace_back(type + "_number", static_cast<double>(s.number));
  }
  metrics.emplace_back("overall_precision", overall.precision);
  metrics.emplace_back("overall_recall", overall.recall);
  metrics.emplace_back("overall_f1", overall.f1);
  metrics.emplace_back("overall_accuracy", accuracy(counts));
  return metrics;
}

}  // namespace hft::task
