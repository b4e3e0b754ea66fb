// The token-classification and multiple-choice models of every architecture against
// transformers' *ForTokenClassification and *ForMultipleChoice on the oracle's small random
// models (tests/oracle/model_fixtures.py): logits, last hidden states, loss and gradients; new
// heads drawn from the seed; a checkpoint of one head loaded as another; saved models that
// transformers loads as the right class.
#include "hft/model/pretrained.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <iostream>

#include "hft/model/labelled_cross_entropy.h"
#include "hft/model/safetensors.h"
#include "new_head_checks.h"
#include "oracle_batches.h"
#include "oracle_fixtures.h"
#include "saved_model_checks.h"
#include "diff_checks.h"
#include "tensor_checks.h"

using namespace hft::model;
using namespace hft::testing;

namespace {

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

PretrainedModel load(const std::string& dir, Head head) {
  LoadOptions options;
  options.head = head;
  return from_pretrained(dir, options);
}

void check_eval(TaskModel& model, const hft::data::Batch& inputs, const SafetensorsFile& expected,
                const std::string& name) {
  torch::NoGradGuard no_grad;
  model.eval();
  hft::data::Batch without_labels = inputs;
  without_labels.labels = torch::Tensor();
  const ModelOutput out = model.forward(without_labels);
  check_diff(name + " eval logits", max_abs_diff(out.logits, expected.tensor("logits_eval")), 1e-5);
  check_diff(name + " eval last hidden state", max_abs_diff(out.last_hidden_state, expected.tensor("hidden_eval")), 1e-5);
}

// The token batch's unpadded row alone: transformers' logits for the row.
void check_unpadded_row(TaskModel& model, const hft::data::Batch& inputs, const SafetensorsFile& expected,
                        const std::string& name) {
  torch::NoGradGuard no_grad;
  model.eval();
  const hft::data::Batch row = unpadded_first_row(inputs);
  REQUIRE_FALSE(hft::data::padding_mask(row).defined());
  const torch::Tensor logits = model.forward(row).logits;
  check_diff(name + " eval logits of the unpadded row", max_abs_diff(logits, expected.tensor("logits_eval").narrow(0, 0, 1)),
             1e-5);
}

// The batch as half of an optimizer step's labels (num_items_in_batch = 2 x its own): the loss
// summed over that count, as transformers' ForTokenClassification gives it, and with label
// smoothing 0.1 as the Trainer's LabelSmoother.
void check_step_losses(const torch::Tensor& logits, const hft::data::Batch& inputs, const SafetensorsFile& expected,
                       const std::string& name) {
  torch::NoGradGuard no_grad;
  const int64_t num_items = expected.tensor("num_items").item<int64_t>();
  CHECK(num_items == 2 * inputs.label_count);
  check_diff(name + " loss over the step's labels",
             max_abs_diff(labelled_cross_entropy(logits, inputs.labels, num_items).reshape({1}), expected.tensor("loss_step")),
             1e-5);
  check_diff(name + " label-smoothed loss over the step's labels",
             max_abs_diff(labelled_cross_entropy(logits, inputs.labels, num_items, 0.1).reshape({1}),
                          expected.tensor("loss_smoothed")),
             1e-5);
}

// Every parameter's gradient against the oracle's `prefix`<name>, within 1e-4 relative to the
// gradient's scale (the floor covers gradients that are zero in exact arithmetic); every
// gradient the oracle has is compared.
void check_gradients(TaskModel& model, const SafetensorsFile& expected, const std::string& prefix,
                     const std::string& name) {
  double worst = 0;
  int compared = 0;
  for (const auto& item : model.named_parameters()) {
    const torch::Tensor grad = expected.tensor(prefix + item.key());
    const double tolerance = 1e-4 * max_abs(grad) + 1e-7;
    const double diff = max_abs_diff(item.value().grad(), grad);
    worst = std::max(worst, diff / tolerance);
    INFO(describe_diff(name + " gradient of " + item.key(), diff, tolerance));
    CHECK(diff <= tolerance);
    ++compared;
  }
  std::cout << "  " << name << ": " << compared << " gradients, worst diff / tolerance " << worst << "\n";
  const auto names = expected.names();
  CHECK(compared == std::count_if(names.begin(), names.end(), [&](const std::string& key) { return key.starts_with(prefix); }));
}

// Train mode (the oracle's dropout probabilities are 0): logits, loss, every parameter's gradient.
// On the CPU the backbone skips padding in training and leaves zeros there, so a token
// classifier's logits at padding differ from transformers'; no loss or metric reads them.
void check_train(TaskModel& model, const hft::data::Batch& inputs, const SafetensorsFile& expected,
                 const std::string& name, Head head) {
  model.train();
  model.zero_grad();
  const ModelOutput out = model.forward(inputs);
  torch::Tensor logits = out.logits, reference = expected.tensor("logits_train");
  if (head == Head::kTokenClassification) {
    const torch::Tensor real = inputs.attention_mask.to(torch::kBool);  // [B, L]
    logits = logits.index({real}), reference = reference.index({real});  // [T, C]
  }
  check_diff(name + " train logits", max_abs_diff(logits, reference), 1e-5);
  check_diff(name + " loss", max_abs_diff(out.loss.reshape({1}), expected.tensor("loss")), 1e-5);
  check_step_losses(out.logits, inputs, expected, name);
  out.loss.backward();
  check_gradients(model, expected, "grad/", name);
}

// With dropout on (the oracle's dropout/config.json: 0.1 in the backbone, 0.3 in the head, so a
// head reading its probability from the wrong key shows), the same seed gives transformers' loss
// and gradients: the heads' dropouts sit where transformers has them and draw the same masks.
void check_with_dropout(const std::string& dir, Head head, const hft::data::Batch& inputs,
                        const SafetensorsFile& expected, const std::string& name) {
  LoadOptions options;
  options.head = head;
  options.config_dir = dir + "/dropout";
  PretrainedModel model = from_pretrained(dir, options);
  model.module->train();
  torch::manual_seed(0);
  const torch::Tensor loss = model.module->forward(inputs).loss;
  check_diff(name + " loss with dropout", max_abs_diff(loss.reshape({1}), expected.tensor("loss_dropout")), 1e-5);
  loss.backward();
  check_gradients(*model.module, expected, "grad_dropout/", name + " with dropout");
}

void check_head(const std::string& name, Head head) {
  const std::string dir = model_oracle_dir() + "/" + name;
  PretrainedModel model = load(dir, head);
  CHECK(model.report.newly_initialized.empty());
  CHECK(model.report.unused.empty());
  CHECK(model.architecture->class_name(head) == model.config.document["architectures"][0].get<std::string>());
  const SafetensorsFile expected(dir + "/expected.safetensors");
  const hft::data::Batch inputs = oracle_batch(expected);
  std::cout << name << "\n";
  check_eval(*model.module, inputs, expected, name);
  if (head == Head::kTokenClassification) check_unpadded_row(*model.module, inputs, expected, name);
  check_train(*model.module, inputs, expected, name, head);
  check_with_dropout(dir, head, inputs, expected, name);
}

}  // namespace

