#include "failpoints.h"

#include <signal.h>  // kill, SIGKILL
#include <unistd.h>  // getpid

#include <charconv>  // from_chars
#include <cstdlib>   // getenv
#include <cstring>   // strlen
#include <memory>

namespace hft::app {

Failpoints read_failpoints() {
  Failpoints failpoints;
  if (const char* nth = std::getenv("HFT_TEST_KILL_DURING_SAVE"))
    std::from_chars(nth, nth + std::strlen(nth), failpoints.kill_during_save);  // not a number: off
  return failpoints;
}

std::function<void()> before_manifest(const Failpoints& failpoints) {
  if (failpoints.kill_during_save <= 0) return {};
  auto saves = std::make_shared<int>(0);
  return [saves, nth = failpoints.kill_during_save] {
    if (++*saves == nth) ::kill(::getpid(), SIGKILL);
  };
}

}  // namespace hft::app
