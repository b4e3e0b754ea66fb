// Supervised fine-tuning's data path against TRL: the rows and labels hft makes of plain text,
// prompt/completion pairs (plain and conversational) and conversations equal those SFTTrainer
// prepares (tests/oracle/sft_reference.py runs its own _prepare_dataset and collator on the same
// file), packed rows too; and a packed row gives each example the loss it has alone.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "../oracle_json.h"  // run_oracle_json
#include "../test_files.h"   // ScratchDir
#include "hft/chat/chat_template.h"                    // read_chat_template
#include "hft/chat/render_chat.h"                      // ChatRenderer
#include "hft/model/causal_lm.h"                       // next_token_labels
#include "hft/model/pretrained.h"                      // from_pretrained
#include "hft/task/text_generation/packing.h"          // pack_best_fit
#include "hft/task/text_generation/sft_encoding.h"     // encode_sft
#include "hft/task/text_generation/sft_examples.h"     // read_sft_examples
#include "hft/tokenize/load.h"                         // load

using namespace hft::task;
using nlohmann::json;

namespace {

const std::string kSft = std::string(HFT_SOURCE_DIR) + "/tests/fixtures/sft/";
const std::string kTemplates = std::string(HFT_SOURCE_DIR) + "/tests/fixtures/chat_templates/";

struct Case {
  std::string file;
  int64_t max_length;
  std::string completion_only;  // "0", "1" or "none" (TRL's default)
  bool packing;
  bool assistant_only = false;  // with TRL's Qwen2.5 training template ({% generation %} blocks)
};

std::vector<int32_t> slice(const std::vector<int32_t>& v, int64_t begin, int64_t end) {
  return {v.begin() + begin, v.begin() + end};
}

// messages.jsonl as conversational prompt/completion rows: the turns before the last, and the last.
std::string conversational_pairs(const hft::testing::ScratchDir& dir) {
  std::ifstream in(kSft + "messages.jsonl");
  std::string line, out;
  while (std::getline(in, line)) {
    json messages = json::parse(line)["messages"];
    const json last = messages.back();
    messages.erase(messages.size() - 1);
    out += json{{"prompt", messages}, {"completion", json::array({last})}}.dump() + "\n";
  }
  return dir.write("chat_pairs.jsonl", out);
}

}  // namespace

TEST_CASE("SFT rows and labels equal SFTTrainer's prepared data set, packed rows too") {
  hft::testing::ScratchDir dir;
  // Qwen2.5's chat template, and TRL's training version of it, which marks the assistant's tokens.
  const std::string chat_dir = dir.path("chat"), training_dir = dir.path("training");
  hft::testing::run_oracle_json("sft_fixtures.py", "tokenizer " + chat_dir + " " + kTemplates + "qwen2.5-instruct.jinja");
  hft::testing::run_oracle_json("sft_fixtures.py", "tokenizer " + training_dir + " trl:qwen2_5_training");
  const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load(chat_dir);  // the same files in both
  const hft::chat::ChatRenderer chat(hft::chat::read_chat_template(chat_dir));
  const hft::chat::ChatRenderer training(hft::chat::read_chat_template(training_dir));
  CHECK_FALSE(chat.has_generation_markers());
  CHECK(training.has_generation_markers());
  const std::string pairs = conversational_pairs(dir);
  for (const Case& c : {Case{kSft + "text.jsonl", 64, "none", false}, Case{kSft + "text.jsonl", 56, "none", true},
                        Case{kSft + "prompt_completion.jsonl", 44, "none", false},
                        Case{kSft + "prompt_completion.jsonl", 64, "0", false},
                        Case{kSft + "prompt_completion.jsonl", 44, "1", true}, Case{kSft + "messages.jsonl", 128, "none", false},
                        Case{kSft + "messages.jsonl", 96, "none", true}, Case{pairs, 128, "none", false},
                        Case{kSft + "messages.jsonl", 128, "none", false, true}, Case{kSft + "messages.jsonl", 72, "none", false, true},
                        Case{pairs, 128, "0", false, true}, Case{pairs, 128, "none", true, true}}) {
    INFO(c.file << " max_length " << c.max_length << " completion_only " << c.completion_only << " packing "
                << c.packing << " assistant_only " << c.assistant_only);
    const std::string tokenizer_dir = c.assistant_only ? training_dir : chat_dir;
    const json expected = hft::testing::run_oracle_json(
        "sft_reference.py", "encode " + tokenizer_dir + " " + c.file + " " + std::to_string(c.max_length) + " " +
                                c.completion_only + " " + (c.packing ? "1" : "0") + (c.assistant_only ? " 1" : " 0"));
    const SftExamples examples = read_sft_examples(c.file, "text", true);
    SftEncodeOptions options;
    options.max_length = c.max_length;
    options.truncate = !c.packing;
    options.assistant_only_loss = c.assistant_only;
    if (c.completion_only != "none") options.completion_only_loss = c.completion_only == "1";
    const SftEncoded encoded = encode_sft(examples, tokenizer, c.assistant_only ? &training : &chat, options);
    const hft::data::EncodedDataset rows = c.packing ? pack_best_fit(encoded.rows, c.max_length) : encoded.rows;
    REQUIRE(rows.size() == static_cast<int64_t>(expected["input_ids"].size()));
    for (int64_t row = 0; row < rows.size(); ++row) {
      const int64_t begin = rows.offsets[row], end = rows.offsets[row + 1];
      CHECK(json(slice(rows.input_ids, begin, end)) == expected["input_ids"][row]);
      CHECK(json(slice(rows.token_labels, begin, end)) == expected["labels"][row]);
      if (c.packing) CHECK(json(slice(rows.position_ids, begin, end)) == expected["position_ids"][row]);
    }
  }
}

