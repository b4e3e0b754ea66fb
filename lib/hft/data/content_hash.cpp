#include "hft/data/content_hash.h"

#include <cstdio>

namespace hft::data {

void ContentHash::mix(unsigned char byte) {
  constexpr uint64_t kPrime = 0x100000001b3ULL;  // the FNV-1a 64 prime
  a_ = (a_ ^ byte) * kPrime;
  b_ = (b_ ^ static_cast<unsigned char>(byte + 0x5b)) * kPrime;
}

ContentHash& ContentHash::add(std::string_view bytes) {
  const std::string length = std::to_string(bytes.size()) + ":";
  for (char c : length) mix(static_cast<unsigned char>(c));
  for (char c : bytes) mix(static_cast<unsigned char>(c));
  return *this;
}

std::string ContentHash::hex() const {
  char text[33];
  std::snprintf(text, sizeof(text), "%016llx%016llx", static_cast<unsigned long long>(a_),
                static_cast<unsigned long long>(b_));
  return text;
}

}  // namespace hft::data
