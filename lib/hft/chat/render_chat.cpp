#include "hft/chat/render_chat.h"

#include <minja/minja.hpp>  // minja::Parser, Context, Value

#include <exception>
#include <utility>  // std::move

#include "hft/chat/chat_error.h"     // ChatTemplateError
#include "hft/chat/chat_template.h"  // universal_newlines
#include "hft/chat/jinja_globals.h"  // transformers_globals
#include "hft/chat/template_error.h"  // template_error

namespace hft::chat {
namespace {

using nlohmann::ordered_json;

// transformers' ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True), whose
// keep_trailing_newline is Jinja's default, false.
minja::Options transformers_options() {
  minja::Options options{};
  options.trim_blocks = true;
  options.lstrip_blocks = true;
  options.keep_trailing_newline = false;
  return options;
}

// The variables transformers' render_jinja_template passes, in its order of precedence.
ordered_json template_variables(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options) {
  ordered_json variables = ordered_json::object();
  ordered_json& list = variables["messages"] = ordered_json::array();
  for (const ChatMessage& message : messages) list.push_back({{"role", message.role}, {"content", message.content}});
  variables["tools"] = nullptr;
  variables["documents"] = nullptr;
  variables["add_generation_prompt"] = options.add_generation_prompt;
  const tokenize::SpecialTokens& tokens = options.special_tokens;
  const std::pair<const char*, const std::optional<std::string>*> named[] = {
      {"bos_token", &tokens.bos}, {"eos_token", &tokens.eos}, {"unk_token", &tokens.unk},  {"sep_token", &tokens.sep},
      {"pad_token", &tokens.pad}, {"cls_token", &tokens.cls}, {"mask_token", &tokens.mask}};
  for (const auto& [name, token] : named) {
    if (*token) variables[name] = **token;
  }
  if (!options.variables.is_object()) throw std::invalid_argument("ChatTemplateOptions::variables must be an object");
  for (const auto& [name, value] : options.variables.items()) variables[name] = value;
  return variables;
}

}  // namespace

ChatRenderer::ChatRenderer(ChatTemplate chat_template) : template_(std::move(chat_template)) {
  try {
    // Jinja's lexer ends every line with "\n"; minja does so on Windows only.
    root_ = minja::Parser::parse(universal_newlines(template_.text), transformers_options());
  } catch (const std::exception& e) {
    throw template_error(template_, TemplateStage::kParse, e.what());
  }
}

std::string ChatRenderer::render(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options) const {
  if (messages.empty()) {
    throw ChatTemplateError("a conversation with no messages cannot be rendered with the chat template of " +
                            template_.file + "; give it at least one message");
  }
  const auto context = minja::Context::make(minja::Value(template_variables(messages, options)), transformers_globals());
  try {
    return root_->render(context);
  } catch (const std::exception& e) {
    throw template_error(template_, TemplateStage::kRender, e.what());
  }
}

std::string render_chat(const ChatTemplate& chat_template, const std::vector<ChatMessage>& messages,
                        const ChatTemplateOptions& options) {
  return ChatRenderer(chat_template).render(messages, options);
}

}  // namespace hft::chat
