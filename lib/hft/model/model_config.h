// config.json: the fields every architecture shares (model_type, labels, problem_type, dtype),
// plus the whole JSON document, from which each architecture reads its own typed config
// (bert_config.h, ...) and which save_pretrained writes back with the fields hft changed.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace hft::model {

struct ModelConfig {
  std::string model_type;                   // "bert", "roberta", ...: picks the architecture
  std::vector<std::string> labels;          // id2label in id order; its size is num_labels
  std::optional<std::string> problem_type;  // regression | single_label_classification | multi_label_classification
  std::optional<std::string> torch_dtype;   // float32 | float16 | bfloat16 (dtype, or torch_dtype before transformers 5):
                                            // what the weights were saved in; hft upcasts them to fp32
  nlohmann::json document;                  // config.json as read
  std::string path;                         // where it was read from, for messages

  int64_t num_labels() const { return static_cast<int64_t>(labels.size()); }
};

// Reads DIR/config.json (or the file itself). Throws ModelError naming the file and key.
ModelConfig read_model_config(const std::string& dir_or_file);

// Gives the config `labels` (label2id and id2label follow), as the example script does when the
// data's label set is known.
void set_labels(ModelConfig& config, std::vector<std::string> labels);

// config.json as save_pretrained writes it: the document with architectures, id2label,
// label2id and problem_type brought up to date.
nlohmann::json config_document_for_saving(const ModelConfig& config, const std::string& architecture_class);

// A typed field of config.json with the `transformers` default when absent; a present value of
// the wrong type throws ModelError naming the file and key.
template <class T>
T config_value(const ModelConfig& config, const std::string& key, T fallback);

// Throws ModelError unless `heads` (> 0) divides `width` (> 0): every architecture splits its
// hidden width evenly among the attention heads.
void require_heads_divide(const ModelConfig& config, const std::string& width_key, int64_t width,
                          const std::string& heads_key, int64_t heads);

}  // namespace hft::model
