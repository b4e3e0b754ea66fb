// LoRA against PEFT (tests/oracle/lora_reference.py, run here into a scratch folder) on tiny
// random models: a BERT classifier with a new head (PEFT's default targets query/value, the head
// trained in full), a Llama with all-linear and rsLoRA, GPT-2's Conv1D projections. From seed 42
// the adapters hft adds are PEFT's own numbers; with PEFT's (perturbed) adapters loaded, eval
// logits within 1e-5, the loss within 1e-5 and every trained parameter's gradient within 1e-4
// (under bf16 autocast: the loss within 1e-3 relative, gradients within 3% of the largest); activation
// recomputation gives the same gradients; merging equals merge_and_unload; the
// adapter folder hft writes loads in PEFT with hft's logits.
#include "hft/model/lora_model.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <iostream>
#include <map>
#include <set>

#include "../oracle_json.h"  // run_oracle_json
#include "../test_files.h"   // ScratchDir
#include "cpu_autocast.h"  // CpuAutocast
#include "diff_checks.h"
#include "hft/model/adapter_files.h"
#include "hft/model/model_error.h"
#include "hft/model/pretrained.h"
#include "hft/model/safetensors.h"
#include "tensor_checks.h"

using namespace hft::model;
using namespace hft::testing;

namespace {

struct LoraCase {
  std::string name, folder, model_type;
  Head head = Head::kCausalLM;
  LoraOptions options;
};

LoraOptions options_of(const nlohmann::json& c) {
  LoraOptions o;
  o.shape = {c["r"].get<int64_t>(), c["alpha"].get<double>(), 0.0, c["rslora"].get<bool>()};
  if (c["target_modules"].is_string()) o.target_modules = {c["target_modules"].get<std::string>()};
  else if (c["target_modules"].is_array()) o.target_modules = c["target_modules"].get<std::vector<std::string>>();
  return o;
}

struct Fixtures {
  ScratchDir dir;
  std::vector<LoraCase> cases;
  Fixtures() {
    const nlohmann::json made = run_oracle_json("lora_reference.py", "make " + dir.path());
    for (const auto& c : made["cases"]) {
      LoraCase lc;
      lc.name = c["name"];
      lc.folder = dir.path() + "/" + lc.name;
      lc.model_type = c["model_type"];
      lc.head = c["head"] == "seq" ? Head::kSequenceClassification : Head::kCausalLM;
      lc.options = options_of(c);
      cases.push_back(lc);
    }
  }
};

const Fixtures& fixtures() {
  static const Fixtures f;
  return f;
}

// The base model with its head (a new classifier drawn from the seed, as from_pretrained draws
// it) and the adapters, as a seeded run builds them.
PretrainedModel with_adapters(const LoraCase& c) {
  torch::manual_seed(42);
  LoadOptions load;
  load.head = c.head;
  if (c.head == Head::kSequenceClassification) load.labels = std::vector<std::string>{"LABEL_0", "LABEL_1", "LABEL_2"};
  PretrainedModel model = from_pretrained(c.folder + "/base", load);
  model.lora = add_lora(*model.module, c.options, c.model_type, c.head);
  return model;
}

// The same with PEFT's perturbed adapters (and head) loaded into it.
PretrainedModel with_peft_adapters(const LoraCase& c) {
  PretrainedModel model = with_adapters(c);
  load_adapter_weights(*model.module, c.folder + "/perturbed");
  return model;
}

hft::data::Batch batch_of(const SafetensorsFile& expected, bool labels) {
  hft::data::Batch batch;
  batch.input_ids = expected.tensor("input_ids").clone();
  batch.attention_mask = expected.tensor("attention_mask").clone();
  batch.token_type_ids = expected.tensor("token_type_ids").clone();
  if (labels) batch.labels = expected.tensor("labels").clone();
  batch.num_tokens = batch.attention_mask.sum().item<int64_t>();
  return batch;
}

// Every trained parameter's gradient after one backward pass of the expected batch.
std::map<std::string, torch::Tensor> gradients(PretrainedModel& model, const SafetensorsFile& expected) {
  model.module->train();
  model.module->zero_grad();
  model.module->forward(batch_of(expected, true)).loss.backward();
  std::map<std::string, torch::Tensor> out;
  for (const auto& [name, p] : trained_parameters(*model.module)) out[name] = p.grad().clone();
  return out;
}

}  // namespace

TEST_CASE("LoRA adapters from seed 42 are PEFT's numbers, on PEFT's modules") {
  for (const LoraCase& c : fixtures().cases) {
    INFO(c.name);
    std::cout << c.name << "\n";
    PretrainedModel model = with_adapters(c);
    const SafetensorsFile init(c.folder + "/init/" + kAdapterWeightsFile);
    std::set<std::string> theirs;
    for (const auto& stored : init.names()) theirs.insert(stored.substr(std::string("base_model.model.").size()));
    std::set<std::string> ours;
    double worst = 0;
    for (const auto& [name, p] : trained_parameters(*model.module)) {
      ours.insert(name);
      if (init.contains("base_model.model." + name))
        worst = std::max(worst, max_abs_diff(p, init.tensor("base_model.model." + name)));
    }
    CHECK(ours == theirs);
    check_diff(c.name + ": " + std::to_string(ours.size()) + " initial trained tensors", worst, 0.0);
  }
}

