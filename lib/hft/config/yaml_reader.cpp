#include "hft/config/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hft::config {
namespace {

Origin file_origin(const std::string& path, const YAML::Mark& mark) {
  return Origin{Origin::Kind::kFile, path, mark.line + 1, mark.column + 1};
}

[[noreturn]] void fail(const Origin& origin, std::string problem, std::string expected = "", std::string key = "") {
  throw ConfigErrors({ConfigError{origin, std::move(key), std::move(problem), "", std::move(expected)}});
}

// The key written on a 1-based line ("weight_decay" for "  weight_decay: 0.01"), so that a
// syntax error names the key it is on; empty when the line holds none.
std::string key_on_line(const std::string& text, int line) {
  std::istringstream lines(text);
  std::string current;
  for (int i = 1; std::getline(lines, current); ++i) {
    if (i != line) continue;
    const size_t start = current.find_first_not_of(" \t-");
    const size_t colon = current.find(':');
    if (start == std::string::npos || colon == std::string::npos || colon <= start) return "";
    return current.substr(start, current.find_last_not_of(" \t", colon - 1) + 1 - start);
  }
  return "";
}

// Converts a yaml-cpp node; positions come from `make_origin` (file marks or the override's).
template <class MakeOrigin>
RawValue convert(const YAML::Node& node, const MakeOrigin& make_origin) {
  RawValue value;
  value.origin = make_origin(node.Mark());
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      value.kind = RawValue::Kind::kScalar;
      value.scalar = node.Scalar();
      value.quoted = node.Tag() == "!";  // yaml-cpp tags quoted scalars "!", plain ones "?"
      break;
    case YAML::NodeType::Sequence:
      value.kind = RawValue::Kind::kSequence;
      for (const auto& item : node) value.items.push_back(convert(item, make_origin));
      break;
    case YAML::NodeType::Map:
      value.kind = RawValue::Kind::kMap;
      for (const auto& kv : node)
        value.entries.emplace_back(kv.first.Scalar(), convert(kv.second, make_origin));
      break;
    default:
      value.kind = RawValue::Kind::kNull;
  }
  return value;
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(Origin{Origin::Kind::kFile, path, 0, 0}, "cannot read the recipe: " + std::string(std::strerror(errno)),
                "a readable YAML file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// YAML forbids tabs in indentation; yaml-cpp's own message for them is obscure, so say it plainly.
void reject_tab_indentation(const std::string& path, const std::string& text) {
  int line = 1;
  bool at_line_start = true;
  int column = 1;
  for (char c : text) {
    if (c == '\n') {
      ++line, column = 1, at_line_start = true;
      continue;
    }
    if (at_line_start && c == '\t')
      fail(Origin{Origin::Kind::kFile, path, line, column}, "malformed YAML: a tab in indentation",
           "spaces for indentation", key_on_line(text, line));
    if (c != ' ') at_line_start = false;
    ++column;
  }
}

}  // namespace

std::vector<RawEntry> read_recipe_file(const std::string& path) {
  const std::string text = read_whole_file(path);
  reject_tab_indentation(path, text);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail(file_origin(path, e.mark), "malformed YAML: " + e.msg,
         "one `key: value` per line, indented with spaces", key_on_line(text, e.mark.line + 1));
  }
  if (root.IsNull()) fail(Origin{Origin::Kind::kFile, path, 1, 1}, "the recipe is empty", "a mapping of `key: value` lines");
  if (!root.IsMap())
    fail(file_origin(path, root.Mark()), "the recipe is not a mapping", "a mapping of `key: value` lines");

  auto make_origin = [&](const YAML::Mark& mark) { return file_origin(path, mark); };
  std::vector<RawEntry> entries;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar())
      fail(file_origin(path, kv.first.Mark()), "a key must be a plain name", "`key: value`");
    entries.push_back(RawEntry{kv.first.Scalar(), file_origin(path, kv.first.Mark()), convert(kv.second, make_origin)});
  }
  return entries;
}

RawValue read_override_value(const std::string& text, const Origin& origin) {
  auto make_origin = [&](const YAML::Mark&) { return origin; };
  try {
    YAML::Node node = YAML::Load(text);
    if (node.IsDefined() && !node.IsNull()) return convert(node, make_origin);
    if (text.empty()) return RawValue{RawValue::Kind::kScalar, "", false, {}, {}, origin};
    return RawValue{RawValue::Kind::kNull, text, false, {}, {}, origin};
  } catch (const YAML::Exception&) {
    return RawValue{RawValue::Kind::kScalar, text, true, {}, {}, origin};
  }
}

}  // namespace hft::config
