// BertForSequenceClassification: the BERT backbone with its pooler, dropout and a linear
// classifier (parameters bert.*, classifier.*).
#include "hft/model/architecture.h"
#include "hft/model/bert_family_classifier.h"

namespace hft::model {

Architecture bert_architecture() {
  const BertFamilySpec spec{"bert", BertFamilyConfig{}, BackboneOptions{.pooler = true}, BertFamilyHead::kPooledLinear};
  return {"bert", "BertForSequenceClassification", "bert",
          [spec](const ModelConfig& config) { return build_bert_family_classifier(config, spec); },
          [spec](const ModelConfig& config) { return bert_family_sizes(config, spec); }};
}

}  // namespace hft::model
