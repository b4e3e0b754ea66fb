#include "hft/tokenize/json_reading.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/vocab.h"           // kMaxTokenId

namespace hft::tokenize {
namespace {

// nlohmann's "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
// as "FILE:3:5: not valid JSON: syntax error ...": where an editor finds it, without the tags.
TokenizeError invalid_json(const std::string& path, const nlohmann::json::exception& e) {
  static const std::regex kPosition(R"(at line (\d+), column (\d+): (.*))");
  static const std::regex kTag(R"(^\[json\.exception\.[a-z_]+\.\d+\] )");
  const std::string what = e.what();
  std::smatch match;
  if (std::regex_search(what, match, kPosition))
    return TokenizeError(path + ":" + match[1].str() + ":" + match[2].str(), "not valid JSON: " + match[3].str());
  return TokenizeError(path, "not valid JSON: " + std::regex_replace(what, kTag, ""));
}

}  // namespace

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TokenizeError(path, "cannot be read (check that the file exists and is readable)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    return nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::exception& e) {  // a syntax error, a number out of range, ...
    throw invalid_json(path, e);
  }
}

bool is_token_id(const nlohmann::json& id) {
  return id.is_number_integer() && id.get<int64_t>() >= 0 && id.get<int64_t>() <= kMaxTokenId;
}

void JsonAt::fail(const std::string& message) const {
  throw TokenizeError(file, (path.empty() ? std::string("(top level)") : path) + ": " + message);
}

const nlohmann::json* JsonAt::find(const std::string& key) const {
  if (!value.is_object()) fail("expected an object");
  auto it = value.find(key);
  if (it == value.end() || it->is_null()) return nullptr;
  return &*it;
}

JsonAt JsonAt::at(const std::string& key) const {
  const nlohmann::json* v = find(key);
  if (!v) fail("\"" + key + "\" is missing");
  return child(key, *v);
}

bool JsonAt::get_bool(const std::string& key, bool fallback) const {
  return get_optional_bool(key).value_or(fallback);
}

std::optional<bool> JsonAt::get_optional_bool(const std::string& key) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) child(key, *v).fail("expected true or false, got " + v->dump());
  return v->get<bool>();
}

std::string JsonAt::get_string(const std::string& key, const std::string& fallback) const {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_string()) child(key, *v).fail("expected a string, got " + v->dump());
  return v->get<std::string>();
}

int64_t JsonAt::get_int(const std::string& key, int64_t fallback) const {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_number_integer()) child(key, *v).fail("expected an integer, got " + v->dump());
  return v->get<int64_t>();
}

}  // namespace hft::tokenize
