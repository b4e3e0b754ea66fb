// Token classification's data path against run_ner.py: CoNLL text read by hand-checked cases,
// and the label list and the labels after alignment compared with run_ner's own
// tokenize_and_align_labels, run by tests/oracle/token_classification_reference.py on the same
// file (words of many pieces, label_all_tokens on and off, truncation cutting a word).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "../oracle_json.h"  // run_oracle_json
#include "../test_files.h"   // ScratchDir
#include "hft/data/data_error.h"                              // DataError
#include "hft/task/token_classification/conll_reader.h"       // parse_conll
#include "hft/task/token_classification/tag_labels.h"         // tag_label_space, tag_ids, b_to_i_labels
#include "hft/task/token_classification/tagged_encoding.h"    // encode_tagged
#include "hft/task/token_classification/tagged_sentences.h"   // read_tagged_sentences
#include "hft/tokenize/load.h"                                // load

using namespace hft::task;
using nlohmann::json;
using Words = std::vector<std::string>;

TEST_CASE("CoNLL: token first, tag last, blank or whitespace lines end sentences, -DOCSTART- skipped") {
  const std::string text =
      "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\t\n\nPeter NNP B-NP B-PER\r\n"
      "Blackburn NNP I-NP I-PER\n-DOCSTART- -X- -X- O\nBRUSSELS\tB-LOC";
  const TaggedSentences s = parse_conll("f.conll", text);
  CHECK(s.has_tags);
  CHECK(s.words == std::vector<Words>{{"EU", "rejects"}, {"Peter", "Blackburn"}, {"BRUSSELS"}});
  CHECK(s.tags == std::vector<Words>{{"B-ORG", "O"}, {"B-PER", "I-PER"}, {"B-LOC"}});
  CHECK(s.lines == std::vector<int64_t>{3, 7, 10});
}

TEST_CASE("CoNLL: a file of one column has no tags; a line that lacks its tag names its line") {
  const TaggedSentences words = parse_conll("w.conll", "EU\nrejects\n\nPeter\n");
  CHECK_FALSE(words.has_tags);
  CHECK(words.words == std::vector<Words>{{"EU", "rejects"}, {"Peter"}});
  CHECK_THROWS_WITH(parse_conll("bad.conll", "EU B-ORG\nrejects O\n\nPeter\n"), Catch::Contains("bad.conll:4:"));
  CHECK_THROWS_WITH(parse_conll("bad.conll", "EU\nrejects O\n"), Catch::Contains("bad.conll:2:"));
  CHECK_THROWS_AS(parse_conll("empty.conll", "\n-DOCSTART- O\n\n"), hft::data::DataError);
}

TEST_CASE("run_ner's label list: sorted tags, integers as numbers, the model's order for the same set") {
  TaggedSentences s;
  s.tags = {{"O", "B-PER", "I-PER"}, {"B-LOC", "O"}};
  CHECK(tag_label_space(s, {}).names == Words{"B-LOC", "B-PER", "I-PER", "O"});
  CHECK(tag_label_space(s, {"LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3"}).names == Words{"B-LOC", "B-PER", "I-PER", "O"});
  CHECK(tag_label_space(s, {"O", "B-PER", "I-PER", "B-LOC"}).names == Words{"O", "B-PER", "I-PER", "B-LOC"});
  CHECK(tag_label_space(s, {"O", "B-PER", "I-PER", "B-MISC"}).names == Words{"B-LOC", "B-PER", "I-PER", "O"});
  s.tags = {{"10", "2", "0"}};
  CHECK(tag_label_space(s, {}).names == Words{"0", "2", "10"});
  CHECK(b_to_i_labels({"B-LOC", "B-PER", "I-PER", "O"}) == std::vector<int32_t>{0, 2, 2, 3});
}

namespace {

// Sentences with words of many pieces, accents, punctuation, and a long one that truncation cuts.
const std::vector<json> kRows = {
    {{"tokens", Words{"EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."}},
     {"ner_tags", Words{"B-ORG", "O", "B-MISC", "O", "O", "O", "B-MISC", "O", "O"}}},
    {{"tokens", Words{"Pneumonoultramicroscopicsilicovolcanoconiosis", "struck", "Zürich", "unbelievably"}},
     {"ner_tags", Words{"B-MISC", "O", "B-LOC", "O"}}},
    {{"tokens", Words{"Peter", "Blackburn", "of", "McDonald's", "naïve", "café"}},
     {"ner_tags", Words{"B-PER", "I-PER", "O", "B-ORG", "O", "O"}}},
};

struct Case {
  std::string tokenizer;  // a tokenizer folder: WordPiece (uncased) or byte-level BPE
  int64_t max_length;
  bool label_all_tokens;
};

}  // namespace

