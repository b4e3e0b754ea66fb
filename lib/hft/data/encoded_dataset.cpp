#include "hft/data/encoded_dataset.h"

#include <algorithm>

#include "hft/data/data_error.h"          // DataError
#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/tokenizer.h"       // Tokenizer

namespace hft::data {
namespace {

constexpr int64_t kChunkRows = 4096;  // rows encoded per encode_batch call (bounds peak memory)

std::vector<std::string> slice(const std::vector<std::string>& texts, int64_t begin, int64_t end) {
  return {texts.begin() + begin, texts.begin() + end};
}

void append(EncodedDataset& out, const tokenize::Encoding& encoding) {
  out.input_ids.insert(out.input_ids.end(), encoding.input_ids.begin(), encoding.input_ids.end());
  for (size_t i = 0; i < encoding.size(); ++i)
    out.token_type_ids.push_back(i < encoding.token_type_ids.size() ? uint8_t(encoding.token_type_ids[i]) : 0);
  out.offsets.push_back(static_cast<int64_t>(out.input_ids.size()));
}

// Finds the row of [begin, end) the tokenizer rejects and throws a DataError naming its line.
[[noreturn]] void throw_for_failing_row(const Examples& examples, const tokenize::Tokenizer& tokenizer,
                                        const tokenize::EncodeOptions& options, int64_t begin, int64_t end,
                                        const std::string& batch_error) {
  for (int64_t row = begin; row < end; ++row) {
    try {
      if (examples.second.empty()) tokenizer.encode(examples.first[row], options);
      else tokenizer.encode_pair(examples.first[row], examples.second[row], options);
    } catch (const tokenize::TokenizeError& error) {
      throw DataError(examples.file, examples.lines[row], std::string("cannot tokenize: ") + error.what());
    }
  }
  throw DataError(examples.file, examples.lines[begin], "cannot tokenize: " + batch_error);
}

// Encodes rows [begin, end); a tokenizer error names the row's line.
std::vector<tokenize::Encoding> encode_chunk(const Examples& examples, const tokenize::Tokenizer& tokenizer,
                                             const tokenize::EncodeOptions& options, unsigned threads,
                                             int64_t begin, int64_t end) {
  const std::vector<std::string> first = slice(examples.first, begin, end);
  const bool pairs = !examples.second.empty();
  const std::vector<std::string> second = pairs ? slice(examples.second, begin, end) : std::vector<std::string>{};
  try {
    return tokenizer.encode_batch(first, pairs ? &second : nullptr, options, threads);
  } catch (const tokenize::TokenizeError& error) {
    throw_for_failing_row(examples, tokenizer, options, begin, end, error.what());
  }
}

}  // namespace

int64_t EncodedDataset::longest_sequence() const {
  int64_t longest = 0;
  for (int64_t i = 0; i < sequences(); ++i) longest = std::max(longest, sequence_length(i));
  return longest;
}

std::vector<int64_t> EncodedDataset::lengths() const {
  std::vector<int64_t> out(size());
  for (int64_t i = 0; i < size(); ++i) out[i] = length(i);
  return out;
}

int64_t effective_max_length(const tokenize::Tokenizer& tokenizer, const EncodeSettings& settings) {
  const auto model_max = tokenizer.model_max_length();
  return model_max ? std::min<int64_t>(settings.max_seq_length, static_cast<int64_t>(*model_max))
                   : settings.max_seq_length;
}

EncodedDataset encode_examples(const Examples& examples, const tokenize::Tokenizer& tokenizer,
                               const EncodeSettings& settings) {
  tokenize::EncodeOptions options;
  options.max_length = static_cast<size_t>(effective_max_length(tokenizer, settings));
  EncodedDataset out;
  out.offsets.reserve(examples.size() + 1);
  for (int64_t begin = 0; begin < examples.size(); begin += kChunkRows) {
    const int64_t end = std::min(examples.size(), begin + kChunkRows);
    for (const auto& encoding : encode_chunk(examples, tokenizer, options, settings.threads, begin, end))
      append(out, encoding);
  }
  out.has_labels = examples.has_labels;
  out.multi_label_width = examples.multi_label_width;
  out.regression = examples.has_labels && examples.multi_label_width == 0 && examples.label_ids.empty();
  out.label_ids = examples.label_ids;
  out.targets = examples.targets;
  return out;
}

}  // namespace hft::data
