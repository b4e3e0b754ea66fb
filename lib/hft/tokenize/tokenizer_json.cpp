// One builder per section of tokenizer.json: normalizer, pre_tokenizer, model, post_processor,
// added_tokens. Older files (tokenizers < 0.9) lack "type" in "model"; it is inferred.
#include "hft/tokenize/tokenizer_json.h"

#include <openssl/evp.h>  // EVP_DecodeBlock (base64)

#include <stdexcept>

#include "hft/tokenize/bert_normalizer.h"      // BertNormalizer
#include "hft/tokenize/bert_pre_tokenizer.h"   // BertPreTokenizer
#include "hft/tokenize/bpe.h"                  // Bpe
#include "hft/tokenize/bpe_files.h"            // split_merge
#include "hft/tokenize/byte_level_pre_tokenizer.h"  // ByteLevelPreTokenizer
#include "hft/tokenize/json_reading.h"         // read_json_file, JsonAt
#include "hft/tokenize/metaspace.h"            // MetaspacePreTokenizer
#include "hft/tokenize/precompiled_normalizer.h"  // PrecompiledNormalizer
#include "hft/tokenize/simple_normalizers.h"   // LowercaseNormalizer, ...
#include "hft/tokenize/simple_pre_tokenizers.h"  // WhitespaceSplitPreTokenizer, ...
#include "hft/tokenize/unicode.h"              // decode_utf8
#include "hft/tokenize/template_processing.h"  // TemplateProcessing
#include "hft/tokenize/vocab.h"                   // kMaxTokenId
#include "hft/tokenize/tokenize_error.h"       // TokenizeError
#include "hft/tokenize/unigram.h"              // Unigram
#include "hft/tokenize/wordpiece.h"            // WordPiece

