// EncodedDataset: every row of a split tokenized, stored flat: the ids of all rows back to back
// in one int32 buffer, with offsets (CSR: row i is [offsets[i], offsets[i+1])), so a split of
// any size is three allocations and lengths for bucketing cost nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hft/data/examples.h"  // Examples

namespace hft::tokenize {
class Tokenizer;
}

namespace hft::data {

// A row is one sequence, or (multiple choice) `sequences_per_row` sequences stored one after the
// other: sequence s of row r is CSR entry r * sequences_per_row + s.
struct EncodedDataset {
  std::vector<int32_t> input_ids;       // [tokens] every sequence's ids, back to back
  std::vector<uint8_t> token_type_ids;  // [tokens] 0 first text, 1 second text
  std::vector<int64_t> offsets = {0};   // [sequences + 1]
  int64_t sequences_per_row = 1;        // multiple choice: the choices of a row
  bool has_labels = false;
  bool regression = false;              // one float target per row
  int64_t multi_label_width = 0;        // > 0: multi-label, this many multi-hot targets per row
  std::vector<int64_t> label_ids;       // [rows] classification (-1: unlabeled); else empty
  std::vector<float> targets;           // [rows] regression, [rows, multi_label_width] multi-label; else empty
  // Token classification: input_ids' layout, one entry per token.
  std::vector<int32_t> token_labels;    // [tokens] tag ids, -100 where no loss is taken; else empty
  std::vector<int32_t> word_ids;        // [tokens] the word a token came from, -1 for special tokens; else empty
  // Packed rows (text generation): each token's position in its example; else empty (0.. per row).
  std::vector<int32_t> position_ids;    // [tokens]

  int64_t sequences() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t size() const { return sequences() / sequences_per_row; }
  // Tokens of a row: all its sequences.
  int64_t length(int64_t row) const { return offsets[(row + 1) * sequences_per_row] - offsets[row * sequences_per_row]; }
  std::span<const int32_t> ids(int64_t row) const {
    return {input_ids.data() + offsets[row * sequences_per_row], size_t(length(row))};
  }
  std::span<const uint8_t> type_ids(int64_t row) const {
    return {token_type_ids.data() + offsets[row * sequences_per_row], size_t(length(row))};
  }
  int64_t sequence_length(int64_t sequence) const { return offsets[sequence + 1] - offsets[sequence]; }
  int64_t longest_sequence() const;
  std::vector<int64_t> lengths() const;  // [rows] tokens per row (for length-grouped sampling)
};

// How rows become ids, as run_glue.py calls the tokenizer: special tokens added, truncated
// (longest_first) to max_length = min(max_seq_length, the tokenizer's model_max_length).
struct EncodeSettings {
  int64_t max_seq_length = 128;  // DataArguments::max_seq_length
  unsigned threads = 0;          // tokenizer threads; 0: all cores
};

// The max_length the tokenizer is called with (min with its model_max_length, if known).
int64_t effective_max_length(const tokenize::Tokenizer& tokenizer, const EncodeSettings& settings);

// Tokenizes every row on `settings.threads` threads. Throws DataError naming file:line for a
// text the tokenizer rejects.
EncodedDataset encode_examples(const Examples& examples, const tokenize::Tokenizer& tokenizer,
                               const EncodeSettings& settings);

}  // namespace hft::data
