// LlamaForCausalLM against transformers on tiny random models (tests/oracle/decoder_fixtures.py,
// run here into a scratch folder): grouped-query attention, tied embeddings with biases, and
// Llama 3.1's llama3 rope scaling. Eval logits within 1e-5, the next-token loss within 1e-5 and
// every parameter's gradient within 1e-4, on a right-padded batch; the unpadded row alone (no
// mask: the causal kernel) gives its logits too; what hft saves, transformers loads with the same
// logits; an encoder refuses the causal head.
#include "hft/model/pretrained.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <iostream>

#include "../oracle_json.h"  // run_oracle_json
#include "../test_files.h"   // ScratchDir
#include "hft/model/model_error.h"
#include "hft/model/safetensors.h"
#include "diff_checks.h"
#include "saved_model_checks.h"
#include "tensor_checks.h"

using namespace hft::model;
using namespace hft::testing;

namespace {

hft::data::Batch batch_of(const SafetensorsFile& expected, bool labels) {
  hft::data::Batch batch;
  batch.input_ids = expected.tensor("input_ids").clone();
  batch.attention_mask = expected.tensor("attention_mask").clone();
  if (labels) batch.labels = expected.tensor("labels").clone();
  batch.num_tokens = batch.attention_mask.sum().item<int64_t>();
  return batch;
}

struct Fixtures {
  ScratchDir dir;
  std::vector<std::string> cases;
  Fixtures() {
    const nlohmann::json made = run_oracle_json("decoder_fixtures.py", dir.path());  // named: a temporary would dangle
    for (const auto& name : made["cases"]) cases.push_back(name);
  }
};

const Fixtures& fixtures() {
  static const Fixtures f;
  return f;
}

}  // namespace

TEST_CASE("LlamaForCausalLM: logits, next-token loss and gradients as transformers computes them") {
  for (const std::string& name : fixtures().cases) {
    INFO(name);
    std::cout << name << "\n";
    const std::string folder = fixtures().dir.path() + "/" + name;
    const SafetensorsFile expected(folder + "/expected.safetensors");
    LoadOptions options;
    options.head = Head::kCausalLM;
    PretrainedModel model = from_pretrained(folder, options);
    CHECK(model.report.newly_initialized.empty());  // tied: no lm_head of its own to miss
    CHECK(model.report.unused.empty());
    {
      torch::NoGradGuard no_grad;
      model.module->eval();
      const torch::Tensor logits = model.module->forward(batch_of(expected, false)).logits;
      check_diff(name + " eval logits", max_abs_diff(logits, expected.tensor("logits_eval")), 1e-5);
      hft::data::Batch first = batch_of(expected, false);  // row 0 has no padding: no mask at all
      first.input_ids = first.input_ids.narrow(0, 0, 1);
      first.attention_mask = first.attention_mask.narrow(0, 0, 1);
      first.num_tokens = first.attention_mask.sum().item<int64_t>();
      REQUIRE_FALSE(hft::data::padding_mask(first).defined());
      check_diff(name + " unpadded row's logits",
                 max_abs_diff(model.module->forward(first).logits, expected.tensor("logits_eval").narrow(0, 0, 1)), 1e-5);
    }
    model.module->train();
    model.module->zero_grad();
    const ModelOutput out = model.module->forward(batch_of(expected, true));
    check_diff(name + " loss", max_abs_diff(out.loss.reshape({1}), expected.tensor("loss")), 1e-5);
    out.loss.backward();
    double worst = 0;
    int64_t compared = 0;
    for (const auto& item : model.module->named_parameters()) {
      REQUIRE(expected.contains("grad/" + item.key()));
      worst = std::max(worst, max_abs_diff(item.value().grad(), expected.tensor("grad/" + item.key())));
      ++compared;
    }
    check_diff(name + " gradients of " + std::to_string(compared) + " parameters", worst, 1e-4);
  }
}

TEST_CASE("a decoder hft saves loads in transformers as its *ForCausalLM, with hft's logits") {
  for (const std::string& name : fixtures().cases) {
    INFO(name);
    LoadOptions options;
    options.head = Head::kCausalLM;
    // Tied embeddings are saved once, as transformers saves them; its config ties them again.
    check_saved_model_loads_in_transformers(fixtures().dir.path() + "/" + name, options, "LABEL_0,LABEL_1", "causal");
  }
}

TEST_CASE("an encoder has no causal language-model head, and a decoder no classification head") {
  const std::string folder = fixtures().dir.path() + "/llama_gqa";
  LoadOptions options;
  options.head = Head::kSequenceClassification;
  CHECK_THROWS_WITH(from_pretrained(folder, options), Catch::Contains("llama has no LlamaForSequenceClassification"));
}