TEST_CASE("labels after alignment equal run_ner's tokenize_and_align_labels") {
  hft::testing::ScratchDir dir;
  std::string lines;
  for (const json& row : kRows) lines += row.dump() + "\n";
  const std::string data = dir.write("ner.jsonl", lines);
  // GPT-2's files with the tokenizer_config.json that save_pretrained writes: without it,
  // transformers 5's AutoTokenizer does not build GPT-2's tokenizer from them.
  const std::string fixture = std::string(HFT_SOURCE_DIR) + "/tests/fixtures/tokenizers/gpt2/";
  std::filesystem::create_directories(dir.path() + "/gpt2");
  for (const char* file : {"tokenizer.json", "vocab.json", "merges.txt"})
    std::filesystem::copy_file(fixture + file, dir.path() + "/gpt2/" + file);
  dir.write("gpt2/tokenizer_config.json", R"({"tokenizer_class": "GPT2Tokenizer"})");
  const std::string minilm = std::string(HFT_SOURCE_DIR) + "/models/all-MiniLM-L6-v2", gpt2 = dir.path() + "/gpt2";
  for (const Case& c : {Case{minilm, 64, false}, Case{minilm, 64, true}, Case{minilm, 12, false}, Case{minilm, 12, true},
                        Case{gpt2, 64, false}, Case{gpt2, 64, true}, Case{gpt2, 10, true}}) {
    INFO(c.tokenizer << " max_length " << c.max_length << " label_all_tokens " << c.label_all_tokens);
    const json expected = hft::testing::run_oracle_json(
        "token_classification_reference.py", "align " + c.tokenizer + " " + data + " " +
                                                 std::to_string(c.max_length) + " " + (c.label_all_tokens ? "1" : "0"));
    const TaggedSentences sentences = read_tagged_sentences(data, {}, true);
    const hft::data::LabelSpace labels = tag_label_space(sentences, {});
    CHECK(json(labels.names) == expected["label_list"]);
    hft::tokenize::LoadOptions options;
    options.add_prefix_space = true;  // run_ner.py's for byte-level tokenizers; the others ignore it
    const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load(c.tokenizer, options);
    const std::vector<std::vector<int32_t>> ids = tag_ids(sentences, labels, data);
    const hft::data::EncodedDataset encoded =
        encode_tagged(sentences, &ids, tokenizer, c.max_length, {c.label_all_tokens, b_to_i_labels(labels.names)}, 1);
    REQUIRE(encoded.size() == static_cast<int64_t>(expected["rows"].size()));
    bool cut = false;
    for (int64_t row = 0; row < encoded.size(); ++row) {
      const auto begin = encoded.offsets[row], end = encoded.offsets[row + 1];
      CHECK(json(std::vector<int32_t>(encoded.input_ids.begin() + begin, encoded.input_ids.begin() + end)) ==
            expected["rows"][row]["input_ids"]);
      CHECK(json(std::vector<int32_t>(encoded.token_labels.begin() + begin, encoded.token_labels.begin() + end)) ==
            expected["rows"][row]["labels"]);
      cut = cut || end - begin == c.max_length;
    }
    if (c.max_length < 64) CHECK(cut);  // the short cases truncate some sentence
  }
}

TEST_CASE("a tag that is not a label names its sentence's line and the label file") {
  TaggedSentences s;
  s.file = "dev.conll";
  s.words = {{"a"}, {"b"}};
  s.tags = {{"O"}, {"B-LOC"}};
  s.lines = {1, 3};
  const hft::data::LabelSpace labels = hft::data::label_space_of_names({"B-PER", "O"});
  CHECK_THROWS_WITH(tag_ids(s, labels, "train.conll"),
                    Catch::Contains("dev.conll:3:") && Catch::Contains("B-LOC") && Catch::Contains("train.conll"));
}

TEST_CASE("columns as run_ner picks them: tokens and ner_tags, else the first two; or as SentenceColumns names them") {
  hft::testing::ScratchDir dir;
  const std::string named = dir.write("named.jsonl", R"({"id": 1, "tokens": ["EU", "rejects"], "ner_tags": ["B-ORG", "O"]})"
                                                     "\n");
  const TaggedSentences by_default = read_tagged_sentences(named, {}, true);
  CHECK(by_default.words == std::vector<Words>{{"EU", "rejects"}});
  CHECK(by_default.tags == std::vector<Words>{{"B-ORG", "O"}});
  const std::string other = dir.write("other.jsonl", R"({"words": ["EU"], "tags": [3], "pos": ["NNP"]})"
                                                     "\n");
  CHECK(read_tagged_sentences(other, {}, true).tags == std::vector<Words>{{"3"}});  // the second column, as text
  SentenceColumns columns;
  columns.words = "words";
  columns.tags = "pos";
  CHECK(read_tagged_sentences(other, columns, true).tags == std::vector<Words>{{"NNP"}});
  columns.tags = "absent";
  CHECK_THROWS_WITH(read_tagged_sentences(other, columns, true), Catch::Contains("absent"));
  CHECK_FALSE(read_tagged_sentences(other, columns, false).has_tags);  // prediction reads words alone
  // CSV cells hold JSON lists or words separated by spaces.
  const std::string csv = dir.write("ner.csv", "tokens,ner_tags\n\"[\"\"EU\"\", \"\"rejects\"\"]\",B-ORG O\n");
  const TaggedSentences from_csv = read_tagged_sentences(csv, {}, true);
  CHECK(from_csv.words == std::vector<Words>{{"EU", "rejects"}});
  CHECK(from_csv.tags == std::vector<Words>{{"B-ORG", "O"}});
  CHECK(from_csv.lines == std::vector<int64_t>{2});
  const std::string short_tags = dir.write("short.jsonl", R"({"tokens": ["a", "b"], "ner_tags": ["O"]})"
                                                          "\n");
  CHECK_THROWS_WITH(read_tagged_sentences(short_tags, {}, true), Catch::Contains(":1:") && Catch::Contains("2 words"));
}
