// A problem with a model folder the user pointed at: a missing or malformed config.json, a
// weights file that is not what it claims, a tensor whose shape differs from the config.
#pragma once

#include "hft/error.h"  // BadInput

namespace hft::model {

class ModelError : public BadInput {
 public:
  using BadInput::BadInput;
};

}  // namespace hft::model
