#include "hft/config/overrides.h"

#include <optional>

#include "hft/config/fields.h"       // find_field
#include "hft/config/utf8_text.h"    // first_invalid_utf8, escape_non_utf8
#include "hft/config/yaml_reader.h"  // read_override_value

namespace hft::config {
namespace {

bool is_option(const std::string& token) { return token.rfind("--", 0) == 0 && token.size() > 2; }

// `--do_train` alone means true when the key is a boolean (its default prints as true/false).
bool is_boolean_key(const std::string& key) {
  const FieldSpec* spec = find_field(key);
  return spec && spec->print(Recipe{}).is_boolean();
}

// Whether `next` is the value of `--key` rather than the next override. A boolean key takes it
// only when it reads as a boolean, so `--do_train --seed 3` works as the Trainer's parser does.
bool takes_next_as_value(const std::string& key, const std::string& next) {
  if (is_option(next) || next.find('=') != std::string::npos) return false;
  if (!is_boolean_key(key)) return true;
  bool ignored = false;
  return !read_value(RawValue{RawValue::Kind::kScalar, next, false, {}, {}, {}}, ignored);
}

// Values reach JSON (hft_recipe.yaml, validate --json), which holds only UTF-8: a Latin-1 byte is
// refused here, and shown escaped.
std::optional<ConfigError> not_utf8(const Origin& origin, const std::string& key, const std::string& value) {
  if (!first_invalid_utf8(key) && !first_invalid_utf8(value)) return std::nullopt;
  Origin shown = origin;
  shown.file = escape_non_utf8(origin.file);
  return ConfigError{shown, escape_non_utf8(key), "a byte that is not UTF-8", escape_non_utf8(value), "UTF-8 text"};
}

}  // namespace

std::vector<RawEntry> parse_overrides(const std::vector<std::string>& tokens, std::vector<ConfigError>& errors) {
  std::vector<RawEntry> entries;
  for (size_t i = 0; i < tokens.size(); ++i) {
    Origin origin{Origin::Kind::kCommandLine, tokens[i], 0, 0};
    std::string token = tokens[i];
    const bool dashed = is_option(token);
    if (dashed) token = token.substr(2);
    std::string key, value;
    if (const size_t eq = token.find('='); eq != std::string::npos) {
      key = token.substr(0, eq), value = token.substr(eq + 1);
    } else if (dashed) {
      key = token;
      if (i + 1 < tokens.size() && takes_next_as_value(key, tokens[i + 1])) {
        value = tokens[++i];
        origin.file += " " + value;
      } else if (is_boolean_key(key)) {
        value = "true";
      } else {
        errors.push_back({origin, key, "no value given", tokens[i], "--" + key + " VALUE or " + key + "=VALUE"});
        continue;
      }
    } else {
      errors.push_back({origin, "", "not an override", token, "key=value, --key=value or --key value"});
      continue;
    }
    if (key.empty()) {
      errors.push_back({origin, "", "an override without a key", tokens[i], "key=value"});
      continue;
    }
    if (auto problem = not_utf8(origin, key, value)) {
      errors.push_back(std::move(*problem));
      continue;
    }
    entries.push_back(RawEntry{key, origin, read_override_value(value, origin)});
  }
  return entries;
}

}  // namespace hft::config
