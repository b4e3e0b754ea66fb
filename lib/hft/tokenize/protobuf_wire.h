// The little of protobuf's wire format hft reads: single fields of a serialized message
// (SentencePiece's ModelProto: normalizer_spec.precompiled_charsmap, trainer_spec.byte_fallback),
// without generated classes (Debian's sentencepiece package ships no sentencepiece_model.pb.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hft::tokenize {

// The value of the last occurrence of length-delimited field `field` (a string, bytes or nested
// message) in `message`; nullopt when absent. Throws std::invalid_argument when the bytes are not
// a well-formed message.
std::optional<std::string_view> length_delimited_field(std::string_view message, uint32_t field);

// The value of the last occurrence of varint field `field` (an integer or bool); nullopt when absent.
std::optional<uint64_t> varint_field(std::string_view message, uint32_t field);

}  // namespace hft::tokenize
