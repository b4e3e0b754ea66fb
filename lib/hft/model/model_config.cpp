#include "hft/model/model_config.h"

#include <filesystem>
#include <fstream>

#include "hft/model/model_error.h"

namespace hft::model {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json parse_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ModelError(path + ": cannot read the model config; expected a config.json written by transformers");
  json document = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object())
    throw ModelError(path + ": not a JSON object; expected a config.json written by transformers");
  return document;
}

// id2label as a list in id order; the keys are decimal strings ("0", "1", ...).
std::vector<std::string> read_labels(const json& document, const std::string& path) {
  if (document.contains("id2label") && document["id2label"].is_object()) {
    const json& id2label = document["id2label"];
    std::vector<std::string> labels(id2label.size());
    for (const auto& [key, value] : id2label.items()) {
      size_t id = 0;
      try {
        id = std::stoul(key);
      } catch (const std::exception&) {
        throw ModelError(path + ": id2label: key `" + key + "` is not a class id; expected 0, 1, ...");
      }
      if (id >= labels.size() || !value.is_string())
        throw ModelError(path + ": id2label: ids must run 0.." + std::to_string(labels.size() - 1) + " with string labels");
      labels[id] = value.get<std::string>();
    }
    return labels;
  }
  // PretrainedConfig's default: num_labels 2, named LABEL_0, LABEL_1.
  const int64_t count = document.value("num_labels", int64_t{2});
  std::vector<std::string> labels;
  for (int64_t i = 0; i < count; ++i) labels.push_back("LABEL_" + std::to_string(i));
  return labels;
}

// config.json's dtype (transformers 5 writes "dtype", earlier versions "torch_dtype").
std::optional<std::string> read_torch_dtype(const json& document, const std::string& path) {
  for (const char* key : {"dtype", "torch_dtype"}) {
    if (!document.contains(key) || document[key].is_null()) continue;
    const json& value = document[key];
    for (const char* known : {"float32", "float16", "bfloat16", "float64", "auto"})
      if (value.is_string() && value.get<std::string>() == known) return value.get<std::string>();
    throw ModelError(path + ": " + key + ": " + value.dump() +
                     " is not a dtype hft can load; expected \"float32\", \"float16\" or \"bfloat16\"");
  }
  return std::nullopt;
}

}  // namespace

ModelConfig read_model_config(const std::string& dir_or_file) {
  const fs::path path = fs::is_directory(dir_or_file) ? fs::path(dir_or_file) / "config.json" : fs::path(dir_or_file);
  ModelConfig config;
  config.path = path.string();
  config.document = parse_file(config.path);
  if (!config.document.contains("model_type") || !config.document["model_type"].is_string())
    throw ModelError(config.path + ": model_type: missing; expected the architecture's name, e.g. \"bert\"");
  config.model_type = config.document["model_type"].get<std::string>();
  config.labels = read_labels(config.document, config.path);
  if (config.document.contains("problem_type") && config.document["problem_type"].is_string())
    config.problem_type = config.document["problem_type"].get<std::string>();
  config.torch_dtype = read_torch_dtype(config.document, config.path);
  return config;
}

void set_labels(ModelConfig& config, std::vector<std::string> labels) { config.labels = std::move(labels); }

nlohmann::json config_document_for_saving(const ModelConfig& config, const std::string& architecture_class) {
  json document = config.document;
  document["architectures"] = json::array({architecture_class});
  json id2label = json::object(), label2id = json::object();
  for (size_t i = 0; i < config.labels.size(); ++i) {
    id2label[std::to_string(i)] = config.labels[i];
    label2id[config.labels[i]] = i;
  }
  document["id2label"] = id2label;
  document["label2id"] = label2id;
  document.erase("num_labels");  // transformers derives it from id2label
  if (config.problem_type) document["problem_type"] = *config.problem_type;
  document["dtype"] = "float32";  // hft keeps parameters in fp32
  document.erase("torch_dtype");
  return document;
}

template <class T> struct OptionalInner { using type = T; };
template <class T> struct OptionalInner<std::optional<T>> { using type = T; };

template <class T>
T config_value(const ModelConfig& config, const std::string& key, T fallback) {
  const auto it = config.document.find(key);
  if (it == config.document.end() || it->is_null()) return fallback;
  try {
    using Value = typename OptionalInner<T>::type;
    if constexpr (std::is_arithmetic_v<Value> && !std::is_same_v<Value, bool>) {
      if (!it->is_number()) throw ModelError("");  // "0.1" as a string is not a number
    }
    return T(it->template get<Value>());
  } catch (const std::exception&) {
    throw ModelError(config.path + ": " + key + ": wrong type (got " + it->dump() + ")");
  }
}

void require_heads_divide(const ModelConfig& config, const std::string& width_key, int64_t width,
                          const std::string& heads_key, int64_t heads) {
  if (width <= 0 || heads <= 0 || width % heads != 0)
    throw ModelError(config.path + ": " + width_key + " " + std::to_string(width) + " is not a multiple of " +
                     heads_key + " " + std::to_string(heads));
}

template int64_t config_value<int64_t>(const ModelConfig&, const std::string&, int64_t);
template double config_value<double>(const ModelConfig&, const std::string&, double);
template bool config_value<bool>(const ModelConfig&, const std::string&, bool);
template std::string config_value<std::string>(const ModelConfig&, const std::string&, std::string);
template std::optional<double> config_value<std::optional<double>>(const ModelConfig&, const std::string&,
                                                                    std::optional<double>);

}  // namespace hft::model
