#include "hft/tokenize/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>  // pcre2_compile, pcre2_match

#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {

struct Regex::Compiled {
  pcre2_code* code = nullptr;
  ~Compiled() { pcre2_code_free(code); }
};

Regex::Regex(const std::string& pattern, const std::string& source) : compiled_(std::make_unique<Compiled>()) {
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  // UTF: the subject is UTF-8 (already validated, so no check per match); UCP: \s \w \d are Unicode.
  compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                  PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &error, &error_offset, nullptr);
  if (!compiled_->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    throw TokenizeError(source, "the regular expression \"" + pattern + "\" does not compile at offset " +
                                    std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(message));
  }
  pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE);  // faster when available; fine when not
}

Regex::~Regex() = default;

namespace {

// One thread's match data, made once: room for the whole match only, which is all that is read
// (pcre2_match then returns 0 for a pattern with groups, and still sets the whole match).
struct MatchData {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  ~MatchData() { pcre2_match_data_free(data); }
};

}  // namespace

void Regex::for_each_match(std::string_view utf8, const std::function<void(size_t, size_t)>& on_match) const {
  thread_local MatchData match;
  pcre2_match_data* data = match.data;
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(utf8.data());
  size_t offset = 0;
  while (offset <= utf8.size()) {
    const int rc = pcre2_match(compiled_->code, subject, utf8.size(), offset, PCRE2_NO_UTF_CHECK, data, nullptr);
    if (rc < 0) break;  // PCRE2_ERROR_NOMATCH (or a resource limit): no more matches
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    const size_t begin = ovector[0], end = ovector[1];
    if (end == begin) {  // an empty match: step over one character so the scan moves on
      if (begin >= utf8.size()) break;
      offset = begin + 1;
      while (offset < utf8.size() && (static_cast<unsigned char>(utf8[offset]) & 0xC0) == 0x80) ++offset;
      continue;
    }
    on_match(begin, end);
    offset = end;
  }
}

}  // namespace hft::tokenize
