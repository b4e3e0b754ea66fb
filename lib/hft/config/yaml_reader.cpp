#include "hft/config/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

#include "hft/config/recipe_text.h"  // read_recipe_text, key_on_line

namespace hft::config {
namespace {

Origin file_origin(const std::string& path, const YAML::Mark& mark) {
  return Origin{Origin::Kind::kFile, path, mark.line + 1, mark.column + 1};
}

[[noreturn]] void fail(const Origin& origin, std::string problem, std::string expected = "", std::string key = "") {
  throw ConfigErrors({ConfigError{origin, std::move(key), std::move(problem), "", std::move(expected)}});
}

// Aliases let a few bytes of YAML name a huge tree (9 levels of 10 aliases of a list: 10^9 values
// from under 1 KB, which yaml-cpp holds shared but a RawValue would copy). Converting counts what it
// has expanded and stops at these bounds, far above any recipe (a few hundred values).
constexpr size_t kMaxValues = 100'000;
constexpr size_t kMaxValueBytes = size_t{1} << 20;

struct Expansion {
  size_t values = 0;
  size_t bytes = 0;  // scalar text
};

void count(const YAML::Node& node, const Origin& origin, const std::string& key, Expansion& expansion) {
  expansion.bytes += node.IsScalar() ? node.Scalar().size() : 0;
  if (++expansion.values > kMaxValues || expansion.bytes > kMaxValueBytes)
    fail(origin, "YAML aliases expand the recipe beyond 100000 values or 1 MiB of text",
         "values written out, or aliases that repeat a few values (not aliases of aliases)", key);
}

// Converts a yaml-cpp node; positions come from `make_origin` (file marks or the override's).
template <class MakeOrigin>
RawValue convert(const YAML::Node& node, const MakeOrigin& make_origin, const std::string& key, Expansion& expansion) {
  RawValue value;
  value.origin = make_origin(node.Mark());
  count(node, value.origin, key, expansion);
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      value.kind = RawValue::Kind::kScalar;
      value.scalar = node.Scalar();
      value.quoted = node.Tag() == "!";  // yaml-cpp tags quoted scalars "!", plain ones "?"
      break;
    case YAML::NodeType::Sequence:
      value.kind = RawValue::Kind::kSequence;
      for (const auto& item : node) value.items.push_back(convert(item, make_origin, key, expansion));
      break;
    case YAML::NodeType::Map:
      value.kind = RawValue::Kind::kMap;
      for (const auto& kv : node)
        value.entries.emplace_back(kv.first.Scalar(), convert(kv.second, make_origin, key, expansion));
      break;
    default:
      value.kind = RawValue::Kind::kNull;
  }
  return value;
}

// The 1-based line of the `---` that starts a document whose content begins on 0-based `line`.
int separator_line(const std::string& text, int line) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string current; std::getline(in, current);) lines.push_back(current);
  for (int l = std::min(line, static_cast<int>(lines.size()) - 1); l >= 0; --l)
    if (lines[static_cast<size_t>(l)].rfind("---", 0) == 0) return l + 1;
  return line + 1;
}

// The recipe's one document. A second one (after `---`) would be ignored, so it is refused at its
// `---` line; empty documents (a leading `---`, a closing `...`) are no documents.
YAML::Node only_document(const std::string& path, const std::string& text) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    fail(file_origin(path, e.mark), "malformed YAML: " + e.msg,
         "one `key: value` per line, indented with spaces", key_on_line(text, e.mark.line + 1));
  }
  std::optional<YAML::Node> found;
  for (const YAML::Node& document : documents) {
    if (document.IsNull()) continue;
    if (found)
      fail(Origin{Origin::Kind::kFile, path, separator_line(text, document.Mark().line), 1},
           "a second YAML document (after `---`), which hft would not read",
           "one document of `key: value` lines (remove the `---` or merge the documents)");
    found = document;
  }
  return found.value_or(YAML::Node());
}

}  // namespace

std::vector<RawEntry> read_recipe_file(const std::string& path) {
  const std::string text = read_recipe_text(path);
  const YAML::Node root = only_document(path, text);
  if (root.IsNull()) fail(Origin{Origin::Kind::kFile, path, 1, 1}, "the recipe is empty", "a mapping of `key: value` lines");
  if (!root.IsMap())
    fail(file_origin(path, root.Mark()), "the recipe is not a mapping", "a mapping of `key: value` lines");

  auto make_origin = [&](const YAML::Mark& mark) { return file_origin(path, mark); };
  Expansion expansion;
  std::vector<RawEntry> entries;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar())
      fail(file_origin(path, kv.first.Mark()), "a key must be a plain name", "`key: value`");
    const std::string key = kv.first.Scalar();
    entries.push_back(RawEntry{key, file_origin(path, kv.first.Mark()), convert(kv.second, make_origin, key, expansion)});
  }
  return entries;
}

RawValue read_override_value(const std::string& text, const Origin& origin) {
  auto make_origin = [&](const YAML::Mark&) { return origin; };
  Expansion expansion;
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return RawValue{RawValue::Kind::kScalar, text, true, {}, {}, origin};
  }
  if (node.IsDefined() && !node.IsNull()) return convert(node, make_origin, "", expansion);
  if (text.empty()) return RawValue{RawValue::Kind::kScalar, "", false, {}, {}, origin};
  return RawValue{RawValue::Kind::kNull, text, false, {}, {}, origin};
}

}  // namespace hft::config
