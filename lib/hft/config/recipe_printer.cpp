#include "hft/config/recipe_printer.h"

#include <algorithm>

#include "hft/config/fields.h"  // recipe_fields

namespace hft::config {
namespace {

const char* section_title(const std::string& section) {
  if (section == "model") return "Model (ModelArguments)";
  if (section == "data") return "Data (DataTrainingArguments)";
  if (section == "training") return "Training (TrainingArguments)";
  if (section == "generation") return "Generation (GenerationConfig)";
  if (section == "peft") return "LoRA (TRL's ModelConfig, PEFT's LoraConfig)";
  return "Early stopping (EarlyStoppingCallback)";
}

std::string source_comment(const Origin& origin) {
  if (origin.kind == Origin::Kind::kFile) return "file " + origin.where();
  return origin.where();
}

}  // namespace

std::string format_recipe_yaml(const LoadedRecipe& loaded, bool annotate) {
  size_t width = 0;
  const Recipe& recipe = loaded.recipe;
  for (const auto& f : recipe_fields()) width = std::max(width, f.name.size() + 2 + f.print(recipe).dump().size());
  std::string out, section;
  for (const auto& f : recipe_fields()) {
    if (f.section != section) {
      section = f.section;
      out += (out.empty() ? "" : "\n") + std::string("# ") + section_title(section) + "\n";
    }
    std::string line = f.name + ": " + f.print(recipe).dump();
    if (annotate) line += std::string(width + 2 - line.size(), ' ') + "# " + source_comment(loaded.origin_of(f.name));
    out += line + "\n";
  }
  return out;
}

nlohmann::json format_recipe_json(const LoadedRecipe& loaded) {
  static const Recipe kDefaults{};
  nlohmann::json out = nlohmann::json::object();
  for (const auto& f : recipe_fields()) {
    const Origin origin = loaded.origin_of(f.name);
    out[f.name] = {{"value", f.print(loaded.recipe)},
                   {"default", f.print(kDefaults)},
                   {"source", origin.source_name()},
                   {"where", origin.where()}};
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> recipe_params(const LoadedRecipe& loaded) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& f : recipe_fields()) {
    const nlohmann::json value = f.print(loaded.recipe);
    if (value.is_string()) params.emplace_back(f.name, value.get<std::string>());
    else if (value.is_null()) params.emplace_back(f.name, "None");
    else if (value.is_boolean()) params.emplace_back(f.name, value.get<bool>() ? "True" : "False");
    else params.emplace_back(f.name, value.dump());
  }
  return params;
}

}  // namespace hft::config
