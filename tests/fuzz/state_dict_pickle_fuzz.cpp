// libFuzzer target for the state-dict unpickler behind pytorch_model.bin: any bytes as data.pkl
// either give tensors that lie inside their storages, or are refused with an exception. A crash,
// a hang or a read outside a storage (AddressSanitizer) is a finding. Built by
// tests/fuzz/CMakeLists.txt; seeds in state_dict_pickle_corpus/ are data.pkl files torch.save wrote.
#include <c10/core/CPUAllocator.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <string>

#include "hft/model/state_dict_unpickler.h"  // unpickle_state_dict

namespace {

// Every storage record holds 4096 bytes, so a pickle's sizes and strides decide whether a view fits.
std::pair<at::DataPtr, size_t> fixed_record(const std::string&) {
  constexpr size_t kBytes = 4096;
  at::DataPtr data = c10::GetCPUAllocator()->allocate(kBytes);
  std::memset(data.get(), 0x5a, kBytes);
  return {std::move(data), kBytes};
}

// Reads every element of every tensor (in instrumented code, so a view past its storage shows).
void read_all(const std::vector<std::pair<std::string, torch::Tensor>>& tensors) {
  uint8_t checksum = 0;
  for (const auto& [name, tensor] : tensors) {
    const torch::Tensor bytes = tensor.contiguous();
    const auto* data = static_cast<const uint8_t*>(bytes.data_ptr());
    for (size_t i = 0; i < bytes.nbytes(); ++i) checksum ^= data[i];
  }
  (void)checksum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string pickle(reinterpret_cast<const char*>(data), size);
  try {
    read_all(hft::model::unpickle_state_dict(pickle, fixed_record));
  } catch (const std::exception&) {
    // refused with a message: the expected outcome for malformed input
  }
  return 0;
}
