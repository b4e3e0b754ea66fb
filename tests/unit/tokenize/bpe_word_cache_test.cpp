// BPE's word cache, by hand: what goes in comes out, long words stay out, a full cache keeps no
// more, threads that keep and look up the same words at once all see them whole, and a word kept
// by one thread never comes back for another word looked up at that moment.
#include <catch2/catch.hpp>

#include <atomic>
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

// A word that is not kept, looked up while another thread keeps a different word in the slot where
// its search ends, must stay missing, never come back with the other word's tokens. (A lookup that
// read its slot again after the search had seen it empty did: on GLUE, " armed" once came back as
// " Death".) Pairs of words that start their search in one slot make the two meet there.
TEST_CASE("tokenize/bpe_word_cache: a word kept by one thread is never found for another word", "[tokenize][bpe]") {
  struct Pair {
    std::u32string kept, looked_up;
  };
  std::vector<Pair> pairs;
  std::vector<std::u32string> first_at(BpeWordCache::kSlots);
  constexpr size_t kPairs = 8000, kSpacing = 8;  // slots between pairs: their probe runs never join
  for (size_t i = 0; pairs.size() < kPairs && i < 2000000; ++i) {
    const std::u32string candidate = word(i);
    const size_t home = BpeWordCache::home_slot(candidate);
    if (home % kSpacing != 0) continue;
    if (first_at[home].empty()) {
      first_at[home] = candidate;
    } else if (first_at[home] != U"-") {
      pairs.push_back({first_at[home], candidate});
      first_at[home] = U"-";  // one pair per slot
    }
  }
  REQUIRE(pairs.size() == kPairs);

  BpeWordCache cache;
  std::atomic<size_t> looking_up{0}, kept{0};
  size_t wrong = 0;
  std::thread keeper([&] {
    for (size_t k = 0; k < pairs.size(); ++k) {
      while (looking_up.load() <= k) std::this_thread::yield();
      cache.insert(pairs[k].kept, {{static_cast<int32_t>(k), 0, 3}});
      kept.store(k + 1);
    }
  });
  std::vector<ModelToken> out;
  for (size_t k = 0; k < pairs.size(); ++k) {
    looking_up.store(k + 1);
    for (size_t tries = 1; kept.load() <= k; ++tries) {
      wrong += cache.find(pairs[k].looked_up, out);
      out.clear();
      if (tries % 64 == 0) std::this_thread::yield();
    }
  }
  keeper.join();
  CHECK(wrong == 0);
  size_t found = 0;
  for (const Pair& pair : pairs) found += !tokens_of(cache, pair.kept).empty() && tokens_of(cache, pair.looked_up).empty();
  CHECK(found == kPairs);
}
