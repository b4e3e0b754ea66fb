// config.json: the fields every architecture shares (model_type, labels, problem_type, dtype),
// plus the whole JSON document, from which each architecture reads its own typed config
// (bert_config.h, ...) and which save_pretrained writes back with the fields hft changed.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hft::model {

// The most labels a config.json may declare (num_labels, id2label): far past any classifier, but a
// bound, so a stray 1e9 cannot ask for a billion names and an output row each.
inline constexpr int64_t kMaxLabels = int64_t{1} << 20;

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
// the wrong type throws ModelError naming the file and key. An integer field takes a number with
// no fraction (1e3 is 1000) within int64, as Python's range() and nn.Linear would need it.
template <class T>
T config_value(const ModelConfig& config, const std::string& key, T fallback);

// Checks of values an architecture reads, each throwing ModelError that names the file, the key,
// the value and the range expected: sizes (>= 1), probabilities (dropouts: 0 to 1), a number above
// zero (an eps) or at least zero (a standard deviation), a token id below `limit_key`'s value.
void require_sizes(const ModelConfig& config, std::initializer_list<std::pair<const char*, int64_t>> sizes);
void require_probabilities(const ModelConfig& config, std::initializer_list<std::pair<const char*, double>> values);
void require_above_zero(const ModelConfig& config, const std::string& key, double value);
void require_at_least_zero(const ModelConfig& config, const std::string& key, double value);
void require_id_below(const ModelConfig& config, const std::string& key, int64_t id, const std::string& limit_key,
                      int64_t limit);

// Throws ModelError unless `heads` (> 0) divides `width` (> 0): every architecture splits its
// hidden width evenly among the attention heads.
void require_heads_divide(const ModelConfig& config, const std::string& width_key, int64_t width,
                          const std::string& heads_key, int64_t heads);

}  // namespace hft::model
