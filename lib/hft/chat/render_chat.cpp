#include "hft/chat/render_chat.h"

#include <minja/minja.hpp>  // minja::Parser, Context, Value

#include <exception>
#include <optional>
#include <regex>
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

constexpr char kGenerationStart = '\x02', kGenerationEnd = '\x03';

// Each `{% generation %}` gets `{{ "\x02" }}` just before it and each `{% endgeneration %}`
// `{{ "\x03" }}`; a `-` that strips whitespace before the tag moves to the expression, so the
// output around the blocks is unchanged (trim_blocks still sees the tags themselves). Empty when
// the template has no generation block.
std::string with_generation_marks(const std::string& text) {
  static const std::regex tag(R"(\{%(-?)(\s*)(end)?generation(\s*-?%\}))");
  if (!std::regex_search(text, tag)) return "";
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), tag), end; it != end; ++it) {
    const std::smatch& m = *it;
    out.append(last, m[0].first);
    const char mark = m[3].matched ? kGenerationEnd : kGenerationStart;
    out += "{{" + m[1].str() + " \"" + std::string(1, mark) + "\" }}{%" + m[2].str() + m[3].str() + "generation" + m[4].str();
    last = m[0].second;
  }
  out.append(last, text.cend());
  return out;
}

}  // namespace

ChatRenderer::ChatRenderer(ChatTemplate chat_template) : template_(std::move(chat_template)) {
  try {
    // Jinja's lexer ends every line with "\n"; minja does so on Windows only.
    const std::string text = universal_newlines(template_.text);
    root_ = minja::Parser::parse(text, transformers_options());
    const std::string marked = with_generation_marks(text);
    if (!marked.empty()) marked_root_ = minja::Parser::parse(marked, transformers_options());
  } catch (const std::exception& e) {
    throw template_error(template_, TemplateStage::kParse, e.what());
  }
}

std::string ChatRenderer::render_root(const minja::TemplateNode& root, const std::vector<ChatMessage>& messages,
                                      const ChatTemplateOptions& options) const {
  if (messages.empty()) {
    throw ChatTemplateError("a conversation with no messages cannot be rendered with the chat template of " +
                            template_.file + "; give it at least one message");
  }
  const auto context = minja::Context::make(minja::Value(template_variables(messages, options)), transformers_globals());
  try {
    return root.render(context);
  } catch (const std::exception& e) {
    throw template_error(template_, TemplateStage::kRender, e.what());
  }
}

std::string ChatRenderer::render(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options) const {
  return render_root(*root_, messages, options);
}

MarkedChat ChatRenderer::render_marked(const std::vector<ChatMessage>& messages, const ChatTemplateOptions& options) const {
  if (!marked_root_)
    throw ChatTemplateError(template_.file + ": the chat template has no {% generation %} blocks, which mark the "
                            "assistant's tokens for assistant_only_loss; expected a training template with them");
  for (const ChatMessage& m : messages)
    if (m.content.find_first_of(std::string{kGenerationStart, kGenerationEnd}) != std::string::npos)
      throw ChatTemplateError("a " + m.role + " message holds the control character U+0002 or U+0003, which hft uses "
                              "to find the {% generation %} blocks of " + template_.file + "; expected text without them");
  const std::string marked = render_root(*marked_root_, messages, options);
  MarkedChat out;
  std::optional<size_t> open;
  size_t points = 0;  // code points of out.text so far: transformers counts Python characters
  for (char c : marked) {
    if (c == kGenerationStart) {
      open = points;
    } else if (c == kGenerationEnd && open) {
      out.generation.emplace_back(*open, points);
      open.reset();
    } else {
      out.text += c;
      points += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
  }
  return out;
}

std::string render_chat(const ChatTemplate& chat_template, const std::vector<ChatMessage>& messages,
                        const ChatTemplateOptions& options) {
  return ChatRenderer(chat_template).render(messages, options);
}

}  // namespace hft::chat
