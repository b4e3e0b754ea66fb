#include "hft/task/task.h"

#include <filesystem>

namespace hft::task {

bool is_prediction_file(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".tsv" || ext == ".jsonl";
}

}  // namespace hft::task
