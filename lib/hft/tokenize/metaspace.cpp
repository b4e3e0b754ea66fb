#include "hft/tokenize/metaspace.h"

#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {

MetaspacePrepend parse_prepend_scheme(const std::string& name, const std::string& where) {
  if (name == "always") return MetaspacePrepend::kAlways;
  if (name == "first") return MetaspacePrepend::kFirst;
  if (name == "never") return MetaspacePrepend::kNever;
  throw TokenizeError(where, "prepend_scheme \"" + name + "\" is not one of always, first, never");
}

void MetaspacePreTokenizer::split(const NormalizedText& text, const WordSpan& range, std::vector<WordSpan>& words) const {
  if (range.end <= range.begin) return;
  // The piece with spaces replaced; mapped_from[i]: the normalized char mapped[i] stands for
  // (the prepended "▁" stands for the first char, as `tokenizers` aligns it).
  std::u32string mapped;
  std::vector<uint32_t> from;
  mapped.reserve(range.end - range.begin + 1);
  from.reserve(range.end - range.begin + 1);
  const char32_t first = text.chars[range.begin] == U' ' ? options_.replacement : text.chars[range.begin];
  const bool starts_input = text.origin_begin[range.begin] == 0;
  const bool prepend = first != options_.replacement &&
                       (options_.prepend == MetaspacePrepend::kAlways ||
                        (options_.prepend == MetaspacePrepend::kFirst && starts_input));
  if (prepend) {
    mapped.push_back(options_.replacement);
    from.push_back(range.begin);
  }
  for (uint32_t i = range.begin; i < range.end; ++i) {
    mapped.push_back(text.chars[i] == U' ' ? options_.replacement : text.chars[i]);
    from.push_back(i);
  }
  if (!options_.split) {
    words.push_back({range.begin, range.end, std::move(mapped), std::move(from)});
    return;
  }
  // Cut before each "▁" (MergedWithNext): "▁a▁▁b" -> "▁a", "▁", "▁b".
  size_t start = 0;
  for (size_t i = 1; i <= mapped.size(); ++i) {
    if (i < mapped.size() && mapped[i] != options_.replacement) continue;
    words.push_back({from[start], from[i - 1] + 1, mapped.substr(start, i - start),
                     std::vector<uint32_t>(from.begin() + start, from.begin() + i)});
    start = i;
  }
}

}  // namespace hft::tokenize
