// Reading tokenizer JSON files with errors that name the file and the JSON path of the value
// ("tokenizer.json: normalizer.lowercase: expected true or false").
#pragma once

#include <nlohmann/json.hpp>  // nlohmann::json

#include <optional>
#include <string>

namespace hft::tokenize {

// Parses `path`; throws TokenizeError when it is missing, unreadable or not JSON.
nlohmann::json read_json_file(const std::string& path);

// A token id in a file: an integer from 0 to kMaxTokenId (vocab.h).
bool is_token_id(const nlohmann::json& id);

// A value at `path_in_file` (for messages) inside a JSON document read from `file`.
struct JsonAt {
  const nlohmann::json& value;
  std::string file;
  std::string path;

  // Member `key`, or nullptr when it is absent or null.
  const nlohmann::json* find(const std::string& key) const;
  JsonAt at(const std::string& key) const;  // throws when absent
  JsonAt child(const std::string& key, const nlohmann::json& v) const {
    return {v, file, path.empty() ? key : path + "." + key};
  }
  bool get_bool(const std::string& key, bool fallback) const;
  std::optional<bool> get_optional_bool(const std::string& key) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  int64_t get_int(const std::string& key, int64_t fallback) const;
  [[noreturn]] void fail(const std::string& message) const;
};

}  // namespace hft::tokenize
