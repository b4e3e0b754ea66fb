#include "hft/task/text_classification/prediction_file.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/task/task.h"               // is_prediction_file

namespace hft::task {
namespace {

std::string extension(const std::string& path) { return std::filesystem::path(path).extension().string(); }

std::string tsv(const torch::Tensor& logits, const std::vector<std::string>& labels, bool regression) {
  std::ostringstream out;
  out.precision(9);
  out << "index\tprediction";
  if (!regression)
    for (const auto& label : labels) out << "\tprobability_" << label;
  out << "\n";
  const torch::Tensor probabilities = torch::softmax(logits, -1).contiguous();
  const torch::Tensor predicted = logits.argmax(-1).contiguous();
  for (int64_t row = 0; row < logits.size(0); ++row) {
    out << row << "\t";
    if (regression) {
      out << logits[row][0].item<float>() << "\n";
      continue;
    }
    out << labels[predicted[row].item<int64_t>()];
    for (int64_t c = 0; c < logits.size(1); ++c) out << "\t" << probabilities[row][c].item<float>();
    out << "\n";
  }
  return out.str();
}

std::string jsonl(const torch::Tensor& logits, const std::vector<std::string>& labels, bool regression) {
  std::string out;
  const torch::Tensor probabilities = torch::softmax(logits, -1).contiguous();
  for (int64_t row = 0; row < logits.size(0); ++row) {
    nlohmann::json line = {{"index", row}};
    if (regression) {
      line["prediction"] = logits[row][0].item<float>();
    } else {
      const auto p = probabilities[row];
      line["prediction"] = labels[p.argmax().item<int64_t>()];
      line["probabilities"] = std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.size(0));
    }
    out += line.dump() + "\n";
  }
  return out;
}

}  // namespace

void write_classification_predictions(const std::string& path, const torch::Tensor& logits,
                                      const std::vector<std::string>& labels, bool regression) {
  if (!is_prediction_file(path)) throw std::invalid_argument(path + ": predictions are written as .tsv or .jsonl");
  const torch::Tensor cpu = logits.to(torch::kFloat32).cpu().contiguous();
  checkpoint::write_file_atomically(path, extension(path) == ".tsv" ? tsv(cpu, labels, regression)
                                                                      : jsonl(cpu, labels, regression));
}

}  // namespace hft::task
