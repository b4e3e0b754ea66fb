#include "hft/model/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/model/model_error.h"

namespace hft::model {
namespace {

using nlohmann::json;

struct DtypeName {
  const char* name;
  torch::ScalarType type;
};
constexpr DtypeName kDtypes[] = {
    {"F64", torch::kFloat64}, {"F32", torch::kFloat32}, {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16},
    {"I64", torch::kInt64},   {"I32", torch::kInt32},   {"I16", torch::kInt16},   {"I8", torch::kInt8},
    {"U8", torch::kUInt8},    {"BOOL", torch::kBool},
};

std::optional<torch::ScalarType> parse_dtype(const std::string& name) {
  for (const auto& d : kDtypes)
    if (name == d.name) return d.type;
  return std::nullopt;
}

const char* dtype_name(torch::ScalarType type) {
  for (const auto& d : kDtypes)
    if (type == d.type) return d.name;
  throw std::invalid_argument(std::string("safetensors cannot store dtype ") + c10::toString(type));
}

}  // namespace

// The mapped file; unmapped when the last tensor viewing it is gone.
struct SafetensorsFile::Mapping {
  void* base = MAP_FAILED;
  size_t size = 0;
  ~Mapping() {
    if (base != MAP_FAILED) ::munmap(base, size);
  }
  const uint8_t* bytes() const { return static_cast<const uint8_t*>(base); }
};

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path), mapping_(std::make_shared<Mapping>()) {
  auto fail = [&](const std::string& what) { throw ModelError(path + ": " + what); };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  ::fstat(fd, &info);
  mapping_->size = static_cast<size_t>(info.st_size);
  if (mapping_->size < 8) {
    ::close(fd);
    fail("too short for a safetensors file (" + std::to_string(mapping_->size) + " bytes)");
  }
  mapping_->base = ::mmap(nullptr, mapping_->size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapping_->base == MAP_FAILED) fail(std::string("cannot map: ") + std::strerror(errno));

  uint64_t header_size = 0;
  std::memcpy(&header_size, mapping_->bytes(), 8);  // little-endian, as on every machine hft runs on
  if (header_size > mapping_->size - 8)
    fail("header of " + std::to_string(header_size) + " bytes is longer than the file (" +
         std::to_string(mapping_->size) + " bytes)");
  const json header = json::parse(mapping_->bytes() + 8, mapping_->bytes() + 8 + header_size, nullptr, false);
  if (header.is_discarded() || !header.is_object()) fail("the header is not a JSON object");
  const size_t data_size = mapping_->size - 8 - header_size;
  const size_t data_start = 8 + header_size;

  std::vector<std::pair<size_t, std::string>> by_offset;
  for (const auto& item : header.items()) {
    const std::string& name = item.key();  // not a structured binding: lambdas capture it (clang < 16)
    const json& info_json = item.value();
    if (name == "__metadata__") continue;
    auto bad = [&](const std::string& what) { fail("tensor `" + name + "`: " + what); };
    if (!info_json.is_object() || !info_json.contains("dtype") || !info_json.contains("shape") ||
        !info_json.contains("data_offsets"))
      bad("needs dtype, shape and data_offsets");
    Entry entry;
    const auto dtype = info_json["dtype"].is_string() ? parse_dtype(info_json["dtype"].get<std::string>()) : std::nullopt;
    if (!dtype) bad("unknown dtype " + info_json["dtype"].dump() + "; expected one of F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL");
    entry.dtype = *dtype;
    // Sizes multiply without overflow (a huge shape must not wrap around to a small byte count).
    const auto& shape = info_json["shape"];
    if (!shape.is_array()) bad("shape " + shape.dump() + " is not a list of sizes");
    uint64_t numel = 1;
    for (const auto& dim : shape) {
      if (!dim.is_number_unsigned()) bad("shape " + shape.dump() + " is not a list of sizes");
      const uint64_t size = dim.get<uint64_t>();
      if (size > static_cast<uint64_t>(INT64_MAX) || __builtin_mul_overflow(numel, size, &numel))
        bad("shape " + shape.dump() + " is too large");
      entry.shape.push_back(static_cast<int64_t>(size));
    }
    uint64_t needed = 0;
    if (__builtin_mul_overflow(numel, c10::elementSize(entry.dtype), &needed)) bad("shape " + shape.dump() + " is too large");
    const auto& offsets = info_json["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
      bad("data_offsets must be [begin, end]");
    entry.begin = offsets[0].get<size_t>(), entry.end = offsets[1].get<size_t>();
    if (entry.begin > entry.end || entry.end > data_size)
      bad("data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) + "] outside the " +
          std::to_string(data_size) + " data bytes");
    if (entry.end - entry.begin != needed)
      bad("holds " + std::to_string(entry.end - entry.begin) + " bytes; its shape and dtype need " +
          std::to_string(needed));
    entry.begin += data_start, entry.end += data_start;
    by_offset.emplace_back(entry.begin, name);
    entries_.emplace(name, std::move(entry));
    names_.push_back(name);
  }
  std::sort(by_offset.begin(), by_offset.end());
  for (size_t i = 1; i < by_offset.size(); ++i)
    if (entries_.at(by_offset[i - 1].second).end > by_offset[i].first)
      fail("tensors `" + by_offset[i - 1].second + "` and `" + by_offset[i].second + "` overlap");
}

torch::Tensor SafetensorsFile::tensor(const std::string& name) const {
  const auto it = entries_.find(name);
  if (it == entries_.end()) throw ModelError(path_ + ": no tensor named `" + name + "`");
  const Entry& entry = it->second;
  auto keep_alive = mapping_;
  // from_blob does not copy; the deleter holds the mapping until the view is released.
  return torch::from_blob(const_cast<uint8_t*>(mapping_->bytes() + entry.begin), entry.shape,
                          [keep_alive](void*) {}, torch::TensorOptions().dtype(entry.dtype));
}

void write_safetensors(const std::string& path, const std::vector<std::pair<std::string, torch::Tensor>>& tensors) {
  json header = json::object();
  header["__metadata__"] = {{"format", "pt"}};
  std::vector<torch::Tensor> contiguous;
  size_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    contiguous.push_back(tensor.detach().to(torch::kCPU).contiguous());
    const size_t bytes = contiguous.back().nbytes();
    header[name] = {{"dtype", dtype_name(tensor.scalar_type())},
                    {"shape", contiguous.back().sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string header_text = header.dump();
  header_text.append((8 - header_text.size() % 8) % 8, ' ');  // keep the data 8-byte aligned
  std::string content(8, '\0');
  const uint64_t header_size = header_text.size();
  std::memcpy(content.data(), &header_size, 8);
  content += header_text;
  content.reserve(content.size() + offset);
  for (const auto& t : contiguous) content.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
  checkpoint::write_file_atomically(path, content);
}

}  // namespace hft::model
