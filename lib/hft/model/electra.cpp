// ElectraForSequenceClassification: BERT layers behind embeddings that may be narrower than the
// encoder (embeddings_project), no pooler, and a dense-GELU head on the first token
// (parameters electra.*, classifier.dense.*, classifier.out_proj.*). Its multiple-choice model
// scores choices through sequence_summary (electra_sequence_summary.h).
#include "hft/model/architecture.h"
#include "hft/model/bert_family_classifier.h"

namespace hft::model {

Architecture electra_architecture() {
  BertFamilyConfig defaults;  // ElectraConfig's
  defaults.embedding_size = 128;
  defaults.hidden_size = 256;
  defaults.num_attention_heads = 4;
  defaults.intermediate_size = 1024;
  const BertFamilySpec spec{"electra", defaults, BackboneOptions{.pooler = false}, BertFamilyHead::kFirstTokenGelu,
                            BertFamilyChoiceHead::kSequenceSummary};
  return {"electra", "Electra", "electra",
          [spec](const ModelConfig& config, Head head) { return build_bert_family(config, spec, head); },
          [spec](const ModelConfig& config) { return bert_family_sizes(config, spec); }};
}

}  // namespace hft::model
