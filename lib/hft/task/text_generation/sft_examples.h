// The rows of an SFT data file, in the three layouts TRL's SFTTrainer takes: plain text (the
// `dataset_text_field` column), prompt/completion pairs (`prompt`, `completion`: strings, or
// lists of messages), and conversations (`messages`: a list of {role, content}). No LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/chat/render_chat.h"  // ChatMessage

namespace hft::task {

enum class SftFormat { kText, kPromptCompletion, kConversation };

using Conversation = std::vector<chat::ChatMessage>;

struct SftExamples {
  std::string file;
  SftFormat format = SftFormat::kText;
  bool conversational = false;             // prompt/completion given as messages
  bool has_completions = false;            // prompt/completion: the completion column is there
  std::vector<std::string> texts;          // [rows] kText: the text; plain prompt/completion: the prompt
  std::vector<std::string> completions;    // [rows] plain prompt/completion: the completion
  std::vector<Conversation> conversations; // [rows] kConversation: the messages; conversational: the prompt
  std::vector<Conversation> replies;       // [rows] conversational prompt/completion: the completion
  std::vector<int64_t> lines;              // [rows] the file line of each row

  int64_t size() const { return static_cast<int64_t>(lines.size()); }
  void keep_first(int64_t n);
};

// The roles a message may have (what chat templates know); another is refused, naming the row.
inline constexpr const char* kChatRoles[] = {"system", "developer", "user", "assistant", "tool"};

// Reads `path` (csv, tsv, json, jsonl): `messages` when the file has that column, else `prompt`
// (with `completion` when `completions_required`, else optional: a test file), else
// `text_field`. Throws DataError naming file:line for a missing column (listing those there are),
// a cell that is not text or not a list of messages, and a message whose role is not a chat role.
SftExamples read_sft_examples(const std::string& path, const std::string& text_field, bool completions_required);

}  // namespace hft::task
