// Each architecture against transformers on the oracle's small random models, sharded and
// half-precision checkpoints, and the real all-MiniLM-L6-v2 checkpoint against transformers on
// SST-2 dev sentences.
#include "hft/model/pretrained.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "../test_files.h"
#include "hft/model/model_error.h"
#include "hft/model/safetensors.h"
#include "new_head_checks.h"
#include "oracle_batches.h"
#include "saved_model_checks.h"
#include "oracle_fixtures.h"
#include "tensor_checks.h"

using namespace hft::model;
using namespace hft::testing;

namespace {

// The oracle batch's unpadded row alone: logits and hidden state as transformers gives them.
void check_unpadded_row(TaskModel& model, const hft::data::Batch& inputs, const SafetensorsFile& expected,
                        const std::string& name) {
  const hft::data::Batch row = unpadded_first_row(inputs);
  REQUIRE(row.num_tokens == row.attention_mask.numel());
  REQUIRE_FALSE(hft::data::padding_mask(row).defined());
  const ModelOutput out = model.forward(row);
  const double logits_diff = max_abs_diff(out.logits, expected.tensor("logits_eval").narrow(0, 0, 1));
  const double hidden_diff = max_abs_diff(out.last_hidden_state, expected.tensor("hidden_eval").narrow(0, 0, 1));
  INFO(describe_diff(name + " eval logits of the unpadded row", logits_diff, 1e-5));
  CHECK(logits_diff <= 1e-5);
  INFO(describe_diff(name + " eval last hidden state of the unpadded row", hidden_diff, 1e-5));
  CHECK(hidden_diff <= 1e-5);
}

void check_architecture(const std::string& name) {
  const std::string dir = model_oracle_dir() + "/" + name;
  PretrainedModel model = from_pretrained(dir);
  CHECK(model.report.newly_initialized.empty());
  CHECK(model.report.unused.empty());
  const SafetensorsFile expected(dir + "/expected.safetensors");
  hft::data::Batch inputs = oracle_batch(expected);

  model.module->eval();
  {
    torch::NoGradGuard no_grad;
    hft::data::Batch without_labels = inputs;
    without_labels.labels = torch::Tensor();
    const ModelOutput out = model.module->forward(without_labels);
    const double logits_diff = max_abs_diff(out.logits, expected.tensor("logits_eval"));
    const double hidden_diff = max_abs_diff(out.last_hidden_state, expected.tensor("hidden_eval"));
    INFO(describe_diff(name + " eval logits", logits_diff, 1e-5));
    CHECK(logits_diff <= 1e-5);
    INFO(describe_diff(name + " eval last hidden state", hidden_diff, 1e-5));
    CHECK(hidden_diff <= 1e-5);
    check_unpadded_row(*model.module, inputs, expected, name);
  }

  model.module->train();  // the oracle's dropout probabilities are 0
  const ModelOutput out = model.module->forward(inputs);
  CHECK(max_abs_diff(out.logits, expected.tensor("logits_train")) <= 1e-5);
  CHECK(max_abs_diff(out.loss.reshape({1}), expected.tensor("loss")) <= 1e-5);
  out.loss.backward();
  int compared = 0;
  for (const auto& item : model.module->named_parameters()) {
    const std::string key = "grad/" + item.key();
    if (!expected.contains(key)) continue;
    const torch::Tensor reference = expected.tensor(key);
    // 1e-4 relative to the gradient's scale; the floor covers gradients that are zero in exact
    // arithmetic (attention key biases: softmax ignores a shift), whose values are rounding noise.
    const double tolerance = 1e-4 * max_abs(reference) + 1e-7;
    const double diff = max_abs_diff(item.value().grad(), reference);
    INFO(describe_diff(name + " gradient of " + item.key(), diff, tolerance));
    CHECK(diff <= tolerance);
    ++compared;
  }
  CHECK(compared == static_cast<int>(model.module->named_parameters().size()));
}

}  // namespace

TEST_CASE("BERT logits, hidden states and gradients equal transformers'") { check_architecture("bert"); }
TEST_CASE("BERT regression head with gelu_new equals transformers'") { check_architecture("bert_gelu_new_regression"); }
TEST_CASE("BERT multi-label head equals transformers'") { check_architecture("bert_multilabel"); }
TEST_CASE("RoBERTa logits, hidden states and gradients equal transformers'") { check_architecture("roberta"); }
TEST_CASE("ELECTRA logits, hidden states and gradients equal transformers'") { check_architecture("electra"); }
TEST_CASE("DistilBERT logits, hidden states and gradients equal transformers'") { check_architecture("distilbert"); }
TEST_CASE("DistilBERT regression head with relu equals transformers'") { check_architecture("distilbert_relu_regression"); }
TEST_CASE("DistilBERT with sinusoidal position embeddings equals transformers'") {
  check_architecture("distilbert_sinusoidal");
}
TEST_CASE("ModernBERT (Hub-style config, cls pooling) equals transformers'") { check_architecture("modernbert"); }
TEST_CASE("ModernBERT with biases and mean pooling equals transformers'") { check_architecture("modernbert_mean_biases"); }

