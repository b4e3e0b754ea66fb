#include "hft/checkpoint/checkpoint_folder.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>  // from_chars
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "hft/checkpoint/manifest.h"  // write_manifest, has_manifest

namespace hft::checkpoint {
namespace {

namespace fs = std::filesystem;

// A rename is durable only once the folder holding the entry is flushed.
void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::optional<int64_t> checkpoint_step(const std::string& folder) {
  static const std::regex pattern("checkpoint-([0-9]+)");
  std::smatch match;
  const std::string name = fs::path(folder).filename().string();
  if (!std::regex_match(name, match, pattern)) return std::nullopt;
  int64_t step = 0;
  const std::string digits = match[1].str();
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), step);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;  // beyond int64: not a step
  return step;
}

std::string checkpoint_path(const std::string& output_dir, int64_t global_step) {
  return (fs::path(output_dir) / ("checkpoint-" + std::to_string(global_step))).string();
}

std::vector<std::string> list_checkpoints(const std::string& output_dir) {
  std::vector<std::pair<int64_t, std::string>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(output_dir, ec))
    if (auto step = checkpoint_step(entry.path().string()); step && entry.is_directory(ec))
      found.emplace_back(*step, entry.path().string());
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [step, path] : found) out.push_back(std::move(path));
  return out;
}

LatestCheckpoint latest_complete_checkpoint(const std::string& output_dir, const ProblemOf& problem_of) {
  const std::vector<std::string> checkpoints = list_checkpoints(output_dir);
  LatestCheckpoint latest;
  for (auto it = checkpoints.rbegin(); it != checkpoints.rend(); ++it) {
    if (auto problem = problem_of(*it)) {
      latest.passed_over.push_back({*it, *problem});
      continue;
    }
    latest.folder = *it;
    break;
  }
  return latest;
}

void remove_unfinished_saves(const std::string& output_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(output_dir, ec))
    if (entry.path().filename().string().starts_with(kTemporaryPrefix)) fs::remove_all(entry.path(), ec);
}

namespace {

// Renames `target` to "kept-<name>" (then "kept-<name>.2", ...) when it exists and has no
// manifest, so that nothing of it is lost and nothing (hft, the Trainer, scripts matching
// checkpoint-N) takes it for a checkpoint; returns the new name.
std::optional<std::string> keep_unless_hft_wrote(const fs::path& target) {
  if (!fs::exists(target) || has_manifest(target.string())) return std::nullopt;
  const fs::path first = target.parent_path() / ("kept-" + target.filename().string());
  fs::path kept = first;
  for (int n = 2; fs::exists(kept); ++n) kept = first.string() + "." + std::to_string(n);
  fs::rename(target, kept);
  return kept.string();
}

}  // namespace

std::optional<std::string> write_checkpoint_folder(const std::string& folder,
                                                   const std::function<void(const std::string&)>& write_contents,
                                                   const std::function<void()>& before_manifest) {
  const fs::path target(folder);
  const fs::path temporary = target.parent_path() / (kTemporaryPrefix + std::to_string(::getpid()) + "-" + target.filename().string());
  fs::remove_all(temporary);
  fs::create_directories(temporary);
  try {
    write_contents(temporary.string());
    if (before_manifest) before_manifest();
    write_manifest(temporary.string());
    sync_folder(temporary);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temporary, ignored);
    throw;
  }
  // A folder of that name that hft did not write (or whose manifest is gone) is kept under another name.
  const std::optional<std::string> kept = keep_unless_hft_wrote(target);
  // An older checkpoint of the same step (a rerun over it) moves aside until the new one is in place.
  const fs::path replaced = target.parent_path() / (kTemporaryPrefix + std::string("replaced-") + target.filename().string());
  std::error_code ec;
  fs::remove_all(replaced, ec);
  if (fs::exists(target)) fs::rename(target, replaced);
  fs::rename(temporary, target);
  sync_folder(target.parent_path());
  fs::remove_all(replaced, ec);
  return kept;
}

}  // namespace hft::checkpoint
