#include "hft/checkpoint/rotation.h"

#include <algorithm>
#include <filesystem>

#include "hft/checkpoint/manifest.h"  // checkpoint_problem

namespace hft::checkpoint {
namespace {

namespace fs = std::filesystem;

bool same_folder(const std::string& a, const std::optional<std::string>& b) {
  std::error_code ec;
  return b && fs::equivalent(a, *b, ec);
}

// checkpoint-<digits> with more digits than a step can have.
bool is_out_of_range_name(const std::string& name) {
  const std::string digits = name.substr(std::string("checkpoint-").size());
  return !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos && !checkpoint_step(name);
}

// The complete checkpoints under output_dir, oldest first; the other checkpoint-<digits> folders
// go to `left_alone` with the reason.
std::vector<std::string> complete_checkpoints(const std::string& output_dir, const std::vector<std::string>& required,
                                              Rotation& rotation) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(output_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("checkpoint-") && is_out_of_range_name(name) && entry.is_directory(ec))
      rotation.left_alone.push_back({entry.path().string(), "its number is larger than any step"});
  }
  std::vector<std::string> complete;
  for (const auto& folder : list_checkpoints(output_dir)) {
    if (auto problem = checkpoint_problem(folder, required, /*check_hashes=*/false))
      rotation.left_alone.push_back({folder, *problem});
    else
      complete.push_back(folder);
  }
  return complete;
}

// Renamed away first, so a run killed while deleting never leaves a half-deleted checkpoint-N
// (only a temporary folder, which the next run removes).
void delete_checkpoint(const std::string& folder, Rotation& rotation) {
  const fs::path doomed(folder);
  const fs::path away = doomed.parent_path() / (kTemporaryPrefix + std::string("deleted-") + doomed.filename().string());
  std::error_code ec;
  fs::rename(doomed, away, ec);
  if (!ec) fs::remove_all(away, ec);
  if (ec) rotation.left_alone.push_back({folder, "could not be deleted: " + ec.message()});
  else rotation.deleted.push_back(folder);
}

}  // namespace

Rotation rotate_checkpoints(const std::string& output_dir, int64_t limit, const std::optional<std::string>& keep,
                            const std::vector<std::string>& required) {
  Rotation rotation;
  std::vector<std::string> checkpoints = complete_checkpoints(output_dir, required, rotation);
  // As the Trainer does: the best checkpoint counts as the newest, and a limit of 1 keeps both
  // it and the last one, so that resuming from the last stays possible.
  auto best = std::find_if(checkpoints.begin(), checkpoints.end(), [&](const std::string& p) { return same_folder(p, keep); });
  if (best != checkpoints.end()) {
    if (limit == 1 && best + 1 != checkpoints.end()) limit = 2;
    std::rotate(best, best + 1, checkpoints.end());
  }
  const int64_t surplus = static_cast<int64_t>(checkpoints.size()) - limit;
  for (int64_t i = 0; i < surplus; ++i) delete_checkpoint(checkpoints[i], rotation);
  return rotation;
}

}  // namespace hft::checkpoint
