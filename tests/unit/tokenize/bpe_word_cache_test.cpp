// BPE's word cache, by hand: what goes in comes out, long words stay out, a full cache starts over.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hft/tokenize/bpe_word_cache.h"

using namespace hft::tokenize;

namespace {

std::vector<ModelToken> tokens_of(const BpeWordCache& cache, std::u32string_view word) {
  std::vector<ModelToken> out = {{-1, 0, 0}};  // found tokens are appended after what is there
  if (!cache.find(word, out)) return {};
  out.erase(out.begin());
  return out;
}

bool same(const std::vector<ModelToken>& a, const std::vector<ModelToken>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].begin != b[i].begin || a[i].end != b[i].end) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("tokenize/bpe_word_cache: kept words come back, others are missing", "[tokenize][bpe]") {
  BpeWordCache cache;
  CHECK(tokens_of(cache, U"hello").empty());
  cache.insert(U"hello", {{31373, 0, 5}});
  cache.insert(U"\u0120world", {{995, 0, 6}});
  cache.insert(U"ab", {{64, 0, 1}, {65, 1, 2}});
  CHECK(same(tokens_of(cache, U"hello"), {{31373, 0, 5}}));
  CHECK(same(tokens_of(cache, U"\u0120world"), {{995, 0, 6}}));
  CHECK(same(tokens_of(cache, U"ab"), {{64, 0, 1}, {65, 1, 2}}));
  CHECK(tokens_of(cache, U"hell").empty());
  CHECK(tokens_of(cache, U"abc").empty());

  const std::u32string long_word(BpeWordCache::kMaxWordChars + 1, U'x');
  cache.insert(long_word, {{1, 0, 49}});
  CHECK(tokens_of(cache, long_word).empty());

  cache.clear();
  CHECK(tokens_of(cache, U"hello").empty());
}

TEST_CASE("tokenize/bpe_word_cache: a full cache starts over", "[tokenize][bpe]") {
  BpeWordCache cache;
  auto word = [](size_t i) { return U"w" + std::u32string(1, static_cast<char32_t>(0x4E00 + i % 20000)) + std::u32string(1, static_cast<char32_t>(0x30 + i / 20000)); };
  for (size_t i = 0; i < BpeWordCache::kMaxWords; ++i) cache.insert(word(i), {{static_cast<int32_t>(i), 0, 3}});
  CHECK(same(tokens_of(cache, word(0)), {{0, 0, 3}}));
  CHECK(same(tokens_of(cache, word(BpeWordCache::kMaxWords - 1)), {{static_cast<int32_t>(BpeWordCache::kMaxWords - 1), 0, 3}}));
  cache.insert(U"one more", {{7, 0, 8}});  // the cache was full: it starts over with this word
  CHECK(tokens_of(cache, word(0)).empty());
  CHECK(same(tokens_of(cache, U"one more"), {{7, 0, 8}}));
}
