// The table of recipe keys. Each key knows how to read a RawValue into its Recipe field, how to
// print that field back (as JSON, which is also YAML flow syntax), and the range rule it checks.
// Adding a key is one struct field in recipe.h plus one line in fields.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/config/raw_value.h"      // RawValue
#include "hft/config/recipe.h"         // Recipe
#include "hft/config/value_reading.h"  // MaybeProblem

namespace hft::config {

struct FieldSpec {
  std::string name;
  std::string section;  // "model", "data", "training", "early_stopping": for printing
  std::function<MaybeProblem(const RawValue&, Recipe&)> read;
  std::function<nlohmann::json(const Recipe&)> print;
};

// Every recipe key, in the order `hft validate` prints them.
const std::vector<FieldSpec>& recipe_fields();

// The spec of `name`, or nullptr for an unknown key.
const FieldSpec* find_field(std::string_view name);

// All key names, for did-you-mean suggestions.
std::vector<std::string> field_names();

}  // namespace hft::config
