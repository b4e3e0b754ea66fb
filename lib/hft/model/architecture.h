// The registry of architectures, keyed by config.json's model_type. Adding one is a new file
// that defines `Architecture xxx_architecture()` plus one line in registry.cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hft/model/config_sizes.h"         // ConfigSizes
#include "hft/model/model_config.h"         // ModelConfig
#include "hft/model/task_model.h"  // TaskModel

namespace hft::model {

struct Architecture {
  std::string model_type;   // "bert"
  std::string class_name;   // "BertForSequenceClassification": what save_pretrained records
  std::string base_prefix;  // "bert": the backbone's name, absent from checkpoints of the bare model
  // The backbone with its sequence-classification head (class_name); a task with another head
  // (token classification, multiple choice) adds its own builder and class name beside these.
  std::function<std::shared_ptr<TaskModel>(const ModelConfig&)> build;
  // The sizes the config gives the network (checked against the weights before `build`) and the
  // limits of its inputs; throws ModelError for a config value the network cannot be built with.
  std::function<ConfigSizes(const ModelConfig&)> sizes;
};

Architecture bert_architecture();
Architecture roberta_architecture();
Architecture electra_architecture();
Architecture distilbert_architecture();
Architecture modernbert_architecture();

// The architecture for `model_type`; throws ModelError listing the supported ones.
const Architecture& find_architecture(const ModelConfig& config);
std::vector<std::string> supported_model_types();

}  // namespace hft::model
