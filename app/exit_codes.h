// hft's exit codes: what a calling shell script can rely on.
#pragma once

#include "hft/error.h"  // ExitCode: the codes of hft's errors

namespace hft::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntimeFailure = static_cast<int>(ExitCode::kRunFailure);
inline constexpr int kExitBadInput = static_cast<int>(ExitCode::kBadInput);
inline constexpr int kExitSignalBase = 128;    // interrupted: 128 + signal (130 SIGINT, 143 SIGTERM)

}  // namespace hft::app
