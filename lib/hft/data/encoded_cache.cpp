#include "hft/data/encoded_cache.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hft/checkpoint/atomic_file.h"  // write_file_atomically
#include "hft/data/content_hash.h"       // ContentHash
#include "hft/tokenize/load.h"           // kTokenizerFiles

namespace hft::data {
namespace fs = std::filesystem;
namespace {

constexpr char kMagic[] = "hft-encoded-dataset v3\n";  // v3: a content hash after the key

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

template <typename T>
void put_array(std::string& out, const std::vector<T>& values) {
  const uint64_t count = values.size();
  out.append(reinterpret_cast<const char*>(&count), sizeof(count));
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// Reads arrays back from a byte buffer; `ok` turns false on a truncated buffer.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  std::vector<T> array() {
    uint64_t count = 0;
    if (!take(&count, sizeof(count)) || count > bytes_.size() / sizeof(T) + 1) return fail<T>();
    std::vector<T> values(count);
    if (!take(values.data(), count * sizeof(T))) return fail<T>();
    return values;
  }
  bool ok() const { return ok_ && pos_ == bytes_.size(); }

 private:
  template <typename T>
  std::vector<T> fail() {
    ok_ = false;
    return {};
  }
  bool take(void* out, size_t size) {
    if (!ok_ || bytes_.size() - pos_ < size) return ok_ = false;
    std::memcpy(out, bytes_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

bool consistent(const EncodedDataset& d) {
  const int64_t rows = d.size();
  if (rows < 0 || d.offsets.front() != 0 || d.offsets.back() != static_cast<int64_t>(d.input_ids.size())) return false;
  for (int64_t i = 0; i < rows; ++i)
    if (d.offsets[i] > d.offsets[i + 1]) return false;
  const int64_t targets_per_row = std::max<int64_t>(d.multi_label_width, 1);
  return d.token_type_ids.size() == d.input_ids.size() &&
         (d.label_ids.empty() || static_cast<int64_t>(d.label_ids.size()) == rows) &&
         (d.targets.empty() || static_cast<int64_t>(d.targets.size()) == rows * targets_per_row);
}

}  // namespace

std::string encoded_cache_key(const std::string& data_bytes, const std::string& tokenizer_path,
                              const std::vector<std::string>& settings) {
  ContentHash hash;
  hash.add(kMagic).add(data_bytes);
  const fs::path given(tokenizer_path);
  const fs::path dir = fs::is_directory(given) ? given : given.parent_path();
  if (!fs::is_directory(given)) hash.add(given.filename().string()).add(bytes_of(given));
  for (const char* name : tokenize::kTokenizerFiles)
    if (fs::is_regular_file(dir / name)) hash.add(name).add(bytes_of(dir / name));
  for (const std::string& setting : settings) hash.add(setting);
  return hash.hex();
}

std::string encoded_cache_path(const std::string& cache_dir, const std::string& key) {
  return (fs::path(cache_dir) / ("encoded-" + key + ".bin")).string();
}

CacheRead load_encoded_cache(const std::string& path, const std::string& key) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return {};
  const std::string bytes = bytes_of(path);
  // Header: magic, key, content hash, one line each; then the content.
  const std::string header = std::string(kMagic) + key + "\n";
  if (bytes.compare(0, header.size(), header) != 0) return {std::nullopt, "its header is not hft's for this key"};
  const size_t hash_end = bytes.find('\n', header.size());
  if (hash_end == std::string::npos) return {std::nullopt, "it is cut short"};
  const std::string_view content = std::string_view(bytes).substr(hash_end + 1);
  if (bytes.compare(header.size(), hash_end - header.size(), ContentHash().add(content).hex()) != 0)
    return {std::nullopt, "its content does not match the hash in its header"};
  if (content.size() < 2) return {std::nullopt, "it is cut short"};
  EncodedDataset dataset;
  dataset.has_labels = content[0] == 1;
  dataset.regression = content[1] == 1;
  Reader reader(content.substr(2));
  dataset.input_ids = reader.array<int32_t>();
  dataset.token_type_ids = reader.array<uint8_t>();
  dataset.offsets = reader.array<int64_t>();
  dataset.label_ids = reader.array<int64_t>();
  dataset.targets = reader.array<float>();
  const std::vector<int64_t> width = reader.array<int64_t>();
  dataset.multi_label_width = width.size() == 1 ? width[0] : -1;
  if (dataset.multi_label_width < 0 || !reader.ok() || dataset.offsets.empty() || !consistent(dataset))
    return {std::nullopt, "its arrays do not fit together"};
  return {std::move(dataset), ""};
}

void save_encoded_cache(const std::string& path, const std::string& key, const EncodedDataset& dataset) {
  std::string content;
  content.push_back(dataset.has_labels ? 1 : 0);
  content.push_back(dataset.regression ? 1 : 0);
  put_array(content, dataset.input_ids);
  put_array(content, dataset.token_type_ids);
  put_array(content, dataset.offsets);
  put_array(content, dataset.label_ids);
  put_array(content, dataset.targets);
  put_array(content, std::vector<int64_t>{dataset.multi_label_width});
  const std::string out = std::string(kMagic) + key + "\n" + ContentHash().add(content).hex() + "\n" + content;
  fs::create_directories(fs::path(path).parent_path());
  checkpoint::write_file_atomically(path, out);
}

}  // namespace hft::data
