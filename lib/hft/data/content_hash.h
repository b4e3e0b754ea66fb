// A 128-bit content hash (two FNV-1a 64-bit lanes with different bases), written as 32 hex
// digits: enough to tell apart data and tokenizer files for cache keys. Not cryptographic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hft::data {

class ContentHash {
 public:
  // Adds `bytes` preceded by their length, so ("ab","c") and ("a","bc") hash differently.
  ContentHash& add(std::string_view bytes);
  ContentHash& add(int64_t value) { return add(std::to_string(value)); }
  std::string hex() const;

 private:
  uint64_t a_ = 0xcbf29ce484222325ULL;  // the FNV-1a 64 offset basis
  uint64_t b_ = 0x84222325cbf29ce4ULL;  // a second lane with a different basis
  void mix(unsigned char byte);
};

}  // namespace hft::data
