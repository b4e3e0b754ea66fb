// Command-line overrides: `key=value`, `--key=value`, `--key value`, and `--flag` for a boolean
// key (true), as the Trainer's own argument parser accepts them.
#pragma once

#include <string>
#include <vector>

#include "hft/config/config_error.h"  // ConfigError
#include "hft/config/raw_value.h"     // RawEntry

namespace hft::config {

std::vector<RawEntry> parse_overrides(const std::vector<std::string>& tokens, std::vector<ConfigError>& errors);

}  // namespace hft::config
