#include "hft/model/lora_model.h"

#include <algorithm>
#include <map>
#include <set>

#include "hft/model/model_error.h"

namespace hft::model {
namespace {

// PEFT's TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING for hft's model types (it has none
// for distilbert and modernbert).
const std::map<std::string, std::vector<std::string>>& default_targets() {
  static const std::map<std::string, std::vector<std::string>> targets = {
      {"bert", {"query", "value"}},    {"roberta", {"query", "value"}}, {"electra", {"query", "value"}},
      {"llama", {"q_proj", "v_proj"}}, {"mistral", {"q_proj", "v_proj"}}, {"qwen2", {"q_proj", "v_proj"}},
      {"qwen3", {"q_proj", "v_proj"}}, {"gpt2", {"c_attn"}}};
  return targets;
}

std::string task_type_of(Head head) {
  switch (head) {
    case Head::kSequenceClassification: return "SEQ_CLS";
    case Head::kTokenClassification: return "TOKEN_CLS";
    case Head::kCausalLM: return "CAUSAL_LM";
    case Head::kMultipleChoice: break;
  }
  return "";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool is_all_linear(const std::vector<std::string>& targets) {
  if (targets.size() != 1) return false;
  std::string t = targets.front();
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t == "all-linear";
}

// check_target_module_exists: the name itself, or a name ending in "." + target.
bool matches_target(const std::string& name, const std::vector<std::string>& targets) {
  return std::any_of(targets.begin(), targets.end(),
                     [&](const std::string& t) { return name == t || name.ends_with("." + t); });
}

// Inside a module to save (PEFT never puts adapters there): a dotted part sequence equal to one.
bool inside_saved(const std::string& name, const std::vector<std::string>& saved) {
  return std::any_of(saved.begin(), saved.end(), [&](const std::string& m) {
    return name == m || name.starts_with(m + ".") || name.find("." + m + ".") != std::string::npos ||
           name.ends_with("." + m);
  });
}

LoraTarget* as_target(torch::nn::Module& module) { return dynamic_cast<LoraTarget*>(&module); }

}  // namespace

LoraPlacement add_lora(TaskModel& model, const LoraOptions& options, const std::string& model_type, Head head) {
  LoraPlacement placement;
  placement.options = options;
  placement.task_type = task_type_of(head);
  // PeftModelForSequenceClassification / ...ForTokenClassification add the head's names; hft does
  // so for multiple choice too, whose head is as new.
  if (head != Head::kCausalLM)
    for (const char* name : {"classifier", "score"})
      if (std::find(options.modules_to_save.begin(), options.modules_to_save.end(), name) == options.modules_to_save.end())
        placement.options.modules_to_save.push_back(name);
  const auto& saved = placement.options.modules_to_save;

  std::vector<std::string> targets = options.target_modules;
  if (targets.empty()) {
    auto it = default_targets().find(model_type);
    if (it == default_targets().end())
      throw ModelError("lora_target_modules: PEFT has no default for model_type " + model_type +
                       "; expected module names, say [q_lin, v_lin], or all-linear");
    targets = it->second;
  }
  const bool all_linear = is_all_linear(targets);
  const auto modules = model.named_modules("", /*include_self=*/false);
  // The order PEFT adds them in: named_modules() order, which draws the same numbers.
  for (const auto& item : modules) {
    const std::string& name = item.key();
    if (inside_saved(name, saved)) continue;
    LoraTarget* target = as_target(*item.value());
    const bool wanted = all_linear ? target && name != "lm_head" && !name.ends_with(".lm_head") : matches_target(name, targets);
    if (!wanted) continue;
    if (!target)
      throw ModelError("lora_target_modules: `" + name + "` is not a linear projection; expected Linear or Conv1D "
                       "modules (say query, value, q_proj, c_attn) or all-linear");
    if (name == "lm_head")
      throw ModelError("lora_target_modules: lm_head is not supported as a LoRA target; expected the layers' projections");
    target->add_lora(*item.value(), options.shape);
    placement.adapted.push_back(name);
  }
  if (placement.adapted.empty())
    throw ModelError("lora_target_modules: " + joined(targets) + " matches no module of this " + model_type +
                     " model; expected names such as " + joined(default_targets().count(model_type) ? default_targets().at(model_type)
                                                                                            : std::vector<std::string>{"q_lin", "v_lin"}) +
                     ", or all-linear");
  placement.target_modules = all_linear ? placement.adapted : targets;

  // _set_trainable: every module whose name ends with a modules_to_save entry trains in full.
  std::set<std::string> trained;
  for (const auto& item : modules)
    if (std::any_of(saved.begin(), saved.end(), [&](const std::string& m) { return item.key().ends_with(m); }))
      for (const auto& p : item.value()->named_parameters()) trained.insert(item.key() + "." + p.key());
  for (auto& item : model.named_parameters()) {
    const std::string& name = item.key();
    const bool adapter = name.find(".lora_A.") != std::string::npos || name.find(".lora_B.") != std::string::npos;
    item.value().set_requires_grad(adapter || trained.count(name) > 0);
  }
  return placement;
}

std::vector<std::pair<std::string, torch::Tensor>> trained_parameters(TaskModel& model) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : model.named_parameters())
    if (item.value().requires_grad()) out.emplace_back(item.key(), item.value());
  return out;
}

void merge_lora(TaskModel& model) {
  for (const auto& item : model.named_modules("", /*include_self=*/false))
    if (LoraTarget* target = as_target(*item.value())) target->merge_lora(*item.value());
}

}  // namespace hft::model
