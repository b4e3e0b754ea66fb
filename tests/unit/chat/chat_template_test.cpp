// Finding a tokenizer folder's chat template as transformers 5 does: each layout below is also
// loaded by PreTrainedTokenizerFast.from_pretrained (tests/oracle/chat_templates.py folders), whose
// get_chat_template() hft must match: the same text, no template, or named templates without a
// "default" one. Malformed files are checked by hand.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "../oracle_json.h"           // run_oracle_json
#include "../test_files.h"            // ScratchDir
#include "hft/chat/chat_error.h"      // ChatTemplateError
#include "hft/chat/chat_template.h"   // find_chat_template, read_chat_template

using namespace hft::chat;
using nlohmann::json;

namespace {

// The smallest tokenizer.json that transformers loads, so that each folder is a tokenizer.
const char* const kTokenizerJson =
    R"({"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,)"
    R"( "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,)"
    R"( "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "hello": 1}, "unk_token": "[UNK]"}})";

const std::string kConfigString = R"({"chat_template": "from config {{ messages }}\r\nnext line", "eos_token": "</s>"})";
const std::string kConfigList =
    R"({"chat_template": [{"name": "tool_use", "template": "TOOLS"}, {"name": "default", "template": "DEFAULT"}]})";
const std::string kConfigListWithoutDefault = R"({"chat_template": [{"name": "tool_use", "template": "TOOLS"}]})";

// layout name -> {file: content}
const std::map<std::string, std::map<std::string, std::string>> kLayouts = {
    {"jinja file only", {{"chat_template.jinja", "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}\n"}}},
    {"jinja file over config", {{"chat_template.jinja", "FILE"}, {"tokenizer_config.json", kConfigString}}},
    {"jinja file with CRLF and CR", {{"chat_template.jinja", "A\r\nB\rC\n"}}},
    {"config string (CRLF kept)", {{"tokenizer_config.json", kConfigString}}},
    {"config list with default", {{"tokenizer_config.json", kConfigList}}},
    {"config list without default", {{"tokenizer_config.json", kConfigListWithoutDefault}}},
    {"additional templates with default", {{"additional_chat_templates/default.jinja", "EXTRA DEFAULT"},
                                           {"additional_chat_templates/tool_use.jinja", "EXTRA TOOLS"},
                                           {"tokenizer_config.json", kConfigString}}},
    {"additional template without default over config",
     {{"additional_chat_templates/tool_use.jinja", "EXTRA TOOLS"}, {"tokenizer_config.json", kConfigString}}},
    {"additional default over jinja file",
     {{"chat_template.jinja", "FILE"}, {"additional_chat_templates/default.jinja", "EXTRA DEFAULT"}}},
    {"config without template", {{"tokenizer_config.json", R"({"eos_token": "</s>", "chat_template": null})"}}},
    {"no files", {}},
};

struct Folders {
  hft::testing::ScratchDir dir;
  json expected;  // folder path -> the oracle's answer

  Folders() {
    std::string paths;
    for (const auto& [layout, files] : kLayouts) {
      const std::string folder = path(layout);
      std::filesystem::create_directories(folder + "/additional_chat_templates");
      dir.write(layout + "/tokenizer.json", kTokenizerJson);
      for (const auto& [name, content] : files) dir.write(layout + "/" + name, content);
      paths += " '" + folder + "'";
    }
    expected = hft::testing::run_oracle_json("chat_templates.py", "folders" + paths);
  }
  std::string path(const std::string& layout) const { return dir.path(layout); }
};

const Folders& folders() {
  static const Folders instance;
  return instance;
}

}  // namespace

TEST_CASE("the chat template of a folder is the one transformers finds", "[chat][oracle]") {
  for (const auto& [layout, files] : kLayouts) {
    INFO(layout);
    const std::string folder = folders().path(layout);
    const json& expected = folders().expected.at(folder);
    if (expected.contains("template")) {
      const std::optional<ChatTemplate> found = find_chat_template(folder);
      REQUIRE(found);
      CHECK(found->text == expected.at("template").get<std::string>());
    } else if (expected.contains("none")) {
      CHECK_FALSE(find_chat_template(folder));
      CHECK_THROWS_AS(read_chat_template(folder), ChatTemplateError);
    } else {
      REQUIRE(expected.contains("no_default"));
      CHECK_THROWS_WITH(find_chat_template(folder), Catch::Matchers::Contains("none named \"default\""));
    }
  }
}

TEST_CASE("a chat template names the file it came from", "[chat]") {
  const std::string jinja = folders().path("jinja file over config");
  CHECK(read_chat_template(jinja).file == jinja + "/chat_template.jinja");
  CHECK(read_chat_template(jinja).json_key.empty());
  const std::string config = folders().path("config list with default");
  CHECK(read_chat_template(config).file == config + "/tokenizer_config.json");
  CHECK(read_chat_template(config).json_key == "chat_template");
  const std::string extra = folders().path("additional templates with default");
  CHECK(read_chat_template(extra).file == extra + "/additional_chat_templates/default.jinja");
}

TEST_CASE("malformed template files are one-line errors naming the file", "[chat]") {
  hft::testing::ScratchDir dir;
  const std::string config = dir.path("tokenizer_config.json");
  dir.write("tokenizer_config.json", R"({"chat_template": "x",)");
  CHECK_THROWS_WITH(find_chat_template(dir.path()),
                    Catch::Matchers::StartsWith(config + ": not valid JSON (") &&
                        Catch::Matchers::Contains("line 1, column 23"));
  dir.write("tokenizer_config.json", R"({"chat_template": 7})");
  CHECK_THROWS_WITH(find_chat_template(dir.path()),
                    config + ": chat_template: expected a Jinja template (a string) or a list of "
                             "{\"name\": \"...\", \"template\": \"...\"}");
  dir.write("tokenizer_config.json", R"({"chat_template": [{"name": "default"}]})");
  CHECK_THROWS_WITH(find_chat_template(dir.path()),
                    Catch::Matchers::StartsWith(config + ": chat_template: expected a list of {\"name\""));
  dir.write("tokenizer_config.json", R"(["chat_template"])");
  CHECK_THROWS_WITH(find_chat_template(dir.path()), config + ": expected a JSON object");
  std::filesystem::remove(config);
  CHECK_THROWS_WITH(read_chat_template(dir.path()),
                    dir.path() + ": no chat template (neither chat_template.jinja nor a chat_template in "
                                 "tokenizer_config.json); conversations are rendered with the tokenizer's chat "
                                 "template: add one, as transformers' tokenizer.save_pretrained writes it");
}
