// The real chat templates of Llama 3.1 and 3.2 Instruct, Qwen2.5 Instruct, Qwen3, SmolLM2 Instruct
// and Mistral Nemo Instruct (tests/fixtures/chat_templates, MANIFEST.md), and probe templates of
// transformers' Jinja set-up, rendered string for string as transformers 5's
// tokenizer.apply_chat_template(messages, tokenize=False, ...) renders them: the oracle
// (tests/oracle/chat_templates.py) runs transformers on the same conversations, special tokens
// and variables. Where transformers' template raises (roles that do not alternate, a role the
// template refuses), hft's raises a ChatTemplateError with the same message. Llama 3.2's template
// and the strftime_now probe print today's date: both sides read the clock seconds apart.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../oracle_json.h"          // run_oracle_json
#include "hft/chat/chat_error.h"     // ChatTemplateError
#include "hft/chat/render_chat.h"    // render_chat, ChatMessage, ChatTemplateOptions

using namespace hft::chat;
using nlohmann::json;

namespace {

// Every case the oracle rendered, computed once for all test cases.
const json& oracle_cases() {
  static const json cases = hft::testing::run_oracle_json("chat_templates.py", "renderings").at("cases");
  return cases;
}

ChatTemplate template_of(const json& oracle_case) {
  if (!oracle_case.contains("template_file")) return {oracle_case.at("template_text").get<std::string>(), "probe", ""};
  const std::string path = std::string(HFT_SOURCE_DIR) + "/" + oracle_case.at("template_file").get<std::string>();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return {text.str(), path, ""};
}

std::vector<ChatMessage> messages_of(const json& oracle_case) {
  std::vector<ChatMessage> messages;
  for (const json& m : oracle_case.at("messages")) messages.push_back({m.at("role"), m.at("content")});
  return messages;
}

// What apply_chat_template passed: the tokenizer's special_tokens_map, the flag, the **kwargs.
ChatTemplateOptions options_of(const json& oracle_case) {
  ChatTemplateOptions options;
  options.add_generation_prompt = oracle_case.at("add_generation_prompt");
  hft::tokenize::SpecialTokens& tokens = options.special_tokens;
  const std::pair<const char*, std::optional<std::string>*> slots[] = {
      {"bos_token", &tokens.bos}, {"eos_token", &tokens.eos}, {"unk_token", &tokens.unk}, {"sep_token", &tokens.sep},
      {"pad_token", &tokens.pad}, {"cls_token", &tokens.cls}, {"mask_token", &tokens.mask}};
  const json& map = oracle_case.at("special_tokens");
  for (const auto& [name, slot] : slots) {
    if (map.contains(name)) *slot = map.at(name).get<std::string>();
  }
  options.variables = nlohmann::ordered_json::parse(oracle_case.at("variables").dump());
  return options;
}

struct Tally {
  size_t equal = 0, refused = 0;
};

// Renders every oracle case whose name starts with `prefix`, each compared with transformers'.
Tally check_cases(const std::string& prefix) {
  Tally tally;
  for (const json& oracle_case : oracle_cases()) {
    const std::string name = oracle_case.at("name");
    if (name.rfind(prefix, 0) != 0) continue;
    INFO(name);
    const ChatTemplate chat_template = template_of(oracle_case);
    if (oracle_case.contains("rendered")) {
      CHECK(render_chat(chat_template, messages_of(oracle_case), options_of(oracle_case)) ==
            oracle_case.at("rendered").get<std::string>());
      ++tally.equal;
    } else {
      std::string message = "no ChatTemplateError";
      try {
        render_chat(chat_template, messages_of(oracle_case), options_of(oracle_case));
      } catch (const ChatTemplateError& e) {
        message = e.what();
      }
      CHECK_THAT(message, Catch::Matchers::Contains(oracle_case.at("error").get<std::string>()));
      ++tally.refused;
    }
  }
  return tally;
}

}  // namespace

TEST_CASE("Llama 3.1 Instruct's template renders as in transformers", "[chat][oracle]") {
  CHECK(check_cases("llama-3.1-instruct /").equal == 24);
}

TEST_CASE("Llama 3.2 Instruct's template (strftime_now date) renders as in transformers", "[chat][oracle]") {
  CHECK(check_cases("llama-3.2-instruct /").equal == 24);
}

TEST_CASE("Qwen2.5 Instruct's template renders as in transformers", "[chat][oracle]") {
  CHECK(check_cases("qwen2.5-instruct /").equal == 22);
}

TEST_CASE("Qwen3's template (thinking, enable_thinking) renders as in transformers", "[chat][oracle]") {
  CHECK(check_cases("qwen3 /").equal == 28);
}

TEST_CASE("SmolLM2 Instruct's template renders as in transformers", "[chat][oracle]") {
  CHECK(check_cases("smollm2-instruct /").equal == 22);
}

TEST_CASE("Mistral Nemo Instruct's template renders, and refuses turns out of order, as in transformers",
          "[chat][oracle]") {
  const Tally tally = check_cases("mistral-nemo-instruct-2407 /");
  CHECK(tally.equal == 20);
  CHECK(tally.refused == 2);  // two user turns in a row
}

TEST_CASE("transformers' Jinja set-up: tojson's arguments, trim, globals, whitespace and line endings", "[chat][oracle]") {
  const Tally tally = check_cases("probe ");
  CHECK(tally.equal == 74);
  CHECK(tally.refused == 6);  // raise_exception on a system turn
}

TEST_CASE("one ChatRenderer renders on several threads at once, each rendering as in transformers", "[chat][oracle]") {
  std::vector<const json*> cases;
  for (const json& oracle_case : oracle_cases()) {
    if (oracle_case.at("name").get<std::string>().rfind("qwen3 /", 0) == 0 && oracle_case.contains("rendered")) {
      cases.push_back(&oracle_case);
    }
  }
  REQUIRE(cases.size() == 28);
  const ChatRenderer renderer(template_of(*cases[0]));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 10; ++round) {
        for (const json* c : cases) {
          if (renderer.render(messages_of(*c), options_of(*c)) != c->at("rendered").get<std::string>()) ++mismatches;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(mismatches == 0);
}
