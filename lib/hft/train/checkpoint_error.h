// A checkpoint or output_dir that cannot be used: one line naming the folder or file and what is
// wrong (bad input: exit 2).
#pragma once

#include <stdexcept>

namespace hft::train {

struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace hft::train
