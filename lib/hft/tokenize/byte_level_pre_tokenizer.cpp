#include "hft/tokenize/byte_level_pre_tokenizer.h"

#include "hft/tokenize/unicode.h"  // append_utf8

namespace hft::tokenize {
namespace {

// The GPT-2 split pattern, as `tokenizers` ByteLevel uses it.
constexpr const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

}  // namespace

const std::array<char32_t, 256>& byte_to_char() {
  static const std::array<char32_t, 256> table = [] {
    std::array<char32_t, 256> t{};
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      t[b] = printable ? static_cast<char32_t>(b) : next++;
    }
    return t;
  }();
  return table;
}

ByteLevelPreTokenizer::ByteLevelPreTokenizer(ByteLevelOptions options)
    : options_(options), pattern_(kGpt2Pattern, "ByteLevel pre-tokenizer") {}

void ByteLevelPreTokenizer::split(const NormalizedText& text, const WordSpan& range, WordList& words) const {
  if (range.end == range.begin) return;
  // The text in UTF-8 (with the prefix space, which belongs to the first char) for the pattern,
  // and its bytes spelled as chars in words.mapped: byte b is mapped char start + b.
  thread_local std::string utf8;
  utf8.clear();
  if (options_.add_prefix_space && text.chars[range.begin] != U' ') {
    utf8.push_back(' ');
    words.mapped_from.push_back(range.begin);
  }
  for (uint32_t i = range.begin; i < range.end; ++i) {
    const size_t before = utf8.size();
    unicode::append_utf8(text.chars[i], utf8);
    words.mapped_from.insert(words.mapped_from.end(), utf8.size() - before, i);
  }
  const auto start = static_cast<uint32_t>(words.mapped.size());
  const auto& table = byte_to_char();
  for (const char byte : utf8) words.mapped.push_back(table[static_cast<unsigned char>(byte)]);
  auto add_word = [&](size_t begin, size_t end) {
    words.add_mapped(start + static_cast<uint32_t>(begin), start + static_cast<uint32_t>(end));
  };
  if (!options_.use_regex) {
    add_word(0, utf8.size());
    return;
  }
  // Matches are words, and so is any text between them (the "isolated" split behaviour).
  size_t done = 0;
  pattern_.for_each_match(utf8, [&](size_t begin, size_t end) {
    if (begin > done) add_word(done, begin);
    add_word(begin, end);
    done = end;
  });
  if (done < utf8.size()) add_word(done, utf8.size());
}

}  // namespace hft::tokenize
