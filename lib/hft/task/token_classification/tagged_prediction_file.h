// Token classification's predictions file: one line per sentence with its words and their
// predicted tags, each word tagged by its first piece's prediction, as run_ner.py keeps them.
// Words cut off by max_seq_length have no prediction and are left out (run_ner drops them too).
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

#include "hft/data/encoded_dataset.h"                         // EncodedDataset
#include "hft/task/token_classification/tagged_sentences.h"  // TaggedSentences

namespace hft::task {

// `token_tags`: [sentences, width] predicted tag id of every token (float, padded past the
// sentence). .tsv: `index<TAB>words<TAB>tags`, words and tags joined by spaces; .jsonl:
// {"index", "tokens", "ner_tags"}. Written atomically. Returns the sentences that were cut short.
int64_t write_tagged_predictions(const std::string& path, const torch::Tensor& token_tags, const data::EncodedDataset& split,
                                 const TaggedSentences& sentences, const std::vector<std::string>& labels);

}  // namespace hft::task
