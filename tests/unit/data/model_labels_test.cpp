// Evaluation and prediction with a model's labels, mapped as run_glue.py maps them: by the
// model's names, unless they are the default LABEL_0, LABEL_1 (then the data's own sorted labels,
// from the label file). Hand-written files; the expected ids are worked out by hand.
#include "hft/data/splits.h"

#include <catch2/catch.hpp>

#include "hft/tokenize/load.h"  // tokenize::load
#include "../test_files.h"      // ScratchDir
#include "oracle.h"             // source_path

using namespace hft::data;
using hft::testing::ScratchDir;

namespace {

std::string tokenizer_dir() { return hft::testing::source_path("models/all-MiniLM-L6-v2"); }

SplitsOptions with_model_labels(std::vector<std::string> names, bool data_labels_first) {
  SplitsOptions options;
  options.labels = label_space_of_names(std::move(names));
  options.data_labels_first = data_labels_first;
  return options;
}

}  // namespace

TEST_CASE("a model with the default LABEL_i names takes the data's own labels") {
  ScratchDir dir;
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options = with_model_labels({"LABEL_0", "LABEL_1"}, true);
  options.validation_file = dir.write("dev.tsv", "sentence\tlabel\ngood\t1\nbad\t0\nunsure\t-1\n");
  Splits splits = load_splits(options, tokenizer, tokenizer_dir());
  CHECK(splits.labels.names == std::vector<std::string>{"0", "1"});
  CHECK(splits.validation->label_ids == std::vector<int64_t>{1, 0, -1});

  // From the label file (the recipe's train_file), which is not itself loaded as a split.
  options.label_file = dir.write("train.tsv", "sentence\tlabel\na\tpos\nb\tneg\n");
  options.validation_file = dir.write("dev2.tsv", "sentence\tlabel\ngood\tpos\n");
  splits = load_splits(options, tokenizer, tokenizer_dir());
  CHECK(splits.labels.names == std::vector<std::string>{"neg", "pos"});
  CHECK(splits.validation->label_ids == std::vector<int64_t>{1});
  CHECK_FALSE(splits.train);
}

TEST_CASE("without labels in the data, or with named model labels, the model's labels stay") {
  ScratchDir dir;
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options = with_model_labels({"LABEL_0", "LABEL_1"}, true);
  options.test_file = dir.write("test.tsv", "sentence\nhello\n");
  CHECK(load_splits(options, tokenizer, tokenizer_dir()).labels.names == std::vector<std::string>{"LABEL_0", "LABEL_1"});
  options.test_file = dir.write("test2.tsv", "sentence\tlabel\nhello\t-1\n");  // GLUE's test files: all -1
  CHECK(load_splits(options, tokenizer, tokenizer_dir()).labels.names == std::vector<std::string>{"LABEL_0", "LABEL_1"});

  // A fine-tuned model's names map by the model's ids, whatever order the data would sort them in.
  options = with_model_labels({"pos", "neg"}, false);
  options.validation_file = dir.write("dev.tsv", "sentence\tlabel\ngood\tpos\nbad\tneg\n");
  const Splits splits = load_splits(options, tokenizer, tokenizer_dir());
  CHECK(splits.validation->label_ids == std::vector<int64_t>{0, 1});
}
