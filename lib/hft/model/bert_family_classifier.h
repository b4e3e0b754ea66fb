// The BERT family's task models (*ForSequenceClassification, *ForTokenClassification,
// *ForMultipleChoice), built from one description: the backbone's name and options, the config
// class's defaults, and the kinds of head.
#pragma once

#include <memory>
#include <string>

#include "hft/model/bert_backbone.h"        // BackboneOptions, BertFamilyConfig
#include "hft/model/config_sizes.h"         // ConfigSizes
#include "hft/model/head.h"                 // Head
#include "hft/model/model_config.h"         // ModelConfig
#include "hft/model/task_model.h"  // TaskModel

namespace hft::model {

enum class BertFamilyHead {
  kPooledLinear,    // BERT: dropout + classifier Linear on the pooler's output
  kFirstTokenTanh,  // RoBERTa: classifier.dense, tanh, classifier.out_proj on the first token
  kFirstTokenGelu,  // ELECTRA: the same with GELU
};

// What *ForMultipleChoice scores each choice with (the backbone then has a pooler, or not).
enum class BertFamilyChoiceHead {
  kPooled,                   // BERT: pooler, dropout (classifier_dropout), classifier Linear(H, 1)
  kPooledHiddenDropout,      // RoBERTa: the same with hidden_dropout_prob
  kSequenceSummary,          // ELECTRA: sequence_summary (summary_* keys), classifier Linear(H, 1)
};

struct BertFamilySpec {
  std::string backbone_name;  // "bert": the parameters' prefix
  BertFamilyConfig defaults;  // the config class's defaults, for keys config.json leaves out
  BackboneOptions backbone;   // as the sequence classifier has it
  BertFamilyHead head = BertFamilyHead::kPooledLinear;
  BertFamilyChoiceHead choice_head = BertFamilyChoiceHead::kPooled;
};

// The model with `head`, every parameter drawn as transformers' _init_weights draws it.
std::shared_ptr<TaskModel> build_bert_family(const ModelConfig& config, const BertFamilySpec& spec, Head head);

std::shared_ptr<TaskModel> build_bert_family_classifier(const ModelConfig& config, const BertFamilySpec& spec);
// bert_family_token_and_choice.cpp
std::shared_ptr<TaskModel> build_bert_family_token_classifier(const ModelConfig& config, const BertFamilySpec& spec);
std::shared_ptr<TaskModel> build_bert_family_multiple_choice(const ModelConfig& config, const BertFamilySpec& spec);

// config.json's fields with the spec's defaults, checked as the backbone needs them.
BertFamilyConfig read_bert_family_spec_config(const ModelConfig& config, const BertFamilySpec& spec);

// The embeddings', layers' and inputs' sizes the config gives the model (Architecture::sizes).
ConfigSizes bert_family_sizes(const ModelConfig& config, const BertFamilySpec& spec);

}  // namespace hft::model
