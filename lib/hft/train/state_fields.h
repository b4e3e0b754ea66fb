// Reading the fields of a checkpoint's JSON state files (trainer_state.json, hft_loop_state.json)
// with their types checked: a field of the wrong type or out of range is a CheckpointError naming
// the file and the key, never a JSON library exception or a value the loop cannot use.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace hft::train {

class StateFields {
 public:
  // Throws CheckpointError when `value` is not a JSON object.
  StateFields(const nlohmann::json& value, std::string file);

  // A whole number, 0 or more; `fallback` when the key is absent (nullopt: it must be there).
  int64_t count(const char* key, std::optional<int64_t> fallback) const;
  // Any number; `fallback` when absent.
  double number(const char* key, double fallback) const;
  // null or absent: nullopt.
  std::optional<double> optional_number(const char* key) const;
  std::optional<int64_t> optional_count(const char* key) const;
  std::optional<std::string> optional_string(const char* key) const;
  // The value itself, required to be an array (or an object) when present.
  const nlohmann::json* array(const char* key) const;
  const nlohmann::json* object(const char* key) const;

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

 private:
  const nlohmann::json* find(const char* key) const;  // nullptr when absent

  const nlohmann::json& value_;
  std::string file_;
};

}  // namespace hft::train
