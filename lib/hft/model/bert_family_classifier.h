// The *ForSequenceClassification models of the BERT family, built from one description: the
// backbone's name and options, the config class's defaults, and the kind of head.
#pragma once

#include <memory>
#include <string>

#include "hft/model/bert_backbone.h"        // BackboneOptions, BertFamilyConfig
#include "hft/model/config_sizes.h"         // ConfigSizes
#include "hft/model/model_config.h"         // ModelConfig
#include "hft/model/task_model.h"  // TaskModel

namespace hft::model {

enum class BertFamilyHead {
  kPooledLinear,    // BERT: dropout + classifier Linear on the pooler's output
  kFirstTokenTanh,  // RoBERTa: classifier.dense, tanh, classifier.out_proj on the first token
  kFirstTokenGelu,  // ELECTRA: the same with GELU
};

struct BertFamilySpec {
  std::string backbone_name;  // "bert": the parameters' prefix
  BertFamilyConfig defaults;  // the config class's defaults, for keys config.json leaves out
  BackboneOptions backbone;
  BertFamilyHead head = BertFamilyHead::kPooledLinear;
};

std::shared_ptr<TaskModel> build_bert_family_classifier(const ModelConfig& config, const BertFamilySpec& spec);

// The embeddings', layers' and inputs' sizes the config gives the model (Architecture::sizes).
ConfigSizes bert_family_sizes(const ModelConfig& config, const BertFamilySpec& spec);

}  // namespace hft::model
