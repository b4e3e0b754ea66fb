// Activation checkpointing changes memory, never numbers: with dropout on in train mode and the
// same seed, the loss and every gradient equal those computed without it. Recomputing a layer
// in backward must replay the random state, or dropout would draw different masks.
#include "hft/model/activation_checkpoint.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "../test_files.h"
#include "hft/model/pretrained.h"
#include "hft/model/safetensors.h"
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

ModelInputs oracle_batch(const std::string& name) {
  const SafetensorsFile expected(model_oracle_dir() + "/" + name + "/expected.safetensors");
  return ModelInputs{expected.tensor("input_ids").clone(), expected.tensor("attention_mask").clone(),
                     expected.tensor("token_type_ids").clone(), expected.tensor("labels").clone()};
}

// One training step's loss and gradients, from seed 0.
LossAndGradients train_step(SequenceClassifier& model, const ModelInputs& inputs, bool checkpointing) {
  model.train();
  model.set_activation_checkpointing(checkpointing);
  model.zero_grad();
  torch::manual_seed(0);
  const torch::Tensor loss = model.forward(inputs).loss;
  loss.backward();
  LossAndGradients out;
  out.loss = loss.item<double>();
  for (const auto& item : model.named_parameters()) out.gradients[item.key()] = item.value().grad().clone();
  return out;
}

void check_checkpointing_keeps_numbers(const std::string& name, const std::vector<std::string>& dropout_keys) {
  ScratchDir scratch;
  PretrainedModel model = from_pretrained(with_dropout(scratch, name, dropout_keys));
  const ModelInputs inputs = oracle_batch(name);
  const LossAndGradients plain = train_step(*model.module, inputs, false);
  const LossAndGradients recomputed = train_step(*model.module, inputs, true);

  model.module->eval();
  torch::NoGradGuard no_grad;
  const double eval_loss = model.module->forward(inputs).loss.item<double>();
  INFO(name << ": train loss " << plain.loss << ", eval loss " << eval_loss);
  CHECK(std::abs(plain.loss - eval_loss) > 1e-4);  // dropout is really on: the test could fail

  CHECK(std::abs(plain.loss - recomputed.loss) <= 1e-6);
  for (const auto& [key, gradient] : plain.gradients) {
    const double tolerance = 1e-5 * max_abs(gradient) + 1e-7;
    const double diff = max_abs_diff(recomputed.gradients.at(key), gradient);
    INFO(describe_diff(name + " gradient of " + key + " with checkpointing", diff, tolerance));
    CHECK(diff <= tolerance);
  }
}

}  // namespace

TEST_CASE("activation checkpointing keeps BERT's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("bert", {"hidden_dropout_prob", "attention_probs_dropout_prob"});
}

TEST_CASE("activation checkpointing keeps DistilBERT's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("distilbert", {"dropout", "attention_dropout", "seq_classif_dropout"});
}

TEST_CASE("activation checkpointing keeps ModernBERT's loss and gradients under dropout") {
  check_checkpointing_keeps_numbers("modernbert_mean_biases",
                                    {"attention_dropout", "mlp_dropout", "embedding_dropout", "classifier_dropout"});
}
