// Errors a user can make in a recipe, each pointing at where it was made.
#pragma once

#include <string>
#include <vector>

#include "hft/error.h"  // BadInput

namespace hft::config {

// Where a value came from: a recipe file position, a command-line argument, an environment
// variable, or nowhere (default).
struct Origin {
  enum class Kind { kDefault, kFile, kCommandLine, kDerived, kEnvironment };
  Kind kind = Kind::kDefault;
  std::string file;  // kFile: the recipe path; kCommandLine: the argument as typed; kEnvironment: its name
  int line = 0;      // kFile: 1-based line; 0 for the file as a whole
  int column = 0;    // kFile: 1-based column

  // "recipe.yaml:12:3", "recipe.yaml", "command line `--seed=3`", "environment variable HFT_CACHE",
  // "default", "derived".
  std::string where() const;
  // "default", "file", "command line", "derived", "environment".
  std::string source_name() const;
};

// One mistake: `where: key: what is wrong (got X); expected Y`.
struct ConfigError {
  Origin origin;
  std::string key;
  std::string problem;   // "unknown key", "not a number", ...
  std::string got;       // the offending value as written; may be empty
  std::string expected;  // what would be right; may be empty

  std::string message() const;
};

// All the mistakes found in one recipe, raised together.
class ConfigErrors : public BadInput {
 public:
  explicit ConfigErrors(std::vector<ConfigError> errors);
  const std::vector<ConfigError>& errors() const { return errors_; }

 private:
  std::vector<ConfigError> errors_;
};

}  // namespace hft::config
