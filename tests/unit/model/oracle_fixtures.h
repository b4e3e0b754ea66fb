// Where the model oracle (tests/oracle/model_fixtures.py) left its models and expected values.
// CTest runs the oracle once before these tests (a fixture); run by hand, the folder is made
// on first use, and made again when the oracle script is newer than what it wrote.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace hft::testing {

inline std::string model_oracle_dir() {
  namespace fs = std::filesystem;
  const std::string dir = HFT_BINARY_DIR "/oracle/models";
  const std::string last_written = dir + "/minilm/expected.safetensors";
  const std::string script = HFT_SOURCE_DIR "/tests/oracle/model_fixtures.py";
  if (!fs::exists(last_written) || fs::last_write_time(last_written) < fs::last_write_time(script)) {
    const std::string command = std::string(HFT_PYTHON) + " " + HFT_SOURCE_DIR "/tests/oracle/model_fixtures.py " + dir;
    if (std::system(command.c_str()) != 0) throw std::runtime_error("the model oracle failed: " + command);
  }
  return dir;
}

}  // namespace hft::testing
