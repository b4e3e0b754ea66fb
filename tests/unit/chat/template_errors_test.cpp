// A template that fails is one line naming the template's file and line, with the Jinja error:
// a template that raises on purpose (Mistral Nemo's, on turns that do not alternate), a syntax
// error, an error while rendering; each a ChatTemplateError, exit code 2. Lines and columns are
// counted by hand in the template texts below; minja places a call at its opening parenthesis.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "hft/chat/chat_error.h"      // ChatTemplateError
#include "hft/chat/render_chat.h"     // ChatRenderer, render_chat
#include "hft/chat/template_error.h"  // template_error

using namespace hft::chat;

namespace {

const std::vector<ChatMessage> kTwoUserTurns = {{"user", "First question."}, {"user", "Second question."}};

std::string fixture_text(const std::string& name) {
  std::ifstream in(std::string(HFT_SOURCE_DIR) + "/tests/fixtures/chat_templates/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The message of the ChatTemplateError that `call` throws ("" when it throws none).
template <typename Call>
std::string error_of(Call call) {
  try {
    call();
  } catch (const ChatTemplateError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a template that raises names its file, line and column, and its message", "[chat]") {
  // Line 18 of Mistral Nemo's template, "(" at column 32:
  //             {{- raise_exception("After the optional system message, ...") }}
  const ChatTemplate from_file{fixture_text("mistral-nemo-instruct-2407.jinja"), "model/chat_template.jinja", ""};
  const std::string message = error_of([&] { render_chat(from_file, kTwoUserTurns); });
  CHECK(message ==
        "model/chat_template.jinja:18:32: the chat template refused the conversation: After the optional system "
        "message, conversation roles must alternate user/assistant/user/assistant/...");

  const ChatTemplate from_json{from_file.text, "model/tokenizer_config.json", "chat_template"};
  CHECK(error_of([&] { render_chat(from_json, kTwoUserTurns); }) ==
        "model/tokenizer_config.json: chat_template, template line 18, column 32: the chat template refused the "
        "conversation: After the optional system message, conversation roles must alternate "
        "user/assistant/user/assistant/...");
}

TEST_CASE("a template with a syntax error is refused when parsed, naming the line", "[chat]") {
  const ChatTemplate unterminated{"{{ bos_token }}\n{% for message in messages %}\n{{ message.content }}\n",
                                  "t/chat_template.jinja", ""};
  CHECK(error_of([&] { ChatRenderer renderer(unterminated); }) ==
        "t/chat_template.jinja:2:1: the chat template does not parse: Unterminated for");

  const ChatTemplate unclosed{"{% for message in messages %}\n  {{ message['content' }}\n{% endfor %}",
                              "t/tokenizer_config.json", "chat_template"};
  const std::string message = error_of([&] { ChatRenderer renderer(unclosed); });
  CHECK_THAT(message, Catch::Matchers::StartsWith("t/tokenizer_config.json: chat_template, template line 2, column "));
  CHECK_THAT(message, Catch::Matchers::Contains("the chat template does not parse: "));
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("an error while rendering names the innermost line", "[chat]") {
  // Line 3 calls a method that strings do not have; minja reports each enclosing block's line
  // too, and the message keeps the first, the innermost.
  const ChatTemplate missing_method{"{% for m in messages %}\n{% if m.role == 'user' %}\n{{ m.content.frobnicate() }}"
                                    "\n{% endif %}\n{% endfor %}",
                                    "t/chat_template.jinja", ""};
  const std::string message = error_of([&] { render_chat(missing_method, {{"user", "hi"}}); });
  CHECK_THAT(message, Catch::Matchers::StartsWith("t/chat_template.jinja:3:"));
  CHECK_THAT(message, Catch::Matchers::Contains("the chat template failed to render: "));
  CHECK_THAT(message, Catch::Matchers::Contains("frobnicate"));
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("chat template errors are bad input (exit code 2)", "[chat]") {
  const ChatTemplate t{"{{ raise_exception('no') }}", "t", ""};
  try {
    render_chat(t, {{"user", "x"}});
    FAIL("no error");
  } catch (const hft::BadInput& e) {
    CHECK(e.exit_code() == hft::ExitCode::kBadInput);
    CHECK(std::string(e.what()) == "t:1:19: the chat template refused the conversation: no");
  }
}

TEST_CASE("an empty conversation is refused, as transformers refuses it", "[chat]") {
  const ChatTemplate t{"{{ messages | length }}", "model/chat_template.jinja", ""};
  CHECK(error_of([&] { render_chat(t, {}); }) ==
        "a conversation with no messages cannot be rendered with the chat template of model/chat_template.jinja; "
        "give it at least one message");
}

TEST_CASE("minja's error text becomes one line: message, first location", "[chat]") {
  const ChatTemplate t{"", "f.jinja", ""};
  CHECK(std::string(template_error(t, TemplateStage::kRender,
                                   "Bad thing\nsecond line at row 4, column 2:\n{% x %}\n ^\n at row 1, column 1:\n")
                        .what()) == "f.jinja:4:2: the chat template failed to render: Bad thing second line");
  CHECK(std::string(template_error(t, TemplateStage::kParse, "No location").what()) ==
        "f.jinja: the chat template does not parse: No location");
}
