// The protobuf wire reader on messages encoded by hand from the wire-format specification
// (protobuf.dev/programming-guides/encoding).
#include "hft/tokenize/protobuf_wire.h"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using hft::tokenize::length_delimited_field;
using hft::tokenize::varint_field;

namespace {

// Field 1 = varint 150 (08 96 01, the specification's example), field 2 = "testing"
// (12 07 74 65 73 74 69 6e 67), a fixed32 field 3 (1d + 4 bytes), field 2 again = "ab".
const std::string kMessage = std::string("\x08\x96\x01", 3) + std::string("\x12\x07testing", 9) +
                             std::string("\x1d\x01\x02\x03\x04", 5) + std::string("\x12\x02" "ab", 4);

}  // namespace

TEST_CASE("protobuf wire: varint and length-delimited fields, the last occurrence wins") {
  CHECK(varint_field(kMessage, 1) == 150u);
  CHECK(length_delimited_field(kMessage, 2) == std::string_view("ab"));
  CHECK_FALSE(varint_field(kMessage, 2).has_value());  // field 2 is length-delimited
  CHECK_FALSE(length_delimited_field(kMessage, 4).has_value());
  CHECK_FALSE(length_delimited_field("", 1).has_value());
}

TEST_CASE("protobuf wire: truncated messages and groups are refused") {
  CHECK_THROWS_AS(length_delimited_field(std::string("\x12\x07test", 6), 2), std::invalid_argument);  // 7 bytes said, 4 there
  CHECK_THROWS_AS(varint_field(std::string("\x08\x96", 2), 1), std::invalid_argument);               // varint cut short
  CHECK_THROWS_AS(varint_field(std::string("\x0b", 1), 1), std::invalid_argument);                   // a group (wire type 3)
}
