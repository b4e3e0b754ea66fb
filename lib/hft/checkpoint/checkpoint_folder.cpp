#include "hft/checkpoint/checkpoint_folder.h"

#include <fcntl.h>
#include <signal.h>  // kill, SIGKILL
#include <unistd.h>

#include <algorithm>
#include <cstdlib>  // getenv, atoi
#include <filesystem>
#include <regex>

#include "hft/checkpoint/manifest.h"  // write_manifest, checkpoint_problem

namespace hft::checkpoint {
namespace {

namespace fs = std::filesystem;

std::optional<int64_t> step_of(const fs::path& folder) {
  static const std::regex pattern("checkpoint-([0-9]+)");
  std::smatch match;
  const std::string name = folder.filename().string();
  if (!std::regex_match(name, match, pattern)) return std::nullopt;
  return std::stoll(match[1].str());
}

constexpr const char* kTemporaryPrefix = ".tmp-checkpoint-";

// A rename is durable only once the folder holding the entry is flushed.
void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string checkpoint_path(const std::string& output_dir, int64_t global_step) {
  return (fs::path(output_dir) / ("checkpoint-" + std::to_string(global_step))).string();
}

std::vector<std::string> list_checkpoints(const std::string& output_dir) {
  std::vector<std::pair<int64_t, std::string>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(output_dir, ec))
    if (auto step = step_of(entry.path()); step && entry.is_directory()) found.emplace_back(*step, entry.path().string());
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [step, path] : found) out.push_back(std::move(path));
  return out;
}

std::optional<std::string> latest_complete_checkpoint(const std::string& output_dir) {
  const std::vector<std::string> checkpoints = list_checkpoints(output_dir);
  for (auto it = checkpoints.rbegin(); it != checkpoints.rend(); ++it)
    if (!checkpoint_problem(*it)) return *it;
  return std::nullopt;
}

void remove_unfinished_saves(const std::string& output_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(output_dir, ec))
    if (entry.path().filename().string().starts_with(kTemporaryPrefix)) fs::remove_all(entry.path(), ec);
}

namespace {

// A failpoint for the tests: with HFT_TEST_KILL_DURING_SAVE=N in the environment, the N-th
// checkpoint this process writes ends in SIGKILL once its files are in the temporary folder and
// before its manifest, as a power cut or the OOM killer would end it. From outside, a test
// cannot hit that moment reliably: the writes of a small model take milliseconds.
void die_here_if_a_test_asks() {
  static int saves = 0;
  const char* nth = std::getenv("HFT_TEST_KILL_DURING_SAVE");
  if (nth && ++saves == std::atoi(nth)) ::kill(::getpid(), SIGKILL);
}

}  // namespace

void write_checkpoint_folder(const std::string& folder, const std::function<void(const std::string&)>& write_contents) {
  const fs::path target(folder);
  const fs::path temporary = target.parent_path() / (kTemporaryPrefix + std::to_string(::getpid()) + "-" + target.filename().string());
  fs::remove_all(temporary);
  fs::create_directories(temporary);
  try {
    write_contents(temporary.string());
    die_here_if_a_test_asks();
    write_manifest(temporary.string());
    sync_folder(temporary);
  } catch (...) {
    fs::remove_all(temporary);
    throw;
  }
  // An older checkpoint of the same step (a rerun over it) moves aside until the new one is in place.
  const fs::path replaced = target.parent_path() / (kTemporaryPrefix + std::string("replaced-") + target.filename().string());
  std::error_code ec;
  fs::remove_all(replaced, ec);
  if (fs::exists(target)) fs::rename(target, replaced);
  fs::rename(temporary, target);
  sync_folder(target.parent_path());
  fs::remove_all(replaced, ec);
}

std::vector<std::string> rotate_checkpoints(const std::string& output_dir, int64_t limit,
                                            const std::optional<std::string>& keep) {
  std::vector<std::string> checkpoints = list_checkpoints(output_dir);
  // As the Trainer does: the best checkpoint counts as the newest, and a limit of 1 keeps both
  // it and the last one, so that resuming from the last stays possible.
  auto best = std::find_if(checkpoints.begin(), checkpoints.end(),
                           [&](const std::string& path) { return keep && fs::equivalent(path, *keep); });
  if (best != checkpoints.end()) {
    if (limit == 1 && best + 1 != checkpoints.end()) limit = 2;
    std::rotate(best, best + 1, checkpoints.end());
  }
  std::vector<std::string> deleted;
  const int64_t surplus = static_cast<int64_t>(checkpoints.size()) - limit;
  for (int64_t i = 0; i < surplus; ++i) {
    // Renamed away first, so a run killed while deleting never leaves a half-deleted checkpoint-N
    // (only a temporary folder, which the next run removes).
    const fs::path doomed = fs::path(checkpoints[i]);
    const fs::path away = doomed.parent_path() / (kTemporaryPrefix + std::string("deleted-") + doomed.filename().string());
    fs::rename(doomed, away);
    fs::remove_all(away);
    deleted.push_back(checkpoints[i]);
  }
  return deleted;
}

}  // namespace hft::checkpoint
