// The registry of architectures, keyed by config.json's model_type. Adding one is a new file
// that defines `Architecture xxx_architecture()` plus one line in registry.cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hft/model/config_sizes.h"         // ConfigSizes
#include "hft/model/head.h"                 // Head, head_class_suffix
#include "hft/model/model_config.h"         // ModelConfig
#include "hft/model/task_model.h"  // TaskModel

namespace hft::model {

struct Architecture {
  std::string model_type;   // "bert"
  std::string class_prefix;  // "Bert": transformers' classes are the prefix and the head ("BertForTokenClassification")
  std::string base_prefix;   // "bert": the backbone's name, absent from checkpoints of the bare model
  // The backbone with the head a task asks for, every parameter drawn as transformers draws it.
  std::function<std::shared_ptr<TaskModel>(const ModelConfig&, Head)> build;
  // The sizes the config gives the network (checked against the weights before `build`) and the
  // limits of its inputs; throws ModelError for a config value the network cannot be built with.
  std::function<ConfigSizes(const ModelConfig&)> sizes;
  // The heads it has: the encoders' three, or a decoder's causal language-model head.
  std::vector<Head> heads = {Head::kSequenceClassification, Head::kTokenClassification, Head::kMultipleChoice};

  // The causal-LM class when it is not <prefix>ForCausalLM (GPT-2's is GPT2LMHeadModel).
  std::string causal_lm_class;

  // The transformers class of the backbone with `head`: what save_pretrained records.
  std::string class_name(Head head) const {
    if (head == Head::kCausalLM && !causal_lm_class.empty()) return causal_lm_class;
    return class_prefix + head_class_suffix(head);
  }
};

Architecture bert_architecture();
Architecture roberta_architecture();
Architecture electra_architecture();
Architecture distilbert_architecture();
Architecture modernbert_architecture();
Architecture llama_architecture();
Architecture mistral_architecture();
Architecture qwen2_architecture();
Architecture qwen3_architecture();
Architecture gpt2_architecture();

// The architecture for `model_type`; throws ModelError listing the supported ones.
const Architecture& find_architecture(const ModelConfig& config);
std::vector<std::string> supported_model_types();

}  // namespace hft::model
