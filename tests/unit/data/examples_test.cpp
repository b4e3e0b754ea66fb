// Columns, labels and examples: hand-checked cases of run_glue.py's rules, and bad labels/texts.
#include "hft/data/examples.h"

#include <catch2/catch.hpp>

#include "hft/data/data_error.h"   // DataError
#include "hft/data/read_table.h"   // read_table
#include "../test_files.h"         // ScratchDir
#include "oracle.h"                // glue_path

using namespace hft::data;
using hft::testing::ScratchDir;

namespace {

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const DataError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("text columns: task keys, named columns, sentence1/sentence2, else the first non-label ones") {
  ScratchDir dir;
  const Table stsb = read_table(hft::testing::glue_path("STS-B/dev.tsv"));
  auto pair = choose_text_columns(stsb, {std::nullopt, {}, "score"});
  CHECK(pair.first == "sentence1");
  CHECK(pair.second == "sentence2");
  const Table sst = read_table(hft::testing::glue_path("SST-2/dev.tsv"));
  auto single = choose_text_columns(sst, {});
  CHECK(single.first == "sentence");
  CHECK_FALSE(single.second);
  const Table three = read_table(dir.write("a.csv", "label,q,a,z\n1,x,y,z\n"));
  auto first_two = choose_text_columns(three, {});
  CHECK((first_two.first == "q" && first_two.second == "a"));
  auto named = choose_text_columns(three, {std::nullopt, {"z"}, "label"});
  CHECK((named.first == "z" && !named.second));
  auto task = choose_text_columns(sst, {std::string("sst2"), {}, "label"});
  CHECK(task.first == "sentence");
  CHECK(error_of([&] { choose_text_columns(three, {std::nullopt, {"text"}, "label"}); }) ==
        three.file + ":1: no column 'text'; the file has: label, q, a, z");
}

TEST_CASE("classification labels: the sorted set of training labels, integers by value") {
  ScratchDir dir;
  const Table ints = read_table(dir.write("a.csv", "t,label\na,10\nb,2\nc,1\nd,2\n"));
  const LabelSpace space = build_label_space(ints, "label", std::nullopt);
  CHECK_FALSE(space.regression);
  CHECK(space.names == std::vector<std::string>{"1", "2", "10"});
  CHECK(space.num_labels() == 3);
  CHECK(space.id_of("10") == 2);
  const Table strings = read_table(dir.write("b.jsonl",
                                             "{\"t\":\"a\",\"label\":\"pos\"}\n{\"t\":\"b\",\"label\":\"neg\"}\n"
                                             "{\"t\":\"c\",\"label\":\"Neutral\"}\n"));
  CHECK(build_label_space(strings, "label", std::nullopt).names == std::vector<std::string>{"Neutral", "neg", "pos"});
  const Table sst = read_table(hft::testing::glue_path("SST-2/train.tsv.gz"));
  CHECK(build_label_space(sst, "label", std::nullopt).names == std::vector<std::string>{"0", "1"});
}

TEST_CASE("regression: a float label column (STS-B) gives one target per row") {
  const Table stsb = read_table(hft::testing::glue_path("STS-B/dev.tsv"));
  const LabelSpace space = build_label_space(stsb, "score", std::nullopt);
  CHECK(space.regression);
  CHECK(space.num_labels() == 1);
  const Examples examples = make_examples(stsb, choose_text_columns(stsb, {std::nullopt, {}, "score"}), "score", space);
  REQUIRE(examples.size() == 1500);
  CHECK(examples.targets[0] == 5.0f);  // "5.000" on line 2
  CHECK(examples.targets[1] == 4.75f);
  CHECK(examples.second[0] == "A man wearing a hard hat is dancing.");
}

TEST_CASE("examples: label ids, unlabeled test files, and the GLUE files' sizes") {
  const Table cola =
      read_table(hft::testing::glue_path("CoLA/train.tsv"), {{"source", "label", "notes", "sentence"}, ""});
  const LabelSpace space = build_label_space(cola, "label", std::nullopt);
  const TextColumns columns = choose_text_columns(cola, {std::string("cola"), {}, "label"});
  const Examples train = make_examples(cola, columns, "label", space);
  CHECK(train.size() == 8551);
  CHECK(train.label_ids[0] == 1);
  CHECK(train.first[0] == "Our friends won't buy this analysis, let alone the next one we propose.");
  const Table test = read_table(hft::testing::glue_path("CoLA/test.tsv"));
  const Examples unlabeled = make_examples(test, columns, "label", space);
  CHECK_FALSE(unlabeled.has_labels);
  CHECK(unlabeled.size() == 1063);
}

TEST_CASE("bad labels and texts name the file and line") {
  ScratchDir dir;
  const Table train = read_table(dir.write("train.csv", "text,label\na,0\nb,1\n"));
  const LabelSpace space = build_label_space(train, "label", std::nullopt);
  const Table dev = read_table(dir.write("dev.csv", "text,label\na,0\nb,2\n"));
  CHECK(error_of([&] { make_examples(dev, {"text", std::nullopt}, "label", space); }) ==
        dev.file + ":3: label '2' is not one of the known labels (from the training file, or the model's id2label: 0, 1)");
  const Table empty_text = read_table(dir.write("e.csv", "text,label\na,0\n\"\",1\n"));
  CHECK(error_of([&] { make_examples(empty_text, {"text", std::nullopt}, "label", space); }) ==
        empty_text.file + ":3: empty text in column 'text' (an empty cell, or a missing-value marker such as NA)");
  const Table no_label = read_table(dir.write("n.tsv", "text\tlabel\na\t0\nb\t\n"));
  CHECK(error_of([&] { build_label_space(no_label, "label", std::nullopt); }) ==
        no_label.file + ":3: missing label in column 'label'");
  const Table scores = read_table(dir.write("s.csv", "text,score\na,0.5\nb,high\n"));
  CHECK(error_of([&] { build_label_space(scores, "score", true); }) ==
        scores.file + ":3: label 'high' in column 'score' is not a number (regression)");
  const Table one_class = read_table(dir.write("o.csv", "text,label\na,1\nb,1\n"));
  CHECK(error_of([&] { build_label_space(one_class, "label", std::nullopt); }) ==
        one_class.file + ": column 'label' holds 1 distinct label(s); classification needs at least two");
  CHECK(error_of([&] { build_label_space(train, "target", std::nullopt); }) ==
        train.file + ":1: no column 'target'; the file has: text, label");
}
