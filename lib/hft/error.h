// The one family of errors hft reports to its user. Each is a message to print as it is (one
// line; ConfigErrors: one line per mistake) and the exit code it ends the program with; app's
// main catches hft::Error once. Anything else that escapes is a bug, reported as exit 1.
#pragma once

#include <stdexcept>
#include <string>

namespace hft {

enum class ExitCode : int {
  kRunFailure = 1,  // the run failed for a reason that is not the input's (a full disk, a NaN loss)
  kBadInput = 2,    // a recipe, argument, data file, model folder or checkpoint is wrong
};

class Error : public std::runtime_error {
 public:
  Error(const std::string& message, ExitCode code) : std::runtime_error(message), code_(code) {}
  ExitCode exit_code() const { return code_; }

 private:
  ExitCode code_;
};

// Bad input: the message names the file (and line) or key and says what would be right.
struct BadInput : Error {
  explicit BadInput(const std::string& message) : Error(message, ExitCode::kBadInput) {}
};

// A failure while running on good input: the message names what failed (a file, a rendezvous).
struct RunFailure : Error {
  explicit RunFailure(const std::string& message) : Error(message, ExitCode::kRunFailure) {}
};

}  // namespace hft
