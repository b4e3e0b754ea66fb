// One run at a time in an output_dir: an exclusive flock on output_dir/hft.lock, held while the
// run lasts (by rank 0: the lock is the run's, not each process's). The kernel releases it when
// the process ends in any way, SIGKILL included, so a killed run never blocks the next; the file
// holds the holder's pid, for the message of a run that finds it taken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hft::checkpoint {

inline constexpr const char* kLockFile = "hft.lock";

class OutputDirLock {
 public:
  // Takes the lock on `output_dir` (which must exist). nullopt when another process holds it, with
  // that process's pid in `holder` (0 if it has not written it yet). Throws std::runtime_error
  // naming the file when it cannot be created.
  static std::optional<OutputDirLock> try_lock(const std::string& output_dir, int64_t& holder);

  OutputDirLock(OutputDirLock&& other) noexcept;
  OutputDirLock& operator=(OutputDirLock&& other) noexcept;
  OutputDirLock(const OutputDirLock&) = delete;
  OutputDirLock& operator=(const OutputDirLock&) = delete;
  ~OutputDirLock();  // removes the lock file, then releases the lock

 private:
  OutputDirLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void release();

  int fd_ = -1;
  std::string path_;
};

}  // namespace hft::checkpoint
