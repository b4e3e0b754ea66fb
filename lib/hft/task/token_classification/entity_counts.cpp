#include "hft/task/token_classification/entity_counts.h"

#include <algorithm>  // sort, unique, lower_bound, set_intersection
#include <iterator>   // back_inserter
#include <stdexcept>

namespace hft::task {
namespace {

constexpr size_t kWordSums = 2;     // words, correct words
constexpr size_t kSumsPerType = 3;  // true, predicted, correct

// seqeval compares the sets of (type, first, last) of the whole corpus (strict mode: of
// (sentence, type, first, last)); within one sentence the entities are distinct (each ends at a
// different word), so the sentence's share of the
// intersection is the intersection of its two sorted lists.
std::vector<Entity> common_entities(std::vector<Entity> truth, std::vector<Entity> predicted) {
  std::sort(truth.begin(), truth.end());
  std::sort(predicted.begin(), predicted.end());
  std::vector<Entity> common;
  std::set_intersection(truth.begin(), truth.end(), predicted.begin(), predicted.end(), std::back_inserter(common));
  return common;
}

}  // namespace

EntityCounts::EntityCounts(std::vector<std::string> types, EntityReading reading)
    : types_(std::move(types)), reading_(reading) {
  std::sort(types_.begin(), types_.end());
  types_.erase(std::unique(types_.begin(), types_.end()), types_.end());
  per_type_.resize(types_.size());
}

size_t EntityCounts::type_index(const std::string& type) const {
  const auto it = std::lower_bound(types_.begin(), types_.end(), type);
  if (it == types_.end() || *it != type)
    throw std::invalid_argument("entity type '" + type + "' is not among the types of the label list");
  return static_cast<size_t>(it - types_.begin());
}

void EntityCounts::add_sentence(const std::vector<std::string>& truth, const std::vector<std::string>& predicted) {
  if (truth.size() != predicted.size())
    throw std::invalid_argument("a sentence has " + std::to_string(truth.size()) + " reference tags and " +
                                std::to_string(predicted.size()) + " predicted tags");
  const std::vector<Entity> true_entities = read_entities(truth, reading_);
  const std::vector<Entity> predicted_entities = read_entities(predicted, reading_);
  // Look every type up before counting, so that a bad tag leaves the counts as they were.
  std::vector<size_t> true_index, predicted_index, correct_index;
  for (const auto& e : true_entities) true_index.push_back(type_index(e.type));
  for (const auto& e : predicted_entities) predicted_index.push_back(type_index(e.type));
  for (const auto& e : common_entities(true_entities, predicted_entities)) correct_index.push_back(type_index(e.type));

  for (size_t i : true_index) ++per_type_[i].true_entities;
  for (size_t i : predicted_index) ++per_type_[i].predicted_entities;
  for (size_t i : correct_index) ++per_type_[i].correct_entities;
  words_ += static_cast<int64_t>(truth.size());
  for (size_t i = 0; i < truth.size(); ++i) correct_words_ += truth[i] == predicted[i] ? 1 : 0;
}

std::vector<double> EntityCounts::to_sums() const {
  std::vector<double> sums = {static_cast<double>(words_), static_cast<double>(correct_words_)};
  for (const auto& c : per_type_) {
    sums.push_back(static_cast<double>(c.true_entities));
    sums.push_back(static_cast<double>(c.predicted_entities));
    sums.push_back(static_cast<double>(c.correct_entities));
  }
  return sums;
}

void EntityCounts::from_sums(const std::vector<double>& sums) {
  if (sums.size() != kWordSums + kSumsPerType * types_.size())
    throw std::invalid_argument("entity count sums hold " + std::to_string(sums.size()) + " numbers, expected " +
                                std::to_string(kWordSums + kSumsPerType * types_.size()));
  words_ = static_cast<int64_t>(sums[0]);
  correct_words_ = static_cast<int64_t>(sums[1]);
  for (size_t t = 0; t < per_type_.size(); ++t) {
    const double* s = &sums[kWordSums + kSumsPerType * t];
    per_type_[t] = {static_cast<int64_t>(s[0]), static_cast<int64_t>(s[1]), static_cast<int64_t>(s[2])};
  }
}

}  // namespace hft::task
