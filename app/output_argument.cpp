#include "output_argument.h"

#include "hft/config/config_error.h"  // ConfigErrors

namespace hft::app {

void check_output_argument(const std::string& path, const std::vector<config::InputFile>& inputs) {
  const auto problem = config::output_file_problem(path, inputs);
  if (!problem) return;
  const config::Origin argument{config::Origin::Kind::kCommandLine, "--output " + path, 0, 0};
  throw config::ConfigErrors({config::ConfigError{argument, "", problem->problem, "", problem->expected}});
}

}  // namespace hft::app
