// Which task head an architecture's backbone carries: the choice a task makes when it loads a
// model, and the transformers class (BertFor<Head>) that save_pretrained records for it.
#pragma once

#include <string>

namespace hft::model {

enum class Head {
  kSequenceClassification,  // logits [B, C] from one summary of the sequence
  kTokenClassification,     // logits [B, L, C], one row per token
  kMultipleChoice,          // inputs [B, N, L] -> one score per choice, logits [B, N]
  kCausalLM,                // logits [B, L, vocab]: each position's next token
};

// "ForTokenClassification": what follows the architecture's prefix ("Bert") in the class name.
inline std::string head_class_suffix(Head head) {
  switch (head) {
    case Head::kTokenClassification: return "ForTokenClassification";
    case Head::kMultipleChoice: return "ForMultipleChoice";
    case Head::kCausalLM: return "ForCausalLM";
    case Head::kSequenceClassification: break;
  }
  return "ForSequenceClassification";
}

}  // namespace hft::model
