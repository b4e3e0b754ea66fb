// The pickle inside a torch.save archive (data.pkl), read with an allow-list, as
// torch.load(weights_only=True) reads it: a dict or collections.OrderedDict of tensors built by
// torch._utils._rebuild_tensor_v2 / _rebuild_parameter over typed storages. Any other global
// is refused, so a checkpoint cannot run code.
//
// Why not LibTorch's torch::pickle_load: its unpickler turns every collections.OrderedDict into
// None, and model.state_dict() is an OrderedDict (with a _metadata attribute set by BUILD), so
// it cannot read a state dict transformers wrote. The archive itself is read by LibTorch.
#pragma once

#include <torch/types.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace hft::model {

// The bytes of the archive's record data/<key> (a storage), with their size. A DataPtr on the meta
// device (no bytes) gives meta tensors: the shapes and dtypes without the data.
using StorageRecordReader = std::function<std::pair<at::DataPtr, size_t>(const std::string& key)>;

// The (name, tensor) pairs of the state dict pickled in `pickle`, in stored order. Tensors view
// storages read through `read_record` (one read per storage; views of one storage share it).
// Throws std::runtime_error with one line for anything else.
std::vector<std::pair<std::string, torch::Tensor>> unpickle_state_dict(const std::string& pickle,
                                                                       const StorageRecordReader& read_record);

}  // namespace hft::model
