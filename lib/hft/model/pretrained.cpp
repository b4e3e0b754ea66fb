#include "hft/model/pretrained.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/model/model_error.h"
#include "hft/model/safetensors.h"       // SafetensorsFile, write_safetensors
#include "hft/model/torch_bin.h"         // read_torch_bin
#include "hft/model/weight_shapes.h"     // read_weight_shapes

namespace hft::model {
namespace {

namespace fs = std::filesystem;

// The shard files an index (model.safetensors.index.json, pytorch_model.bin.index.json) names.
std::vector<std::string> shards_of_index(const fs::path& index) {
  std::ifstream in(index);
  const nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
  if (document.is_discarded() || !document.contains("weight_map") || !document["weight_map"].is_object())
    throw ModelError(index.string() + ": expected {\"weight_map\": {tensor: shard file}}");
  std::set<std::string> shards;
  for (const auto& [name, file] : document["weight_map"].items()) {
    if (!file.is_string())
      throw ModelError(index.string() + ": weight_map: `" + name + "` maps to " + file.dump() + "; expected a file name");
    shards.insert((index.parent_path() / file.get<std::string>()).string());
  }
  return {shards.begin(), shards.end()};
}

// The weight files of a model folder, in transformers' order of preference: safetensors (one
// file or the shards of an index) before pytorch_model.bin (one file or the shards of an index).
std::vector<std::string> weight_files(const fs::path& dir) {
  for (const char* name : {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                           "pytorch_model.bin.index.json"}) {
    const fs::path path = dir / name;
    if (!fs::is_regular_file(path)) continue;
    if (path.extension() == ".json") return shards_of_index(path);
    return {path.string()};
  }
  throw ModelError(dir.string() + ": no model weights; expected model.safetensors (or model.safetensors.index.json) "
                   "or pytorch_model.bin (or pytorch_model.bin.index.json)");
}

// A weights file's (name, tensor) pairs: safetensors as views of the mapped file, a
// pytorch_model.bin through LibTorch's loader.
std::vector<std::pair<std::string, torch::Tensor>> read_weight_file(const std::string& file) {
  if (!file.ends_with(".safetensors")) return read_torch_bin(file);
  const SafetensorsFile weights(file);
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& name : weights.names()) tensors.emplace_back(name, weights.tensor(name));
  return tensors;
}

// Old BERT checkpoints name LayerNorm parameters gamma/beta.
std::string modern_name(std::string name) {
  auto replace_suffix = [&](const std::string& from, const std::string& to) {
    if (name.size() > from.size() && name.compare(name.size() - from.size(), from.size(), from) == 0)
      name = name.substr(0, name.size() - from.size()) + to;
  };
  replace_suffix(".gamma", ".weight");
  replace_suffix(".beta", ".bias");
  return name;
}

std::string shape_text(at::IntArrayRef shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

// Copies each checkpoint tensor into the parameter of the same name (or the same name under the
// architecture's prefix); returns what was missing or left over. A tensor of another shape (a
// head for other labels or another task) throws, or with `ignore_mismatched_sizes` is left for
// the new draw, as transformers does.
LoadReport load_weights(TaskModel& module, const Architecture& architecture, const std::vector<std::string>& files,
                        bool ignore_mismatched_sizes) {
  torch::NoGradGuard no_grad;
  std::map<std::string, torch::Tensor> parameters;
  for (auto& item : module.named_parameters()) parameters[item.key()] = item.value();
  for (auto& item : module.named_buffers()) parameters[item.key()] = item.value();
  std::set<std::string> loaded;
  LoadReport report;
  for (const auto& file : files) {
    for (const auto& [stored_name, source] : read_weight_file(file)) {
      std::string name = modern_name(stored_name);
      if (!parameters.count(name) && parameters.count(architecture.base_prefix + "." + name))
        name = architecture.base_prefix + "." + name;
      auto it = parameters.find(name);
      if (it == parameters.end()) {
        if (!name.ends_with("position_ids")) report.unused.push_back(stored_name);  // a buffer transformers drops too
        continue;
      }
      if (source.sizes() != it->second.sizes() && ignore_mismatched_sizes) {
        report.mismatched.push_back(stored_name + ": " + shape_text(source.sizes()) + " in the checkpoint, " +
                                    shape_text(it->second.sizes()) + " in the model");
        continue;
      }
      if (source.sizes() != it->second.sizes())
        throw ModelError(file + ": tensor `" + stored_name + "` has shape " + shape_text(source.sizes()) +
                         ", but the config makes it " + shape_text(it->second.sizes()) +
                         "; expected a checkpoint for this head and these labels, or ignore_mismatched_sizes: true to "
                         "draw the tensor anew");
      if (it->second.is_floating_point() && !source.is_floating_point())
        throw ModelError(file + ": tensor `" + stored_name + "` holds " + c10::toString(source.scalar_type()) +
                         " values; expected floating-point weights");
      // Half-precision checkpoints (dtype bfloat16/float16) are upcast: hft trains fp32 parameters.
      it->second.copy_(source);
      loaded.insert(name);
    }
  }
  for (const auto& [name, tensor] : parameters)
    if (!loaded.count(name)) report.newly_initialized.push_back(name);
  return report;
}

// transformers builds the network on the meta device and draws numbers only for the weights the
// checkpoint lacks. Building here draws for every weight, so the default generator is put back
// where it was: a seeded run then gives a new head the numbers transformers gives it.
std::shared_ptr<TaskModel> build_without_drawing(const Architecture& architecture, const ModelConfig& config,
                                                 Head head) {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  const at::Tensor state = generator.get_state();
  std::shared_ptr<TaskModel> module = architecture.build(config, head);
  generator.set_state(state);
  return module;
}

void initialize_missing(TaskModel& module, const std::vector<std::string>& names) {
  if (names.empty()) return;
  const std::set<std::string> missing(names.begin(), names.end());
  module.initialize([&](const std::string& name) { return missing.count(name) > 0; });
}

void copy_if_there(const fs::path& source, const fs::path& target) {
  if (!fs::is_regular_file(source)) return;
  std::ifstream in(source, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::create_directories(target.parent_path());
  checkpoint::write_file_atomically(target.string(), content);
}

// What tokenizer.save_pretrained writes: the tokenizer files and the chat templates.
void copy_tokenizer_files(const fs::path& from, const fs::path& to) {
  for (const char* name : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
                           "vocab.json", "merges.txt", "spiece.model", "sentencepiece.bpe.model", "tokenizer.model",
                           "added_tokens.json", "chat_template.jinja"})
    copy_if_there(from / name, to / name);
  const fs::path named = from / "additional_chat_templates";
  if (fs::is_directory(named))
    for (const auto& entry : fs::directory_iterator(named)) copy_if_there(entry.path(), to / named.filename() / entry.path().filename());
}

}  // namespace

PretrainedModel from_pretrained(const std::string& dir, const LoadOptions& options) {
  if (!fs::is_directory(dir)) throw ModelError(dir + ": not a model folder; expected a folder with config.json and model.safetensors");
  PretrainedModel model;
  model.config = read_model_config(options.config_dir.value_or(dir));
  if (options.labels) set_labels(model.config, *options.labels);
  if (options.problem_type) model.config.problem_type = options.problem_type;
  model.architecture = &find_architecture(model.config);
  model.head = options.head;
  const auto& heads = model.architecture->heads;
  if (std::find(heads.begin(), heads.end(), options.head) == heads.end())
    throw ModelError(model.config.path + ": model_type " + model.architecture->model_type + " has no " +
                     model.architecture->class_name(options.head) + "; expected a model_type that does (" +
                     (options.head == Head::kCausalLM ? "a decoder: gpt2, llama, mistral, qwen2, qwen3" : "an encoder: bert, roberta, electra, "
                                                                              "distilbert, modernbert") + ")");
  const std::vector<std::string> files = weight_files(dir);  // before building: a missing file fails fast
  // Before anything is allocated: the config's sizes against the shapes in the weights' headers.
  check_config_sizes(model.config, model.architecture->base_prefix, model.architecture->sizes(model.config),
                     read_weight_shapes(files), files.size() == 1 ? files.front() : dir + "'s weight files");
  model.module = build_without_drawing(*model.architecture, model.config, model.head);
  model.report = load_weights(*model.module, *model.architecture, files, options.ignore_mismatched_sizes);
  initialize_missing(*model.module, model.report.newly_initialized);
  return model;
}

void save_beside_weights(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir) {
  fs::create_directories(dir);
  const nlohmann::json config = config_document_for_saving(model.config, model.architecture->class_name(model.head));
  checkpoint::write_json_atomically((fs::path(dir) / "config.json").string(), config);
  // A generative model keeps its generation defaults (EOS ids, sampling) as save_pretrained does.
  if (model.head == Head::kCausalLM)
    copy_if_there(fs::path(model.config.path).parent_path() / "generation_config.json", fs::path(dir) / "generation_config.json");
  if (!tokenizer_dir.empty()) copy_tokenizer_files(tokenizer_dir, dir);
}

void save_pretrained(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir) {
  save_beside_weights(model, dir, tokenizer_dir);
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& item : model.module->named_parameters()) tensors.emplace_back(item.key(), item.value());
  write_safetensors((fs::path(dir) / "model.safetensors").string(), tensors);
}

std::vector<std::string> describe_load_report(const PretrainedModel& model, const std::string& dir) {
  auto joined = [](const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  const std::string class_name = model.architecture->class_name(model.head);
  std::vector<std::string> lines;
  if (!model.report.newly_initialized.empty())
    lines.push_back("Some weights of " + class_name + " were not in the checkpoint at " + dir +
                    " and are newly initialized: " + joined(model.report.newly_initialized) +
                    ". Train the model before using it for predictions.");
  if (!model.report.mismatched.empty())
    lines.push_back("Some weights of " + class_name + " were drawn anew because their shapes did not match the " +
                    "checkpoint at " + dir + ": " + joined(model.report.mismatched));
  if (!model.report.unused.empty())
    lines.push_back("Some weights of the checkpoint at " + dir + " were not used: " + joined(model.report.unused));
  return lines;
}

}  // namespace hft::model
