// The label list of token classification, as run_ner.py builds it: the sorted set of the training
// tags (numbers sorted as numbers when every tag is an integer), reordered as the model's
// label2id when the model was trained on the same set; and the tag ids of sentences, with the
// B- to I- map that label_all_tokens uses. No LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/data/label_space.h"                             // LabelSpace
#include "hft/task/token_classification/tagged_sentences.h"  // TaggedSentences

namespace hft::task {

// `model_labels`: the model's id2label names (empty, or LABEL_0, LABEL_1, ...: none of its own).
data::LabelSpace tag_label_space(const TaggedSentences& train, const std::vector<std::string>& model_labels);

// Each word's tag id, [sentences][words]. Throws DataError (file:line) for a tag that is not a
// label, naming the labels (they come from `label_file`).
std::vector<std::vector<int32_t>> tag_ids(const TaggedSentences& sentences, const data::LabelSpace& labels,
                                          const std::string& label_file);

// run_ner.py's b_to_i_label: for each label id, the id of its I- label when it is a B- label whose
// I- label exists, else itself.
std::vector<int32_t> b_to_i_labels(const std::vector<std::string>& names);

// LABEL_0, LABEL_1, ...: the names transformers gives labels nobody named.
bool default_label_names(const std::vector<std::string>& names);

}  // namespace hft::task
