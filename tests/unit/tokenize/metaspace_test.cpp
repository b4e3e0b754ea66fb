// Metaspace by hand: spaces become "▁", "▁" is prepended by the scheme, split before each "▁".
#include <catch2/catch.hpp>

#include "hft/tokenize/metaspace.h"
#include "hft/tokenize/tokenize_error.h"

using namespace hft::tokenize;

namespace {

std::vector<std::u32string> words(const MetaspacePreTokenizer& p, const NormalizedText& text) {
  WordList list;
  p.split(text, {0, static_cast<uint32_t>(text.size())}, list);
  std::vector<std::u32string> out;
  for (const auto& w : list.spans) out.emplace_back(list.chars_of(w));
  return out;
}

}  // namespace

TEST_CASE("tokenize/metaspace: replace, prepend and split", "[tokenize][metaspace]") {
  const NormalizedText text = NormalizedText::from_original(U"a  b", 0);
  const MetaspacePreTokenizer split({U'\u2581', MetaspacePrepend::kAlways, true});
  CHECK(words(split, text) == std::vector<std::u32string>{U"\u2581a", U"\u2581", U"\u2581b"});
  const MetaspacePreTokenizer whole({U'\u2581', MetaspacePrepend::kAlways, false});
  CHECK(words(whole, text) == std::vector<std::u32string>{U"\u2581a\u2581\u2581b"});
  const MetaspacePreTokenizer never({U'\u2581', MetaspacePrepend::kNever, false});
  CHECK(words(never, text) == std::vector<std::u32string>{U"a\u2581\u2581b"});
  // A text that starts with a space has its "▁" already.
  CHECK(words(whole, NormalizedText::from_original(U" a", 0)) == std::vector<std::u32string>{U"\u2581a"});
}

TEST_CASE("tokenize/metaspace: prepend_scheme first only at the start of the input", "[tokenize][metaspace]") {
  const MetaspacePreTokenizer first({U'\u2581', MetaspacePrepend::kFirst, false});
  CHECK(words(first, NormalizedText::from_original(U"ab", 0)) == std::vector<std::u32string>{U"\u2581ab"});
  // Text after an added token: its chars come from original position 3 on.
  CHECK(words(first, NormalizedText::from_original(U"ab", 3)) == std::vector<std::u32string>{U"ab"});
  CHECK_THROWS_AS(parse_prepend_scheme("sometimes", "t.json"), TokenizeError);
}
