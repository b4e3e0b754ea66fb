#include "hft/task/multiple_choice/choice_encoding.h"

#include "hft/data/data_error.h"          // DataError
#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/tokenizer.h"       // Tokenizer

namespace hft::task {

data::EncodedDataset encode_choices(const ChoiceExamples& examples, const tokenize::Tokenizer& tokenizer,
                                    int64_t max_length, unsigned threads) {
  std::vector<std::string> first;  // [rows * N]: each context once per choice, as run_swag repeats it
  first.reserve(examples.second.size());
  for (const std::string& context : examples.contexts) first.insert(first.end(), examples.choices, context);
  tokenize::EncodeOptions options;
  options.max_length = static_cast<size_t>(max_length);
  std::vector<tokenize::Encoding> encodings;
  try {
    encodings = tokenizer.encode_batch(first, &examples.second, options, threads);
  } catch (const tokenize::TokenizeError& error) {
    const int64_t line = error.index() ? examples.lines[*error.index() / examples.choices] : 0;
    throw data::DataError(examples.file, line, "cannot tokenize: " + error.unindexed());
  }
  data::EncodedDataset out;
  out.sequences_per_row = examples.choices;
  for (const tokenize::Encoding& e : encodings) {
    out.input_ids.insert(out.input_ids.end(), e.input_ids.begin(), e.input_ids.end());
    for (size_t i = 0; i < e.size(); ++i)
      out.token_type_ids.push_back(i < e.token_type_ids.size() ? static_cast<uint8_t>(e.token_type_ids[i]) : 0);
    out.offsets.push_back(static_cast<int64_t>(out.input_ids.size()));
  }
  out.has_labels = !examples.labels.empty();
  out.label_ids = examples.labels;
  return out;
}

}  // namespace hft::task
