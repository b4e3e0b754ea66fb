#include "hft/tokenize/wordpiece.h"

#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/unicode.h"         // append_utf8

namespace hft::tokenize {

WordPiece::WordPiece(Vocab vocab, WordPieceOptions options, const std::string& source)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  const auto unk = vocab_.find(options_.unk_token);
  if (!unk) {
    throw TokenizeError(source, "the WordPiece unknown token \"" + options_.unk_token +
                                    "\" is not in the vocabulary (add it, or name one that is as unk_token)");
  }
  unk_id_ = *unk;
}

void WordPiece::tokenize(std::u32string_view word, std::vector<ModelToken>& out) const {
  const uint32_t n = static_cast<uint32_t>(word.size());
  if (n > options_.max_input_chars_per_word) {
    out.push_back({unk_id_, 0, n});
    return;
  }
  // The word in UTF-8, and where each code point starts in it (with the end at index n).
  std::string utf8;
  std::vector<uint32_t> byte_at(n + 1);
  for (uint32_t i = 0; i < n; ++i) {
    byte_at[i] = static_cast<uint32_t>(utf8.size());
    unicode::append_utf8(word[i], utf8);
  }
  byte_at[n] = static_cast<uint32_t>(utf8.size());

  const size_t first_new = out.size();
  const std::string& prefix = options_.continuing_subword_prefix;
  std::string candidate;
  for (uint32_t start = 0; start < n;) {
    uint32_t end = n;
    std::optional<int32_t> id;
    // Longest piece first: shrink one code point at a time until the vocabulary has it.
    for (; end > start; --end) {
      const std::string_view piece(utf8.data() + byte_at[start], byte_at[end] - byte_at[start]);
      if (start == 0) {
        id = vocab_.find(piece);
      } else {
        candidate.assign(prefix).append(piece);
        id = vocab_.find(candidate);
      }
      if (id) break;
    }
    if (!id) {  // some part of the word has no piece: the whole word is unknown
      out.resize(first_new);
      out.push_back({unk_id_, 0, n});
      return;
    }
    out.push_back({*id, start, end});
    start = end;
  }
}

}  // namespace hft::tokenize
