// The small normalizers on hand-checked strings.
#include <catch2/catch.hpp>

#include "hft/tokenize/simple_normalizers.h"
#include "hft/tokenize/unicode.h"

using namespace hft::tokenize;

namespace {

NormalizedText run(const Normalizer& n, const std::string& utf8) {
  std::u32string chars;
  REQUIRE(unicode::decode_utf8(utf8, chars));
  NormalizedText text = NormalizedText::from_original(chars, 0);
  n.normalize(text);
  return text;
}

std::string utf8(const NormalizedText& t) { return unicode::to_utf8(t.chars); }

}  // namespace

TEST_CASE("tokenize/simple_normalizers: each step", "[tokenize][simple_normalizers]") {
  CHECK(utf8(run(LowercaseNormalizer(), "ÀB")) == "àb");
  CHECK(utf8(run(NfdNormalizer(), "\xC3\xA9")) == "e\xCC\x81");                 // é -> e + U+0301
  CHECK(utf8(run(StripAccentsNormalizer(), "e\xCC\x81" "a\xE0\xA4\xBF")) == "ea");  // Mn and Mc go
  const NormalizedText stripped = run(StripNormalizer(true, false), "  ab ");
  CHECK(utf8(stripped) == "ab ");
  CHECK(stripped.origin_begin[0] == 2);
  const NormalizedText prepended = run(PrependNormalizer(U"\u2581"), "ab");
  CHECK(utf8(prepended) == "\xE2\x96\x81" "ab");
  CHECK(prepended.origin_begin[0] == 0);  // the prefix stands for the first char
  CHECK(utf8(run(PrependNormalizer(U"\u2581"), "")).empty());
}

TEST_CASE("tokenize/simple_normalizers: Sequence runs in order", "[tokenize][simple_normalizers]") {
  std::vector<std::unique_ptr<Normalizer>> steps;
  steps.push_back(std::make_unique<NfdNormalizer>());
  steps.push_back(std::make_unique<StripAccentsNormalizer>());
  steps.push_back(std::make_unique<LowercaseNormalizer>());
  CHECK(utf8(run(NormalizerSequence(std::move(steps)), "\xC3\x89T\xC3\x89")) == "ete");  // ÉTÉ
}
