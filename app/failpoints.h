// Failpoints: moments at which a test asks hft to die as a power cut or the OOM killer would,
// to check what such a crash leaves behind. main reads them once, from the environment, at
// start-up: the only place hft reads a variable meant for tests. Unset, every one is off.
#pragma once

#include <functional>

namespace hft::app {

struct Failpoints {
  // HFT_TEST_KILL_DURING_SAVE=N: the N-th checkpoint this process writes ends in SIGKILL once its
  // files are in the temporary folder and before its manifest. From outside, a test cannot hit
  // that moment reliably: the writes of a small model take milliseconds.
  int kill_during_save = 0;
};

Failpoints read_failpoints();

// What runs between a checkpoint's files and its manifest (RunHooks::before_manifest): SIGKILL
// in save number `failpoints.kill_during_save`; nothing when that is 0.
std::function<void()> before_manifest(const Failpoints& failpoints);

}  // namespace hft::app