// pytorch_model.bin as transformers 4 wrote it (torch.save of the state dict), through LibTorch's loader.
TEST_CASE("BERT from pytorch_model.bin equals transformers'") { check_architecture("bert_bin"); }
TEST_CASE("BERT from two pytorch_model.bin shards (pytorch_model.bin.index.json) equals transformers'") {
  check_architecture("bert_bin_sharded");
}
// Checkpoints transformers saved in half precision, upcast to fp32 by both.
TEST_CASE("BERT saved in bfloat16 loads upcast to fp32 and equals transformers'") { check_architecture("bert_bf16"); }
TEST_CASE("BERT saved in float16 loads upcast to fp32 and equals transformers'") { check_architecture("bert_fp16"); }
TEST_CASE("BERT saved in bfloat16 as pytorch_model.bin equals transformers'") { check_architecture("bert_bf16_bin"); }

TEST_CASE("config.json's dtype is read: float16 and bfloat16 checkpoints say what they hold") {
  CHECK(read_model_config(model_oracle_dir() + "/bert_bf16").torch_dtype == "bfloat16");
  CHECK(read_model_config(model_oracle_dir() + "/bert_fp16").torch_dtype == "float16");
  for (const auto& item : from_pretrained(model_oracle_dir() + "/bert_bf16").module->named_parameters())
    CHECK(item.value().scalar_type() == torch::kFloat32);
}

TEST_CASE("a DistilBERT checkpoint without its sinusoidal table starts from transformers' table") {
  ScratchDir scratch;
  const std::string source = model_oracle_dir() + "/distilbert_sinusoidal";
  const std::string table = "distilbert.embeddings.position_embeddings.weight";
  std::filesystem::copy_file(source + "/config.json", scratch.path("config.json"));
  const SafetensorsFile weights(source + "/model.safetensors");
  std::vector<std::pair<std::string, torch::Tensor>> kept;
  for (const auto& name : weights.names())
    if (name != table) kept.emplace_back(name, weights.tensor(name));
  write_safetensors(scratch.path("model.safetensors"), kept);
  const PretrainedModel model = from_pretrained(scratch.path());
  CHECK(model.report.newly_initialized == std::vector<std::string>{table});
  const SafetensorsFile expected(source + "/expected.safetensors");
  const double diff = max_abs_diff(model.module->named_parameters()[table], expected.tensor("init/" + table));
  INFO(describe_diff("sinusoidal position table", diff, 1e-6));
  CHECK(diff <= 1e-6);
}

// A pretrained checkpoint has no head: transformers draws the missing weights, in its own order,
// as the first numbers after the seed (new_head_checks.h).
void check_new_head(const std::string& name) {
  LoadOptions options;
  options.labels = std::vector<std::string>{"a", "b", "c"};
  hft::testing::check_new_head(model_oracle_dir() + "/" + name + "_headless", "new_head.safetensors", options);
}

TEST_CASE("a new BERT head gets transformers' numbers from the seed") { check_new_head("bert"); }
TEST_CASE("a new RoBERTa head gets transformers' numbers from the seed") { check_new_head("roberta"); }
TEST_CASE("a new ELECTRA head gets transformers' numbers from the seed") { check_new_head("electra"); }
TEST_CASE("a new DistilBERT head gets transformers' numbers from the seed") { check_new_head("distilbert"); }
TEST_CASE("a new ModernBERT head gets transformers' numbers from the seed") { check_new_head("modernbert_mean_biases"); }

TEST_CASE("the real all-MiniLM-L6-v2 checkpoint gives transformers' hidden states on SST-2 dev") {
  const std::string model_dir = std::string(HFT_SOURCE_DIR) + "/models/all-MiniLM-L6-v2";
  PretrainedModel model = from_pretrained(model_dir, LoadOptions{std::vector<std::string>{"negative", "positive"}, {}, {}});
  // A bare BertModel checkpoint: the head is new, the pooler and encoder are loaded.
  CHECK(model.report.newly_initialized == std::vector<std::string>{"classifier.bias", "classifier.weight"});
  CHECK(model.report.unused.empty());
  const SafetensorsFile expected(model_oracle_dir() + "/minilm/expected.safetensors");
  model.module->eval();
  torch::NoGradGuard no_grad;
  const ModelOutput out = model.module->forward(oracle_batch(expected));
  const double diff = max_abs_diff(out.last_hidden_state, expected.tensor("hidden"));
  INFO(describe_diff("MiniLM last hidden state over 48 sentences", diff, 1e-4));
  CHECK(diff <= 1e-4);
}

