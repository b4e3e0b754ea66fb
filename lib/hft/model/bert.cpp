// BertForSequenceClassification: the BERT backbone with its pooler, dropout and a linear
// classifier (parameters bert.*, classifier.*); its token-classification and multiple-choice
// models are built from the same spec (bert_family_token_and_choice.cpp).
#include "hft/model/architecture.h"
#include "hft/model/bert_family_classifier.h"

namespace hft::model {

Architecture bert_architecture() {
  const BertFamilySpec spec{"bert", BertFamilyConfig{}, BackboneOptions{.pooler = true}, BertFamilyHead::kPooledLinear};
  return {"bert", "Bert", "bert",
          [spec](const ModelConfig& config, Head head) { return build_bert_family(config, spec, head); },
          [spec](const ModelConfig& config) { return bert_family_sizes(config, spec); }};
}

}  // namespace hft::model
