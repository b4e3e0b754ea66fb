// An output file named on the command line (predict --output, tokenize --output), checked before
// any work is done, so that a run never replaces a file it reads or fails only at its end.
#pragma once

#include <string>
#include <vector>

#include "hft/config/output_paths.h"  // InputFile

namespace hft::app {

// Throws ConfigErrors naming `--output PATH` when the file cannot be written there or is one of
// `inputs` (compared as resolved files: `./x`, symbolic and hard links count).
void check_output_argument(const std::string& path, const std::vector<config::InputFile>& inputs);

}  // namespace hft::app
