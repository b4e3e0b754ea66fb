// Examples: the rows of one split as the model will see them, before tokenization: one or two
// texts per row and a label id (classification) or target (regression).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/data/label_space.h"   // LabelSpace
#include "hft/data/table.h"         // Table
#include "hft/data/text_columns.h"  // TextColumns

namespace hft::data {

struct Examples {
  std::string file;                 // where the rows came from, for messages
  std::vector<std::string> first;   // [rows] first text
  std::vector<std::string> second;  // [rows] second text; empty for single-text tasks
  bool has_labels = false;          // false for a test file without a label column
  std::vector<int64_t> label_ids;   // [rows] classification: 0..n-1 (-1: no label); else empty
  std::vector<float> targets;       // [rows] regression targets, or [rows, num_labels] multi-hot; else empty
  int64_t multi_label_width = 0;    // multi-label: num_labels targets per row; else 0
  std::vector<int64_t> lines;       // [rows] the file line of each row

  int64_t size() const { return static_cast<int64_t>(first.size()); }
};

// Takes the text and label columns of `table`. The label column may be absent (a test file):
// then has_labels is false. Throws DataError naming file:line for a missing text column
// (listing those that exist), an empty text, an unseen label or a non-numeric target.
Examples make_examples(const Table& table, const TextColumns& columns, const std::string& label_column,
                       const LabelSpace& labels);

}  // namespace hft::data
