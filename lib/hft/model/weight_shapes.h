// The names and shapes of the tensors in a model's weight files, read from their headers (the
// safetensors JSON header, the pickle of a pytorch_model.bin) without reading the tensors' bytes:
// what the config is checked against before anything is allocated for the network.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hft::model {

struct StoredTensor {
  std::vector<int64_t> shape;
  std::string file;  // the weight file holding it, for messages
};

// By the name stored in the file. Throws ModelError naming the file for a damaged one.
std::map<std::string, StoredTensor> read_weight_shapes(const std::vector<std::string>& files);

}  // namespace hft::model
