#include "hft/chat/chat_template.h"

#include <nlohmann/json.hpp>  // tokenizer_config.json

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "hft/chat/chat_error.h"  // ChatTemplateError

namespace hft::chat {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using NamedTemplates = std::map<std::string, ChatTemplate>;  // template name -> template

constexpr const char* kTemplateFile = "chat_template.jinja";
constexpr const char* kTemplateFolder = "additional_chat_templates";
constexpr const char* kConfigFile = "tokenizer_config.json";
constexpr const char* kConfigKey = "chat_template";
constexpr const char* kDefaultName = "default";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ChatTemplateError(path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_file(const fs::path& path) {
  std::error_code ignored;
  return fs::is_regular_file(path, ignored);
}

// chat_template.jinja as "default", then additional_chat_templates/NAME.jinja as NAME, in the order
// transformers reads them (so additional_chat_templates/default.jinja wins over chat_template.jinja).
NamedTemplates template_files(const fs::path& dir) {
  NamedTemplates found;
  if (is_file(dir / kTemplateFile)) {
    found[kDefaultName] = {universal_newlines(read_file(dir / kTemplateFile)), (dir / kTemplateFile).string(), ""};
  }
  std::error_code error;
  if (!fs::is_directory(dir / kTemplateFolder, error)) return found;
  const fs::directory_iterator entries(dir / kTemplateFolder, error);
  if (error) throw ChatTemplateError((dir / kTemplateFolder).string() + ": cannot be read (" + error.message() + ")");
  for (const fs::directory_entry& entry : entries) {
    const fs::path& path = entry.path();
    if (path.extension() != ".jinja" || !is_file(path)) continue;
    found[path.stem().string()] = {universal_newlines(read_file(path)), path.string(), ""};
  }
  return found;
}

// The "default" one of several named templates, as transformers picks it when no tools are passed.
ChatTemplate default_template(const NamedTemplates& named, const std::string& where) {
  if (const auto it = named.find(kDefaultName); it != named.end()) return it->second;
  std::string names;
  for (const auto& [name, unused] : named) names += (names.empty() ? "\"" : ", \"") + name + "\"";
  throw ChatTemplateError(where + ": chat templates named " + names + " but none named \"default\", the one " +
                          "used for conversations; name one \"default\" (or write it to " + kTemplateFile + ")");
}

// tokenizer_config.json's chat_template: {"name": ..., "template": ...} entries of a list.
NamedTemplates config_template_list(const json& list, const std::string& file) {
  NamedTemplates named;
  for (const json& entry : list) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
        !entry.contains("template") || !entry["template"].is_string()) {
      throw ChatTemplateError(file + ": chat_template: expected a list of {\"name\": \"...\", \"template\": " +
                              "\"...\"}, found " + entry.dump());
    }
    named[entry["name"].get<std::string>()] = {entry["template"].get<std::string>(), file, kConfigKey};
  }
  return named;
}

std::optional<ChatTemplate> config_template(const fs::path& dir) {
  const fs::path path = dir / kConfigFile;
  if (!is_file(path)) return std::nullopt;
  const std::string file = path.string();
  json config;
  try {
    config = json::parse(read_file(path));
  } catch (const json::parse_error& e) {
    throw ChatTemplateError(file + ": not valid JSON (" + e.what() + ")");
  }
  if (!config.is_object()) throw ChatTemplateError(file + ": expected a JSON object");
  const auto it = config.find(kConfigKey);
  if (it == config.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return ChatTemplate{it->get<std::string>(), file, kConfigKey};
  if (it->is_array()) return default_template(config_template_list(*it, file), file);
  throw ChatTemplateError(file + ": chat_template: expected a Jinja template (a string) or a list of " +
                          "{\"name\": \"...\", \"template\": \"...\"}");
}

}  // namespace

std::string universal_newlines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
  }
  return out;
}

std::optional<ChatTemplate> find_chat_template(const std::string& tokenizer_dir) {
  const fs::path dir(tokenizer_dir);
  const NamedTemplates files = template_files(dir);
  if (files.empty()) return config_template(dir);
  return default_template(files, (dir / kTemplateFolder).string());
}

ChatTemplate read_chat_template(const std::string& tokenizer_dir) {
  if (std::optional<ChatTemplate> found = find_chat_template(tokenizer_dir)) return *found;
  throw ChatTemplateError(tokenizer_dir + ": no chat template (neither " + kTemplateFile + " nor a " + kConfigKey +
                          " in " + kConfigFile + "); conversations are rendered with the tokenizer's chat " +
                          "template: add one, as transformers' tokenizer.save_pretrained writes it");
}

}  // namespace hft::chat
