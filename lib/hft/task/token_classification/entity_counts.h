// What seqeval's metrics need, counted sentence by sentence: words and correctly tagged words
// (accuracy), and per entity type the true, predicted and correct entities (precision, recall,
// F1). Memory is fixed by the number of types, never by the data, and the counts of several
// ranks add up: to_sums() gives them as one flat vector, from_sums() rebuilds them after the sum.
// No LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/task/token_classification/entity_reading.h"  // EntityReading

namespace hft::task {

struct TypeCounts {
  int64_t true_entities = 0;       // in the reference tags (seqeval's support, run_ner's "number")
  int64_t predicted_entities = 0;  // in the predicted tags
  int64_t correct_entities = 0;    // in both: same type, same first and last word
};

class EntityCounts {
 public:
  // `types` from entity_types(label list, reading): every type a tag of the labels can produce,
  // so that every rank lays out its vector alike.
  explicit EntityCounts(std::vector<std::string> types, EntityReading reading = {});

  // One sentence's reference and predicted tags, word for word (run_ner's true_labels and
  // true_predictions for one row). Throws std::invalid_argument when the lengths differ, a tag
  // has a type outside `types`, or (strict) a letter the scheme does not allow.
  void add_sentence(const std::vector<std::string>& truth, const std::vector<std::string>& predicted);

  // [2 + 3 * types]: words, correct words, then (true, predicted, correct) per type in the
  // order of types(). Doubles because distributed::sum_over_ranks sums doubles; counts below
  // 2^53 stay exact.
  std::vector<double> to_sums() const;
  // The counts whose to_sums() is `sums` (summed over ranks). Throws std::invalid_argument for a
  // vector of the wrong length.
  void from_sums(const std::vector<double>& sums);

  const std::vector<std::string>& types() const { return types_; }
  const std::vector<TypeCounts>& per_type() const { return per_type_; }  // parallel to types()
  int64_t words() const { return words_; }
  int64_t correct_words() const { return correct_words_; }

 private:
  size_t type_index(const std::string& type) const;

  std::vector<std::string> types_;  // sorted
  EntityReading reading_;
  std::vector<TypeCounts> per_type_;
  int64_t words_ = 0;
  int64_t correct_words_ = 0;
};

}  // namespace hft::task
