// Tokenizer::encode_words (sentences already split into words, as run_ner.py encodes them with
// is_split_into_words=True) and the word_ids of plain encode, against the Python reference stack:
// tests/oracle/tokenize_words.py runs transformers on every tokenizer under
// tests/fixtures/tokenizers (the byte-level ones also with add_prefix_space=True, as run_ner.py
// loads them) and `tokenizers` on byte-level and Metaspace tokenizer.json variants.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>  // std::count
#include <string>
#include <utility>  // std::pair
#include <vector>

#include "../oracle_json.h"     // run_oracle_json
#include "../test_files.h"      // ScratchDir
#include "hft/tokenize/load.h"            // load, LoadOptions, Tokenizer
#include "hft/tokenize/tokenize_error.h"  // TokenizeError

using namespace hft::tokenize;
using nlohmann::json;

namespace {

const std::vector<std::vector<std::string>> kSentences = {
    {"EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."},
    {"Pneumonoultramicroscopicsilicovolcanoconiosis", "antidisestablishmentarianism", "unbelievably"},  // many pieces
    {"naïve", "Zürich", "日本語", "Москва", "café", "👍", "ﬁne"},                                        // non-ASCII
    {"hello", "", "world"},                                                                              // empty word
    {"", "a"},
    {""},
    {"Hello", ",", "...", "!?", "world", "-", "\"", "'s"},  // punctuation-only words
    {"New York", " x", "a  b"},                             // spaces inside words
    {"the", "[MASK]", "<s>", "</s>", "sat"},                // special tokens' text as words
    {"2024", "3.14", "U.S.", "McDonald's", "HELLO"},
    {" ", "\t", "a[MASK]b", "x<s>y", "\u0301", "e\u0301"},  // whitespace only, added tokens inside, a lone accent
    {std::string(120, 'z') + "ing", "Donaudampfschifffahrtsgesellschaftskapitän"},  // over WordPiece's 100 chars
};
// 0: no truncation; the others cut words in the middle (checked below).
const std::vector<size_t> kMaxLengths = {0, 5, 9};
const std::vector<std::string> kTexts = {
    "Hello, world! unbelievably [MASK] don't  x", "<s>a</s> b", "naïve café 日本語 👍 ﬁne", "  leading and trailing  ",
    "", "EU rejects German call to boycott British lamb.",
};
const std::vector<std::pair<std::string, std::string>> kPairs = {
    {"Who rejects it?", "EU rejects German call."}, {"", "one more"}, {"naïve [MASK] x", "</s> b"}};

// The oracle's answers, computed once for all test cases: {name: {"path", "words", "texts"}}.
struct Oracle {
  hft::testing::ScratchDir dir;  // holds the variants' tokenizer.json while the tests load them
  json expected;

  Oracle() {
    const json job = {{"sentences", kSentences}, {"max_lengths", kMaxLengths}, {"texts", kTexts}, {"pairs", kPairs}};
    const std::string job_path = dir.write("job.json", job.dump());
    expected = hft::testing::run_oracle_json("tokenize_words.py", job_path + " " + dir.path());
  }
};

const Oracle& oracle() {
  static const Oracle o;
  return o;
}

// The tokenizer as the oracle loaded it: with add_prefix_space where it passed one.
Tokenizer load_as_oracle(const json& reference) {
  LoadOptions options;
  if (!reference["add_prefix_space"].is_null()) options.add_prefix_space = reference["add_prefix_space"].get<bool>();
  return load(reference["path"].get<std::string>(), options);
}

// Compared as JSON, so that a failure prints both sides.
void check_row(const Encoding& e, const json& expected) {
  CHECK(json(e.input_ids) == expected["input_ids"]);
  CHECK(json(e.token_type_ids) == expected["token_type_ids"]);
  CHECK(json(e.offsets) == expected["offsets"]);
  CHECK(json(e.word_ids) == expected["word_ids"]);
  CHECK(e.attention_mask.size() == e.size());
  CHECK(e.special_tokens_mask.size() == e.size());
}

// Whether truncation kept only some tokens of a word: the last word of `cut` has more tokens in
// `full`. Makes sure the cases test what they say.
bool cuts_a_word(const json& full, const json& cut) {
  std::vector<int32_t> full_words = full["word_ids"].get<std::vector<int32_t>>();
  std::vector<int32_t> cut_words = cut["word_ids"].get<std::vector<int32_t>>();
  int32_t last = -1;
  for (int32_t w : cut_words) last = w >= 0 ? w : last;
  if (last < 0) return false;
  auto count = [last](const std::vector<int32_t>& ids) { return std::count(ids.begin(), ids.end(), last); };
  return count(full_words) > count(cut_words);
}

}  // namespace

TEST_CASE("tokenize/encode_words: pre-split words as transformers' is_split_into_words, every fixture",
          "[tokenize][oracle]") {
  const json& expected = oracle().expected;
  REQUIRE(expected.size() == 13);
  size_t cut_words = 0;
  for (const auto& [name, reference] : expected.items()) {
    const Tokenizer tokenizer = load_as_oracle(reference);
    for (size_t max_length : kMaxLengths) {
      EncodeOptions options;
      if (max_length) options.max_length = max_length;
      const json& full = reference["words"]["0"];
      const json& rows = reference["words"][std::to_string(max_length)];
      const std::vector<Encoding> batch = tokenizer.encode_words_batch(kSentences, options, 2);
      REQUIRE(rows.size() == kSentences.size());
      for (size_t i = 0; i < kSentences.size(); ++i) {
        INFO(name << ", max_length " << max_length << ", sentence " << i);
        check_row(batch[i], rows[i]);
        check_row(tokenizer.encode_words(kSentences[i], options), rows[i]);
        if (max_length) cut_words += cuts_a_word(full[i], rows[i]);
      }
    }
  }
  CHECK(cut_words >= 12);  // truncation cut a word on every tokenizer
}

TEST_CASE("tokenize/encode_words: word_ids of plain text and pairs are the pre-tokenizer's words, as in tokenizers",
          "[tokenize][oracle]") {
  for (const auto& [name, reference] : oracle().expected.items()) {
    const Tokenizer tokenizer = load_as_oracle(reference);
    for (size_t i = 0; i < kTexts.size(); ++i) {
      INFO(name << ", text " << i << ": " << kTexts[i]);
      check_row(tokenizer.encode(kTexts[i]), reference["texts"][i]);
    }
    for (size_t i = 0; i < kPairs.size(); ++i) {
      INFO(name << ", pair " << i << ": " << kPairs[i].first << " | " << kPairs[i].second);
      check_row(tokenizer.encode_pair(kPairs[i].first, kPairs[i].second), reference["pairs"][i]);
    }
  }
}

TEST_CASE("tokenize/encode_words: a word that is not UTF-8 is refused, naming the sentence in a batch",
          "[tokenize]") {
  const Tokenizer tokenizer = load(oracle().expected["bert-base-uncased"]["path"].get<std::string>());
  try {
    tokenizer.encode_words_batch({{"ok"}, {"bad", "\xff"}});
    FAIL("no error");
  } catch (const TokenizeError& e) {
    CHECK(e.index() == 1u);
  }
}
