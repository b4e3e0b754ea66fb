// Metaspace (SentencePiece-style words): every space becomes the replacement char "▁", a "▁"
// goes before the text (by prepend_scheme), and with split the text is cut before each "▁".
#pragma once

#include <string>
#include <vector>

#include "hft/tokenize/pre_tokenizer.h"  // PreTokenizer

namespace hft::tokenize {

// always: before every piece of text that does not start with "▁" already; first: only before
// a piece that starts the input (not one after an added token or a previous word); never.
enum class MetaspacePrepend { kAlways, kFirst, kNever };

struct MetaspaceOptions {
  char32_t replacement = U'\u2581';
  MetaspacePrepend prepend = MetaspacePrepend::kAlways;
  bool split = true;
};

// "always" | "first" | "never"; throws TokenizeError naming `where` otherwise.
MetaspacePrepend parse_prepend_scheme(const std::string& name, const std::string& where);

class MetaspacePreTokenizer : public PreTokenizer {
 public:
  explicit MetaspacePreTokenizer(MetaspaceOptions options) : options_(options) {}
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;

 private:
  MetaspaceOptions options_;
};

}  // namespace hft::tokenize