namespace {

// hft loads the oracle's model `name` with new labels, saves it, and transformers loads that
// folder without weight warnings and computes the logits hft computed.
void check_saved_model_loads_in_transformers(const std::string& name) {
  LoadOptions options;
  options.labels = std::vector<std::string>{"neg", "neutral", "pos"};
  hft::testing::check_saved_model_loads_in_transformers(model_oracle_dir() + "/" + name, options, "neg,neutral,pos",
                                                        "sequence");
}

}  // namespace

TEST_CASE("a model saved by hft loads in transformers without missing weights and gives the same logits") {
  check_saved_model_loads_in_transformers("bert");
}
TEST_CASE("a DistilBERT model saved by hft loads in transformers cleanly") {
  check_saved_model_loads_in_transformers("distilbert");
}
TEST_CASE("a ModernBERT model saved by hft loads in transformers cleanly") {
  check_saved_model_loads_in_transformers("modernbert_mean_biases");
}

TEST_CASE("model folders with mistakes get one clear error") {
  ScratchDir scratch;
  CHECK_THROWS_WITH(from_pretrained(scratch.path("nothing-here")), Catch::Contains("not a model folder"));
  scratch.write("config.json", R"({"model_type": "t5"})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("`t5` is not supported; expected one of: bert"));
  scratch.write("config.json", R"({"model_type": "bert", "hidden_size": 32, "num_attention_heads": 4})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("no model weights"));
  // Weights of a model whose hidden size differs from the config's.
  write_safetensors(scratch.path("model.safetensors"), {{"bert.pooler.dense.weight", torch::zeros({16, 16})}});
  scratch.write("config.json", R"({"model_type": "bert", "hidden_size": 32, "num_attention_heads": 4,
                                   "num_hidden_layers": 1, "intermediate_size": 8, "vocab_size": 10})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()),
                    Catch::Contains("`bert.pooler.dense.weight` has shape [16, 16], but the config makes it [32, 32]"));
  scratch.write("config.json", R"({"hidden_size": 32})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("model_type: missing"));
}

TEST_CASE("DistilBERT and ModernBERT settings hft cannot run get one clear error") {
  ScratchDir scratch;
  write_safetensors(scratch.path("model.safetensors"), {});
  scratch.write("config.json", R"({"model_type": "distilbert", "activation": "gelu_exotic"})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("activation: unsupported activation `gelu_exotic`"));
  scratch.write("config.json", R"({"model_type": "modernbert", "classifier_pooling": "max"})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("classifier_pooling: `max` is not supported"));
  scratch.write("config.json", R"({"model_type": "modernbert", "rope_scaling": {"rope_type": "linear", "factor": 2.0}})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("rope_scaling: `linear` is not supported"));
  scratch.write("config.json", R"({"model_type": "modernbert", "num_hidden_layers": 2, "layer_types": ["full_attention", "chunked"]})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("layer_types: unsupported layer type \"chunked\""));
}

namespace {

void check_same_parameters(const PretrainedModel& loaded, const PretrainedModel& reference, torch::ScalarType stored) {
  const auto expected = reference.module->named_parameters();
  for (const auto& item : loaded.module->named_parameters()) {
    INFO(item.key());
    CHECK(item.value().scalar_type() == torch::kFloat32);
    CHECK(torch::equal(item.value(), expected[item.key()].to(stored).to(torch::kFloat32)));
  }
}

}  // namespace

TEST_CASE("a checkpoint in two shards (model.safetensors.index.json, written by transformers) loads whole") {
  const PretrainedModel sharded = from_pretrained(model_oracle_dir() + "/bert_sharded");
  CHECK(sharded.report.newly_initialized.empty());
  CHECK(sharded.report.unused.empty());
  check_same_parameters(sharded, from_pretrained(model_oracle_dir() + "/bert"), torch::kFloat32);
}

TEST_CASE("BF16 and F16 weights load into fp32 parameters") {
  const std::string dir = model_oracle_dir() + "/bert";
  const PretrainedModel reference = from_pretrained(dir);
  for (const auto dtype : {torch::kBFloat16, torch::kFloat16}) {
    ScratchDir scratch;
    std::filesystem::copy_file(dir + "/config.json", scratch.path("config.json"));
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (const auto& item : reference.module->named_parameters()) tensors.emplace_back(item.key(), item.value().to(dtype));
    write_safetensors(scratch.path("model.safetensors"), tensors);
    CHECK(SafetensorsFile(scratch.path("model.safetensors")).tensor("classifier.weight").scalar_type() == dtype);
    const PretrainedModel loaded = from_pretrained(scratch.path());
    CHECK(loaded.report.newly_initialized.empty());
    check_same_parameters(loaded, reference, dtype);
  }
}
