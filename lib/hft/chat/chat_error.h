// A chat template that cannot be found, read, parsed or rendered. The message names the file
// (and the template's line) and what would be right; app/ maps it to exit code 2 (bad input).
#pragma once

#include "hft/error.h"  // BadInput

namespace hft::chat {

struct ChatTemplateError : BadInput {
  using BadInput::BadInput;
};

}  // namespace hft::chat
