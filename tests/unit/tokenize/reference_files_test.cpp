// The reference outputs stored under tests/fixtures/tokenizers (written by the Python
// `transformers` stack upstream) reproduced by the tokenizers hft loads from the same folders:
// bert-base-uncased, gpt2, t5 (spiece.model) and llama-2 (tokenizer.model).
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "hft/tokenize/load.h"
#include "test_data.h"

using namespace hft::tokenize;
using nlohmann::json;

namespace {

json read(const std::string& relative) {
  std::ifstream in(test::fixture(relative));
  REQUIRE(in);
  return json::parse(in);
}

const Tokenizer& uncased() {
  static const Tokenizer t = load(test::tokenizer_dir("bert-base-uncased"));
  return t;
}

// The ids of `text` equal `expected`.
void check_ids(const Tokenizer& tokenizer, const std::string& text, const std::vector<int32_t>& expected) {
  CHECK(tokenizer.encode(text).input_ids == expected);
}

// The 83 multilingual inputs against one model's baseline ids.
void check_multilingual(const Tokenizer& tokenizer, const std::string& baseline_file) {
  const json inputs = read("tokenizers/reference/multilingual_conformance/inputs.json");
  const json baseline = read("tokenizers/reference/multilingual_conformance/baselines/" + baseline_file);
  std::map<std::string, std::string> text_of;
  for (const auto& i : inputs) text_of[i["id"].get<std::string>()] = i["text"].get<std::string>();
  REQUIRE(baseline["entries"].size() == 83);
  for (const auto& entry : baseline["entries"]) {
    INFO(entry["id"].get<std::string>());
    check_ids(tokenizer, text_of.at(entry["id"].get<std::string>()), entry["input_ids"].get<std::vector<int32_t>>());
  }
}

// swift-transformers' cases of one model: ids with special tokens.
void check_swift_cases(const Tokenizer& tokenizer, const std::string& model) {
  const json cases = read("tokenizers/reference/swift-transformers/tokenizer_tests.json")[model];
  REQUIRE(!cases.empty());
  for (const auto& c : cases) {
    INFO(model << ": " << c["input"].get<std::string>());
    check_ids(tokenizer, c["input"].get<std::string>(), c["encoded"]["input_ids"].get<std::vector<int32_t>>());
  }
}

}  // namespace

TEST_CASE("tokenize/reference_files: bert_uncased_encoded.json (190 ids)", "[tokenize][reference]") {
  const json ref = read("tokenizers/bert-base-uncased/reference/bert_uncased_encoded.json");
  CHECK(uncased().encode(ref["text"].get<std::string>()).input_ids == ref["token_ids"].get<std::vector<int32_t>>());
}

TEST_CASE("tokenize/reference_files: swift-transformers tokenizer_tests.json, bert-base-uncased cases", "[tokenize][reference]") {
  const json ref = read("tokenizers/reference/swift-transformers/tokenizer_tests.json");
  for (const char* model : {"bert-base-uncased", "google-bert/bert-base-uncased"}) {
    for (const auto& c : ref[model]) {
      const std::string input = c["input"].get<std::string>();
      INFO(model << ": " << input);
      const Encoding e = uncased().encode(input);
      CHECK(e.input_ids == c["encoded"]["input_ids"].get<std::vector<int32_t>>());
      CHECK(e.token_type_ids == c["encoded"]["token_type_ids"].get<std::vector<int32_t>>());
      CHECK(e.attention_mask == c["encoded"]["attention_mask"].get<std::vector<int32_t>>());
    }
  }
}

TEST_CASE("tokenize/reference_files: multilingual conformance: 83 inputs, bge-small-en-v1.5 (BERT uncased vocab)", "[tokenize][reference]") {
  check_multilingual(uncased(), "bge_small_multilingual.json");
}

TEST_CASE("tokenize/reference_files: gpt2_encoded_tokens.json, distilgpt2 cases, 83 multilingual inputs", "[tokenize][reference]") {
  const Tokenizer gpt2 = load(test::tokenizer_dir("gpt2"));
  const json encoded = read("tokenizers/gpt2/reference/gpt2_encoded_tokens.json");
  CHECK(gpt2.encode(encoded["text"].get<std::string>()).input_ids == encoded["token_ids"].get<std::vector<int32_t>>());

  check_swift_cases(gpt2, "distilgpt2");
  check_multilingual(gpt2, "gpt2_multilingual.json");
}

TEST_CASE("tokenize/reference_files: t5 (spiece.model): t5_base_encoded.json, t5-base cases, 83 multilingual inputs", "[tokenize][reference]") {
  const Tokenizer t5 = load(test::tokenizer_dir("t5-small"));  // T5 checkpoints share one vocabulary
  const json encoded = read("tokenizers/t5-small/reference/t5_base_encoded.json");
  CHECK(t5.encode(encoded["text"].get<std::string>()).input_ids == encoded["token_ids"].get<std::vector<int32_t>>());
  check_swift_cases(t5, "t5-base");
  check_multilingual(t5, "t5_small_multilingual.json");
}

TEST_CASE("tokenize/reference_files: llama-2 (tokenizer.model): llama_encoded.json, Llama-2 cases, 83 multilingual inputs (TinyLlama)", "[tokenize][reference]") {
  const Tokenizer llama = load(test::tokenizer_dir("llama-2"));  // TinyLlama uses the Llama 2 vocabulary
  const json encoded = read("tokenizers/llama-2/reference/llama_encoded.json");
  CHECK(llama.encode(encoded["text"].get<std::string>()).input_ids == encoded["token_ids"].get<std::vector<int32_t>>());
  check_swift_cases(llama, "coreml-projects/Llama-2-7b-chat-coreml");
  check_multilingual(llama, "tinyllama_multilingual.json");
}
