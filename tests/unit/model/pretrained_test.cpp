// Each architecture against transformers on the oracle's small random models, and the real
// all-MiniLM-L6-v2 checkpoint against transformers on SST-2 dev sentences.
#include "hft/model/pretrained.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "../test_files.h"
#include "hft/model/model_error.h"
#include "hft/model/safetensors.h"
#include "oracle_fixtures.h"
#include "tensor_checks.h"

using namespace hft::model;
using namespace hft::testing;

namespace {

ModelInputs inputs_from(const SafetensorsFile& expected) {
  return ModelInputs{expected.tensor("input_ids").clone(), expected.tensor("attention_mask").clone(),
                     expected.tensor("token_type_ids").clone(),
                     expected.contains("labels") ? expected.tensor("labels").clone() : torch::Tensor()};
}

void check_architecture(const std::string& name) {
  const std::string dir = model_oracle_dir() + "/" + name;
  PretrainedModel model = from_pretrained(dir);
  CHECK(model.report.newly_initialized.empty());
  CHECK(model.report.unused.empty());
  const SafetensorsFile expected(dir + "/expected.safetensors");
  ModelInputs inputs = inputs_from(expected);

  model.module->eval();
  {
    torch::NoGradGuard no_grad;
    ModelInputs without_labels = inputs;
    without_labels.labels = torch::Tensor();
    const ClassifierOutput out = model.module->forward(without_labels);
    const double logits_diff = max_abs_diff(out.logits, expected.tensor("logits_eval"));
    const double hidden_diff = max_abs_diff(out.last_hidden_state, expected.tensor("hidden_eval"));
    INFO(describe_diff(name + " eval logits", logits_diff, 1e-5));
    CHECK(logits_diff <= 1e-5);
    INFO(describe_diff(name + " eval last hidden state", hidden_diff, 1e-5));
    CHECK(hidden_diff <= 1e-5);
  }

  model.module->train();  // the oracle's dropout probabilities are 0
  const ClassifierOutput out = model.module->forward(inputs);
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

TEST_CASE("the real all-MiniLM-L6-v2 checkpoint gives transformers' hidden states on SST-2 dev") {
  const std::string model_dir = std::string(HFT_SOURCE_DIR) + "/models/all-MiniLM-L6-v2";
  PretrainedModel model = from_pretrained(model_dir, LoadOptions{std::vector<std::string>{"negative", "positive"}, {}});
  // A bare BertModel checkpoint: the head is new, the pooler and encoder are loaded.
  CHECK(model.report.newly_initialized == std::vector<std::string>{"classifier.bias", "classifier.weight"});
  CHECK(model.report.unused.empty());
  const SafetensorsFile expected(model_oracle_dir() + "/minilm/expected.safetensors");
  model.module->eval();
  torch::NoGradGuard no_grad;
  const ClassifierOutput out = model.module->forward(inputs_from(expected));
  const double diff = max_abs_diff(out.last_hidden_state, expected.tensor("hidden"));
  INFO(describe_diff("MiniLM last hidden state over 48 sentences", diff, 1e-4));
  CHECK(diff <= 1e-4);
}

TEST_CASE("a model saved by hft loads in transformers without missing weights and gives the same logits") {
  ScratchDir scratch;
  const std::string dir = model_oracle_dir() + "/bert";
  PretrainedModel model = from_pretrained(dir, LoadOptions{std::vector<std::string>{"neg", "neutral", "pos"}, {}});
  const SafetensorsFile expected(dir + "/expected.safetensors");
  model.module->eval();
  torch::Tensor logits;
  {
    torch::NoGradGuard no_grad;
    ModelInputs inputs = inputs_from(expected);
    inputs.labels = torch::Tensor();
    logits = model.module->forward(inputs).logits;
  }
  const std::string saved = scratch.path("saved");
  save_pretrained(model, saved, std::string(HFT_SOURCE_DIR) + "/../shared/data/tokenizers/bert-base-uncased");
  write_safetensors(scratch.path("hft_logits.safetensors"),
                    {{"input_ids", expected.tensor("input_ids")}, {"attention_mask", expected.tensor("attention_mask")},
                     {"token_type_ids", expected.tensor("token_type_ids")}, {"logits", logits}});
  const std::string command = std::string(HFT_PYTHON) + " " + HFT_SOURCE_DIR + "/tests/oracle/check_saved_model.py " +
                              saved + " " + scratch.path("hft_logits.safetensors") + " neg,neutral,pos";
  CHECK(std::system(command.c_str()) == 0);
}

TEST_CASE("model folders with mistakes get one clear error") {
  ScratchDir scratch;
  CHECK_THROWS_WITH(from_pretrained(scratch.path("nothing-here")), Catch::Contains("not a model folder"));
  scratch.write("config.json", R"({"model_type": "gpt2"})");
  CHECK_THROWS_WITH(from_pretrained(scratch.path()), Catch::Contains("`gpt2` is not supported; expected one of: bert"));
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
