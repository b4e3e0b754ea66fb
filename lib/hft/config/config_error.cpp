#include "hft/config/config_error.h"

namespace hft::config {

std::string Origin::where() const {
  switch (kind) {
    case Kind::kFile:  // line 0: the file as a whole
      return line == 0 ? file : file + ":" + std::to_string(line) + ":" + std::to_string(column);
    case Kind::kCommandLine:
      return "command line `" + file + "`";
    case Kind::kDerived:
      return "derived";
    case Kind::kEnvironment:
      return "environment variable " + file;
    case Kind::kDefault:
      break;
  }
  return "default";
}

std::string Origin::source_name() const {
  switch (kind) {
    case Kind::kFile: return "file";
    case Kind::kCommandLine: return "command line";
    case Kind::kDerived: return "derived";
    case Kind::kEnvironment: return "environment";
    case Kind::kDefault: break;
  }
  return "default";
}

std::string ConfigError::message() const {
  std::string out = origin.where() + ": ";
  if (!key.empty()) out += key + ": ";
  out += problem;
  if (!got.empty()) out += " (got " + got + ")";
  if (!expected.empty()) out += "; expected " + expected;
  return out;
}

static std::string join_messages(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "\n") + e.message();
  return out;
}

ConfigErrors::ConfigErrors(std::vector<ConfigError> errors)
    : BadInput(join_messages(errors)), errors_(std::move(errors)) {}

}  // namespace hft::config