TEST_CASE("BERT token classification equals BertForTokenClassification") {
  check_head("bert_token", Head::kTokenClassification);
}
TEST_CASE("RoBERTa token classification equals RobertaForTokenClassification") {
  check_head("roberta_token", Head::kTokenClassification);
}
TEST_CASE("ELECTRA token classification equals ElectraForTokenClassification") {
  check_head("electra_token", Head::kTokenClassification);
}
TEST_CASE("DistilBERT token classification equals DistilBertForTokenClassification") {
  check_head("distilbert_token", Head::kTokenClassification);
}
TEST_CASE("ModernBERT token classification equals ModernBertForTokenClassification") {
  check_head("modernbert_token", Head::kTokenClassification);
}
TEST_CASE("BERT multiple choice equals BertForMultipleChoice") { check_head("bert_choice", Head::kMultipleChoice); }
TEST_CASE("RoBERTa multiple choice equals RobertaForMultipleChoice") {
  check_head("roberta_choice", Head::kMultipleChoice);
}
TEST_CASE("ELECTRA multiple choice (sequence summary) equals ElectraForMultipleChoice") {
  check_head("electra_choice", Head::kMultipleChoice);
}
TEST_CASE("DistilBERT multiple choice equals DistilBertForMultipleChoice") {
  check_head("distilbert_choice", Head::kMultipleChoice);
}
TEST_CASE("ModernBERT multiple choice (cls pooling) equals ModernBertForMultipleChoice") {
  check_head("modernbert_choice", Head::kMultipleChoice);
}
TEST_CASE("ModernBERT multiple choice with mean pooling equals ModernBertForMultipleChoice") {
  check_head("modernbert_mean_choice", Head::kMultipleChoice);
}

namespace {

// The oracle's model `folder` (a pretrained backbone, *_headless, or a model with another head)
// given a new token-classification or multiple-choice head: transformers' numbers from the seed
// for what the checkpoint lacks (new_head_checks.h).
void check_new_head(const std::string& folder, Head head, const std::string& file, bool ignore_mismatched_sizes = false) {
  LoadOptions options;
  if (head != Head::kMultipleChoice) options.labels = std::vector<std::string>{"a", "b", "c"};
  options.head = head;
  options.ignore_mismatched_sizes = ignore_mismatched_sizes;
  hft::testing::check_new_head(model_oracle_dir() + "/" + folder, file, options);
}

}  // namespace

