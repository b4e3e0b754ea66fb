// Writing a file so that readers see the old content or the new, never a half-written one:
// write a temporary file in the same folder, fsync it, rename it over the target.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace hft::checkpoint {

// Throws std::runtime_error naming the path and the system error when any step fails; the
// temporary file is removed then, and an existing target is left as it was.
void write_file_atomically(const std::string& path, const std::string& content);

// `value` as the Trainer writes its JSON files (indented by 2, a newline at the end), atomically.
inline void write_json_atomically(const std::string& path, const nlohmann::json& value) {
  write_file_atomically(path, value.dump(2) + "\n");
}

}  // namespace hft::checkpoint
