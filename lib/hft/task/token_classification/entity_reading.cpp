#include "hft/task/token_classification/entity_reading.h"

#include <set>

namespace hft::task {
namespace {

// The type a label gives its entities, or nothing when it never ends (default) or starts (strict) one.
std::optional<std::string> entity_type_of(const std::string& label, const EntityReading& reading) {
  if (reading.strict) {
    std::string type = strict_type(label, reading.format);  // throws for an empty label or a bad letter
    const char letter = reading.format == TagFormat::kPrefix ? label.front() : label.back();
    if (letter == 'O') return std::nullopt;
    return type;
  }
  const SplitTag split = split_tag(label, reading.format);
  if (split.letter == "O" || split.letter == ".") return std::nullopt;
  return std::string(split.type);
}

}  // namespace

std::vector<Entity> read_entities(const std::vector<std::string>& tags, const EntityReading& reading) {
  return reading.strict ? extract_strict_entities(tags, *reading.strict, reading.format)
                        : extract_entities(tags, reading.format);
}

std::vector<std::string> entity_types(const std::vector<std::string>& labels, const EntityReading& reading) {
  std::set<std::string> types;
  for (const auto& label : labels)
    if (auto type = entity_type_of(label, reading)) types.insert(std::move(*type));
  return {types.begin(), types.end()};
}

}  // namespace hft::task
