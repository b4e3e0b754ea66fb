// EncodedDataset and its cache: ids against run_glue.py's tokenizer call (the oracle), and a
// cache that is reused when nothing changed and never served when something did.
#include "hft/data/encoded_dataset.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hft/data/data_error.h"     // DataError
#include "hft/data/encoded_cache.h"  // encoded_cache_key, load/save_encoded_cache
#include "hft/data/numpy_permutation.h"  // numpy_permutation
#include "hft/data/read_table.h"     // read_table
#include "hft/data/splits.h"         // load_splits
#include "hft/tokenize/load.h"       // tokenize::load
#include "../test_files.h"           // ScratchDir
#include "oracle.h"                  // run_oracle, glue_path

using namespace hft::data;
using hft::testing::ScratchDir;
using nlohmann::json;

namespace {

std::string tokenizer_dir() { return hft::testing::source_path("models/all-MiniLM-L6-v2"); }

SplitsOptions stsb_options(int64_t max_seq_length) {
  SplitsOptions options;
  options.train_file = hft::testing::glue_path("STS-B/dev.tsv");
  options.columns.label_column_name = "score";
  options.encode.max_seq_length = max_seq_length;
  options.encode.threads = 2;
  return options;
}

void check_against_oracle(const EncodedDataset& dataset, const std::string& path, const std::string& first,
                          const std::string& second, int64_t max_seq_length) {
  ScratchDir dir;
  json job = {{"tokenizer", tokenizer_dir()}, {"path", path}, {"first", first}, {"max_seq_length", max_seq_length}};
  if (!second.empty()) job["second"] = second;
  hft::testing::write_json(dir.path("job.json"), job);
  hft::testing::run_oracle("data_encodings.py", {dir.path("job.json"), dir.path("out.jsonl")});
  const auto rows = hft::testing::read_json_lines(dir.path("out.jsonl"));
  REQUIRE(static_cast<int64_t>(rows.size()) == dataset.size());
  for (int64_t i = 0; i < dataset.size(); ++i) {
    INFO("row " << i);
    const auto ids = dataset.ids(i);
    const auto types = dataset.type_ids(i);
    REQUIRE(std::vector<int32_t>(ids.begin(), ids.end()) == rows[i]["input_ids"].get<std::vector<int32_t>>());
    REQUIRE(std::vector<int32_t>(types.begin(), types.end()) == rows[i]["token_type_ids"].get<std::vector<int32_t>>());
  }
}

}  // namespace

TEST_CASE("STS-B pairs encode as run_glue.py encodes them (truncated to 32)", "[oracle]") {
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  const Splits splits = load_splits(stsb_options(32), tokenizer, tokenizer_dir());
  REQUIRE(splits.train);
  CHECK(splits.labels.regression);
  CHECK(splits.train->targets.size() == 1500);
  check_against_oracle(*splits.train, hft::testing::glue_path("STS-B/dev.tsv"), "sentence1", "sentence2", 32);
}

TEST_CASE("SST-2 dev encodes as run_glue.py encodes it", "[oracle]") {
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options;
  options.validation_file = hft::testing::glue_path("SST-2/dev.tsv");
  const Splits splits = load_splits(options, tokenizer, tokenizer_dir());
  REQUIRE(splits.validation);
  CHECK(splits.labels.names == std::vector<std::string>{"0", "1"});
  CHECK(splits.validation->label_ids[0] == 1);  // "it 's a charming ... journey . \t1"
  check_against_oracle(*splits.validation, hft::testing::glue_path("SST-2/dev.tsv"), "sentence", "", 128);
}

TEST_CASE("the encoded cache is reused, and a changed input is never served from it") {
  ScratchDir dir;
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  const std::string train = dir.write("train.csv", "text,label\nhello world,0\ngood bye,1\n");
  SplitsOptions options;
  options.train_file = train;
  options.cache_dir = dir.path("cache");
  const Splits first = load_splits(options, tokenizer, tokenizer_dir());
  const auto files = [&] {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path("cache")))
      names.push_back(entry.path().string());
    return names;
  };
  REQUIRE(files().size() == 1);
  const Splits again = load_splits(options, tokenizer, tokenizer_dir());
  CHECK(again.train->input_ids == first.train->input_ids);
  CHECK(again.train->offsets == first.train->offsets);
  CHECK(again.train->label_ids == first.train->label_ids);
  CHECK(files().size() == 1);

  dir.write("train.csv", "text,label\nhello there,0\ngood bye,1\n");  // same size rows, new text
  const Splits changed = load_splits(options, tokenizer, tokenizer_dir());
  CHECK(changed.train->input_ids != first.train->input_ids);
  CHECK(changed.train->input_ids == encode_examples(make_examples(read_table(train), {"text", std::nullopt}, "label",
                                                                  changed.labels),
                                                    tokenizer, {})
                                        .input_ids);
  CHECK(files().size() == 2);

  options.encode.max_seq_length = 3;  // a setting that changes ids gives a new key
  const Splits shorter = load_splits(options, tokenizer, tokenizer_dir());
  CHECK(shorter.train->length(0) == 3);
  CHECK(files().size() == 3);
}

