#include "hft/tokenize/unigram.h"

#include <algorithm>  // std::min_element, std::reverse
#include <cstdio>     // std::snprintf
#include <limits>

#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/unicode.h"         // decode_utf8, to_utf8

namespace hft::tokenize {
namespace {

constexpr double kUnknownPenalty = 10.0;  // below the worst piece, as sentencepiece scores unknowns
constexpr uint32_t kNoNode = std::numeric_limits<uint32_t>::max();

uint64_t edge(uint32_t node, char32_t c) { return (static_cast<uint64_t>(node) << 21) | static_cast<uint64_t>(c); }

}  // namespace

Unigram::Unigram(const std::vector<std::pair<std::string, double>>& pieces, UnigramOptions options,
                 const std::string& source)
    : options_(options) {
  if (pieces.empty()) throw TokenizeError(source, "the Unigram vocabulary is empty");
  if (options_.unk_id < 0 || static_cast<size_t>(options_.unk_id) >= pieces.size()) {
    throw TokenizeError(source, "unk_id " + std::to_string(options_.unk_id) + " is not an index of the vocab (0 to " +
                                    std::to_string(pieces.size() - 1) + ")");
  }
  scores_.reserve(pieces.size());
  std::u32string chars;
  double min_score = std::numeric_limits<double>::max();
  for (size_t id = 0; id < pieces.size(); ++id) {
    const auto& [piece, score] = pieces[id];
    vocab_.add(piece, static_cast<int32_t>(id));
    scores_.push_back(score);
    min_score = std::min(min_score, score);
    chars.clear();
    if (!unicode::decode_utf8(piece, chars)) throw TokenizeError(source, "piece " + std::to_string(id) + " is not valid UTF-8");
    if (!chars.empty()) insert(chars, static_cast<int32_t>(id));
  }
  unk_score_ = min_score - kUnknownPenalty;
}

uint32_t Unigram::child(uint32_t node, char32_t c) const {
  auto it = children_.find(edge(node, c));
  return it == children_.end() ? kNoNode : it->second;
}

void Unigram::insert(std::u32string_view piece, int32_t id) {
  uint32_t node = 0;
  for (char32_t c : piece) {
    uint32_t next = child(node, c);
    if (next == kNoNode) {
      next = static_cast<uint32_t>(node_ids_.size());
      node_ids_.push_back(-1);
      children_.emplace(edge(node, c), next);
    }
    node = next;
  }
  node_ids_[node] = id;
}

// Viterbi as `tokenizers` runs it: start positions in order, a path replaced only by a strictly
// better one, so of equal paths the one whose last piece starts first (is longest) wins.
void Unigram::tokenize(std::u32string_view word, std::vector<ModelToken>& out) const {
  struct Best {
    double score = 0;
    int64_t start = -1;  // -1: no path ends here yet
    int32_t id = -1;
  };
  const uint32_t n = static_cast<uint32_t>(word.size());
  std::vector<Best> best(n + 1);
  best[0].start = 0;
  for (uint32_t s = 0; s < n; ++s) {
    const double base = best[s].score;
    bool single_char_piece = false;
    uint32_t node = 0;
    for (uint32_t k = s; k < n; ++k) {
      node = child(node, word[k]);
      if (node == kNoNode) break;
      const int32_t id = node_ids_[node];
      if (id < 0) continue;
      Best& target = best[k + 1];
      const double candidate = base + scores_[id];
      if (target.start < 0 || candidate > target.score) target = {candidate, s, id};
      if (k == s) single_char_piece = true;
    }
    if (!single_char_piece) {
      Best& target = best[s + 1];
      const double candidate = base + unk_score_;
      if (target.start < 0 || candidate > target.score) target = {candidate, s, options_.unk_id};
    }
  }
  std::vector<ModelToken> path;
  for (uint32_t end = n; end > 0; end = static_cast<uint32_t>(best[end].start)) {
    path.push_back({best[end].id, static_cast<uint32_t>(best[end].start), end});
  }
  std::reverse(path.begin(), path.end());
  // Consecutive unknowns become one.
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i].id != options_.unk_id) {
      out.push_back(path[i]);
      continue;
    }
    const uint32_t begin = path[i].begin;
    while (i + 1 < path.size() && path[i + 1].id == options_.unk_id) ++i;
    push_unknown(word, begin, path[i].end, out);
  }
}

// With byte_fallback, unknown text is its UTF-8 bytes as <0xNN> pieces (each spanning its char)
// when the vocabulary has all of them; otherwise one unknown.
void Unigram::push_unknown(std::u32string_view word, uint32_t begin, uint32_t end, std::vector<ModelToken>& out) const {
  if (options_.byte_fallback) {
    std::vector<ModelToken> bytes;
    std::string utf8;
    char name[8];
    bool all = true;
    for (uint32_t i = begin; i < end && all; ++i) {
      utf8.clear();
      unicode::append_utf8(word[i], utf8);
      for (unsigned char byte : utf8) {
        std::snprintf(name, sizeof(name), "<0x%02X>", byte);
        const auto id = vocab_.find(name);
        if (!id) {
          all = false;
          break;
        }
        bytes.push_back({*id, i, i + 1});
      }
    }
    if (all) {
      out.insert(out.end(), bytes.begin(), bytes.end());
      return;
    }
  }
  out.push_back({options_.unk_id, begin, end});
}

}  // namespace hft::tokenize
