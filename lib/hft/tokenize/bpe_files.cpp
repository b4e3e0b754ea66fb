#include "hft/tokenize/bpe_files.h"

#include <fstream>

#include "hft/tokenize/bpe.h"                       // Bpe
#include "hft/tokenize/byte_level_pre_tokenizer.h"  // ByteLevelPreTokenizer
#include "hft/tokenize/json_reading.h"              // read_json_file
#include "hft/tokenize/vocab.h"                   // kMaxTokenId
#include "hft/tokenize/tokenize_error.h"            // TokenizeError

namespace hft::tokenize {

std::pair<std::string, std::string> split_merge(const std::string& line, const std::string& where) {
  const size_t space = line.find(' ');
  if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos) {
    throw TokenizeError(where, "the merge \"" + line + "\" is not two tokens separated by one space");
  }
  return {line.substr(0, space), line.substr(space + 1)};
}

std::vector<std::pair<std::string, std::string>> read_merges_txt(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TokenizeError(path, "cannot be read (check that the file exists and is readable)");
  std::vector<std::pair<std::string, std::string>> merges;
  std::string line;
  for (int64_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if ((number == 1 && line.rfind("#version", 0) == 0) || line.empty()) continue;
    merges.push_back(split_merge(line, path + ":" + std::to_string(number)));
  }
  return merges;
}

namespace {

Vocab read_vocab_json(const std::string& path) {
  const nlohmann::json document = read_json_file(path);
  if (!document.is_object()) throw TokenizeError(path, "expected a JSON object of token -> id");
  Vocab vocab;
  for (const auto& [token, id] : document.items()) {
    if (!is_token_id(id))
      throw TokenizeError(path, "the id of \"" + token + "\" is not an integer from 0 to " + std::to_string(kMaxTokenId));
    vocab.add(token, id.get<int32_t>());
  }
  return vocab;
}

}  // namespace

TokenizerParts read_gpt2_vocab_json(const std::string& vocab_path, const std::string& merges_path,
                                    const TokenizerConfig& config, bool add_prefix_space) {
  TokenizerParts parts;
  parts.source = vocab_path;
  parts.special_tokens = config.special_tokens;
  for (auto* slot : {&parts.special_tokens.unk, &parts.special_tokens.bos, &parts.special_tokens.eos}) {
    if (!*slot) *slot = "<|endoftext|>";
  }
  parts.padding_side = config.padding_side;
  parts.model_max_length = config.model_max_length;
  parts.pre_tokenizer = std::make_unique<ByteLevelPreTokenizer>(ByteLevelOptions{add_prefix_space, true});
  parts.model = std::make_unique<Bpe>(read_vocab_json(vocab_path), read_merges_txt(merges_path), BpeOptions{}, merges_path);
  int32_t next_id = static_cast<int32_t>(parts.model->vocab_size());
  const SpecialTokens& s = parts.special_tokens;
  for (const auto* name : {&s.unk, &s.bos, &s.eos, &s.pad}) {
    if (!*name) continue;
    bool seen = false;
    for (const auto& t : parts.added_tokens) seen = seen || t.content == **name;
    if (seen) continue;
    AddedToken token;
    token.content = **name;
    token.special = true;
    token.normalized = false;
    token.id = parts.model->token_to_id(token.content).value_or(next_id);
    if (token.id == next_id) ++next_id;
    parts.added_tokens.push_back(token);
  }
  parts.decoder = byte_level_decoder();  // GPT2Tokenizer's
  return parts;
}

}  // namespace hft::tokenize