TEST_CASE("a damaged cache file or one of another key is never served") {
  ScratchDir dir;
  EncodedDataset dataset;
  dataset.input_ids = {101, 7592, 102};
  dataset.token_type_ids = {0, 0, 0};
  dataset.offsets = {0, 3};
  dataset.label_ids = {1};
  dataset.has_labels = true;
  const std::string path = dir.path("c.bin");
  CHECK(load_encoded_cache(path, "k1").problem.empty());  // absent: an ordinary miss
  save_encoded_cache(path, "k1", dataset);
  REQUIRE(load_encoded_cache(path, "k1").dataset);
  CHECK(load_encoded_cache(path, "k1").dataset->input_ids == dataset.input_ids);
  CHECK(load_encoded_cache(path, "k2").problem == "its header is not hft's for this key");
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
  CHECK(load_encoded_cache(path, "k1").problem == "its content does not match the hash in its header");
  dataset.label_ids.clear();
  dataset.multi_label_width = 2;
  dataset.targets = {1.0f, 0.0f};
  save_encoded_cache(path, "k3", dataset);
  REQUIRE(load_encoded_cache(path, "k3").dataset);
  CHECK(load_encoded_cache(path, "k3").dataset->multi_label_width == 2);
  CHECK(load_encoded_cache(path, "k3").dataset->targets == dataset.targets);
  CHECK(encoded_cache_key("a", tokenizer_dir(), {"x=1"}) != encoded_cache_key("b", tokenizer_dir(), {"x=1"}));
  CHECK(encoded_cache_key("a", tokenizer_dir(), {"x=1"}) != encoded_cache_key("a", tokenizer_dir(), {"x=2"}));
}

namespace {

// Overwrites the int32 after the first [CLS] (101) of a cache file, as a stray edit would.
void edit_first_word_id(const std::string& path, int32_t id) {
  std::stringstream read;
  read << std::ifstream(path, std::ios::binary).rdbuf();
  std::string bytes = read.str();
  const int32_t cls = 101;
  const size_t at = bytes.find(std::string(reinterpret_cast<const char*>(&cls), 4)) + 4;
  bytes.replace(at, 4, std::string(reinterpret_cast<const char*>(&id), 4));
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("a cache entry whose ids were edited is rebuilt with a warning, and the ids are the tokenizer's") {
  ScratchDir dir;
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options;
  options.train_file = dir.write("train.csv", "text,label\nhello world,0\ngood bye,1\n");
  options.cache_dir = dir.path("cache");
  const Splits clean = load_splits(options, tokenizer, tokenizer_dir());
  CHECK(clean.warnings.empty());
  const std::string entry = std::filesystem::directory_iterator(dir.path("cache"))->path().string();
  for (const int32_t id : {2000, 1'000'000'000}) {  // another word; an id far outside the vocabulary
    INFO("id " << id);
    edit_first_word_id(entry, id);
    const Splits rebuilt = load_splits(options, tokenizer, tokenizer_dir());
    REQUIRE(rebuilt.warnings.size() == 1);
    CHECK(rebuilt.warnings[0] == "the encoded cache of " + *options.train_file + " (" + entry +
                                     ") is damaged: its content does not match the hash in its header; encoding the "
                                     "file again");
    CHECK(rebuilt.train->input_ids == clean.train->input_ids);
    CHECK(load_splits(options, tokenizer, tokenizer_dir()).warnings.empty());  // the rebuilt entry is whole
  }
}

TEST_CASE("a text the tokenizer rejects is named by its line") {
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  Examples examples;
  examples.file = "rows.tsv";
  examples.first = {"fine", "also fine", "bad \xFF byte"};  // bypasses read_table's UTF-8 check
  examples.lines = {2, 3, 5};
  try {
    encode_examples(examples, tokenizer, {});
    FAIL("no error");
  } catch (const DataError& error) {
    CHECK(error.line() == 5);
    CHECK(std::string(error.what()).rfind("rows.tsv:5: cannot tokenize: ", 0) == 0);
  }
}

TEST_CASE("shuffle_train_dataset shuffles the training rows before max_train_samples keeps the first") {
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options;
  options.train_file = hft::testing::glue_path("SST-2/dev.tsv");
  options.max_train_samples = 5;
  const Splits plain = load_splits(options, tokenizer, tokenizer_dir());
  options.shuffle_seed = 42;
  const Splits shuffled = load_splits(options, tokenizer, tokenizer_dir());
  REQUIRE(shuffled.train->size() == 5);
  SplitsOptions unshuffled;
  unshuffled.train_file = options.train_file;
  const Splits all = load_splits(unshuffled, tokenizer, tokenizer_dir());
  const auto order = numpy_permutation(42, all.train->size());
  for (int64_t i = 0; i < 5; ++i) {
    const auto got = shuffled.train->ids(i);
    const auto want = all.train->ids(order[i]);
    CHECK(std::vector<int32_t>(got.begin(), got.end()) == std::vector<int32_t>(want.begin(), want.end()));
    CHECK(shuffled.train->label_ids[i] == all.train->label_ids[order[i]]);
  }
  CHECK(plain.train->input_ids != shuffled.train->input_ids);
}
