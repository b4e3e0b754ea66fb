// Labels a run cannot use: one DataError naming the file, the row and the label, with what
// would be right (hand-written files; the messages are the expected values).
#include "hft/data/label_space.h"

#include <catch2/catch.hpp>

#include "hft/data/data_error.h"  // DataError
#include "hft/data/examples.h"    // make_examples
#include "hft/data/read_table.h"  // read_table
#include "hft/data/splits.h"      // load_splits
#include "hft/tokenize/load.h"    // tokenize::load
#include "../test_files.h"        // ScratchDir
#include "oracle.h"               // source_path

using namespace hft::data;
using hft::testing::ScratchDir;

namespace {

// The message of the DataError that building the labels of `path` throws ("" when none is thrown).
std::string label_error(const std::string& path, std::optional<bool> regression = std::nullopt) {
  try {
    build_label_space(read_table(path), "label", regression);
  } catch (const DataError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an integer label outside int64 is named by its row, not a bare stoll") {
  ScratchDir dir;
  const std::string path = dir.write("a.tsv", "sentence\tlabel\nfine\t0\nodd\t99999999999999999999\nok\t1\n");
  CHECK(label_error(path) == path +
                                 ":3: label '99999999999999999999' in column 'label' is an integer out of range; "
                                 "expected class labels between -9223372036854775808 and 9223372036854775807 (or names)");
  const std::string edge = dir.write("b.tsv", "sentence\tlabel\na\t9223372036854775807\nb\t-9223372036854775808\n");
  CHECK(build_label_space(read_table(edge), "label", std::nullopt).names ==
        std::vector<std::string>{"-9223372036854775808", "9223372036854775807"});
}

TEST_CASE("a dev label outside int64 is an unknown label, not another one") {
  ScratchDir dir;
  const LabelSpace labels = build_label_space(read_table(dir.write("t.tsv", "s\tlabel\na\t0\nb\t9223372036854775807\n")),
                                              "label", std::nullopt);
  // strtoll saturates 99999999999999999999 to 9223372036854775807; it must not match that label.
  CHECK_FALSE(labels.id_of("99999999999999999999"));
  CHECK(labels.id_of("9223372036854775807") == 1);
  CHECK(labels.id_of(" 0") == 0);
  const Table dev = read_table(dir.write("d.tsv", "s\tlabel\na\t0\nb\t99999999999999999999\n"));
  CHECK_THROWS_WITH(make_examples(dev, {"s", std::nullopt}, "label", labels),
                    dev.file + ":3: label '99999999999999999999' is not one of the known labels (from the training "
                               "file, or the model's id2label: 0, 9223372036854775807)");
}

TEST_CASE("a word among integer labels (or an integer among names) is named by its row") {
  ScratchDir dir;
  const std::string word = dir.write("a.tsv", "s\tlabel\na\t0\nb\t1\nc\t1\nd\tpositive\ne\t0\n");
  CHECK(label_error(word) == word + ":5: label 'positive' in column 'label' is not an integer, unlike the column's "
                                    "other labels (0, 1); expected labels of one kind: integers throughout");
  const std::string number = dir.write("b.jsonl", "{\"s\": \"a\", \"label\": \"neg\"}\n{\"s\": \"b\", \"label\": 1}\n"
                                                  "{\"s\": \"c\", \"label\": \"pos\"}\n");
  CHECK(label_error(number) == number + ":2: label '1' in column 'label' is an integer, unlike the column's other "
                                        "labels (neg, pos); expected labels of one kind: names throughout");
  const std::string names = dir.write("c.tsv", "s\tlabel\na\tneg\nb\tpos\nc\t1star\n");
  CHECK(build_label_space(read_table(names), "label", std::nullopt).names == std::vector<std::string>{"1star", "neg", "pos"});
}

TEST_CASE("a regression target that float32 cannot hold is named by its row") {
  ScratchDir dir;
  const std::string path = dir.write("a.tsv", "s\tlabel\na\t0.5\nb\t1e999\n");
  CHECK(label_error(path, true) == path + ":3: label '1e999' in column 'label' is not a finite float32 number; "
                                          "expected a regression target such as 3.8");
  const std::string big = dir.write("b.tsv", "s\tlabel\na\t0.5\nb\t1e39\n");  // finite as a double, not as a float
  CHECK(label_error(big, true).rfind(big + ":3: label '1e39'", 0) == 0);
}

TEST_CASE("a model's integer label names match cells by value, and -1 in an integer column is no label") {
  ScratchDir dir;
  const LabelSpace integers = label_space_of_names({"0", "1"});
  CHECK(integers.integer_labels);
  CHECK(integers.id_of("01") == 1);
  CHECK_FALSE(label_space_of_names({"1", "02"}).integer_labels);  // "02" is not how Python writes 2
  const LabelSpace words = label_space_of_names({"LABEL_0", "LABEL_1"});
  CHECK_FALSE(words.integer_labels);
  const Table glue_test = read_table(dir.write("test.tsv", "s\tlabel\na\t-1\nb\t-1\n"));  // GLUE's test files
  CHECK(make_examples(glue_test, {"s", std::nullopt}, "label", words).label_ids == std::vector<int64_t>{-1, -1});
  const Table named = read_table(dir.write("named.tsv", "s\tlabel\na\t-1\nb\tLABEL_1\n"));  // -1 among names: a label
  CHECK_THROWS_WITH(make_examples(named, {"s", std::nullopt}, "label", words),
                    named.file + ":2: label '-1' is not one of the known labels (from the training file, or the "
                                 "model's id2label: LABEL_0, LABEL_1)");
}

TEST_CASE("a training row labelled -1 is named by its line, cached or not") {
  ScratchDir dir;
  const std::string tokenizer_dir = hft::testing::source_path("models/all-MiniLM-L6-v2");
  const auto tokenizer = hft::tokenize::load(tokenizer_dir);
  SplitsOptions options;
  options.train_file = dir.write("train.tsv", "s\tlabel\na\t1\nb\t0\nc\t1\nd\t0\ne\t-1\n");
  options.cache_dir = dir.path("cache");
  options.max_train_samples = 4;  // the -1 row is not among the first 4
  CHECK(load_splits(options, tokenizer, tokenizer_dir).train->size() == 4);
  options.max_train_samples.reset();
  const std::string expected = *options.train_file + ":6: label -1 (no label) in the training file; expected a label "
                                                     "for every training row";
  CHECK_THROWS_WITH(load_splits(options, tokenizer, tokenizer_dir), expected);
  options.validation_file = options.train_file;  // as a validation file, -1 is allowed (and cached) ...
  options.train_file.reset();
  CHECK(load_splits(options, tokenizer, tokenizer_dir).validation->label_ids.back() == -1);
  options.train_file = options.validation_file;  // ... and still named when the cached split is trained on
  options.validation_file.reset();
  CHECK_THROWS_WITH(load_splits(options, tokenizer, tokenizer_dir), expected);
}
