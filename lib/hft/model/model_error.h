// A problem with a model folder the user pointed at: a missing or malformed config.json, a
// weights file that is not what it claims, a tensor whose shape differs from the config.
#pragma once

#include <stdexcept>
#include <string>

namespace hft::model {

class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hft::model
