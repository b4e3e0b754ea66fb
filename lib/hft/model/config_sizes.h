// The sizes a config.json gives the network, checked against the tensors the weights hold before
// the network is built, so that no config makes hft allocate what the checkpoint does not back:
// a size the weights show must be theirs (vocab_size 1e12 against a [30522, 384] embedding is
// refused by key), and what the weights lack (a new head, layers beyond theirs, which transformers
// also builds new) is bounded. Each architecture lists its sizes (Architecture::sizes).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hft/model/model_config.h"   // ModelConfig
#include "hft/model/weight_shapes.h"  // StoredTensor

namespace hft::model {

struct SizeKey {
  std::string key;  // as in config.json: "vocab_size"
  int64_t value = 0;
};

// A tensor of the network and the config key that sets each of its dimensions.
struct SizedTensor {
  std::string name;           // under the architecture's base_prefix: "embeddings.word_embeddings.weight"
  std::vector<SizeKey> dims;  // {{"vocab_size", 30522}, {"hidden_size", 384}}
};

struct SizedLayers {
  SizeKey count;       // {"num_hidden_layers", 6}
  std::string prefix;  // "encoder.layer": layer i's tensors are "encoder.layer.<i>. ..."
};

struct PositionLimit {
  SizeKey key;         // {"max_position_embeddings", 512}
  int64_t max_tokens;  // the longest row it embeds (RoBERTa: max_position_embeddings - pad_token_id - 1)
};

// What the model's inputs must stay within.
struct InputLimits {
  SizeKey vocab;                           // token ids below vocab.value
  std::optional<PositionLimit> positions;  // unset: no learned positions (rotary)
  std::optional<SizeKey> token_types;      // token type ids below it; unset: the model takes none
};

struct ConfigSizes {
  std::vector<SizedTensor> tensors;  // a layer's tensors are named for layer 0
  SizedLayers layers;
  InputLimits inputs;
};

// The most values hft builds for listed tensors the weights lack (2^31, 8 GiB in fp32): a new
// head is far below it, a config that does not describe the weights is not.
inline constexpr double kMaxNewValues = 2147483648.0;

// Throws ModelError naming config.json, the key and what `weights` (read from `weights_source`)
// hold: a listed tensor of another shape, or more new values (new layers included) than the bound.
void check_config_sizes(const ModelConfig& config, const std::string& base_prefix, const ConfigSizes& sizes,
                        const std::map<std::string, StoredTensor>& weights, const std::string& weights_source);

}  // namespace hft::model
