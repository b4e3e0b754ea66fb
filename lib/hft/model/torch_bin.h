// pytorch_model.bin: a state dict written by torch.save (the zip format of torch >= 1.6, as
// transformers' save_pretrained(..., safe_serialization=False) wrote it): the archive is read by
// LibTorch's own zip reader (caffe2::serialize::PyTorchStreamReader), its data.pkl by an
// allow-listed unpickler (state_dict_unpickler.h) that builds only tensors and dicts, like
// torch.load(weights_only=True).
#pragma once

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace hft::model {

// The (name, CPU tensor) pairs of the state dict in `path`, in stored order. Anything else (not
// a zip archive, a damaged archive, a pickle that is not {str: tensor}) throws ModelError with
// one line naming the file.
std::vector<std::pair<std::string, torch::Tensor>> read_torch_bin(const std::string& path);

// The same pairs as tensors on the meta device: names, shapes and dtypes, without reading the
// tensors' bytes (the checks before a model is built), with the same errors.
std::vector<std::pair<std::string, torch::Tensor>> read_torch_bin_shapes(const std::string& path);

}  // namespace hft::model
