// hft's exit codes: what a calling shell script can rely on.
#pragma once

namespace hft::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntimeFailure = 1;  // the run failed for a reason that is not the input's
inline constexpr int kExitBadInput = 2;        // a recipe, argument or data file is wrong
inline constexpr int kExitSignalBase = 128;    // interrupted: 128 + signal (130 SIGINT, 143 SIGTERM)

}  // namespace hft::app
