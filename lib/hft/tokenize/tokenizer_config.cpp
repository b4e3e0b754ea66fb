#include "hft/tokenize/tokenizer_config.h"

#include <filesystem>

#include "hft/tokenize/json_reading.h"  // read_json_file, JsonAt

namespace hft::tokenize {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A special token is written as "[CLS]" or as an AddedToken object {"content": "[CLS]", ...}.
void read_token(const JsonAt& file, const std::string& key, std::optional<std::string>& slot) {
  if (slot) return;  // an earlier file already named it
  const json* v = file.find(key);
  if (!v) return;
  if (v->is_string()) {
    slot = v->get<std::string>();
  } else if (v->is_object() && v->contains("content") && (*v)["content"].is_string()) {
    slot = (*v)["content"].get<std::string>();
  } else {
    file.child(key, *v).fail("expected a token string or {\"content\": \"...\"}");
  }
}

void read_special_tokens(const JsonAt& file, SpecialTokens& s) {
  read_token(file, "pad_token", s.pad);
  read_token(file, "unk_token", s.unk);
  read_token(file, "cls_token", s.cls);
  read_token(file, "sep_token", s.sep);
  read_token(file, "mask_token", s.mask);
  read_token(file, "bos_token", s.bos);
  read_token(file, "eos_token", s.eos);
}

void read_settings(const JsonAt& file, TokenizerConfig& config) {
  config.do_lower_case = file.get_optional_bool("do_lower_case");
  config.strip_accents = file.get_optional_bool("strip_accents");
  config.tokenize_chinese_chars = file.get_optional_bool("tokenize_chinese_chars");
  config.add_prefix_space = file.get_optional_bool("add_prefix_space");
  config.keep_accents = file.get_optional_bool("keep_accents");
  config.add_bos_token = file.get_optional_bool("add_bos_token");
  config.add_eos_token = file.get_optional_bool("add_eos_token");
  if (file.find("tokenizer_class")) config.tokenizer_class = file.get_string("tokenizer_class", "");
  const std::string side = file.get_string("padding_side", "right");
  if (side != "right" && side != "left") file.at("padding_side").fail("expected \"right\" or \"left\"");
  config.padding_side = side == "left" ? PaddingSide::kLeft : PaddingSide::kRight;
  if (const json* m = file.find("model_max_length")) {
    // transformers writes a huge float (int(1e30)) for "no limit".
    if (!m->is_number()) file.child("model_max_length", *m).fail("expected a number");
    const double v = m->get<double>();
    if (v > 0 && v < 1e12) config.model_max_length = static_cast<size_t>(v);
  }
}

}  // namespace

TokenizerConfig read_tokenizer_config(const std::string& dir) {
  TokenizerConfig config;
  std::error_code ec;
  const fs::path config_path = fs::path(dir) / "tokenizer_config.json";
  if (fs::exists(config_path, ec)) {
    const json document = read_json_file(config_path.string());
    const JsonAt file{document, config_path.string(), ""};
    if (!document.is_object()) file.fail("expected a JSON object");
    read_settings(file, config);
    read_special_tokens(file, config.special_tokens);
  }
  const fs::path map_path = fs::path(dir) / "special_tokens_map.json";
  if (fs::exists(map_path, ec)) {
    const json document = read_json_file(map_path.string());
    const JsonAt file{document, map_path.string(), ""};
    if (!document.is_object()) file.fail("expected a JSON object");
    read_special_tokens(file, config.special_tokens);
  }
  return config;
}

}  // namespace hft::tokenize
