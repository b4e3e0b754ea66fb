// SFT rows -> token ids and labels, as TRL's SFTTrainer prepares a data set: an EOS appended to
// plain text and completions, conversations rendered with the chat template and tokenized without
// special tokens, the completion found where prompt and prompt+completion tokens diverge, labels
// -100 outside the completion (completion_only_loss), then rows cut to max_length (keep_start) and
// rows left without a label dropped.
// No LibTorch.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "hft/data/encoded_dataset.h"               // EncodedDataset
#include "hft/task/text_generation/sft_examples.h"  // SftExamples

namespace hft::chat {
class ChatRenderer;
}
namespace hft::tokenize {
class Tokenizer;
}

namespace hft::task {

struct SftEncodeOptions {
  int64_t max_length = 1024;                 // rows longer are cut (keep_start)
  bool truncate = true;                      // false when packing: the packer cuts
  std::optional<bool> completion_only_loss;  // unset: on for prompt/completion rows
  bool assistant_only_loss = false;          // conversations: labels only inside the template's {% generation %} blocks
  unsigned threads = 0;                      // tokenizer threads; 0: all cores
};

struct SftEncoded {
  data::EncodedDataset rows;           // input_ids and token_labels (the ids; -100 where no loss is taken)
  std::vector<int64_t> dropped_lines;  // rows left out: their prompt fills max_length (trl drops them too)
};

// Every row's ids and labels. `renderer` renders conversations (required for conversational
// rows). Throws DataError naming file:line for a completion longer than max_length (it can never
// be learnt whole; trl would cut it silently) and, with assistant_only_loss, for rows that are not
// conversations or whose rendering marks no assistant token; chat::ChatTemplateError for a
// conversation the template refuses, or a template without {% generation %} blocks.
SftEncoded encode_sft(const SftExamples& examples, const tokenize::Tokenizer& tokenizer,
                      const chat::ChatRenderer* renderer, const SftEncodeOptions& options);

// What generation starts from for each row: the prompt's ids (plain prompts with the tokenizer's
// special tokens, conversations rendered with the generation prompt); plain text rows are their
// own prompt. A conversation's last assistant turn, if any, is left out (it is the reference).
std::vector<std::vector<int32_t>> encode_prompts(const SftExamples& examples, const tokenize::Tokenizer& tokenizer,
                                                 const chat::ChatRenderer* renderer);

// How many leading tokens `a` and `b` share (trl's common_prefix_length).
size_t common_prefix_length(const std::vector<int32_t>& a, const std::vector<int32_t>& b);

}  // namespace hft::task
