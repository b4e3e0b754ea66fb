#include "hft/model/model_config.h"

#include <cmath>
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

// A JSON number with no fraction, within int64 (1e3 is 1000, as json.load's float would be taken by
// transformers wherever it multiplies or counts); nullopt for anything else.
std::optional<int64_t> whole_number(const json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return value.get<int64_t>();
  }
  if (!value.is_number_float()) return std::nullopt;
  const double number = value.get<double>();
  // 2^63 is the first double past int64's range.
  if (!std::isfinite(number) || std::trunc(number) != number || std::fabs(number) >= 9223372036854775808.0)
    return std::nullopt;
  return static_cast<int64_t>(number);
}

constexpr const char* kProblemTypes[] = {"regression", "single_label_classification", "multi_label_classification"};

// problem_type, when set, is one of the three transformers knows (PretrainedConfig refuses others).
std::optional<std::string> read_problem_type(const json& document, const std::string& path) {
  const auto it = document.find("problem_type");
  if (it == document.end() || it->is_null()) return std::nullopt;
  for (const char* known : kProblemTypes)
    if (it->is_string() && it->get<std::string>() == known) return known;
  throw ModelError(path + ": problem_type: " + it->dump() +
                   " is not a problem type; expected regression, single_label_classification or "
                   "multi_label_classification (or none: the labels decide)");
}

// id2label as a list in id order; the keys are decimal strings ("0", "1", ...).
std::vector<std::string> read_labels(const json& document, const std::string& path) {
  if (document.contains("id2label") && document["id2label"].is_object()) {
    const json& id2label = document["id2label"];
    if (id2label.empty() || static_cast<int64_t>(id2label.size()) > kMaxLabels)
      throw ModelError(path + ": id2label: " + std::to_string(id2label.size()) + " labels; expected 1 to " +
                       std::to_string(kMaxLabels));
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
  const auto it = document.find("num_labels");
  const int64_t count = it == document.end() || it->is_null() ? 2 : whole_number(*it).value_or(0);
  if (count < 1 || count > kMaxLabels)
    throw ModelError(path + ": num_labels: " + it->dump() + " is not a number of labels; expected a whole number from 1 to " +
                     std::to_string(kMaxLabels));
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
  config.problem_type = read_problem_type(config.document, config.path);
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
  using Value = typename OptionalInner<T>::type;
  if constexpr (std::is_same_v<Value, int64_t>) {
    const std::optional<int64_t> number = whole_number(*it);
    if (!number) throw ModelError(config.path + ": " + key + ": " + it->dump() + " is not a whole number; expected an integer");
    return T(*number);
  }
  try {
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

namespace {

// "key: value" with the value as config.json writes it (5, not 5.0), or as read when absent.
std::string key_and_value(const ModelConfig& config, const std::string& key, const json& value) {
  const auto it = config.document.find(key);
  return config.path + ": " + key + ": " + (it != config.document.end() && it->is_number() ? *it : value).dump();
}

}  // namespace

void require_sizes(const ModelConfig& config, std::initializer_list<std::pair<const char*, int64_t>> sizes) {
  for (const auto& [key, value] : sizes)
    if (value < 1) throw ModelError(key_and_value(config, key, value) + " is not a size; expected 1 or more");
}

void require_probabilities(const ModelConfig& config, std::initializer_list<std::pair<const char*, double>> values) {
  for (const auto& [key, value] : values)
    if (!(value >= 0.0 && value <= 1.0))
      throw ModelError(key_and_value(config, key, value) + " is not a probability; expected a value from 0 to 1");
}

void require_above_zero(const ModelConfig& config, const std::string& key, double value) {
  if (!(value > 0.0)) throw ModelError(key_and_value(config, key, value) + "; expected a number above 0");
}

void require_at_least_zero(const ModelConfig& config, const std::string& key, double value) {
  if (!(value >= 0.0)) throw ModelError(key_and_value(config, key, value) + "; expected 0 or more");
}

void require_id_below(const ModelConfig& config, const std::string& key, int64_t id, const std::string& limit_key,
                      int64_t limit) {
  if (id < 0 || id >= limit)
    throw ModelError(config.path + ": " + key + ": " + std::to_string(id) + " is not an id below " + limit_key + " " +
                     std::to_string(limit) + "; expected 0 to " + std::to_string(limit - 1));
}

template int64_t config_value<int64_t>(const ModelConfig&, const std::string&, int64_t);
template double config_value<double>(const ModelConfig&, const std::string&, double);
template bool config_value<bool>(const ModelConfig&, const std::string&, bool);
template std::string config_value<std::string>(const ModelConfig&, const std::string&, std::string);
template std::optional<double> config_value<std::optional<double>>(const ModelConfig&, const std::string&,
                                                                    std::optional<double>);
template std::optional<int64_t> config_value<std::optional<int64_t>>(const ModelConfig&, const std::string&,
                                                                      std::optional<int64_t>);

}  // namespace hft::model
