// RobertaForSequenceClassification: the BERT encoder with fairseq-style positions (counting from
// pad_token_id + 1), no pooler, and a dense-tanh head on the <s> token
// (parameters roberta.*, classifier.dense.*, classifier.out_proj.*). Its multiple-choice model
// keeps the pooler and scores choices with dropout at hidden_dropout_prob.
#include "hft/model/architecture.h"
#include "hft/model/bert_family_classifier.h"

namespace hft::model {

Architecture roberta_architecture() {
  BertFamilyConfig defaults;  // RobertaConfig's
  defaults.vocab_size = 50265;
  defaults.pad_token_id = 1;
  const BertFamilySpec spec{"roberta", defaults, BackboneOptions{.pooler = false, .roberta_positions = true},
                            BertFamilyHead::kFirstTokenTanh,
                            BertFamilyChoiceHead::kPooledHiddenDropout};
  return {"roberta", "Roberta", "roberta",
          [spec](const ModelConfig& config, Head head) { return build_bert_family(config, spec, head); },
          [spec](const ModelConfig& config) { return bert_family_sizes(config, spec); }};
}

}  // namespace hft::model
