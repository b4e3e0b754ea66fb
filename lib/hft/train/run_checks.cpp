#include "hft/train/run_checks.h"

#include <algorithm>

#include "hft/model/architecture.h"  // Architecture::sizes: InputLimits
#include "hft/model/model_error.h"

namespace hft::train {
namespace {

using model::ModelError;

// Each encoded split with the file it came from.
struct NamedSplit {
  const data::EncodedDataset* split;
  std::string file;
};

std::vector<NamedSplit> named_splits(const data::Splits& splits, const config::DataArguments& data) {
  std::vector<NamedSplit> out;
  auto add = [&](const std::optional<data::EncodedDataset>& split, const std::optional<std::string>& file, const char* key) {
    if (split) out.push_back({&*split, file.value_or(key)});
  };
  add(splits.train, data.train_file, "train_file");
  add(splits.validation, data.validation_file, "validation_file");
  add(splits.test, data.test_file, "test_file");
  return out;
}

std::string key_text(const model::SizeKey& key) { return key.key + ": " + std::to_string(key.value); }

// The tokenizer's vocabulary with its added tokens (len(tokenizer) in transformers), then every id
// the splits hold (a vocabulary may skip ids): each id must have a row in the embeddings.
void check_vocabulary(const model::SizeKey& vocab, const RunSetup& s, const std::vector<NamedSplit>& splits,
                      const std::string& config_path) {
  const std::string resize = " (a tokenizer with added tokens needs the model's embeddings resized: "
                             "model.resize_token_embeddings(len(tokenizer)), then save_pretrained)";
  const auto tokens = static_cast<int64_t>(s.tokenizer->vocab_size());
  if (tokens > vocab.value)
    throw ModelError(config_path + ": " + key_text(vocab) + ", but the tokenizer (" + s.tokenizer->source() + ") has " +
                     std::to_string(tokens) + " tokens; expected " + vocab.key + " of at least " +
                     std::to_string(tokens) + resize);
  for (const auto& [split, file] : splits) {
    const auto largest = std::max_element(split->input_ids.begin(), split->input_ids.end());
    if (largest == split->input_ids.end() || *largest < vocab.value) continue;
    throw ModelError(config_path + ": " + key_text(vocab) + ", but the tokenizer (" + s.tokenizer->source() +
                     ") gives the rows of " + file + " the token id " + std::to_string(*largest) + " (`" +
                     s.tokenizer->id_to_token(*largest).value_or("?") + "`); expected " + vocab.key +
                     " above every id the tokenizer gives" + resize);
  }
}

// Learned positions: the longest batch (rows padded as the collator pads them) must have one.
void check_lengths(const model::PositionLimit& positions, const RunSetup& s, const std::vector<NamedSplit>& splits,
                   const std::string& config_path) {
  for (const auto& [split, file] : splits) {
    const int64_t length = data::padded_length(split->longest_sequence(), s.padding);
    if (length <= positions.max_tokens) continue;
    const int64_t multiple = std::max<int64_t>(s.padding.pad_to_multiple_of, 1);
    const std::string limit = positions.max_tokens == positions.key.value
                                  ? ""
                                  : " (positions count from pad_token_id + 1: rows of at most " +
                                        std::to_string(positions.max_tokens) + " tokens)";
    throw ModelError(config_path + ": " + key_text(positions.key) + limit + ", but " + file + " makes batches of " +
                     std::to_string(length) + " tokens (max_seq_length " + std::to_string(s.padding.max_length) +
                     (s.padding.pad_to_max_length ? ", pad_to_max_length" : "") + "); expected max_seq_length: " +
                     std::to_string(positions.max_tokens / multiple * multiple) + " or less");
  }
}

void check_token_types(const model::SizeKey& types, const std::vector<NamedSplit>& splits, const std::string& config_path) {
  for (const auto& [split, file] : splits) {
    const auto largest = std::max_element(split->token_type_ids.begin(), split->token_type_ids.end());
    if (largest == split->token_type_ids.end() || *largest < types.value) continue;
    throw ModelError(config_path + ": " + key_text(types) + ", but the rows of " + file +
                     " are text pairs (token type ids up to " + std::to_string(*largest) + "); expected " + types.key +
                     ": " + std::to_string(*largest + 1) + ", or one text column (text_column_names)");
  }
}

}  // namespace

void check_model_fits_inputs(const RunSetup& s, const config::Recipe& recipe) {
  const model::ModelConfig& config = s.model.config;
  const model::InputLimits limits = s.model.architecture->sizes(config).inputs;
  const std::vector<NamedSplit> splits = named_splits(s.splits, recipe.data);
  check_vocabulary(limits.vocab, s, splits, config.path);
  if (limits.positions) check_lengths(*limits.positions, s, splits, config.path);
  if (limits.token_types) check_token_types(*limits.token_types, splits, config.path);
  const auto& data = recipe.data;
  const std::string label_file = data.train_file.value_or(data.validation_file.value_or(data.test_file.value_or("the data")));
  s.task->check_labels_fit(config, s.splits.labels, label_file);
}

}  // namespace hft::train
