#include "hft/tokenize/text_edits.h"

#include <algorithm>  // std::stable_sort

#include "hft/tokenize/unicode.h"  // is_whitespace, decompose_canonical, ...

namespace hft::tokenize::edits {
namespace {

// Keeps the chars for which keep(c) is true.
template <typename Keep>
void filter(NormalizedText& text, Keep keep) {
  NormalizedText out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (keep(text.chars[i])) out.push(text.chars[i], text.origin_begin[i], text.origin_end[i]);
  }
  text = std::move(out);
}

// NFD puts runs of combining marks in canonical order (by combining class, stably).
void reorder_marks(NormalizedText& text) {
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    if (unicode::combining_class(text.chars[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && unicode::combining_class(text.chars[j]) != 0) ++j;
    if (j - i > 1) {
      std::vector<size_t> order(j - i);
      for (size_t k = 0; k < order.size(); ++k) order[k] = i + k;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return unicode::combining_class(text.chars[a]) < unicode::combining_class(text.chars[b]);
      });
      NormalizedText run;
      for (size_t k : order) run.push(text.chars[k], text.origin_begin[k], text.origin_end[k]);
      std::copy(run.chars.begin(), run.chars.end(), text.chars.begin() + i);
      std::copy(run.origin_begin.begin(), run.origin_begin.end(), text.origin_begin.begin() + i);
      std::copy(run.origin_end.begin(), run.origin_end.end(), text.origin_end.begin() + i);
    }
    i = j;
  }
}

// Each char replaced by its decomposition (`split` writes at most 32 chars), marks reordered.
template <typename Split>
void decompose(NormalizedText& text, Split split) {
  NormalizedText out;
  out.reserve(text.size());
  char32_t parts[32];
  for (size_t i = 0; i < text.size(); ++i) {
    const int n = split(text.chars[i], parts);
    for (int k = 0; k < n; ++k) out.push(parts[k], text.origin_begin[i], text.origin_end[i]);
  }
  reorder_marks(out);
  text = std::move(out);
}

}  // namespace

void clean_bert_text(NormalizedText& text) {
  filter(text, [](char32_t c) {
    const bool tab_or_newline = c == '\t' || c == '\n' || c == '\r';
    return !(c == 0 || c == 0xFFFD || (!tab_or_newline && unicode::is_other_control_format_private(c)));
  });
  for (char32_t& c : text.chars) {
    if (unicode::is_whitespace(c)) c = ' ';
  }
}

void space_chinese_chars(NormalizedText& text) {
  NormalizedText out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text.chars[i];
    const uint32_t b = text.origin_begin[i], e = text.origin_end[i];
    if (unicode::is_chinese_char(c)) {
      out.push(' ', b, e);
      out.push(c, b, e);
      out.push(' ', b, e);
    } else {
      out.push(c, b, e);
    }
  }
  text = std::move(out);
}

void decompose_nfd(NormalizedText& text) { decompose(text, unicode::decompose_canonical); }
void decompose_nfkd(NormalizedText& text) { decompose(text, unicode::decompose_compatibility); }

// Segment by segment (a starter and the marks after it); a segment whose starter composes with
// the char before it (Hangul syllables) is merged into that char. Marks composed into a char
// are left out of the alignment, as `tokenizers` does.
void compose(NormalizedText& text) {
  NormalizedText out;
  out.reserve(text.size());
  std::u32string segment;
  for (size_t i = 0; i < text.size();) {
    size_t j = i + 1;
    while (j < text.size() && unicode::combining_class(text.chars[j]) != 0) ++j;
    segment.assign(text.chars, i, j - i);
    segment.resize(unicode::compose(segment.data(), segment.size()));
    const bool same = segment.size() == j - i;
    size_t k = 0;
    if (out.size() > 0) {
      char32_t pair[2] = {out.chars.back(), segment[0]};
      if (unicode::compose(pair, 2) == 1) {  // keeps the alignment of the char before
        out.chars.back() = pair[0];
        k = 1;
      }
    }
    // The composed starter stands for the starter, or, when the starter is an extra char of an
    // expansion (the second char of "ﬁ" -> "fi": the same origin as the char before it), for the
    // first mark composed into it, as `tokenizers` aligns it; marks left over for the last marks.
    const bool starter_inserted = i > 0 && text.origin_begin[i] == text.origin_begin[i - 1] &&
                                  text.origin_end[i] == text.origin_end[i - 1];
    for (; k < segment.size(); ++k) {
      size_t from = same || k == 0 ? i + k : j - (segment.size() - k);
      if (k == 0 && !same && starter_inserted) from = i + 1;
      out.push(segment[k], text.origin_begin[from], text.origin_end[from]);
    }
    i = j;
  }
  text = std::move(out);
}

void replace(NormalizedText& text, const std::u32string& pattern, const std::u32string& content) {
  if (pattern.empty() || text.chars.find(pattern) == std::u32string::npos) return;
  NormalizedText out;
  out.reserve(text.size());
  size_t i = 0;
  for (size_t hit; (hit = text.chars.find(pattern, i)) != std::u32string::npos; i = hit + pattern.size()) {
    for (size_t k = i; k < hit; ++k) out.push(text.chars[k], text.origin_begin[k], text.origin_end[k]);
    // As `tokenizers` aligns a replacement: the chars it removes are the first of the match, so
    // content char k stands for match char k + (pattern - content); extra ones for the last.
    const size_t p = pattern.size(), c = content.size();
    for (size_t k = 0; k < c; ++k) {
      const size_t from = hit + std::min(p - 1, k + (p > c ? p - c : 0));
      out.push(content[k], text.origin_begin[from], text.origin_end[from]);
    }
  }
  for (size_t k = i; k < text.size(); ++k) out.push(text.chars[k], text.origin_begin[k], text.origin_end[k]);
  text = std::move(out);
}

void drop_nonspacing_marks(NormalizedText& text) {
  filter(text, [](char32_t c) { return !unicode::is_mark_nonspacing(c); });
}

void drop_marks(NormalizedText& text) {
  filter(text, [](char32_t c) { return !unicode::is_mark(c); });
}

void lowercase(NormalizedText& text) {
  NormalizedText out;
  out.reserve(text.size());
  char32_t lower[3];
  for (size_t i = 0; i < text.size(); ++i) {
    const int n = unicode::to_lowercase(text.chars[i], lower);
    for (int k = 0; k < n; ++k) out.push(lower[k], text.origin_begin[i], text.origin_end[i]);
  }
  text = std::move(out);
}

void strip_whitespace(NormalizedText& text, bool left, bool right) {
  size_t begin = 0, end = text.size();
  while (left && begin < end && unicode::is_whitespace(text.chars[begin])) ++begin;
  while (right && end > begin && unicode::is_whitespace(text.chars[end - 1])) --end;
  text.chars = text.chars.substr(begin, end - begin);
  text.origin_begin = std::vector<uint32_t>(text.origin_begin.begin() + begin, text.origin_begin.begin() + end);
  text.origin_end = std::vector<uint32_t>(text.origin_end.begin() + begin, text.origin_end.begin() + end);
}

void prepend(NormalizedText& text, const std::u32string& prefix) {
  if (text.size() == 0 || prefix.empty()) return;
  NormalizedText out;
  out.reserve(text.size() + prefix.size());
  for (char32_t c : prefix) out.push(c, text.origin_begin[0], text.origin_end[0]);
  for (size_t i = 0; i < text.size(); ++i) out.push(text.chars[i], text.origin_begin[i], text.origin_end[i]);
  text = std::move(out);
}

}  // namespace hft::tokenize::edits
