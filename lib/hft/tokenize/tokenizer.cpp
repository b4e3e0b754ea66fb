// The encode pipeline. Offsets are tracked in code points of the caller's text: each
// normalized character remembers its origin, and a token spans the origins of its characters.
#include "hft/tokenize/tokenizer.h"

#include <algorithm>  // std::sort, std::binary_search, std::fill

#include "hft/tokenize/encode_rows.h"     // encode_rows
#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/truncation.h"      // truncate
#include "hft/tokenize/unicode.h"         // decode_utf8

namespace hft::tokenize {
namespace {

void push_token(Encoding& out, int32_t id, int32_t word, uint32_t begin, uint32_t end) {
  out.input_ids.push_back(id);
  out.token_type_ids.push_back(0);  // set for the whole text at its end
  out.attention_mask.push_back(1);
  out.special_tokens_mask.push_back(0);
  out.offsets.emplace_back(begin, end);
  out.word_ids.push_back(word);
}

NormalizedText slice(const NormalizedText& text, uint32_t begin, uint32_t end) {
  NormalizedText out;
  out.chars.assign(text.chars.begin() + begin, text.chars.begin() + end);
  out.origin_begin.assign(text.origin_begin.begin() + begin, text.origin_begin.begin() + end);
  out.origin_end.assign(text.origin_end.begin() + begin, text.origin_end.begin() + end);
  return out;
}

}  // namespace

Tokenizer::Tokenizer(TokenizerParts parts)
    : parts_(std::move(parts)), added_(parts_.added_tokens, parts_.normalizer.get()) {
  if (!parts_.model) throw TokenizeError(parts_.source, "the tokenizer has no model");
  for (const AddedToken& token : parts_.added_tokens) {
    if (token.special) special_ids_.push_back(token.id);
  }
  std::sort(special_ids_.begin(), special_ids_.end());
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    if (skip_special_tokens && std::binary_search(special_ids_.begin(), special_ids_.end(), id)) continue;
    if (auto token = id_to_token(id)) tokens.push_back(std::move(*token));
  }
  if (parts_.decoder) return parts_.decoder->decode(std::move(tokens));
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
  return out;
}

// Each pre-tokenizer word is word `next_word++`, as each split of a PreTokenizedString is a word
// in `tokenizers`, whether or not the model gives it tokens.
void Tokenizer::encode_normalized(const NormalizedText& text, Encoding& out, int32_t& next_word) const {
  // Per-thread buffers, cleared for each text: their memory is kept from text to text.
  thread_local WordList words;
  thread_local std::vector<ModelToken> tokens;
  words.clear();
  if (parts_.pre_tokenizer) {
    parts_.pre_tokenizer->split(text, {0, static_cast<uint32_t>(text.size())}, words);
  } else if (text.size() > 0) {
    words.add(0, static_cast<uint32_t>(text.size()));
  }
  for (const WordSpan& word : words.spans) {
    const int32_t word_id = next_word++;
    tokens.clear();
    if (!word.is_mapped()) {
      parts_.model->tokenize(std::u32string_view(text.chars).substr(word.begin, word.end - word.begin), tokens);
      for (const ModelToken& t : tokens) {
        const uint32_t first = word.begin + t.begin, last = word.begin + t.end - 1;
        push_token(out, t.id, word_id, text.origin_begin[first], text.origin_end[last]);
      }
    } else {
      parts_.model->tokenize(words.chars_of(word), tokens);
      for (const ModelToken& t : tokens) {
        const uint32_t first = words.mapped_from[word.mapped_begin + t.begin];
        const uint32_t last = words.mapped_from[word.mapped_begin + t.end - 1];
        push_token(out, t.id, word_id, text.origin_begin[first], text.origin_end[last]);
      }
    }
  }
}