TEST_CASE("assistant-only loss needs a template with generation blocks and conversations") {
  hft::testing::ScratchDir dir;
  const std::string chat_dir = dir.path("chat");
  hft::testing::run_oracle_json("sft_fixtures.py", "tokenizer " + chat_dir + " " + kTemplates + "qwen2.5-instruct.jinja");
  const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load(chat_dir);
  const hft::chat::ChatRenderer chat(hft::chat::read_chat_template(chat_dir));
  SftEncodeOptions options;
  options.assistant_only_loss = true;
  CHECK_THROWS_WITH(encode_sft(read_sft_examples(kSft + "messages.jsonl", "text", true), tokenizer, &chat, options),
                    Catch::Contains("no {% generation %} blocks"));
  CHECK_THROWS_WITH(encode_sft(read_sft_examples(kSft + "text.jsonl", "text", true), tokenizer, &chat, options),
                    Catch::Contains("assistant_only_loss needs conversations"));
}

TEST_CASE("a completion longer than max_length names its line; a prompt that fills it drops the row") {
  hft::testing::ScratchDir dir;
  const std::string tokenizer_dir = dir.path("tokenizer");
  hft::testing::run_oracle_json("sft_fixtures.py", "tokenizer " + tokenizer_dir);
  const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load(tokenizer_dir);
  const std::string file = dir.write("pairs.jsonl", R"({"prompt": "a b", "completion": " c d"}
{"prompt": "one two three four five six", "completion": " seven"}
{"prompt": "x", "completion": " y y y y y"}
)");
  const SftExamples examples = read_sft_examples(file, "text", true);
  SftEncodeOptions options;
  options.max_length = 6;
  const SftEncoded encoded = encode_sft(examples, tokenizer, nullptr, options);
  CHECK(encoded.rows.size() == 2);  // GPT-2 adds no BOS: "one two three four five six" is 6 tokens
  CHECK(encoded.dropped_lines == std::vector<int64_t>{2});
  options.max_length = 5;
  CHECK_THROWS_WITH(encode_sft(examples, tokenizer, nullptr, options),
                    Catch::Contains(file + ":3:") && Catch::Contains("longer than max_length 5"));
}

TEST_CASE("a packed row gives each example the loss it has alone") {
  hft::testing::ScratchDir dir;
  const std::string model_dir = dir.path("llama");
  hft::testing::run_oracle_json("sft_fixtures.py", "model " + model_dir + " llama 5");
  const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load(model_dir);
  hft::model::LoadOptions load;
  load.head = hft::model::Head::kCausalLM;
  hft::model::PretrainedModel model = hft::model::from_pretrained(model_dir, load);
  model.module->eval();
  torch::NoGradGuard no_grad;
  const SftExamples examples = read_sft_examples(kSft + "text_dev.jsonl", "text", true);
  SftEncodeOptions options;
  options.truncate = false;
  const hft::data::EncodedDataset rows = encode_sft(examples, tokenizer, nullptr, options).rows;
  const hft::data::EncodedDataset packed = pack_best_fit(rows, 96);
  REQUIRE(packed.size() < rows.size());
  // Each example's summed next-token loss, alone and inside its packed row.
  auto token_losses = [&](const hft::data::EncodedDataset& split, int64_t row, bool positions) {
    const int64_t begin = split.offsets[row], end = split.offsets[row + 1];
    hft::data::Batch batch;
    batch.input_ids = torch::tensor(slice(split.input_ids, begin, end), torch::kInt64).view({1, -1});
    batch.attention_mask = torch::ones_like(batch.input_ids);
    batch.num_tokens = end - begin;
    if (positions) batch.position_ids = torch::tensor(slice(split.position_ids, begin, end), torch::kInt64).view({1, -1});
    const torch::Tensor labels = torch::tensor(slice(split.token_labels, begin, end), torch::kInt64).view({1, -1});
    const torch::Tensor logits = model.module->forward(batch).logits[0];
    return torch::nn::functional::cross_entropy(
        logits, hft::model::next_token_labels(labels)[0],
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100).reduction(torch::kNone));
  };
  std::vector<double> alone;
  for (int64_t row = 0; row < rows.size(); ++row) alone.push_back(token_losses(rows, row, false).sum().item<double>());
  std::vector<double> in_packs;
  for (int64_t row = 0; row < packed.size(); ++row) {
    const torch::Tensor losses = token_losses(packed, row, true);
    const int64_t begin = packed.offsets[row];
    for (int64_t t = 0; t < packed.sequence_length(row); ++t) {
      if (packed.position_ids[begin + t] == 0) in_packs.push_back(0);
      in_packs.back() += losses[t].item<double>();
    }
  }
  // pack_best_fit places the longest first: the multiset of per-example losses is the same.
  std::sort(alone.begin(), alone.end());
  std::sort(in_packs.begin(), in_packs.end());
  REQUIRE(alone.size() == in_packs.size());
  double worst = 0;
  for (size_t i = 0; i < alone.size(); ++i) worst = std::max(worst, std::abs(alone[i] - in_packs[i]) / alone[i]);
  INFO(alone.size() << " examples in " << packed.size() << " packed rows");
  CHECK(worst < 1e-5);
}