namespace hft::tokenize {
namespace {

using nlohmann::json;

[[noreturn]] void unsupported(const JsonAt& section, const std::string& type, const std::string& supported) {
  section.fail("type \"" + type + "\" is not supported by hft yet (supported: " + supported + ")");
}

constexpr const char* kNormalizers =
    "BertNormalizer, Lowercase, StripAccents, NFD, NFKD, NFC, NFKC, Replace, Strip, Prepend, Precompiled, Sequence";
constexpr const char* kPreTokenizers =
    "BertPreTokenizer, ByteLevel, WhitespaceSplit, Whitespace, Punctuation, Digits, Split, Metaspace, Sequence";

// The list under `key` of a Sequence, each element built by `build`.
template <typename T, typename Build>
std::vector<std::unique_ptr<T>> build_list(const JsonAt& s, const std::string& key, Build build) {
  const JsonAt list = s.at(key);
  if (!list.value.is_array()) list.fail("expected a list");
  std::vector<std::unique_ptr<T>> steps;
  for (size_t i = 0; i < list.value.size(); ++i) {
    steps.push_back(build(JsonAt{list.value[i], list.file, list.path + "[" + std::to_string(i) + "]"}));
  }
  return steps;
}

std::u32string read_u32(const JsonAt& j, const std::string& key) {
  std::u32string out;
  if (!unicode::decode_utf8(j.get_string(key, ""), out)) j.fail(key + " is not valid UTF-8");
  return out;
}

std::unique_ptr<Normalizer> build_bert_normalizer(const JsonAt& n) {
  BertNormalizerOptions options;
  options.clean_text = n.get_bool("clean_text", true);
  options.handle_chinese_chars = n.get_bool("handle_chinese_chars", true);
  options.lowercase = n.get_bool("lowercase", true);
  // strip_accents null means "as lowercase does", as in the original BERT.
  options.strip_accents = n.get_optional_bool("strip_accents").value_or(options.lowercase);
  return std::make_unique<BertNormalizer>(options);
}

// Replace's pattern is {"String": "..."}; a {"Regex": ...} pattern is refused by name.
std::unique_ptr<Normalizer> build_replace(const JsonAt& n) {
  const JsonAt pattern = n.at("pattern");
  if (!pattern.find("String")) pattern.fail("hft supports Replace with {\"String\": ...} patterns only");
  return std::make_unique<ReplaceNormalizer>(read_u32(pattern, "String"), read_u32(n, "content"));
}

std::string decode_base64(const JsonAt& at, const std::string& text) {
  const size_t padding = text.size() - std::min(text.size(), text.find_last_not_of('=') + 1);
  std::string bytes(text.size() / 4 * 3, '\0');
  const int written = text.size() % 4 != 0 ? -1
      : EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (written < 0 || padding > 2) at.fail("is not valid base64");
  bytes.resize(static_cast<size_t>(written) - padding);
  return bytes;
}

// Precompiled: SentencePiece's charsmap in base64; null or empty rewrites nothing.
std::unique_ptr<Normalizer> build_precompiled(const JsonAt& n) {
  const std::string text = n.get_string("precompiled_charsmap", "");
  if (text.empty()) return std::make_unique<NormalizerSequence>(std::vector<std::unique_ptr<Normalizer>>{});
  const JsonAt charsmap = n.at("precompiled_charsmap");
  try {
    return std::make_unique<PrecompiledNormalizer>(PrecompiledCharsmap(decode_base64(charsmap, text)));
  } catch (const std::invalid_argument& e) {
    charsmap.fail(e.what());
  }
}

std::unique_ptr<Normalizer> build_normalizer(const JsonAt& n) {
  const std::string type = n.get_string("type", "");
  if (type == "BertNormalizer") return build_bert_normalizer(n);
  if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
  if (type == "StripAccents") return std::make_unique<StripAccentsNormalizer>();
  if (type == "NFD") return std::make_unique<NfdNormalizer>();
  if (type == "NFKD") return std::make_unique<NfkdNormalizer>();
  if (type == "NFC") return std::make_unique<NfcNormalizer>();
  if (type == "NFKC") return std::make_unique<NfkcNormalizer>();
  if (type == "Replace") return build_replace(n);
  if (type == "Strip") return std::make_unique<StripNormalizer>(n.get_bool("strip_left", true), n.get_bool("strip_right", true));
  if (type == "Prepend") return std::make_unique<PrependNormalizer>(read_u32(n, "prepend"));
  if (type == "Precompiled") return build_precompiled(n);
  if (type == "Sequence") return std::make_unique<NormalizerSequence>(build_list<Normalizer>(n, "normalizers", build_normalizer));
  unsupported(n, type, kNormalizers);
}

// Split's pattern is {"String": "..."} or {"Regex": "..."}.
std::unique_ptr<PreTokenizer> build_split(const JsonAt& p) {
  const JsonAt pattern = p.at("pattern");
  const SplitBehavior behavior = parse_split_behavior(p.get_string("behavior", "Isolated"), p.file + ": " + p.path + ".behavior");
  const bool invert = p.get_bool("invert", false);
  if (pattern.find("String")) return std::make_unique<SplitPreTokenizer>(read_u32(pattern, "String"), nullptr, behavior, invert);
  if (pattern.find("Regex")) {
    auto regex = std::make_unique<Regex>(pattern.get_string("Regex", ""), p.file + ": " + p.path + ".pattern");
    return std::make_unique<SplitPreTokenizer>(std::u32string(), std::move(regex), behavior, invert);
  }
  pattern.fail("expected {\"String\": ...} or {\"Regex\": ...}");
}

// Metaspace: files before tokenizers 0.14 say add_prefix_space (true: always) instead of
// prepend_scheme.
std::unique_ptr<PreTokenizer> build_metaspace(const JsonAt& p) {
  MetaspaceOptions options;
  const std::u32string replacement = read_u32(p, "replacement");
  if (replacement.size() != 1) p.at("replacement").fail("expected one character");
  options.replacement = replacement[0];
  const std::string where = p.file + ": " + p.path + ".prepend_scheme";
  if (p.find("prepend_scheme")) {
    options.prepend = parse_prepend_scheme(p.get_string("prepend_scheme", "always"), where);
  } else {
    options.prepend = p.get_bool("add_prefix_space", true) ? MetaspacePrepend::kAlways : MetaspacePrepend::kNever;
  }
  options.split = p.get_bool("split", true);
  return std::make_unique<MetaspacePreTokenizer>(options);
}

std::unique_ptr<PreTokenizer> build_pre_tokenizer(const JsonAt& p) {
  const std::string type = p.get_string("type", "");
  if (type == "BertPreTokenizer") return std::make_unique<BertPreTokenizer>();
  if (type == "WhitespaceSplit") return std::make_unique<WhitespaceSplitPreTokenizer>();
  if (type == "Whitespace") return std::make_unique<WhitespacePreTokenizer>();
  if (type == "Punctuation") {
    return std::make_unique<PunctuationPreTokenizer>(
        parse_split_behavior(p.get_string("behavior", "Isolated"), p.file + ": " + p.path + ".behavior"));
  }
  if (type == "Digits") return std::make_unique<DigitsPreTokenizer>(p.get_bool("individual_digits", false));
  if (type == "Split") return build_split(p);
  if (type == "Metaspace") return build_metaspace(p);
  if (type == "Sequence") return std::make_unique<PreTokenizerSequence>(build_list<PreTokenizer>(p, "pretokenizers", build_pre_tokenizer));
  if (type == "ByteLevel") {
    // trim_offsets is the post-processor's business; the pre-tokenizer ignores it.
    return std::make_unique<ByteLevelPreTokenizer>(
        ByteLevelOptions{p.get_bool("add_prefix_space", true), p.get_bool("use_regex", true)});
  }
  unsupported(p, type, kPreTokenizers);
}

Vocab read_vocab_object(const JsonAt& v) {
  if (!v.value.is_object()) v.fail("expected an object of token -> id");
  Vocab vocab;
  for (const auto& [token, id] : v.value.items()) {
    if (!is_token_id(id)) v.fail("the id of \"" + token + "\" is not an integer from 0 to " + std::to_string(kMaxTokenId));
    vocab.add(token, id.get<int32_t>());
  }
  return vocab;
}

// "WordPiece", or for files without "type", what the fields say.
std::string model_type(const JsonAt& m) {
  std::string type = m.get_string("type", "");
  if (!type.empty()) return type;
  if (m.find("merges")) return "BPE";
  if (m.find("max_input_chars_per_word") || m.find("continuing_subword_prefix")) return "WordPiece";
  const json* vocab = m.find("vocab");
  if (vocab && vocab->is_array()) return "Unigram";
  m.fail("has no \"type\" and its fields match no model (expected WordPiece, BPE or Unigram fields)");
}

std::vector<std::pair<std::string, std::string>> read_merges(const JsonAt& list) {
  if (!list.value.is_array()) list.fail("expected a list of merges");
  std::vector<std::pair<std::string, std::string>> merges;
  merges.reserve(list.value.size());
  for (size_t i = 0; i < list.value.size(); ++i) {
    const json& m = list.value[i];
    const std::string where = list.file + ": " + list.path + "[" + std::to_string(i) + "]";
    if (m.is_string()) {
      merges.push_back(split_merge(m.get<std::string>(), where));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      throw TokenizeError(where, "expected \"a b\" or [\"a\", \"b\"]");
    }
  }
  return merges;
}

std::unique_ptr<Model> build_bpe(const JsonAt& m) {
  if (const json* dropout = m.find("dropout"); dropout && dropout->is_number() && dropout->get<double>() > 0) {
    m.child("dropout", *dropout).fail("BPE dropout is a training-time option; hft encodes without it (set it to null)");
  }
  BpeOptions options;
  if (m.find("unk_token")) options.unk_token = m.get_string("unk_token", "");
  options.continuing_subword_prefix = m.get_string("continuing_subword_prefix", "");
  options.end_of_word_suffix = m.get_string("end_of_word_suffix", "");
  options.fuse_unk = m.get_bool("fuse_unk", false);
  options.byte_fallback = m.get_bool("byte_fallback", false);
  options.ignore_merges = m.get_bool("ignore_merges", false);
  return std::make_unique<Bpe>(read_vocab_object(m.at("vocab")), read_merges(m.at("merges")), options,
                               m.file + ": " + m.path);
}

// Unigram {"vocab": [[piece, score], ...], "unk_id": N, "byte_fallback": bool}.
std::unique_ptr<Model> build_unigram(const JsonAt& m) {
  const JsonAt vocab = m.at("vocab");
  if (!vocab.value.is_array()) vocab.fail("expected a list of [piece, score]");
  std::vector<std::pair<std::string, double>> pieces;
  pieces.reserve(vocab.value.size());
  for (size_t i = 0; i < vocab.value.size(); ++i) {
    const json& e = vocab.value[i];
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number()) {
      throw TokenizeError(m.file + ": " + vocab.path + "[" + std::to_string(i) + "]", "expected [piece, score]");
    }
    pieces.emplace_back(e[0].get<std::string>(), e[1].get<double>());
  }
  const json* unk = m.find("unk_id");
  if (!unk || !unk->is_number_integer()) {
    m.fail("unk_id must be the index of the unknown piece (hft needs one for text the pieces do not cover)");
  }
  return std::make_unique<Unigram>(pieces, UnigramOptions{unk->get<int32_t>(), m.get_bool("byte_fallback", false)},
                                   m.file + ": " + m.path);
}

std::unique_ptr<Model> build_model(const JsonAt& m) {
  const std::string type = model_type(m);
  if (type == "BPE") return build_bpe(m);
  if (type == "Unigram") return build_unigram(m);
  if (type != "WordPiece") unsupported(m, type, "WordPiece, BPE, Unigram");
  WordPieceOptions options;
  options.unk_token = m.get_string("unk_token", options.unk_token);
  options.continuing_subword_prefix = m.get_string("continuing_subword_prefix", options.continuing_subword_prefix);
  const int64_t max_chars = m.get_int("max_input_chars_per_word", 100);
  if (max_chars < 0) m.fail("max_input_chars_per_word must not be negative");
  options.max_input_chars_per_word = static_cast<size_t>(max_chars);
  return std::make_unique<WordPiece>(read_vocab_object(m.at("vocab")), options, m.file + ": " + m.path);
}

TemplatePiece read_template_piece(const JsonAt& piece) {
  TemplatePiece out;
  if (const json* s = piece.find("SpecialToken")) {
    const JsonAt special = piece.child("SpecialToken", *s);
    out.kind = TemplatePiece::Kind::kSpecialToken;
    out.special_token = special.get_string("id", "");
    out.type_id = static_cast<int32_t>(special.get_int("type_id", 0));
  } else if (const json* q = piece.find("Sequence")) {
    const JsonAt sequence = piece.child("Sequence", *q);
    const std::string id = sequence.get_string("id", "A");
    if (id != "A" && id != "B") sequence.child("id", (*q)["id"]).fail("expected \"A\" or \"B\"");
    out.kind = id == "A" ? TemplatePiece::Kind::kSequenceA : TemplatePiece::Kind::kSequenceB;
    out.type_id = static_cast<int32_t>(sequence.get_int("type_id", 0));
  } else {
    piece.fail("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
  }
  return out;
}

std::vector<TemplatePiece> read_template(const JsonAt& t) {
  if (!t.value.is_array()) t.fail("expected a list of template pieces");
  std::vector<TemplatePiece> pieces;
  for (size_t i = 0; i < t.value.size(); ++i) {
    pieces.push_back(read_template_piece({t.value[i], t.file, t.path + "[" + std::to_string(i) + "]"}));
  }
  return pieces;
}

std::unique_ptr<PostProcessor> build_template_processing(const JsonAt& p) {
  std::map<std::string, std::vector<int32_t>> ids;
  if (const json* specials = p.find("special_tokens")) {
    for (const auto& [name, entry] : specials->items()) {
      const JsonAt e = p.child("special_tokens", *specials).child(name, entry);
      const JsonAt list = e.at("ids");
      if (!list.value.is_array()) list.fail("expected a list of ids");
      for (const auto& id : list.value) {
        if (!id.is_number_integer()) list.fail("expected integer ids");
        ids[name].push_back(id.get<int32_t>());
      }
    }
  }
  return std::make_unique<TemplateProcessing>(read_template(p.at("single")), read_template(p.at("pair")), ids,
                                              p.file);
}

std::pair<std::string, int32_t> token_and_id(const JsonAt& p, const std::string& key);

// BertProcessing {"sep": [token, id], "cls": [token, id]} is the template
// [CLS]:0 $A:0 [SEP]:0 ($B:1 [SEP]:1).
std::unique_ptr<PostProcessor> build_bert_processing(const JsonAt& p) {
  const auto [sep, sep_id] = token_and_id(p, "sep");
  const auto [cls, cls_id] = token_and_id(p, "cls");
  return bert_template(cls, cls_id, sep, sep_id, p.file);
}

std::pair<std::string, int32_t> token_and_id(const JsonAt& p, const std::string& key) {
  const JsonAt t = p.at(key);
  if (!t.value.is_array() || t.value.size() != 2 || !t.value[0].is_string() || !t.value[1].is_number_integer()) {
    t.fail("expected [token, id]");
  }
  return {t.value[0].get<std::string>(), t.value[1].get<int32_t>()};
}

// RobertaProcessing: <s> A </s> (</s> B </s>), all type ids 0, byte-level offsets trimmed.
std::unique_ptr<PostProcessor> build_roberta_processing(const JsonAt& p, OffsetTrimming& trimming) {
  const auto [sep, sep_id] = token_and_id(p, "sep");
  const auto [cls, cls_id] = token_and_id(p, "cls");
  trimming = {p.get_bool("trim_offsets", true), p.get_bool("add_prefix_space", true)};
  return roberta_template(cls, cls_id, sep, sep_id, p.file);
}

std::unique_ptr<PostProcessor> build_post_processor(const JsonAt& p, OffsetTrimming& trimming);

// A Sequence of post-processors, as real files have it: ByteLevel (offset trimming) plus at most
// one that adds special tokens (TemplateProcessing, ...). Two that add tokens are refused.
std::unique_ptr<PostProcessor> build_post_processor_sequence(const JsonAt& p, OffsetTrimming& trimming) {
  const JsonAt list = p.at("processors");
  if (!list.value.is_array()) list.fail("expected a list of post-processors");
  std::unique_ptr<PostProcessor> adding;
  for (size_t i = 0; i < list.value.size(); ++i) {
    const JsonAt step{list.value[i], list.file, list.path + "[" + std::to_string(i) + "]"};
    std::unique_ptr<PostProcessor> built = build_post_processor(step, trimming);
    if (!built) continue;
    if (adding) step.fail("a second post-processor that adds special tokens; hft supports one per Sequence");
    adding = std::move(built);
  }
  return adding;
}

// ByteLevel adds no tokens; it only trims offsets.
std::unique_ptr<PostProcessor> build_post_processor(const JsonAt& p, OffsetTrimming& trimming) {
  const std::string type = p.get_string("type", "");
  if (type == "TemplateProcessing") return build_template_processing(p);
  if (type == "BertProcessing") return build_bert_processing(p);
  if (type == "RobertaProcessing") return build_roberta_processing(p, trimming);
  if (type == "ByteLevel") {
    trimming = {p.get_bool("trim_offsets", true), p.get_bool("add_prefix_space", true)};
    return nullptr;
  }
  if (type == "Sequence") return build_post_processor_sequence(p, trimming);
  unsupported(p, type, "TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence");
}

constexpr const char* kDecoders = "WordPiece, ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, Sequence";

char32_t read_char(const JsonAt& d, const std::string& key, const std::string& fallback) {
  std::u32string chars;
  if (!unicode::decode_utf8(d.get_string(key, fallback), chars) || chars.size() != 1) {
    d.fail(key + " must be one character");
  }
  return chars[0];
}

std::unique_ptr<Decoder> build_decoder(const JsonAt& d) {
  const std::string type = d.get_string("type", "");
  if (type == "WordPiece") return wordpiece_decoder(d.get_string("prefix", "##"), d.get_bool("cleanup", true));
  if (type == "ByteLevel") return byte_level_decoder();
  if (type == "Metaspace") {
    MetaspacePrepend prepend = MetaspacePrepend::kAlways;
    if (d.find("prepend_scheme")) {
      prepend = parse_prepend_scheme(d.get_string("prepend_scheme", "always"), d.file + ": " + d.path + ".prepend_scheme");
    } else if (!d.get_bool("add_prefix_space", true)) {
      prepend = MetaspacePrepend::kNever;
    }
    return metaspace_decoder(read_char(d, "replacement", "\u2581"), prepend);
  }
  if (type == "Replace") {
    const JsonAt pattern = d.at("pattern");
    if (!pattern.find("String")) pattern.fail("hft supports Replace with {\"String\": ...} patterns only");
    return replace_decoder(pattern.get_string("String", ""), d.get_string("content", ""));
  }
  if (type == "ByteFallback") return byte_fallback_decoder();
  if (type == "Fuse") return fuse_decoder();
  if (type == "Strip") {
    const int64_t start = d.get_int("start", 0), stop = d.get_int("stop", 0);
    if (start < 0 || stop < 0) d.fail("start and stop must not be negative");
    return strip_decoder(read_char(d, "content", " "), static_cast<size_t>(start), static_cast<size_t>(stop));
  }
  if (type == "Sequence") return decoder_sequence(build_list<Decoder>(d, "decoders", build_decoder));
  unsupported(d, type, kDecoders);
}

std::vector<AddedToken> read_added_tokens(const JsonAt& list) {
  if (!list.value.is_array()) list.fail("expected a list of added tokens");
  std::vector<AddedToken> tokens;
  for (size_t i = 0; i < list.value.size(); ++i) {
    const JsonAt t{list.value[i], list.file, list.path + "[" + std::to_string(i) + "]"};
    AddedToken token;
    token.content = t.get_string("content", "");
    if (!is_token_id(t.at("id").value)) t.fail("id must be an integer from 0 to " + std::to_string(kMaxTokenId));
    token.id = t.at("id").value.get<int32_t>();
    token.special = t.get_bool("special", false);
    token.single_word = t.get_bool("single_word", false);
    token.lstrip = t.get_bool("lstrip", false);
    token.rstrip = t.get_bool("rstrip", false);
    token.normalized = t.get_bool("normalized", !token.special);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

}  // namespace

TokenizerParts read_tokenizer_json(const std::string& path) {
  const json document = read_json_file(path);
  const JsonAt root{document, path, ""};
  if (!document.is_object()) root.fail("expected a JSON object (a tokenizers tokenizer.json)");
  TokenizerParts parts;
  parts.source = path;
  if (const json* n = root.find("normalizer")) parts.normalizer = build_normalizer({*n, path, "normalizer"});
  if (const json* p = root.find("pre_tokenizer")) parts.pre_tokenizer = build_pre_tokenizer({*p, path, "pre_tokenizer"});
  parts.model = build_model(root.at("model"));
  if (const json* p = root.find("post_processor")) parts.post_processor = build_post_processor({*p, path, "post_processor"}, parts.offset_trimming);
  if (const json* d = root.find("decoder")) parts.decoder = build_decoder({*d, path, "decoder"});
  if (const json* a = root.find("added_tokens")) parts.added_tokens = read_added_tokens({*a, path, "added_tokens"});
  return parts;
}

}  // namespace hft::tokenize
