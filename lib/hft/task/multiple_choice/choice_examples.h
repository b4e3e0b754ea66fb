// Multiple-choice questions as run_swag.py reads them: per row a context, an optional question
// stem, N endings and the index of the right one, from the columns the recipe names (SWAG's
// sent1, sent2, ending0..3, label by default), in a csv/tsv/json/jsonl file. No LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hft::task {

struct ChoiceColumns {
  std::string context = "sent1";
  std::string question = "sent2";  // "": none, the ending alone follows the context
  std::vector<std::string> endings = {"ending0", "ending1", "ending2", "ending3"};
  std::string label = "label";
};

struct ChoiceExamples {
  std::string file;                   // for messages
  std::vector<std::string> contexts;  // [rows]
  std::vector<std::string> second;    // [rows * N] "<question> <ending>" as run_swag pairs them, row-major
  std::vector<int64_t> labels;        // [rows] 0..N-1; empty without a label column
  std::vector<int64_t> lines;         // [rows]
  int64_t choices = 0;                // N

  int64_t size() const { return static_cast<int64_t>(contexts.size()); }
  void keep_first(int64_t n);  // max_*_samples
};

// `labels_required`: a file without the label column is a DataError (training and evaluation);
// else it is read without labels (prediction). Throws DataError (file:line) for a missing column
// (listing those the file has), a row whose endings are fewer than the columns (a choice count
// that differs between rows), an empty context or ending, a label that is not a choice index.
ChoiceExamples read_choice_examples(const std::string& path, const ChoiceColumns& columns, bool labels_required);

}  // namespace hft::task
