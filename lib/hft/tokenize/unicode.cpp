// Unicode properties through utf8proc, shaped to the answers of the Rust `tokenizers` crate.
#include "hft/tokenize/unicode.h"

#include <utf8proc.h>  // utf8proc_category, utf8proc_decompose_char, utf8proc_tolower

namespace hft::tokenize::unicode {
namespace {

// Length of the UTF-8 sequence a lead byte starts, or 0 for a byte that cannot lead.
int sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;  // continuation byte, overlong 2-byte lead (C0, C1) or beyond U+10FFFF
}

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

bool decode_utf8(std::string_view text, std::u32string& out, size_t* bad_offset) {
  out.clear();
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char lead = s[i];
    if (lead < 0x80) {  // ASCII, the common case
      out.push_back(lead);
      ++i;
      continue;
    }
    const int len = sequence_length(lead);
    bool ok = len > 0 && i + len <= n;
    for (int k = 1; ok && k < len; ++k) ok = is_continuation(s[i + k]);
    char32_t c = 0;
    if (ok) {
      c = lead & (0x7F >> len);
      for (int k = 1; k < len; ++k) c = (c << 6) | (s[i + k] & 0x3F);
      // Overlong 3/4-byte forms, surrogates and code points past U+10FFFF are not UTF-8.
      ok = !(len == 3 && c < 0x800) && !(len == 4 && (c < 0x10000 || c > 0x10FFFF)) &&
           !(c >= 0xD800 && c <= 0xDFFF);
    }
    if (!ok) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    out.push_back(c);
    i += len;
  }
  return true;
}

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string to_utf8(std::u32string_view chars) {
  std::string out;
  out.reserve(chars.size());
  for (char32_t c : chars) append_utf8(c, out);
  return out;
}

bool is_whitespace(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || c == 0x20;
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool is_other_control_format_private(char32_t c) {
  // The Rust crate's table for "not assigned" (Cn) is empty in practice: unassigned code
  // points survive clean_text (checked against tokenizers 0.23), so Cn is not included.
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CO:
      return true;
    default:
      return false;
  }
}

bool is_bert_punctuation(char32_t c) {
  if (c < 0x80) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF: case UTF8PROC_CATEGORY_PO:
      return true;
    default:
      return false;
  }
}

bool is_chinese_char(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool is_mark_nonspacing(char32_t c) {
  if (c < 0x300) return false;  // no Mn below the combining diacritics block
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_MN;
}

bool is_mark(char32_t c) {
  if (c < 0x300) return false;
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_MC || category == UTF8PROC_CATEGORY_ME;
}

int decompose_canonical(char32_t c, char32_t out[8]) {
  if (c < 0xC0) {  // nothing below U+00C0 decomposes canonically
    out[0] = c;
    return 1;
  }
  utf8proc_int32_t buf[8];
  const utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 8,
                                                     UTF8PROC_DECOMPOSE, nullptr);
  if (n <= 0 || n > 8) {
    out[0] = c;
    return 1;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) out[i] = static_cast<char32_t>(buf[i]);
  return static_cast<int>(n);
}

int decompose_compatibility(char32_t c, char32_t out[32]) {
  if (c < 0xA0) {  // nothing below U+00A0 decomposes
    out[0] = c;
    return 1;
  }
  utf8proc_int32_t buf[32];
  const utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 32,
                                                     static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT),
                                                     nullptr);
  if (n <= 0 || n > 32) {
    out[0] = c;
    return 1;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) out[i] = static_cast<char32_t>(buf[i]);
  return static_cast<int>(n);
}

size_t compose(char32_t* chars, size_t count) {
  static_assert(sizeof(char32_t) == sizeof(utf8proc_int32_t));
  const utf8proc_ssize_t n = utf8proc_normalize_utf32(reinterpret_cast<utf8proc_int32_t*>(chars),
                                                      static_cast<utf8proc_ssize_t>(count), UTF8PROC_COMPOSE);
  return n < 0 ? count : static_cast<size_t>(n);
}

int combining_class(char32_t c) {
  if (c < 0x300) return 0;
  return utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class;
}

int to_lowercase(char32_t c, char32_t out[3]) {
  if (c < 0x80) {
    out[0] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return 1;
  }
  // The one unconditional multi-character lowercase mapping (SpecialCasing.txt), which
  // utf8proc's simple mapping leaves out: LATIN CAPITAL LETTER I WITH DOT ABOVE -> i + U+0307.
  if (c == 0x130) {
    out[0] = 'i';
    out[1] = 0x307;
    return 2;
  }
  out[0] = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
  return 1;
}

size_t grapheme_end(std::u32string_view chars, size_t begin) {
  utf8proc_int32_t state = 0;
  size_t end = begin + 1;
  while (end < chars.size() &&
         !utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(chars[end - 1]),
                                           static_cast<utf8proc_int32_t>(chars[end]), &state)) {
    ++end;
  }
  return end;
}

}  // namespace hft::tokenize::unicode
