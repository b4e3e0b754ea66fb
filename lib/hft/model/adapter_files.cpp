#include "hft/model/adapter_files.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "hft/checkpoint/atomic_file.h"  // write_json_atomically
#include "hft/model/model_error.h"
#include "hft/model/safetensors.h"       // SafetensorsFile, write_safetensors

namespace hft::model {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// PEFT's saved names: the PeftModel's prefix before the network's own names.
constexpr const char* kSavedPrefix = "base_model.model.";

json strings_or_null(const std::vector<std::string>& names) { return names.empty() ? json(nullptr) : json(names); }

// LoraConfig.to_dict() for what hft sets; PEFT fills the other fields with their defaults.
json adapter_config_document(const LoraPlacement& p, const std::string& model_type,
                             const std::string& base_model_name_or_path) {
  return {{"peft_type", "LORA"},
          {"task_type", p.task_type.empty() ? json(nullptr) : json(p.task_type)},
          {"base_model_name_or_path", base_model_name_or_path},
          {"revision", nullptr},
          {"inference_mode", true},
          {"r", p.options.shape.r},
          {"lora_alpha", p.options.shape.alpha},
          {"lora_dropout", p.options.shape.dropout},
          {"use_rslora", p.options.shape.rslora},
          {"target_modules", p.target_modules},
          {"modules_to_save", strings_or_null(p.options.modules_to_save)},
          {"fan_in_fan_out", model_type == "gpt2"},  // Conv1D stores its weight [in, out]
          {"bias", "none"},
          {"init_lora_weights", true},
          {"use_dora", false},
          {"layers_to_transform", nullptr},
          {"layers_pattern", nullptr},
          {"rank_pattern", json::object()},
          {"alpha_pattern", json::object()}};
}

template <class T>
T required(const json& doc, const char* key, const std::string& file, const char* expected) {
  if (!doc.contains(key)) throw ModelError(file + ": no `" + key + "`; expected " + expected);
  try {
    return doc.at(key).get<T>();
  } catch (const json::exception&) {
    throw ModelError(file + ": " + key + ": " + doc.at(key).dump() + "; expected " + expected);
  }
}

std::vector<std::string> names_or_empty(const json& doc, const char* key, const std::string& file) {
  if (!doc.contains(key) || doc.at(key).is_null()) return {};
  if (doc.at(key).is_string()) return {doc.at(key).get<std::string>()};
  return required<std::vector<std::string>>(doc, key, file, "a list of module names");
}

// PEFT writes adapter-named keys in some versions (x.lora_A.default.weight): the adapter's name
// dropped, x.lora_A.weight.
std::string without_adapter_name(std::string name) {
  for (const std::string adapter : {".lora_A.", ".lora_B."}) {
    const std::string named = adapter + "default.";
    if (const size_t at = name.find(named); at != std::string::npos) name.replace(at, named.size(), adapter);
  }
  return name;
}

}  // namespace

bool is_adapter_folder(const std::string& dir) { return fs::is_regular_file(fs::path(dir) / kAdapterConfigFile); }

AdapterConfig read_adapter_config(const std::string& dir) {
  const std::string file = (fs::path(dir) / kAdapterConfigFile).string();
  std::ifstream in(file);
  const json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) throw ModelError(file + ": not a JSON object; expected PEFT's adapter_config.json");
  const std::string type = required<std::string>(doc, "peft_type", file, "\"LORA\"");
  if (type != "LORA") throw ModelError(file + ": peft_type: " + type + " is not supported; expected LORA");
  for (const char* unsupported : {"use_dora", "lora_bias"})
    if (doc.contains(unsupported) && doc.at(unsupported).is_boolean() && doc.at(unsupported).get<bool>())
      throw ModelError(file + ": " + unsupported + ": true is not supported; expected false");
  for (const char* pattern : {"rank_pattern", "alpha_pattern"})
    if (doc.contains(pattern) && doc.at(pattern).is_object() && !doc.at(pattern).empty())
      throw ModelError(file + ": " + pattern + " is not supported; expected {} (one rank and alpha for every module)");
  AdapterConfig c;
  c.options.shape.r = required<int64_t>(doc, "r", file, "the adapters' rank, a number");
  c.options.shape.alpha = required<double>(doc, "lora_alpha", file, "a number");
  c.options.shape.dropout = doc.value("lora_dropout", 0.0);
  c.options.shape.rslora = doc.value("use_rslora", false);
  c.options.target_modules = names_or_empty(doc, "target_modules", file);
  if (c.options.target_modules.empty()) throw ModelError(file + ": no target_modules; expected the adapted modules' names");
  c.options.modules_to_save = names_or_empty(doc, "modules_to_save", file);
  if (doc.contains("base_model_name_or_path") && doc.at("base_model_name_or_path").is_string())
    c.base_model_name_or_path = doc.at("base_model_name_or_path").get<std::string>();
  return c;
}

void save_adapter(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir,
                  const std::string& base_model_name_or_path) {
  save_beside_weights(model, dir, tokenizer_dir);
  checkpoint::write_json_atomically((fs::path(dir) / kAdapterConfigFile).string(),
                                    adapter_config_document(*model.lora, model.config.model_type, base_model_name_or_path));
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (auto& [name, tensor] : trained_parameters(*model.module)) tensors.emplace_back(kSavedPrefix + name, tensor);
  write_safetensors((fs::path(dir) / kAdapterWeightsFile).string(), tensors);
}

void save_trained_model(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir,
                        const std::string& base_model_name_or_path) {
  if (model.lora) save_adapter(model, dir, tokenizer_dir, base_model_name_or_path);
  else save_pretrained(model, dir, tokenizer_dir);
}

std::vector<std::string> load_adapter_weights(TaskModel& model, const std::string& dir) {
  const std::string file = (fs::path(dir) / kAdapterWeightsFile).string();
  if (!fs::is_regular_file(file)) throw ModelError(dir + ": no " + kAdapterWeightsFile + "; expected PEFT's adapter folder");
  std::map<std::string, torch::Tensor> parameters;
  for (auto& item : model.named_parameters()) parameters[item.key()] = item.value();
  const SafetensorsFile weights(file);
  std::vector<std::string> loaded;
  torch::NoGradGuard no_grad;
  for (const auto& stored : weights.names()) {
    const std::string name = without_adapter_name(
        stored.starts_with(kSavedPrefix) ? stored.substr(std::string(kSavedPrefix).size()) : stored);
    auto it = parameters.find(name);
    if (it == parameters.end())
      throw ModelError(file + ": tensor `" + stored + "` has no place in the model; expected the adapters of " +
                       kAdapterConfigFile + "'s target_modules and modules_to_save");
    const torch::Tensor source = weights.tensor(stored);
    if (source.sizes() != it->second.sizes())
      throw ModelError(file + ": tensor `" + stored + "` has shape " + c10::str(source.sizes()) + ", the model " +
                       c10::str(it->second.sizes()) + "; expected adapters trained on this base model");
    it->second.copy_(source);
    loaded.push_back(name);
  }
  return loaded;
}

}  // namespace hft::model
