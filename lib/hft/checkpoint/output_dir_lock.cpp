#include "hft/checkpoint/output_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>  // flock
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>  // atoll
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "hft/error.h"  // RunFailure

namespace hft::checkpoint {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw RunFailure(what + " " + path + ": " + std::strerror(errno));
}

// The pid the holder wrote into the file; 0 when there is none yet.
int64_t pid_in(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
  return n > 0 ? std::atoll(text) : 0;
}

// Whether `fd` is still the file at `path`: a holder that ended removes the file, so a lock taken
// on the file it removed is no lock at all.
bool still_at(int fd, const std::string& path) {
  struct stat opened {}, named {};
  return ::fstat(fd, &opened) == 0 && ::stat(path.c_str(), &named) == 0 && opened.st_dev == named.st_dev &&
         opened.st_ino == named.st_ino;
}

void write_pid(int fd) {
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
}

}  // namespace

std::optional<OutputDirLock> OutputDirLock::try_lock(const std::string& output_dir, int64_t& holder) {
  const std::string path = (std::filesystem::path(output_dir) / kLockFile).string();
  for (;;) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot create the lock file", path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      // A file system without locks: the run goes on unguarded rather than not at all.
      if (error == ENOLCK || error == EOPNOTSUPP || error == ENOSYS) return OutputDirLock(fd, path);
      holder = error == EWOULDBLOCK ? pid_in(fd) : 0;
      ::close(fd);
      if (error == EWOULDBLOCK) return std::nullopt;
      errno = error;
      fail("cannot lock", path);
    }
    if (still_at(fd, path)) {
      write_pid(fd);
      return OutputDirLock(fd, path);
    }
    ::close(fd);  // the holder removed it between our open and our lock: take the new one
  }
}

OutputDirLock::OutputDirLock(OutputDirLock&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

OutputDirLock& OutputDirLock::operator=(OutputDirLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

OutputDirLock::~OutputDirLock() { release(); }

void OutputDirLock::release() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());  // while still holding it: no one can lock the removed file and believe it theirs
  ::close(fd_);
  fd_ = -1;
}

}  // namespace hft::checkpoint