TEST_CASE("new token-classification heads get transformers' numbers from the seed") {
  for (const char* name : {"bert", "roberta", "electra", "distilbert", "modernbert_mean_biases"})
    check_new_head(std::string(name) + "_headless", Head::kTokenClassification, "new_head_token.safetensors");
}
TEST_CASE("new multiple-choice heads get transformers' numbers from the seed") {
  for (const char* name : {"bert", "roberta", "electra", "distilbert", "modernbert_mean_biases"})
    check_new_head(std::string(name) + "_headless", Head::kMultipleChoice, "new_head_choice.safetensors");
}

TEST_CASE("a sequence classifier loaded for token classification keeps what fits, as transformers does") {
  LoadOptions options;
  options.labels = std::vector<std::string>{"a", "b", "c"};
  options.head = Head::kTokenClassification;
  // BERT: the classifier has the same names and shape and is kept; the pooler has no place.
  const PretrainedModel bert = from_pretrained(model_oracle_dir() + "/bert", options);
  CHECK(bert.report.newly_initialized.empty());
  CHECK(sorted(bert.report.unused) == std::vector<std::string>{"bert.pooler.dense.bias", "bert.pooler.dense.weight"});
  // RoBERTa: its dense/out_proj head has no place, and the linear classifier is new.
  const PretrainedModel roberta = from_pretrained(model_oracle_dir() + "/roberta", options);
  CHECK(sorted(roberta.report.newly_initialized) == std::vector<std::string>{"classifier.bias", "classifier.weight"});
  CHECK(sorted(roberta.report.unused) == std::vector<std::string>{"classifier.dense.bias", "classifier.dense.weight",
                                                           "classifier.out_proj.bias", "classifier.out_proj.weight"});
  // The new classifiers get transformers' numbers from the seed.
  check_new_head("roberta", Head::kTokenClassification, "new_head_token.safetensors");
  check_new_head("electra", Head::kTokenClassification, "new_head_token.safetensors");
}

TEST_CASE("a classifier of another shape is refused, or with ignore_mismatched_sizes drawn anew, as in transformers") {
  LoadOptions options;
  options.head = Head::kMultipleChoice;  // classifier [1, H]; the sequence classifier's is [3, H]
  CHECK_THROWS_WITH(from_pretrained(model_oracle_dir() + "/bert", options),
                    Catch::Contains("`classifier.bias` has shape [3], but the config makes it [1]"));
  options.ignore_mismatched_sizes = true;
  const PretrainedModel model = from_pretrained(model_oracle_dir() + "/bert", options);
  CHECK(sorted(model.report.newly_initialized) == std::vector<std::string>{"classifier.bias", "classifier.weight"});
  CHECK(sorted(model.report.mismatched) ==
        std::vector<std::string>{"classifier.bias: [3] in the checkpoint, [1] in the model",
                                 "classifier.weight: [3, 32] in the checkpoint, [1, 32] in the model"});
  CHECK(model.report.unused.empty());
  // DistilBERT keeps its pre_classifier and draws the classifier.
  check_new_head("bert", Head::kMultipleChoice, "new_head_choice.safetensors", true);
  check_new_head("distilbert", Head::kMultipleChoice, "new_head_choice.safetensors", true);
}

namespace {

// hft loads the oracle's model `name` with `head` and saves it; transformers' AutoModelFor<head>
// loads it as the class config.json names, cleanly, to hft's logits (saved_model_checks.h).
void check_saved_head_loads_in_transformers(const std::string& name, Head head, const std::string& auto_head,
                                            const std::string& labels) {
  LoadOptions options;
  options.head = head;
  hft::testing::check_saved_model_loads_in_transformers(model_oracle_dir() + "/" + name, options, labels, auto_head);
}

}  // namespace

TEST_CASE("token classifiers saved by hft load in transformers as *ForTokenClassification") {
  for (const char* name : {"bert_token", "distilbert_token", "modernbert_token"})
    check_saved_head_loads_in_transformers(name, Head::kTokenClassification, "token", "LABEL_0,LABEL_1,LABEL_2,LABEL_3,LABEL_4");
}
TEST_CASE("multiple-choice models saved by hft load in transformers as *ForMultipleChoice") {
  for (const char* name : {"roberta_choice", "electra_choice", "modernbert_choice"})
    check_saved_head_loads_in_transformers(name, Head::kMultipleChoice, "choice", "LABEL_0,LABEL_1");
}
