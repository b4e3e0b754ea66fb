// seqeval's numbers from EntityCounts, named as run_ner.py's compute_metrics names them (before
// the Trainer adds "eval_"). No LibTorch.
//
//   entity_level false: precision, recall, f1, accuracy (seqeval's micro average and accuracy).
//   entity_level true (return_entity_level_metrics): run_ner flattens evaluate's result as it
//     comes: <TYPE>_precision, <TYPE>_recall, <TYPE>_f1, <TYPE>_number for each type seen in the
//     reference or the predictions (sorted), then overall_precision, overall_recall, overall_f1,
//     overall_accuracy. The overall names keep evaluate's "overall_" prefix there.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hft/task/token_classification/entity_counts.h"  // EntityCounts, TypeCounts

namespace hft::task {

// Precision, recall and F1 of one set of counts, as seqeval's precision_recall_fscore_support
// divides: a ratio with a zero denominator is `zero_division` (seqeval's default "warn" acts as
// 0; 1 is its other choice), and F1 is 0 when precision + recall is 0.
struct EntityScores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  int64_t number = 0;  // true entities (seqeval's support)
};
EntityScores entity_scores(const TypeCounts& counts, double zero_division = 0);

struct SeqevalOptions {
  bool entity_level = false;  // run_ner's return_entity_level_metrics
  double zero_division = 0;   // seqeval's zero_division: 0 ("warn", the default) or 1
};

// Name and value, in the order run_ner's dict has them. Accuracy is words tagged right over
// words; with no words at all (where seqeval divides by zero and fails) it is 0.
std::vector<std::pair<std::string, double>> seqeval_metrics(const EntityCounts& counts, const SeqevalOptions& options = {});

}  // namespace hft::task
