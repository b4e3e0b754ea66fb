#include "hft/tokenize/added_vocabulary.h"

#include <utf8proc.h>  // utf8proc_category (word characters for single_word)

#include "hft/tokenize/normalized_text.h"  // NormalizedText
#include "hft/tokenize/normalizer.h"       // Normalizer
#include "hft/tokenize/unicode.h"          // decode_utf8, is_whitespace

namespace hft::tokenize {
namespace {

// Regex \w in Unicode mode (letters, marks, digits, connector punctuation), which the
// library's single_word check uses on both sides of a match.
bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return c == 0x200C || c == 0x200D;  // Join_Control
  }
}

}  // namespace

AddedVocabulary::AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer)
    : tokens_(std::move(tokens)) {
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& token = tokens_[i];
    std::u32string chars;
    if (token.content.empty() || !unicode::decode_utf8(token.content, chars)) continue;
    if (token.normalized && normalizer) {
      NormalizedText text = NormalizedText::from_original(chars, 0);
      normalizer->normalize(text);
      chars = text.chars;
      if (chars.empty()) continue;
    }
    Patterns& patterns = token.normalized ? normalized_ : raw_;
    patterns.add({std::move(chars), i});
  }
}

void AddedVocabulary::Patterns::add(Pattern pattern) {
  const char32_t first = pattern.chars[0];
  if (first < ascii_first.size()) ascii_first[first] = true;
  by_first_char[first].push_back(std::move(pattern));
}

const AddedVocabulary::Pattern* AddedVocabulary::longest_at(const Patterns& patterns, std::u32string_view text,
                                                            size_t pos) const {
  auto it = patterns.by_first_char.find(text[pos]);
  if (it == patterns.by_first_char.end()) return nullptr;
  const Pattern* best = nullptr;
  for (const Pattern& p : it->second) {
    if (p.chars.size() <= text.size() - pos && text.compare(pos, p.chars.size(), p.chars) == 0 &&
        (!best || p.chars.size() > best->chars.size())) {
      best = &p;
    }
  }
  return best;
}

std::vector<TextPiece> AddedVocabulary::split(std::u32string_view text, bool normalized) const {
  const Patterns& patterns = normalized ? normalized_ : raw_;
  std::vector<TextPiece> pieces;
  uint32_t done = 0;  // text before this is in `pieces`
  const uint32_t n = static_cast<uint32_t>(text.size());
  for (uint32_t pos = 0; !patterns.empty() && pos < n;) {
    if (text[pos] < patterns.ascii_first.size() && !patterns.ascii_first[text[pos]]) {  // no pattern starts here
      ++pos;
      continue;
    }
    const Pattern* match = longest_at(patterns, text, pos);
    if (!match) {
      ++pos;
      continue;
    }
    const AddedToken& token = tokens_[match->token];
    uint32_t begin = pos, end = pos + static_cast<uint32_t>(match->chars.size());
    pos = end;  // matches never overlap, even a discarded one
    if (token.single_word && ((begin > 0 && is_word_char(text[begin - 1])) || (end < n && is_word_char(text[end])))) {
      continue;
    }
    if (token.lstrip) {
      while (begin > done && unicode::is_whitespace(text[begin - 1])) --begin;
    }
    if (token.rstrip) {
      while (end < n && unicode::is_whitespace(text[end])) ++end;
      pos = end;
    }
    if (done < begin) pieces.push_back({done, begin, std::nullopt});
    pieces.push_back({begin, end, token.id});
    done = end;
  }
  if (done < n || pieces.empty()) pieces.push_back({done, n, std::nullopt});
  return pieces;
}

std::optional<int32_t> AddedVocabulary::find(std::string_view content) const {
  for (const auto& token : tokens_) {
    if (token.content == content) return token.id;
  }
  return std::nullopt;
}

std::optional<std::string> AddedVocabulary::content(int32_t id) const {
  for (const auto& token : tokens_) {
    if (token.id == id) return token.content;
  }
  return std::nullopt;
}

}  // namespace hft::tokenize
