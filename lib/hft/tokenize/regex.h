// A compiled PCRE2 regular expression over UTF-8 with Unicode properties (\p{L}, \s as
// Unicode whitespace), for the pre-tokenizers that split by a pattern (ByteLevel, Split).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace hft::tokenize {

class Regex {
 public:
  // Throws TokenizeError (naming `source`) when the pattern does not compile.
  Regex(const std::string& pattern, const std::string& source);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Calls on_match(begin, end) with the byte range of each non-overlapping match, in order.
  // Safe to call from several threads at once.
  void for_each_match(std::string_view utf8, const std::function<void(size_t, size_t)>& on_match) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace hft::tokenize
