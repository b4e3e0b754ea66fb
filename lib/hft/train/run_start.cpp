#include "hft/train/run_start.h"

#include <filesystem>

#include "hft/checkpoint/atomic_file.h"        // write_file_atomically
#include "hft/checkpoint/checkpoint_folder.h"  // remove_unfinished_saves
#include "hft/train/checkpoint_error.h"        // CheckpointError
#include "hft/train/resume_state.h"          // kRecipeFile

namespace hft::train {
namespace {

namespace fs = std::filesystem;

checkpoint::OutputDirLock lock_output_dir(const std::string& output_dir) {
  int64_t holder = 0;
  auto lock = checkpoint::OutputDirLock::try_lock(output_dir, holder);
  if (!lock)
    throw CheckpointError("output_dir: " + output_dir + " is in use by another hft train (" +
                          (holder > 0 ? "pid " + std::to_string(holder) : std::string("a process")) + ", holding " +
                          (fs::path(output_dir) / checkpoint::kLockFile).string() +
                          "); wait for it to end, or give this run another output_dir");
  return std::move(*lock);
}

// log.jsonl as `history`, one entry a line; not created when there is nothing to write.
void restart_log_jsonl(const fs::path& path, const std::vector<nlohmann::json>& history) {
  std::error_code ec;
  if (history.empty() && !fs::exists(path, ec)) return;
  std::string lines;
  for (const auto& entry : history) lines += entry.dump() + "\n";
  checkpoint::write_file_atomically(path.string(), lines);
}

}  // namespace

checkpoint::OutputDirLock start_output_dir(const std::string& output_dir, const std::string& recipe_yaml,
                                           const std::vector<nlohmann::json>& log_history) {
  const fs::path dir(output_dir);
  fs::create_directories(dir);
  checkpoint::OutputDirLock lock = lock_output_dir(output_dir);  // before touching anything another run may be writing
  checkpoint::remove_unfinished_saves(output_dir);
  checkpoint::write_file_atomically((dir / kRecipeFile).string(), recipe_yaml);
  restart_log_jsonl(dir / "log.jsonl", log_history);
  return lock;
}

}  // namespace hft::train
