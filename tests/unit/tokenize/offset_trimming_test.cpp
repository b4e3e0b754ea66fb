// ByteLevel offset trimming on hand-made tokens: "Ġhello" at (5, 11) covers " hello".
#include <catch2/catch.hpp>

#include "hft/tokenize/offset_trimming.h"

using namespace hft::tokenize;

TEST_CASE("tokenize/offset_trimming: spaces leave the offsets", "[tokenize][offset_trimming]") {
  Encoding e;
  e.input_ids = {0, 1, 2};
  e.offsets = {{0, 3}, {3, 9}, {9, 12}};  // "Hey" " world" "  " (two spaces)
  const std::vector<std::string> tokens = {"Hey", "\xC4\xA0world", "\xC4\xA0\xC4\xA0"};
  auto token_of = [&](int32_t id) { return std::optional<std::string>(tokens[static_cast<size_t>(id)]); };
  trim_offsets(e, token_of, {true, false});
  CHECK(e.offsets == std::vector<CharOffsets>{{0, 3}, {4, 9}, {11, 11}});
}

TEST_CASE("tokenize/offset_trimming: the prefix space of the first token stays", "[tokenize][offset_trimming]") {
  Encoding e;
  e.input_ids = {0};
  e.offsets = {{0, 5}};
  auto token_of = [](int32_t) { return std::optional<std::string>("\xC4\xA0word"); };
  trim_offsets(e, token_of, {true, true});
  CHECK(e.offsets == std::vector<CharOffsets>{{0, 5}});
  trim_offsets(e, token_of, {true, false});
  CHECK(e.offsets == std::vector<CharOffsets>{{1, 5}});
}
