// The whole pipeline on the real BERT files, against values recorded in
// tests/fixtures/tokenizers/MANIFEST.md from upstream tests (daulet/tokenizers, pytorch/text,
// swift-transformers), plus hand-checked pair truncation and batch order.
#include <catch2/catch.hpp>

#include "hft/tokenize/load.h"
#include "hft/tokenize/tokenize_error.h"
#include "test_data.h"

using namespace hft::tokenize;
using Ids = std::vector<int32_t>;

namespace {

const Tokenizer& uncased_json() {
  static const Tokenizer t = load(test::tokenizer_dir("bert-base-uncased/tokenizer.json"));
  return t;
}
const Tokenizer& uncased_vocab() {
  static const Tokenizer t = load(test::tokenizer_dir("bert-base-uncased/vocab.txt"));
  return t;
}
const Tokenizer& cased_vocab() {
  static const Tokenizer t = load(test::tokenizer_dir("bert-base-cased"));
  return t;
}

EncodeOptions no_special() {
  EncodeOptions o;
  o.add_special_tokens = false;
  return o;
}

}  // namespace

TEST_CASE("tokenize/tokenizer: bert-base-uncased: recorded ids (swift-transformers, daulet/tokenizers)", "[tokenize][tokenizer]") {
  for (const Tokenizer* t : {&uncased_json(), &uncased_vocab()}) {
    CHECK(t->encode("hello world").input_ids == Ids{101, 7592, 2088, 102});
    CHECK(t->encode("How are you doing?").input_ids == Ids{101, 2129, 2024, 2017, 2725, 1029, 102});
    CHECK(t->encode("").input_ids == Ids{101, 102});
    CHECK(t->vocab_size() == 30522);
    const Encoding e = t->encode("brown fox jumps over the lazy dog", no_special());
    CHECK(e.input_ids == Ids{2829, 4419, 14523, 2058, 1996, 13971, 3899});
    CHECK(e.offsets == std::vector<CharOffsets>{{0, 5}, {6, 9}, {10, 15}, {16, 20}, {21, 24}, {25, 29}, {30, 33}});
    CHECK(t->encode("brown fox jumps over the lazy dog").input_ids ==
          Ids{101, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102});
  }
}

TEST_CASE("tokenize/tokenizer: bert-base-uncased: accents, punctuation (pytorch/text)", "[tokenize][tokenizer]") {
  const Tokenizer& t = uncased_vocab();
  CHECK(t.encode("Hello World!, how are you?", no_special()).input_ids == Ids{7592, 2088, 999, 1010, 2129, 2024, 2017, 1029});
  CHECK(t.encode("Respublica superiorem", no_special()).input_ids == Ids{24501, 14289, 16558, 5555, 6020, 6633});
  CHECK(t.encode("Avdija Vr\xC5\xA1" "ajevi\xC4\x87 \xC3\xAEn", no_special()).input_ids ==
        Ids{20704, 4305, 3900, 27830, 3736, 26782, 1999});
}

TEST_CASE("tokenize/tokenizer: bert-base-cased from vocab.txt alone is cased (pytorch/text)", "[tokenize][tokenizer]") {
  const Tokenizer& t = cased_vocab();
  CHECK(t.vocab_size() == 28996);
  CHECK(t.encode("Hello World!, how are you?", no_special()).input_ids == Ids{8667, 1291, 106, 117, 1293, 1132, 1128, 136});
  // "Hélló  WoŕlḊ¿": accents kept, so the pieces differ from uncased; Ḋ has no piece.
  CHECK(t.encode("H\xC3\xA9ll\xC3\xB3  Wo\xC5\x95l\xE1\xB8\x8A\xC2\xBF", no_special()).input_ids ==
        Ids{145, 2744, 2339, 7774, 100, 225});
  CHECK(t.encode("Respublica superiorem", no_special()).input_ids == Ids{11336, 20080, 10354, 9538, 7298, 5521});
  CHECK(t.encode("Avdija Vr\xC5\xA1" "ajevi\xC4\x87 \xC3\xAEn", no_special()).input_ids ==
        Ids{138, 1964, 3309, 3174, 159, 1197, 23834, 5561, 10225, 260, 1179});
}

TEST_CASE("tokenize/tokenizer: special tokens in the text, long words, Chinese", "[tokenize][tokenizer]") {
  const Tokenizer& t = uncased_json();
  // [SEP] written in the text is the token itself (matched before lowercasing), [sep] is not.
  CHECK(t.encode("a [SEP] b", no_special()).input_ids == Ids{1037, 102, 1038});
  CHECK(t.encode("[sep]", no_special()).input_ids.size() == 3);  // [ sep ]
  CHECK(t.encode(std::string(101, 'a')).input_ids == Ids{101, 100, 102});
  const Encoding zh = t.encode("\xE4\xB8\x80\xE4\xBA\x8C", no_special());  // 一二: one token each
  CHECK(zh.input_ids == Ids{1740, 1752});
  CHECK(zh.offsets == std::vector<CharOffsets>{{0, 1}, {1, 2}});
}

