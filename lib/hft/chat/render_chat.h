// A conversation rendered with a chat template, string for string as transformers 5's
// tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...) renders it.
//
// The template sees what transformers passes: messages (role, content), tools and documents (none),
// add_generation_prompt, the tokenizer's special tokens (bos_token, eos_token, unk_token, sep_token,
// pad_token, cls_token, mask_token: each one the tokenizer has), then the caller's variables
// (apply_chat_template's **kwargs, such as Qwen3's enable_thinking). Jinja as transformers sets it
// up: trim_blocks, lstrip_blocks, the final newline of the template dropped, and its globals
// (jinja_globals.h). The engine is minja (third_party/minja), with two differences from Jinja that
// the tested templates do not meet: a variable set to none counts as undefined (`is defined` is
// false), and lstrip_blocks also strips the indentation before a `{{ expression }}` on its own line.
#pragma once

#include <nlohmann/json.hpp>  // nlohmann::ordered_json

#include <memory>
#include <string>
#include <vector>

#include "hft/chat/chat_template.h"       // ChatTemplate
#include "hft/tokenize/special_tokens.h"  // SpecialTokens (a plain struct; no link to hft_tokenize)

namespace minja {
class TemplateNode;
}

namespace hft::chat {

struct ChatMessage {
  std::string role, content;
};

struct ChatTemplateOptions {
  // End with the opening of an assistant turn, for generation (the prompt of a completion).
  bool add_generation_prompt = false;
  // The tokenizer's special tokens (tokenize::read_tokenizer_config); an unset one is undefined.
  tokenize::SpecialTokens special_tokens;
  // More variables for the template, a JSON object (apply_chat_template's **kwargs); they hide
  // a special token of the same name, as there.
  nlohmann::ordered_json variables = nlohmann::ordered_json::object();
};

// A rendering and where the template's {% generation %} blocks put their output (the assistant's
// tokens, for assistant-only loss): [begin, end) in code points of `text`, as transformers'
// AssistantTracker records them for apply_chat_template(..., return_assistant_tokens_mask=True).
struct MarkedChat {
  std::string text;
  std::vector<std::pair<size_t, size_t>> generation;
};

// A template parsed once, rendered for many conversations; render is const and may run on
// several threads at once.
class ChatRenderer {
 public:
  // Throws ChatTemplateError, naming the file and line, when the template does not parse.
  explicit ChatRenderer(ChatTemplate chat_template);

  // Throws ChatTemplateError (file, template line, Jinja's message) when rendering fails or the
  // template raises an exception (a role it does not take, turns that do not alternate), and for
  // an empty conversation, which transformers refuses too.
  std::string render(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options = {}) const;

  // render, with the spans of the {% generation %} blocks. Throws ChatTemplateError when the
  // template has no such blocks or a message holds the characters that mark them (U+0002, U+0003).
  MarkedChat render_marked(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options = {}) const;

  // Whether the template marks the assistant's output with {% generation %} blocks.
  bool has_generation_markers() const { return marked_root_ != nullptr; }

  const ChatTemplate& chat_template() const { return template_; }

 private:
  std::string render_root(const minja::TemplateNode& root, const std::vector<ChatMessage>& messages,
                          const ChatTemplateOptions& options) const;

  ChatTemplate template_;
  std::shared_ptr<minja::TemplateNode> root_;
  // The template with each {% generation %} block's output between U+0002 and U+0003 (no
  // whitespace control changed); null when it has no such block.
  std::shared_ptr<minja::TemplateNode> marked_root_;
};

// Parses and renders once.
std::string render_chat(const ChatTemplate& chat_template, const std::vector<ChatMessage>& messages,
                        const ChatTemplateOptions& options = {});

}  // namespace hft::chat
