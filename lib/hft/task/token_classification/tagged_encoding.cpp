#include "hft/task/token_classification/tagged_encoding.h"

#include "hft/data/data_error.h"          // DataError
#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/tokenizer.h"       // Tokenizer

namespace hft::task {

std::vector<int32_t> aligned_labels(std::span<const int32_t> word_ids, const std::vector<int32_t>& word_tags,
                                    const TagAlignment& alignment) {
  std::vector<int32_t> labels;
  labels.reserve(word_ids.size());
  int32_t previous = -1;
  for (const int32_t word : word_ids) {
    if (word < 0) labels.push_back(kNoLabel);
    else if (word != previous) labels.push_back(word_tags[word]);
    else labels.push_back(alignment.label_all_tokens ? alignment.b_to_i[word_tags[word]] : kNoLabel);
    previous = word;  // run_ner compares with the previous token's word id, None included
  }
  return labels;
}

data::EncodedDataset encode_tagged(const TaggedSentences& sentences, const std::vector<std::vector<int32_t>>* tag_ids,
                                   const tokenize::Tokenizer& tokenizer, int64_t max_length,
                                   const TagAlignment& alignment, unsigned threads) {
  tokenize::EncodeOptions options;
  options.max_length = static_cast<size_t>(max_length);
  std::vector<tokenize::Encoding> encodings;
  try {
    encodings = tokenizer.encode_words_batch(sentences.words, options, threads);
  } catch (const tokenize::TokenizeError& error) {
    const int64_t line = error.index() ? sentences.lines[*error.index()] : 0;
    throw data::DataError(sentences.file, line, "cannot tokenize: " + error.unindexed());
  }
  data::EncodedDataset out;
  out.has_labels = tag_ids != nullptr;
  for (size_t s = 0; s < encodings.size(); ++s) {
    const tokenize::Encoding& e = encodings[s];
    out.input_ids.insert(out.input_ids.end(), e.input_ids.begin(), e.input_ids.end());
    for (size_t i = 0; i < e.size(); ++i)
      out.token_type_ids.push_back(i < e.token_type_ids.size() ? static_cast<uint8_t>(e.token_type_ids[i]) : 0);
    out.word_ids.insert(out.word_ids.end(), e.word_ids.begin(), e.word_ids.end());
    if (tag_ids) {
      const std::vector<int32_t> labels = aligned_labels(e.word_ids, (*tag_ids)[s], alignment);
      out.token_labels.insert(out.token_labels.end(), labels.begin(), labels.end());
    }
    out.offsets.push_back(static_cast<int64_t>(out.input_ids.size()));
  }
  return out;
}

}  // namespace hft::task
