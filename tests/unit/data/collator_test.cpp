// Collated batches against transformers.DataCollatorWithPadding (the oracle) on the same
// encodings: pad_to_multiple_of 1 and 8, left and right padding, longest and max_length, with
// and without token_type_ids, class ids and regression targets.
#include "torch_catch.h"  // torch, then Catch2 (first: before any header that brings c10's CHECK)

#include "hft/data/collator.h"

#include "hft/data/splits.h"    // load_splits
#include "hft/tokenize/load.h"  // tokenize::load
#include "../test_files.h"      // ScratchDir
#include "oracle.h"             // run_oracle, glue_path

using namespace hft::data;
using hft::tokenize::PaddingSide;
using nlohmann::json;

namespace {

std::string tokenizer_dir() { return hft::testing::source_path("models/all-MiniLM-L6-v2"); }

json features_of(const EncodedDataset& dataset, bool with_types) {
  json features = json::array();
  for (int64_t i = 0; i < dataset.size(); ++i) {
    const auto ids = dataset.ids(i);
    const auto types = dataset.type_ids(i);
    json feature = {{"input_ids", std::vector<int32_t>(ids.begin(), ids.end())}};
    if (with_types) feature["token_type_ids"] = std::vector<int32_t>(types.begin(), types.end());
    const int64_t width = dataset.multi_label_width;
    if (width > 0)
      feature["label"] =
          std::vector<float>(dataset.targets.begin() + i * width, dataset.targets.begin() + (i + 1) * width);
    else if (dataset.regression)
      feature["label"] = dataset.targets[i];
    else
      feature["label"] = dataset.label_ids[i];
    features.push_back(feature);
  }
  return features;
}

// Batches of 8 rows picked across the split, plus one single-row batch.
std::vector<std::vector<int64_t>> batches_of(int64_t rows) {
  std::vector<std::vector<int64_t>> batches;
  for (int64_t b = 0; b < 6; ++b) {
    std::vector<int64_t> batch;
    for (int64_t k = 0; k < 8; ++k) batch.push_back((b * 131 + k * 37) % rows);
    batches.push_back(batch);
  }
  batches.push_back({rows - 1});
  return batches;
}

void check_tensor(const at::Tensor& tensor, const json& expected, const std::string& name) {
  INFO("tensor " << name);
  REQUIRE(tensor.defined());
  CHECK(std::string(expected["dtype"]) == (tensor.scalar_type() == torch::kFloat32 ? "torch.float32" : "torch.int64"));
  CHECK(tensor.sizes().vec() == expected["shape"].get<std::vector<int64_t>>());
  if (tensor.scalar_type() == torch::kFloat32) {
    const auto values = expected["values"].get<std::vector<float>>();
    CHECK(std::vector<float>(tensor.data_ptr<float>(), tensor.data_ptr<float>() + tensor.numel()) == values);
  } else {
    const auto values = expected["values"].get<std::vector<int64_t>>();
    CHECK(std::vector<int64_t>(tensor.data_ptr<int64_t>(), tensor.data_ptr<int64_t>() + tensor.numel()) == values);
  }
}

void compare_with_oracle(const EncodedDataset& dataset, const CollatorOptions& options) {
  hft::testing::ScratchDir dir;
  const auto batches = batches_of(dataset.size());
  json job = {{"tokenizer", tokenizer_dir()},
              {"padding_side", options.padding_side == PaddingSide::kLeft ? "left" : "right"},
              {"padding", options.pad_to_max_length ? "max_length" : "longest"},
              {"features", features_of(dataset, options.token_type_ids)},
              {"batches", batches}};
  if (options.pad_to_max_length) job["max_length"] = options.max_length;
  if (options.pad_to_multiple_of > 1) job["pad_to_multiple_of"] = options.pad_to_multiple_of;
  hft::testing::write_json(dir.path("job.json"), job);
  hft::testing::run_oracle("data_collate.py", {dir.path("job.json"), dir.path("out.jsonl")});
  const auto expected = hft::testing::read_json_lines(dir.path("out.jsonl"));
  REQUIRE(expected.size() == batches.size());
  for (size_t b = 0; b < batches.size(); ++b) {
    INFO("batch " << b);
    const Batch batch = collate(dataset, batches[b], options);
    check_tensor(batch.input_ids, expected[b]["input_ids"], "input_ids");
    check_tensor(batch.attention_mask, expected[b]["attention_mask"], "attention_mask");
    check_tensor(batch.labels, expected[b]["labels"], "labels");
    CHECK(batch.token_type_ids.defined() == expected[b].contains("token_type_ids"));
    if (options.token_type_ids) check_tensor(batch.token_type_ids, expected[b]["token_type_ids"], "token_type_ids");
  }
}

EncodedDataset stsb_dev() {
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options;
  options.train_file = hft::testing::glue_path("STS-B/dev.tsv");
  options.columns.label_column_name = "score";
  options.max_train_samples = 300;
  return *load_splits(options, tokenizer, tokenizer_dir()).train;
}

EncodedDataset cola_dev() {
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options;
  options.validation_file = hft::testing::glue_path("CoLA/dev.tsv");
  options.column_names = {"source", "label", "notes", "sentence"};
  options.columns.task_name = "cola";
  options.max_eval_samples = 300;
  return *load_splits(options, tokenizer, tokenizer_dir()).validation;
}

}  // namespace

