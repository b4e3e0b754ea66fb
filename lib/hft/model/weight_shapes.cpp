#include "hft/model/weight_shapes.h"

#include "hft/model/safetensors.h"  // SafetensorsFile: the header, mapped, no bytes read
#include "hft/model/torch_bin.h"    // read_torch_bin_shapes: meta tensors

namespace hft::model {

std::map<std::string, StoredTensor> read_weight_shapes(const std::vector<std::string>& files) {
  std::map<std::string, StoredTensor> shapes;
  for (const auto& file : files) {
    if (file.ends_with(".safetensors")) {
      const SafetensorsFile weights(file);
      for (const auto& name : weights.names()) shapes[name] = {weights.tensor(name).sizes().vec(), file};
    } else {
      for (const auto& [name, tensor] : read_torch_bin_shapes(file)) shapes[name] = {tensor.sizes().vec(), file};
    }
  }
  return shapes;
}

}  // namespace hft::model
