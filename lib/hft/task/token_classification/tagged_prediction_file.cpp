#include "hft/task/token_classification/tagged_prediction_file.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <stdexcept>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/task/task.h"               // is_prediction_file

namespace hft::task {
namespace {

// The tag of each word that has a first piece in the sentence's tokens.
std::vector<std::string> word_tags(const float* tags, const data::EncodedDataset& split, int64_t row,
                                   const std::vector<std::string>& labels) {
  std::vector<std::string> out;
  int32_t previous = -1;
  for (int64_t t = split.offsets[row]; t < split.offsets[row + 1]; ++t) {
    const int32_t word = split.word_ids[t];
    if (word >= 0 && word != previous) out.push_back(labels[static_cast<int64_t>(tags[t - split.offsets[row]])]);
    previous = word;
  }
  return out;
}

std::string joined(const std::vector<std::string>& items, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += (i ? " " : "") + items[i];
  return out;
}

}  // namespace

int64_t write_tagged_predictions(const std::string& path, const torch::Tensor& token_tags, const data::EncodedDataset& split,
                                 const TaggedSentences& sentences, const std::vector<std::string>& labels) {
  if (!is_prediction_file(path)) throw std::invalid_argument(path + ": predictions are written as .tsv or .jsonl");
  const torch::Tensor host = token_tags.to(torch::kFloat32).cpu().contiguous();
  const bool tsv = std::filesystem::path(path).extension() == ".tsv";
  std::string text = tsv ? "index\ttokens\tner_tags\n" : "";
  int64_t cut = 0;
  for (int64_t row = 0; row < split.size(); ++row) {
    const std::vector<std::string> tags = word_tags(host.data_ptr<float>() + row * host.size(1), split, row, labels);
    const std::vector<std::string>& words = sentences.words[row];
    cut += tags.size() < words.size() ? 1 : 0;
    if (tsv) {
      text += std::to_string(row) + "\t" + joined(words, tags.size()) + "\t" + joined(tags, tags.size()) + "\n";
      continue;
    }
    const std::vector<std::string> seen(words.begin(), words.begin() + static_cast<int64_t>(tags.size()));
    text += nlohmann::ordered_json{{"index", row}, {"tokens", seen}, {"ner_tags", tags}}.dump() + "\n";
  }
  checkpoint::write_file_atomically(path, text);
  return cut;
}

}  // namespace hft::task