TEST_CASE("padding arithmetic: longest, max_length, multiples") {
  CollatorOptions options;
  CHECK(padded_length(13, options) == 13);
  options.pad_to_multiple_of = 8;
  CHECK(padded_length(13, options) == 16);
  CHECK(padded_length(16, options) == 16);
  options.pad_to_max_length = true;
  options.max_length = 20;
  CHECK(padded_length(13, options) == 24);
}

TEST_CASE("collated batches equal DataCollatorWithPadding's", "[oracle]") {
  const EncodedDataset pairs = stsb_dev();
  const EncodedDataset singles = cola_dev();
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  for (const int64_t multiple : {1, 8}) {
    for (const PaddingSide side : {PaddingSide::kRight, PaddingSide::kLeft}) {
      CollatorOptions options = collator_options(tokenizer, 128, false, false, true);
      options.pad_to_multiple_of = multiple;
      options.padding_side = side;
      INFO("pad_to_multiple_of " << multiple << ", left " << (side == PaddingSide::kLeft));
      compare_with_oracle(pairs, options);
      options.token_type_ids = false;
      compare_with_oracle(singles, options);
    }
  }
  CollatorOptions max_length = collator_options(tokenizer, 60, true, false, true);
  compare_with_oracle(pairs, max_length);
}

TEST_CASE("multi-label batches equal DataCollatorWithPadding's ([B, num_labels] float targets)", "[oracle]") {
  hft::testing::ScratchDir dir;
  std::string rows;
  const char* const tags[] = {"[\"sport\"]", "[\"news\", \"art\"]", "[]", "[\"art\", \"sport\", \"news\"]"};
  for (int i = 0; i < 40; ++i)
    rows += "{\"text\": \"row number " + std::to_string(i) + (i % 3 ? " is longer than the others" : "") +
            "\", \"label\": " + tags[i % 4] + "}\n";
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());
  SplitsOptions options;
  options.train_file = dir.write("multi.jsonl", rows);
  const Splits splits = load_splits(options, tokenizer, tokenizer_dir());
  REQUIRE(splits.labels.multi_label);
  CHECK(splits.labels.names == std::vector<std::string>{"art", "news", "sport"});
  REQUIRE(splits.train->multi_label_width == 3);
  CHECK(std::vector<float>(splits.train->targets.begin() + 3, splits.train->targets.begin() + 6) ==
        std::vector<float>{1, 1, 0});  // row 1: news, art
  compare_with_oracle(*splits.train, collator_options(tokenizer, 128, false, false, true));
}

TEST_CASE("collator options follow the tokenizer: pad id, side, model_max_length, fp16 multiple") {
  const auto tokenizer = hft::tokenize::load(tokenizer_dir());  // tokenizer_config.json: model_max_length 512
  const CollatorOptions options = collator_options(tokenizer, 1000, true, true, false);
  CHECK(options.max_length == 512);
  CHECK(options.pad_id == *tokenizer.token_to_id("[PAD]"));
  CHECK(options.padding_side == PaddingSide::kRight);
  CHECK(options.pad_to_multiple_of == 8);
  CHECK_FALSE(options.token_type_ids);
  CHECK(collator_options(tokenizer, 128, false, false, true).max_length == 128);
}
