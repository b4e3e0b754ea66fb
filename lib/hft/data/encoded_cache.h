// The on-disk cache of an EncodedDataset. A cache file is named by its key, a hash of everything
// that decides the ids and labels: the data file's bytes, the tokenizer's files and the settings
// (columns, labels, max length, ...). A changed input gives a new key, so a stale file is never
// read. The header also holds a hash of the content (as a checkpoint's manifest does), so an
// edited or damaged file is never served: the caller rebuilds it. Files are written atomically.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hft/data/encoded_dataset.h"  // EncodedDataset

namespace hft::data {

// `settings`: every setting that changes ids or labels, one "name=value" string each.
std::string encoded_cache_key(const std::string& data_bytes, const std::string& tokenizer_path,
                              const std::vector<std::string>& settings);

// The path of the cache file of `key` inside `cache_dir`.
std::string encoded_cache_path(const std::string& cache_dir, const std::string& key);

// What reading a cache file found: the dataset, or why there is none.
struct CacheRead {
  std::optional<EncodedDataset> dataset;
  std::string problem;  // empty when the file is simply absent; else why it cannot be used
};

// The cached dataset of `key` when the file is there, of that key, and matches its content hash.
CacheRead load_encoded_cache(const std::string& path, const std::string& key);

// Creates cache_dir's folders as needed; throws std::runtime_error when the file cannot be written.
void save_encoded_cache(const std::string& path, const std::string& key, const EncodedDataset& dataset);

}  // namespace hft::data
