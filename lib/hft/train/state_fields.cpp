#include "hft/train/state_fields.h"

#include "hft/train/checkpoint_error.h"  // CheckpointError

namespace hft::train {
namespace {

// The value as it is written, shortened: for "(got ...)", on one line whatever it holds.
std::string shown(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

}  // namespace

StateFields::StateFields(const nlohmann::json& value, std::string file) : value_(value), file_(std::move(file)) {
  if (!value_.is_object()) throw CheckpointError(file_ + ": not a JSON object; the checkpoint is damaged");
}

void StateFields::fail(const std::string& key, const std::string& expected) const {
  const nlohmann::json* value = find(key.c_str());
  throw CheckpointError(file_ + ": " + key + (value ? " is " + shown(*value) : std::string(" is missing")) +
                        "; expected " + expected + " (the checkpoint is damaged)");
}

const nlohmann::json* StateFields::find(const char* key) const {
  const auto it = value_.find(key);
  return it == value_.end() ? nullptr : &*it;
}

int64_t StateFields::count(const char* key, std::optional<int64_t> fallback) const {
  const nlohmann::json* value = find(key);
  if (!value && fallback) return *fallback;
  if (!value || !value->is_number_unsigned() || value->get<uint64_t>() > uint64_t{INT64_MAX})
    fail(key, "a whole number, 0 or more");
  return value->get<int64_t>();
}

double StateFields::number(const char* key, double fallback) const {
  const nlohmann::json* value = find(key);
  if (!value) return fallback;
  if (!value->is_number()) fail(key, "a number");
  return value->get<double>();
}

std::optional<double> StateFields::optional_number(const char* key) const {
  const nlohmann::json* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  return number(key, 0);
}

std::optional<int64_t> StateFields::optional_count(const char* key) const {
  const nlohmann::json* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  return count(key, std::nullopt);
}

std::optional<std::string> StateFields::optional_string(const char* key) const {
  const nlohmann::json* value = find(key);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_string()) fail(key, "a string or null");
  return value->get<std::string>();
}

const nlohmann::json* StateFields::array(const char* key) const {
  const nlohmann::json* value = find(key);
  if (value && !value->is_array()) fail(key, "a list");
  return value;
}

const nlohmann::json* StateFields::object(const char* key) const {
  const nlohmann::json* value = find(key);
  if (value && !value->is_object()) fail(key, "an object");
  return value;
}

}  // namespace hft::train
