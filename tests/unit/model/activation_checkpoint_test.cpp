// Activation checkpointing changes memory, never numbers: with dropout on in train mode and the
// same seed, the loss and every gradient equal (1e-6) those computed without it, in fp32 and
// under bf16 autocast. Recomputing a layer in backward must replay the random state, or dropout
// would draw different masks, and the autocast state, or a bf16 forward would be redone in fp32.
#include "hft/model/activation_recomputation.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "../test_files.h"
#include "hft/model/pretrained.h"
#include "hft/model/safetensors.h"
#include "cpu_autocast.h"  // CpuAutocast
#include "oracle_batches.h"
#include "oracle_fixtures.h"
#include "tensor_checks.h"

using namespace hft::model;
using namespace hft::testing;

namespace {

struct LossAndGradients {
  double loss = 0;
  std::map<std::string, torch::Tensor> gradients;
};

// The oracle's model `name`, copied into `scratch` with the config's dropout keys set to 0.1.
std::string with_dropout(const ScratchDir& scratch, const std::string& name, const std::vector<std::string>& keys) {
  const std::string source = model_oracle_dir() + "/" + name;
  std::ifstream in(source + "/config.json");
  nlohmann::json config = nlohmann::json::parse(in);
  for (const auto& key : keys) config[key] = 0.1;
  const std::string dir = scratch.path(name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/config.json") << config.dump(2);
  std::filesystem::copy_file(source + "/model.safetensors", dir + "/model.safetensors");
  return dir;
}

hft::data::Batch oracle_batch(const std::string& name) {
  return hft::testing::oracle_batch(SafetensorsFile(model_oracle_dir() + "/" + name + "/expected.safetensors"));
}

// One training step's loss and gradients, from seed 0; autocast (if any) around forward only,
// as the Trainer runs it, so backward's recomputation sees autocast off unless it restores it.
LossAndGradients train_step(TaskModel& model, const hft::data::Batch& inputs, bool checkpointing,
                            std::optional<c10::ScalarType> autocast = std::nullopt) {
  model.train();
  model.set_activation_recomputation(checkpointing);
  model.zero_grad();
  torch::manual_seed(0);
  torch::Tensor loss;
  {
    CpuAutocast scope(autocast);
    loss = model.forward(inputs).loss;
  }
  loss.backward();
  LossAndGradients out;
  out.loss = loss.item<double>();
  for (const auto& item : model.named_parameters()) out.gradients[item.key()] = item.value().grad().clone();
  return out;
}

void check_checkpointing_keeps_numbers(const std::string& name, const std::vector<std::string>& dropout_keys,
                                       std::optional<c10::ScalarType> autocast = std::nullopt,
                                       Head head = Head::kSequenceClassification) {
  ScratchDir scratch;
  LoadOptions options;
  options.head = head;
  PretrainedModel model = from_pretrained(with_dropout(scratch, name, dropout_keys), options);
  const hft::data::Batch inputs = oracle_batch(name);
  const LossAndGradients plain = train_step(*model.module, inputs, false, autocast);
  const LossAndGradients recomputed = train_step(*model.module, inputs, true, autocast);

  model.module->eval();
  torch::NoGradGuard no_grad;
  const double eval_loss = model.module->forward(inputs).loss.item<double>();
  INFO(name << ": train loss " << plain.loss << ", eval loss " << eval_loss);
  CHECK(std::abs(plain.loss - eval_loss) > 1e-4);  // dropout is really on: the test could fail

  CHECK(std::abs(plain.loss - recomputed.loss) <= 1e-6);
  for (const auto& [key, gradient] : plain.gradients) {
    const double tolerance = 1e-6 * std::max(1.0, max_abs(gradient));
    const double diff = max_abs_diff(recomputed.gradients.at(key), gradient);
    INFO(describe_diff(name + " gradient of " + key + " with checkpointing", diff, tolerance));
    CHECK(diff <= tolerance);
  }
}

}  // namespace

TEST_CASE("activation checkpointing keeps BERT's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("bert", {"hidden_dropout_prob", "attention_probs_dropout_prob"});
}

TEST_CASE("activation checkpointing keeps RoBERTa's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("roberta", {"hidden_dropout_prob", "attention_probs_dropout_prob"});
}

TEST_CASE("activation checkpointing keeps ELECTRA's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("electra", {"hidden_dropout_prob", "attention_probs_dropout_prob"});
}

TEST_CASE("activation checkpointing recomputes a bf16 autocast forward in bf16 (BERT, DistilBERT, ModernBERT)") {
  check_checkpointing_keeps_numbers("bert", {"hidden_dropout_prob", "attention_probs_dropout_prob"}, c10::kBFloat16);
  check_checkpointing_keeps_numbers("distilbert", {"dropout", "attention_dropout", "seq_classif_dropout"},
                                    c10::kBFloat16);
  check_checkpointing_keeps_numbers("modernbert_mean_biases",
                                    {"attention_dropout", "mlp_dropout", "embedding_dropout", "classifier_dropout"},
                                    c10::kBFloat16);
}

TEST_CASE("activation checkpointing keeps DistilBERT's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("distilbert", {"dropout", "attention_dropout", "seq_classif_dropout"});
}

TEST_CASE("activation checkpointing keeps ModernBERT's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("modernbert_mean_biases",
                                    {"attention_dropout", "mlp_dropout", "embedding_dropout", "classifier_dropout"});
}

TEST_CASE("activation checkpointing keeps the token-classification and multiple-choice heads' numbers") {
  const std::vector<std::string> bert_keys{"hidden_dropout_prob", "attention_probs_dropout_prob"};
  check_checkpointing_keeps_numbers("bert_token", bert_keys, std::nullopt, Head::kTokenClassification);
  check_checkpointing_keeps_numbers("electra_choice", bert_keys, std::nullopt, Head::kMultipleChoice);
  check_checkpointing_keeps_numbers("distilbert_choice", {"dropout", "attention_dropout"}, c10::kBFloat16,
                                    Head::kMultipleChoice);
  check_checkpointing_keeps_numbers("modernbert_token", {"attention_dropout", "mlp_dropout", "embedding_dropout"},
                                    c10::kBFloat16, Head::kTokenClassification);
}
