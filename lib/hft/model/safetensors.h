// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"},
// then the tensors' bytes. Read memory-mapped and checked before any byte is trusted.
#pragma once

#include <torch/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hft::model {

// A memory-mapped safetensors file; the tensors it hands out view the mapping and keep it alive.
class SafetensorsFile {
 public:
  // Maps and validates `path`: header length within the file, valid JSON, known dtypes, each
  // tensor's bytes = numel x element size, offsets inside the data and not overlapping.
  // Throws ModelError naming the file and the offending tensor.
  explicit SafetensorsFile(const std::string& path);

  const std::vector<std::string>& names() const { return names_; }
  bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  // A CPU tensor viewing the mapped bytes (read-only use: copy before changing it).
  torch::Tensor tensor(const std::string& name) const;
  const std::string& path() const { return path_; }

 private:
  struct Entry {
    torch::ScalarType dtype;
    std::vector<int64_t> shape;
    size_t begin = 0, end = 0;  // byte offsets into the data section
  };
  struct Mapping;

  std::string path_;
  std::shared_ptr<Mapping> mapping_;
  std::map<std::string, Entry> entries_;
  std::vector<std::string> names_;
};

// Writes `tensors` (contiguous CPU copies are made as needed) with metadata {"format": "pt"},
// as transformers expects, atomically.
void write_safetensors(const std::string& path, const std::vector<std::pair<std::string, torch::Tensor>>& tensors);

}  // namespace hft::model