TEST_CASE("LoRA: logits, loss and gradients with PEFT's adapters, also under activation recomputation") {
  for (const LoraCase& c : fixtures().cases) {
    INFO(c.name);
    std::cout << c.name << "\n";
    PretrainedModel model = with_peft_adapters(c);
    const SafetensorsFile expected(c.folder + "/expected.safetensors");
    {
      torch::NoGradGuard no_grad;
      model.module->eval();
      check_diff(c.name + " eval logits",
                 max_abs_diff(model.module->forward(batch_of(expected, false)).logits, expected.tensor("logits_eval")), 1e-5);
    }
    model.module->train();
    const torch::Tensor loss = model.module->forward(batch_of(expected, true)).loss;
    check_diff(c.name + " loss", max_abs_diff(loss.detach().reshape({1}), expected.tensor("loss")), 1e-5);
    const auto plain = gradients(model, expected);
    double worst = 0;
    for (const auto& [name, grad] : plain) {
      REQUIRE(expected.contains("grad/" + name));
      worst = std::max(worst, max_abs_diff(grad, expected.tensor("grad/" + name)));
    }
    check_diff(c.name + " gradients of " + std::to_string(plain.size()) + " trained tensors", worst, 1e-4);
    model.module->set_activation_recomputation(true);
    const auto recomputed = gradients(model, expected);
    double change = 0;
    for (const auto& [name, grad] : plain) change = std::max(change, max_abs_diff(recomputed.at(name), grad));
    check_diff(c.name + " gradients with activation recomputation against without", change, 1e-7);
  }
}

TEST_CASE("LoRA under bf16 autocast: the loss and gradients of PEFT's under torch.autocast") {
  for (const LoraCase& c : fixtures().cases) {
    INFO(c.name);
    std::cout << c.name << "\n";
    PretrainedModel model = with_peft_adapters(c);
    const SafetensorsFile expected(c.folder + "/expected.safetensors");
    model.module->train();
    model.module->zero_grad();
    torch::Tensor loss;
    {
      CpuAutocast bf16(torch::kBFloat16);
      loss = model.module->forward(batch_of(expected, true)).loss;
    }
    loss.backward();
    // Relative: bf16 keeps 8 bits of mantissa, so one rounding apart is 0.4%, and a few compound.
    const torch::Tensor their_loss = expected.tensor("bf16/loss");
    check_diff(c.name + " bf16 loss, relative",
               max_abs_diff(loss.detach().to(torch::kFloat32).reshape({1}), their_loss) / their_loss.abs().item<double>(), 1e-3);
    double worst = 0;
    for (const auto& [name, p] : trained_parameters(*model.module)) {
      const torch::Tensor theirs = expected.tensor("bf16/grad/" + name);
      worst = std::max(worst, max_abs_diff(p.grad(), theirs) / std::max(1e-12, theirs.abs().max().item<double>()));
    }
    check_diff(c.name + " bf16 gradients, relative to the largest", worst, 3e-2);
  }
}

TEST_CASE("merged LoRA weights equal PEFT's merge_and_unload, and load in transformers") {
  for (const LoraCase& c : fixtures().cases) {
    INFO(c.name);
    std::cout << c.name << "\n";
    PretrainedModel model = with_peft_adapters(c);
    merge_lora(*model.module);
    model.lora.reset();
    ScratchDir out;
    save_pretrained(model, out.path());
    const std::string head = c.head == Head::kCausalLM ? "causal" : "seq";
    const nlohmann::json report =
        run_oracle_json("lora_reference.py", "merged " + out.path() + " " + c.folder + "/merged " + head);
    check_diff(c.name + " merged weights", report["max_abs_diff"].get<double>(), 1e-6);
    CHECK(report["loads_cleanly"].get<bool>());
  }
}

TEST_CASE("the adapter folder hft writes loads in PEFT with hft's logits") {
  for (const LoraCase& c : fixtures().cases) {
    INFO(c.name);
    std::cout << c.name << "\n";
    PretrainedModel model = with_peft_adapters(c);
    ScratchDir out;
    save_adapter(model, out.path(), "", c.folder + "/base");
    const SafetensorsFile expected(c.folder + "/expected.safetensors");
    torch::Tensor logits;
    {
      torch::NoGradGuard no_grad;
      model.module->eval();
      logits = model.module->forward(batch_of(expected, false)).logits;
    }
    write_safetensors(out.path() + "/hft_logits.safetensors", {{"logits", logits}});
    const std::string head = c.head == Head::kCausalLM ? "causal" : "seq";
    const nlohmann::json report =
        run_oracle_json("lora_reference.py", "check " + out.path() + " " + c.folder + "/base " + head + " " + c.folder +
                                                 "/expected.safetensors " + out.path() + "/hft_logits.safetensors");
    check_diff(c.name + " PEFT's logits with hft's adapter folder", report["max_abs_diff"].get<double>(), 1e-5);
    CHECK(report["missing_or_unexpected"].empty());
    // And hft reads its own folder back: the config says what was trained.
    const AdapterConfig config = read_adapter_config(out.path());
    CHECK(config.options.shape.r == c.options.shape.r);
    CHECK(config.options.modules_to_save == model.lora->options.modules_to_save);
  }
}

TEST_CASE("LoRA target modules that match nothing, or are no projection, are refused by name") {
  const LoraCase& c = fixtures().cases.front();
  torch::manual_seed(42);
  LoadOptions load;
  load.head = c.head;
  if (c.head == Head::kSequenceClassification) load.labels = std::vector<std::string>{"LABEL_0", "LABEL_1", "LABEL_2"};
  LoraOptions options = c.options;
  options.target_modules = {"nonexistent"};
  PretrainedModel model = from_pretrained(c.folder + "/base", load);
  CHECK_THROWS_WITH(add_lora(*model.module, options, c.model_type, c.head),
                    Catch::Contains("lora_target_modules: nonexistent matches no module"));
  options.target_modules = {"LayerNorm"};
  PretrainedModel other = from_pretrained(c.folder + "/base", load);
  CHECK_THROWS_WITH(add_lora(*other.module, options, c.model_type, c.head), Catch::Contains("is not a linear projection"));
}
