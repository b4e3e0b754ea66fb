#include "hft/tokenize/metaspace.h"

#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {

MetaspacePrepend parse_prepend_scheme(const std::string& name, const std::string& where) {
  if (name == "always") return MetaspacePrepend::kAlways;
  if (name == "first") return MetaspacePrepend::kFirst;
  if (name == "never") return MetaspacePrepend::kNever;
  throw TokenizeError(where, "prepend_scheme \"" + name + "\" is not one of always, first, never");
}

void MetaspacePreTokenizer::split(const NormalizedText& text, const WordSpan& range, WordList& words) const {
  if (range.end <= range.begin) return;
  // The piece with spaces replaced, appended to words.mapped; the prepended "▁" stands for the
  // first char, as `tokenizers` aligns it.
  const auto start = static_cast<uint32_t>(words.mapped.size());
  const char32_t first = text.chars[range.begin] == U' ' ? options_.replacement : text.chars[range.begin];
  const bool starts_input = text.origin_begin[range.begin] == 0;
  const bool prepend = first != options_.replacement &&
                       (options_.prepend == MetaspacePrepend::kAlways ||
                        (options_.prepend == MetaspacePrepend::kFirst && starts_input));
  if (prepend) {
    words.mapped.push_back(options_.replacement);
    words.mapped_from.push_back(range.begin);
  }
  for (uint32_t i = range.begin; i < range.end; ++i) {
    words.mapped.push_back(text.chars[i] == U' ' ? options_.replacement : text.chars[i]);
    words.mapped_from.push_back(i);
  }
  const auto end = static_cast<uint32_t>(words.mapped.size());
  if (!options_.split) {
    words.add_mapped(start, end);
    return;
  }
  // Cut before each "▁" (MergedWithNext): "▁a▁▁b" -> "▁a", "▁", "▁b".
  uint32_t word_start = start;
  for (uint32_t i = start + 1; i <= end; ++i) {
    if (i < end && words.mapped[i] != options_.replacement) continue;
    words.add_mapped(word_start, i);
    word_start = i;
  }
}

}  // namespace hft::tokenize
