// Running a tests/oracle script with the reference-stack Python and reading its JSON output.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace hft::testing {

// Runs `tests/oracle/<script> <arguments>` and parses what it prints. Throws when it fails.
inline nlohmann::json run_oracle_json(const std::string& script, const std::string& arguments = "") {
  const std::string command = std::string(HFT_PYTHON) + " " + HFT_SOURCE_DIR + "/tests/oracle/" + script + " " +
                              arguments + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 65536> buffer{};
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe.get())) output.append(buffer.data(), n);
  const int status = pclose(pipe.release());
  if (status != 0) throw std::runtime_error("the oracle failed: " + command);
  return nlohmann::json::parse(output);
}

}  // namespace hft::testing
