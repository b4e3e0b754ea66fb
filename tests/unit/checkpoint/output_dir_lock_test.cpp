// One run at a time in an output_dir: a second lock fails naming the holder's pid; the kernel
// releases a lock when its process dies (a SIGKILLed run never blocks the next); a released lock
// leaves no file behind.
#include "hft/checkpoint/output_dir_lock.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>

#include "../test_files.h"

using namespace hft;

TEST_CASE("a second lock on an output_dir fails and names the holder's pid") {
  testing::ScratchDir scratch;
  int64_t holder = -1;
  auto first = checkpoint::OutputDirLock::try_lock(scratch.path(), holder);
  REQUIRE(first);
  auto second = checkpoint::OutputDirLock::try_lock(scratch.path(), holder);  // another open file: flock conflicts
  CHECK_FALSE(second);
  CHECK(holder == ::getpid());
  first.reset();
  CHECK_FALSE(std::filesystem::exists(scratch.path(checkpoint::kLockFile)));
  CHECK(checkpoint::OutputDirLock::try_lock(scratch.path(), holder));
}

TEST_CASE("a lock whose process was killed is free, its file left behind") {
  testing::ScratchDir scratch;
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  if (child == 0) {  // takes the lock, says so, waits to be killed
    int64_t ignored = 0;
    auto lock = checkpoint::OutputDirLock::try_lock(scratch.path(), ignored);
    char byte = lock ? 1 : 0;
    (void)!::write(ready[1], &byte, 1);
    ::pause();
    ::_exit(0);
  }
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  REQUIRE(byte == 1);
  int64_t holder = 0;
  CHECK_FALSE(checkpoint::OutputDirLock::try_lock(scratch.path(), holder));
  CHECK(holder == child);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK(std::filesystem::exists(scratch.path(checkpoint::kLockFile)));
  CHECK(checkpoint::OutputDirLock::try_lock(scratch.path(), holder));
  ::close(ready[0]);
  ::close(ready[1]);
}
