// The chat template of a tokenizer folder, found where transformers 5 finds the one that
// apply_chat_template uses (AutoTokenizer.from_pretrained(dir), no tools passed).
#pragma once

#include <optional>
#include <string>

namespace hft::chat {

// A template's Jinja text and where it came from, for error messages.
struct ChatTemplate {
  std::string text;
  std::string file;      // the file it was read from
  std::string json_key;  // "chat_template" when `file` is a JSON file; empty for a .jinja file
};

// Every line ending ("\r\n", "\r", "\n") as "\n": how Python reads a text file (a .jinja file in
// transformers) and how Jinja's lexer reads a template (render_chat.cpp).
std::string universal_newlines(const std::string& text);

// In transformers' order of precedence:
//   1. DIR/chat_template.jinja, the "default" template; DIR/additional_chat_templates/NAME.jinja
//      are named templates. When any of these files exist, tokenizer_config.json's is ignored.
//   2. tokenizer_config.json's "chat_template": a string, or a list of {"name", "template"}.
// Of several named templates, "default" is the one used. Nothing found: nullopt.
// Throws ChatTemplateError for an unreadable file, malformed JSON, or named templates without
// a "default" one (transformers refuses those too, asking for a name).
std::optional<ChatTemplate> find_chat_template(const std::string& tokenizer_dir);

// find_chat_template, or a ChatTemplateError naming the folder when it has no template.
ChatTemplate read_chat_template(const std::string& tokenizer_dir);

}  // namespace hft::chat
