// tokenize::load picks the file and refuses bad ones with one line naming file and fix.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "hft/tokenize/load.h"
#include "hft/tokenize/tokenize_error.h"
#include "test_data.h"

using namespace hft::tokenize;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system temp dir holding one tokenizer.json with `content`.
fs::path folder_with_tokenizer_json(const std::string& name, const std::string& content) {
  const fs::path dir = fs::temp_directory_path() / ("hft-load-test-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << content;
  return dir;
}

std::string load_error(const std::string& path) {
  try {
    load(path);
  } catch (const TokenizeError& e) {
    return e.what();
  }
  return "(no error)";
}

const char* kTinyModel = R"("model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}})";

}  // namespace

TEST_CASE("tokenize/load: a folder without tokenizer files is refused", "[tokenize][load]") {
  CHECK_THAT(load_error("/nonexistent/model"), Catch::Contains("/nonexistent/model") && Catch::Contains("does not exist"));
  const fs::path empty = fs::temp_directory_path() / "hft-load-test-empty";
  fs::create_directories(empty);
  CHECK_THAT(load_error(empty.string()), Catch::Contains("tokenizer.json"));
}

TEST_CASE("tokenize/load: malformed tokenizer.json names the file", "[tokenize][load]") {
  const fs::path dir = folder_with_tokenizer_json("malformed", "{\"model\": ");
  CHECK_THAT(load_error(dir.string()), Catch::Contains("tokenizer.json") && Catch::Contains("not valid JSON"));
  // Where an editor finds the mistake (line 2, column 7: the stray x after "x"), without nlohmann's tags.
  const fs::path typo = folder_with_tokenizer_json("typo", "{\n  \"x\" x}");
  const std::string message = load_error(typo.string());
  CHECK_THAT(message, Catch::Contains("tokenizer.json:2:7: not valid JSON: syntax error"));
  CHECK_THAT(message, !Catch::Contains("json.exception"));
}

TEST_CASE("tokenize/load: an unsupported component is named with the supported ones", "[tokenize][load]") {
  const fs::path dir = folder_with_tokenizer_json(
      "unsupported", std::string(R"({"normalizer": {"type": "Foo"}, )") + kTinyModel + "}");
  CHECK_THAT(load_error(dir.string()), Catch::Contains("normalizer") && Catch::Contains("\"Foo\"") &&
                                           Catch::Contains("BertNormalizer"));
}

TEST_CASE("tokenize/load: a wrongly typed value names its JSON path", "[tokenize][load]") {
  const fs::path dir = folder_with_tokenizer_json(
      "badtype", std::string(R"({"normalizer": {"type": "BertNormalizer", "lowercase": "yes"}, )") + kTinyModel + "}");
  CHECK_THAT(load_error(dir.string()), Catch::Contains("normalizer.lowercase") && Catch::Contains("true or false"));
}

TEST_CASE("tokenize/load: a minimal tokenizer.json without pre-tokenizer or post-processor", "[tokenize][load]") {
  const fs::path dir = folder_with_tokenizer_json("minimal", std::string("{") + kTinyModel + "}");
  const Tokenizer t = load(dir.string());
  CHECK(t.encode("a").input_ids == std::vector<int32_t>{1});
  CHECK(t.encode("b").input_ids == std::vector<int32_t>{0});
  CHECK(t.vocab_size() == 2);
}

TEST_CASE("tokenize/load: cased or not, for vocab.txt without tokenizer_config.json", "[tokenize][load]") {
  CHECK(guess_do_lower_case("models/bert-base-uncased"));
  CHECK_FALSE(guess_do_lower_case("models/bert-base-cased/"));
  CHECK(guess_do_lower_case("models/my-bert"));
}
