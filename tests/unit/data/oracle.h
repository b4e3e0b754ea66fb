// Running a tests/oracle script with the reference-stack Python (HFT_PYTHON) from a unit test.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace hft::testing {

inline std::string source_path(const std::string& relative) { return std::string(HFT_SOURCE_DIR) + "/" + relative; }

// The GLUE data in the repository (data/glue, provenance in data/MANIFEST.md).
inline std::string glue_path(const std::string& relative) { return source_path("data/glue/" + relative); }

// Runs `python tests/oracle/<script> <args...>`; fails the test when it exits non-zero.
inline void run_oracle(const std::string& script, const std::vector<std::string>& args) {
  std::string command = std::string("'") + HFT_PYTHON + "' '" + source_path("tests/oracle/" + script) + "'";
  for (const std::string& arg : args) command += " '" + arg + "'";
  INFO("oracle command: " << command);
  REQUIRE(std::system(command.c_str()) == 0);
}

// One JSON value per line of `path`.
inline std::vector<nlohmann::json> read_json_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> values;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) values.push_back(nlohmann::json::parse(line));
  return values;
}

inline void write_json(const std::string& path, const nlohmann::json& value) { std::ofstream(path) << value.dump(); }

}  // namespace hft::testing
