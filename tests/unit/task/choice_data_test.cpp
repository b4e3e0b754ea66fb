// Multiple choice's data path: run_swag.py's pairs (the context with "<question> <ending>" for
// each ending) from the columns ChoiceColumns names, and the batch DataCollatorForMultipleChoice
// makes of them ([B, N, L], every choice padded to the batch's longest), checked by hand.
#include <torch/torch.h>  // before Catch: both define CHECK, and Catch's must win

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../test_files.h"  // ScratchDir
#include "hft/data/collator.h"                          // collate_choices
#include "hft/task/multiple_choice/choice_encoding.h"  // encode_choices
#include "hft/task/multiple_choice/choice_examples.h"  // read_choice_examples
#include "hft/tokenize/load.h"                          // load

using namespace hft::task;
using Texts = std::vector<std::string>;

TEST_CASE("SWAG's columns by default: sent1 with `sent2 endingK`, the label an index") {
  hft::testing::ScratchDir dir;
  const std::string file = dir.write("swag.csv", "sent1,sent2,ending0,ending1,ending2,ending3,label\n"
                                                 "A man sits.,He,stands.,sleeps.,eats.,runs.,2\n"
                                                 "A dog barks.,It,waits.,flies.,sings.,swims.,0\n");
  const ChoiceExamples examples = read_choice_examples(file, {}, true);
  CHECK(examples.contexts == Texts{"A man sits.", "A dog barks."});
  CHECK(examples.second == Texts{"He stands.", "He sleeps.", "He eats.", "He runs.", "It waits.", "It flies.",
                                 "It sings.", "It swims."});
  CHECK(examples.labels == std::vector<int64_t>{2, 0});
  CHECK(examples.lines == std::vector<int64_t>{2, 3});
}

TEST_CASE("ChoiceColumns: other names, no question stem, any number of endings") {
  hft::testing::ScratchDir dir;
  const std::string file = dir.write("arc.jsonl", R"({"q": "2 + 2 =", "a": "3", "b": "4", "c": "5", "answer": 1})"
                                                  "\n");
  ChoiceColumns columns;
  columns.context = "q";
  columns.question = "";
  columns.endings = {"a", "b", "c"};
  columns.label = "answer";
  const ChoiceExamples examples = read_choice_examples(file, columns, true);
  CHECK(examples.choices == 3);
  CHECK(examples.second == Texts{"3", "4", "5"});
  CHECK(examples.labels == std::vector<int64_t>{1});
  columns.label = "absent";
  CHECK(read_choice_examples(file, columns, false).labels.empty());  // prediction without labels
  CHECK_THROWS_WITH(read_choice_examples(file, columns, true), Catch::Contains("absent"));
}

TEST_CASE("choices encoded as pairs and collated to [B, N, L], padded to the batch's longest choice") {
  hft::testing::ScratchDir dir;
  const std::string file = dir.write("swag.jsonl", R"({"sent1": "a", "sent2": "b", "ending0": "c", "ending1": "d e", "label": 1})"
                                                   "\n"
                                                   R"({"sent1": "a", "sent2": "b", "ending0": "c", "ending1": "c", "label": 0})"
                                                   "\n");
  ChoiceColumns columns;
  columns.endings = {"ending0", "ending1"};
  const auto tokenizer = hft::tokenize::load(std::string(HFT_SOURCE_DIR) + "/tests/fixtures/tokenizers/bert-base-uncased");
  const hft::data::EncodedDataset encoded = encode_choices(read_choice_examples(file, columns, true), tokenizer, 32, 1);
  CHECK(encoded.size() == 2);
  CHECK(encoded.sequences_per_row == 2);
  // [CLS] a [SEP] b c [SEP] and [CLS] a [SEP] b d e [SEP]: the pair's second text has type 1.
  CHECK(encoded.sequence_length(0) == 6);
  CHECK(encoded.sequence_length(1) == 7);
  const std::vector<int64_t> rows = {0, 1};
  hft::data::CollatorOptions padding;
  padding.pad_id = 0;
  const hft::data::Batch batch = hft::data::collate_choices(encoded, rows, padding);
  CHECK(batch.input_ids.sizes() == torch::IntArrayRef({2, 2, 7}));
  CHECK(batch.attention_mask.sum().item<int64_t>() == 6 + 7 + 6 + 6);
  CHECK(batch.token_type_ids[0][1].sum().item<int64_t>() == 4);  // b d e [SEP]
  CHECK(batch.labels.equal(torch::tensor({1, 0}, torch::kInt64)));
  CHECK(batch.label_count == 2);
  CHECK(batch.num_tokens == 25);
}
