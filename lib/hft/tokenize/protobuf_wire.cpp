#include "hft/tokenize/protobuf_wire.h"

#include <stdexcept>
#include <string>

namespace hft::tokenize {
namespace {

// Wire types (the low 3 bits of a field's key).
constexpr uint64_t kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5;

uint64_t read_varint(std::string_view& in) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) throw std::invalid_argument("a varint runs past the end");
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return value;
  }
  throw std::invalid_argument("a varint longer than 10 bytes");
}

std::string_view take(std::string_view& in, uint64_t size) {
  if (size > in.size()) throw std::invalid_argument("a field runs past the end");
  const std::string_view value = in.substr(0, size);
  in.remove_prefix(size);
  return value;
}

// One varint or length-delimited field of a message.
struct Field {
  uint32_t number = 0;
  bool varint = false;
  uint64_t value = 0;      // varint
  std::string_view bytes;  // length-delimited
};

// Calls on_field for each varint and length-delimited field of `message` (fixed-size ones are
// skipped).
template <typename OnField>
void for_each_field(std::string_view message, OnField on_field) {
  while (!message.empty()) {
    const uint64_t key = read_varint(message);
    Field field;
    field.number = static_cast<uint32_t>(key >> 3);
    switch (key & 7) {
      case kVarint:
        field.varint = true;
        field.value = read_varint(message);
        on_field(field);
        break;
      case kFixed64: take(message, 8); break;
      case kFixed32: take(message, 4); break;
      case kLengthDelimited:
        field.bytes = take(message, read_varint(message));
        on_field(field);
        break;
      default: throw std::invalid_argument("wire type " + std::to_string(key & 7) + " (groups) is not read");
    }
  }
}

}  // namespace

std::optional<std::string_view> length_delimited_field(std::string_view message, uint32_t number) {
  std::optional<std::string_view> found;
  for_each_field(message, [&](const Field& f) {
    if (f.number == number && !f.varint) found = f.bytes;
  });
  return found;
}

std::optional<uint64_t> varint_field(std::string_view message, uint32_t number) {
  std::optional<uint64_t> found;
  for_each_field(message, [&](const Field& f) {
    if (f.number == number && f.varint) found = f.value;
  });
  return found;
}

}  // namespace hft::tokenize
