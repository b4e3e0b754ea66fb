// Where the model oracle (tests/oracle/model_fixtures.py) left its models and expected values.
// CTest runs the oracle once before these tests (a fixture); run by hand, the folder is made
// on first use.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace hft::testing {

inline std::string model_oracle_dir() {
  const std::string dir = HFT_BINARY_DIR "/oracle/models";
  if (!std::filesystem::exists(dir + "/minilm/expected.safetensors")) {
    const std::string command = std::string(HFT_PYTHON) + " " + HFT_SOURCE_DIR "/tests/oracle/model_fixtures.py " + dir;
    if (std::system(command.c_str()) != 0) throw std::runtime_error("the model oracle failed: " + command);
  }
  return dir;
}

}  // namespace hft::testing
