// The reference outputs stored under ../shared/data/tokenizers (written by the Python
// `transformers` stack upstream) reproduced by the BERT uncased tokenizer.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "hft/tokenize/load.h"
#include "test_data.h"

using namespace hft::tokenize;
using nlohmann::json;

namespace {

json read(const std::string& relative) {
  std::ifstream in(test::shared_data(relative));
  REQUIRE(in);
  return json::parse(in);
}

const Tokenizer& uncased() {
  static const Tokenizer t = load(test::tokenizer_dir("bert-base-uncased"));
  return t;
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
  const json inputs = read("tokenizers/reference/multilingual_conformance/inputs.json");
  const json baseline = read("tokenizers/reference/multilingual_conformance/baselines/bge_small_multilingual.json");
  std::map<std::string, std::string> text_of;
  for (const auto& i : inputs) text_of[i["id"].get<std::string>()] = i["text"].get<std::string>();
  REQUIRE(baseline["entries"].size() == 83);
  for (const auto& entry : baseline["entries"]) {
    const std::string id = entry["id"].get<std::string>();
    INFO(id);
    CHECK(uncased().encode(text_of.at(id)).input_ids == entry["input_ids"].get<std::vector<int32_t>>());
  }
}

TEST_CASE("tokenize/reference_files: gpt2_encoded_tokens.json, distilgpt2 cases, 83 multilingual inputs", "[tokenize][reference]") {
  const Tokenizer gpt2 = load(test::tokenizer_dir("gpt2"));
  const json encoded = read("tokenizers/gpt2/reference/gpt2_encoded_tokens.json");
  CHECK(gpt2.encode(encoded["text"].get<std::string>()).input_ids == encoded["token_ids"].get<std::vector<int32_t>>());

  for (const auto& c : read("tokenizers/reference/swift-transformers/tokenizer_tests.json")["distilgpt2"]) {
    INFO(c["input"].get<std::string>());
    CHECK(gpt2.encode(c["input"].get<std::string>()).input_ids == c["encoded"]["input_ids"].get<std::vector<int32_t>>());
  }

  const json inputs = read("tokenizers/reference/multilingual_conformance/inputs.json");
  const json baseline = read("tokenizers/reference/multilingual_conformance/baselines/gpt2_multilingual.json");
  std::map<std::string, std::string> text_of;
  for (const auto& i : inputs) text_of[i["id"].get<std::string>()] = i["text"].get<std::string>();
  REQUIRE(baseline["entries"].size() == 83);
  for (const auto& entry : baseline["entries"]) {
    INFO(entry["id"].get<std::string>());
    CHECK(gpt2.encode(text_of.at(entry["id"].get<std::string>())).input_ids ==
          entry["input_ids"].get<std::vector<int32_t>>());
  }
}
