// Decoders on hand-made token lists (what `tokenizers` gives for them, worked out by hand).
#include <catch2/catch.hpp>

#include "hft/tokenize/decoder.h"

using namespace hft::tokenize;

TEST_CASE("tokenize/decoder: WordPiece joins ## pieces and cleans punctuation", "[tokenize][decoder]") {
  // The cleanup runs on each token with its space: " ," and " !" lose it; " ' " spans two tokens
  // and stays (BertTokenizer decodes "don't" to "don ' t").
  CHECK(wordpiece_decoder("##", true)->decode({"hello", ",", "un", "##aff", "##able", "don", "'", "t", "!"}) ==
        "hello, unaffable don ' t!");
  CHECK(wordpiece_decoder("##", false)->decode({"a", ",", "##b"}) == "a ,b");
}

TEST_CASE("tokenize/decoder: Metaspace and the Llama sequence", "[tokenize][decoder]") {
  CHECK(metaspace_decoder(U'\u2581', MetaspacePrepend::kAlways)->decode({"\u2581Hello", "\u2581wor", "ld"}) ==
        "Hello world");
  CHECK(metaspace_decoder(U'\u2581', MetaspacePrepend::kNever)->decode({"\u2581Hello"}) == " Hello");
  std::vector<std::unique_ptr<Decoder>> steps;
  steps.push_back(replace_decoder("\u2581", " "));
  steps.push_back(byte_fallback_decoder());
  steps.push_back(fuse_decoder());
  steps.push_back(strip_decoder(U' ', 1, 0));
  const auto llama = decoder_sequence(std::move(steps));
  // <0xC3><0xA9> is é; a lone <0xC3> is not UTF-8: one U+FFFD per byte.
  CHECK(llama->decode({"\u2581caf", "<0xC3>", "<0xA9>", "\u2581x"}) == "caf\u00e9 x");
  CHECK(llama->decode({"\u2581a", "<0xC3>", "b"}) == "a\uFFFDb");
}

TEST_CASE("tokenize/decoder: ByteLevel bytes across tokens, invalid UTF-8 as U+FFFD", "[tokenize][decoder]") {
  // "Ġ" is the space byte; "Ã" and "©" are the bytes C3 and A9 (é) in GPT-2's alphabet.
  CHECK(byte_level_decoder()->decode({"caf", "\u00c3", "\u00a9", "\u0120x"}) == "caf\u00e9 x");
  CHECK(utf8_lossy("a\xC3") == "a\uFFFD");
  CHECK(utf8_lossy("\xF0\x9F\x98x") == "\uFFFDx");       // a truncated 4-byte sequence: one U+FFFD
  CHECK(utf8_lossy("\xC0\x80") == "\uFFFD\uFFFD");       // overlong: each byte
}
