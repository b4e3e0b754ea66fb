// libFuzzer target for the safetensors reader: any bytes either open as a file whose tensors all
// lie inside it, or are refused with one ModelError. Any other exception, a crash, or a read
// outside the mapping (AddressSanitizer) is a finding. Built by tests/fuzz/CMakeLists.txt.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "hft/model/model_error.h"  // ModelError
#include "hft/model/safetensors.h"  // SafetensorsFile

namespace {

// SafetensorsFile maps a path, so each input goes through one scratch file of this process.
const std::string& scratch_path() {
  static const std::string path = "/tmp/hft-safetensors-fuzz-" + std::to_string(::getpid()) + ".safetensors";
  return path;
}

// Reads every byte of every tensor (in instrumented code, so a bad view shows) and checks that
// together they fit in the file: non-overlapping tensors cannot hold more bytes than it has.
void read_all_tensors(const hft::model::SafetensorsFile& file, size_t file_size) {
  size_t total = 0;
  uint8_t checksum = 0;
  for (const auto& name : file.names()) {
    const torch::Tensor tensor = file.tensor(name);
    const auto* bytes = static_cast<const uint8_t*>(tensor.data_ptr());
    for (size_t i = 0; i < tensor.nbytes(); ++i) checksum ^= bytes[i];
    total += tensor.nbytes();
  }
  if (total > file_size) {
    std::fprintf(stderr, "tensors hold %zu bytes, the file has %zu\n", total, file_size);
    std::abort();
  }
  (void)checksum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(scratch_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const hft::model::SafetensorsFile file(scratch_path());
    read_all_tensors(file, size);
  } catch (const hft::model::ModelError&) {
    // refused with a message: the expected outcome for malformed input
  }
  return 0;
}
