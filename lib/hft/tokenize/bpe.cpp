#include "hft/tokenize/bpe.h"

#include <cstdio>  // snprintf
#include <queue>   // std::priority_queue
#include <unordered_map>

#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/unicode.h"         // append_utf8

namespace hft::tokenize {

Bpe::Bpe(Vocab vocab, const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options,
         const std::string& source)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  if (options_.unk_token) unk_id_ = vocab_.find(*options_.unk_token);
  const size_t prefix = options_.continuing_subword_prefix.size();
  merges_.reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [a, b] = merges[rank];
    const auto a_id = vocab_.find(a), b_id = vocab_.find(b);
    // The merged token drops the second part's continuing prefix: "##a" + "##b" -> "##ab".
    const std::string merged = a + (b.compare(0, prefix, options_.continuing_subword_prefix) == 0 ? b.substr(prefix) : b);
    const auto new_id = vocab_.find(merged);
    if (!a_id || !b_id || !new_id) {
      throw TokenizeError(source, "merge " + std::to_string(rank) + " (\"" + a + " " + b +
                                      "\") uses a token that is not in the vocabulary (the merges must match the vocab)");
    }
    merges_[key(*a_id, *b_id)] = Merge{static_cast<int32_t>(rank), *new_id};  // a repeated pair: the last wins, as in `tokenizers`
  }
}

void Bpe::initial_symbols(std::u32string_view word, std::vector<ModelToken>& symbols) const {
  const uint32_t n = static_cast<uint32_t>(word.size());
  std::string piece;
  for (uint32_t i = 0; i < n; ++i) {
    piece.clear();
    if (i > 0) piece = options_.continuing_subword_prefix;
    unicode::append_utf8(word[i], piece);
    if (i + 1 == n) piece += options_.end_of_word_suffix;
    if (const auto id = vocab_.find(piece)) {
      symbols.push_back({*id, i, i + 1});
      continue;
    }
    if (options_.byte_fallback) {  // <0xNN> for each byte of the char, if all exist
      std::string bytes;
      unicode::append_utf8(word[i], bytes);
      std::vector<ModelToken> fallback;
      for (unsigned char byte : bytes) {
        char name[8];
        std::snprintf(name, sizeof(name), "<0x%02X>", byte);
        if (const auto id = vocab_.find(name)) fallback.push_back({*id, i, i + 1});
      }
      if (fallback.size() == bytes.size()) {
        symbols.insert(symbols.end(), fallback.begin(), fallback.end());
        continue;
      }
    }
    if (!unk_id_) continue;  // no way to say it: the char is dropped, as `tokenizers` does
    if (options_.fuse_unk && !symbols.empty() && symbols.back().id == *unk_id_ && symbols.back().end == i) {
      symbols.back().end = i + 1;
    } else {
      symbols.push_back({*unk_id_, i, i + 1});
    }
  }
}

// Symbols form a linked list; candidate merges wait in a min-heap by (rank, position), so a
// word of n symbols takes O(n log n) even when it is a megabyte long. An entry whose symbols
// have changed since it was pushed is skipped when it comes up.
void Bpe::merge_all(std::vector<ModelToken>& symbols) const {
  const size_t n = symbols.size();
  if (n < 2) return;
  std::vector<int64_t> next(n), prev(n);
  std::vector<bool> alive(n, true);
  for (size_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? static_cast<int64_t>(i + 1) : -1;
    prev[i] = static_cast<int64_t>(i) - 1;
  }
  struct Candidate {
    int32_t rank;
    size_t pos;
    int32_t new_id;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  auto push = [&](int64_t left) {
    if (left < 0 || next[left] < 0) return;
    auto it = merges_.find(key(symbols[left].id, symbols[next[left]].id));
    if (it != merges_.end()) queue.push({it->second.rank, static_cast<size_t>(left), it->second.new_id});
  };
  for (size_t i = 0; i + 1 < n; ++i) push(static_cast<int64_t>(i));
  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    const size_t left = top.pos;
    if (!alive[left] || next[left] < 0) continue;
    const size_t right = static_cast<size_t>(next[left]);
    auto it = merges_.find(key(symbols[left].id, symbols[right].id));
    if (it == merges_.end() || it->second.new_id != top.new_id || it->second.rank != top.rank) continue;  // stale
    symbols[left] = {top.new_id, symbols[left].begin, symbols[right].end};
    alive[right] = false;
    next[left] = next[right];
    if (next[right] >= 0) prev[next[right]] = static_cast<int64_t>(left);
    push(prev[left]);
    push(static_cast<int64_t>(left));
  }
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    if (alive[i]) symbols[kept++] = symbols[i];
  }
  symbols.resize(kept);
}

void Bpe::tokenize(std::u32string_view word, std::vector<ModelToken>& out) const {
  if (options_.ignore_merges) {
    std::string whole;
    for (char32_t c : word) unicode::append_utf8(c, whole);
    if (const auto id = vocab_.find(whole)) {
      out.push_back({*id, 0, static_cast<uint32_t>(word.size())});
      return;
    }
  }
  // Short words repeat (in GLUE most are seen before): their tokens are kept, as the `tokenizers`
  // BPE keeps them.
  if (cache_.find(word, out)) return;
  std::vector<ModelToken> symbols;
  symbols.reserve(word.size());
  initial_symbols(word, symbols);
  merge_all(symbols);
  out.insert(out.end(), symbols.begin(), symbols.end());
  cache_.insert(word, symbols);
}

}  // namespace hft::tokenize
