// A checkpoint or output_dir that cannot be used: one line naming the folder or file and what is
// wrong (bad input: exit 2).
#pragma once

#include "hft/error.h"  // BadInput

namespace hft::train {

struct CheckpointError : BadInput {
  using BadInput::BadInput;
};

}  // namespace hft::train
