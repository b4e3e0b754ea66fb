// BPE's word cache, by hand: what goes in comes out, long words stay out, a full cache keeps no
// more, and threads that keep and look up the same words at once all see them whole.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
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

// Distinct words: "w", a CJK char and a digit.
std::u32string word(size_t i) {
  return U"w" + std::u32string(1, static_cast<char32_t>(0x4E00 + i % 20000)) +
         std::u32string(1, static_cast<char32_t>(0x30 + i / 20000));
}

}  // namespace

TEST_CASE("tokenize/bpe_word_cache: kept words come back, others are missing", "[tokenize][bpe]") {
  BpeWordCache cache;
  CHECK(tokens_of(cache, U"hello").empty());
  cache.insert(U"hello", {{31373, 0, 5}});
  cache.insert(U"\u0120world", {{995, 0, 6}});
  cache.insert(U"ab", {{64, 0, 1}, {65, 1, 2}});
  cache.insert(U"ab", {{1, 0, 2}});  // kept already: the first stays
  CHECK(same(tokens_of(cache, U"hello"), {{31373, 0, 5}}));
  CHECK(same(tokens_of(cache, U"\u0120world"), {{995, 0, 6}}));
  CHECK(same(tokens_of(cache, U"ab"), {{64, 0, 1}, {65, 1, 2}}));
  CHECK(tokens_of(cache, U"hell").empty());
  CHECK(tokens_of(cache, U"abc").empty());

  // A word of chars the vocabulary lacks (no unk token) has no tokens, and is kept as such.
  cache.insert(U"spl", {});
  std::vector<ModelToken> out;
  CHECK(cache.find(U"spl", out));
  CHECK(out.empty());

  const std::u32string long_word(BpeWordCache::kMaxWordChars + 1, U'x');
  cache.insert(long_word, {{1, 0, 49}});
  CHECK(tokens_of(cache, long_word).empty());
}

TEST_CASE("tokenize/bpe_word_cache: a full cache keeps no more", "[tokenize][bpe]") {
  BpeWordCache cache;
  for (size_t i = 0; i < BpeWordCache::kMaxWords; ++i) cache.insert(word(i), {{static_cast<int32_t>(i), 0, 3}});
  CHECK(same(tokens_of(cache, word(0)), {{0, 0, 3}}));
  const auto last = static_cast<int32_t>(BpeWordCache::kMaxWords - 1);
  CHECK(same(tokens_of(cache, word(last)), {{last, 0, 3}}));
  cache.insert(U"one more", {{7, 0, 8}});
  CHECK(tokens_of(cache, U"one more").empty());
  CHECK(same(tokens_of(cache, word(0)), {{0, 0, 3}}));
}

TEST_CASE("tokenize/bpe_word_cache: two threads keeping and finding the same words", "[tokenize][bpe]") {
  BpeWordCache cache;
  constexpr size_t kWords = 20000;
  std::vector<size_t> wrong(2);
  auto work = [&](size_t thread) {
    for (size_t n = 0; n < kWords; ++n) {
      const size_t i = thread == 0 ? n : kWords - 1 - n;  // the threads meet in the middle
      const std::vector<ModelToken> expected = {{static_cast<int32_t>(i), 0, 1}, {static_cast<int32_t>(i + 1), 1, 3}};
      const std::vector<ModelToken> found = tokens_of(cache, word(i));
      if (found.empty()) {
        cache.insert(word(i), expected);
      } else if (!same(found, expected)) {
        ++wrong[thread];
      }
    }
  };
  std::thread other(work, 1);
  work(0);
  other.join();
  CHECK(wrong == std::vector<size_t>{0, 0});
  size_t kept = 0;
  for (size_t i = 0; i < kWords; ++i) {
    kept += same(tokens_of(cache, word(i)), {{static_cast<int32_t>(i), 0, 1}, {static_cast<int32_t>(i + 1), 1, 3}});
  }
  CHECK(kept == kWords);
}
