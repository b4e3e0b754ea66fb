// Old key names that recipes written for earlier `transformers` releases still use. Each is
// rewritten to its current key with a one-line deprecation warning naming the new key.
#pragma once

#include <string>
#include <vector>

#include "hft/config/config_error.h"  // ConfigError
#include "hft/config/raw_value.h"     // RawEntry

namespace hft::config {

// Rewrites renamed keys in place; appends one warning per rewrite and an error where a value
// cannot be carried over (a warmup_ratio of 1 or more, say).
void rewrite_renamed_keys(std::vector<RawEntry>& entries, std::vector<std::string>& warnings,
                          std::vector<ConfigError>& errors);

}  // namespace hft::config