TEST_CASE("tokenize/tokenizer: pairs: [CLS] A [SEP] B [SEP], type ids, truncation by hand", "[tokenize][tokenizer]") {
  const Tokenizer& t = uncased_json();
  const Encoding e = t.encode_pair("a b", "c");
  CHECK(e.input_ids == Ids{101, 1037, 1038, 102, 1039, 102});
  CHECK(e.token_type_ids == Ids{0, 0, 0, 0, 1, 1});
  CHECK(e.special_tokens_mask == Ids{1, 0, 0, 1, 0, 1});
  CHECK(e.attention_mask == Ids{1, 1, 1, 1, 1, 1});
  EncodeOptions seven;
  seven.max_length = 7;  // 3 special tokens leave 4: a b (the shorter keeps 2) and g h
  CHECK(t.encode_pair("a b c d e f", "g h", seven).input_ids == Ids{101, 1037, 1038, 102, 1043, 1044, 102});
  seven.truncation = Truncation::kOnlyFirst;
  CHECK(t.encode_pair("a b c d e f", "g h", seven).input_ids == Ids{101, 1037, 1038, 102, 1043, 1044, 102});
  seven.truncation = Truncation::kOnlySecond;
  CHECK_THROWS_AS(t.encode_pair("a b c d e f", "g h", seven), TokenizeError);
}

TEST_CASE("tokenize/tokenizer: batch encoding keeps input order", "[tokenize][tokenizer]") {
  const Tokenizer& t = uncased_json();
  std::vector<std::string> texts, pairs;
  for (int i = 0; i < 500; ++i) {
    texts.push_back("text number " + std::to_string(i) + (i % 3 ? " with more words" : ""));
    pairs.push_back(std::to_string(i * 7));
  }
  const auto batch = t.encode_batch(texts, &pairs, {}, 4);
  REQUIRE(batch.size() == texts.size());
  for (size_t i = 0; i < texts.size(); ++i) CHECK(batch[i].input_ids == t.encode_pair(texts[i], pairs[i]).input_ids);
}

TEST_CASE("tokenize/tokenizer: special tokens and padding side", "[tokenize][tokenizer]") {
  for (const Tokenizer* t : {&uncased_json(), &cased_vocab()}) {
    CHECK(t->special_tokens().cls == "[CLS]");
    CHECK(t->special_tokens().sep == "[SEP]");
    CHECK(t->special_tokens().pad == "[PAD]");
    CHECK(t->special_tokens().unk == "[UNK]");
    CHECK(t->special_tokens().mask == "[MASK]");
    CHECK(t->padding_side() == PaddingSide::kRight);
    CHECK(t->token_to_id("[PAD]") == 0);
  }
}

TEST_CASE("tokenize/tokenizer: invalid UTF-8 is an error, not a crash", "[tokenize][tokenizer]") {
  CHECK_THROWS_AS(uncased_json().encode("ok \xFF"), TokenizeError);
}

TEST_CASE("tokenize/tokenizer: gpt2 byte-level BPE, recorded ids (pytorch/text)", "[tokenize][tokenizer]") {
  const Tokenizer json = load(test::tokenizer_dir("gpt2/tokenizer.json"));
  const Tokenizer files = load(test::tokenizer_dir("gpt2/vocab.json"));
  for (const Tokenizer* t : {&json, &files}) {
    CHECK(t->encode("Hello World!, how are you?").input_ids == Ids{15496, 2159, 28265, 703, 389, 345, 30});
    CHECK(t->encode("Respublica superiorem").input_ids == Ids{4965, 11377, 64, 2208, 72, 29625});
    CHECK(t->encode("multi      space").input_ids == Ids{41684, 220, 220, 220, 220, 220, 2272});
    CHECK(t->encode("a<|endoftext|>").input_ids == Ids{64, 50256});
    CHECK(t->vocab_size() == 50257);
  }
}

TEST_CASE("tokenize/tokenizer: a batch error names the text", "[tokenize][tokenizer]") {
  const std::vector<std::string> texts = {"fine", "also fine", "bad \xFF", "fine"};
  try {
    uncased_json().encode_batch(texts, nullptr, {}, 2);
    FAIL("no error");
  } catch (const TokenizeError& e) {
    CHECK(e.index() == 2u);
    CHECK_THAT(std::string(e.what()), Catch::StartsWith("text 2: "));
    CHECK_THAT(e.unindexed(), Catch::Contains("invalid UTF-8"));
  }
}

TEST_CASE("tokenize/tokenizer: a batch error on several threads names the first bad text", "[tokenize][tokenizer]") {
  std::vector<std::string> texts(2000, "a fine text");
  texts[1500] = "bad \xFF";
  texts[700] = "also bad \xFE";
  texts[1999] = "bad at the end \xFF";
  try {
    uncased_json().encode_batch(texts, nullptr, {}, 2);
    FAIL("no error");
  } catch (const TokenizeError& e) {
    CHECK(e.index() == 700u);
  }
}
