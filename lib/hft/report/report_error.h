// A report that cannot be made from the folders given: one line naming the file and what was
// expected (bad input: the program exits with 2).
#pragma once

#include "hft/error.h"  // BadInput

namespace hft::report {

struct ReportError : BadInput {
  using BadInput::BadInput;
};

}  // namespace hft::report