Encoding Tokenizer::encode_text(std::string_view text, int32_t type_id) const {
  thread_local std::u32string chars;  // buffers kept from text to text, as in encode_normalized
  thread_local NormalizedText normalized;
  size_t bad = 0;
  if (!unicode::decode_utf8(text, chars, &bad)) {
    throw TokenizeError("input text", "invalid UTF-8 at byte " + std::to_string(bad) + " (text must be UTF-8)");
  }
  Encoding out;
  out.reserve(chars.size() / 3 + 4);  // about 4 chars a token in English; grows if more
  int32_t next_word = 0;  // an added token is a word of its own, as its split is in `tokenizers`
  for (const TextPiece& raw : added_.split(chars, /*normalized=*/false)) {
    if (raw.id) {
      push_token(out, *raw.id, next_word++, raw.begin, raw.end);
      continue;
    }
    normalized.assign_original(std::u32string_view(chars).substr(raw.begin, raw.end - raw.begin), raw.begin);
    if (parts_.normalizer) parts_.normalizer->normalize(normalized);
    const std::vector<TextPiece> pieces = added_.split(normalized.chars, /*normalized=*/true);
    if (pieces.size() == 1 && !pieces[0].id) {  // the common case: no added token inside
      encode_normalized(normalized, out, next_word);
      continue;
    }
    for (const TextPiece& piece : pieces) {
      if (piece.id) {
        push_token(out, *piece.id, next_word++, normalized.origin_begin[piece.begin],
                   normalized.origin_end[piece.end - 1]);
      } else {
        encode_normalized(slice(normalized, piece.begin, piece.end), out, next_word);
      }
    }
  }
  std::fill(out.token_type_ids.begin(), out.token_type_ids.end(), type_id);
  return out;
}

// Each word is a text of its own, as `tokenizers` encodes InputSequence::PreTokenized: added
// tokens, normalizer and pre-tokenizer see one word at a time (so a Metaspace or ByteLevel
// prefix goes before every word, as on the first word of a text), offsets count from the word's
// own start, and every token of word i has word id i. An empty word gives no token.
Encoding Tokenizer::encode_word_list(const std::vector<std::string>& words) const {
  Encoding out;
  for (size_t i = 0; i < words.size(); ++i) {
    Encoding word = encode_text(words[i], 0);
    std::fill(word.word_ids.begin(), word.word_ids.end(), static_cast<int32_t>(i));
    out = concatenate(std::move(out), std::move(word));
  }
  return out;
}

Encoding Tokenizer::finish(Encoding first, std::optional<Encoding> second, const EncodeOptions& options) const {
  if (options.max_length && options.truncation != Truncation::kDoNotTruncate) {
    const size_t added = (options.add_special_tokens && parts_.post_processor)
                             ? parts_.post_processor->added_tokens(second.has_value())
                             : 0;
    const size_t budget = *options.max_length > added ? *options.max_length - added : 0;
    truncate(first, second, budget, options.truncation);
  }
  if (parts_.offset_trimming.enabled) {
    auto token_of = [this](int32_t id) { return id_to_token(id); };
    trim_offsets(first, token_of, parts_.offset_trimming);
    if (second) trim_offsets(*second, token_of, parts_.offset_trimming);
  }
  if (parts_.post_processor) {
    return parts_.post_processor->process(std::move(first), std::move(second), options.add_special_tokens);
  }
  return concatenate(std::move(first), std::move(second));
}

Encoding Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  return finish(encode_text(text, 0), std::nullopt, options);
}

Encoding Tokenizer::encode_pair(std::string_view first, std::string_view second, const EncodeOptions& options) const {
  return finish(encode_text(first, 0), encode_text(second, 1), options);
}

std::vector<Encoding> Tokenizer::encode_batch(const std::vector<std::string>& texts,
                                              const std::vector<std::string>* pairs, const EncodeOptions& options,
                                              unsigned threads) const {
  if (pairs && pairs->size() != texts.size()) {
    throw TokenizeError("encode_batch", std::to_string(texts.size()) + " texts but " + std::to_string(pairs->size()) +
                                            " pair texts (give one second text per first text)");
  }
  return encode_rows(texts.size(), threads, [&](size_t i) {
    return pairs ? encode_pair(texts[i], (*pairs)[i], options) : encode(texts[i], options);
  });
}

Encoding Tokenizer::encode_words(const std::vector<std::string>& words, const EncodeOptions& options) const {
  return finish(encode_word_list(words), std::nullopt, options);
}

std::vector<Encoding> Tokenizer::encode_words_batch(const std::vector<std::vector<std::string>>& sentences,
                                                    const EncodeOptions& options, unsigned threads) const {
  return encode_rows(sentences.size(), threads, [&](size_t i) { return encode_words(sentences[i], options); });
}

size_t Tokenizer::vocab_size() const {
  size_t n = parts_.model->vocab_size();
  for (const AddedToken& token : added_.tokens()) {
    if (!parts_.model->token_to_id(token.content)) ++n;
  }
  return n;
}

std::optional<int32_t> Tokenizer::token_to_id(std::string_view token) const {
  if (auto id = added_.find(token)) return id;
  return parts_.model->token_to_id(token);
}

std::optional<std::string> Tokenizer::id_to_token(int32_t id) const {
  if (auto content = added_.content(id)) return content;
  return parts_.model->id_to_token(id);
}

}  // namespace hft::tokenize
